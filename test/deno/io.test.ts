// Deno: the BUILT package writes SONATA with h5wasm's ESM build in memory, reads it back equal to
// the spike records; and writes/reads a SONATA file under build/ (node:fs, --allow-write=build).
import * as nd from '../../dist/index.js';
import { sonataInMemory } from '../cross/io.ts';

Deno.test('deno: SONATA written in memory by h5wasm reads back equal to the spike records', async () => {
  const r = await sonataInMemory(nd as never);
  if (!r.equal || r.spikes < 100 || r.populations.sort().join() !== 'E,I') throw new Error(`read back differs: ${JSON.stringify(r)}`);
});

Deno.test('deno: SONATA and CSV files under build/ through node:fs', async () => {
  await Deno.mkdir('build/deno-io', { recursive: true });
  const t = nd.makeTable('lif.spikes', {
    neuron: { data: Int32Array.of(2, 0, 1), unit: '', description: 'neuron' },
    time: { data: Float64Array.of(0.3, 0.1, 1 / 3), unit: 'ms', description: 'time' },
  });
  await nd.io.writeSonata(t, 'build/deno-io/s.h5');
  const back = await nd.io.readSonata('build/deno-io/s.h5');
  if (Array.from(back.all.time).join() !== [0.1, 0.3, 1 / 3].join() || Array.from(back.all.node_id).join() !== '0,2,1')
    throw new Error(`unexpected ${JSON.stringify(back.all)}`);
  await nd.io.writeTable(t, 'build/deno-io/s.csv');
  const csv = await Deno.readTextFile('build/deno-io/s.csv');
  if (!csv.startsWith('neuron,time (ms)\n2,0.3\n')) throw new Error(csv);
});
