/**
 * Threads for one {@link LifNetwork}: the shared-memory kernel (build/threads.wasm, inlined as
 * base64 like the main kernel), one instance per thread on one `WebAssembly.Memory({ shared: true })`,
 * and the workers that step the network's neurons in lockstep (assembly/lif/index.ts,
 * `lifRunThread`). Node `worker_threads`, Web Workers in Deno and in cross-origin-isolated pages.
 * @packageDocumentation
 */

import { WASM_THREADS_BASE64 } from '../generated/wasm-threads-bytes.js';
import { NeurodynError } from '../kernel/errors.js';
import type { KernelExports } from '../kernel/load.js';
import { isNode } from '../parallel/pool.js';

/** The exports of the shared-memory kernel (a subset of the main kernel's, plus `lifRunThread`). */
export type ThreadKernel = Pick<KernelExports, 'memory' | 'alloc' | 'free' | 'statusPtr' | 'lifRun'> & {
  /** assembly/lif/index/lifRunThread(hdr: usize, nSteps: i32, ctl: usize, tid: i32): i32 */
  readonly lifRunThread: (hdr: number, nSteps: number, ctl: number, tid: number) => number;
};

/** Bytes of one thread's scratch in the shared build (assembly/tls.ts, TLS_BYTES). */
export const THREAD_SCRATCH_BYTES = 17152;
/** Control block: 64 bytes, then one 128-byte slot per thread (assembly/lif/index.ts, TS_*). */
export const ctlBytes = (threads: number): number => 64 + 128 * threads;
/** Slot fields (f64 index within a thread's slot). */
export const TS = { LO: 0, HI: 1, REC: 2, CAP: 3, LIST: 4, WCAP: 11, CNT: 12, WIN: 13 } as const;
// (REC: max(2, WCAP) record buffers of CAP records each (24 bytes per record); CNT: 2·WCAP f64.)

/**
 * Spins of a thread waiting at the per-step barrier before it sleeps (control block i32[3]). A
 * sleeping thread is woken tens of µs late: on CUBA with 40 000 neurons (about 90 µs of work per
 * step on one thread) a spin of 4000 gave 2 threads a speedup of 1.4, one of 10^5 gave 1.8–1.9
 * (`npm run bench -- lif-threads`). Spinning only pays when every thread has a core; with more
 * threads than cores the waiting thread would hold the core the late one needs, so it sleeps soon.
 */
export function barrierSpins(threads: number, cores: number): number {
  return threads <= cores ? 100_000 : 1000;
}

/**
 * Steps per window for a network whose threads need not exchange spikes (no projections, no
 * shared noise): the threads synchronise once per window instead of once per step. Limited by the
 * records a window may produce (every neuron once per step): about 32 MiB, at most 64 steps.
 */
export function windowSteps(neurons: number): number {
  return Math.max(1, Math.min(64, Math.floor(2 ** 25 / (24 * neurons))));
}

declare const Deno: unknown;

/**
 * Whether this runtime can step one network on several threads: shared WebAssembly memory and
 * workers (Node, Deno; in a browser only when the page is cross-origin isolated, i.e. served with
 * `Cross-Origin-Opener-Policy: same-origin` and `Cross-Origin-Embedder-Policy: require-corp`).
 * @returns `null` when it can, otherwise the reason in words
 */
export function threadsUnavailable(): string | null {
  if (typeof SharedArrayBuffer === 'undefined' || typeof Atomics === 'undefined')
    return 'SharedArrayBuffer is not available here (a browser page must be cross-origin isolated: serve it with Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp)';
  const g = globalThis as { crossOriginIsolated?: boolean; Worker?: unknown };
  if (!isNode() && typeof Deno === 'undefined' && g.crossOriginIsolated === false)
    return 'this page is not cross-origin isolated (serve it with Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp)';
  if (!isNode() && typeof g.Worker !== 'function') return 'Web Workers are not available here';
  try {
    new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
  } catch (e) {
    return `shared WebAssembly memory is not available here (${(e as Error).message})`;
  }
  return null;
}

