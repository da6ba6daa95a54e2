/**
 * Kernel memory regions owned by the TypeScript facade. Every kernel-backed object allocates its
 * regions when it is built, never during a step, and frees them in `dispose()`.
 * @packageDocumentation
 */
import { DisposedError } from './errors.js';
import { kernel } from './load.js';

interface LiveRegion {
  label: string;
  bytes: number;
}

const live = new Map<number, LiveRegion>();
let liveBytes = 0;

/** A report of kernel memory, for leak tests and capacity planning. */
export interface KernelMemoryReport {
  /** Number of live regions (allocated and not yet freed). */
  regions: number;
  /** Bytes held by live regions. */
  bytes: number;
  /** Size of the WebAssembly memory (grows, never shrinks). */
  memoryBytes: number;
  /** Live bytes by region label (e.g. `"lif.state"`). */
  byLabel: Record<string, number>;
}

/**
 * Live kernel regions and bytes. Creating and disposing objects must leave `regions` and `bytes`
 * where they started; `memoryBytes` only grows when the heap needs more room.
 */
export function kernelMemory(): KernelMemoryReport {
  const byLabel: Record<string, number> = {};
  for (const r of live.values()) byLabel[r.label] = (byLabel[r.label] ?? 0) + r.bytes;
  return {
    regions: live.size,
    bytes: liveBytes,
    memoryBytes: kernel().memory.buffer.byteLength,
    byLabel,
  };
}

/**
 * One contiguous allocation in kernel memory. Views are re-created whenever `memory.buffer`
 * changes identity (after `memory.grow`), so a view taken from `f64()` is valid until the next
 * kernel call that may allocate.
 */
export class Region {
  /** Byte address in kernel memory. */
  readonly ptr: number;
  /** Size in bytes. */
  readonly bytes: number;
  /** Label reported by {@link kernelMemory}. */
  readonly label: string;
  #freed = false;

  constructor(bytes: number, label: string) {
    const k = kernel();
    const size = Math.max(16, Math.ceil(bytes / 16) * 16);
    this.ptr = k.alloc(size) >>> 0;
    this.bytes = size;
    this.label = label;
    live.set(this.ptr, { label, bytes: size });
    liveBytes += size;
  }

  /** Whether `free()` was called. */
  get freed(): boolean {
    return this.#freed;
  }

  /** Float64 view of `length` elements starting `offset` bytes into the region (short-lived). */
  f64(offset = 0, length = (this.bytes - offset) >> 3): Float64Array {
    this.#check();
    return new Float64Array(kernel().memory.buffer, this.ptr + offset, length);
  }

  /** Int32 view (short-lived). */
  i32(offset = 0, length = (this.bytes - offset) >> 2): Int32Array {
    this.#check();
    return new Int32Array(kernel().memory.buffer, this.ptr + offset, length);
  }

  /** Uint32 view (short-lived). */
  u32(offset = 0, length = (this.bytes - offset) >> 2): Uint32Array {
    this.#check();
    return new Uint32Array(kernel().memory.buffer, this.ptr + offset, length);
  }

  /** Uint8 view (short-lived). */
  u8(offset = 0, length = this.bytes - offset): Uint8Array {
    this.#check();
    return new Uint8Array(kernel().memory.buffer, this.ptr + offset, length);
  }

  /** Releases the memory. Idempotent. */
  free(): void {
    if (this.#freed) return;
    this.#freed = true;
    kernel().free(this.ptr);
    live.delete(this.ptr);
    liveBytes -= this.bytes;
  }

  #check(): void {
    if (this.#freed) throw new DisposedError(`region "${this.label}"`);
  }
}

/**
 * Base class of kernel-backed objects: owns regions (and child objects), frees them all in
 * {@link KernelObject.dispose}; usable with `using` (`Symbol.dispose`).
 */
export abstract class KernelObject {
  #regions: Region[] = [];
  #children: { dispose(): void }[] = [];
  #disposed = false;

  /** Allocates a region owned by this object. */
  protected allocate(bytes: number, label: string): Region {
    this.assertLive();
    const r = new Region(bytes, label);
    this.#regions.push(r);
    return r;
  }

  /** Registers a child object that is disposed together with this one. */
  protected adopt<
    T extends {
      /** Frees the child's kernel memory. */
      dispose(): void;
    },
  >(child: T): T {
    this.#children.push(child);
    return child;
  }

  /** Whether `dispose()` was called. */
  get disposed(): boolean {
    return this.#disposed;
  }

  /** Throws {@link DisposedError} when the object was disposed. */
  protected assertLive(): void {
    if (this.#disposed) throw new DisposedError(this.constructor.name);
  }

  /** Frees all kernel memory held by this object and its children. Idempotent. */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    for (const c of this.#children) c.dispose();
    for (const r of this.#regions) r.free();
    this.#children = [];
    this.#regions = [];
  }

  /** Same as {@link KernelObject.dispose}, for `using x = new ...`. */
  [Symbol.dispose](): void {
    this.dispose();
  }
}
