import { existsSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import {
  AbortedError,
  DisposedError,
  kernelMemory,
  keyOfSeed,
  NumericalError,
  type Progress,
  Region,
  rngReference,
  runTrials,
  SrmNetwork,
  type SrmSpikeRaster,
  type SrmSpikeTrain,
  Streams,
  seedToKey,
  srmReference,
  uniforms,
  ValidationError,
  vanRossumDistance,
} from '../../src/index.js';

const workerUrl = new URL('../../dist/worker.js', import.meta.url);
if (!existsSync(workerUrl)) throw new Error('dist/worker.js is missing: run `npm run build` first');

/** Deterministic weights from the library's uniforms (row-major, zero diagonal). */
function randomWeights(n: number, scale: number, seed: number): number[] {
  const u = uniforms(seed, 0, n * n, { stream: Streams.init });
  return Array.from(u, (x, k) => (Math.floor(k / n) === k % n ? 0 : scale * (x - 0.5)));
}

const P = { tauMem: 10, tauAdapt: 20, eta0: 5, rho0: 50, vThreshold: 0, deltaU: 0.7, dt: 1 };

/**
 * Independent evaluation (written from the model equations, not from the kernel): u, λ, φ per
 * step; log-likelihood in both forms and the seed's φ² rule (1/Δu) Σ (X − λ) φ_j².
 */
function independent(train: SrmSpikeRaster, w: number[], bias: number, p: typeof P) {
  const { n, steps, spikes } = train;
  const phi = new Float64Array(n);
  const ad = new Float64Array(n);
  let llB = 0;
  let llP = 0;
  const phi2 = new Float64Array(n * n);
  for (let t = 0; t < steps; t++) {
    for (let i = 0; i < n; i++) {
      let u = bias - p.eta0 * ad[i];
      for (let j = 0; j < n; j++) u += w[i * n + j] * phi[j];
      const lam = (p.rho0 / 1000) * p.dt * Math.exp((u - p.vThreshold) / p.deltaU); // ρ0 in Hz, dt in ms
      const x = spikes[t * n + i];
      llB += x ? Math.log(1 - Math.exp(-lam)) : -lam;
      llP += x * Math.log(lam) - lam;
      for (let j = 0; j < n; j++) phi2[i * n + j] += ((x - lam) * phi[j] * phi[j]) / p.deltaU;
    }
    // phi(t+1) = e^{-dt/tau} (phi(t) + X(t)): spike felt from the next step on
    for (let i = 0; i < n; i++) {
      const x = spikes[t * n + i];
      phi[i] = Math.exp(-p.dt / p.tauMem) * (phi[i] + x);
      ad[i] = Math.exp(-p.dt / p.tauAdapt) * (ad[i] + x);
    }
  }
  return { llB, llP, phi2 };
}

describe('SrmNetwork: likelihood and gradient', () => {
  const n = 5;
  const w = randomWeights(n, 2, 1);
  const net = new SrmNetwork({ n, weights: w, bias: -0.5, ...P, seed: 3 });
  const s = net.sample(3000, { seed: 5 });

  test('log-likelihood equals an independent evaluation of the model equations (1e-12 rel.)', () => {
    const ind = independent(s.train, w, -0.5, P);
    expect(s.train.spikes.reduce((a, b) => a + b, 0)).toBeGreaterThan(100);
    expect(net.logLikelihood(s.train).logLik).toBeCloseTo(ind.llB, 8);
    expect(Math.abs(net.logLikelihood(s.train).logLik / ind.llB - 1)).toBeLessThan(1e-12);
    expect(Math.abs(net.logLikelihood(s.train, { form: 'poisson' }).logLik / ind.llP - 1)).toBeLessThan(1e-12);
    // sampling reports the likelihood of what it sampled
    expect(s.logLik).toBe(net.logLikelihood(s.train).logLik);
  });

  test('gradient = central finite differences of the exact log-likelihood to 1e-6 rel.; the φ² form does not match', () => {
    // Five-point central difference, h = 1e-3: truncation O(h^4) ~ 1e-12, rounding ~ 1e-16 |L| / h.
    const h = 1e-3;
    const ll = (form: 'bernoulli' | 'poisson') => net.logLikelihood(s.train, { form }).logLik;
    for (const form of ['bernoulli', 'poisson'] as const) {
      const g = net.gradient(s.train, { form });
      let maxRel = 0;
      let phi2Rel = 0;
      const ind = independent(s.train, w, -0.5, P);
      for (let k = 0; k < n * n; k++) {
        const at = (d: number) => {
          const wp = w.slice();
          wp[k] += d;
          net.setWeights(wp);
          return ll(form);
        };
        const fd = (8 * (at(h) - at(-h)) - (at(2 * h) - at(-2 * h))) / (12 * h);
        maxRel = Math.max(maxRel, Math.abs(g.dW[k] - fd) / Math.abs(fd));
        phi2Rel = Math.max(phi2Rel, Math.abs(ind.phi2[k] - fd) / Math.abs(fd));
      }
      net.setWeights(w);
      expect(maxRel).toBeLessThan(1e-6);
      expect(phi2Rel).toBeGreaterThan(0.3);
      // bias gradient too
      const b = net.bias();
      const atB = (d: number) => {
        net.setBias(b.map((x, i) => (i === 2 ? x + d : x)));
        return ll(form);
      };
      const fdB = (8 * (atB(h) - atB(-h)) - (atB(2 * h) - atB(-2 * h))) / (12 * h);
      net.setBias(b);
      expect(Math.abs(g.dBias[2] - fdB) / Math.abs(g.dBias[2])).toBeLessThan(1e-6);
    }
    // the two forms are different functions: their gradients differ by O(λ) per spike
    const gb = net.gradient(s.train).dW;
    const gp = net.gradient(s.train, { form: 'poisson' }).dW;
    const d = gb.reduce((a, x, k) => Math.max(a, Math.abs(x - gp[k]) / Math.abs(gb[k])), 0);
    expect(d).toBeGreaterThan(1e-3);
  });

  test('forward dense eligibility and event-driven backward pass give the same gradient', () => {
    const a = net.gradient(s.train);
    const b = net.gradient(s.train, { method: 'forward' });
    for (let k = 0; k < n * n; k++) expect(Math.abs(a.dW[k] - b.dW[k])).toBeLessThan(1e-11 * (1 + Math.abs(a.dW[k])));
    expect(b.logLik).toBe(a.logLik);
  });

  test('kernel agrees with the plain-TS reference: same spikes, same likelihood to 1e-12', () => {
    const key = seedToKey(5);
    const wT = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) wT[j * n + i] = w[i * n + j];
    const steps = 3000;
    const st = {
      wT,
      bias: new Float64Array(n).fill(-0.5),
      phi: new Float64Array(n),
      adapt: new Float64Array(n),
      usyn: new Float64Array(n),
    };
    const buf = {
      clamp: null,
      data: null,
      spikes: new Uint8Array(steps * n),
      score: new Float64Array(steps * n),
      sbuf: new Float64Array(n),
      ll: new Float64Array(n),
      gb: new Float64Array(n),
      elig: null,
      kElig: 0,
    };
    const pr = {
      n,
      kPsp: Math.exp(-P.dt / P.tauMem),
      kAdapt: Math.exp(-P.dt / P.tauAdapt),
      eta0: P.eta0,
      invDu: 1 / P.deltaU,
      logC: Math.log((P.rho0 / 1000) * P.dt) - P.vThreshold / P.deltaU,
      form: 0 as const,
      k0: key.k0,
      k1: key.k1,
      stream: Streams.spikes,
    };
    srmReference.srmRunRef(pr, st, buf, steps, 0);
    expect(Array.from(buf.spikes)).toEqual(Array.from(s.train.spikes));
    const ll = buf.ll.reduce((a, b) => a + b, 0);
    expect(Math.abs(ll / s.logLik - 1)).toBeLessThan(1e-12);
    const gT = new Float64Array(n * n);
    srmReference.srmBackwardRef(n, steps, buf.spikes, buf.score, pr.kPsp, new Float64Array(n), gT);
    const g = net.gradient(s.train);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) expect(Math.abs(gT[j * n + i] / g.dW[i * n + j] - 1)).toBeLessThan(1e-10);
  });

  test('spike draws follow the counter contract (Philox stream `spikes`, element i, step t)', () => {
    // A neuron with constant rate (no weights, no adaptation) spikes iff U(i, t) < 1 − e^{−λ}.
    const one = new SrmNetwork({ n: 3, rho0: 100, eta0: 0, seed: 9 });
    const r = one.sample(500);
    const key = seedToKey(9);
    const p = 1 - Math.exp(-0.1);
    for (let t = 0; t < 500; t++) {
      for (let i = 0; i < 3; i++) {
        expect(r.train.spikes[t * 3 + i]).toBe(rngReference.uniformAt(key.k0, key.k1, Streams.spikes, i, t) < p ? 1 : 0);
      }
    }
    one.dispose();
  });
});

