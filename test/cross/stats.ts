import type { CrossCases } from './types.ts';

/** Cross-runtime cases of the stats module. */
export const cases: CrossCases = {};
