// The public contract (docs/guides/conventions.md) and the hardening promises (issue 16) for the fp
// family: strict options with suggestions, typed errors for wrong types (never a TypeError),
// run/runAsync with the one Progress type and cancellation (a timer-fired abort stops runAsync
// within 50 ms), the one seed rule, results with toJSON and units, work bounds checked before
// anything runs, NumericalErrors that name the cell/neuron, step and time, dispose() during a
// run, and constructors that free what they allocated when an allocation fails.
import { describe, expect, test } from 'vitest';
import {
  AbortedError,
  DisposedError,
  FokkerPlanckSolver,
  FP_LIMITS,
  FpParticleNetwork,
  fingerprint,
  fpDiscrimination,
  fpGaussianDensity,
  fpInverseProblem,
  fpLearningEquilibrium,
  fpLogZ,
  fpReducedSlowEvolve,
  fpReducedSlowStationary,
  fpStationaryProfile,
  fpStationaryRate,
  fpStationaryStates,
  KernelAbortError,
  kernelMemory,
  NeurodynError,
  NumericalError,
  type Progress,
  Region,
  runTrials,
  ValidationError,
} from '../../src/index.js';
import { kernel } from '../../src/kernel/load.js';

const grid = { vMin: -4, vReset: 0, vThreshold: 1, nv: 60, wMin: -1, wMax: 0, nw: 8 };
const p0 = fpGaussianDensity(grid, { mean: 0, sd: 0.5 });
const solverBase = { grid, a: 1, dt: 0.01, input: 0.8, initial: p0 };
const particleBase = { weights: [-0.5, -0.2, 0, 0.1], input: 1.2, a: 1, vReset: 0, vThreshold: 1, dt: 0.01, seed: 3 };
const model = { a: 1, vReset: 1, vThreshold: 2 };
const w = [-0.75, -0.25];

/** The error a call throws (or undefined). */
function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  return undefined;
}

describe('strict options: unknown keys are rejected with the nearest valid name', () => {
  test.each([
    ['FokkerPlanckSolver', () => new FokkerPlanckSolver({ ...solverBase, dT: 0.01 } as never), 'dT', 'dt'],
    ['FokkerPlanckSolver (renamed)', () => new FokkerPlanckSolver({ ...solverBase, sigma: 'identity' } as never), 'sigma', 'response'],
    [
      'FokkerPlanckSolver (renamed)',
      () => new FokkerPlanckSolver({ ...solverBase, recordEvery: 10 } as never),
      'recordEvery',
      'recordEverySteps',
    ],
    ['FokkerPlanckSolver grid', () => new FokkerPlanckSolver({ ...solverBase, grid: { ...grid, vF: 1 } } as never), 'vF', 'vThreshold'],
    [
      'FokkerPlanckSolver learning',
      () => new FokkerPlanckSolver({ ...solverBase, learning: { rule: 'stdp', epsilon: 1, tau: 1 } } as never),
      'tau',
      'tauStdp',
    ],
    ['FokkerPlanckSolver.run', () => new FokkerPlanckSolver(solverBase).run(0.1, { recordEvery: 10 } as never), 'recordEvery', undefined],
    [
      'FokkerPlanckSolver.run',
      () => new FokkerPlanckSolver(solverBase).run(0.1, { onprogress: () => {} } as never),
      'onprogress',
      'onProgress',
    ],
    ['FpParticleNetwork', () => new FpParticleNetwork({ ...particleBase, vR: 0 } as never), 'vR', 'vReset'],
    ['FpParticleNetwork', () => new FpParticleNetwork({ ...particleBase, sed: 1 } as never), 'sed', 'seed'],
    ['fpStationaryStates', () => fpStationaryStates({ ...model, w, dw: 0.5, H: [1, 1], nbarmax: 10 } as never), 'nbarmax', 'nbarMax'],
    ['fpStationaryStates', () => fpStationaryStates({ ...model, w, dw: 0.5, H: [1, 1], V_th: 2 } as never), 'V_th', 'vThreshold'],
    ['fpInverseProblem', () => fpInverseProblem({ ...model, w, dw: 0.5, S: [1, 1], inputs: 0 } as never), 'inputs', 'input'],
    [
      'fpDiscrimination',
      () => fpDiscrimination({ ...model, w, dw: 0.5, H: [1, 1], I: [0, 0], J: [1, 1], sigma: 'identity' } as never),
      'sigma',
      'response',
    ],
    ['FpParticleNetwork (renamed)', () => new FpParticleNetwork({ ...particleBase, rateFilter: 0.1 } as never), 'rateFilter', 'tauRate'],
    [
      'fpStationaryStates (renamed)',
      () => fpStationaryStates({ ...model, w, dw: 0.5, H: [1, 1], scanPoints: 10 } as never),
      'scanPoints',
      'maxEvaluations',
    ],
    ['fpLearningEquilibrium', () => fpLearningEquilibrium({ ...model, input: () => 0, k: -1 } as never), 'k', 'K'],
    ['fpStationaryRate', () => fpStationaryRate(0, { ...model, vr: 1 } as never), 'vr', 'vReset'],
    ['fpLogZ', () => fpLogZ(0, { ...model, methd: 'erfcx' } as never), 'methd', 'method'],
    ['fpGaussianDensity', () => fpGaussianDensity(grid, { mean: 0, sd: 0.5, SD: 1 } as never), 'SD', 'sd'],
  ])('%s: %s', (_where, call, key, suggestion) => {
    const e = thrown(call);
    expect(e).toBeInstanceOf(ValidationError);
    const v = e as ValidationError;
    expect(v.message).toContain(`unknown option '${key}'`);
    expect(v.suggestion).toBe(suggestion);
    if (suggestion) expect(v.message).toContain(`did you mean '${suggestion}'?`);
  });
});

