// The one contract (issue #15) and the hardening items (issue #16) for every ltn entry point:
// strict options with suggestions, wrong types, the Progress type, timer-fired aborts of the async
// variants, results with toJSON and tables with units, work bounds checked up front, meaningful
// NumericalError kind/index, failed constructors and dispose() during a run.
import { describe, expect, test } from 'vitest';
import {
  AbortedError,
  DisposedError,
  io,
  isHMatrix,
  isMMatrix,
  isPMatrix,
  kernelMemory,
  LTN_MAX_WORK,
  LtnBatch,
  LtnTrajectory,
  lcsSimulate,
  lcsSimulateAsync,
  ldsTest,
  ldsTestAsync,
  ldsTwoByTwo,
  ltnEquilibria,
  ltnFamilyMember,
  ltnGammaGap,
  ltnGammaGapAsync,
  ltnMatrix,
  ltnMaxEvents,
  ltnMaxStableStep,
  ltnMinForm,
  ltnSimulate,
  ltnSimulateAsync,
  ltnStabilityReport,
  ltnStabilityReportAsync,
  ltnVectorField,
  NumericalError,
  type Progress,
  pdsBestRate,
  pdsBestRateAsync,
  pdsRateBound,
  pdsSimulate,
  pdsSimulateAsync,
  pdsVectorField,
  Region,
  ValidationError,
} from '../../src/index.js';
import { CYCLIC_M, CYCLIC_NET, LDS_NET } from './helpers.js';

function vErr(f: () => unknown): ValidationError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return e as ValidationError;
  }
  throw new Error('did not throw');
}
async function vErrAsync(f: () => Promise<unknown>): Promise<ValidationError> {
  try {
    await f();
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return e as ValidationError;
  }
  throw new Error('did not throw');
}

const x2 = [0.2, 1.5];

/** Runs `f` on a fresh batch and disposes it, whatever happens. */
function withBatch<R>(f: (b: LtnBatch) => R, initial: number[][] = [x2], dt = 0.01): R {
  const b = new LtnBatch(LDS_NET, initial, { dt });
  let r: R;
  try {
    r = f(b);
  } catch (e) {
    b.dispose();
    throw e;
  }
  if (r instanceof Promise) return r.finally(() => b.dispose()) as R;
  b.dispose();
  return r;
}
const M2 = ltnMatrix(LDS_NET);

// Every entry point with an options object: a call taking the options, and a misspelt key with the
// name it must suggest.
const SYNC: [string, (o: object) => unknown, string, string][] = [
  ['ltnVectorField', (o) => ltnVectorField(LDS_NET, x2, o), 'gama', 'gamma'],
  ['ltnMinForm', (o) => ltnMinForm(LDS_NET, x2, o), 'tme', 'time'],
  ['pdsVectorField', (o) => pdsVectorField(LDS_NET, x2, o), 'tim', 'time'],
  ['ltnMaxStableStep', (o) => ltnMaxStableStep(LDS_NET, o), 'metod', 'method'],
  ['ltnSimulate', (o) => ltnSimulate(LDS_NET, x2, { duration: 1, ...o }), 'sampleIntervall', 'sampleInterval'],
  ['pdsSimulate', (o) => pdsSimulate(LDS_NET, x2, { duration: 1, ...o }), 'maxEvent', 'maxEvents'],
  ['lcsSimulate', (o) => lcsSimulate(LDS_NET, x2, { duration: 1, ...o }), 'timestep', 'dt'],
  ['LtnBatch', (o) => new LtnBatch(LDS_NET, [x2], { dt: 0.01, ...o }), 'gama', 'gamma'],
  ['LtnBatch.run', (o) => withBatch((b) => b.run(0.1, o)), 'progress', 'onProgress'],
  ['ltnEquilibria', (o) => ltnEquilibria(LDS_NET, o), 'methd', 'method'],
  ['ltnFamilyMember', (o) => ltnFamilyMember(LDS_NET, { gamma: 2, ...o }), 'gamm', 'gamma'],
  ['ltnGammaGap', (o) => ltnGammaGap(LDS_NET, x2, [10], o), 'duraton', 'duration'],
  ['ltnStabilityReport', (o) => ltnStabilityReport(LDS_NET, o), 'trails', 'trials'],
  ['ldsTest', (o) => ldsTest(M2, o), 'iteration', 'iterations'],
  ['pdsBestRate', (o) => pdsBestRate(M2, o), 'strat', 'start'],
];
const ASYNC: [string, (o: object) => Promise<unknown>][] = [
  ['ltnSimulateAsync', (o) => ltnSimulateAsync(LDS_NET, x2, { duration: 1, ...o })],
  ['pdsSimulateAsync', (o) => pdsSimulateAsync(LDS_NET, x2, { duration: 1, ...o })],
  ['lcsSimulateAsync', (o) => lcsSimulateAsync(LDS_NET, x2, { duration: 1, ...o })],
  ['LtnBatch.runAsync', (o) => withBatch((b) => b.runAsync(0.1, o))],
  ['ltnGammaGapAsync', (o) => ltnGammaGapAsync(LDS_NET, x2, [10], o)],
  ['ltnStabilityReportAsync', (o) => ltnStabilityReportAsync(LDS_NET, o)],
  ['ldsTestAsync', (o) => ldsTestAsync(M2, o)],
  ['pdsBestRateAsync', (o) => pdsBestRateAsync(M2, o)],
];

