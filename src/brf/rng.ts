/**
 * The random draws of the brf module, in one place: counter-based Philox uniforms and normals
 * under keys derived from the user's `{ seed, trial }` (one seed convention,
 * docs/guides/conventions.md §5). Internal.
 * @packageDocumentation
 */
import { normals, uniforms } from '../rng/index.js';
import { deriveKey, type Key, type SeedOptions, seedKeyOf } from '../rng/seed.js';

export { Streams } from '../rng/index.js';

/** The key of `{ seed, trial }` for one purpose `tag` of the brf module (argument names prefixed with `prefix`). */
export function brfKey(o: SeedOptions, tag: number, sub = 0, prefix = ''): Key {
  return deriveKey(seedKeyOf(o, prefix), tag, sub);
}

/** `n` uniforms in [0, 1) at (key, step, stream), starting at element `start`. */
export function brfUniforms(key: Key, step: number, n: number, stream: number, start = 0): Float64Array {
  return uniforms(key, step, n, { stream, start });
}

/** `n` standard normals at (key, step, stream), starting at element `start`. */
export function brfNormals(key: Key, step: number, n: number, stream: number, start = 0): Float64Array {
  return normals(key, step, n, { stream, start });
}