describe('wrong types and missing options are ValidationErrors, never TypeErrors', () => {
  const hostile: unknown[] = [undefined, null, Number.NaN, Number.POSITIVE_INFINITY, -1, 0, 2 ** 53, 'x', {}, [], () => 1, 1e308];
  test('no arguments / non-object options', () => {
    for (const f of [
      () => new FokkerPlanckSolver(undefined as never),
      () => new FokkerPlanckSolver(3 as never),
      () => new FpParticleNetwork(undefined as never),
      () => new FpParticleNetwork(null as never),
      () => fpStationaryStates(undefined as never),
      () => fpInverseProblem([] as never),
      () => fpDiscrimination('x' as never),
      () => fpLearningEquilibrium(undefined as never),
      () => fpReducedSlowStationary(undefined as never),
      () => fpReducedSlowEvolve(undefined as never),
      () => fpStationaryRate(0, undefined as never),
      () => fpStationaryProfile(0, [0], undefined as never),
      () => fpGaussianDensity(grid, undefined as never),
      () => fpGaussianDensity(undefined as never, { mean: 0, sd: 1 }),
    ])
      expect(thrown(f)).toBeInstanceOf(ValidationError);
  });
  test('every option of the solver, the particle network and the stationary search set to hostile values', () => {
    const before = kernelMemory();
    const cases: [Record<string, unknown>, (o: never) => { dispose?: () => void } | unknown][] = [
      [solverBase, (o) => new FokkerPlanckSolver(o)],
      [{ ...solverBase, learning: { rule: 'hebbian', epsilon: 0.5 } }, (o) => new FokkerPlanckSolver(o)],
      [particleBase, (o) => new FpParticleNetwork(o)],
      [{ ...model, w, dw: 0.5, H: [1, 1] }, (o) => fpStationaryStates(o)],
    ];
    let calls = 0;
    for (const [base, make] of cases) {
      const keys = [...Object.keys(base), 'learning'];
      for (const key of keys) {
        for (const v of hostile) {
          calls++;
          let out: unknown;
          try {
            out = make({ ...base, [key]: v } as never);
          } catch (e) {
            // a library error, never a raw TypeError/RangeError
            expect(e, `${key} = ${String(v)}`).toBeInstanceOf(NeurodynError);
            continue;
          }
          (out as { dispose?: () => void }).dispose?.();
        }
      }
    }
    expect(calls).toBeGreaterThan(150);
    expect(kernelMemory().regions).toBe(before.regions);
    expect(kernelMemory().bytes).toBe(before.bytes);
  });
});

