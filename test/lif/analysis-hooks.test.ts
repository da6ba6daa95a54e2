// The LIF engine's analysis hooks (issue 14): a noise window several networks share, and the
// tangent pass with reset saltation. References: the engine's own draws (the window must not
// change a single bit), closed forms (σ = 0 period, the pathwise saltation identity) and finite
// differences of the engine itself (the kick terms).
import { describe, expect, test } from 'vitest';
import { DisposedError, fingerprint, kernelMemory, LifNetwork, LifNoiseWindow, NumericalError, ValidationError } from '../../src/index.js';

type Integrator = 'euler-maruyama' | 'exact';

function coupledNet(integrator: Integrator, F: number, size: number, shared: number, fastPath: boolean): LifNetwork {
  const net = new LifNetwork({ dt: 0.05 * F, integrator, spikeRule: 'linear', seed: 3, trial: 2, noise: { fineSteps: F }, fastPath });
  net.addPopulation('a', size, { mu: 0.05, sigma: 0.02, v0: { uniform: [0, 1] }, sharedNoise: shared });
  net.addPopulation('b', 7, { mu: 0.045, sigma: 0.03, tauMem: 15, v0: { uniform: [0, 1] }, poisson: { rate: 400, weight: 0.003 } });
  net.connect('a', 'b', { connector: { type: 'allToAll' }, weight: 0.004 });
  return net;
}

function runWindowed(
  integrator: Integrator,
  F: number,
  size: number,
  shared: number,
  fastPath: boolean,
  window: boolean,
  cover = 1,
): string {
  const net = coupledNet(integrator, F, size, shared, fastPath);
  const mon = net.addSpikeMonitor();
  const w = window ? new LifNoiseWindow({ neurons: size + 7, capacitySteps: 256, integrator, seed: 3, trial: 2 }) : null;
  if (w) net.useNoiseWindow(w);
  // 4096 fine steps in windows of 256; with cover < 1 only the first part of each window is filled.
  for (let t = 0; t < 4096; t += 256) {
    w?.fill({ start: t, steps: Math.max(F, Math.floor((256 * cover) / F) * F) });
    net.run((256 / F) * 0.05 * F);
  }
  const s = mon.spikes();
  const st = net.state();
  expect(s.neuron.length).toBeGreaterThan(20);
  const r = fingerprint(s.neuron, s.step, s.offset, s.A, st.v, st.i, st.i2);
  net.dispose();
  w?.dispose();
  return r;
}

describe('noise window: the same normals for several networks, drawn once', () => {
  test.each([
    ['euler-maruyama', 1],
    ['euler-maruyama', 4],
    ['exact', 1],
    ['exact', 4],
  ] as const)(
    '%s, fineSteps %i: bit-identical with and without a window (odd sizes, shared noise, SIMD and scalar paths)',
    (integrator, F) => {
      for (const size of [13, 20]) {
        for (const shared of [0, 0.3]) {
          for (const fastPath of [true, false]) {
            const own = runWindowed(integrator, F, size, shared, fastPath, false);
            expect(runWindowed(integrator, F, size, shared, fastPath, true)).toBe(own);
            // A window that covers only part of each range: the steps outside draw their own.
            if (fastPath && shared === 0) expect(runWindowed(integrator, F, size, shared, fastPath, true, 0.5)).toBe(own);
          }
        }
      }
    },
  );

  test('a mismatched window is refused with the reason; dispose detaches; memory is released', () => {
    const before = kernelMemory();
    const net = coupledNet('exact', 1, 13, 0, true);
    expect(() => net.useNoiseWindow(new LifNoiseWindow({ neurons: 19, capacitySteps: 8, integrator: 'exact', seed: 3, trial: 2 }))).toThrow(
      /window.neurons/,
    );
    expect(() => net.useNoiseWindow(new LifNoiseWindow({ neurons: 20, capacitySteps: 8, integrator: 'exact', seed: 3, trial: 1 }))).toThrow(
      /window.key/,
    );
    expect(() => net.useNoiseWindow(new LifNoiseWindow({ neurons: 20, capacitySteps: 8, seed: 3, trial: 2 }))).toThrow(/window.integrator/);
    const w = new LifNoiseWindow({ neurons: 20, capacitySteps: 8, integrator: 'exact', seed: 3, trial: 2 });
    net.useNoiseWindow(w);
    w.fill({ start: 0, steps: 8 });
    w.dispose();
    net.run(1); // draws its own again
    expect(() => w.fill({ start: 0, steps: 8 })).toThrow(DisposedError);
    expect(() => w.fill({ start: 0, steps: 9 } as never)).toThrow(DisposedError);
    net.dispose();
    const w2 = new LifNoiseWindow({ neurons: 4, capacitySteps: 8, seed: 1 });
    expect(() => w2.fill({ start: 0, steps: 9 })).toThrow(/options.steps/);
    expect(() => w2.fill({ start: 0, stpes: 8 } as never)).toThrow(/did you mean 'steps'/);
    expect(() => new LifNoiseWindow({ neurons: 4, capacitySteps: 8, sede: 1 } as never)).toThrow(/did you mean 'seed'/);
    w2.dispose();
    // (The refused windows above are garbage the test does not dispose: only count the network's.)
    expect(kernelMemory().byLabel['lif.header'] ?? 0).toBe(before.byLabel['lif.header'] ?? 0);
  });
});