describe('SrmNetwork: learning', () => {
  test('zero-mean score under the model (Monte Carlo on the worker pool); the Poisson form is biased at high rate', async () => {
    const n = 3;
    const params = { n, duration: 400, weights: randomWeights(n, 1.5, 2), bias: 0, ...P, rho0: 300, eta0: 2 };
    const trials = 240;
    const r = await runTrials<{ bernoulli: number[]; poisson: number[]; spikes: number }>('srm.score', {
      seed: 'score',
      range: [0, trials],
      params,
      workers: 2,
      workerUrl,
    });
    // worker-count independence on a sub-range
    const inline = await runTrials('srm.score', { seed: 'score', range: [0, 6], params, workers: 0 });
    expect(inline.rows).toEqual(r.rows.slice(0, 6));
    const rows = r.rows.map((x) => {
      if (!x.ok) throw new Error(x.error.message);
      return x.value;
    });
    const chi2 = (key: 'bernoulli' | 'poisson') => {
      const d = rows[0][key].length;
      let c = 0;
      for (let k = 0; k < d; k++) {
        let m = 0;
        let m2 = 0;
        for (const row of rows) {
          m += row[key][k];
          m2 += row[key][k] ** 2;
        }
        m /= trials;
        const se = Math.sqrt((m2 / trials - m * m) / (trials - 1));
        c += (m / se) ** 2;
      }
      return { c, d };
    };
    const b = chi2('bernoulli');
    // χ²(12) 99.9% quantile is 32.9
    expect(b.d).toBe(12);
    expect(b.c).toBeLessThan(32.9);
    expect(chi2('poisson').c).toBeGreaterThan(100);
  });

  test('gradient ascent increases the log-likelihood monotonically and a student recovers the teacher weights', () => {
    const n = 6;
    const wTrue = randomWeights(n, 2, 7);
    const teacher = new SrmNetwork({ n, weights: wTrue, bias: 0, ...P, silence: ['srm.saturation'] });
    const data = teacher.sample(60_000, { seed: 11 }).train;
    const student = new SrmNetwork({ n, bias: 0, ...P, silence: ['srm.saturation'] });
    const lls: number[] = [];
    for (let e = 0; e < 150; e++) {
      const g = student.gradient(data);
      lls.push(g.logLik);
      student.addToParameters(g, { scale: 20 / data.steps });
    }
    for (let e = 1; e < lls.length; e++) expect(lls[e]).toBeGreaterThanOrEqual(lls[e - 1]);
    // reaches (and, being the MLE, slightly exceeds) the teacher's own likelihood of the data
    expect(lls[lls.length - 1]).toBeGreaterThan(teacher.logLikelihood(data).logLik);
    const w = student.weights();
    let num = 0;
    let den = 0;
    for (let k = 0; k < n * n; k++) {
      num += (w[k] - wTrue[k]) ** 2;
      den += wTrue[k] ** 2;
    }
    // stated tolerance: relative Frobenius error < 0.25 with 60 s of data at ~20 Hz
    expect(Math.sqrt(num / den)).toBeLessThan(0.25);
    teacher.dispose();
    student.dispose();
  });

  test('online rule with eligibility trace: summed updates ≈ μ (batch gradient − κ e(T)); matches the TS reference', () => {
    const n = 4;
    const w = randomWeights(n, 2, 3);
    const net = new SrmNetwork({ n, weights: w, bias: -0.3, ...P });
    const data = net.sample(2000, { seed: 1 }).train;
    const g = net.gradient(data);
    const mu = 1e-7;
    const tauElig = 5;
    net.learnOnline(data, { learningRate: mu, tauElig });
    const w1 = net.weights();
    // e(T) is the last eligibility; compute it with the forward rule in the reference
    const kG = Math.exp(-P.dt / tauElig);
    const wT = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) wT[j * n + i] = w[i * n + j];
    const st = {
      wT,
      bias: new Float64Array(n).fill(-0.3),
      phi: new Float64Array(n),
      adapt: new Float64Array(n),
      usyn: new Float64Array(n),
    };
    const e = new Float64Array(n * n);
    const pr = {
      n,
      kPsp: Math.exp(-P.dt / P.tauMem),
      kAdapt: Math.exp(-P.dt / P.tauAdapt),
      eta0: P.eta0,
      invDu: 1 / P.deltaU,
      logC: Math.log((P.rho0 / 1000) * P.dt) - P.vThreshold / P.deltaU,
      form: 0 as const,
      k0: 0,
      k1: 0,
      stream: Streams.spikes,
    };
    const buf = {
      clamp: new Uint8Array(n).fill(1),
      data: data.spikes,
      spikes: new Uint8Array(data.steps * n),
      score: null,
      sbuf: new Float64Array(n),
      ll: new Float64Array(n),
      gb: null,
      elig: e,
      kElig: kG,
    };
    srmReference.srmOnlineRef(pr, st, buf, data.steps, 0, mu * (1 - kG), null);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const k = i * n + j;
        expect(Math.abs(w1[k] - st.wT[j * n + i])).toBeLessThan(1e-14);
        const expected = mu * (g.dW[k] - kG * e[j * n + i]);
        expect(Math.abs((w1[k] - w[k]) / expected - 1)).toBeLessThan(1e-4);
      }
    }
    net.dispose();
  });
});