describe('run / runAsync: one Progress type, identical results, cancellation', () => {
  test('Progress reports count steps, carry the model time (τ_m) and end at total', () => {
    const fp = new FokkerPlanckSolver({ ...solverBase, recordEverySteps: 7 });
    const seen: Progress[] = [];
    const r = fp.run(0.5, { onProgress: (p) => seen.push(p) });
    expect(r.steps).toBe(50);
    expect(r.kind).toBe('fp.run');
    expect(seen.length).toBeGreaterThan(5);
    const last = seen[seen.length - 1];
    expect(last).toMatchObject({ done: 50, total: 50, unit: 'step', fraction: 1 });
    expect(last.time).toBeCloseTo(0.5, 12);
    for (const p of seen) expect(p.time).toBeCloseTo(p.done * 0.01, 12);
    expect(seen.every((p, j) => j === 0 || p.done > seen[j - 1].done)).toBe(true);
    // the trace keeps every 7th step and the end
    expect(Array.from(fp.trace().time.map((t) => Math.round(t / 0.01)))).toEqual([0, 7, 14, 21, 28, 35, 42, 49, 50]);
    fp.dispose();
  });
  test('runAsync gives the same bits as run (solver with I(t, w) and learning; particles)', async () => {
    const o = {
      ...solverBase,
      input: (t: number, ws: Float64Array) => ws.map((x) => 1 + 0.3 * x + 0.1 * t),
      learning: { rule: 'hebbian' as const, epsilon: 0.5 },
    };
    const a = new FokkerPlanckSolver(o);
    const b = new FokkerPlanckSolver(o);
    a.run(0.7);
    await b.runAsync(0.7, { sliceMs: 0.1 });
    expect(fingerprint(b.density(), b.rates())).toBe(fingerprint(a.density(), a.rates()));
    const c = new FpParticleNetwork(particleBase);
    const d = new FpParticleNetwork(particleBase);
    c.run(1);
    await d.runAsync(1, { sliceMs: 0.1 });
    expect(fingerprint(d.potentials(), d.counts())).toBe(fingerprint(c.potentials(), c.counts()));
    for (const x of [a, b, c, d]) x.dispose();
  });
  const big = { ...grid, nv: 400, nw: 64 };
  test.each([
    [
      'FokkerPlanckSolver',
      () => new FokkerPlanckSolver({ ...solverBase, grid: big, initial: fpGaussianDensity(big, { mean: 0, sd: 0.5 }) }),
    ],
    ['FpParticleNetwork', () => new FpParticleNetwork({ ...particleBase, weights: new Float64Array(20000).fill(-0.1) })],
  ])('%s.runAsync: an abort fired from a timer stops it within 50 ms, state kept', { retry: 2 }, async (_name, make) => {
    const obj: FokkerPlanckSolver | FpParticleNetwork = make();
    const ac = new AbortController();
    let fired = 0;
    setTimeout(() => {
      fired = performance.now();
      ac.abort();
    }, 40);
    const e = await obj.runAsync(1e5 * obj.dt, { signal: ac.signal }).catch((x) => x);
    const stopped = performance.now();
    expect(e).toBeInstanceOf(AbortedError);
    expect(stopped - fired).toBeLessThan(50);
    const partial = (e as AbortedError).partial as { steps: number; time: number };
    expect(partial.steps).toBeGreaterThan(0);
    expect(partial.steps).toBe(obj.step);
    expect(partial.time).toBeCloseTo(obj.time, 12);
    obj.dispose();
  });
  test('a synchronous run sees an abort fired from its own onProgress', () => {
    const fp = new FokkerPlanckSolver(solverBase);
    const ac = new AbortController();
    const e = thrown(() => fp.run(10, { signal: ac.signal, onProgress: (p) => p.done >= 30 && ac.abort() }));
    expect(e).toBeInstanceOf(AbortedError);
    expect(fp.step).toBe(30);
    fp.dispose();
  });
});

describe('the root searches report progress and see an abort from onProgress', () => {
  test('fpStationaryStates (b = 1: no bound, the whole budget is used)', () => {
    const seen: Progress[] = [];
    const r = fpStationaryStates({ ...model, w: [1], dw: 1, H: [1], nbarMax: 1e6, maxEvaluations: 2000, onProgress: (p) => seen.push(p) });
    expect(r.complete).toBe(false);
    expect(seen.length).toBeGreaterThan(10);
    expect(seen[0]).toMatchObject({ unit: 'iteration', total: 2000 });
    expect(seen[seen.length - 1].done).toBeLessThanOrEqual(r.evaluations);
    const ac = new AbortController();
    const e = thrown(() =>
      fpStationaryStates({
        ...model,
        w: [1],
        dw: 1,
        H: [1],
        nbarMax: 1e6,
        signal: ac.signal,
        onProgress: (p) => p.done >= 320 && ac.abort(),
      }),
    );
    expect(e).toBeInstanceOf(AbortedError);
    expect((e as AbortedError).partial).toEqual({ evaluations: 352 });
  });
});

