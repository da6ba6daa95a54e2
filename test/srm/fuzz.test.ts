// Hostile-input fuzz over the public entry points of srm, stats and rng (issue #16): every call
// ends in a library error (a NeurodynError subclass: a typed error naming the argument) or a
// result without ±∞ (NaN only where the TSDoc documents it), never a raw TypeError/RangeError, and
// no kernel region is left behind. fast-check with a fixed seed and a bounded budget.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  fitOrder,
  golombChi,
  isiStatistics,
  kernelMemory,
  lifCvColouredNoise,
  lifRateColouredNoise,
  linearFit,
  loopTruncatedCovariance,
  loopTruncatedRates,
  matchSpikeTrains,
  meanConfidence,
  median,
  NeurodynError,
  NormalGenerator,
  normals,
  palmDensity,
  populationRate,
  quantile,
  riceRate,
  SrmNetwork,
  SrmVariational,
  saltationFactor,
  spikeCountCorrelations,
  studentTCdf,
  studentTQuantile,
  uniforms,
  vanRossumDistance,
} from '../../src/index.js';

/** Values that broke entry points before (#16) and their neighbours. */
const hostile = fc.constantFrom<unknown>(
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  -1,
  0,
  0.5,
  1,
  3,
  2 ** 31,
  2 ** 32 + 16,
  1e308,
  -0,
  null,
  undefined,
  '',
  'x',
  '7',
  true,
  {},
  [],
  [Number.NaN],
  [1, 2, 3],
  new Float64Array(4),
  new Uint8Array(6),
  () => 0,
  { k0: 1 },
  { n: 2, steps: 3, spikes: new Uint8Array(6) },
);
/** A plausible number most of the time, a hostile value otherwise. */
const num = (lo: number, hi: number) =>
  fc.oneof({ weight: 3, arbitrary: fc.double({ min: lo, max: hi, noNaN: true }) }, { weight: 1, arbitrary: hostile });
const arr = fc.oneof(fc.array(fc.double({ min: -5, max: 50, noNaN: true }), { maxLength: 12 }), hostile);
/** An options object: some valid keys, maybe a typo, values plausible or hostile. */
const opts = (keys: string[], value: fc.Arbitrary<unknown>) =>
  fc.oneof(
    { weight: 4, arbitrary: fc.dictionary(fc.constantFrom(...keys, `${keys[0]}_`, 'bin', 'tau_m'), value, { maxKeys: 4 }) },
    { weight: 1, arbitrary: hostile },
  );

function noInfinity(v: unknown, depth = 0): boolean {
  if (typeof v === 'number') return v !== Number.POSITIVE_INFINITY && v !== Number.NEGATIVE_INFINITY;
  if (depth > 3 || v === null || typeof v !== 'object') return true;
  if (ArrayBuffer.isView(v)) return Array.from(v as unknown as ArrayLike<number>).every((x) => noInfinity(x));
  return Object.values(v).every((x) => noInfinity(x, depth + 1));
}

/** Runs `call`; fails on a raw JS error, a ±∞ in the result or a leaked region. */
function check(name: string, call: () => unknown): void {
  const before = kernelMemory().regions;
  let result: unknown;
  try {
    result = call();
  } catch (e) {
    if (!(e instanceof NeurodynError)) throw new Error(`${name}: raw ${(e as Error)?.name}: ${(e as Error)?.message}`);
    expect(kernelMemory().regions, `${name} leaked after an error`).toBe(before);
    return;
  }
  expect(noInfinity(result), `${name} returned ±∞`).toBe(true);
}

const RUNS = { numRuns: 150, seed: 20261207 };

