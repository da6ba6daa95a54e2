import { describe, expect, test } from 'vitest';
import { LifLabSimulation, lyapunovTrial, meanConfidence, randomLabNetwork, ValidationError } from '../../src/index.js';

const gL = 0.05;

describe('tangent dynamics with reset saltation', () => {
  test('σ = 0, constant suprathreshold input: λ_V = 0 to 1e-6 (exact integrator, hermite rule)', () => {
    // Closed form: period T* = g_L⁻¹ ln((I − g_L V_r)/(I − g_L V_th)) and ln s(A) = g_L T*, so the
    // V-direction gains exactly e^{g_L T*} per reset and loses e^{−g_L T*} between resets.
    const sim = new LifLabSimulation(
      { n: 1, mu: 0.055, sigma: 0 },
      { h: 0.01, integrator: 'exact', rule: 'hermite', seed: 3, tangents: 1, chunk: 1 },
    );
    sim.setTangentVectors([1, 0]);
    sim.resetGrowth();
    const at: { t: number; ln: number }[] = [];
    let seen = 0;
    for (let s = 0; s < 100_000; s++) {
      sim.advance(1);
      if (sim.spikeCount > seen) {
        const sp = sim.spikes(seen);
        seen = sim.spikeCount;
        const tEnd = sim.step * sim.h;
        const tSpike = sp.time[0];
        // ln|δV| at the spike = accumulated growth + ln|δV(t_end)| + g_L (t_end − t_spike).
        at.push({ t: tSpike, ln: sim.logGrowth[0] + Math.log(Math.abs(sim.tangentVectors[0])) + gL * (tEnd - tSpike) });
      }
    }
    expect(at.length).toBeGreaterThan(15);
    const a = at[1];
    const b = at[at.length - 1];
    const lambda = (b.ln - a.ln) / (b.t - a.t);
    expect(Math.abs(lambda)).toBeLessThan(1e-6);
    // The period itself matches the closed form.
    const Tstar = 20 * Math.log(1.1 / 0.1);
    expect((b.t - a.t) / (at.length - 2)).toBeCloseTo(Tstar, 8);
    sim.dispose();
  });

  test('pathwise identity ln|δV(T)/δV(0)| = −g_L T + Σ ln s(A_k) on noisy paths (tangent and finite difference of the linear rule)', () => {
    const h = 0.005;
    const steps = 40_000; // T = 200 ms
    for (const seed of [1, 2, 3]) {
      const sim = new LifLabSimulation({ n: 1, mu: 0.05, sigma: 0.02 }, { h, seed, tangents: 1, replicas: 2, chunk: 100 });
      sim.setTangentVectors([1, 0]);
      sim.resetGrowth();
      const eps = 1e-7;
      const s0 = sim.state;
      sim.setState([s0.V[0], s0.V[0] + eps], [s0.I[0], s0.I[0]]);
      sim.advance(steps);
      const sp = sim.spikes();
      let sum = 0;
      let k = 0;
      for (let q = 0; q < sp.neuron.length; q++) {
        if (sp.neuron[q] !== 0) continue;
        sum += Math.log1p((gL * 1) / sp.A[q]);
        k++;
      }
      expect(k).toBeGreaterThan(1);
      const identity = -gL * steps * h + sum;
      const tangent = sim.logGrowth[0] + Math.log(Math.abs(sim.tangentVectors[0]));
      // The kernel's tangent is the exact-flow tangent along the path: equal up to rounding.
      expect(Math.abs(tangent - identity)).toBeLessThan(1e-9);
      // Finite difference of the EM + linear scheme itself: equal up to O(h) per spike.
      const st = sim.state;
      const fd = Math.log(Math.abs(st.V[1] - st.V[0]) / eps);
      expect(Math.abs(fd - identity)).toBeLessThan(0.02 * k);
      sim.dispose();
    }
  });

  test('tangent exponent agrees with finite differences (linear rule) and with the flux formula', () => {
    const rows = [0, 1, 2, 3, 4, 5].map((trial) =>
      lyapunovTrial({ network: { n: 8, mu: 0.05, sigma: 0.02 }, h: 0.02, T: 3000, burnIn: 100, seed: 'lyap', trial, tangents: 1 }),
    );
    const tang = rows.flatMap((r) => r.vExponent);
    const fd = rows.flatMap((r) => r.fdNeuron);
    const flux = rows.map((r) => r.fluxFormula[0]);
    const mt = meanConfidence(tang);
    const mf = meanConfidence(fd);
    const mx = meanConfidence(flux);
    // Noise drives λ_V below 0 (stable, reliable spiking).
    expect(mt.value).toBeLessThan(0);
    // Same path: per-neuron tangent and finite difference differ by O(h) only.
    for (let i = 0; i < tang.length; i++) expect(Math.abs(tang[i] - fd[i])).toBeLessThan(1e-3);
    expect(Math.abs(mt.value - mf.value)).toBeLessThan(3e-4);
    // Independent estimator (threshold density from state samples): within its statistical error.
    expect(Math.abs(mx.value - mt.value)).toBeLessThan(3 * Math.hypot(mx.se, mt.se) + 1e-4);
    // Top QR exponent ≥ each neuron's own (uncoupled: spectrum max = max_i λ_V,i).
    for (const r of rows) expect(Math.abs(r.spectrum[0] - Math.max(...r.vExponent))).toBeLessThan(3e-3); // boundary term ≤ g_L T*/T
  });

  test('recurrent network: top QR exponent (saltation with J/A cross terms) agrees with finite differences', () => {
    const network = randomLabNetwork({ n: 20, p: 0.3, jump: 0.02, mu: 0.045, sigma: 0.02, seed: 'rec' });
    for (const trial of [0, 1, 2]) {
      const r = lyapunovTrial({ network, h: 0.05, T: 3000, burnIn: 200, seed: 'recly', trial, tangents: 3 });
      expect(r.spectrum[0]).toBeLessThan(0);
      expect(r.spectrum[0]).toBeGreaterThan(r.spectrum[1]);
      expect(Math.abs(r.spectrum[0] - r.fdTop)).toBeLessThan(1.5e-3);
    }
  });

  test('the grid rule is refused with the reason', () => {
    expect(() => lyapunovTrial({ network: { n: 1, mu: 0.05, sigma: 0.02 }, T: 10, seed: 1, rule: 'grid' })).toThrow(/tangent/);
    expect(() => new LifLabSimulation({ n: 1, mu: 0.05, sigma: 0.02 }, { h: 0.1, seed: 1, rule: 'grid', tangents: 1 })).toThrow(
      ValidationError,
    );
  });
});