const gL = 0.05;

describe('tangent pass with reset saltation', () => {
  test('σ = 0, constant suprathreshold current: δV returns to its value every period (λ_V = 0 to 1e-12)', () => {
    // Closed form: ln s(A) = g_L T* for the periodic orbit, so e^{−g_L T*} s(A) = 1 per period.
    for (const integrator of ['exact', 'euler-maruyama'] as const) {
      const net = new LifNetwork({ dt: 0.01, integrator, spikeRule: 'hermite', seed: 3 });
      net.addPopulation('p', 1, { mu: 0.055, sigma: 0, v0: 0, i0: 0.055 });
      const mon = net.addSpikeMonitor();
      const tan = net.addTangents({ count: 1 });
      tan.setVectors([1, 0]);
      let acc = 0;
      const at: { t: number; ln: number }[] = [];
      let seen = 0;
      for (let s = 0; s < 60_000; s++) {
        net.run(0.01);
        if (mon.count > seen) {
          seen = mon.count;
          const t = mon.spikes().time;
          const ts = t[t.length - 1];
          // ln|δV| at the spike: accumulated growth + ln|δV(t_{n+1})| + g_L (t_{n+1} − t*).
          at.push({ t: ts, ln: acc + Math.log(Math.abs(tan.vectors()[0])) + gL * (net.time - ts) });
        }
        if (s % 500 === 499) acc += tan.orthonormalise()[0];
      }
      expect(at.length).toBeGreaterThan(10);
      const lambda = (at[at.length - 1].ln - at[1].ln) / (at[at.length - 1].t - at[1].t);
      // Exact: the tangent of the exact flow along an (almost) exact orbit. EM: the orbit's period
      // is EM's, so only the reset identity holds exactly: λ = −g_L + ln s(A)/T*_EM = O(h).
      if (integrator === 'exact') expect(Math.abs(lambda)).toBeLessThan(1e-12);
      else expect(Math.abs(lambda)).toBeLessThan(5e-4);
      net.dispose();
    }
  });

  test('pathwise identity on noisy paths: ln|δV(T)/δV(0)| = −g_L T + Σ_k ln s(A_k), every integrator × rule', () => {
    for (const integrator of ['euler-maruyama', 'exact'] as const) {
      for (const spikeRule of ['linear', 'hermite'] as const) {
        const net = new LifNetwork({ dt: 0.005, integrator, spikeRule, seed: 1 });
        net.addPopulation('p', 1, { mu: 0.052, sigma: 0.02, v0: 0.3, i0: 0.05 });
        const mon = net.addSpikeMonitor();
        const tan = net.addTangents({ count: 1 });
        tan.setVectors([1, 0]);
        let acc = 0;
        for (let k = 0; k < 400; k++) {
          net.run(0.5);
          acc += tan.orthonormalise()[0];
        }
        const A = mon.spikes().A;
        expect(A.length).toBeGreaterThan(2);
        let sum = 0;
        for (const a of A) sum += Math.log1p((gL * 1) / a);
        expect(Math.abs(acc - (-gL * 200 + sum))).toBeLessThan(1e-9);
        net.dispose();
      }
    }
  });

  test('kick terms: the tangent of a neuron driven by another matches finite differences of the engine', () => {
    // j (driven, noisy) → i (subthreshold, noise-free), J = 0.02: δV_j(0) = 1 moves j's spike times
    // by −1/A, and each kick's arrival with them. Compare δ(V_i, I_i)(T) with (x_i(ε) − x_i(0))/ε.
    const build = (dv: number) => {
      const net = new LifNetwork({ dt: 0.002, integrator: 'exact', spikeRule: 'hermite', seed: 5 });
      net.addPopulation('j', 1, { mu: 0.06, sigma: 0.01, v0: 0.2 + dv, i0: 0.06 });
      net.addPopulation('i', 1, { mu: 0.02, sigma: 0, v0: 0.1, i0: 0.02 });
      net.connect('j', 'i', { connector: { type: 'allToAll' }, weight: 0.02 });
      return net;
    };
    const eps = 1e-7;
    const a = build(0);
    const b = build(eps);
    const tan = a.addTangents({ count: 1 });
    tan.setVectors([1, 0, 0, 0]);
    const ma = a.addSpikeMonitor();
    const mb = b.addSpikeMonitor();
    a.run(200);
    b.run(200);
    expect(ma.count).toBeGreaterThan(3);
    expect(mb.count).toBe(ma.count);
    const v = tan.vectors();
    const sa = a.state();
    const sb = b.state();
    const fdV = (sb.v[1] - sa.v[1]) / eps;
    const fdI = (sb.i[1] - sa.i[1]) / eps;
    // Measured: δV_i −0.0055924172 (tangent) vs −0.0055924076 (finite difference), δI_i −7.034954e-4
    // vs −7.034921e-4: 2e-6 and 5e-6 relative (the finite difference's own O(ε) and O(h⁴) errors).
    expect(Math.abs(fdI)).toBeGreaterThan(1e-4);
    expect(Math.abs(v[1] - fdV)).toBeLessThan(1e-4 * Math.abs(fdV));
    expect(Math.abs(v[3] - fdI)).toBeLessThan(1e-4 * Math.abs(fdI));
    // Without the kick terms the target's tangent would stay 0.
    expect(Math.abs(v[1])).toBeGreaterThan(1e-3);
    a.dispose();
    b.dispose();
  });

  test('refused where the pass does not apply; degenerate vectors throw; memory is released', () => {
    const before = kernelMemory().bytes;
    const mk = (o: { spikeRule?: 'grid'; tRef?: number; delay?: number } = {}) => {
      const net = new LifNetwork({ dt: 0.1, spikeRule: o.spikeRule ?? 'linear', seed: 1 });
      net.addPopulation('p', 3, { mu: 0.05, sigma: 0.02, tRef: o.tRef ?? 0 });
      net.connect('p', 'p', { connector: { type: 'allToAll' }, weight: 0.001, delay: o.delay ?? 0 });
      return net;
    };
    for (const [o, re] of [
      [{ spikeRule: 'grid' }, /grid rule/],
      [{ tRef: 2 }, /tRef/],
      [{ delay: 1 }, /delay/],
    ] as const) {
      const net = mk(o);
      expect(() => net.addTangents({ count: 1 })).toThrow(re);
      net.dispose();
    }
    const net = mk();
    expect(() => net.addTangents({ count: 7 })).toThrow(ValidationError); // 2N = 6 components
    expect(() => net.addTangents({ cuont: 1 } as never)).toThrow(/did you mean 'count'/);
    const tan = net.addTangents({ count: 2 });
    expect(() => net.addTangents({ count: 1 })).toThrow(/one call/);
    tan.setVectors(new Float64Array(12));
    expect(() => tan.orthonormalise()).toThrow(NumericalError); // zero vectors have no direction
    net.dispose();
    expect(() => tan.vectors()).toThrow(DisposedError);
    expect(kernelMemory().bytes).toBe(before);
  });
});