describe('strict options (issue #15)', () => {
  test.each(SYNC)('%s: an unknown key is a ValidationError naming it, the entry point and the suggestion', (where, call, typo, want) => {
    const e = vErr(() => call({ [typo]: 1 }));
    expect(e.message).toBe(`unknown option '${typo}' for ${where}; did you mean '${want}'?`);
    expect(e.suggestion).toBe(want);
  });

  test.each(ASYNC)('%s: unknown key and wrong types reject with ValidationError', async (where, call) => {
    const e = await vErrAsync(() => call({ sliceMss: 5 }));
    expect(e.message).toBe(`unknown option 'sliceMss' for ${where}; did you mean 'sliceMs'?`);
    expect((await vErrAsync(() => call({ sliceMs: -1 }))).argument).toBe('options.sliceMs');
    expect((await vErrAsync(() => call({ onProgress: 'x' }))).argument).toBe('options.onProgress');
    expect((await vErrAsync(() => call({ signal: {} }))).argument).toBe('options.signal');
  });

  test('functions without options reject a misplaced options object instead of ignoring it', () => {
    const calls: [string, (o: object) => unknown][] = [
      ['isPMatrix', (o) => isPMatrix(M2, o as never)],
      ['isMMatrix', (o) => isMMatrix(M2, o as never)],
      ['isHMatrix', (o) => isHMatrix(M2, o as never)],
      ['ldsTwoByTwo', (o) => ldsTwoByTwo(M2, o as never)],
      ['pdsRateBound', (o) => pdsRateBound(M2, [1, 1], o as never)],
      ['ltnMatrix', (o) => ltnMatrix(LDS_NET, o as never)],
      ['ltnMaxEvents', (o) => ltnMaxEvents(3, o as never)],
    ];
    for (const [where, call] of calls) {
      expect(vErr(() => call({ iterations: 5 })).message).toBe(`unknown option 'iterations' for ${where}; it takes no options`);
      vErr(() => call(5 as never));
      expect(() => call({})).not.toThrow();
    }
  });

  test('sync variants do not take sliceMs (it only means something for the async ones)', () => {
    expect(vErr(() => ltnSimulate(LDS_NET, x2, { duration: 1, sliceMs: 5 } as never)).suggestion).toBeUndefined();
  });

  test('the network itself is checked strictly: a typo in u cannot silently leave u = 0', () => {
    const e = vErr(() => ltnSimulate({ d: [1, 3], W: LDS_NET.W, U: [1, -2] } as never, x2, { duration: 1 }));
    expect(e.argument).toBe('net.U');
    expect(e.suggestion).toBe('u');
    expect(vErr(() => ltnEquilibria({ d: [1, 3], W: LDS_NET.W, input: [1, -2] } as never)).argument).toBe('net.input');
    expect(vErr(() => ltnSimulate(7 as never, x2, { duration: 1 })).argument).toBe('net');
  });

  test('wrong types are ValidationErrors, never TypeError or RangeError', () => {
    const bad: (() => unknown)[] = [
      () => ltnSimulate(LDS_NET, x2, 5 as never),
      () => ltnSimulate(LDS_NET, x2, null as never),
      () => ltnSimulate(LDS_NET, x2, { duration: '1' } as never),
      () => ltnSimulate(LDS_NET, x2, { duration: 1, method: 3 } as never),
      () => ltnSimulate(LDS_NET, x2, { duration: 1, checkStability: 'yes' } as never),
      () => ltnSimulate(LDS_NET, 'x' as never, { duration: 1 }),
      () => pdsSimulate(LDS_NET, x2, { duration: 1, maxEvents: 1.5 }),
      () => new LtnBatch(LDS_NET, [x2], { dt: 0.01, gamma: 'a' } as never),
      () => new LtnBatch(LDS_NET, x2 as never, { dt: 0.01 }),
      () => ltnFamilyMember(LDS_NET, 10 as never),
      () => ldsTest(M2, { backend: 'gpu' } as never),
      () => ltnStabilityReport(LDS_NET, { seed: {} } as never),
      () => ltnStabilityReport(LDS_NET, { trial: -1 }),
      () => ltnMaxEvents(0),
    ];
    for (const f of bad) vErr(f);
  });

  test("the retired method name 'exact' points at 'event-driven'", () => {
    const e = vErr(() => ltnSimulate(LDS_NET, x2, { duration: 1, method: 'exact' } as never));
    expect(e.argument).toBe('options.method');
    expect(e.suggestion).toBe('event-driven');
    expect(vErr(() => pdsSimulate(LDS_NET, x2, { duration: 1, method: 'exact' } as never)).suggestion).toBe('event-driven');
  });
});

