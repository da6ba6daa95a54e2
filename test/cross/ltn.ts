import type { CrossCases } from './types.ts';

/** Cross-runtime cases of the ltn module. */
export const cases: CrossCases = {};
