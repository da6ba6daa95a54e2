// Deno: imports the BUILT package (dist/) with no permissions beyond reading the reference file,
// runs every cross-runtime case and the worker pool, and compares with Node's fingerprints.
import * as nd from '../../dist/index.js';
import { allCases } from '../cross/index.ts';

const ref: Record<string, string> = JSON.parse(await Deno.readTextFile(new URL('../../build/cross/node.json', import.meta.url)));

for (const [name, f] of Object.entries(allCases)) {
  Deno.test(`deno: ${name} matches Node bit for bit`, async () => {
    const fp = await f(nd as never);
    if (fp !== ref[name]) throw new Error(`fingerprint ${fp} != node ${ref[name]}`);
  });
}

Deno.test('deno: worker pool (Web Workers) gives the same rows for 1 and 2 workers as inline', async () => {
  const workerUrl = new URL('../../dist/worker.js', import.meta.url);
  const opts = { seed: 'deno', range: [0, 4] as [number, number], params: { n: 10_000 } };
  const inline = await nd.runTrials('core.normals', { ...opts, workers: 0 });
  for (const workers of [1, 2]) {
    const r = await nd.runTrials('core.normals', { ...opts, workers, workerUrl });
    if (JSON.stringify(r) !== JSON.stringify(inline)) throw new Error(`rows differ with ${workers} workers`);
  }
});
