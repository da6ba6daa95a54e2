import { uniforms } from '../../src/index.js';

/** Deterministic uniform stream for tests: u(k) in [a, b). */
export function rng(seed: number) {
  const buf = uniforms(seed, 0, 100_000, { stream: 9 });
  let k = 0;
  return (a = 0, b = 1) => a + (b - a) * buf[k++];
}

/** The LDS example of the docs and example: heterogeneous d, asymmetric W, boundary equilibrium. */
export const LDS_NET = {
  d: [1, 3],
  W: [
    [0.2, -1.5],
    [1, 0.5],
  ],
  u: [1, -2],
};
/** x* of LDS_NET: unit 2 silent, x1 = u1/(d1 − w11) = 1/0.8. */
export const LDS_EQ = [1.25, 0];

/** P-matrix, not LDS (cyclic M = D − W with m13 = m21 = m32 = 3, unit diagonal): oscillates. */
export const CYCLIC_M = [
  [1, 0, 3],
  [3, 1, 0],
  [0, 3, 1],
];
export const CYCLIC_NET = {
  d: [1, 1.2, 0.9],
  W: [
    [0, 0, -3],
    [-3, 0.2, 0],
    [0, -3, -0.1],
  ],
  u: [1, 1, 1],
};

/** Max |a − b|. */
export function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** A random LDS network: strictly row-diagonally-dominant M = D − W with positive diagonal. */
export function randomLdsNet(r: ReturnType<typeof rng>, n: number) {
  const d = Array.from({ length: n }, () => r(0.5, 3));
  const W = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? r(-0.5, 0.3) * d[i] : r(-1, 1))));
  for (let i = 0; i < n; i++) {
    let off = 0;
    for (let j = 0; j < n; j++) if (j !== i) off += Math.abs(W[i][j]);
    const margin = d[i] - W[i][i];
    if (off >= 0.8 * margin) for (let j = 0; j < n; j++) if (j !== i) W[i][j] *= (0.8 * margin) / off;
  }
  const u = Array.from({ length: n }, () => r(-1, 2));
  return { d, W, u };
}