describe('SrmNetwork: state, reproducibility, memory', () => {
  test('run() continues its state; chunking does not change the result; equals sample() and runAsync()', async () => {
    const n = 7;
    const net = new SrmNetwork({ n, weights: randomWeights(n, 2, 4), ...P, seed: 'run' });
    const a = net.run(250);
    expect(a.startStep).toBe(0);
    net.reset();
    const b1 = net.run(130);
    const b2 = await net.runAsync(120, { sliceMs: 0.1 });
    expect(net.step).toBe(250);
    expect(net.time).toBe(250 * P.dt);
    expect(b2.startStep).toBe(130);
    expect(Array.from(a.spikes)).toEqual([...b1.spikes, ...b2.spikes]);
    expect(Array.from(net.sample(250).train.spikes)).toEqual(Array.from(a.spikes));
    // a train's table gives each spike's time in ms (= global step · dt), in time order
    const tab = b2.toTable();
    expect(tab.column('time').unit).toBe('ms');
    expect(tab.length).toBe(b2.spikes.reduce((x, y) => x + y, 0));
    for (let k = 0; k < tab.length; k++) {
      expect(tab.time[k]).toBe(tab.step[k] * P.dt);
      expect(b2.spikes[(tab.step[k] - 130) * n + tab.neuron[k]]).toBe(1);
    }
    net.dispose();
  });

  test('clamping: visible neurons follow the data for clampSteps, hidden ones are sampled', () => {
    const n = 4;
    const net = new SrmNetwork({ n, weights: randomWeights(n, 2, 5), visible: [1, 1, 0, 0], ...P, rho0: 100 });
    const data = net.sample(300, { seed: 77 }).train;
    const s = net.sample(300, { seed: 1, clamp: data, clampSteps: 200 });
    let hiddenSame = true;
    for (let t = 0; t < 300; t++) {
      for (let i = 0; i < n; i++) {
        if (t < 200 && i < 2) expect(s.train.spikes[t * n + i]).toBe(data.spikes[t * n + i]);
        if (i >= 2 && s.train.spikes[t * n + i] !== data.spikes[t * n + i]) hiddenSame = false;
      }
    }
    expect(hiddenSame).toBe(false);
    net.dispose();
  });

  test('van Rossum distance: 0 for equal trains, 1/√2 for one isolated extra spike (any dt)', () => {
    const z = { n: 1, steps: 20000, spikes: new Uint8Array(20000) };
    const one = { n: 1, steps: 20000, spikes: new Uint8Array(20000) };
    one.spikes[100] = 1;
    expect(vanRossumDistance(z, z, { tau: 10, dt: 0.01 })).toBe(0);
    expect(vanRossumDistance(z, one, { tau: 10, dt: 0.01 })).toBeCloseTo(Math.SQRT1_2, 12);
    expect(vanRossumDistance(z, one, { tau: 10, dt: 1 })).toBeCloseTo(Math.SQRT1_2, 12);
    expect(() => vanRossumDistance(z, { n: 1, steps: 10, spikes: new Uint8Array(10) })).toThrow(/b.steps: expected 20000/);
  });

  test('creating and disposing networks leaves kernel memory unchanged', () => {
    const before = kernelMemory();
    for (let r = 0; r < 20; r++) {
      const net = new SrmNetwork({ n: 9, ...P });
      const s = net.sample(50);
      net.gradient(s.train);
      net.learnOnline(s.train, { learningRate: 0.01, mask: new Array(81).fill(1) });
      net.dispose();
    }
    const after = kernelMemory();
    expect(after.regions).toBe(before.regions);
    expect(after.bytes).toBe(before.bytes);
  });
});

