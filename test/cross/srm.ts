import type { CrossCases } from './types.ts';

/** Cross-runtime cases of the srm module. */
export const cases: CrossCases = {};
