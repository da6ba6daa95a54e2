// A cross-runtime case computes a fingerprint (see `fingerprint`) of a deterministic result from
// the library passed in. Node (vitest), Deno (the built package) and Chromium (the built
// package) each run every case; the fingerprints must be identical.
import type * as ND from '../../src/index.js';

export type Lib = typeof ND;
export type CrossCase = (nd: Lib) => string | Promise<string>;
export type CrossCases = Record<string, CrossCase>;