describe('SrmNetwork: bad input', () => {
  test('Δu ≤ 0, ρ0 ≤ 0, bad masks and trains name the argument, the expected range with units and the value', () => {
    expect(() => new SrmNetwork({ n: 3, deltaU: 0 })).toThrow(/deltaU: expected a finite number > 0 units of u, got 0/);
    expect(() => new SrmNetwork({ n: 3, deltaU: -1 })).toThrow(ValidationError);
    expect(() => new SrmNetwork({ n: 3, rho0: 0 })).toThrow(/rho0: expected a finite number > 0 Hz, got 0/);
    expect(() => new SrmNetwork({ n: 3, tauMem: Number.NaN })).toThrow(/tauMem: expected a finite number > 0 ms, got NaN/);
    expect(() => new SrmNetwork({ n: 3, visible: [1, 0] })).toThrow(/visible.length: expected 3, got 2/);
    expect(() => new SrmNetwork({ n: 3, visible: [1, 0, 2] })).toThrow(/visible\[2\]/);
    expect(() => new SrmNetwork({ n: 3, weights: [1, 2] })).toThrow(/weights.length: expected 9/);
    expect(() => new SrmNetwork({ n: 4097 })).toThrow(/n: expected an integer in \[1, 4096\], got 4097/);
    const net = new SrmNetwork({ n: 3 });
    const s = net.sample(10);
    expect(() => net.learnOnline(s.train, { learningRate: 0.1, mask: [1, 1, 1] })).toThrow(/options.mask.length: expected 9, got 3/);
    expect(() => net.gradient({ n: 2, steps: 10, spikes: new Uint8Array(20) })).toThrow(/train.n: expected 3/);
    expect(() => net.gradient({ n: 3, steps: 10, spikes: new Uint8Array(20) })).toThrow(/train.spikes.length: expected 30/);
    expect(() => net.gradient({ n: 3, steps: 1, spikes: new Uint8Array([0, 2, 0]) })).toThrow(/train.spikes\[1\]: expected 0 or 1/);
    expect(() => net.gradient({ n: 3, steps: 10, spikes: new Uint8Array(30), dt: 0.5 })).toThrow(/train.dt: expected 1 ms/);
    expect(() => net.gradient(s.train, { form: 'gauss' as never })).toThrow(/options.form/);
    expect(() => net.sample(2.5)).toThrow(/duration: expected a whole number of steps of dt = 1 ms/);
    expect(() => net.sample(0)).toThrow(/duration: expected a finite number > 0 ms/);
    expect(() => net.sample(10, { clampSteps: 3 })).toThrow(/options.clampSteps/);
    net.dispose();
  });

  test('strict options: an unknown key is a ValidationError naming it and suggesting our name (Brian2/NEST names too)', () => {
    const cases: [() => unknown, RegExp][] = [
      [() => new SrmNetwork({ n: 3, theta: 0 } as never), /unknown option 'theta' for SrmNetwork; did you mean 'vThreshold'\?/],
      [() => new SrmNetwork({ n: 3, tau_m: 10 } as never), /unknown option 'tau_m' for SrmNetwork; did you mean 'tauMem'\?/],
      [() => new SrmNetwork({ n: 3, tau: 10 } as never), /unknown option 'tau' for SrmNetwork; did you mean 'tauMem'\?/],
      [() => new SrmNetwork({ n: 3, rho_0: 10 } as never), /did you mean 'rho0'\?/],
      [() => new SrmNetwork({ n: 3, tauAdpat: 10 } as never), /did you mean 'tauAdapt'\?/],
    ];
    for (const [f, re] of cases) {
      expect(f).toThrow(ValidationError);
      expect(f).toThrow(re);
    }
    const net = new SrmNetwork({ n: 2 });
    expect(() => net.sample(10, { sed: 1 } as never)).toThrow(/unknown option 'sed' for SrmNetwork.sample; did you mean 'seed'\?/);
    expect(() => net.run(10, { progress: () => {} } as never)).toThrow(/did you mean 'onProgress'\?/);
    expect(() => net.gradient(net.sample(5).train, { methd: 'forward' } as never)).toThrow(/did you mean 'method'\?/);
    expect(() => net.learnOnline(net.sample(5).train, { learningRate: 0, tau_elig: 3 } as never)).toThrow(/did you mean 'tauElig'\?/);
    expect(() => net.addToParameters({ dW: null }, { sclae: 1 } as never)).toThrow(/did you mean 'scale'\?/);
    expect(() => vanRossumDistance(net.sample(5).train, net.sample(5).train, { tauR: 3 } as never)).toThrow(/did you mean 'tau'\?/);
    net.dispose();
  });

  test('wrong types are ValidationErrors, never a TypeError or RangeError', () => {
    const net = new SrmNetwork({ n: 2 });
    const train = net.sample(5).train;
    const calls: (() => unknown)[] = [
      () => new SrmNetwork(null as never),
      () => new SrmNetwork(undefined as never),
      () => new SrmNetwork({ n: '3' } as never),
      () => new SrmNetwork({ n: 3, silence: 'srm.saturation' } as never),
      () => new SrmNetwork({ n: 3, silence: ['srm.nope'] } as never),
      () => new SrmNetwork({ n: 3, onWarning: 5 } as never),
      () => new SrmNetwork({ n: 3, seed: {} } as never),
      () => new SrmNetwork({ n: 3, trial: -1 }),
      () => net.sample('10' as never),
      () => net.sample(10, null as never),
      () => net.sample(10, { trial: 1.5 }),
      () => net.sample(10, { seed: Number.NaN }),
      () => net.sample(10, { clamp: 5 as never }),
      () => net.run(10, { signal: 5 as never }),
      () => net.run(10, { onProgress: 'x' as never }),
      () => net.run(Number.POSITIVE_INFINITY),
      () => net.gradient(null as never),
      () => net.gradient({ n: 2, steps: 5, spikes: [0, 1] } as never),
      () => net.learnOnline(train, undefined as never),
      () => net.learnOnline(train, { learningRate: 0, resetTrace: 1 } as never),
      () => net.addToParameters(null as never),
      () => net.addToParameters({ dW: [1] }),
      () => net.addToParameters({ dBias: [1, 2] }, { scale: Number.NaN }),
      () => net.setBias([Number.NaN, 0]),
      () => vanRossumDistance(null as never, train),
      () => vanRossumDistance(train, train, { neurons: [5] }),
    ];
    for (const f of calls) {
      let err: unknown;
      try {
        f();
      } catch (e) {
        err = e;
      }
      expect(err, String(f)).toBeInstanceOf(ValidationError);
    }
    net.dispose();
  });

  test('work is bounded before anything is allocated: steps × neurons and steps × neurons² limits', () => {
    const before = kernelMemory();
    const net = new SrmNetwork({ n: 1000 });
    expect(() => net.sample(Math.floor(2 ** 26 / 1000) + 1)).toThrow(/duration: expected at most 67108 ms for 1000 neurons/);
    expect(() => net.run(1e12)).toThrow(ValidationError);
    net.dispose();
    // 2048 neurons: 20 000 steps pass the steps × neurons bound (2^26) but not steps × neurons² (2^36)
    const wide = new SrmNetwork({ n: 2048 });
    const big = { n: 2048, steps: 20_000, spikes: new Uint8Array(20_000 * 2048) };
    expect(() => wide.gradient(big, { method: 'forward' })).toThrow(/train.steps: expected steps × neurons² ≤ 68719476736/);
    expect(() => wide.learnOnline(big, { learningRate: 0 })).toThrow(/train.steps: expected steps × neurons² ≤/);
    expect(() => wide.sample(20_000, { gradient: 'forward' })).toThrow(/duration: expected steps × neurons² ≤/);
    wide.dispose();
    expect(kernelMemory().regions).toBe(before.regions);
  });

  test('ρ dt ≫ 1: error at rest; named, silenceable warning when reached during a run; overflow is a NumericalError', () => {
    expect(() => new SrmNetwork({ n: 2, rho0: 2000, dt: 1 })).toThrow(/dt: expected a step with ρ dt ≤ 1 at rest/);
    const seen: string[] = [];
    const hot = new SrmNetwork({ n: 2, weights: [0, 30, 30, 0], rho0: 200, eta0: 0, onWarning: (w) => seen.push(w.name) });
    hot.sample(200);
    expect(seen).toEqual(['srm.saturation']);
    const quiet: string[] = [];
    const hot2 = new SrmNetwork({
      n: 2,
      weights: [0, 30, 30, 0],
      rho0: 200,
      eta0: 0,
      onWarning: (w) => quiet.push(w.name),
      silence: ['srm.saturation'],
    });
    hot2.sample(200);
    expect(quiet).toEqual([]);
    const boom = new SrmNetwork({ n: 2, weights: [0, 1e4, 1e4, 0], rho0: 200, eta0: 0, silence: ['srm.saturation'] });
    expect(() => boom.sample(200)).toThrow(NumericalError);
    hot.dispose();
    hot2.dispose();
    boom.dispose();
  });
});