/** Logical cores of this machine (Node: os.availableParallelism; elsewhere navigator.hardwareConcurrency), at least 1. */
export async function availableCores(): Promise<number> {
  if (isNode()) {
    const os = await import('node:os');
    return Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
  }
  const n = typeof navigator !== 'undefined' ? navigator.hardwareConcurrency : 0;
  return Math.max(1, n || 1);
}

let compiled: WebAssembly.Module | null = null;
let compiling: Promise<WebAssembly.Module> | null = null;

function bytes(): Uint8Array {
  const bin = atob(WASM_THREADS_BASE64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** Compiles the shared-memory kernel once (asynchronously: allowed on a browser's main thread). */
export async function compileThreadKernel(): Promise<WebAssembly.Module> {
  if (compiled) return compiled;
  if (!compiling) {
    compiling = WebAssembly.compile(bytes() as BufferSource).then((m) => (compiled = m));
    compiling.catch(() => {
      compiling = null;
    });
  }
  return compiling;
}

/** The compiled shared-memory kernel; compiles synchronously when not done yet (Node, Deno, workers). */
function moduleSync(): WebAssembly.Module {
  if (compiled) return compiled;
  try {
    compiled = new WebAssembly.Module(bytes() as BufferSource);
  } catch (e) {
    throw new NeurodynError(
      `the threads kernel could not be compiled synchronously here (${(e as Error).message}); use \`await net.runAsync(...)\` (it compiles it first)`,
    );
  }
  return compiled;
}

function envImports(memory: WebAssembly.Memory, scratch: number) {
  return {
    env: {
      memory,
      lifScratch: scratch,
      abort(_m: number, _f: number, line: number, col: number) {
        throw new NeurodynError(`kernel abort in the threads kernel (line ${line}:${col})`);
      },
      seed() {
        throw new NeurodynError('Math.random is not allowed in the kernel');
      },
    },
  };
}

/**
 * A new shared memory and the main thread's instance of the shared-memory kernel on it (a
 * network's regions are allocated through it; it also runs the network on one thread).
 */
export function createThreadKernel(): ThreadKernel {
  const memory = new WebAssembly.Memory({ initial: 2, maximum: 65536, shared: true });
  const inst = new WebAssembly.Instance(moduleSync(), envImports(memory, 0) as unknown as WebAssembly.Imports);
  return inst.exports as unknown as ThreadKernel;
}

// The worker: one instance of the shared kernel on the network's memory, with its own scratch;
// runs lifRunThread when told. Plain JS so it can be started from a string in Node (eval), Deno
// and browsers (a blob: URL), with no file to serve.
const WORKER_SOURCE = `
let ex = null;
const handle = (send, m) => {
  try {
    if (m.init) {
      const imports = { env: { memory: m.memory, lifScratch: m.scratch,
        abort(_m, _f, line, col) { throw new Error('kernel abort (line ' + line + ':' + col + ')'); },
        seed() { throw new Error('Math.random is not allowed in the kernel'); } } };
      ex = new WebAssembly.Instance(m.module, imports).exports;
      send({ ready: true });
    } else send({ code: ex.lifRunThread(m.hdr, m.steps, m.ctl, m.tid) });
  } catch (e) {
    send({ error: String((e && e.message) || e) });
  }
};
if (typeof process !== 'undefined' && process.versions && process.versions.node && typeof Deno === 'undefined') {
  const { parentPort } = require('node:worker_threads');
  parentPort.on('message', (m) => handle((x) => parentPort.postMessage(x), m));
} else {
  self.onmessage = (e) => handle((x) => self.postMessage(x), e.data);
}
`;

interface ThreadPort {
  request(m: unknown): Promise<{ ready?: boolean; code?: number; error?: string }>;
  terminate(): void;
}

async function spawnThread(): Promise<ThreadPort> {
  let post: (m: unknown) => void;
  let listen: (f: (m: { ready?: boolean; code?: number; error?: string }) => void, fail: (e: unknown) => void) => void;
  let terminate: () => void;
  // Node: an idle worker does not keep the process alive; a busy one does (until it replies).
  let hold: (busy: boolean) => void = () => {};
  if (isNode()) {
    const { Worker } = await import('node:worker_threads');
    const w = new Worker(WORKER_SOURCE, { eval: true });
    w.unref();
    hold = (busy) => (busy ? w.ref() : w.unref());
    post = (m) => w.postMessage(m);
    listen = (f, fail) => {
      w.on('message', f);
      w.on('error', fail);
    };
    terminate = () => void w.terminate();
  } else {
    const url = URL.createObjectURL(new Blob([WORKER_SOURCE], { type: 'text/javascript' }));
    const w = new Worker(url, { type: 'module' });
    URL.revokeObjectURL(url);
    post = (m) => w.postMessage(m);
    listen = (f, fail) => {
      w.addEventListener('message', (e) => f((e as MessageEvent).data));
      w.addEventListener('error', (e) => fail(e));
    };
    terminate = () => w.terminate();
  }
  // One request at a time per worker: the pending one settles on the next message.
  let pending: { resolve(m: { ready?: boolean; code?: number; error?: string }): void; reject(e: unknown): void } | null = null;
  let broken: unknown = null;
  listen(
    (m) => {
      const p = pending;
      pending = null;
      hold(false);
      p?.resolve(m);
    },
    (e) => {
      broken = e;
      const p = pending;
      pending = null;
      hold(false);
      p?.reject(e);
    },
  );
  return {
    request(m) {
      if (broken) return Promise.reject(broken);
      return new Promise((resolve, reject) => {
        pending = { resolve, reject };
        hold(true);
        post(m);
      });
    },
    terminate,
  };
}

/**
 * The workers of one network: `threads` of them, each with its instance of the shared kernel on
 * the network's memory and its scratch region (allocated by the caller).
 */
export class ThreadTeam {
  readonly #ports: ThreadPort[];
  #broken: string | null = null;
  private constructor(ports: ThreadPort[]) {
    this.#ports = ports;
  }

  /** Starts the workers and instantiates the kernel in each (scratch[t] = its scratch address). */
  static async start(memory: WebAssembly.Memory, scratch: readonly number[]): Promise<ThreadTeam> {
    const module = await compileThreadKernel();
    const ports: ThreadPort[] = [];
    try {
      for (let t = 0; t < scratch.length; t++) ports.push(await spawnThread());
      const r = await Promise.all(ports.map((p, t) => p.request({ init: true, module, memory, scratch: scratch[t] })));
      const bad = r.find((m) => !m.ready);
      if (bad) throw new NeurodynError(`a LifNetwork thread failed to start: ${bad.error ?? 'no ready message'}`);
    } catch (e) {
      for (const p of ports) p.terminate();
      if (e instanceof NeurodynError) throw e;
      throw new NeurodynError(`a LifNetwork thread failed to start: ${(e as Error)?.message ?? String(e)}`);
    }
    return new ThreadTeam(ports);
  }

  /** Number of threads. */
  get size(): number {
    return this.#ports.length;
  }

  /** Runs `lifRunThread(hdr, steps, ctl, t)` on every thread t; the status codes in thread order. */
  async run(hdr: number, steps: number, ctl: number): Promise<number[]> {
    if (this.#broken) throw new NeurodynError(`the network's threads stopped after an error: ${this.#broken}`);
    let r: { code?: number; error?: string }[];
    try {
      r = await Promise.all(
        this.#ports.map((p, tid) =>
          p.request({ hdr, steps, ctl, tid }).then((m) => {
            if (m.error !== undefined || typeof m.code !== 'number') throw new Error(m.error ?? 'no status');
            return m;
          }),
        ),
      );
    } catch (e) {
      // The others may wait in a barrier for the failed one: stop them all.
      this.#broken = (e as Error)?.message ?? String(e);
      this.terminate();
      throw new NeurodynError(`a LifNetwork thread failed: ${this.#broken}`);
    }
    return r.map((m) => m.code as number);
  }

  /** Stops the workers. */
  terminate(): void {
    for (const p of this.#ports) p.terminate();
  }
}
