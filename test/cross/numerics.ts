import type { CrossCases } from './types.ts';

/** Cross-runtime cases of the numerics module. */
export const cases: CrossCases = {};