test('sample(..., { gradient }) returns the score of the sampled train in the same pass (both methods)', () => {
  const n = 6;
  const net = new SrmNetwork({ n, weights: randomWeights(n, 2, 8), ...P, bias: -0.2, seed: 4 });
  const b = net.sample(700, { gradient: 'backward' });
  const f = net.sample(700, { gradient: 'forward' });
  expect(Array.from(f.train.spikes)).toEqual(Array.from(b.train.spikes));
  const g = net.gradient(b.train);
  expect(Array.from(b.gradient!.dW)).toEqual(Array.from(g.dW));
  expect(Array.from(b.gradient!.dBias)).toEqual(Array.from(g.dBias));
  for (let k = 0; k < n * n; k++) expect(Math.abs(f.gradient!.dW[k] - g.dW[k])).toBeLessThan(1e-11 * (1 + Math.abs(g.dW[k])));
  expect(net.sample(10).gradient).toBeUndefined();
  expect(() => net.sample(10, { gradient: 'both' as never })).toThrow(/options.gradient/);
  net.dispose();
});

test('SIMD spike uniforms (8 neurons per pass) equal the scalar counter contract, with partial clamping', () => {
  const n = 19;
  const p = { ...P, rho0: 300, eta0: 0, deltaU: 1 };
  const visible = Array.from({ length: n }, (_, i) => (i % 3 === 0 || (i >= 8 && i < 16) ? 1 : 0));
  const net = new SrmNetwork({ n, visible, ...p, seed: 'simd', silence: ['srm.saturation'] });
  const data = { n, steps: 60, spikes: new Uint8Array(60 * n).map((_, k) => (k % 7 === 0 ? 1 : 0)) };
  const s = net.sample(60, { clamp: data });
  const key = seedToKey('simd');
  const pr = 1 - Math.exp(-(p.rho0 / 1000) * p.dt * Math.exp(-p.vThreshold));
  for (let t = 0; t < 60; t++) {
    for (let i = 0; i < n; i++) {
      const expected = visible[i] ? data.spikes[t * n + i] : rngReference.uniformAt(key.k0, key.k1, Streams.spikes, i, t) < pr ? 1 : 0;
      expect(s.train.spikes[t * n + i]).toBe(expected);
    }
  }
  net.dispose();
});

