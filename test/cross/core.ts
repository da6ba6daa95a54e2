import type { CrossCases } from './types.ts';

export const cases: CrossCases = {
  'rng: 10^6 normals (seed 42)': (nd) => nd.fingerprint(nd.normals(42, 0, 1_000_000)),
  'rng: 10^5 uniforms (seed "x", stream 3, step 7)': (nd) => nd.fingerprint(nd.uniforms('x', 7, 100_000, { stream: 3 })),
  'rng: trial keys': (nd) => nd.fingerprint([0, 1, 2, 3].flatMap((t) => Object.values(nd.trialKey('study', t)))),
};
