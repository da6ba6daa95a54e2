import { describe, expect, test } from 'vitest';
import {
  crossingSpeedStatistics,
  fitOrder,
  fluxLyapunov,
  golombChi,
  isiStatistics,
  lifRateColouredNoise,
  linearFit,
  loopTruncatedRates,
  matchSpikeTrains,
  meanConfidence,
  median,
  palmDensity,
  populationRate,
  riceRate,
  spikeCountCorrelations,
  studentTCdf,
  studentTQuantile,
  ValidationError,
} from '../../src/index.js';
import { erf, normalCdf } from '../../src/stats/special.js';

/** Small deterministic generator for test data (mulberry32 + Box–Muller). */
function rng(seed: number) {
  let a = seed >>> 0;
  const u = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) + 0.5) / 4294967296;
  };
  const z = () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
  return { u, z };
}

describe('Student t and confidence intervals', () => {
  test('quantiles match closed forms (df = 1: tan, df = 2: algebraic) and tables', () => {
    for (const p of [0.6, 0.9, 0.975, 0.995]) {
      expect(studentTQuantile(p, 1)).toBeCloseTo(Math.tan(Math.PI * (p - 0.5)), 9);
      expect(studentTQuantile(p, 2)).toBeCloseTo((2 * p - 1) / Math.sqrt(2 * p * (1 - p)), 9);
    }
    // Standard table values.
    expect(studentTQuantile(0.975, 5)).toBeCloseTo(2.570581835636314, 9);
    expect(studentTQuantile(0.975, 30)).toBeCloseTo(2.042272456301238, 9);
    expect(studentTQuantile(0.025, 10)).toBeCloseTo(-2.228138851986274, 9);
    expect(studentTCdf(0, 7)).toBe(0.5);
    // Large df tends to the normal.
    expect(studentTCdf(1.5, 1e7)).toBeCloseTo(normalCdf(1.5), 6);
  });

  test('meanConfidence: textbook example and ~95% coverage', () => {
    const e = meanConfidence([1, 2, 3, 4]);
    expect(e.value).toBe(2.5);
    expect(e.se).toBeCloseTo(Math.sqrt(5 / 3 / 4), 12);
    expect(e.ci[1] - e.value).toBeCloseTo(3.182446305284263 * e.se, 9);
    const g = rng(3);
    let cover = 0;
    const M = 2000;
    for (let r = 0; r < M; r++) {
      const x = Array.from({ length: 6 }, () => 1 + 2 * g.z());
      const c = meanConfidence(x).ci;
      if (c[0] <= 1 && 1 <= c[1]) cover++;
    }
    // Binomial sd of the coverage estimate is ~0.005.
    expect(Math.abs(cover / M - 0.95)).toBeLessThan(0.02);
  });

  test('linearFit: exact line; slope CI covers the truth ~95% of the time', () => {
    const f = linearFit([1, 2, 3], [3, 5, 7]);
    expect(f.slope.value).toBeCloseTo(2, 12);
    expect(f.intercept.value).toBeCloseTo(1, 12);
    const g = rng(9);
    let cover = 0;
    const M = 2000;
    const x = [0, 1, 2, 3, 4, 5];
    for (let r = 0; r < M; r++) {
      const y = x.map((xi) => 0.5 - 1.5 * xi + 0.3 * g.z());
      const c = linearFit(x, y).slope.ci;
      if (c[0] <= -1.5 && -1.5 <= c[1]) cover++;
    }
    expect(Math.abs(cover / M - 0.95)).toBeLessThan(0.02);
  });

  test('fitOrder recovers p from C h^p and drops zero errors', () => {
    const h = [0.4, 0.2, 0.1, 0.05];
    const r = fitOrder(
      h,
      h.map((x) => 3 * x ** 1.5),
    );
    expect(r.order.value).toBeCloseTo(1.5, 12);
    expect(r.constant).toBeCloseTo(3, 10);
    expect(fitOrder([1, 0.5, 0.25], [0, 0.5, 0.25]).used).toBe(2);
    expect(() => fitOrder([1, 0.5], [1, 0])).toThrow(/err/);
    expect(() => fitOrder([1, -1], [1, 1])).toThrow(/h\[1\]/);
  });

  test('median of even and odd samples', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
  });
});

