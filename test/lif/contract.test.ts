// The public contract (docs/guides/conventions.md) on the lif family: strict options with
// suggestions at every entry point, ValidationError for wrong types, monitor units in ms, the one
// Progress type, cancellation of runAsync from a timer, JSON round trips of the results, and the
// defaults that add no physics (mu = sigma = 0; i0: 'stationary' draws the OU stationary law).
import { describe, expect, test } from 'vitest';
import {
  AbortedError,
  createLifCuba,
  fingerprint,
  LifNetwork,
  type LifSnapshotJSON,
  lifCurrentResponse,
  lifPropagator,
  lifReferenceRun,
  lifSteps,
  lifVoltageAt,
  type Progress,
  ValidationError,
} from '../../src/index.js';
import { tasks } from '../../src/lif/tasks.js';

/** The error `f` throws (or the rejection of the promise it returns). */
async function errorOf(f: () => unknown): Promise<unknown> {
  try {
    await f();
  } catch (e) {
    return e;
  }
  return undefined;
}

const net1 = () => {
  const n = new LifNetwork({ dt: 0.1 });
  n.addPopulation('p', 4);
  return n;
};

describe('unknown options: ValidationError naming the key, the entry point and the nearest name', () => {
  test.each([
    ['tau_m', () => new LifNetwork({ dt: 0.1 }).addPopulation('E', 10, { tau_m: 20 } as never), 'addPopulation', 'tauMem'],
    ['tauMme', () => new LifNetwork({ dt: 0.1 }).addPopulation('p', 8, { tauMme: 5 } as never), 'addPopulation', 'tauMem'],
    ['bin', () => net1().addRateMonitor({ bin: 5 } as never), 'addRateMonitor', 'binSize'],
  ])('the issue’s typo %s', async (key, f, where, suggestion) => {
    const e = (await errorOf(f)) as ValidationError;
    expect(e).toBeInstanceOf(ValidationError);
    expect(e.message).toBe(`unknown option '${key}' for ${where}; did you mean '${suggestion}'?`);
    expect(e.suggestion).toBe(suggestion);
  });

  const conn = (connector: unknown) => () => {
    const n = net1();
    n.connect('p', 'p', { connector: connector as never, weight: 1 });
  };
  const snap = () => {
    const n = net1();
    return { n, s: JSON.parse(JSON.stringify(n.snapshot())) as LifSnapshotJSON };
  };
  const ref = { tauMem: 20, vLeak: 0, vThreshold: 1, vReset: 0, tauSyn: 5, mu: 0.06, sigma: 0 };
  const cases: [string, () => unknown, string, string, string | undefined][] = [
    ['LifNetwork', () => new LifNetwork({ dt: 0.1, sead: 1 } as never), 'LifNetwork', 'sead', 'seed'],
    ['LifNetwork noise', () => new LifNetwork({ dt: 0.1, noise: { fineStep: 2 } as never }), 'LifNetwork', 'fineStep', 'fineSteps'],
    [
      'LifNetwork refractory (Brian2 name of tRef)',
      () => new LifNetwork({ dt: 0.1 }).addPopulation('p', 2, { refractory: 5 } as never),
      'addPopulation',
      'refractory',
      'tRef',
    ],
    [
      'addPopulation V_th',
      () => new LifNetwork({ dt: 0.1 }).addPopulation('p', 2, { V_th: 1 } as never),
      'addPopulation',
      'V_th',
      'vThreshold',
    ],
    [
      'params.poisson',
      () => new LifNetwork({ dt: 0.1 }).addPopulation('p', 2, { poisson: { rte: 5, weight: 1 } as never }),
      'addPopulation',
      'rte',
      'rate',
    ],
    [
      'params.v0',
      () => new LifNetwork({ dt: 0.1 }).addPopulation('p', 2, { v0: { unifrom: [0, 1] } as never }),
      'addPopulation',
      'unifrom',
      'uniform',
    ],
    ['connect', () => net1().connect('p', 'p', { connector: { type: 'allToAll' }, weigth: 1 } as never), 'connect', 'weigth', 'weight'],
    ['allToAll', conn({ type: 'allToAll', autapse: true }), 'connect', 'autapse', 'autapses'],
    ['fixedProbability', conn({ type: 'fixedProbability', p: 0.1, autapse: true }), 'connect', 'autapse', 'autapses'],
    ['fixedInDegree', conn({ type: 'fixedInDegree', K: 2 }), 'connect', 'K', 'k'],
    ['dense', conn({ type: 'dense', matrx: [] }), 'connect', 'matrx', 'matrix'],
    ['csr', conn({ type: 'csr', rowptr: [0, 0, 0, 0, 0], cols: [] }), 'connect', 'rowptr', 'rowPtr'],
    ['addLayers', () => new LifNetwork({ dt: 0.1 }).addLayers([2], { param: {} } as never), 'addLayers', 'param', 'params'],
    [
      'addLayers params',
      () => new LifNetwork({ dt: 0.1 }).addLayers([2], { params: { tau_m: 20 } as never }),
      'addLayers',
      'tau_m',
      'tauMem',
    ],
    ['addSpikeMonitor', () => net1().addSpikeMonitor({ populaton: 'p' } as never), 'addSpikeMonitor', 'populaton', 'population'],
    ['addStateMonitor', () => net1().addStateMonitor({ neurons: [0], intervall: 1 } as never), 'addStateMonitor', 'intervall', 'interval'],
    ['run', () => net1().run(1, { onprogress: () => {} } as never), 'LifNetwork.run', 'onprogress', 'onProgress'],
    ['runAsync', () => net1().runAsync(1, { slice: 5 } as never), 'LifNetwork.runAsync', 'slice', 'sliceMs'],
    ['setState', () => net1().setState({ V: 0 } as never), 'setState', 'V', 'v'],
    [
      'restore',
      () => {
        const { n, s } = snap();
        n.restore({ ...s, stepp: 0 } as never);
      },
      'restore',
      'stepp',
      'step',
    ],
    ['createLifCuba', () => createLifCuba({ neuron: 100 } as never), 'createLifCuba', 'neuron', 'neurons'],
    ['lifSteps', () => lifSteps({ v: [0], i: [0] }, {}, { dt: 0.1, dur: 1 } as never), 'lifSteps', 'dur', 'duration'],
    [
      'lifSteps params',
      () => lifSteps({ v: [0], i: [0] }, { tau_m: 20 } as never, { dt: 0.1, duration: 1 }),
      'lifSteps',
      'tau_m',
      'tauMem',
    ],
    ['lifPropagator', () => lifPropagator({ tau_m: 20, tauSyn: 5, dt: 0.1 } as never), 'lifPropagator', 'tau_m', 'tauMem'],
    ['lifVoltageAt', () => lifVoltageAt(1, { tauMem: 20, tauSyn: 5, V0: 1 } as never), 'lifVoltageAt', 'V0', 'v0'],
    [
      'lifCurrentResponse',
      () => lifCurrentResponse(1, { tauMem: 20, tauSyn: 5, tau_s: 5 } as never),
      'lifCurrentResponse',
      'tau_s',
      'tauSyn',
    ],
    [
      'lifReferenceRun',
      () => lifReferenceRun({ v: new Float64Array(2), i: new Float64Array(2) }, ref, { dt: 0.1, duration: 1, startstep: 0 } as never),
      'lifReferenceRun',
      'startstep',
      'startStep',
    ],
    [
      'lifReferenceRun params',
      () => lifReferenceRun({ v: new Float64Array(2), i: new Float64Array(2) }, { ...ref, gL: 0.05 } as never, { dt: 0.1, duration: 1 }),
      'lifReferenceRun',
      'gL',
      undefined,
    ],
    [
      'lif.population task',
      () => tasks['lif.population']({ seed: 1, trial: 0, params: { sizes: 2, dt: 0.1, duration: 1 } }),
      'lif.population',
      'sizes',
      'size',
    ],
  ];
  test.each(cases)('%s', async (_, f, where, key, suggestion) => {
    const e = (await errorOf(f)) as ValidationError;
    expect(e).toBeInstanceOf(ValidationError);
    expect(e.message.startsWith(`unknown option '${key}' for ${where}; `)).toBe(true);
    expect(e.suggestion).toBe(suggestion);
    if (suggestion) expect(e.message).toContain(`did you mean '${suggestion}'?`);
    else expect(e.message).toContain('valid options:');
  });
});

