// The CUBA benchmark network (Vogels & Abbott 2005, Brian2's examples/CUBA.py): 4000 LIF
// neurons, 80/20 E/I, p = 0.02, exact integration at dt = 0.1 ms, 1 s. Writes a raster to
// out/lif/cuba-raster.svg. `--quick`: 200 ms. Last line: {"neurons","synapses","spikes","rateHz","wallSeconds"}.
import { mkdirSync, writeFileSync } from 'node:fs';
import * as nd from 'neurodyn';

const quick = process.argv.includes('--quick');
const duration = quick ? 200 : 1000;
await nd.init();
const net = nd.createLifCuba({ seed: 1 });
const spikes = net.addSpikeMonitor();
net.build();
const t0 = performance.now();
net.run(duration);
const wallSeconds = (performance.now() - t0) / 1000;
const mem = net.memory();
const s = spikes.spikes(); // Table: s.neuron, s.time (ms), s.step, s.offset, s.A
mkdirSync('out/lif', { recursive: true });
const keep = s.neuron.map((n) => (n < 500 ? 1 : 0));
const times = s.time.filter((_, k) => keep[k]);
const neurons = Array.from(s.neuron).filter((_, k) => keep[k]);
writeFileSync(
  'out/lif/cuba-raster.svg',
  nd.plot.rasterPlot(times, neurons, { title: 'CUBA: neurons 0-499', xlabel: 'time (ms)', ylabel: 'neuron' }),
);
console.log(
  `CUBA: ${mem.neurons} neurons, ${mem.synapses} synapses, ${mem.stateBytesPerNeuron} B/neuron state, ${mem.synapseBytesPerSynapse.toFixed(2)} B/synapse`,
);
console.log(
  JSON.stringify({
    neurons: mem.neurons,
    synapses: mem.synapses,
    spikes: net.spikeCount,
    rateHz: net.spikeCount / mem.neurons / (duration / 1000),
    wallSeconds,
  }),
);
net.dispose();