describe('spike matching', () => {
  test('greedy nearest pairing within the window (by hand)', () => {
    // Closest pair first: 0.6 pairs with 1 (distance 0.4), not with 0 (distance 0.6).
    const m = matchSpikeTrains([0, 1], [0.6], { window: 1 });
    expect(Array.from(m.refIndex)).toEqual([1]);
    expect(m.error[0]).toBeCloseTo(-0.4, 15);
    expect(m.unmatchedRef).toBe(1);
    expect(m.unmatchedTest).toBe(0);
    const m2 = matchSpikeTrains([1, 5, 9], [1.1, 9.2, 20], { window: 1 });
    expect(Array.from(m2.testIndex)).toEqual([0, 1]);
    expect(m2.unmatchedRef).toBe(1);
    expect(m2.unmatchedTest).toBe(1);
  });
  test('bad input names the argument', () => {
    expect(() => matchSpikeTrains([2, 1], [1], { window: 1 })).toThrow(/ref\[1\]: expected spike times in non-decreasing order/);
    expect(() => matchSpikeTrains([1], [1], { window: 0 })).toThrow(/options.window: expected a finite number > 0 ms, got 0/);
    expect(() => matchSpikeTrains([1], [1], 1 as never)).toThrow(ValidationError);
    expect(() => matchSpikeTrains([1], [1], { windw: 1 } as never)).toThrow(/did you mean 'window'\?/);
    expect(() => matchSpikeTrains([1], [Number.NaN], { window: 1 })).toThrow(/test\[0\]/);
  });
});