describe('wrong types and values: ValidationError naming the argument, never TypeError/RangeError', () => {
  const bad: [string, () => unknown, string][] = [
    ['options null', () => new LifNetwork(null as never), 'options'],
    ['dt a string', () => new LifNetwork({ dt: '0.1' as never }), 'dt'],
    ['seed an object', () => new LifNetwork({ dt: 0.1, seed: {} as never }), 'seed'],
    ['trial negative', () => new LifNetwork({ dt: 0.1, trial: -1 }), 'trial'],
    ['key word not an integer', () => new LifNetwork({ dt: 0.1, key: { k0: 'a', k1: 0 } as never }), 'key.k0'],
    ['noise a number', () => new LifNetwork({ dt: 0.1, noise: 5 as never }), 'noise'],
    ['params a string', () => new LifNetwork({ dt: 0.1 }).addPopulation('p', 2, 'x' as never), 'params'],
    ['mu a string', () => new LifNetwork({ dt: 0.1 }).addPopulation('p', 2, { mu: 'a' as never }), 'params.mu'],
    ['poisson a number', () => new LifNetwork({ dt: 0.1 }).addPopulation('p', 2, { poisson: 5 as never }), 'params.poisson'],
    [
      'poisson.rate a string',
      () => new LifNetwork({ dt: 0.1 }).addPopulation('p', 2, { poisson: { rate: 'x' as never, weight: 1 } }),
      'params.poisson.rate',
    ],
    [
      'poisson.channel 2',
      () => new LifNetwork({ dt: 0.1 }).addPopulation('p', 2, { poisson: { rate: 1, weight: 1, channel: 2 as never } }),
      'params.poisson.channel',
    ],
    ['v0 a string', () => new LifNetwork({ dt: 0.1 }).addPopulation('p', 2, { v0: 'abc' as never }), 'params.v0'],
    ['v0.uniform a number', () => new LifNetwork({ dt: 0.1 }).addPopulation('p', 2, { v0: { uniform: 5 as never } }), 'params.v0.uniform'],
    ['i0 a misspelt keyword', () => new LifNetwork({ dt: 0.1 }).addPopulation('p', 2, { i0: 'stationry' as never }), 'params.i0'],
    [
      'sharedNoise a string',
      () => new LifNetwork({ dt: 0.1 }).addPopulation('p', 2, { sharedNoise: '0.1' as never }),
      'params.sharedNoise',
    ],
    ['population name a number', () => new LifNetwork({ dt: 0.1 }).addPopulation(5 as never, 2), 'name'],
    ['size a string', () => new LifNetwork({ dt: 0.1 }).addPopulation('p', '2' as never), 'size'],
    ['connect options null', () => net1().connect('p', 'p', null as never), 'options'],
    ['connector a string', () => net1().connect('p', 'p', { connector: 'allToAll' as never, weight: 1 }), 'options.connector'],
    [
      'connector type "constructor"',
      () => net1().connect('p', 'p', { connector: { type: 'constructor' } as never, weight: 1 }),
      'options.connector.type',
    ],
    [
      'weightUnit a number',
      () => net1().connect('p', 'p', { connector: { type: 'allToAll' }, weight: 1, weightUnit: 5 as never }),
      'options.weightUnit',
    ],
    [
      'channel "1"',
      () => net1().connect('p', 'p', { connector: { type: 'allToAll' }, weight: 1, channel: '1' as never }),
      'options.channel',
    ],
    ['delay negative', () => net1().connect('p', 'p', { connector: { type: 'allToAll' }, weight: 1, delay: -1 }), 'options.delay'],
    ['addLayers without projection', () => new LifNetwork({ dt: 0.1 }).addLayers([2, 2], {}), 'options.projection'],
    ['spike monitor options a number', () => net1().addSpikeMonitor(5 as never), 'options'],
    ['spike monitor population unknown', () => net1().addSpikeMonitor({ population: 'q' }), 'options.population'],
    ['state monitor without options', () => net1().addStateMonitor(undefined as never), 'options.neurons'],
    ['state monitor neurons a number', () => net1().addStateMonitor({ neurons: 5 as never }), 'options.neurons'],
    ['state monitor onSample a number', () => net1().addStateMonitor({ neurons: [0], onSample: 5 as never }), 'options.onSample'],
    ['state monitor interval not a multiple of dt', () => net1().addStateMonitor({ neurons: [0], interval: 0.25 }), 'options.interval'],
    ['rate monitor binSize a string', () => net1().addRateMonitor({ binSize: 'x' as never }), 'options.binSize'],
    ['run duration a string', () => net1().run('10' as never), 'duration'],
    ['run options a number', () => net1().run(10, 5 as never), 'options'],
    ['run signal not a signal', () => net1().run(10, { signal: {} as never }), 'options.signal'],
    ['run duration beyond the step counter', () => net1().run(1e308), 'duration'],
    ['runAsync duration beyond the step counter', () => net1().runAsync(1e308), 'duration'],
    ['runAsync sliceMs 1e-320', () => net1().runAsync(10, { sliceMs: 1e-320 }), 'options.sliceMs'],
    ['setState null', () => net1().setState(null as never), 'state'],
    ['setState v a string', () => net1().setState({ v: 'x' as never }), 'state.v'],
    ['restore null', () => net1().restore(null as never), 'snapshot'],
    ['restore without arrays', () => net1().restore({} as never), 'snapshot.v'],
    ['getProjection a string', () => net1().getProjection('a' as never), 'k'],
    ['lifSteps state null', () => lifSteps(null as never, {}, { dt: 0.1, duration: 1 }), 'state'],
    ['lifPropagator null', () => lifPropagator(null as never), 'options'],
    ['lifPropagator tauMem negative', () => lifPropagator({ tauMem: -1, tauSyn: 5, dt: 0.1 }), 'options.tauMem'],
    ['lifVoltageAt t a string', () => lifVoltageAt('1' as never, { tauMem: 20, tauSyn: 5 }), 't'],
    ['createLifCuba neurons a string', () => createLifCuba({ neurons: 'x' as never }), 'neurons'],
    ['createLifCuba p 2', () => createLifCuba({ p: 2 }), 'p'],
    [
      'lifReferenceRun plain arrays',
      () => lifReferenceRun({ v: [1] as never, i: [1] as never }, {} as never, { dt: 0.1, duration: 1 }),
      'state.v',
    ],
  ];
  test.each(bad)('%s', async (_, f, argument) => {
    const e = await errorOf(f);
    expect(e).toBeInstanceOf(ValidationError);
    expect((e as ValidationError).argument).toBe(argument);
  });
});

