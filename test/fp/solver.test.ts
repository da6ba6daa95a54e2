// The time-dependent (v, w) solver against conservation laws, the explicit stationary formula
// (seed 001 eq. (20); 0.1199759652 for a = 1, V_F = 2, V_R = 1 computed independently with scipy),
// the semi-explicit stationary states (eq. (28)) and the blow-up dichotomy (Section 2.1).
import { describe, expect, test } from 'vitest';
import {
  FokkerPlanckSolver,
  fpGaussianDensity,
  fpStationaryStates,
  kernelMemory,
  NumericalError,
  ValidationError,
} from '../../src/index.js';

const N_EXACT = 0.1199759652391049; // scipy: 1/(√π ∫_{1/√2}^{√2} erfcx(−x) dx)
const oneW = (nv: number, vMin = -7) => ({ vMin, vReset: 1, vThreshold: 2, nv, wMin: -0.05, wMax: 0.05, nw: 1 });

/** max_j |p_j − q_j| / max_j |p_j|: the agreement of two densities relative to their size. */
function maxRelDiff(p: ArrayLike<number>, q: ArrayLike<number>): number {
  let worst = 0;
  let top = 0;
  for (let j = 0; j < p.length; j++) {
    worst = Math.max(worst, Math.abs(p[j] - q[j]));
    top = Math.max(top, Math.abs(p[j]));
  }
  return worst / top;
}

describe('FokkerPlanckSolver: conservation and positivity', () => {
  test('mass conserved to 1e-12 and p >= 0 over 4000 steps with learning (semi-implicit v, explicit w)', () => {
    const grid = { vMin: -4, vReset: 0, vThreshold: 1, nv: 100, wMin: -1.2, wMax: 0.2, nw: 70 };
    const p0 = fpGaussianDensity(grid, { H: (w) => (w > -1 && w < 0 ? 1 : 0), mean: 0, sd: 0.4 });
    const fp = new FokkerPlanckSolver({
      grid,
      a: 1,
      dt: 0.01,
      input: (t, w) => w.map((x) => 1.5 * Math.exp(-((x + 0.5) ** 2) / 0.01) * (1 + 0.5 * Math.sin(t))),
      initial: p0,
      learning: { rule: 'hebbian', epsilon: 0.5, nu: 0.001 },
    });
    let worst = 0;
    for (let j = 0; j < 8; j++) {
      fp.run(5);
      worst = Math.max(worst, Math.abs(fp.mass() - 1));
      expect(fp.minDensity()).toBeGreaterThanOrEqual(0);
    }
    expect(fp.step).toBe(4000);
    expect(worst).toBeLessThan(1e-12);
    fp.dispose();
  });

  test('stiff steps (dt = 5, dt·a/h² = 6e4): p >= 0 and mass kept, implicit w-step too', () => {
    const grid = { vMin: -4, vReset: 0, vThreshold: 1, nv: 500, wMin: -1, wMax: 0, nw: 8 };
    const fp = new FokkerPlanckSolver({
      grid,
      a: 1,
      dt: 5,
      input: 0.5,
      initial: fpGaussianDensity(grid, { mean: 0.9, sd: 0.02 }),
      learning: { rule: 'hebbian', epsilon: 1, nu: 0.01 },
      wScheme: 'implicit',
    });
    fp.run(200);
    expect(fp.minDensity()).toBeGreaterThanOrEqual(0);
    expect(Math.abs(fp.mass() - 1)).toBeLessThan(1e-12);
    fp.dispose();
  });
});