describe('dispose() during a run', () => {
  // The reproducer: dispose from onProgress, then a new region takes the freed memory
  // and is filled with 7; the run must stop with DisposedError before writing anything into it.
  test('the solver and the particle network stop with DisposedError; a region reusing their memory keeps its values', async () => {
    const many = { ...particleBase, weights: new Float64Array(3000).fill(-0.2) };
    for (const make of [() => new FokkerPlanckSolver(solverBase), () => new FpParticleNetwork(many)]) {
      const obj = make();
      let r: Region | null = null;
      const e = thrown(() =>
        obj.run(1, {
          onProgress: () => {
            obj.dispose();
            r = new Region(72_000, 'test.after-dispose');
            r.f64().fill(7);
          },
        }),
      );
      expect(e).toBeInstanceOf(DisposedError);
      const reg = r as unknown as Region;
      expect(reg.f64().every((x) => x === 7)).toBe(true);
      reg.free();
      // runAsync: disposed while it yields
      const obj2 = make();
      const p = obj2.runAsync(1e6 * obj2.dt, { sliceMs: 0.1 });
      await new Promise((res) => setTimeout(res, 5));
      obj2.dispose();
      expect(await p.catch((x) => x)).toBeInstanceOf(DisposedError);
    }
    // an input function I(t, w) that disposes the solver
    let fp: FokkerPlanckSolver | null = null;
    fp = new FokkerPlanckSolver({
      ...solverBase,
      input: (t, ws) => {
        if (t > 0.05) fp?.dispose();
        return ws.map(() => 1);
      },
    });
    expect(thrown(() => fp?.run(1))).toBeInstanceOf(DisposedError);
  });
});

describe('failed constructors free what they allocated', () => {
  test.each([
    ['FokkerPlanckSolver', () => new FokkerPlanckSolver({ ...solverBase, learning: { rule: 'hebbian', epsilon: 1 } })],
    ['FpParticleNetwork', () => new FpParticleNetwork(particleBase)],
  ])('%s: an allocation failure after the first regions leaks nothing', (_name, make) => {
    const k = kernel();
    const real = k.alloc;
    for (const failAt of [2, 3, 5]) {
      const before = kernelMemory();
      let n = 0;
      k.alloc = (bytes: number) => {
        if (++n === failAt) throw new KernelAbortError('Allocation too large (simulated)');
        return real(bytes);
      };
      let e: unknown;
      try {
        e = thrown(make);
      } finally {
        k.alloc = real;
      }
      expect(e).toBeInstanceOf(KernelAbortError);
      expect(n).toBe(failAt);
      expect(kernelMemory().regions).toBe(before.regions);
      expect(kernelMemory().bytes).toBe(before.bytes);
    }
  });
});

describe('work bounds, checked before anything runs', () => {
  test('run(1e308) and other huge durations are rejected up front, naming duration', { retry: 2 }, async () => {
    const fp = new FokkerPlanckSolver(solverBase);
    const net = new FpParticleNetwork(particleBase);
    for (const [call, limit] of [
      [() => fp.run(1e308), FP_LIMITS.maxSolverWork],
      [() => fp.runAsync(1e308), FP_LIMITS.maxSolverWork],
      [() => net.run(1e308), FP_LIMITS.maxParticleWork],
      [() => net.runAsync(1e308), FP_LIMITS.maxParticleWork],
    ] as [() => unknown, number][]) {
      const t0 = performance.now();
      let e: unknown;
      try {
        await call();
      } catch (x) {
        e = x;
      }
      expect(performance.now() - t0).toBeLessThan(100);
      expect(e).toBeInstanceOf(ValidationError);
      expect((e as ValidationError).argument).toBe('duration');
      expect((e as ValidationError).received).toBe(1e308);
      expect((e as Error).message).toContain(String(limit));
    }
    // just under the bound is accepted (and cancelled at once by an aborted signal)
    const cells = grid.nv * grid.nw;
    const ok = Math.floor(FP_LIMITS.maxSolverWork / cells) * 0.01;
    const sparse = new FokkerPlanckSolver({ ...solverBase, recordEverySteps: 2 ** 31 });
    expect(thrown(() => sparse.run(ok, { signal: AbortSignal.abort() }))).toBeInstanceOf(AbortedError);
    expect((thrown(() => sparse.run(ok * 1.01)) as ValidationError).argument).toBe('duration');
    // the trace would outgrow its bound: rejected, naming recordEverySteps in the message
    expect((thrown(() => fp.run(ok)) as Error).message).toMatch(/raise recordEverySteps/);
    fp.dispose();
    sparse.dispose();
    net.dispose();
  });
  test('iteration budgets of the stationary theory are bounded', () => {
    const e1 = thrown(() => fpStationaryStates({ ...model, w, dw: 0.5, H: [1, 1], maxEvaluations: 1e12 }));
    expect((e1 as ValidationError).argument).toBe('maxEvaluations');
    const e2 = thrown(() => fpReducedSlowEvolve({ ...model, input: () => 0, nu: 0.01, H0: [1, 1, 1], wMin: -1, dt: 1e-300, duration: 1 }));
    expect((e2 as ValidationError).argument).toBe('duration');
    const e3 = thrown(() => fpReducedSlowStationary({ ...model, input: () => 0, nu: 0.01, points: 1e9 }));
    expect((e3 as ValidationError).argument).toBe('points');
    const e4 = thrown(() => new FokkerPlanckSolver({ ...solverBase, grid: { ...grid, nv: 1 << 20, nw: 1 << 20 } }));
    expect((e4 as ValidationError).argument).toBe('grid.nw');
  });
});