describe('defaults add no physics', () => {
  test('a population given no mu and sigma has no drive and no noise: V relaxes to V_L as e^{−t/τ_m}', () => {
    const net = new LifNetwork({ dt: 0.1, integrator: 'exact', seed: 1 });
    net.addPopulation('p', 50, { v0: 0.5 });
    const m = net.addSpikeMonitor();
    net.run(20);
    const s = net.state();
    expect(m.count).toBe(0);
    for (let k = 0; k < 50; k++) {
      expect(s.i[k]).toBe(0);
      expect(s.v[k]).toBeCloseTo(0.5 * Math.exp(-1), 12);
    }
    net.dispose();
  });

  test("i0: 'stationary' draws I(0) ~ N(μ, σ²) (per-neuron μ and σ), and the exact integrator keeps that law", () => {
    const N = 20_000;
    const mu = Float64Array.from({ length: N }, (_, k) => (k % 2 ? 0.02 : 0.05));
    const sigma = Float64Array.from({ length: N }, (_, k) => (k % 2 ? 0.01 : 0.04));
    const net = new LifNetwork({ dt: 0.5, integrator: 'exact', seed: 3 });
    net.addPopulation('p', N, { mu, sigma, i0: 'stationary', vThreshold: 1e9, vReset: -1e9 });
    const moments = (i: Float64Array, parity: number) => {
      let m = 0;
      let n = 0;
      for (let k = parity; k < N; k += 2, n++) m += i[k];
      m /= n;
      let v = 0;
      for (let k = parity; k < N; k += 2) v += (i[k] - m) ** 2;
      return { mean: m, variance: v / n, n };
    };
    for (const when of ['t = 0', 't = 200 ms']) {
      if (when !== 't = 0') net.run(200);
      const { i } = net.state();
      for (const parity of [0, 1]) {
        const { mean, variance, n } = moments(i, parity);
        const m0 = parity ? 0.02 : 0.05;
        const s0 = parity ? 0.01 : 0.04;
        // Mean within 4 standard errors; sample variance within 4·√(2/n) relative (≈ 8 %).
        expect(Math.abs(mean - m0)).toBeLessThan((4 * s0) / Math.sqrt(n));
        expect(Math.abs(variance / s0 ** 2 - 1)).toBeLessThan(4 * Math.sqrt(2 / n));
      }
    }
    net.dispose();
  });

  test("i0: 'stationary' with sharedNoise c: neurons of a population are correlated by c, as the stationary law says", () => {
    const c = 0.3;
    const P = 2000;
    const net = new LifNetwork({ dt: 0.1, seed: 5 });
    for (let q = 0; q < P; q++) net.addPopulation(`p${q}`, 2, { mu: 0.01, sigma: 0.02, sharedNoise: c, i0: 'stationary' });
    const { i } = net.state();
    let sa = 0;
    let sb = 0;
    let sab = 0;
    let saa = 0;
    let sbb = 0;
    for (let q = 0; q < P; q++) {
      const a = i[2 * q] - 0.01;
      const b = i[2 * q + 1] - 0.01;
      sa += a;
      sb += b;
      sab += a * b;
      saa += a * a;
      sbb += b * b;
    }
    const cov = sab / P - (sa / P) * (sb / P);
    const r = cov / Math.sqrt((saa / P - (sa / P) ** 2) * (sbb / P - (sb / P) ** 2));
    // Standard error of r ≈ (1 − c²)/√P ≈ 0.02.
    expect(Math.abs(r - c)).toBeLessThan(0.08);
    net.dispose();
  });
});

