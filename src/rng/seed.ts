/**
 * Seeds and keys. A user seed (number or string) becomes a 64-bit Philox key through
 * `seedrandom`; trial keys are derived from it with Philox itself, so a trial's draws are a pure
 * function of (seed, trial, stream, index, step).
 * @packageDocumentation
 */
import seedrandom from 'seedrandom';
import { strictOptions } from '../contract/options.js';
import { ValidationError } from '../kernel/errors.js';
import { philox4x32 } from './reference.js';

/** A user seed: a finite number or a string. */
export type Seed = number | string;

/** A 64-bit Philox key as two unsigned 32-bit words. */
export interface Key {
  /** Key word 0 (unsigned 32-bit integer). */
  k0: number;
  /** Key word 1 (unsigned 32-bit integer). */
  k1: number;
}

/**
 * Key of a user seed: the first two 32-bit outputs of `seedrandom(String(seed))` (ARC4).
 * Numbers and their decimal strings give the same key (`7` and `"7"`).
 */
export function seedToKey(seed: Seed): Key {
  if (typeof seed === 'number') {
    if (!Number.isFinite(seed)) throw new ValidationError('seed', 'a finite number or a string', seed);
  } else if (typeof seed !== 'string') throw new ValidationError('seed', 'a finite number or a string', seed);
  const r = seedrandom(String(seed));
  return { k0: r.int32() >>> 0, k1: r.int32() >>> 0 };
}

const KEYD = 0x6b657964; // "keyd": the derivation stream, never used for draws

/**
 * Checks a raw {@link Key}: an object whose `k0` and `k1` are integers in [0, 2^32). `{}` or
 * `{ k0: -1 }` is a {@link ValidationError}, never a silent key (0, 0).
 */
export function checkKey(name: string, key: unknown): Key {
  if (typeof key !== 'object' || key === null || Array.isArray(key)) throw new ValidationError(name, 'a Key { k0, k1 }', key);
  const k = key as Key;
  for (const w of ['k0', 'k1'] as const) {
    const v = k[w];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 0xffffffff)
      throw new ValidationError(`${name}.${w}`, 'an integer in [0, 4294967295] (a Key word)', v);
  }
  return { k0: k.k0, k1: k.k1 };
}

/** Key of sub-key (a, b) of `key`: words 0-1 of Philox block (a, b, 0, "keyd") under `key`; a, b integers in [0, 2^32). */
export function deriveKey(key: Key, a: number, b = 0): Key {
  const k = checkKey('key', key);
  for (const [name, v] of [
    ['a', a],
    ['b', b],
  ] as const)
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 0xffffffff)
      throw new ValidationError(name, 'an integer in [0, 4294967295]', v);
  const w = philox4x32(a >>> 0, b >>> 0, 0, KEYD, k.k0, k.k1);
  return { k0: w[0], k1: w[1] };
}

/** Key of trial `trial` of a study seeded with `seed`. */
export function trialKey(seed: Seed, trial: number): Key {
  if (!Number.isInteger(trial) || trial < 0 || trial > 0xffffffff)
    throw new ValidationError('trial', 'an integer in [0, 4294967295]', trial);
  return deriveKey(seedToKey(seed), trial, 0x7472);
}

/**
 * The seed options every randomised entry point takes (docs/guides/conventions.md): the same two
 * names with the same meaning in every family.
 */
export interface SeedOptions {
  /** User seed (number or string; `7` and `"7"` are the same seed). @default 0 */
  seed?: Seed;
  /**
   * Trial index: the random key becomes `trialKey(seed, trial)`, so trials of one study draw
   * independent streams that do not depend on how trials are sharded. Omit for `seedToKey(seed)`.
   */
  trial?: number;
}

/** The keys of {@link SeedOptions}, for strict option checks. */
export const SEED_OPTION_KEYS = ['seed', 'trial'] as const;

/**
 * The key of `{ seed, trial }` under the one seed convention: `seedToKey(seed)` without a trial,
 * `trialKey(seed, trial)` with one; `seed` defaults to 0. Strict: any other key is a
 * `ValidationError` with a suggestion (`keyOfSeed({ sed: 1 })` → did you mean 'seed'?).
 * @example
 * ```ts
 * keyOfSeed({ seed: 'study', trial: 3 }); // = trialKey('study', 3)
 * ```
 */
export function keyOfSeed(options: SeedOptions): Key {
  return seedKeyOf(strictOptions<SeedOptions>('keyOfSeed', 'options', options, SEED_OPTION_KEYS));
}

/**
 * {@link keyOfSeed} on the `seed` and `trial` of a larger options object (other keys are the
 * caller's to check). Argument names in errors are prefixed with `prefix` (e.g. `'options.'`).
 * @internal
 */
export function seedKeyOf(o: SeedOptions, prefix = ''): Key {
  if (typeof o !== 'object' || o === null || Array.isArray(o))
    throw new ValidationError(prefix ? prefix.replace(/\.$/, '') : 'options', 'an object { seed?, trial? }', o);
  const seed = o.seed ?? 0;
  if (typeof seed === 'number' ? !Number.isFinite(seed) : typeof seed !== 'string')
    throw new ValidationError(`${prefix}seed`, 'a finite number or a string', seed);
  if (o.trial === undefined) return seedToKey(seed);
  if (!Number.isInteger(o.trial) || o.trial < 0 || o.trial > 0xffffffff)
    throw new ValidationError(`${prefix}trial`, 'an integer in [0, 4294967295]', o.trial);
  return trialKey(seed, o.trial);
}
