/**
 * Kernel memory regions owned by the TypeScript facade. Every kernel-backed object allocates its
 * regions when it is built, never during a step, and frees them in `dispose()`.
 * @packageDocumentation
 */
import { DisposedError, OutOfMemoryError, ValidationError } from './errors.js';
import { type KernelExports, kernel } from './load.js';

/**
 * Largest single region (bytes): 992 MiB. The kernel's allocator (AssemblyScript's TLSF) keeps
 * blocks under 1 GiB, and from 512 MiB up a request is rounded up to its 32 MiB size class (see
 * `tlsfRequest`), which leaves 31 classes of 32 MiB. A larger request is refused up front with an
 * {@link OutOfMemoryError}.
 */
export const MAX_REGION_BYTES = 31 * 2 ** 25;

/** Size classes of the allocator's top level: 2^29 bytes in 16 classes of 2^25. */
const TLSF_HALF = 2 ** 29 - 16;
const TLSF_CLASS = 2 ** 25;

/**
 * The request passed to the allocator for a region of `size` bytes. AssemblyScript's TLSF does not
 * round requests of 512 MiB and more up to their size class (`roundSize` stops at half the largest
 * block), so its search can return a smaller free block of the same class; release builds then
 * write past that block and corrupt the heap ('memory access out of bounds' on a later
 * allocation: two networks with 0.9 GB delay rings). Asking for the class boundary instead — a
 * payload of k·2^25 + 12 bytes, the smallest payload any block of class k can have — makes every
 * block the search can return large enough.
 */
function tlsfRequest(size: number): number {
  return size >= TLSF_HALF ? Math.ceil((size - 12) / TLSF_CLASS) * TLSF_CLASS + 12 : size;
}

/** Size of a 32-bit WebAssembly memory (65536 pages of 64 KiB): the most all live regions can hold together. */
export const MAX_KERNEL_BYTES = 2 ** 32;

/** One planned allocation, for {@link checkAllocations}. */
export interface AllocationRequest {
  /** Bytes asked for. */
  bytes: number;
  /** What the region holds (e.g. `"lif.ring"`). */
  label: string;
}

const sizeOf = (bytes: number): number => Math.max(16, Math.ceil(bytes / 16) * 16);

interface LiveRegion {
  label: string;
  bytes: number;
}

/** Live regions by key: the address, plus 2^32·(instance number) for a kernel other than the main one (threads). */
const live = new Map<number, LiveRegion>();
const instanceIds = new WeakMap<object, number>();
let nextInstance = 1;
function keyOf(k: KernelExports | null, p: number): number {
  if (!k) return p;
  let id = instanceIds.get(k);
  if (id === undefined) instanceIds.set(k, (id = nextInstance++));
  return p + id * 2 ** 32;
}
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
 * Sizes planned allocations before any is made: each must be a finite number of bytes ≥ 0, no
 * more than {@link MAX_REGION_BYTES}, and together with the live regions no more than the 4 GiB of
 * a 32-bit WebAssembly memory. Builders call it with everything they will allocate, so a model
 * too large for the kernel is refused at once, before any work or allocation.
 *
 * @param requests - the regions to be allocated
 * @param what - the object or entry point, for the message
 * @param hint - what the user can change (`"use fewer neurons or a shorter maxDelay"`)
 * @throws {@link ValidationError} for a size that is not a finite number ≥ 0;
 * {@link OutOfMemoryError} when it cannot fit.
 */
export function checkAllocations(requests: readonly AllocationRequest[], what: string, hint?: string): void {
  if (!Array.isArray(requests)) throw new ValidationError('requests', 'an array of { bytes, label }', requests);
  if (typeof what !== 'string') throw new ValidationError('what', 'a string naming the object or entry point', what);
  let total = 0;
  for (const r of requests) {
    if (r === null || typeof r !== 'object' || typeof r.label !== 'string')
      throw new ValidationError('requests[]', 'an object { bytes, label } with a string label', r);
    if (typeof r.bytes !== 'number' || !Number.isFinite(r.bytes) || r.bytes < 0)
      throw new ValidationError(`bytes (${r.label})`, 'a finite number of bytes >= 0', r.bytes);
    const size = tlsfRequest(sizeOf(r.bytes));
    if (sizeOf(r.bytes) > MAX_REGION_BYTES)
      throw new OutOfMemoryError(
        r.label === what ? what : `${what} (${r.label})`,
        size,
        liveBytes,
        MAX_REGION_BYTES,
        'one kernel region holds at most 992 MiB',
        hint ?? 'Make the object smaller.',
      );
    total += size;
  }
  if (liveBytes + total > MAX_KERNEL_BYTES)
    throw new OutOfMemoryError(
      what,
      total,
      liveBytes,
      MAX_KERNEL_BYTES,
      'all live kernel regions together hold at most 4 GiB (a 32-bit WebAssembly memory)',
      hint ?? 'Dispose objects you no longer need, or make this one smaller.',
    );
}

/**
 * One contiguous allocation in kernel memory. Views are re-created whenever `memory.buffer`
 * changes identity (after `memory.grow`), so a view taken from `f64()` is valid until the next
 * kernel call that may allocate.
 */
export class Region {
  /** Size in bytes. */
  readonly bytes: number;
  /** Label reported by {@link kernelMemory}. */
  readonly label: string;
  #freed = false;