describe('units: monitor times and bins in ms', () => {
  const noisy = (seed = 2) => {
    const n = new LifNetwork({ dt: 0.1, integrator: 'exact', seed });
    n.addPopulation('a', 80, { mu: 0.055, sigma: 0.03, v0: { uniform: [0, 1] } });
    n.addPopulation('b', 40, { mu: 0.06, sigma: 0.02, v0: { uniform: [0, 1] } });
    return n;
  };

  test('a rate monitor with binSize 5 ms at dt 0.1 equals spike counts over 50 steps, in Hz', () => {
    const net = noisy();
    const r = net.addRateMonitor({ population: 'b', binSize: 5 });
    const m = net.addSpikeMonitor({ population: 'b' });
    expect(r.binSteps).toBe(50);
    net.run(100);
    const t = r.rates();
    const s = m.spikes();
    const counts = new Float64Array(20);
    for (const st of s.step) counts[Math.floor(st / 50)]++;
    expect(t.length).toBe(20);
    expect(Array.from(t.time)).toEqual(Array.from({ length: 20 }, (_, b) => b * 50 * 0.1));
    expect(Array.from(t.count)).toEqual(Array.from(counts));
    for (let b = 0; b < 20; b++) expect(t.rate[b]).toBeCloseTo(counts[b] / (40 * 0.005), 9);
    expect(t.column('time').unit).toBe('ms');
    expect(t.column('rate').unit).toBe('Hz');
    expect(t.meta.binSize).toBe(5);
    net.dispose();
  });

  test('a rate monitor added mid-bin normalises its first bin by the time it observed', () => {
    const net = noisy(4);
    net.run(2.5);
    const r = net.addRateMonitor({ binSize: 5 });
    const m = net.addSpikeMonitor();
    net.run(7.5); // t = 2.5 … 10 ms: bins [0, 5) seen for 2.5 ms, [5, 10) for 5 ms
    const t = r.rates();
    const s = m.spikes();
    const c0 = s.time.filter((x) => x < 5).length;
    expect(t.length).toBe(2);
    expect(t.count[0]).toBe(c0);
    expect(t.count[1]).toBe(s.length - c0);
    expect(t.rate[0]).toBeCloseTo(c0 / (120 * 0.0025), 9);
    expect(t.rate[1]).toBeCloseTo((s.length - c0) / (120 * 0.005), 9);
    net.dispose();
  });

  test('bins and intervals must be whole numbers of steps: 0.3 ms at dt 0.1 is 3 steps, 0.25 ms is refused', () => {
    const net = noisy();
    expect(net.addRateMonitor({ binSize: 0.3 }).binSteps).toBe(3);
    expect(net.addStateMonitor({ neurons: [0], interval: 0.3 }).intervalSteps).toBe(3);
    expect(() => net.addRateMonitor({ binSize: 0.25 })).toThrow('options.binSize: expected a positive multiple of dt = 0.1 ms, got 0.25');
    net.dispose();
  });

  test('a state monitor with interval 0.5 ms samples at t = 0, 0.5, 1, … the state the network has then', () => {
    const a = noisy(6);
    const sm = a.addStateMonitor({ neurons: [3, 90], interval: 0.5 });
    a.run(5);
    const d = sm.samples();
    // Reference: the same network advanced 0.5 ms at a time, read with state().
    const b = noisy(6);
    const want: number[] = [];
    for (let k = 0; k <= 10; k++) {
      if (k > 0) b.run(0.5);
      const st = b.state();
      want.push(st.v[3], st.v[90]);
    }
    expect(d.length).toBe(22);
    expect(Array.from(d.time)).toEqual(Array.from({ length: 22 }, (_, r) => Math.floor(r / 2) * 5 * 0.1));
    expect(Array.from(d.v)).toEqual(want);
    expect(d.column('time').unit).toBe('ms');
    a.dispose();
    b.dispose();
  });

  test('spike tables give time = (step + offset)·dt in ms beside step and offset', () => {
    const net = noisy();
    const m = net.addSpikeMonitor();
    net.run(50);
    const s = m.spikes();
    expect(s.length).toBeGreaterThan(20);
    for (let k = 0; k < s.length; k++) expect(s.time[k]).toBe((s.step[k] + s.offset[k]) * 0.1);
    expect(s.columnNames()).toEqual(['neuron', 'time', 'step', 'offset', 'A']);
    expect(s.column('time').unit).toBe('ms');
    expect(s.kind).toBe('lif.spikes');
    expect(s.meta.dt).toBe(0.1);
    expect(Array.from(m.timesOf(s.neuron[0]))[0]).toBe(s.time[0]);
    net.dispose();
  });
});

