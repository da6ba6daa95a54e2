import { describe, expect, test } from 'vitest';
import { LifLabSimulation, LifNetwork, trialKey } from '../../src/index.js';

// Two independently written simulators of the same model on the same coupled noise path
// (counter contract: stream noise, element i, fine step n·F + j): the lab kernel and the LIF engine.
function run(integrator: 'euler-maruyama' | 'exact', rule: 'grid' | 'linear') {
  const n = 8;
  const h = 0.1;
  const F = 4;
  const key = trialKey('engine-check', 0);
  const lab = new LifLabSimulation({ n, mu: 0.05, sigma: 0.02 }, { h, hFine: h / F, seed: key, integrator, rule });
  const s0 = lab.state;
  const net = new LifNetwork({ dt: h, integrator, spikeRule: rule, key, noise: { fineSteps: F } });
  net.addPopulation('p', n, { gL: 0.05, vLeak: 0, vThreshold: 1, vReset: 0, tauSyn: 5, mu: 0.05, sigma: 0.02 });
  const mon = net.addSpikeMonitor();
  net.build();
  net.setState({ v: s0.V, i: s0.I });
  lab.advance(10_000);
  net.run(1000);
  const a = lab.spikes();
  const b = mon.spikes();
  const byNeuron = (neu: ArrayLike<number>, t: ArrayLike<number>) => {
    const m: number[][] = Array.from({ length: n }, () => []);
    for (let k = 0; k < neu.length; k++) m[neu[k]].push(t[k]);
    return m;
  };
  const pa = byNeuron(a.neuron, a.time);
  const pb = byNeuron(
    b.neuron,
    Array.from(b.step, (s, k) => (s + b.offset[k]) * h),
  );
  const vLab = lab.state.V;
  const vNet = net.state().v;
  lab.dispose();
  net.dispose();
  return { pa, pb, vLab, vNet };
}

describe('lab simulator vs the LIF engine (LifNetwork) on the same fine-grid Brownian path', () => {
  test('Euler–Maruyama + grid: identical spike times, voltages equal to rounding', () => {
    const { pa, pb, vLab, vNet } = run('euler-maruyama', 'grid');
    expect(pa.flat().length).toBeGreaterThan(80);
    expect(pa).toEqual(pb);
    for (let i = 0; i < vLab.length; i++) expect(Math.abs(vLab[i] - vNet[i])).toBeLessThan(1e-12);
  });
  test('Euler–Maruyama + linear: same spikes, times within O(h²) (post-reset current: I^n here, I(θ) there)', () => {
    const { pa, pb } = run('euler-maruyama', 'linear');
    for (let i = 0; i < pa.length; i++) {
      expect(pa[i].length).toBe(pb[i].length);
      for (let k = 0; k < pa[i].length; k++) expect(Math.abs(pa[i][k] - pb[i][k])).toBeLessThan(0.02);
    }
  });
});