describe('progress, cancellation, sync = async', () => {
  test('every long-running call reports the one Progress type and ends with done = total', async () => {
    const calls: [string, (p: (q: Progress) => void) => unknown][] = [
      ['ltnSimulate', (f) => ltnSimulate(LDS_NET, x2, { duration: 4, sampleInterval: 0.01, onProgress: f })],
      ['pdsSimulate', (f) => pdsSimulate(LDS_NET, x2, { duration: 4, sampleInterval: 0.01, onProgress: f })],
      ['lcsSimulate', (f) => lcsSimulate(LDS_NET, x2, { duration: 1, dt: 1e-3, onProgress: f })],
      ['ltnGammaGap', (f) => ltnGammaGap(LDS_NET, x2, [10, 100], { duration: 2, onProgress: f })],
      ['ltnStabilityReport', (f) => ltnStabilityReport(LDS_NET, { trials: 2, onProgress: f })],
      ['ldsTest', (f) => ldsTest(M2, { onProgress: f })],
      ['pdsBestRate', (f) => pdsBestRate(M2, { onProgress: f })],
      ['LtnBatch.run', (f) => withBatch((b) => b.run(3, { onProgress: f }))],
    ];
    for (const [, call] of calls) {
      const seen: Progress[] = [];
      call((p) => seen.push(p));
      const last = seen.at(-1) as Progress;
      expect(last.done).toBe(last.total);
      expect(last.fraction).toBe(1);
      expect(typeof last.elapsedMs).toBe('number');
      expect(['step', 'sample', 'point', 'trial', 'iteration']).toContain(last.unit);
    }
  });

  test('async variants give the sync results bit for bit', async () => {
    const a = ltnSimulate(CYCLIC_NET, [0.3, 0.2, 0.25], { duration: 20, method: 'event-driven' });
    const b = await ltnSimulateAsync(CYCLIC_NET, [0.3, 0.2, 0.25], { duration: 20, method: 'event-driven', sliceMs: 0.1 });
    expect(b.x).toEqual(a.x);
    const c = ldsTest(CYCLIC_M, { iterations: 700 });
    const d = await ldsTestAsync(CYCLIC_M, { iterations: 700, sliceMs: 0.1 });
    expect([d.margin, ...d.p]).toEqual([c.margin, ...c.p]);
    const g1 = ltnGammaGap(LDS_NET, x2, [10, 100], { duration: 2 });
    const g2 = await ltnGammaGapAsync(LDS_NET, x2, [10, 100], { duration: 2, sliceMs: 0.1 });
    expect(g2.gaps).toEqual(g1.gaps);
  });

  test('ldsTest: the chunked ascent equals one long kernel call (TS twin, same algorithm) bit for bit', () => {
    const w = ldsTest(CYCLIC_M, { iterations: 3000 });
    const t = ldsTest(CYCLIC_M, { iterations: 3000, backend: 'ts' });
    expect(Math.abs(w.margin - t.margin)).toBeLessThan(1e-12);
  });

  // A long call of every async variant; a timer aborts it 30 ms in.
  const LONG: [string, (signal: AbortSignal) => Promise<unknown>][] = [
    ['ltnSimulateAsync', (signal) => ltnSimulateAsync(LDS_NET, x2, { duration: 2e5, dt: 1e-3, method: 'rk4', signal })],
    ['pdsSimulateAsync', (signal) => pdsSimulateAsync(CYCLIC_NET, [0.3, 0.2, 0.25], { duration: 2e5, signal })],
    ['lcsSimulateAsync', (signal) => lcsSimulateAsync(LDS_NET, x2, { duration: 1e4, dt: 1e-3, signal })],
    ['LtnBatch.runAsync', (signal) => withBatch((b) => b.runAsync(3000, { signal }), Array(64).fill(x2), 1e-3)],
    ['ltnGammaGapAsync', (signal) => ltnGammaGapAsync(LDS_NET, x2, [10, 300], { duration: 100, signal })],
    ['ltnStabilityReportAsync', (signal) => ltnStabilityReportAsync(CYCLIC_NET, { trials: 400, duration: 200, signal })],
    ['ldsTestAsync', (signal) => ldsTestAsync(ltnMatrix(bigNet(24)), { iterations: 100_000, signal })],
    ['pdsBestRateAsync', (signal) => pdsBestRateAsync(ltnMatrix(bigNet(24)), { iterations: 100_000, start: Array(24).fill(1), signal })],
  ];
  // a latency bound on a shared 2-core machine: one retry if another process took the CPU
  test.each(LONG)('%s: a timer-fired abort stops it within 50 ms (0 workers)', { retry: 2 }, async (_, call) => {
    // warm-up (compiles the code paths), then the timed run
    const warm = new AbortController();
    setTimeout(() => warm.abort(), 10);
    await call(warm.signal).catch(() => {});
    const before = kernelMemory();
    const ac = new AbortController();
    let fired = 0;
    setTimeout(() => {
      fired = performance.now();
      ac.abort();
    }, 30);
    let err: unknown;
    try {
      await call(ac.signal);
    } catch (e) {
      err = e;
    }
    const stopped = performance.now();
    expect(err).toBeInstanceOf(AbortedError);
    expect(fired).toBeGreaterThan(0);
    expect(stopped - fired).toBeLessThan(50);
    // an abandoned LDS ascent frees its kernel region; the batch is disposed by its caller
    expect(kernelMemory().regions).toBe(before.regions);
  });

  test('an aborted simulation carries the samples computed so far in `partial`', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 20);
    try {
      await ltnSimulateAsync(LDS_NET, x2, { duration: 2e5, dt: 1e-3, method: 'rk4', sampleInterval: 0.5, signal: ac.signal });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(AbortedError);
      const p = (e as AbortedError).partial as LtnTrajectory;
      expect(p).toBeInstanceOf(LtnTrajectory);
      expect(p.time[0]).toBe(0);
      expect(p.x.length).toBe(p.time.length * 2);
    }
  });
});

