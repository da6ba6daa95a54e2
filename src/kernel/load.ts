/**
 * Loading the WebAssembly kernel. The release build is inlined (base64) in the package, so
 * `await init()` needs no file serving and no permissions in Node, Deno, browsers and workers.
 * @packageDocumentation
 */
import { instantiate, instantiateSync } from '@assemblyscript/loader';
import { strictOptions } from '../contract/options.js';
import type { KernelExports } from '../generated/kernel.js';
import { WASM_BASE64 } from '../generated/wasm-bytes.js';
import { KernelAbortError, NeurodynError, ValidationError } from './errors.js';

/**
 * Raw kernel exports (flat functions on numbers and pointers), typed from the build: the build
 * writes src/generated/kernel.ts from the declaration asc emits (scripts/gen-kernel-types.mjs),
 * so a call with a wrong argument count or type fails `tsc`. Internal: use the model APIs.
 */
export type { KernelExports };

/** Where to get the kernel from. */
export interface InitOptions {
  /**
   * The compiled kernel, for users who serve `neurodyn.wasm` themselves: its bytes, a URL to
   * fetch, or a compiled `WebAssembly.Module`. Omit to use the inlined copy.
   * @default the inlined release build
   */
  wasm?: BufferSource | URL | string | WebAssembly.Module;
}

let kernelExports: KernelExports | null = null;
let pending: Promise<KernelExports> | null = null;

function decodeBase64(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function readAsString(mem: WebAssembly.Memory, ptr: number): string {
  if (!ptr) return '';
  const len = new Uint32Array(mem.buffer, ptr - 4, 1)[0] >>> 1;
  return String.fromCharCode(...new Uint16Array(mem.buffer, ptr, len));
}

function imports(getMemory: () => WebAssembly.Memory | undefined) {
  return {
    env: {
      abort(msg: number, file: number, line: number, col: number) {
        const mem = getMemory();
        const m = mem ? readAsString(mem, msg) : '';
        const f = mem ? readAsString(mem, file) : '';
        throw new KernelAbortError(`${m} (${f}:${line}:${col})`);
      },
      seed() {
        // The AS runtime asks for a seed only if Math.random is used; the kernel never does.
        throw new KernelAbortError('Math.random is not allowed in the kernel');
      },
    },
  };
}

function adopt(exports: KernelExports): KernelExports {
  kernelExports = exports;
  return exports;
}

/**
 * Loads and instantiates the kernel. Idempotent: later calls return the same instance.
 * Call once (and await it) before creating any model object in a browser main thread; Node,
 * Deno and workers also initialise lazily and synchronously on first use.
 *
 * @example
 * ```ts
 * import { init } from 'neurodyn';
 * await init();                                   // inlined kernel
 * await init({ wasm: new URL('/neurodyn.wasm', location.href) }); // or serve it yourself
 * ```
 */
export async function init(options: InitOptions = {}): Promise<void> {
  const w0 = strictOptions<InitOptions>('init', 'options', options, ['wasm']).wasm;
  if (
    w0 !== undefined &&
    !(
      typeof w0 === 'string' ||
      w0 instanceof URL ||
      w0 instanceof ArrayBuffer ||
      ArrayBuffer.isView(w0) ||
      w0 instanceof WebAssembly.Module
    )
  )
    throw new ValidationError('options.wasm', 'the kernel as bytes (ArrayBuffer, typed array), a URL or a WebAssembly.Module', w0);
  if (kernelExports) return;
  if (!pending) {
    pending = (async () => {
      let source: BufferSource | WebAssembly.Module;
      const w = options.wasm;
      if (w === undefined) source = decodeBase64(WASM_BASE64);
      else if (
        (w instanceof URL || typeof w === 'string') &&
        new URL(String(w), 'file:///').protocol === 'file:' &&
        typeof process !== 'undefined'
      ) {
        // Node and Deno cannot fetch file: URLs; read the file instead.
        const fs = await import('node:fs/promises');
        source = await fs.readFile(new URL(String(w)));
      } else if (w instanceof URL || typeof w === 'string') {
        const res = await fetch(w);
        if (!res.ok) throw new NeurodynError(`init: could not fetch the kernel from ${String(w)} (HTTP ${res.status})`);
        source = await res.arrayBuffer();
      } else source = w;
      let mem: WebAssembly.Memory | undefined;
      const mod = await instantiate<KernelExports>(
        source as never,
        imports(() => mem),
      );
      mem = mod.exports.memory as WebAssembly.Memory;
      return adopt(mod.exports as unknown as KernelExports);
    })();
    pending.catch(() => {
      pending = null;
    });
  }
  await pending;
}

/**
 * Synchronous initialisation with the inlined kernel (Node, Deno, workers). Browsers refuse
 * synchronous compilation of modules over 4 KB on the main thread: use {@link init} there.
 */
export function initSync(): void {
  if (kernelExports) return;
  let mem: WebAssembly.Memory | undefined;
  const mod = instantiateSync<KernelExports>(
    decodeBase64(WASM_BASE64) as never,
    imports(() => mem),
  );
  mem = mod.exports.memory as WebAssembly.Memory;
  adopt(mod.exports as unknown as KernelExports);
}

/** @internal The instantiated kernel; initialises synchronously on first use where allowed. */
export function kernel(): KernelExports {
  if (kernelExports) return kernelExports;
  try {
    initSync();
  } catch (e) {
    throw new NeurodynError(
      `the kernel is not initialised and could not be compiled synchronously here (${(e as Error).message}); call \`await init()\` first`,
    );
  }
  return kernelExports as unknown as KernelExports;
}

/** Whether the kernel has been initialised. */
export function isInitialised(): boolean {
  return kernelExports !== null;
}
