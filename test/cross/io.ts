// The I/O case every runtime runs against the BUILT package: a seeded network's spikes written
// as SONATA by h5wasm in memory (no file system), read back, and compared with the records.
type Nd = typeof import('../../src/index.js');

/** Runs the network, writes SONATA in memory, reads it back; returns a summary with `equal`. */
export async function sonataInMemory(nd: Nd): Promise<{ spikes: number; bytes: number; equal: boolean; populations: string[] }> {
  await nd.init();
  const net = new nd.LifNetwork({ dt: 0.1, integrator: 'exact', seed: 11 });
  net.addPopulation('E', 40, { tauMem: 20, tauSyn: 5, mu: 0.07, sigma: 0.02, v0: { uniform: [0, 1] } });
  net.addPopulation('I', 10, { tauMem: 10, tauSyn: 3, mu: 0.12, sigma: 0.02, v0: { uniform: [0, 1] } });
  net.connect('E', 'I', { connector: { type: 'fixedProbability', p: 0.2 }, weight: 0.03 });
  net.connect('I', 'E', { connector: { type: 'fixedProbability', p: 0.2 }, weight: -0.05, delay: 1 });
  const mon = net.addSpikeMonitor();
  net.run(300);
  const pops = net.populations();
  const table = nd.io.spikeTable(mon.spikes(), { dt: net.dt, populations: pops });
  net.dispose();
  const bytes = await nd.io.writeSonata(table, undefined, { populations: pops, sorting: 'none' });
  if (!bytes) throw new Error('writeSonata without a path returned no bytes');
  const back = await nd.io.readSonata(bytes);
  const neuron = table.column('neuron').data;
  const time = table.column('time').data;
  let equal = true;
  for (const p of pops) {
    const t = back[p.name];
    const idx = [...neuron.keys()].filter((k) => neuron[k] >= p.start && neuron[k] < p.start + p.size);
    if (t.length !== idx.length) equal = false;
    idx.forEach((k, r) => {
      if (!Object.is(t.time[r], time[k]) || t.node_id[r] !== neuron[k] - p.start) equal = false;
    });
  }
  return { spikes: table.length, bytes: bytes.length, equal, populations: Object.keys(back) };
}