function bigNet(n: number) {
  const W = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 0 : Math.sin(i * 7 + j * 3) / n)));
  return { d: Array(n).fill(1), W, u: Array(n).fill(1) };
}

describe('results: toJSON, tables with units (dimensionless time)', () => {
  test('a trajectory as a table: time column unit "1" (dimensionless), one column per unit, JSON round trip', () => {
    const tr = ltnSimulate(LDS_NET, x2, { duration: 2, sampleInterval: 0.5, method: 'event-driven' });
    const t = tr.table();
    expect(t.columnNames()).toEqual(['time', 'x1', 'x2']);
    expect(t.column('time').unit).toBe('1');
    expect(t.column('time').description).toMatch(/dimensionless/);
    expect(Array.from(t.column('time').data)).toEqual([0, 0.5, 1, 1.5, 2]);
    expect(Array.from(t.column('x2').data)).toEqual(Array.from({ length: 5 }, (_, s) => tr.x[2 * s + 1]));
    const j = JSON.parse(JSON.stringify(tr));
    expect(j.kind).toBe('ltn.trajectory');
    expect(j.method).toBe('event-driven');
    expect(j.samples.units.time).toBe('1');
    expect(j.samples.columns.x1).toEqual(Array.from(t.column('x1').data));
    expect(j.final).toEqual(Array.from(tr.final));
  });

  test('the trajectory table goes through the library exporters unchanged (CSV read back bit for bit)', () => {
    const tr = ltnSimulate(LDS_NET, x2, { duration: 1, sampleInterval: 0.25 });
    const lines = io.toCSV(tr.table()).trim().split('\n');
    expect(lines[0]).toBe('time (1),x1 (1),x2 (1)');
    const back = lines.slice(1).map((l) => l.split(',').map(Number));
    expect(back.map((r) => r[0])).toEqual(Array.from(tr.time));
    expect(back.flatMap((r) => r.slice(1))).toEqual(Array.from(tr.x));
  });

  test('every result has toJSON with plain arrays', () => {
    const results: { toJSON(): unknown }[] = [
      ltnEquilibria(LDS_NET),
      ltnGammaGap(LDS_NET, x2, [10], { duration: 1 }),
      ltnStabilityReport(LDS_NET, { trials: 1 }),
      ldsTest(M2),
      pdsBestRate(M2),
    ];
    for (const r of results) {
      const j = JSON.parse(JSON.stringify(r));
      expect(typeof j.kind).toBe('string');
      expect(JSON.stringify(j)).not.toMatch(/"0":/); // no typed array serialised as an object
    }
    expect(JSON.parse(JSON.stringify(ltnEquilibria(LDS_NET))).equilibria).toEqual([[1.25, 0]]);
  });

  test('LtnBatch.states() is a table (trajectory, γ, x1…xn); stateArray() the raw row-major copy', () => {
    using b = new LtnBatch(LDS_NET, [x2, [1, 1]], { dt: 0.01, gamma: [1, 5] });
    b.run(1);
    const t = b.states();
    const a = b.stateArray();
    expect(t.columnNames()).toEqual(['trajectory', 'gamma', 'x1', 'x2']);
    expect(Array.from(t.column('gamma').data)).toEqual([1, 5]);
    expect(Array.from(t.column('x2').data)).toEqual([a[1], a[3]]);
    expect(t.meta.time).toBe(b.time);
  });
});