  readonly #ptr: number;
  /** Bytes held in kernel memory (the allocator's request: `bytes`, rounded up to a size class from 512 MiB). */
  readonly #held: number;
  readonly #owner: string | undefined;
  /** The kernel instance whose memory holds the region (null: the main kernel). */
  readonly #k: KernelExports | null;

  /**
   * Allocates `bytes` (rounded up to a multiple of 16, at least 16), zero-filled.
   * @param bytes - a finite number ≥ 0
   * @param label - reported by {@link kernelMemory}
   * @param hint - what the caller can change when the region does not fit (named in the {@link OutOfMemoryError})
   * @param owner - the object the region belongs to (named in a {@link DisposedError})
   * @param instance - the kernel instance to allocate in (a multi-threaded network's shared
   * memory, src/lif/threads.ts); omit for the main kernel
   * @throws {@link ValidationError} when `bytes` is not a finite number ≥ 0; {@link OutOfMemoryError}
   * when it exceeds {@link MAX_REGION_BYTES}, when all live regions would exceed 4 GiB, or when
   * the host refuses to grow the memory.
   */
  constructor(bytes: number, label: string, hint?: string, owner?: string, instance?: KernelExports) {
    if (typeof label !== 'string') throw new ValidationError('label', 'a string', label);
    checkAllocations([{ bytes, label }], label, hint);
    const k = instance ?? kernel();
    this.#k = instance ?? null;
    const size = sizeOf(bytes);
    const held = tlsfRequest(size);
    let p: number;
    try {
      p = k.alloc(held) >>> 0;
    } catch (e) {
      // The allocator traps ('unreachable') when memory.grow fails: the host would not give more.
      if (e instanceof WebAssembly.RuntimeError) {
        const have = k.memory.buffer.byteLength;
        throw new OutOfMemoryError(
          label,
          held,
          liveBytes,
          have,
          `the WebAssembly memory could not grow beyond its ${have} bytes (${(e as Error).message})`,
          hint ?? 'Dispose objects you no longer need, or make this one smaller.',
        );
      }
      throw e;
    }
    this.#ptr = p;
    this.bytes = size;
    this.#held = held;
    this.label = label;
    this.#owner = owner;
    live.set(keyOf(this.#k, p), { label, bytes: held });
    liveBytes += held;
  }

  /**
   * Byte address in kernel memory. Reading it after {@link Region.free} throws
   * {@link DisposedError}: a kernel call made with a freed region's address (for example by a run
   * whose object was disposed from its own `onProgress`) stops before it touches the memory.
   */
  get ptr(): number {
    this.#check();
    return this.#ptr;
  }

  /** Whether `free()` was called. */
  get freed(): boolean {
    return this.#freed;
  }

  /** Float64 view of `length` elements starting `offset` bytes into the region (short-lived). */
  f64(offset = 0, length = (this.bytes - offset) >> 3): Float64Array {
    this.#view(offset, length, 8);
    return new Float64Array(this.#mem().memory.buffer, this.#ptr + offset, length);
  }

  /** Int32 view (short-lived). */
  i32(offset = 0, length = (this.bytes - offset) >> 2): Int32Array {
    this.#view(offset, length, 4);
    return new Int32Array(this.#mem().memory.buffer, this.#ptr + offset, length);
  }

  /** Uint32 view (short-lived). */
  u32(offset = 0, length = (this.bytes - offset) >> 2): Uint32Array {
    this.#view(offset, length, 4);
    return new Uint32Array(this.#mem().memory.buffer, this.#ptr + offset, length);
  }

  /** Uint8 view (short-lived). */
  u8(offset = 0, length = this.bytes - offset): Uint8Array {
    this.#view(offset, length, 1);
    return new Uint8Array(this.#mem().memory.buffer, this.#ptr + offset, length);
  }

  /** Releases the memory. Idempotent. */
  free(): void {
    if (this.#freed) return;
    this.#freed = true;
    this.#mem().free(this.#ptr);
    live.delete(keyOf(this.#k, this.#ptr));
    liveBytes -= this.#held;
  }

  /** A view must lie inside the region: `offset` a multiple of the element size, `length` elements from there. */
  #view(offset: number, length: number, size: number): void {
    this.#check();
    if (typeof offset !== 'number' || !Number.isInteger(offset) || offset < 0 || offset > this.bytes || offset % size !== 0)
      throw new ValidationError(
        'offset',
        `an integer multiple of ${size} in [0, ${this.bytes}] (bytes into region "${this.label}")`,
        offset,
      );
    const max = Math.floor((this.bytes - offset) / size);
    if (typeof length !== 'number' || !Number.isInteger(length) || length < 0 || length > max)
      throw new ValidationError('length', `an integer in [0, ${max}] (elements that fit after offset ${offset})`, length);
  }

  #mem(): KernelExports {
    return this.#k ?? kernel();
  }

  #check(): void {
    if (this.#freed) throw new DisposedError(this.#owner ? `${this.#owner} (region "${this.label}")` : `region "${this.label}"`);
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

  /** Allocates a region owned by this object (in `instance`'s memory when given: see {@link Region}). */
  protected allocate(bytes: number, label: string, hint?: string, instance?: KernelExports): Region {
    this.assertLive();
    const r = new Region(bytes, label, hint, this.constructor.name, instance);
    this.#regions.push(r);
    return r;
  }

  /**
   * Sizes everything a builder is about to allocate (see {@link checkAllocations}), so that a
   * model too large for kernel memory is refused before any work or allocation.
   */
  protected planAllocations(requests: readonly AllocationRequest[], hint?: string): void {
    checkAllocations(requests, this.constructor.name, hint);
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