describe('fuzz: srm', () => {
  test('SrmNetwork: constructor and every method', () => {
    const keys = ['n', 'tauMem', 'tauAdapt', 'eta0', 'rho0', 'vThreshold', 'deltaU', 'dt', 'weights', 'bias', 'visible', 'seed', 'trial'];
    fc.assert(
      fc.property(opts(keys, num(-2, 40)), (o) => {
        const before = kernelMemory().regions;
        let net: SrmNetwork | undefined;
        check('new SrmNetwork', () => {
          net = new SrmNetwork({ n: 3, silence: ['srm.saturation'], ...(o as object) } as never);
        });
        net?.dispose();
        expect(kernelMemory().regions).toBe(before);
      }),
      RUNS,
    );
    const net = new SrmNetwork({ n: 3, weights: [0, 1, -1, 0.5, 0, 0.3, 0, 1, 0], rho0: 50, silence: ['srm.saturation'] });
    const train = net.sample(20).train;
    fc.assert(
      fc.property(num(-5, 300), opts(['seed', 'trial', 'clamp', 'clampSteps', 'gradient', 'signal', 'onProgress'], hostile), (d, o) => {
        check('sample', () => net.sample(d as number, o as never));
        check('run', () => net.run(d as number, o as never));
      }),
      RUNS,
    );
    fc.assert(
      fc.property(fc.oneof(fc.constant(train), hostile), opts(['form', 'method', 'learningRate', 'tauElig', 'mask'], hostile), (t, o) => {
        check('logLikelihood', () => net.logLikelihood(t as never, o as never));
        check('gradient', () => net.gradient(t as never, o as never));
        check('learnOnline', () => net.learnOnline(t as never, o as never));
        check('vanRossumDistance', () => vanRossumDistance(train, t as never, o as never));
      }),
      RUNS,
    );
    fc.assert(
      fc.property(hostile, hostile, (a, b) => {
        check('addToParameters', () => net.addToParameters(a as never, b as never));
        check('setBias', () => net.setBias(a as never));
        check('setWeights', () => net.setWeights(a as never));
      }),
      RUNS,
    );
    net.dispose();
  });

  test('SrmVariational: constructor, estimate, learnStep, bound', () => {
    const keys = ['n', 'visible', 'weightsM', 'biasM', 'weightsQ', 'biasQ', 'lookaheadSteps', 'maskM', 'maskQ', 'rho0'];
    const before = kernelMemory().regions;
    fc.assert(
      fc.property(opts(keys, hostile), (o) => {
        let v: SrmVariational | undefined;
        check('new SrmVariational', () => {
          v = new SrmVariational({ n: 3, visible: [1, 1, 0], ...(o as object) } as never);
        });
        v?.dispose();
      }),
      RUNS,
    );
    expect(kernelMemory().regions).toBe(before);
    const v = new SrmVariational({ n: 3, visible: [1, 1, 0], rho0: 50 });
    const data = { n: 2, steps: 30, spikes: new Uint8Array(60).map((_, k) => (k % 7 === 0 ? 1 : 0)) };
    fc.assert(
      fc.property(
        fc.oneof(fc.constant(data), hostile),
        opts(['seed', 'trial', 'learningRateM', 'learningRateQ', 'samples'], hostile),
        (d, o) => {
          check('estimate', () => v.estimate(d as never, o as never));
          check('learnStep', () => v.learnStep(d as never, o as never));
          check('bound', () => v.bound(d as never, o as never));
        },
      ),
      { ...RUNS, numRuns: 60 },
    );
    v.dispose();
    expect(kernelMemory().regions).toBe(before);
  });
});

describe('fuzz: stats', () => {
  test('spike statistics, inference and mean field', () => {
    fc.assert(
      fc.property(arr, arr, opts(['n', 'tStart', 'tStop', 'binSize', 'window', 'ddof', 'level', 'weights'], num(-10, 100)), (a, b, o) => {
        check('populationRate', () => populationRate(a as never, o as never));
        check('spikeCountCorrelations', () => spikeCountCorrelations({ neuron: b, time: a } as never, o as never));
        check('isiStatistics', () => isiStatistics(a as never, o as never));
        check('matchSpikeTrains', () => matchSpikeTrains(a as never, b as never, o as never));
        check('golombChi', () => golombChi(a as never, o as never));
        check('meanConfidence', () => meanConfidence(a as never, o as never));
        check('linearFit', () => linearFit(a as never, b as never, o as never));
        check('fitOrder', () => fitOrder(a as never, b as never, o as never));
        check('median', () => median(a as never));
        check('palmDensity', () => palmDensity(a as never, o as never));
      }),
      RUNS,
    );
    fc.assert(
      fc.property(num(-5, 5), num(-1, 40), num(0, 1), (x, df, p) => {
        check('studentTCdf', () => studentTCdf(x as never, df as never));
        check('studentTQuantile', () => studentTQuantile(p as never, df as never));
        check('quantile', () => quantile([1, 2, 3], p as never));
        check('saltationFactor', () => saltationFactor(x as never, { tauMem: df, vThreshold: 1, vReset: 0 } as never));
      }),
      RUNS,
    );
    const lifKeys = ['tauMem', 'vLeak', 'vThreshold', 'vReset', 'tauSyn', 'mu', 'sigma', 'tRef'];
    fc.assert(
      fc.property(opts(lifKeys, num(-1, 30)), (o) => {
        const p = { tauMem: 20, vThreshold: 1, vReset: 0, tauSyn: 5, mu: 0.05, sigma: 0.02, ...(o as object) };
        check('lifRateColouredNoise', () => lifRateColouredNoise(p as never));
        check('lifCvColouredNoise', () => lifCvColouredNoise(p as never));
        check('riceRate', () =>
          riceRate([0.99, 0.995], [0.05, 0.06], { tauMem: 20, vThreshold: 1, width: 0.02, ...(o as object) } as never),
        );
        const net = { ...p, mu: [0.05, 0.045], sigma: [0.02, 0.02], J: [0, 0.01, 0.01, 0] };
        check('loopTruncatedRates', () => loopTruncatedRates(net as never, { order: 2 }));
        check('loopTruncatedCovariance', () => loopTruncatedCovariance(net as never, { order: 1 }));
      }),
      { ...RUNS, numRuns: 60 },
    );
  });
});

describe('fuzz: rng', () => {
  test('normals, uniforms, NormalGenerator', () => {
    const before = kernelMemory().regions;
    fc.assert(
      fc.property(
        fc.oneof(fc.integer({ min: 0, max: 100 }), hostile),
        num(0, 10),
        num(0, 64),
        opts(['stream', 'start', 'trial', 'capacity'], num(0, 100)),
        (s, step, count, o) => {
          check('normals', () => normals(s as never, step as never, count as never, o as never));
          check('uniforms', () => uniforms(s as never, step as never, count as never, o as never));
          check('NormalGenerator', () => {
            const g = new NormalGenerator(s as never, o as never);
            try {
              return g.next(count as never);
            } finally {
              g.dispose();
            }
          });
        },
      ),
      RUNS,
    );
    expect(kernelMemory().regions).toBe(before);
  });
});