describe('seeds: keyOfSeed({ seed, trial })', () => {
  test('7 and "7" are the same seed; a trial draws other initial conditions', () => {
    const a = ltnStabilityReport(LDS_NET, { trials: 2, seed: 7 });
    const b = ltnStabilityReport(LDS_NET, { trials: 2, seed: '7' });
    const c = ltnStabilityReport(LDS_NET, { trials: 2, seed: 7, trial: 1 });
    expect(b.observedRate).toBe(a.observedRate);
    expect(c.observedRate).not.toBe(a.observedRate);
  });
});

describe('work bounds (issue #16): refused up front, before anything is allocated', () => {
  test('the simulators reject duration 1e308 with a ValidationError naming options.duration and the limit', () => {
    const calls: (() => unknown)[] = [
      () => ltnSimulate(LDS_NET, x2, { duration: 1e308, sampleInterval: 1e306 }),
      () => ltnSimulate(LDS_NET, x2, { duration: 1e308, sampleInterval: 1e306, method: 'rk4' }),
      () => ltnSimulate(LDS_NET, x2, { duration: 1e308, sampleInterval: 1e306, method: 'euler' }),
      () => ltnSimulate(LDS_NET, x2, { duration: 1e308, sampleInterval: 1e306, method: 'event-driven' }),
      () => pdsSimulate(LDS_NET, x2, { duration: 1e308, sampleInterval: 1e306 }),
      () => pdsSimulate(LDS_NET, x2, { duration: 1e308, sampleInterval: 1e306, method: 'projected-euler' }),
      () => lcsSimulate(LDS_NET, x2, { duration: 1e308, sampleInterval: 1e306 }),
    ];
    for (const f of calls) {
      const e = vErr(f);
      expect(e.argument).toBe('options.duration');
      expect(e.message).toMatch(/LTN_MAX_WORK/);
      expect(e.received).toBe(1e308);
    }
    // with the default sampleInterval (duration/200) the work bound still applies
    expect(vErr(() => ltnSimulate(LDS_NET, x2, { duration: 1e308 })).argument).toBe('options.duration');
    expect(vErr(() => withBatch((b) => b.run(1e308))).argument).toBe('duration');
    expect(vErr(() => ltnStabilityReport(LDS_NET, { duration: 1e308 })).argument).toBe('options.duration');
  });

  test('ltnGammaGap(…, { duration: 4294967312 }) is a ValidationError, not a V8 trap', () => {
    const before = kernelMemory();
    const e = vErr(() => ltnGammaGap(LDS_NET, x2, [10], { duration: 4294967312 }));
    expect(e.argument).toBe('options.duration');
    expect(e.received).toBe(4294967312);
    expect(kernelMemory().regions).toBe(before.regions);
  });

  test('too many samples, events, iterations or trajectories are refused with the documented limit', () => {
    expect(vErr(() => ltnSimulate(LDS_NET, x2, { duration: 1, sampleInterval: 1e-9 })).argument).toBe('options.sampleInterval');
    const ev = vErr(() => pdsSimulate(LDS_NET, x2, { duration: 1, maxEvents: ltnMaxEvents(2) + 1 }));
    expect(ev.argument).toBe('options.maxEvents');
    expect(ev.expected).toBe(`an integer in [1, ${ltnMaxEvents(2)}]`);
    // the LDS ascent counts 2(n+1)³ units per iteration
    const big = ltnMatrix(bigNet(64));
    const it = Math.floor(LTN_MAX_WORK / (2 * 65 ** 3));
    expect(vErr(() => ldsTest(big, { iterations: it + 1 })).argument).toBe('options.iterations');
    // an LtnBatch over 1 GiB is refused before anything is allocated (a holey array costs nothing)
    const before = kernelMemory();
    const e = vErr(() => new LtnBatch(LDS_NET, new Array(2 ** 28), { dt: 0.01 }));
    expect(e.argument).toBe('initial.length');
    expect(kernelMemory()).toEqual(before);
  });
});

