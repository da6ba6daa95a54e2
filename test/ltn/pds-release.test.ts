// Issue #16: `pdsSimulate(…, { method: 'event-driven' })` (then 'exact') looped forever on this
// network: at t = 0.18698 the release test of a clamped unit evaluated r = +1.26e-17, the piece
// rebuild computed the same quantity in another order as −1.18e-17, kept the unit clamped, and
// the release event re-fired at the same time until the event budget ran out (after ~125 s inside
// ltnStabilityReport, which then threw a 'blow-up' with index −1). The release is now decided with
// the event function's own expression. The reference below is an independent projected Euler
// loop written here (not the library's), checked for first-order convergence.
import { describe, expect, test } from 'vitest';
import { isPMatrix, ltnEquilibria, ltnStabilityReport, pdsSimulate, Streams, uniforms } from '../../src/index.js';

const Mrows = [
  [0.3233, 0.1523, 2.1927],
  [0.4643, 0.3087, 0.0018],
  [-0.1719, 1.2329, 0.9913],
];
const u = [1, 0.5, 1];
// D = I, W = I − M
const net = { d: [1, 1, 1], W: Mrows.map((r, i) => r.map((v, j) => (i === j ? 1 : 0) - v)), u };
// the start of the report's second trial (uniforms(0, …, stream init) scaled to [0, 2]³), the one
// the issue quotes rounded as (1.683, 0.00937, 1.795)
const X0 = [1.6832052519063023, 0.009368553277658842, 1.7954299107691762];

/** x ← max(0, x + h(u − Mx)) for round(T/h) steps: first order, stays in the orthant. */
function projectedEuler(x0: ArrayLike<number>, T: number, h: number, every: number): number[][] {
  const x = Array.from(x0);
  const out: number[][] = [x.slice()];
  const steps = Math.round(T / h);
  for (let s = 1; s <= steps; s++) {
    const f = [0, 1, 2].map((i) => u[i] - Mrows[i][0] * x[0] - Mrows[i][1] * x[1] - Mrows[i][2] * x[2]);
    for (let i = 0; i < 3; i++) x[i] = Math.max(0, x[i] + h * f[i]);
    if (s % every === 0) out.push(x.slice());
  }
  return out;
}

function maxGap(ref: number[][], x: Float64Array, stride: number): number {
  let g = 0;
  ref.forEach((r, k) => {
    for (let i = 0; i < 3; i++) g = Math.max(g, Math.abs(r[i] - x[k * stride * 3 + i]));
  });
  return g;
}

describe('PDS release events are decided by the event expression (issue #16)', () => {
  test('the reported start runs past t = 0.18698 with a handful of events and agrees with projected Euler', () => {
    const tr = pdsSimulate(net, X0, { duration: 5, sampleInterval: 0.05, method: 'event-driven', maxEvents: 1000 });
    expect(tr.time[tr.time.length - 1]).toBe(5);
    expect(tr.events).toBeGreaterThan(0);
    expect(tr.events).toBeLessThan(20);
    for (const v of tr.x) expect(v).toBeGreaterThanOrEqual(0);
    // samples every 0.05 vs projected Euler at h and h/2: the gap halves with h (order 1),
    // so the event-driven trajectory is the limit of the independent scheme
    const a = maxGap(projectedEuler(X0, 5, 2e-4, 250), tr.x, 1);
    const b = maxGap(projectedEuler(X0, 5, 1e-4, 500), tr.x, 1);
    expect(b).toBeLessThan(5e-4);
    expect(a / b).toBeGreaterThan(1.7);
    expect(a / b).toBeLessThan(2.3);
  });

  test('200 random starts in [0, 2]³: every run finishes and converges to projected Euler at order 1', () => {
    const r = uniforms(0, 0, 600, { stream: Streams.init });
    let worst = 0;
    for (let k = 0; k < 200; k++) {
      const x0 = [0, 1, 2].map((i) => 2 * r[3 * k + i]);
      const tr = pdsSimulate(net, x0, { duration: 5, sampleInterval: 0.05, method: 'event-driven', maxEvents: 1000 });
      expect(tr.events).toBeLessThan(20);
      const fin = (h: number) => projectedEuler(x0, 5, h, Math.round(5 / h)).at(-1) as number[];
      const a = Math.max(...fin(2e-4).map((v, i) => Math.abs(v - tr.final[i])));
      const b = Math.max(...fin(1e-4).map((v, i) => Math.abs(v - tr.final[i])));
      worst = Math.max(worst, b);
      if (a > 1e-7) {
        expect(a / b).toBeGreaterThan(1.7);
        expect(a / b).toBeLessThan(2.3);
      }
    }
    expect(worst).toBeLessThan(5e-4);
  });

  test('ltnStabilityReport on that network completes with the LCP equilibrium and the P-matrix test', () => {
    const rep = ltnStabilityReport(net);
    // M is a P-matrix: its smallest principal minor is the 2×2 one on {0, 1}
    const m01 = Mrows[0][0] * Mrows[1][1] - Mrows[0][1] * Mrows[1][0];
    expect(rep.pMatrix?.isP).toBe(true);
    expect(rep.pMatrix?.minMinor).toBeCloseTo(m01, 12);
    expect(isPMatrix(Mrows).witness).toEqual([0, 1]);
    // the unique equilibrium solves the LCP: x ≥ 0, Mx − u ≥ 0, x ⊥ (Mx − u)
    const x = rep.equilibrium as Float64Array;
    expect(ltnEquilibria(net).equilibria.length).toBe(1);
    for (let i = 0; i < 3; i++) {
      const w = Mrows[i][0] * x[0] + Mrows[i][1] * x[1] + Mrows[i][2] * x[2] - u[i];
      expect(x[i]).toBeGreaterThanOrEqual(0);
      expect(w).toBeGreaterThanOrEqual(-1e-12);
      expect(Math.abs(x[i] * w)).toBeLessThan(1e-12);
    }
    expect(rep.observedRate).not.toBeNull();
  });
});