describe('FokkerPlanckSolver: stationary rate (one weight, b = 0)', () => {
  test('converges to N = 0.1199759652 with second-order grid convergence', () => {
    const errs: number[] = [];
    for (const nv of [90, 180, 360, 720]) {
      const fp = new FokkerPlanckSolver({
        grid: oneW(nv),
        a: 1,
        dt: 0.02,
        input: 0,
        initial: fpGaussianDensity(oneW(nv), { mean: 0, sd: 0.5 }),
      });
      fp.run(30);
      errs.push(Math.abs(fp.nbar - N_EXACT)); // one w-cell holding all the mass: N̄ = the single-population rate
      fp.dispose();
    }
    console.log('stationary-rate error vs nv = 90, 180, 360, 720:', errs.map((e) => e.toExponential(2)).join(', '));
    for (let j = 1; j < errs.length; j++) expect(errs[j - 1] / errs[j]).toBeGreaterThan(3.5);
    expect(errs[3]).toBeLessThan(2e-6);
  });

  test('explicit mode agrees with the semi-implicit one and enforces its stability bound', () => {
    const g = oneW(140, -5);
    const p0 = fpGaussianDensity(g, { mean: 0, sd: 0.5 });
    const h = 7 / 140;
    const dtOk = (0.4 * h * h) / 1;
    const a = new FokkerPlanckSolver({ grid: g, a: 1, dt: dtOk, input: 0, initial: p0, vScheme: 'explicit' });
    const b = new FokkerPlanckSolver({ grid: g, a: 1, dt: dtOk, input: 0, initial: p0 });
    a.run(2);
    b.run(2);
    expect(Math.abs(a.nbar - b.nbar) / b.nbar).toBeLessThan(1e-2);
    expect(Math.abs(a.mass() - 1)).toBeLessThan(1e-13);
    const bad = new FokkerPlanckSolver({ grid: g, a: 1, dt: 2 * h * h, input: 0, initial: p0, vScheme: 'explicit' });
    let err: unknown;
    try {
      bad.run(1);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(NumericalError);
    expect((err as NumericalError).kind).toBe('cfl');
    expect((err as Error).message).toMatch(/dt must be <=/);
    for (const s of [a, b, bad]) s.dispose();
  });
});

describe('FokkerPlanckSolver: structured stationary states', () => {
  test('PDE stationary N(w) matches the semi-explicit fixed point (eq. (28)) within grid error', () => {
    const grid = { vMin: -6, vReset: 1, vThreshold: 2, nv: 480, wMin: -1, wMax: 0, nw: 10 };
    const H = (w: number) => 1 + w; // triangular, inhibitory
    const I = (w: number) => 1.2 * Math.exp(-((w + 0.5) ** 2) / 0.05);
    const fp = new FokkerPlanckSolver({
      grid,
      a: 1,
      dt: 0.02,
      input: (_t, w) => w.map(I),
      initial: fpGaussianDensity(grid, { H: H, mean: 0, sd: 0.5 }),
    });
    fp.run(40);
    const w = fp.grid.w;
    const th = fpStationaryStates({ a: 1, vReset: 1, vThreshold: 2, w, dw: 0.1, H: fp.weightDistribution(), input: w.map(I) });
    expect(th.states).toHaveLength(1); // inhibitory: unique
    expect(th.complete).toBe(true);
    const s0 = th.states[0];
    expect(Math.abs(fp.nbar - s0.nbar) / s0.nbar).toBeLessThan(5e-5);
    const N = fp.rates();
    for (let k = 0; k < 10; k++) expect(Math.abs(N[k] - s0.N[k]) / s0.N[k]).toBeLessThan(5e-5);
    fp.dispose();
  });
});

describe('FokkerPlanckSolver: blow-up', () => {
  const grid = { vMin: -3, vReset: 1, vThreshold: 2, nv: 150, wMin: 2.9, wMax: 3.1, nw: 1 };
  const near = fpGaussianDensity(grid, { mean: 1.9, sd: 0.05 });
  test('excitatory data concentrated near V_F blow up (typed error with its time, state kept)', () => {
    const fp = new FokkerPlanckSolver({ grid, a: 1, dt: 1e-3, input: 0, initial: near });
    let err: unknown;
    try {
      fp.run(5);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(NumericalError);
    const e = err as NumericalError;
    expect(e.kind).toBe('blow-up');
    expect(e.time).toBeGreaterThan(0);
    expect(e.time).toBeLessThan(1);
    expect(fp.blowUp?.time).toBe(e.time);
    expect(Math.abs(fp.mass() - 1)).toBeLessThan(1e-12); // the last good state is kept
    expect(fp.minDensity()).toBeGreaterThanOrEqual(0);
    fp.dispose();
    const stop = new FokkerPlanckSolver({ grid, a: 1, dt: 1e-3, input: 0, initial: near, onBlowUp: 'stop' });
    const r = stop.run(5);
    expect(r.blowUp?.time).toBe(e.time);
    // a stopped solver does nothing more and keeps reporting the blow-up
    const again = stop.run(1);
    expect(again.steps).toBe(0);
    expect(again.blowUp).toEqual(r.blowUp);
    stop.dispose();
  });
  test('inhibitory (same data, w = −3) and saturating σ do not blow up', () => {
    const inh = { ...grid, wMin: -3.1, wMax: -2.9 };
    const fp = new FokkerPlanckSolver({ grid: inh, a: 1, dt: 1e-3, input: 0, initial: fpGaussianDensity(inh, { mean: 1.9, sd: 0.05 }) });
    expect(fp.run(5).blowUp).toBeNull();
    expect(Number.isFinite(fp.nbar)).toBe(true);
    const sat = new FokkerPlanckSolver({ grid, a: 1, dt: 1e-3, input: 0, initial: near, response: { kind: 'tanh', max: 1 } });
    expect(sat.run(5).blowUp).toBeNull();
    fp.dispose();
    sat.dispose();
  });
});

describe('FokkerPlanckSolver: validation and memory', () => {
  const grid = { vMin: -4, vReset: 1, vThreshold: 2, nv: 60, wMin: -1, wMax: 0, nw: 4 };
  const p0 = fpGaussianDensity(grid, { mean: 0, sd: 0.5 });
  const make = (o: Record<string, unknown>) => () => new FokkerPlanckSolver({ grid, a: 1, dt: 0.01, input: 0, initial: p0, ...o });
  test.each([
    ['grid.vReset', { grid: { ...grid, vReset: 1.03 } }],
    ['grid.vMin', { grid: { ...grid, vMin: 1.5 } }],
    ['a', { a: 0 }],
    ['a', { a: -1 }],
    ['dt', { dt: Number.NaN }],
    ['learning.epsilon', { learning: { rule: 'hebbian', epsilon: 0 } }],
    ['learning.epsilon', { learning: { rule: 'hebbian', epsilon: -1 } }],
    ['input[2]', { input: [0, 0, Number.NaN, 0] }],
    ['input(0, w)[1]', { input: () => [0, Number.POSITIVE_INFINITY, 0, 0] }],
    ['initial[3]', { initial: Object.assign(p0.slice(), { 3: Number.NaN }) }],
    ['initial.length', { initial: p0.slice(1) }],
    ['response.max', { response: { kind: 'tanh', max: 0 } }],
  ])('%s', (arg, o) => {
    let err: unknown;
    try {
      make(o)();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).argument).toBe(arg);
  });
  test('create/dispose leaves kernel memory unchanged', () => {
    const before = kernelMemory();
    for (let j = 0; j < 20; j++) make({ learning: { rule: 'kernel', epsilon: 1, kernel: () => -1 } })().dispose();
    const after = kernelMemory();
    expect(after.regions).toBe(before.regions);
    expect(after.bytes).toBe(before.bytes);
  });
});

describe('WASM kernel vs the plain TS reference of the same scheme', () => {
  test('200 steps on a 120 × 6 grid agree to 1e-13', async () => {
    const { fpReferenceStep, fpReferenceWork } = await import('../../src/index.js');
    const grid = { vMin: -4, vReset: 1, vThreshold: 2, nv: 120, wMin: -1, wMax: 0.2, nw: 6 };
    const p0 = fpGaussianDensity(grid, { H: (w) => 1 + w, mean: 0.5, sd: 0.4 });
    const I = [0.3, 0.1, 0, 0.5, 0.2, 1];
    const fp = new FokkerPlanckSolver({ grid, a: 0.8, dt: 0.01, input: I, initial: p0 });
    fp.run(2); // 200 steps
    const g = fp.grid;
    const p = p0.slice();
    const rates = new Float64Array(6);
    for (let k = 0; k < 6; k++) rates[k] = (0.8 * p[k * 120 + 119]) / g.h;
    const work = fpReferenceWork({ nv: 120, h: g.h, a: 0.8 });
    for (let s = 0; s < 200; s++) {
      let nbar = 0;
      for (const r of rates) nbar += r * g.dw;
      fpReferenceStep(
        p,
        rates,
        g.w.map((w, k) => I[k] + w * nbar),
        { grid: g, a: 0.8, dt: 0.01, work },
      );
    }
    const q = fp.density();
    let worst = 0;
    for (let j = 0; j < p.length; j++) worst = Math.max(worst, Math.abs(p[j] - q[j]));
    expect(worst).toBeLessThan(1e-13);
    const r2 = fp.rates();
    for (let k = 0; k < 6; k++) expect(Math.abs(rates[k] - r2[k])).toBeLessThan(1e-13);
    fp.dispose();
  });

  // The generated 8-slice block kernel has separate code for the rows before, at and after V_R and
  // for V_R on the last or second-to-last row; these grids reach each branch, with blocks and
  // scalar remainder slices, and a stiff step (Δt·a/h² = 500).
  test.each([
    ['V_R on the last row', { vMin: -3, vReset: 0.9, vThreshold: 1, nv: 40, wMin: -1, wMax: 0, nw: 8 }, 0.01],
    ['V_R on the second row', { vMin: -3, vReset: -2.9, vThreshold: 1, nv: 40, wMin: -1, wMax: 0, nw: 9 }, 0.01],
    ['V_R on the second-to-last row', { vMin: -3, vReset: 0.6, vThreshold: 1, nv: 20, wMin: -1, wMax: 0, nw: 17 }, 0.01],
    ['four v-nodes', { vMin: -3, vReset: 0, vThreshold: 1, nv: 4, wMin: -2, wMax: 1, nw: 16 }, 0.01],
    ['a stiff step', { vMin: -3, vReset: 0, vThreshold: 1, nv: 40, wMin: -2, wMax: 1, nw: 11 }, 5],
  ])('%s: 50 steps agree to 1e-13 relative', async (_name, grid, dt) => {
    const { fpReferenceStep, fpReferenceWork } = await import('../../src/index.js');
    const { nv, nw } = grid;
    const p0 = fpGaussianDensity(grid, { mean: (grid.vReset + grid.vMin) / 2, sd: 0.6 });
    const fp = new FokkerPlanckSolver({ grid, a: 1, dt, input: 0.8, initial: p0 });
    fp.run(50 * dt);
    const g = fp.grid;
    const p = p0.slice();
    const rates = new Float64Array(nw);
    for (let k = 0; k < nw; k++) rates[k] = p[k * nv + nv - 1] / g.h;
    const work = fpReferenceWork({ nv, h: g.h, a: 1 });
    for (let s = 0; s < 50; s++) {
      let nbar = 0;
      for (const r of rates) nbar += r * g.dw;
      fpReferenceStep(
        p,
        rates,
        g.w.map((w) => 0.8 + w * nbar),
        { grid: g, a: 1, dt, work },
      );
    }
    const q = fp.density();
    expect(maxRelDiff(p, q)).toBeLessThan(1e-13);
    expect(Math.abs(fp.mass() - 1)).toBeLessThan(1e-12);
    fp.dispose();
  });
});

describe('WASM kernel vs the plain TS reference, with Hebbian learning', () => {
  // 120 × 30: even sizes (the w-step's row pairs end with one single row below the top row);
  // 75 × 13: odd nv (scalar tail of the f64x2 row loops) and odd nw (row pairs reach the top row).
  // Both leave slices after the last 8-slice v-step block to the scalar path.
  test.each([
    [120, 30],
    [75, 13],
  ])('300 steps of v-step + learning field + explicit Rusanov w-step on %i × %i agree to 1e-13', async (nv, nw) => {
    const { fpReferenceStep, fpReferenceStepW, fpReferenceWork, fpReferenceWorkW } = await import('../../src/index.js');
    const grid = { vMin: -4, vReset: 0, vThreshold: 1, nv, wMin: -1.2, wMax: 0.3, nw };
    const p0 = fpGaussianDensity(grid, { H: (w) => (w > -1 && w < 0.2 ? 1 : 0), mean: 0, sd: 0.5 });
    const Kf = (w: number) => -1 - 0.5 * w;
    const input = [...Array(nw).keys()].map((k) => 1.5 * Math.exp(-(((k - 0.4 * nw) / (nw / 6)) ** 2)));
    const eps = 0.5;
    const nu = 0.002;
    const fp = new FokkerPlanckSolver({ grid, a: 1, dt: 0.01, input, initial: p0, learning: { rule: 'hebbian', epsilon: eps, nu, K: Kf } });
    fp.run(3); // 300 steps
    const g = fp.grid;
    const K = g.w.map(Kf);
    const p = p0.slice();
    const rates = new Float64Array(nw);
    for (let k = 0; k < nw; k++) rates[k] = p[k * nv + nv - 1] / g.h;
    const work = fpReferenceWork({ nv, h: g.h, a: 1 });
    const workW = fpReferenceWorkW({ nv, nw });
    const nbarOf = () => {
      let s = 0;
      for (const r of rates) s += r;
      return s * g.dw;
    };
    for (let s = 0; s < 300; s++) {
      const nbar = nbarOf();
      fpReferenceStep(
        p,
        rates,
        g.w.map((w, k) => input[k] + w * nbar),
        { grid: g, a: 1, dt: 0.01, work },
      );
      fpReferenceStepW(p, rates, K, { nbar: nbarOf(), grid: g, epsilon: eps, nu, dt: 0.01, work: workW });
    }
    const q = fp.density();
    let worst = 0;
    let moved = 0;
    for (let j = 0; j < p.length; j++) {
      worst = Math.max(worst, Math.abs(p[j] - q[j]));
      moved = Math.max(moved, Math.abs(p[j] - p0[j]));
    }
    expect(moved).toBeGreaterThan(0.05); // the density did move in w (learning is on)
    expect(worst).toBeLessThan(1e-13);
    fp.dispose();
  });
});

describe('plain TS references: bad input', () => {
  test('wrong lengths, non-finite values and an unstable dt are rejected, naming the argument', async () => {
    const { fpReferenceStep, fpReferenceStepW, fpReferenceWork, fpReferenceWorkW } = await import('../../src/index.js');
    const g = { nv: 10, nw: 3, iR: 5, vMin: -3, h: 0.4, w: new Float64Array([-0.5, -0.3, -0.1]), dw: 0.2 };
    const p = new Float64Array(30).fill(0.1);
    const rates = new Float64Array(3).fill(0.2);
    const work = fpReferenceWork({ nv: 10, h: 0.4, a: 1 });
    const workW = fpReferenceWorkW({ nv: 10, nw: 3 });
    const arg = (f: () => void) => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(ValidationError);
        return (e as ValidationError).argument;
      }
      return 'no error';
    };
    expect(arg(() => fpReferenceStep(p.subarray(1), rates, [0, 0, 0], { grid: g, a: 1, dt: 0.01, work }))).toBe('p.length');
    expect(arg(() => fpReferenceStep(p, rates, [0, Number.NaN, 0], { grid: g, a: 1, dt: 0.01, work }))).toBe('c[1]');
    expect(arg(() => fpReferenceStep(p, rates, [0, 0, 0], { grid: g, a: 1, dt: -1, work }))).toBe('dt');
    expect(
      arg(() => fpReferenceStep(p, rates, [0, 0, 0], { grid: g, a: 1, dt: 0.01, work: fpReferenceWork({ nv: 11, h: 0.4, a: 1 }) })),
    ).toBe('work.g.length');
    const K = [-1, -1, -1];
    expect(
      arg(() => fpReferenceStepW(p, rates, K, { nbar: Number.POSITIVE_INFINITY, grid: g, epsilon: 0.5, nu: 0, dt: 0.01, work: workW })),
    ).toBe('nbar');
    expect(arg(() => fpReferenceStepW(p, rates, [-1, -1], { nbar: 0.1, grid: g, epsilon: 0.5, nu: 0, dt: 0.01, work: workW }))).toBe(
      'K.length',
    );
    expect(arg(() => fpReferenceStepW(p, rates, K, { nbar: 0.1, grid: g, epsilon: 0, nu: 0, dt: 0.01, work: workW }))).toBe('epsilon');
    // α + β ≈ ε(|Φ − w| + |Φ|) + 2εν/Δw ≈ 0.5·0.52 + 2·0.5·10/0.2 = 50.3 ⇒ dt ≤ Δw/50.3 ≈ 0.004
    expect(arg(() => fpReferenceStepW(p, rates, K, { nbar: 0.1, grid: g, epsilon: 0.5, nu: 10, dt: 0.01, work: workW }))).toBe('dt');
    expect(arg(() => fpReferenceStepW(p, rates, K, { nbar: 0.1, grid: g, epsilon: 0.5, nu: 10, dt: 0.003, work: workW }))).toBe('no error');
  });
});

