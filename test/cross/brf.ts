import type { CrossCases } from './types.ts';

/** Cross-runtime cases of the brf module. */
export const cases: CrossCases = {};
