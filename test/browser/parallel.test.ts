// Chromium: users' trial modules on the pool of the BUILT package, inline and on module Web
// Workers (the module is served like any other file), give the same rows; a sweep's shards merge
// into the full table.
import { expect, test } from 'vitest';
import * as nd from '../../dist/index.js';

// dist/worker.js behind a shim for vitest's rewriting of dynamic imports (see pool-worker.js)
const workerUrl = new URL('./pool-worker.js', import.meta.url);
const task = { module: new URL('../../examples/node/user-trials-module.mjs', import.meta.url), task: 'network' };

test('chromium: the example trial module gives the same rows inline and on 1 and 2 Web Workers', async () => {
  await nd.init();
  const opts = { seed: 'web-user', range: [0, 4] as [number, number], params: { mu: 0.055, sigma: 0.02, duration: 100 } };
  const inline = await nd.runTrials<{ spikes: number }>(task, { ...opts, workers: 0 });
  expect(inline.rows.every((r) => r.ok && r.value.spikes > 0)).toBe(true);
  for (const workers of [1, 2])
    expect(JSON.stringify(await nd.runTrials(task, { ...opts, workers, workerUrl }))).toBe(JSON.stringify(inline));
  const streamed = [];
  for await (const row of nd.iterateTrials(task, { ...opts, workers: 2, workerUrl, lookahead: 1 })) streamed.push(row);
  expect(JSON.stringify(streamed)).toBe(JSON.stringify(inline.rows));
});

test('chromium: a sweep over the module, run as two shards on Web Workers, equals the inline sweep', async () => {
  const o = { task, params: { mu: [0.05, 0.06], duration: [50] }, trials: 2, seed: 'web-sweep' };
  const full = await nd.sweep({ ...o, workers: 0 });
  const shards = [
    await nd.sweepTrials({ ...o, range: [0, 1], workers: 1, workerUrl }),
    await nd.sweepTrials({ ...o, range: [1, 4], workers: 2, workerUrl }),
  ];
  expect(JSON.stringify(nd.sweepTable(nd.mergeTrials(shards), o))).toBe(JSON.stringify(full));
});