describe('progress and cancellation', () => {
  test('runAsync reports the one Progress type (unit step, time in ms) and equals run()', async () => {
    const mk = () => {
      const n = new LifNetwork({ dt: 0.1, seed: 8 });
      n.addPopulation('p', 300, { mu: 0.055, sigma: 0.02, v0: { uniform: [0, 1] } });
      return n;
    };
    const a = mk();
    a.run(40);
    a.run(60);
    const b = mk();
    const seen: Progress[] = [];
    await b.runAsync(100, { onProgress: (p) => seen.push(p), sliceMs: 1 });
    expect(fingerprint(b.state().v, b.state().i)).toBe(fingerprint(a.state().v, a.state().i));
    expect(seen.length).toBeGreaterThan(0);
    const last = seen[seen.length - 1];
    expect(last).toMatchObject({ done: 1000, total: 1000, unit: 'step', fraction: 1 });
    expect(last.time).toBeCloseTo(100, 9);
    for (let k = 1; k < seen.length; k++) expect(seen[k].done).toBeGreaterThan(seen[k - 1].done);
    a.dispose();
    b.dispose();
  });

  test(
    'a timer-fired abort stops runAsync within 50 ms on a network where 100 steps take > 200 ms',
    { retry: 2 },
    async () => {
      // Size the network from a measurement, so that 100 steps surely take > 200 ms here.
      const probe = new LifNetwork({ dt: 0.1, seed: 1 });
      probe.addPopulation('p', 100_000, { mu: 0.055, sigma: 0.02, v0: { uniform: [0, 1] } });
      probe.run(0.5);
      let t0 = performance.now();
      probe.run(2);
      const perNeuronStep = (performance.now() - t0) / (20 * 100_000);
      probe.dispose();
      const N = Math.min(4_000_000, Math.max(200_000, Math.ceil(400 / (100 * perNeuronStep))));
      const net = new LifNetwork({ dt: 0.1, seed: 1 });
      net.addPopulation('p', N, { mu: 0.055, sigma: 0.02, v0: { uniform: [0, 1] } });
      const m = net.addSpikeMonitor();
      net.run(0.1);
      t0 = performance.now();
      net.run(1); // 10 steps
      const per100 = (performance.now() - t0) * 10;
      expect(per100, `N = ${N}`).toBeGreaterThan(200); // 100 steps take > 200 ms
      // Up to three attempts on the same network: the latency is wall-clock time on a shared machine,
      // where the OS may hold the process for tens of ms; a regression (kernel calls of 100 steps,
      // ≥ 200 ms here) fails every attempt.
      const latencies: number[] = [];
      for (let attempt = 0; attempt < 3 && !(Math.min(...latencies) < 50); attempt++) {
        const ac = new AbortController();
        let firedAt = 0;
        // Latency from the time the timer is due: a run that blocks the event loop delays the timer itself.
        const dueAt = performance.now() + 150;
        setTimeout(() => {
          firedAt = performance.now();
          ac.abort();
        }, 150);
        const before = net.step;
        const e = await errorOf(() => net.runAsync(1e6, { signal: ac.signal }));
        const stoppedAt = performance.now();
        expect(e).toBeInstanceOf(AbortedError);
        expect(firedAt).toBeGreaterThan(0);
        latencies.push(stoppedAt - dueAt);
        expect(net.step).toBeGreaterThan(before);
        expect((e as AbortedError).partial).toEqual({ step: net.step, time: net.time });
        expect(m.count).toBe(net.spikeCount); // everything recorded so far stays readable
      }
      expect(
        Math.min(...latencies),
        `N = ${N}, 100 steps ≈ ${per100.toFixed(0)} ms, latencies ${latencies.map((x) => x.toFixed(1))} ms`,
      ).toBeLessThan(50);
      net.dispose();
    },
    60_000,
  );
});