describe('NumericalErrors name the cell or neuron, the step and the time', () => {
  test('blow-up: the w-cell with the largest N(w)', () => {
    // Three excitatory cells; the one with the largest weight fires most when N̄ runs away.
    const g = { vMin: -3, vReset: 1, vThreshold: 2, nv: 150, wMin: 2, wMax: 3.5, nw: 3 };
    const init = fpGaussianDensity(g, { mean: 1.9, sd: 0.05 });
    const fp = new FokkerPlanckSolver({ grid: g, a: 1, dt: 1e-3, initial: init });
    const e = thrown(() => fp.run(5)) as NumericalError;
    expect(e).toBeInstanceOf(NumericalError);
    expect(e.kind).toBe('blow-up');
    const N = fp.rates(); // N of the last good step, the one the check saw
    expect(e.index).toBe(N.indexOf(Math.max(...N)));
    expect(e.index).toBe(2);
    expect(e.step).toBe(fp.step);
    expect(e.time).toBeCloseTo(fp.time, 12);
    expect(e.message).toMatch(/w-cell 2 \(w = 3\.25\)/);
    expect(fp.blowUp).toMatchObject({ cell: 2, step: e.step });
    fp.dispose();
  });
  test('explicit w-step CFL: the w-cell with the largest α + β (recomputed from Φ)', () => {
    const g = { vMin: -4, vReset: 0, vThreshold: 1, nv: 80, wMin: -1.2, wMax: 0.1, nw: 40 };
    const fp = new FokkerPlanckSolver({
      grid: g,
      a: 1,
      dt: 0.02,
      input: (_t, ws) => ws.map((x) => 1.5 * Math.exp(-((x + 0.5) ** 2) / 0.01)),
      initial: fpGaussianDensity(g, { H: (x) => (x > -1 && x < 0 ? 1 : 0), mean: 0, sd: 0.5 }),
      learning: { rule: 'hebbian', epsilon: 1 },
    });
    const e = thrown(() => fp.run(1)) as NumericalError;
    expect(e).toBeInstanceOf(NumericalError);
    expect(e.kind).toBe('cfl');
    // α_k, β_k of the Rusanov flux from the field Φ the failing step computed (docs/fp.md)
    const phi = fp.learningField();
    const ws = fp.grid.w;
    const u = Array.from(phi, (f, k) => f - ws[k]);
    const s = Array.from(phi, (f, k) => Math.abs(u[k]) + Math.abs(f));
    const sums = ws.map((_, k) => {
      const al = k < ws.length - 1 ? 0.5 * (u[k] + Math.max(s[k], s[k + 1])) : 0;
      const be = k > 0 ? 0.5 * (Math.max(s[k - 1], s[k]) - u[k]) : 0;
      return al + be;
    });
    const worst = Math.max(...sums);
    expect(e.index).toBe(sums.indexOf(worst));
    expect(e.value).toBeCloseTo(fp.grid.dw / worst, 10);
    expect(e.step).toBe(fp.step);
    expect(e.message).toMatch(/CFL bound at w-cell \d+ .*use wScheme 'implicit'/);
    fp.dispose();
  });
  test('particles: a potential that leaves the finite numbers names its neuron', () => {
    // Neuron 0 fires every step (N̄ = 1/(MΔt) = 2.5 with no filter); neuron 2 has w = −1e308, so
    // w·σ(N̄) = −∞ and its potential becomes −∞.
    const net = new FpParticleNetwork({
      weights: [0, 0, -1e308, 0],
      input: [1e6, 0, 0, 0],
      a: 1,
      vReset: 0,
      vThreshold: 1,
      dt: 0.1,
      tauRate: 0,
    });
    const e = thrown(() => net.run(1)) as NumericalError;
    expect(e).toBeInstanceOf(NumericalError);
    expect(e.kind).toBe('non-finite');
    expect(e.index).toBe(2);
    expect(e.step).toBe(1); // N̄ > 0 from step 1 on
    expect(e.time).toBeCloseTo(0.1, 12);
    expect(e.message).toMatch(/neuron 2 \(w = -1e\+308\)/);
    net.dispose();
  });
});