describe('slices whose exponentials would overflow', () => {
  test('a slice with α = h(c − V_min)/a > 700 runs overflow-safe inside a block; WASM = TS to 1e-12 relative', async () => {
    const { fpReferenceStep, fpReferenceWork } = await import('../../src/index.js');
    // nw = 9: two blocks of four and one remainder slice; slice 2 has drift ≈ 2e4, so e^{z} overflows
    // and its block falls back to the scalar path with per-interface exponentials.
    const grid = { vMin: -4, vReset: 1, vThreshold: 2, nv: 120, wMin: -0.001, wMax: 0.001, nw: 9 };
    const p0 = fpGaussianDensity(grid, { mean: 0.5, sd: 0.4 });
    const I = [0.3, 0.1, 2e4, 0.5, 0.2, 1, 0.4, 0.6, 0.7];
    const fp = new FokkerPlanckSolver({ grid, a: 0.8, dt: 0.01, input: I, initial: p0, blowUpRate: 1e9 });
    const g = fp.grid;
    expect((g.h / 0.8) * (I[2] - grid.vMin)).toBeGreaterThan(700);
    fp.run(1); // 100 steps
    const p = p0.slice();
    const rates = new Float64Array(9);
    for (let k = 0; k < 9; k++) rates[k] = (0.8 * p[k * 120 + 119]) / g.h;
    const work = fpReferenceWork({ nv: 120, h: g.h, a: 0.8 });
    for (let s = 0; s < 100; s++) {
      let nbar = 0;
      for (const r of rates) nbar += r * g.dw;
      const c = g.w.map((w, k) => I[k] + w * nbar);
      fpReferenceStep(p, rates, c, { grid: g, a: 0.8, dt: 0.01, work });
    }
    const q = fp.density();
    // p is O(500) here (the w-range is narrow), so compare relative to its maximum.
    expect(maxRelDiff(p, q)).toBeLessThan(1e-12);
    const r2 = fp.rates();
    for (let k = 0; k < 9; k++) expect(Math.abs(rates[k] - r2[k])).toBeLessThan(1e-12 * Math.abs(rates[k]));
    expect(rates[2]).toBeGreaterThan(1e3); // the fast slice fires at about its drift / (V_F − V_R)
    expect(Math.abs(fp.mass() - 1)).toBeLessThan(1e-12);
    expect(fp.minDensity()).toBeGreaterThanOrEqual(0);
    fp.dispose();
  });
});

