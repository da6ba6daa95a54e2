// Data out of neurodyn: a seeded recurrent noisy LIF network (80 excitatory + 20 inhibitory
// neurons, exact integration at dt = 0.1 ms) runs for 1 s (`--quick`: 200 ms), and its results
// are written by the library's exporters to DIR (`--out DIR`, default out/export):
//   spikes.csv          every spike: neuron, time (ms), step, offset, A — header with units
//   spikes.npz          the same columns as NumPy arrays (+ meta.json with units)
//   spikes.sonata.h5    SONATA spike report, one group per population (/spikes/E, /spikes/I)
//   session.nwb         NWB 2.7 file: Units table (spike times in s) + V of 4 neurons as a TimeSeries
//   network.nir         the network as a NIR graph (noise and initial state as neurodyn metadata)
// Last line: {"spikes": <count>, "files": {"csv", "npz", "sonata", "nwb", "nir"}}.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as nd from 'neurodyn';

const args = process.argv.slice(2);
const outAt = args.indexOf('--out');
const dir = outAt >= 0 ? args[outAt + 1] : 'out/export';
const duration = args.includes('--quick') ? 200 : 1000;
mkdirSync(dir, { recursive: true });

await nd.init();
const net = new nd.LifNetwork({ dt: 0.1, integrator: 'exact', spikeRule: 'linear', seed: 7 });
net.addPopulation('E', 80, { tauMem: 20, tauSyn: 5, vThreshold: 1, vReset: 0, mu: 0.06, sigma: 0.02, v0: { uniform: [0, 1] } });
net.addPopulation('I', 20, { tauMem: 10, tauSyn: 3, vThreshold: 1, vReset: 0, mu: 0.11, sigma: 0.02, v0: { uniform: [0, 1] } });
net.connect('E', 'E', { connector: { type: 'fixedProbability', p: 0.1 }, weight: 0.02 });
net.connect('E', 'I', { connector: { type: 'fixedProbability', p: 0.2 }, weight: 0.03 });
net.connect('I', 'E', { connector: { type: 'fixedProbability', p: 0.2 }, weight: -0.05, delay: 1.5 });
net.connect('I', 'I', { connector: { type: 'fixedProbability', p: 0.2 }, weight: -0.02 });
const monitor = net.addSpikeMonitor();
const recorded = [0, 1, 80, 81];
const state = net.addStateMonitor({ neurons: recorded, interval: 1 }); // ms
net.run(duration);

const populations = net.populations();
const spikes = nd.io.spikeTable(monitor.spikes(), { dt: net.dt, populations });
const files = {
  csv: join(dir, 'spikes.csv'),
  npz: join(dir, 'spikes.npz'),
  sonata: join(dir, 'spikes.sonata.h5'),
  nwb: join(dir, 'session.nwb'),
  nir: join(dir, 'network.nir'),
};
await nd.io.writeTable(spikes, files.csv);
writeFileSync(files.npz, nd.io.toNPZ(spikes));
await nd.io.writeSonata(spikes, files.sonata, { populations });
const samples = state.samples(); // long format, sample-major: row k·m + j is sample k of neuron j
const v = samples.v;
const times = Array.from({ length: samples.length / recorded.length }, (_, k) => samples.time[k * recorded.length]);
await nd.io.writeNwb(spikes, files.nwb, {
  populations,
  identifier: 'neurodyn-export-example-seed-7',
  sessionDescription: 'neurodyn examples/node/export.mjs: recurrent noisy LIF network, 80 E + 20 I, seed 7',
  sessionStartTime: '2026-01-01T00:00:00Z',
  timeSeries: [{ name: 'membrane_potential', data: v, columns: recorded.length, unit: 'dimensionless', times }],
});
await nd.io.exportNir(net, files.nir, { unsupported: 'metadata' });
net.dispose();
console.log(`${spikes.length} spikes from ${populations.map((p) => `${p.name} (${p.size})`).join(' + ')} over ${duration} ms`);
console.log(JSON.stringify({ spikes: spikes.length, files }));
