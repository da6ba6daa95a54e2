// File sizes and write times of the exporters for a run of about 10^6 spikes (10^4 neurons,
// 600 ms): one run, no repetition. `node bench/io-sizes.mjs` after `npm run build`.
import { mkdirSync, statSync } from 'node:fs';
import * as nd from '../dist/index.js';

await nd.init();
const N = 10000;
const net = new nd.LifNetwork({ dt: 0.1, integrator: 'exact', seed: 3 });
net.addPopulation('A', N / 2, { tauMem: 20, tauSyn: 5, mu: 0.3, sigma: 0.01, tRef: 2, v0: { uniform: [0, 1] } });
net.addPopulation('B', N / 2, { tauMem: 20, tauSyn: 5, mu: 0.3, sigma: 0.01, tRef: 2, v0: { uniform: [0, 1] } });
const mon = net.addSpikeMonitor();
net.run(600);
const pops = net.populations();
const t = nd.io.spikeTable(mon.spikes(), { dt: net.dt, populations: pops });
const two = nd.makeTable(
  'spikes',
  {
    neuron: { data: t.column('neuron').data, unit: '', description: '' },
    time: { data: t.column('time').data, unit: 'ms', description: '' },
  },
  { populations: pops },
);
const d = 'build/io-sizes';
mkdirSync(d, { recursive: true });
const tm = {};
const time = async (k, f) => {
  const t0 = performance.now();
  await f();
  tm[k] = ((performance.now() - t0) / 1000).toFixed(2);
};
await time('csv5', () => nd.io.writeTable(t, `${d}/all.csv`));
await time('csv2', () => nd.io.writeTable(two, `${d}/two.csv`));
await time('npz5', () => nd.io.writeTable(t, `${d}/all.npz`));
await time('npz2', () => nd.io.writeTable(two, `${d}/two.npz`));
await time('json2', () => nd.io.writeTable(two, `${d}/two.json`));
await time('sonata', () => nd.io.writeSonata(t, `${d}/s.h5`, { populations: pops }));
await time('nwb', () => nd.io.writeNwb(t, `${d}/s.nwb`, { populations: pops, identifier: 'x' }));
const sz = (f) => `${(statSync(`${d}/${f}`).size / 1e6).toFixed(1)} MB`;
console.log(
  JSON.stringify({
    spikes: t.length,
    csv5: sz('all.csv'),
    csv2: sz('two.csv'),
    npz5: sz('all.npz'),
    npz2: sz('two.npz'),
    json2: sz('two.json'),
    sonata: sz('s.h5'),
    nwb: sz('s.nwb'),
    seconds: tm,
  }),
);