describe('learning rules', () => {
  const grid = { vMin: -4, vReset: 0, vThreshold: 1, nv: 60, wMin: -1.2, wMax: 0, nw: 24 };
  const p0 = fpGaussianDensity(grid, { H: (w) => (w > -1 ? 1 : 0), mean: 0, sd: 0.5 });
  const input = (_t: number, w: Float64Array) => w.map((x) => 1.5 * Math.exp(-((x + 0.5) * (x + 0.5)) / 0.01));
  test("'kernel' with K(w, w′) = K(w) equals 'hebbian' (N(w)∫K N dw′ = N̄ N(w) K(w))", () => {
    const K = (w: number) => -1 - 0.5 * w;
    const a = new FokkerPlanckSolver({ grid, a: 1, dt: 0.01, input, initial: p0, learning: { rule: 'hebbian', epsilon: 0.5, K } });
    const b = new FokkerPlanckSolver({
      grid,
      a: 1,
      dt: 0.01,
      input,
      initial: p0,
      learning: { rule: 'kernel', epsilon: 0.5, kernel: (w) => K(w) },
    });
    a.run(5);
    b.run(5);
    const pa = a.density();
    const pb = b.density();
    let worst = 0;
    for (let j = 0; j < pa.length; j++) worst = Math.max(worst, Math.abs(pa[j] - pb[j]));
    expect(worst).toBeLessThan(1e-12); // summation order differs: equal to round-off
    a.dispose();
    b.dispose();
  });
  test("'stdp': Φ = K(A·N̄ − N·B) vanishes for stationary rates and responds to a change of input", () => {
    const w = new Float64Array(24).map((_, k) => -1.2 + (k + 0.5) * 0.05);
    const I1 = w.map((x) => Math.max(0, 1 - 4 * (x + 0.5) * (x + 0.5)));
    const I2 = w.map((x) => Math.max(0, 1 - 4 * (x + 0.2) * (x + 0.2)));
    const fp = new FokkerPlanckSolver({
      grid,
      a: 1,
      dt: 0.01,
      input: I1,
      initial: p0,
      learning: { rule: 'stdp', epsilon: 1e-4, tauStdp: 0.2 },
    });
    fp.run(15);
    const before = Math.max(...fp.learningField().map(Math.abs));
    fp.setInput(I2);
    fp.run(0.3);
    const response = Math.max(...fp.learningField().map(Math.abs));
    fp.run(15);
    const after = Math.max(...fp.learningField().map(Math.abs));
    expect(response).toBeGreaterThan(1e-3);
    expect(before).toBeLessThan(0.02 * response);
    expect(after).toBeLessThan(0.02 * response);
    fp.dispose();
  });
  test('learning on/off: with learning off H does not move', () => {
    const fp = new FokkerPlanckSolver({
      grid,
      a: 1,
      dt: 0.01,
      input,
      initial: p0,
      learning: { rule: 'hebbian', epsilon: 0.5, enabled: false },
    });
    const H0 = fp.weightDistribution();
    fp.run(2);
    const H1 = fp.weightDistribution();
    for (let k = 0; k < 24; k++) expect(Math.abs(H1[k] - H0[k])).toBeLessThan(1e-12);
    fp.setLearning(true);
    fp.run(2);
    const H2 = fp.weightDistribution();
    expect(Math.max(...H2.map((h, k) => Math.abs(h - H1[k])))).toBeGreaterThan(1e-3);
    fp.dispose();
  });
});
