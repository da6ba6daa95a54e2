/**
 * Counter-based random numbers.
 *
 * ## The contract (frozen: every model and every stored result depends on it)
 * A draw is a pure function of (key, stream, index i, step t). One Philox4x32-10 block with
 * counter `(i >> 1, t, k, stream)` under the key yields 4 words; element i uses words
 * `2(i & 1)` and `2(i & 1) + 1` (so one block feeds two neighbouring elements). Sub-draw `k = 0`
 * is the first 64 bits of (i, t); the ziggurat slow path and any extra uniform of the same (i, t)
 * use `k = 1, 2, ...`.
 * - uniform: `u = (hi·2^21 + (lo >>> 11)) · 2^-53` in [0, 1);
 * - normal: 256-layer ziggurat on the same 64 bits (`lo & 0xff` layer, bit 8 sign, 52-bit
 *   magnitude `hi·2^20 + (lo >>> 12)`), tables shared bit-for-bit by kernel and TS reference.
 *
 * Hence results do not depend on chunking, worker count or evaluation order, and are
 * bit-identical in Node, Deno and browsers (the kernel's `exp/log` are its own code, not the
 * engine's). Keys: {@link seedToKey} (user seed through `seedrandom`), {@link trialKey}.
 * @packageDocumentation
 */
import { optionKeys, strictOptions } from '../contract/index.js';
import { ValidationError } from '../kernel/errors.js';
import { kernel } from '../kernel/load.js';
import { KernelObject, type Region } from '../kernel/region.js';
import { checkInteger } from '../kernel/validate.js';
import * as twin from './reference.js';
import { checkKey, type Key, type Seed, seedKeyOf } from './seed.js';

/** A 32-bit counter or key word: an integer in [0, 2^32 − 1]. */
const word = (name: string, v: unknown): number =>
  // the common case first (a few ns): these twins are the plain-TS baseline of bench/rng.bench.mjs
  typeof v === 'number' && v >>> 0 === v ? v : checkInteger(name, v, 0, 0xffffffff);

/**
 * Plain TypeScript twins of the kernel's generator (Philox4x32-10 and the 256-layer ziggurat, the
 * same counter layout), for checking draws outside the kernel: bit-exact with the kernel on the
 * ziggurat fast path (about 98.5 % of normals; {@link reference.isFastPath} says which). Every
 * argument is a 32-bit word, an integer in [0, 2^32 − 1] (a `ValidationError` otherwise).
 */
export const reference = {
  /** One Philox4x32-10 block of counter (c0, c1, c2, c3) under key (k0, k1): four 32-bit words. */
  philox4x32(c0: number, c1: number, c2: number, c3: number, k0: number, k1: number): Uint32Array {
    return twin.philox4x32(word('c0', c0), word('c1', c1), word('c2', c2), word('c3', c3), word('k0', k0), word('k1', k1));
  },
  /** Uniform in [0, 1) of element i at step t of `stream`, sub-draw k, under key (k0, k1). */
  uniformAt(k0: number, k1: number, stream: number, i: number, t: number, k = 0): number {
    return twin.uniformAt(word('k0', k0), word('k1', k1), word('stream', stream), word('i', i), word('t', t), word('k', k));
  },
  /** Standard normal of element i at step t of `stream` under key (k0, k1). */
  normalAt(k0: number, k1: number, stream: number, i: number, t: number): number {
    return twin.normalAt(word('k0', k0), word('k1', k1), word('stream', stream), word('i', i), word('t', t));
  },
  /** Whether that normal comes from the ziggurat's fast path (then the kernel's value is bit-identical). */
  isFastPath(k0: number, k1: number, stream: number, i: number, t: number): boolean {
    return twin.isFastPath(word('k0', k0), word('k1', k1), word('stream', stream), word('i', i), word('t', t));
  },
};
export { checkKey, deriveKey, type Key, keyOfSeed, SEED_OPTION_KEYS, type Seed, type SeedOptions, seedToKey, trialKey } from './seed.js';

/** Well-known stream ids. Models may use any u32; these are the conventions. */
export const Streams = {
  /** Membrane / synaptic noise. */
  noise: 0,
  /** External input (Poisson events, data shuffling). */
  input: 1,
  /** Random connectivity. */
  connectivity: 2,
  /** Initial conditions and parameter draws. */
  init: 3,
  /** Spike sampling (escape noise). */
  spikes: 4,
  /** General purpose sequences ({@link NormalGenerator}). */
  sequence: 5,
} as const;

