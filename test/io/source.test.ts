// A spike-source population replays a SONATA file into a LifNetwork: the source emits exactly
// the file's spikes (dt = 1/8 ms, so ms times convert to step times exactly), and a network driven
// by the replayed spikes of a population gives the spikes of the network that simulated that
// population itself (same neurons and steps; offsets to the precision of f64 ms times).
import { describe, expect, test } from 'vitest';
import * as nd from '../../src/index.js';

const { io } = nd;

function network(replay: boolean, file?: Uint8Array) {
  const net = new nd.LifNetwork({ dt: 0.125, integrator: 'exact', seed: 5 });
  return {
    net,
    ready: (async () => {
      if (replay) await io.addSonataSources(net, file!, { sizes: { in: 60 } });
      else net.addPopulation('in', 60, { tauMem: 20, tauSyn: 5, mu: 0.06, sigma: 0.03, v0: { uniform: [0, 1] } });
      net.addPopulation('out', 30, { tauMem: 10, tauSyn: 3, mu: 0.05, sigma: 0.02, v0: { uniform: [0, 1] } });
      net.connect('in', 'out', { connector: { type: 'fixedProbability', p: 0.3 }, weight: 0.04, delay: 0.8 });
      net.connect('out', 'out', { connector: { type: 'fixedProbability', p: 0.2 }, weight: -0.02 });
    })(),
  };
}

describe('spike-source population (LifNetwork.addSpikeSource, io.addSonataSources)', () => {
  test('replaying a population from SONATA reproduces the driven population (same spikes, offsets to 1e-9 steps)', async () => {
    const a = network(false);
    await a.ready;
    const inMon = a.net.addSpikeMonitor({ population: 'in' });
    const outMon = a.net.addSpikeMonitor({ population: 'out' });
    a.net.run(400);
    const pops = a.net.populations();
    const recorded = io.spikeTable(inMon.spikes(), { dt: a.net.dt, populations: pops });
    const file = (await io.writeSonata(recorded, undefined, { populations: [pops[0]] }))!;
    const ref = outMon.spikes();
    a.net.dispose();
    expect(recorded.length).toBeGreaterThan(300);
    expect(ref.neuron.length).toBeGreaterThan(100);

    const b = network(true, file);
    await b.ready;
    const srcMon = b.net.addSpikeMonitor({ population: 'in' });
    const outB = b.net.addSpikeMonitor({ population: 'out' });
    b.net.run(400);
    const replayed = srcMon.spikes();
    const got = outB.spikes();
    b.net.dispose();
    // The source emits the file's spikes at their times, in the order the simulated population recorded them.
    expect(replayed.neuron).toEqual(recorded.column('neuron').data);
    expect(Float64Array.from(replayed.step, (s, k) => (s + replayed.offset[k]) * 0.125)).toEqual(recorded.column('time').data);
    // The file holds times in ms, (step + offset)·dt rounded to f64: the offset loses the bits
    // below the step's magnitude (~1e-13 steps), so the driven population's spikes agree to that.
    expect(got.neuron).toEqual(ref.neuron);
    expect(got.step).toEqual(ref.step);
    let worst = 0;
    for (let k = 0; k < ref.offset.length; k++) worst = Math.max(worst, Math.abs(got.offset[k] - ref.offset[k]));
    expect(worst).toBeLessThan(1e-9);
  });

  test('bad input is refused naming the argument', () => {
    const net = new nd.LifNetwork({ dt: 0.1 });
    expect(() => net.addSpikeSource('s', 3, { neuron: [0, 3], time: [1, 2] })).toThrow(
      /spikes\.neuron\[1\]: expected an integer in \[0, 2\], got 3/,
    );
    expect(() => net.addSpikeSource('s', 3, { neuron: [0], time: [-1] })).toThrow(/spikes\.time\[0\]/);
    expect(() => net.addSpikeSource('s', 3, { neuron: [1, 1], time: [1.01, 1.05] })).toThrow(/at most one spike of neuron 1 per step/);
    net.addSpikeSource('s', 3, { neuron: [0, 1], time: [1, 2] });
    net.addPopulation('p', 2);
    expect(() => net.connect('p', 's', { connector: { type: 'allToAll' }, weight: 1 })).toThrow(
      /to: expected a population that integrates its input/,
    );
    net.dispose();
  });

  test('snapshot/restore continues the replay from the restored step', () => {
    const build = () => {
      const net = new nd.LifNetwork({ dt: 0.1, integrator: 'exact', seed: 2 });
      const times = Array.from({ length: 50 }, (_, k) => 2 + k * 3.7);
      net.addSpikeSource('s', 1, { neuron: times.map(() => 0), time: times });
      net.addPopulation('p', 4, { mu: 0.02, sigma: 0.01 });
      net.connect('s', 'p', { connector: { type: 'allToAll' }, weight: 0.5 });
      return net;
    };
    const a = build();
    const ma = a.addSpikeMonitor();
    a.run(200);
    const ref = ma.spikes();
    const b = build();
    const mb = b.addSpikeMonitor();
    b.run(80);
    const snap = b.snapshot();
    b.run(50); // go on, then come back
    b.restore(snap);
    mb.clear();
    b.run(120);
    const tail = mb.spikes();
    const from = ref.step.findIndex((s) => s >= 800);
    expect(tail.neuron).toEqual(ref.neuron.slice(from));
    expect(tail.offset).toEqual(ref.offset.slice(from));
    a.dispose();
    b.dispose();
  });
});
