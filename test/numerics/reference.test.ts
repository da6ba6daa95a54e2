import { expect, test } from 'vitest';
import {
  DEFAULT_SCHEMES,
  feedforwardLabNetwork,
  LifLabSimulation,
  labRunReference,
  normals,
  resolveLabNetwork,
  Streams,
  seedToKey,
} from '../../src/index.js';

test.each(DEFAULT_SCHEMES.map((s) => [s.integrator, s.rule] as const))(
  'kernel and plain-TS reference agree (%s / %s, coupled 3-layer net)',
  (integrator, rule) => {
    const net = resolveLabNetwork(feedforwardLabNetwork({ sizes: [5, 5, 5], jump: 0.02 }));
    const o = { h: 0.1, hFine: 0.025, integrator, rule };
    const sim = new LifLabSimulation(net, { ...o, seed: 'ref' });
    const s0 = sim.state;
    sim.advance(3000);
    const key = seedToKey('ref');
    const steps = 3000;
    const z = new Float64Array(steps * 4 * net.n);
    for (let t = 0; t < steps * 4; t++) z.set(normals(key, t, net.n, { stream: Streams.noise }), t * net.n);
    const run = { V: s0.V, I: s0.I, spikes: [] as { neuron: number; step: number; theta: number; A: number }[] };
    labRunReference(net, o, run, z, steps, 0);
    const sp = sim.spikes();
    expect(run.spikes.length).toBe(sp.neuron.length);
    expect(run.spikes.length).toBeGreaterThan(50);
    for (let q = 0; q < sp.neuron.length; q++) {
      expect(run.spikes[q].neuron).toBe(sp.neuron[q]);
      expect(Math.abs((run.spikes[q].step + run.spikes[q].theta) * 0.1 - sp.time[q])).toBeLessThan(1e-9);
      expect(Math.abs(run.spikes[q].A - sp.A[q])).toBeLessThan(1e-9);
    }
    const st = sim.state;
    for (let i = 0; i < net.n; i++) expect(Math.abs(st.V[i] - run.V[i])).toBeLessThan(1e-9);
    sim.dispose();
  },
);
