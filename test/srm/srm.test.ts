import { existsSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import {
  kernelMemory,
  NumericalError,
  rngReference,
  runTrials,
  SrmNetwork,
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

const P = { tau: 10, tauAdapt: 20, eta0: 5, rho0: 0.05, theta: 0, deltaU: 0.7, dt: 1 };

/**
 * Independent evaluation (written from the model equations, not from the kernel): u, λ, φ per
 * step; log-likelihood in both forms and the seed's φ² rule (1/Δu) Σ (X − λ) φ_j².
 */
function independent(train: SrmSpikeTrain, w: number[], bias: number, p: typeof P) {
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
      const lam = p.rho0 * p.dt * Math.exp((u - p.theta) / p.deltaU);
      const x = spikes[t * n + i];
      llB += x ? Math.log(1 - Math.exp(-lam)) : -lam;
      llP += x * Math.log(lam) - lam;
      for (let j = 0; j < n; j++) phi2[i * n + j] += ((x - lam) * phi[j] * phi[j]) / p.deltaU;
    }
    // phi(t+1) = e^{-dt/tau} (phi(t) + X(t)): spike felt from the next step on
    for (let i = 0; i < n; i++) {
      const x = spikes[t * n + i];
      phi[i] = Math.exp(-p.dt / p.tau) * (phi[i] + x);
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
    expect(net.logLikelihood(s.train).total).toBeCloseTo(ind.llB, 8);
    expect(Math.abs(net.logLikelihood(s.train).total / ind.llB - 1)).toBeLessThan(1e-12);
    expect(Math.abs(net.logLikelihood(s.train, { form: 'poisson' }).total / ind.llP - 1)).toBeLessThan(1e-12);
    // sampling reports the likelihood of what it sampled
    expect(s.logLik).toBe(net.logLikelihood(s.train).total);
  });

  test('gradient = central finite differences of the exact log-likelihood to 1e-6 rel.; the φ² form does not match', () => {
    // Five-point central difference, h = 1e-3: truncation O(h^4) ~ 1e-12, rounding ~ 1e-16 |L| / h.
    const h = 1e-3;
    const ll = (form: 'bernoulli' | 'poisson') => net.logLikelihood(s.train, { form }).total;
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
      kPsp: Math.exp(-P.dt / P.tau),
      kAdapt: Math.exp(-P.dt / P.tauAdapt),
      eta0: P.eta0,
      invDu: 1 / P.deltaU,
      logC: Math.log(P.rho0 * P.dt) - P.theta / P.deltaU,
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
    const one = new SrmNetwork({ n: 3, rho0: 0.1, eta0: 0, seed: 9 });
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
    const params = { n, steps: 400, weights: randomWeights(n, 1.5, 2), bias: 0, ...P, rho0: 0.3, eta0: 2 };
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
      student.addToParameters(20 / data.steps, g.dW, g.dBias);
    }
    for (let e = 1; e < lls.length; e++) expect(lls[e]).toBeGreaterThanOrEqual(lls[e - 1]);
    // reaches (and, being the MLE, slightly exceeds) the teacher's own likelihood of the data
    expect(lls[lls.length - 1]).toBeGreaterThan(teacher.logLikelihood(data).total);
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
      kPsp: Math.exp(-P.dt / P.tau),
      kAdapt: Math.exp(-P.dt / P.tauAdapt),
      eta0: P.eta0,
      invDu: 1 / P.deltaU,
      logC: Math.log(P.rho0 * P.dt) - P.theta / P.deltaU,
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
  test('run() continues its state; chunking does not change the result; equals sample() from rest', async () => {
    const n = 7;
    const net = new SrmNetwork({ n, weights: randomWeights(n, 2, 4), ...P, seed: 'run' });
    const a = await net.run(250);
    net.reset();
    const b1 = await net.run(130);
    const b2 = await net.run(120);
    expect(net.step).toBe(250);
    expect(Array.from(a.spikes)).toEqual([...b1.spikes, ...b2.spikes]);
    expect(Array.from(net.sample(250).train.spikes)).toEqual(Array.from(a.spikes));
    net.dispose();
  });

  test('clamping: visible neurons follow the data for clampSteps, hidden ones are sampled', () => {
    const n = 4;
    const net = new SrmNetwork({ n, weights: randomWeights(n, 2, 5), visible: [1, 1, 0, 0], ...P, rho0: 0.1 });
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
  test('Δu ≤ 0, ρ0 ≤ 0, bad masks and trains name the argument', () => {
    expect(() => new SrmNetwork({ n: 3, deltaU: 0 })).toThrow(/deltaU: expected a finite number > 0/);
    expect(() => new SrmNetwork({ n: 3, deltaU: -1 })).toThrow(ValidationError);
    expect(() => new SrmNetwork({ n: 3, rho0: 0 })).toThrow(/rho0: expected a finite number > 0 1\/ms/);
    expect(() => new SrmNetwork({ n: 3, tau: Number.NaN })).toThrow(/tau:/);
    expect(() => new SrmNetwork({ n: 3, visible: [1, 0] })).toThrow(/visible.length: expected 3, got 2/);
    expect(() => new SrmNetwork({ n: 3, visible: [1, 0, 2] })).toThrow(/visible\[2\]/);
    expect(() => new SrmNetwork({ n: 3, weights: [1, 2] })).toThrow(/weights.length: expected 9/);
    const net = new SrmNetwork({ n: 3 });
    const s = net.sample(10);
    expect(() => net.learnOnline(s.train, { learningRate: 0.1, mask: [1, 1, 1] })).toThrow(/options.mask.length: expected 9, got 3/);
    expect(() => net.gradient({ n: 2, steps: 10, spikes: new Uint8Array(20) })).toThrow(/train.n: expected 3/);
    expect(() => net.gradient({ n: 3, steps: 10, spikes: new Uint8Array(20) })).toThrow(/train.spikes.length: expected 30/);
    expect(() => net.gradient({ n: 3, steps: 1, spikes: new Uint8Array([0, 2, 0]) })).toThrow(/train.spikes\[1\]: expected 0 or 1/);
    expect(() => net.gradient(s.train, { form: 'gauss' as never })).toThrow(/options.form/);
    net.dispose();
  });

  test('ρ dt ≫ 1: error at rest; named, silenceable warning when reached during a run; overflow is a NumericalError', () => {
    expect(() => new SrmNetwork({ n: 2, rho0: 2, dt: 1 })).toThrow(/dt: expected a step with ρ dt ≤ 1 at rest/);
    const seen: string[] = [];
    const hot = new SrmNetwork({ n: 2, weights: [0, 30, 30, 0], rho0: 0.2, eta0: 0, onWarning: (w) => seen.push(w.name) });
    hot.sample(200);
    expect(seen).toEqual(['srm.saturation']);
    const quiet: string[] = [];
    const hot2 = new SrmNetwork({
      n: 2,
      weights: [0, 30, 30, 0],
      rho0: 0.2,
      eta0: 0,
      onWarning: (w) => quiet.push(w.name),
      silence: ['srm.saturation'],
    });
    hot2.sample(200);
    expect(quiet).toEqual([]);
    const boom = new SrmNetwork({ n: 2, weights: [0, 1e4, 1e4, 0], rho0: 0.2, eta0: 0, silence: ['srm.saturation'] });
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
  const p = { ...P, rho0: 0.3, eta0: 0, deltaU: 1 };
  const visible = Array.from({ length: n }, (_, i) => (i % 3 === 0 || (i >= 8 && i < 16) ? 1 : 0));
  const net = new SrmNetwork({ n, visible, ...p, seed: 'simd', silence: ['srm.saturation'] });
  const data = { n, steps: 60, spikes: new Uint8Array(60 * n).map((_, k) => (k % 7 === 0 ? 1 : 0)) };
  const s = net.sample(60, { clamp: data });
  const key = seedToKey('simd');
  const pr = 1 - Math.exp(-p.rho0 * Math.exp(-p.theta));
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

test('run(): onProgress reports completed steps; an aborted run keeps its state and partial spikes', async () => {
  const net = new SrmNetwork({ n: 4, ...P, rho0: 0.1 });
  const seen: number[] = [];
  await net.run(250, { onProgress: (p) => seen.push(p.completed) });
  expect(seen).toEqual([100, 200, 250]);
  const ac = new AbortController();
  ac.abort();
  await expect(net.run(100, { signal: ac.signal })).rejects.toThrow(/aborted after 0 of 100/);
  expect(net.step).toBe(250);
  await expect(net.run(0)).rejects.toThrow(/steps: expected an integer/);
  net.dispose();
  await expect(net.run(10)).rejects.toThrow(/after dispose/);
});