test('kernel f64x2 exp (rates): within 2 ulp of Math.exp on [-708, 700], exact at 0', async () => {
  const { kernel } = await import('../../src/kernel/load.js');
  const k = kernel();
  let worst = 0;
  for (let m = 0; m <= 20000; m++) {
    const x = -708 + (1408 * m) / 20000 + 1e-3 * Math.sin(m);
    const e = Math.exp(x);
    const got = k.srmExp(x) as number;
    worst = Math.max(worst, Math.abs(got - e) / e);
  }
  expect(worst).toBeLessThan(2 * 2.23e-16);
  expect(k.srmExp(0)).toBe(1);
  expect(k.srmExp(1)).toBeCloseTo(Math.E, 15);
});

describe('SrmNetwork: the run / progress / cancel protocol', () => {
  test('run(): one Progress type; an abort fired from onProgress stops it, keeping its state and partial spikes', () => {
    const net = new SrmNetwork({ n: 4, ...P, rho0: 100, seed: 3 });
    const seen: Progress[] = [];
    net.run(250, { onProgress: (p) => seen.push(p) });
    expect(seen.map((p) => p.done)).toEqual([100, 200, 250]);
    expect(seen.every((p) => p.total === 250 && p.unit === 'step' && p.fraction === p.done / 250)).toBe(true);
    expect(seen.map((p) => p.time)).toEqual([100, 200, 250]);
    const ac = new AbortController();
    let err: unknown;
    try {
      net.run(1000, {
        signal: ac.signal,
        onProgress: (p) => {
          if (p.done === 300) ac.abort();
        },
      });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AbortedError);
    expect((err as Error).message).toMatch(/aborted after 300 of 1000 steps/);
    expect(net.step).toBe(550);
    const partial = (err as AbortedError).partial as SrmSpikeTrain;
    expect(partial.steps).toBe(300);
    expect(partial.startStep).toBe(250);
    // the aborted run's steps are those an uninterrupted run would have drawn
    const ref = new SrmNetwork({ n: 4, ...P, rho0: 100, seed: 3 });
    expect(Array.from(ref.run(550).spikes.subarray(250 * 4))).toEqual(Array.from(partial.spikes));
    // and the next run continues from there
    expect(Array.from(net.run(50).spikes)).toEqual(Array.from(ref.run(50).spikes));
    ref.dispose();
    net.dispose();
    expect(() => net.run(10)).toThrow(DisposedError);
  });

  test('runAsync: a timer-fired abort stops it within 50 ms, with 0 workers', { retry: 2 }, async () => {
    // 50 neurons: a kernel chunk (100 steps) is well under a millisecond, so the latency is the slice.
    const net = new SrmNetwork({ n: 50, ...P, seed: 1 });
    const ac = new AbortController();
    const fired: number[] = [];
    setTimeout(() => {
      fired.push(performance.now());
      ac.abort();
    }, 60);
    let err: unknown;
    try {
      await net.runAsync(1_000_000, { signal: ac.signal });
    } catch (e) {
      err = e;
    }
    const stopped = performance.now();
    expect(err).toBeInstanceOf(AbortedError);
    expect(fired.length).toBe(1);
    expect(stopped - fired[0]).toBeLessThan(50);
    expect(net.step).toBeGreaterThan(0);
    expect(net.step).toBeLessThan(1_000_000);
    net.dispose();
  });

  test('dispose() from onProgress: DisposedError before the kernel touches freed memory (no write into a new region)', async () => {
    for (const mode of ['run', 'runAsync', 'sample', 'gradient'] as const) {
      const net = new SrmNetwork({ n: 50, ...P, seed: 2 });
      const train = mode === 'gradient' ? net.sample(1000).train : null;
      let fresh: Region | null = null;
      const onProgress = () => {
        if (fresh) return;
        net.dispose();
        fresh = new Region(200_000, 'test.fresh');
        fresh.f64().fill(7);
      };
      let err: unknown;
      try {
        if (mode === 'run') net.run(1000, { onProgress });
        else if (mode === 'runAsync') await net.runAsync(1000, { onProgress });
        else if (mode === 'sample') net.sample(1000, { onProgress, gradient: 'backward' });
        else net.gradient(train!, { onProgress });
      } catch (e) {
        err = e;
      }
      expect(err, mode).toBeInstanceOf(DisposedError);
      const f = (fresh as Region | null)!.f64();
      expect(f.every((x) => x === 7)).toBe(true);
      (fresh as Region | null)!.free();
    }
  });

  test('dispose() while runAsync waits for the event loop: DisposedError, nothing leaks', async () => {
    const before = kernelMemory();
    const net = new SrmNetwork({ n: 100, ...P, seed: 5 });
    const p = net.runAsync(200_000, { sliceMs: 1 });
    setTimeout(() => net.dispose(), 20);
    await expect(p).rejects.toThrow(DisposedError);
    expect(kernelMemory().regions).toBe(before.regions);
    expect(kernelMemory().bytes).toBe(before.bytes);
  });

  test('a second run while runAsync is in flight is refused; evaluations from rest may interleave and change neither', async () => {
    const n = 6;
    const w = randomWeights(n, 2, 9);
    const net = new SrmNetwork({ n, weights: w, ...P, seed: 'async' });
    const p = net.runAsync(20_000, { sliceMs: 0.1 });
    expect(() => net.run(10)).toThrow(/no other run of this network in progress/);
    // evaluations from rest may interleave: they have their own state
    const s = net.sample(300, { seed: 4 });
    const ref = new SrmNetwork({ n, weights: w, ...P });
    expect(Array.from(s.train.spikes)).toEqual(Array.from(ref.sample(300, { seed: 4 }).train.spikes));
    const a = await p;
    expect(a.steps).toBe(20_000);
    const ref2 = new SrmNetwork({ n, weights: w, ...P, seed: 'async' });
    expect(Array.from(ref2.run(20_000).spikes)).toEqual(Array.from(a.spikes));
    ref.dispose();
    ref2.dispose();
    net.dispose();
  });
});

