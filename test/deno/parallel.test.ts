// Deno: users' trial modules on the pool of the BUILT package, inline and on Web Workers, give
// the same rows; a sweep's shards merge into the full table.
import * as nd from '../../dist/index.js';

const workerUrl = new URL('../../dist/worker.js', import.meta.url);
const task = { module: new URL('../../examples/node/user-trials-module.mjs', import.meta.url), task: 'network' };

Deno.test('deno: the example trial module gives the same rows inline and on 1 and 2 Web Workers', async () => {
  const opts = { seed: 'deno-user', range: [0, 4] as [number, number], params: { mu: 0.055, sigma: 0.02, duration: 100 } };
  const inline = await nd.runTrials(task, { ...opts, workers: 0 });
  if (!inline.rows.every((r) => r.ok && (r.value as { spikes: number }).spikes > 0))
    throw new Error(`trials failed or silent: ${JSON.stringify(inline)}`);
  for (const workers of [1, 2]) {
    const r = await nd.runTrials(task, { ...opts, workers, workerUrl });
    if (JSON.stringify(r) !== JSON.stringify(inline)) throw new Error(`rows differ with ${workers} workers`);
  }
  const streamed = [];
  for await (const row of nd.iterateTrials(task, { ...opts, workers: 2, workerUrl, lookahead: 1 })) streamed.push(row);
  if (JSON.stringify(streamed) !== JSON.stringify(inline.rows)) throw new Error('iterateTrials rows differ');
});

Deno.test('deno: a sweep over the module, run as two shards on Web Workers, equals the inline sweep', async () => {
  const o = { task, params: { mu: [0.05, 0.06], duration: [50] }, trials: 2, seed: 'deno-sweep' };
  const full = await nd.sweep({ ...o, workers: 0 });
  const shards = [
    await nd.sweepTrials({ ...o, range: [0, 1], workers: 1, workerUrl }),
    await nd.sweepTrials({ ...o, range: [1, 4], workers: 2, workerUrl }),
  ];
  const merged = nd.sweepTable(nd.mergeTrials(shards), o);
  if (JSON.stringify(merged) !== JSON.stringify(full)) throw new Error('merged sweep differs from the inline sweep');
});