describe('results: toJSON round trips', () => {
  test('spike, rate, sample and state tables serialise with their units; a snapshot restores from its JSON bit for bit', () => {
    const net = new LifNetwork({ dt: 0.1, integrator: 'exact', spikeRule: 'hermite', seed: 9 });
    net.addPopulation('e', 60, { mu: 0.055, sigma: 0.03, v0: { uniform: [0, 1] } });
    net.connect('e', 'e', { connector: { type: 'fixedProbability', p: 0.1 }, weight: 0.003, delay: 0.75 });
    const sm = net.addSpikeMonitor();
    const rm = net.addRateMonitor({ binSize: 2 });
    const st = net.addStateMonitor({ neurons: [1, 2], interval: 1 });
    net.run(30);
    for (const t of [sm.spikes(), rm.rates(), st.samples(), net.state()]) {
      const j = JSON.parse(JSON.stringify(t));
      expect(j.kind).toBe(t.kind);
      expect(j.length).toBe(t.length);
      for (const c of t.columnNames()) {
        expect(j.columns[c]).toEqual(Array.from(t.column(c).data));
        expect(j.units[c]).toBe(t.column(c).unit);
      }
      expect(j.meta.dt).toBe(0.1);
      expect(j.meta.populations).toEqual([{ name: 'e', start: 0, size: 60 }]);
    }
    expect(JSON.parse(JSON.stringify(sm))).toEqual(JSON.parse(JSON.stringify(sm.spikes())));
    const proj = JSON.parse(JSON.stringify(net.getProjection(0)));
    expect(proj.kind).toBe('lif.projection');
    expect(proj.cols).toEqual(Array.from(net.getProjection(0).cols));
    // Snapshot → JSON → restore: the continuation equals the one from the original snapshot.
    const snap = net.snapshot();
    const json = JSON.parse(JSON.stringify(snap)) as LifSnapshotJSON;
    expect(json.kind).toBe('lif.snapshot');
    const cont = (s: unknown) => {
      net.restore(s as LifSnapshotJSON);
      const m = net.addSpikeMonitor();
      net.run(20);
      const e = net.state();
      return fingerprint(m.spikes().time, e.v, e.i, e.i2);
    };
    const a = cont(snap);
    expect(cont(json)).toBe(a);
    net.dispose();
  });

  test('lifSteps results serialise with their spike table', () => {
    const r = lifSteps({ v: [0.9, 0.95], i: [0.06, 0.07] }, { mu: 0.06 }, { dt: 0.1, duration: 10 });
    const j = JSON.parse(JSON.stringify(r));
    expect(j.kind).toBe('lif.steps');
    expect(j.endStep).toBe(100);
    expect(j.v).toEqual(Array.from(r.v));
    expect(j.spikes.kind).toBe('lif.spikes');
    expect(j.spikes.columns.time).toEqual(Array.from(r.spikes.time));
    expect(r.spikes.length).toBeGreaterThan(0);
  });
});