describe('SrmNetwork: units, seeds, results', () => {
  test('rho0 is in Hz: an isolated neuron fires at (1 − e^{−ρ0 dt/1000})/dt, for dt = 1 and 0.25 ms', () => {
    for (const dt of [1, 0.25]) {
      const n = 50;
      const duration = 20_000; // ms
      const net = new SrmNetwork({ n, rho0: 40, eta0: 0, dt, seed: 'rate' });
      const s = net.sample(duration);
      const spikes = s.train.spikes.reduce((a, b) => a + b, 0);
      const steps = duration / dt;
      const p = 1 - Math.exp((-40 * dt) / 1000);
      // binomial count of n·steps trials: 4 standard deviations
      const sd = Math.sqrt(n * steps * p * (1 - p));
      expect(Math.abs(spikes - n * steps * p)).toBeLessThan(4 * sd);
      expect(s.train.dt).toBe(dt);
      expect(s.train.duration).toBe(duration);
      net.dispose();
    }
  });

  test('seeds: { seed, trial } is keyOfSeed; a trial without a seed uses the network seed', () => {
    const n = 5;
    const net = new SrmNetwork({ n, rho0: 200, eta0: 0, seed: 'net' });
    const key = keyOfSeed({ seed: 'net', trial: 4 });
    const s = net.sample(40, { trial: 4 });
    const pr = 1 - Math.exp(-0.2);
    for (let t = 0; t < 40; t++)
      for (let i = 0; i < n; i++)
        expect(s.train.spikes[t * n + i]).toBe(rngReference.uniformAt(key.k0, key.k1, Streams.spikes, i, t) < pr ? 1 : 0);
    expect(Array.from(net.sample(40, { seed: 'net', trial: 4 }).train.spikes)).toEqual(Array.from(s.train.spikes));
    // a network built with { seed, trial } draws with trialKey(seed, trial)
    const t4 = new SrmNetwork({ n, rho0: 200, eta0: 0, seed: 'net', trial: 4 });
    expect(Array.from(t4.sample(40).train.spikes)).toEqual(Array.from(s.train.spikes));
    expect(t4.run(40).spikes).toEqual(s.train.spikes);
    t4.dispose();
    net.dispose();
  });

  test('results have toJSON with their kind; typed arrays become plain arrays', () => {
    const net = new SrmNetwork({ n: 3, ...P, seed: 1 });
    const s = net.sample(20, { gradient: 'backward' });
    const j = JSON.parse(JSON.stringify(s));
    expect(j.kind).toBe('srm.sample');
    expect(j.train.kind).toBe('srm.spikeTrain');
    expect(j.train.dt).toBe(1);
    expect(j.train.spikes).toEqual(Array.from(s.train.spikes));
    expect(j.gradient.kind).toBe('srm.gradient');
    expect(j.gradient.dW).toEqual(Array.from(s.gradient!.dW));
    expect(j.logLik).toBe(s.logLik);
    expect(JSON.parse(JSON.stringify(net.logLikelihood(s.train))).kind).toBe('srm.logLikelihood');
    expect(JSON.parse(JSON.stringify(net.learnOnline(s.train, { learningRate: 0 }))).logLik).toBeCloseTo(s.logLik, 10);
    const tj = s.train.toTable().toJSON();
    expect(tj.units.time).toBe('ms');
    expect(tj.kind).toBe('srm.spikes');
    net.dispose();
  });
});
