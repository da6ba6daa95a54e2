/** Worker-pool tasks of the ltn module (listed in src/tasks.ts). */
import type { TaskTable } from '../parallel/types.js';
import { normals, Streams, uniforms } from '../rng/index.js';
import { type Seed, seedKeyOf } from '../rng/seed.js';
import { ltnGammaGap } from './analysis.js';
import { ltnSimulate } from './dynamics.js';
import { isPMatrix, ldsTest } from './matrix.js';
import type { LtnNetworkSpec } from './network.js';

interface Input<P> {
  seed: Seed;
  trial: number;
  params: P;
}

/**
 * Random network of trial `trial`: d_i ~ U[0.5, 2], W_ij ~ N(0, scale²/n) (W_ii included),
 * u_i ~ U[0, 1]; drawn from keyOfSeed({ seed, trial }) = trialKey(seed, trial), streams `connectivity` (W) and `init` (d, u).
 * @internal
 */
export function ltnRandomNetwork(seed: Seed, trial: number, n: number, scale: number): { d: number[]; W: number[][]; u: number[] } {
  const key = seedKeyOf({ seed, trial });
  const z = normals(key, 0, n * n, { stream: Streams.connectivity });
  const r = uniforms(key, 0, 2 * n, { stream: Streams.init });
  const d = Array.from({ length: n }, (_, i) => 0.5 + 1.5 * r[i]);
  const W = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (scale * z[i * n + j]) / Math.sqrt(n)));
  const u = Array.from({ length: n }, (_, i) => r[n + i]);
  return { d, W, u };
}

/** @internal */
export const tasks: TaskTable = {
  /** Gap sup_t ‖x_γ − x_PDS‖_∞ for γ = params.gammas[trial] (event-driven integration). */
  'ltn.gammaSweep': (input: Input<{ net: LtnNetworkSpec; x0: number[]; gammas: number[]; duration?: number }>) => {
    const g = input.params.gammas[input.trial];
    const r = ltnGammaGap(input.params.net, input.params.x0, [g], { duration: input.params.duration ?? 10 });
    return { gamma: g, gap: r.gaps[0] };
  },
  /**
   * Random network of the trial: P-matrix test, LDS verdict and margin of D − W, and whether the
   * LTN (dopri5) from x0 = 0 settles (‖ẋ‖ small over the last tenth of the run).
   */
  'ltn.randomNetwork': (input: Input<{ n: number; scale: number; duration?: number; ldsIterations?: number }>) => {
    const { n, scale } = input.params;
    const net = ltnRandomNetwork(input.seed, input.trial, n, scale);
    const M = net.W.map((row, i) => row.map((w, j) => (i === j ? net.d[i] : 0) - w));
    const p = isPMatrix(M);
    const lds = ldsTest(M, { iterations: input.params.ldsIterations ?? 2000 });
    const duration = input.params.duration ?? 40;
    const tr = ltnSimulate(net, new Float64Array(n), {
      duration,
      sampleInterval: duration / 100,
      method: 'dopri5',
      rtol: 1e-8,
      atol: 1e-10,
    });
    let spread = 0;
    for (let s = 90; s < tr.time.length; s++)
      for (let i = 0; i < n; i++) spread = Math.max(spread, Math.abs(tr.x[s * n + i] - tr.final[i]));
    return {
      isP: p.isP,
      verdict: lds.verdict,
      margin: lds.margin,
      upperBound: lds.upperBound,
      settled: spread < 1e-6 * (1 + Math.max(...Array.from(tr.final, Math.abs))),
      final: Array.from(tr.final),
    };
  },
};