describe('spike-train statistics', () => {
  test('ISI CV: Poisson ≈ 1, regular = 0', () => {
    const g = rng(1);
    let t = 0;
    const p: number[] = [];
    for (let k = 0; k < 20000; k++) {
      t += -Math.log(g.u()) * 10;
      p.push(t);
    }
    const s = isiStatistics(p);
    expect(s.meanIsi).toBeGreaterThan(9.7);
    expect(s.meanIsi).toBeLessThan(10.3);
    expect(Math.abs(s.cv - 1)).toBeLessThan(0.03);
    expect(isiStatistics([0, 5, 10, 15]).cv).toBe(0);
  });
  test('ISI CV uses ddof 0 by default (NumPy / Elephant convention); ddof 1 on request', () => {
    // intervals 10, 20, 60: mean 30, Σ(x − mean)² = 400 + 100 + 900 = 1400
    const t = [0, 10, 30, 90];
    const d0 = isiStatistics(t);
    expect(d0.ddof).toBe(0);
    expect(d0.meanIsi).toBe(30);
    expect(d0.cv).toBeCloseTo(Math.sqrt(1400 / 3) / 30, 15);
    expect(isiStatistics(t, { ddof: 1 }).cv).toBeCloseTo(Math.sqrt(1400 / 2) / 30, 15);
    // one interval: sd with ddof 0 is 0; with ddof 1 it is undefined (NaN, documented)
    expect(isiStatistics([3, 8]).cv).toBe(0);
    expect(isiStatistics([3, 8], { ddof: 1 }).cv).toBeNaN();
    expect(isiStatistics([3]).meanIsi).toBeNaN();
    expect(() => isiStatistics(t, { ddof: 2 as never })).toThrow(/options.ddof: expected an integer in \[0, 1\], got 2/);
    expect(() => isiStatistics(t, { dof: 1 } as never)).toThrow(/did you mean 'ddof'\?/);
    expect(JSON.parse(JSON.stringify(d0))).toEqual({ kind: 'stats.isi', count: 4, meanIsi: 30, cv: d0.cv, ddof: 0 });
  });
  test('population rate of a regular train', () => {
    const r = populationRate([10, 20, 30, 40], { n: 2, tStop: 50, binSize: 50 });
    expect(r.meanRate).toBeCloseTo((4 * 1000) / (2 * 50), 12);
    expect(r.meta.meanRate).toBe(r.meanRate);
  });
  test('spike-count correlation: identical neurons → 1, independent Poisson → ≈ 0', () => {
    const g = rng(5);
    const neuron: number[] = [];
    const time: number[] = [];
    for (let i = 0; i < 3; i++) {
      let t = 0;
      while (true) {
        t += -Math.log(g.u()) * 20;
        if (t >= 20000) break;
        neuron.push(i);
        time.push(t);
        if (i === 0) {
          neuron.push(1);
          time.push(t);
        }
      }
    }
    // Neuron 1 = neuron 0 plus its own spikes (i = 1 loop): strongly correlated; 2 independent.
    const c = spikeCountCorrelations({ neuron, time }, { n: 3, tStop: 20000, binSize: 100 });
    expect(c.matrix[0 * 3 + 0]).toBeCloseTo(1, 12);
    expect(c.matrix[0 * 3 + 1]).toBeGreaterThan(0.6);
    expect(Math.abs(c.matrix[0 * 3 + 2])).toBeLessThan(0.1);
  });
  test("Golomb's χ: independent ≈ 1/√n, identical = 1", () => {
    const g = rng(7);
    const n = 25;
    const m = 4000;
    const ind = new Float64Array(n * m).map(() => g.z());
    expect(golombChi(ind, { n })).toBeGreaterThan(0.9 / Math.sqrt(n));
    expect(golombChi(ind, { n })).toBeLessThan(1.1 / Math.sqrt(n));
    const same = new Float64Array(n * m);
    for (let k = 0; k < m; k++) same.fill(Math.sin(k), k * n, (k + 1) * n);
    expect(golombChi(same, { n })).toBeCloseTo(1, 12);
    expect(() => golombChi([1, 2, 3], { n: 2 })).toThrow(/samples.length/);
  });
});

describe('crossing speeds and threshold flux', () => {
  // Palm density a e^{-a²/2} (Rayleigh): what a Gaussian threshold density gives.
  const g = rng(11);
  const A = Float64Array.from({ length: 200000 }, () => Math.sqrt(-2 * Math.log(g.u())));
  /** E1(x) by its series (x small). */
  const E1 = (x: number) => {
    let s = -0.5772156649015329 - Math.log(x);
    let term = 1;
    for (let k = 1; k < 60; k++) {
      term *= -x / k;
      s -= term / k;
    }
    return s;
  };
  test('P(A < α)/α² → 1/2 and E[A⁻² 1{A ≥ α}] = E1(α²/2)/2 for the Rayleigh Palm law', () => {
    const rows = crossingSpeedStatistics(A, { alphas: [0.4, 0.2, 0.1], duration: 1000 });
    for (const r of rows) {
      const exact = 1 - Math.exp(-(r.alpha ** 2) / 2);
      expect(Math.abs(r.nearTangential - exact)).toBeLessThan(4 * Math.sqrt(exact / A.length));
      expect(r.nearTangentialOverAlpha2).toBeLessThan(0.6);
      expect(r.inverseSquare / (E1(r.alpha ** 2 / 2) / 2)).toBeGreaterThan(0.97);
      expect(r.inverseSquare / (E1(r.alpha ** 2 / 2) / 2)).toBeLessThan(1.03);
      expect(r.inverseSquarePerTime).toBeCloseTo((r.inverseSquare * A.length) / 1000, 6);
    }
  });
  test('palmDensity integrates to the fraction inside and matches the density', () => {
    const d = palmDensity(A, { bins: 30, max: 3 });
    const w = 0.1;
    const total = d.density.reduce((s, x) => s + x * w, 0);
    expect(total).toBeCloseTo(1 - Math.exp(-4.5), 2);
    const k = 10; // centre 1.05
    expect(d.density[k]).toBeCloseTo(1.05 * Math.exp(-(1.05 ** 2) / 2), 1);
  });
  test('Rice rate and flux Lyapunov on the σ = 0 periodic orbit (closed forms ν = 1/T*, λ_V = 0)', () => {
    // V(t) = V∞(1 − e^{−g_L t}) on [0, T*), I = μ constant, sampled at equally spaced times.
    const gL = 0.05;
    const mu = 0.055;
    const vInf = mu / gL;
    const Tstar = Math.log(vInf / (vInf - 1)) / gL;
    const m = 2_000_000;
    const V = new Float64Array(m);
    const I = new Float64Array(m).fill(mu);
    for (let k = 0; k < m; k++) V[k] = vInf * (1 - Math.exp(-gL * ((k + 0.5) / m) * Tstar));
    const p = { tauMem: 1 / gL, vThreshold: 1, vReset: 0, width: 0.02 };
    // the rate is in Hz, T* in ms
    expect((riceRate(V, I, p) * Tstar) / 1000).toBeCloseTo(1, 4);
    expect(Math.abs(fluxLyapunov(V, I, p))).toBeLessThan(1e-6);
    expect(() => riceRate(V, I.subarray(1), p)).toThrow(/I.length/);
    expect(() => fluxLyapunov(V, I, { tauMem: 20, vThreshold: 1, width: 0.02 } as never)).toThrow(/vReset/);
    expect(() => riceRate(V, I, { gL, vTh: 1, width: 0.02 } as never)).toThrow(/unknown option 'gL' for ThresholdFluxAccumulator/);
  });
});