describe('errors carry a meaningful kind, index, step and time (issue #16)', () => {
  test('Euler blow-up names the unstable unit', () => {
    // unit 1 alone is outside Euler's region (|1 − 0.05·100| = 4); unit 0 is stable
    const net = { d: [1, 100], W: [0, 0, 0, 0], u: [1, 1] };
    try {
      ltnSimulate(net, [0, 0], { duration: 1000, dt: 0.05, method: 'euler', checkStability: false });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(NumericalError);
      const n = e as NumericalError;
      expect(n.kind).toBe('non-finite');
      expect(n.index).toBe(1);
      expect(n.time).toBeCloseTo((n.step + 1) * 0.05, 9);
    }
  });

  test('event budget exhausted: kind "domain", the unit whose event fired, the time reached', () => {
    // from (0.2, 1.5) unit 1 of the LDS network hits its face (x* = (1.25, 0)): that is an event
    const full = pdsSimulate(LDS_NET, x2, { duration: 10, method: 'event-driven' });
    expect(full.events).toBeGreaterThanOrEqual(1);
    try {
      ltnSimulate(CYCLIC_NET, [0.3, 0.2, 0.25], { duration: 150, method: 'event-driven', maxEvents: 3 });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(NumericalError);
      const n = e as NumericalError;
      expect(n.kind).toBe('domain');
      expect(n.index).toBeGreaterThanOrEqual(0);
      expect(n.index).toBeLessThan(3);
      expect(n.time).toBeGreaterThan(0);
      expect(n.value).toBe(4);
    }
  });

  test('LtnBatch: index k·n + i, step counted from the batch start, time of the non-finite state', () => {
    using b = new LtnBatch({ d: [1], W: [[0]], u: [1] }, [[1], [2]], { dt: 50, method: 'euler', checkStability: false });
    b.run(50 * 3);
    try {
      b.run(50 * 10_000);
      expect.unreachable();
    } catch (e) {
      const n = e as NumericalError;
      expect(n).toBeInstanceOf(NumericalError);
      // x ← x + 50(1 − x): x − 1 = (−49)^k from x0 = 2 (trajectory 1; trajectory 0 sits at 1).
      // Step k computes 50(1 − x) with |1 − x| = 49^(k−1): it overflows first when
      // 50·49^(k−1) > MAX_VALUE, i.e. at k = ⌊ln(MAX/50)/ln 49⌋ + 2 steps from the batch's start.
      expect(n.index).toBe(1);
      expect(n.step + 1).toBe(Math.floor(Math.log(Number.MAX_VALUE / 50) / Math.log(49)) + 2);
      expect(n.time).toBe((n.step + 1) * 50);
    }
  });
});

