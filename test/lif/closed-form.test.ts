// Deterministic (σ = 0) spike times and subthreshold voltages against closed forms (seed 000;
// research note §1.6 "sanity case" and §1.7 item 5), and the fitted spike-time orders of every
// integrator × spike-rule combination.
import { describe, expect, test } from 'vitest';
import { type LifIntegratorName, LifNetwork, type LifSpikeRuleName, lifVoltageAt } from '../../src/index.js';

const gL = 0.05;
const tauSyn = 5;
const b = 1 / tauSyn;

/** Closed-form spike times of one neuron from (V0, I0) until T (root finding on §1.7 item 5). */
function referenceSpikes(mu: number, i0: number, v0: number, T: number, vth = 1, vr = 0): number[] {
  const out: number[] = [];
  let t0 = 0;
  let v = v0;
  let c = i0;
  const dt = 0.01;
  while (t0 < T) {
    const f = (s: number) => lifVoltageAt(s, { tauMem: 1 / gL, tauSyn, mu, v0: v, i0: c }) - vth;
    let s = 0;
    let found = false;
    while (t0 + s < T) {
      if (f(s + dt) >= 0) {
        let lo = s;
        let hi = s + dt;
        for (let k = 0; k < 200 && hi - lo > 1e-15; k++) {
          const m = 0.5 * (lo + hi);
          if (f(m) >= 0) hi = m;
          else lo = m;
        }
        s = hi;
        found = true;
        break;
      }
      s += dt;
    }
    if (!found) break;
    t0 += s;
    out.push(t0);
    c = mu + (c - mu) * Math.exp(-b * s);
    v = vr;
  }
  return out;
}

const MU = Array.from({ length: 16 }, (_, k) => 0.056 + 0.0013 * k);
const I0 = MU.map((m, k) => m + 0.03 * Math.cos(k));
const T = 200;
const refs = MU.map((m, k) => referenceSpikes(m, I0[k], 0, T));

/** Mean over neurons of the max error over the first 3 spikes. */
function spikeError(integrator: LifIntegratorName, spikeRule: LifSpikeRuleName, h: number): number {
  const net = new LifNetwork({ dt: h, integrator, spikeRule });
  net.addPopulation('p', MU.length, { mu: MU, i0: I0, sigma: 0, tauSyn, tauMem: 1 / gL });
  const m = net.addSpikeMonitor();
  net.run(T);
  let sum = 0;
  for (let k = 0; k < MU.length; k++) {
    const t = m.timesOf(k);
    let e = 0;
    for (let j = 0; j < 3; j++) e = Math.max(e, Math.abs(t[j] - refs[k][j]));
    sum += e;
  }
  net.dispose();
  return sum / MU.length;
}

function slope(hs: number[], es: number[]): number {
  const x = hs.map(Math.log);
  const y = es.map(Math.log);
  const mx = x.reduce((a, c) => a + c) / x.length;
  const my = y.reduce((a, c) => a + c) / y.length;
  let num = 0;
  let den = 0;
  for (let k = 0; k < x.length; k++) {
    num += (x[k] - mx) * (y[k] - my);
    den += (x[k] - mx) ** 2;
  }
  return num / den;
}

describe('σ = 0 spike times vs the closed form', () => {
  test('constant I: period T* = ln((I − g_L(V_r − V_L))/(I − g_L(V_th − V_L)))/g_L, exact + hermite to 1e-8 ms', () => {
    const mu = 0.055;
    const Tstar = Math.log(mu / (mu - gL)) / gL;
    const net = new LifNetwork({ dt: 0.1, integrator: 'exact', spikeRule: 'hermite' });
    net.addPopulation('p', 1, { mu, sigma: 0 });
    const m = net.addSpikeMonitor();
    net.run(250);
    const t = m.timesOf(0);
    expect(t.length).toBe(5);
    for (let k = 0; k < t.length; k++) expect(Math.abs(t[k] - (k + 1) * Tstar)).toBeLessThan(1e-8);
    // Crossing speed A = I − g_L(V_th − V_L) = 0.005 exactly.
    for (const A of m.spikes().A) expect(A).toBeCloseTo(mu - gL, 10);
    net.dispose();
  });

  test('I(0) ≠ μ: the reference has the expected spikes', () => {
    for (const r of refs) expect(r.length).toBeGreaterThanOrEqual(3);
  });

  const cases: [LifIntegratorName, LifSpikeRuleName, number[], number, number][] = [
    ['euler-maruyama', 'grid', [0.2, 0.1, 0.05, 0.025], 0.8, 1.25],
    ['euler-maruyama', 'linear', [0.2, 0.1, 0.05, 0.025], 0.85, 1.2],
    ['euler-maruyama', 'hermite', [0.2, 0.1, 0.05, 0.025], 0.85, 1.2],
    ['exact', 'grid', [0.2, 0.1, 0.05, 0.025], 0.75, 1.25],
    ['exact', 'linear', [0.4, 0.2, 0.1, 0.05], 1.8, 2.25],
    ['exact', 'hermite', [1.6, 0.8, 0.4, 0.2], 3, 5],
  ];
  test.each(cases)('%s + %s: fitted spike-time order in [%s]', (integ, rule, hs, lo, hi) => {
    const es = hs.map((h) => spikeError(integ, rule, h));
    const p = slope(hs, es);
    expect(p, `errors ${es.map((e) => e.toExponential(2)).join(' ')}`).toBeGreaterThanOrEqual(lo);
    expect(p).toBeLessThanOrEqual(hi);
  });
});

describe('subthreshold V vs the closed-form solution of the linear ODE', () => {
  test('exact integrator: V(t) at every grid point to 1e-12; EM: first-order error', () => {
    // μ < I_th: no spikes; I(0) ≠ μ and V(0) ≠ V_L exercise every term.
    const mu = 0.03;
    const i0 = 0.08;
    const v0 = 0.2;
    for (const integrator of ['exact', 'euler-maruyama'] as const) {
      const errs: number[] = [];
      for (const h of [0.1, 0.05]) {
        const net = new LifNetwork({ dt: h, integrator });
        net.addPopulation('p', 1, { mu, i0, v0, sigma: 0, vThreshold: 10 });
        let e = 0;
        net.addStateMonitor({
          neurons: [0],
          interval: h,
          maxSamples: 0,
          onSample: ({ time, v }) => {
            e = Math.max(e, Math.abs(v[0] - lifVoltageAt(time, { tauMem: 1 / gL, tauSyn, mu, v0, i0 })));
          },
        });
        net.run(100);
        errs.push(e);
        net.dispose();
      }
      if (integrator === 'exact') expect(Math.max(...errs)).toBeLessThan(1e-12);
      else {
        expect(errs[0]).toBeGreaterThan(1e-5);
        expect(errs[0] / errs[1]).toBeGreaterThan(1.8);
        expect(errs[0] / errs[1]).toBeLessThan(2.2);
      }
    }
  });
});