describe('mean-field LIF rates', () => {
  const base = { tauMem: 20, vThreshold: 1, vReset: 0, tauSyn: 5 };
  test('σ = 0 gives the deterministic period', () => {
    const nu = lifRateColouredNoise({ ...base, mu: 0.055, sigma: 0 });
    expect(nu).toBeCloseTo(1000 / (20 * Math.log(1.1 / 0.1)), 10);
    expect(lifRateColouredNoise({ ...base, mu: 0.045, sigma: 0 })).toBe(0);
  });
  test('Siegert integral agrees with an independent trapezoid on e^{u²}(1 + erf u)', () => {
    const p = { ...base, tauSyn: 0.05, mu: 0.045, sigma: 0.3 };
    const nu = lifRateColouredNoise(p);
    const tauM = 20;
    const sV = 0.3 * Math.sqrt(2 * 0.05 * tauM);
    const shift = sV * (2.0652531522312172 / 2) * Math.sqrt(0.05 / tauM);
    const a = (0 + shift - 0.9) / sV;
    const b = (1 + shift - 0.9) / sV;
    let s = 0;
    const m = 200000;
    const h = (b - a) / m;
    for (let k = 0; k <= m; k++) {
      const u = a + k * h;
      s += (k === 0 || k === m ? 0.5 : 1) * Math.exp(u * u) * (1 + erf(u));
    }
    expect(nu).toBeCloseTo(1000 / (tauM * Math.sqrt(Math.PI) * s * h), 6);
  });
  test('loop truncation is exact after D iterates for a depth-D feedforward chain', () => {
    const J = new Float64Array(9);
    J[1 * 3 + 0] = 0.01; // 0 → 1
    J[2 * 3 + 1] = 0.01; // 1 → 2
    const { iterates: it, rateHz } = loopTruncatedRates({ ...base, mu: [0.055, 0.045, 0.045], sigma: [0.02, 0.02, 0.02], J }, { order: 3 });
    expect(rateHz).toBe(it[3]);
    expect(Array.from(it[2])).toEqual(Array.from(it[3]));
    expect(it[1][2]).not.toBe(it[2][2]);
    expect(it[2][1]).toBeGreaterThan(it[0][1]);
  });
});