/**
 * The key of a seed or raw key: a number or string goes through the one seed convention
 * (`keyOfSeed({ seed, trial })`); an object must be a valid {@link Key} (no trial then).
 */
function keyOf(seedOrKey: Seed | Key, trial: number | undefined, where: string): Key {
  if (typeof seedOrKey === 'number' || typeof seedOrKey === 'string') {
    if (typeof seedOrKey === 'number' && !Number.isFinite(seedOrKey))
      throw new ValidationError('seed', 'a finite number or a string', seedOrKey);
    return seedKeyOf({ seed: seedOrKey, trial }, 'options.');
  }
  if (typeof seedOrKey !== 'object' || seedOrKey === null)
    throw new ValidationError('seed', `a seed (a finite number or a string) or a Key { k0, k1 } (${where})`, seedOrKey);
  const key = checkKey('seed', seedOrKey);
  if (trial !== undefined)
    throw new ValidationError(
      'options.trial',
      `no trial with a raw Key (${where}; derive the trial's key with trialKey(seed, trial))`,
      trial,
    );
  return key;
}

/** Options of {@link normals} and {@link uniforms}. */
export interface DrawOptions {
  /** Stream id (u32; see {@link Streams}). @default 0 */
  stream?: number;
  /** First element index (u32). @default 0 */
  start?: number;
  /** Trial index: the key becomes `trialKey(seed, trial)` (only with a seed, not a raw Key). @default none */
  trial?: number;
}

/** Options of {@link NormalGenerator}. */
export interface NormalGeneratorOptions {
  /** Stream id (u32). @default Streams.sequence */
  stream?: number;
  /** Values per kernel call (buffer size, 8 bytes each), in [2, 2^24]. @default 4096 */
  capacity?: number;
  /** Trial index: the key becomes `trialKey(seed, trial)` (only with a seed, not a raw Key). @default none */
  trial?: number;
}

const DRAW_KEYS = optionKeys<DrawOptions>()(['stream', 'start', 'trial']);

/** Most values one call draws (2^25: a 256 MiB Float64Array, plus as much kernel memory for normals/uniforms). */
export const MAX_DRAWS = 2 ** 25;
const GENERATOR_KEYS = optionKeys<NormalGeneratorOptions>()(['stream', 'capacity', 'trial']);

/** Checks the arguments shared by normals/uniforms. */
function drawArgs(where: string, seed: Seed | Key, step: number, count: number, options: DrawOptions | undefined) {
  const o = strictOptions<DrawOptions>(where, 'options', options, DRAW_KEYS);
  const key = keyOf(seed, o.trial, where);
  checkInteger('step', step, 0, 0xffffffff);
  checkInteger('count', count, 0, MAX_DRAWS);
  const stream = checkInteger('options.stream', o.stream ?? 0, 0, 0xffffffff);
  const start = checkInteger('options.start', o.start ?? 0, 0, 0xffffffff);
  if (start + count > 0x100000000)
    throw new ValidationError('options.start', `a start with start + count ≤ 2^32 (count = ${count})`, start);
  return { key, stream, start };
}

/**
 * Normals for elements `start .. start+count-1` at step `step` of `stream`, computed by the
 * kernel. `seed` is a seed (number or string, with an optional `trial`) or a raw {@link Key}: the
 * draws are a pure function of (key, stream, element, step) — the frozen counter contract.
 * `count` ≤ 2^25 ({@link MAX_DRAWS}) per call; `start + count` ≤ 2^32.
 * @example
 * ```ts
 * const z = normals(42, 0, 1000, { stream: Streams.noise });
 * const zt = normals(42, 0, 1000, { trial: 3 }); // = normals(trialKey(42, 3), 0, 1000)
 * ```
 */
export function normals(seed: Seed | Key, step: number, count: number, options: DrawOptions = {}): Float64Array {
  const { key, stream, start } = drawArgs('normals', seed, step, count, options);
  const k = kernel();
  const ptr = k.alloc(Math.max(16, count * 8)) >>> 0;
  try {
    k.fillNormals(key.k0, key.k1, stream, step, start, count, ptr);
    return new Float64Array(k.memory.buffer, ptr, count).slice();
  } finally {
    k.free(ptr);
  }
}

