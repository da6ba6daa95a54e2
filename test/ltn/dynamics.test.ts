import { describe, expect, test } from 'vitest';
import {
  AbortedError,
  kernelMemory,
  LtnBatch,
  lcsSimulate,
  ldsTest,
  ltnMaxStableStep,
  ltnReference,
  ltnSimulate,
  NumericalError,
  type Progress,
  pdsSimulate,
  ValidationError,
} from '../../src/index.js';
import { LDS_NET, maxDiff } from './helpers.js';

// n = 1, always active (s = 0.5x + 3 > 0 for x ≥ 0): ẋ = −1.5x + 3, x(t) = 2(1 − e^{−1.5t})
const ONE = { d: [2], W: [[0.5]], u: [3] };
const exact1 = (t: number) => 2 * (1 - Math.exp(-1.5 * t));

describe('integrators against closed forms', () => {
  test('Euler is order 1, RK4 order 4, dopri5 and event-driven meet their tolerances', () => {
    const err = (method: 'euler' | 'rk4', dt: number) => Math.abs(ltnSimulate(ONE, [0], { duration: 2, dt, method }).final[0] - exact1(2));
    const e1 = err('euler', 0.01);
    const e2 = err('euler', 0.005);
    expect(Math.log2(e1 / e2)).toBeGreaterThan(0.95);
    expect(Math.log2(e1 / e2)).toBeLessThan(1.05);
    const r1 = err('rk4', 0.1);
    const r2 = err('rk4', 0.05);
    expect(Math.log2(r1 / r2)).toBeGreaterThan(3.8);
    expect(Math.log2(r1 / r2)).toBeLessThan(4.2);
    const dp = ltnSimulate(ONE, [0], { duration: 2, method: 'dopri5', rtol: 1e-10, atol: 1e-12, sampleInterval: 0.25 });
    for (let k = 0; k < dp.time.length; k++) expect(Math.abs(dp.x[k] - exact1(dp.time[k]))).toBeLessThan(1e-9);
    const ex = ltnSimulate(ONE, [0], { duration: 2, method: 'event-driven', sampleInterval: 0.25 });
    for (let k = 0; k < ex.time.length; k++) expect(Math.abs(ex.x[k] - exact1(ex.time[k]))).toBeLessThan(1e-14);
  });

  test('time-varying input u(t) = 2 + sin t (closed form of the linear ODE)', () => {
    // ẋ = −a x + 2 + sin t, a = 1.5, x(0) = 0: x = 2/a + (a sin t − cos t)/(a²+1) + C e^{−at}
    const a = 1.5;
    const C = -(2 / a) + 1 / (a * a + 1);
    const xt = (t: number) => 2 / a + (a * Math.sin(t) - Math.cos(t)) / (a * a + 1) + C * Math.exp(-a * t);
    const net = { d: [2], W: [[0.5]], u: (t: number) => [2 + Math.sin(t)] };
    const rk = ltnSimulate(net, [0], { duration: 5, dt: 1e-3, method: 'rk4' });
    const dp = ltnSimulate(net, [0], { duration: 5, method: 'dopri5', rtol: 1e-10, atol: 1e-12 });
    expect(Math.abs(rk.final[0] - xt(5))).toBeLessThan(1e-11);
    expect(Math.abs(dp.final[0] - xt(5))).toBeLessThan(1e-8);
    expect(() => ltnSimulate(net, [0], { duration: 1, method: 'event-driven' })).toThrow(ValidationError);
    // the PDS (x stays > 0, so Π is the identity) and the LCS accept u(t) too
    const pe = pdsSimulate(net, [0.5], { duration: 5, dt: 1e-4 });
    expect(pe.method).toBe('projected-euler');
    expect(Math.abs(pe.final[0] - (xt(5) + (0.5 - xt(0)) * Math.exp(-a * 5)))).toBeLessThan(1e-4);
    const lc1 = lcsSimulate({ d: [2], W: [[0.5]], u: () => [3] }, [0.2], { duration: 2, dt: 1e-3 });
    const lc2 = lcsSimulate(ONE, [0.2], { duration: 2, dt: 1e-3 });
    expect(lc1.final).toEqual(lc2.final);
  });

  test('event-driven piecewise-linear integration agrees with dopri5 through switching events', () => {
    const net = {
      d: [1, 1.5, 0.7],
      W: [
        [0, -1.2, 0.5],
        [0.8, 0, -1],
        [-0.6, 0.9, 0],
      ],
      u: [1, -0.2, 0.3],
    };
    const ex = ltnSimulate(net, [0, 2, 0.1], { duration: 15, method: 'event-driven', sampleInterval: 0.05 });
    const dp = ltnSimulate(net, [0, 2, 0.1], { duration: 15, method: 'dopri5', sampleInterval: 0.05, rtol: 1e-11, atol: 1e-13 });
    expect(ex.events).toBeGreaterThan(0);
    expect(maxDiff(ex.x, dp.x)).toBeLessThan(1e-8);
  });

  test('stability check: Euler/RK4 refuse a step outside the linear stability region', () => {
    // n = 1: spectrum {−(d − w)} = {−1.5} and {−γd} = {−2}: Euler needs h ≤ 2/2 = 1, RK4 h ≤ 2.785/2
    expect(ltnMaxStableStep(ONE, { method: 'euler' })).toBeCloseTo(1, 6);
    expect(ltnMaxStableStep(ONE, { method: 'rk4' })).toBeCloseTo(2.785293563405282 / 2, 3);
    try {
      ltnSimulate(ONE, [0], { duration: 10, dt: 1.2, method: 'euler' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ValidationError);
      expect((e as ValidationError).argument).toBe('options.dt');
    }
    expect(() => ltnSimulate(ONE, [0], { duration: 10, dt: 1.2, method: 'euler', checkStability: false })).not.toThrow();
  });

  test('lightly damped network: Euler beyond the bound (check off) shows a fake oscillation, RK4 inside converges', () => {
    // M = [[0.05, 1], [−1, 0.05]] (eigenvalues 0.05 ± i): Euler needs h < 2·0.05/1.0025 ≈ 0.0998
    const net = {
      d: [1, 1],
      W: [
        [0.95, -1],
        [1, 0.95],
      ],
      u: [5, -5],
    }; // x* ≈ (5.24, 4.74), interior
    const hmax = ltnMaxStableStep(net, { method: 'euler' });
    expect(hmax).toBeCloseTo((2 * 0.05) / (0.05 * 0.05 + 1), 2);
    const bad = ltnSimulate(net, [2, 2], { duration: 400, dt: 0.2, method: 'euler', checkStability: false, sampleInterval: 1 });
    const good = ltnSimulate(net, [2, 2], { duration: 400, dt: 0.05, method: 'rk4', sampleInterval: 1 });
    const spread = (tr: typeof bad) => {
      let lo = Infinity;
      let hi = -Infinity;
      for (let k = tr.time.length - 50; k < tr.time.length; k++) {
        lo = Math.min(lo, tr.x[2 * k]);
        hi = Math.max(hi, tr.x[2 * k]);
      }
      return hi - lo;
    };
    expect(spread(bad)).toBeGreaterThan(0.5);
    expect(spread(good)).toBeLessThan(1e-6);
  });

  test('PDS: projected Euler converges at order 1 to the event-driven piecewise-linear PDS', () => {
    const ex = pdsSimulate(LDS_NET, [0.2, 1.5], { duration: 3, method: 'event-driven', sampleInterval: 0.5 });
    expect(ex.events).toBeGreaterThan(0);
    const e = (dt: number) =>
      maxDiff(pdsSimulate(LDS_NET, [0.2, 1.5], { duration: 3, method: 'projected-euler', dt, sampleInterval: 0.5 }).x, ex.x);
    const a = e(2e-3);
    const b = e(1e-3);
    expect(a).toBeLessThan(2e-3);
    expect(Math.log2(a / b)).toBeGreaterThan(0.9);
    expect(Math.log2(a / b)).toBeLessThan(1.1);
    for (let k = 0; k < ex.x.length; k++) expect(ex.x[k]).toBeGreaterThanOrEqual(0);
  });

  test('slow limit: LTN_γ in slow time s = γt approaches the complementarity system as γ → 0', () => {
    const dur = 3;
    const lcs = lcsSimulate(LDS_NET, [0.2, 1.5], { duration: dur, dt: 2e-4, sampleInterval: 0.1 });
    const gap = (g: number) =>
      maxDiff(ltnSimulate(LDS_NET, [0.2, 1.5], { duration: dur / g, gamma: g, method: 'event-driven', sampleInterval: 0.1 / g }).x, lcs.x);
    const g1 = gap(0.1);
    const g2 = gap(0.01);
    const g3 = gap(0.001);
    expect(g2).toBeLessThan(g1 / 5);
    expect(g3).toBeLessThan(g2);
    expect(g3).toBeLessThan(3e-3); // the LCS step (first order) dominates here
  });
});

test('onProgress gets the one Progress type and reaches done = total; an aborted signal stops ltnSimulate and LtnBatch.run', () => {
  const seen: Progress[] = [];
  ltnSimulate(ONE, [0], { duration: 50, dt: 1e-3, method: 'rk4', sampleInterval: 0.01, onProgress: (p) => seen.push(p) });
  expect(seen.length).toBeGreaterThan(2);
  const last = seen[seen.length - 1];
  // 50 / 1e-3 steps, counted as steps, model time reported (dimensionless)
  expect(last).toMatchObject({ done: 50_000, total: 50_000, unit: 'step', fraction: 1, time: 50 });
  for (let k = 1; k < seen.length; k++) expect(seen[k].done).toBeGreaterThanOrEqual(seen[k - 1].done);
  const ac = new AbortController();
  ac.abort();
  expect(() => ltnSimulate(ONE, [0], { duration: 50, dt: 1e-3, method: 'rk4', sampleInterval: 0.01, signal: ac.signal })).toThrow(
    AbortedError,
  );
  using b = new LtnBatch(ONE, [[0]], { dt: 0.01 });
  expect(() => b.run(10, { signal: ac.signal })).toThrow(AbortedError);
});

describe('WASM batch integration', () => {
  const starts = [
    [0, 0],
    [2, 1],
    [0.3, 3],
    [-1, 0.5],
    [1.5, 0.2],
  ]; // odd count: two f64x2 pairs and one scalar trajectory
  test('bit-identical to the plain-TS reference loop, and independent of chunking', () => {
    for (const [method, code] of [
      ['euler', 0],
      ['rk4', 1],
      ['pds', 2],
    ] as const) {
      expect(ltnReference.LtnBatchMethod[method === 'pds' ? 'pdsProjectedEuler' : method]).toBe(code);
      const xs = method === 'pds' ? starts.map((r) => r.map((v) => Math.max(0, v))) : starts;
      const b = new LtnBatch(LDS_NET, xs, { dt: 0.01, method, gamma: [1, 2, 10, 0.5, 3] });
      b.run(3);
      const ref = Float64Array.from(xs.flat());
      ltnReference.ltnBatchRunReference({
        n: 2,
        m: 5,
        d: Float64Array.from(LDS_NET.d),
        w: Float64Array.from(LDS_NET.W.flat()),
        u: Float64Array.from(LDS_NET.u),
        gammas: Float64Array.from([1, 2, 10, 0.5, 3]),
        x: ref,
        dt: 0.01,
        steps: 300,
        method,
      });
      expect(b.stateArray()).toEqual(ref);
      const c = new LtnBatch(LDS_NET, xs, { dt: 0.01, method, gamma: [1, 2, 10, 0.5, 3] });
      c.run(1).run(0.5).run(1.5);
      expect(c.stateArray()).toEqual(b.stateArray());
      b.dispose();
      c.dispose();
    }
  });

  test('per-trajectory inputs; NumericalError on blow-up; no leaked kernel memory', () => {
    const before = kernelMemory();
    for (let k = 0; k < 5; k++)
      ldsTest([
        [1, 2],
        [0, 1],
      ]);
    for (let k = 0; k < 20; k++) {
      using b = new LtnBatch(ONE, [[0], [0]], { dt: 0.01, method: 'rk4', inputs: [[3], [6]] });
      b.run(20);
      const s = b.stateArray();
      expect(s[0]).toBeCloseTo(2, 12);
      expect(s[1]).toBeCloseTo(4, 12);
    }
    const blow = new LtnBatch({ d: [1], W: [[0]], u: [1] }, [[2]], { dt: 50, method: 'euler', checkStability: false });
    expect(() => blow.run(50 * 1000)).toThrow(NumericalError);
    blow.dispose();
    // second lane of an f64x2 pair blows up: the error names trajectory 1 (index k·n + i = 1)
    const pair = new LtnBatch({ d: [1], W: [[0]], u: [1] }, [[1], [2]], { dt: 50, method: 'euler', checkStability: false });
    try {
      pair.run(50 * 1000);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(NumericalError);
      expect((e as NumericalError).index).toBe(1);
      expect(pair.stateArray()[0]).toBe(1); // lane 0 sits at its fixed point
    }
    pair.dispose();
    const after = kernelMemory();
    expect(after.regions).toBe(before.regions);
    expect(after.bytes).toBe(before.bytes);
  });
});