describe('lifetime and memory (issue #16)', () => {
  test('dispose() from onProgress stops LtnBatch.run with DisposedError before it touches freed memory', () => {
    const before = kernelMemory();
    const b = new LtnBatch(LDS_NET, Array(100).fill(x2), { dt: 1e-3 });
    let r: Region | undefined;
    expect(() =>
      b.run(10, {
        onProgress: () => {
          if (r) return;
          b.dispose();
          r = new Region(72000, 'x');
          r.f64().fill(7);
        },
      }),
    ).toThrow(DisposedError);
    expect((r as Region).f64().every((v) => v === 7)).toBe(true);
    (r as Region).free();
    expect(kernelMemory().regions).toBe(before.regions);
  });

  test('failed constructors and rejected calls leave no kernel region behind', () => {
    const before = kernelMemory();
    for (let k = 0; k < 50; k++) {
      expect(() => new LtnBatch(LDS_NET, [x2], { dt: 10, method: 'euler' })).toThrow(ValidationError); // unstable step
      expect(() => new LtnBatch(LDS_NET, [x2, [1]], { dt: 0.01 })).toThrow(ValidationError);
      expect(() => ldsTest(M2, { iterations: 0 })).toThrow(ValidationError);
    }
    const after = kernelMemory();
    expect(after.regions).toBe(before.regions);
    expect(after.bytes).toBe(before.bytes);
  });
});