/**
 * Uniforms in [0, 1) for elements `start .. start+count-1` at step `step` of `stream` (kernel);
 * `seed` as in {@link normals}.
 */
export function uniforms(seed: Seed | Key, step: number, count: number, options: DrawOptions = {}): Float64Array {
  const { key, stream, start } = drawArgs('uniforms', seed, step, count, options);
  const k = kernel();
  const ptr = k.alloc(Math.max(16, count * 8)) >>> 0;
  try {
    k.fillUniforms(key.k0, key.k1, stream, step, start, count, ptr);
    return new Float64Array(k.memory.buffer, ptr, count).slice();
  } finally {
    k.free(ptr);
  }
}

/** Saved position of a {@link NormalGenerator}. */
export interface GeneratorState {
  /** Philox key word 0 of the generator (u32). */
  k0: number;
  /** Philox key word 1 of the generator (u32). */
  k1: number;
  /** Stream id of the generator (u32, see `Streams`). */
  stream: number;

  /** Number of values drawn so far. */
  position: number;
}

/**
 * A sequential stream of standard normals backed by a kernel buffer: value number p of the
 * sequence is the normal of element `p mod 2^32` at step `floor(p / 2^32)`. Drawing 1000 values
 * at once or as 10 × 100 gives bit-identical output; {@link NormalGenerator.state} and
 * {@link NormalGenerator.restore} save and resume it.
 */
export class NormalGenerator extends KernelObject {
  readonly #key: Key;
  readonly #stream: number;
  #position = 0;
  readonly #buf: Region;
  readonly #capacity: number;

  /**
   * @param seed - user seed (number or string, with an optional `trial`) or a raw {@link Key}:
   *   the generator is its stream, so the seed is its one data argument
   * @param options - stream, capacity, trial; see {@link NormalGeneratorOptions}
   */
  constructor(seed: Seed | Key, options: NormalGeneratorOptions = {}) {
    super();
    const o = strictOptions<NormalGeneratorOptions>('NormalGenerator', 'options', options, GENERATOR_KEYS);
    this.#key = keyOf(seed, o.trial, 'NormalGenerator');
    this.#stream = checkInteger('options.stream', o.stream ?? Streams.sequence, 0, 0xffffffff);
    this.#capacity = checkInteger('options.capacity', o.capacity ?? 4096, 2, 1 << 24);
    this.#buf = this.allocate(this.#capacity * 8, 'rng.buffer');
  }

  /** Draws the next n normals (a copy), n ≤ 2^25 ({@link MAX_DRAWS}) per call. */
  next(n: number): Float64Array {
    this.assertLive();
    checkInteger('n', n, 0, MAX_DRAWS);
    const out = new Float64Array(n);
    const k = kernel();
    let done = 0;
    while (done < n) {
      const p = this.#position;
      const i = p % 0x100000000;
      const t = Math.floor(p / 0x100000000);
      const m = Math.min(n - done, this.#capacity, 0x100000000 - i);
      k.fillNormals(this.#key.k0, this.#key.k1, this.#stream, t, i, m, this.#buf.ptr);
      out.set(this.#buf.f64(0, m), done);
      done += m;
      this.#position += m;
    }
    return out;
  }

  /** The generator's position and key, JSON-serialisable. */
  state(): GeneratorState {
    return { k0: this.#key.k0, k1: this.#key.k1, stream: this.#stream, position: this.#position };
  }

  /** Resumes from a saved state (same key and stream required; position an integer in [0, 2^53)). */
  restore(s: GeneratorState): void {
    this.assertLive();
    if (typeof s !== 'object' || s === null) throw new ValidationError('state', 'a GeneratorState { k0, k1, stream, position }', s);
    if (s.k0 !== this.#key.k0 || s.k1 !== this.#key.k1 || s.stream !== this.#stream) {
      throw new ValidationError('state', `a state of this generator (key ${this.#key.k0}/${this.#key.k1}, stream ${this.#stream})`, s);
    }
    this.#position = checkInteger('state.position', s.position, 0);
  }
}