describe('seeds: keyOfSeed({ seed, trial }), as in every family', () => {
  test('seed 7 and "7" are the same; a trial is a different stream; omitted seed is 0', () => {
    const run = (o: Record<string, unknown>) => {
      const net = new FpParticleNetwork({ ...particleBase, ...o } as never);
      net.run(0.5);
      const f = fingerprint(net.potentials(), net.counts());
      net.dispose();
      return f;
    };
    expect(run({ seed: 7 })).toBe(run({ seed: '7' }));
    expect(run({ seed: 7, trial: 0 })).not.toBe(run({ seed: 7 }));
    expect(run({ seed: undefined })).toBe(run({ seed: 0 }));
    expect(thrown(() => run({ seed: Number.NaN }))).toBeInstanceOf(ValidationError);
    expect((thrown(() => run({ trial: -1 })) as ValidationError).argument).toBe('trial');
  });
  test("the 'fp.particles' worker task (seed, trial) equals a network built with the same seed and trial", async () => {
    const params = { weights: [-0.5, -0.2, 0, 0.1], input: 1.2, a: 1, vReset: 0, vThreshold: 1, dt: 0.01, burnIn: 0.2, duration: 0.3 };
    const rows = await runTrials('fp.particles', { seed: 11, range: [2, 3], params, workers: 0 });
    const net = new FpParticleNetwork({ ...particleBase, seed: 11, trial: 2 });
    net.run(0.2);
    net.resetCounters();
    net.run(0.3);
    const row = rows.rows[0];
    expect(row.ok && (row.value as { fingerprint: string }).fingerprint).toBe(fingerprint(net.potentials(), net.counts()));
    net.dispose();
  });
});

describe('results: toJSON, tables with units', () => {
  test('solver state, trace and run result; particle neurons; stationary states', () => {
    const fp = new FokkerPlanckSolver(solverBase);
    const r = fp.run(0.2);
    expect(JSON.parse(JSON.stringify(r))).toEqual({ kind: 'fp.run', steps: 20, time: 0.2, blowUp: null });
    const st = fp.state();
    const j = st.toJSON() as { kind: string; weights: { units: Record<string, string>; columns: Record<string, number[]> } };
    expect(j.kind).toBe('fp.state');
    expect(j.weights.units).toEqual({ w: '1', H: '1', N: '1/tau_m', rate: '1/tau_m', phi: '1' });
    // H integrates to the mass, N to N̄ (the table's columns are the solver's own arrays)
    const H = st.weights.H;
    expect(Math.abs(H.reduce((a, b) => a + b, 0) * fp.grid.dw - st.mass)).toBeLessThan(1e-12);
    expect(Math.abs(st.weights.N.reduce((a, b) => a + b, 0) * fp.grid.dw - st.nbar)).toBeLessThan(1e-12);
    const tr = fp.trace();
    expect(tr.column('time').unit).toBe('tau_m');
    expect(tr.column('nbar').unit).toBe('1/tau_m');
    expect(tr.time.length).toBe(3);
    fp.dispose();
    const net = new FpParticleNetwork(particleBase);
    net.run(0.5);
    const t = net.neurons();
    expect(t.length).toBe(4);
    expect(t.column('rate').unit).toBe('1/tau_m');
    expect(Array.from(t.count)).toEqual(Array.from(net.counts()));
    net.dispose();
    const s = fpStationaryStates({ ...model, w: [1.5], dw: 1, H: [1] });
    const sj = JSON.parse(JSON.stringify(s));
    expect(sj.kind).toBe('fp.stationaryStates');
    expect(sj.complete).toBe(true);
    expect(sj.states).toHaveLength(2);
    expect(s.states[0].table().column('rate').unit).toBe('1/tau_m');
  });
});
