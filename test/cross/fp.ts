import type { CrossCases } from './types.ts';

/** Cross-runtime cases of the fp module. */
export const cases: CrossCases = {};
