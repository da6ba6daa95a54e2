import type { CrossCases } from './types.ts';

/** Cross-runtime cases of the lif module. */
export const cases: CrossCases = {};
