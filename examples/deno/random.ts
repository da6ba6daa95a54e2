// Deno: the built package, no npm install and no permissions beyond reading it.
//   deno run --allow-read examples/deno/random.ts [--quick]
// Draws normals from a seed (kernel and TS reference agree bit for bit) and runs a small study on
// Web Workers whose rows are identical to the inline run. Prints its result JSON as the last line.
import * as nd from '../../dist/index.js';

export async function main({ quick = false } = {}) {
  await nd.init();
  const n = quick ? 10_000 : 1_000_000;
  const g = new nd.NormalGenerator('deno-example');
  const z = g.next(n);
  g.dispose();
  let mean = 0;
  let sq = 0;
  for (const x of z) {
    mean += x;
    sq += x * x;
  }
  mean /= n;
  const workerUrl = new URL('../../dist/worker.js', import.meta.url);
  const opts = { seed: 'deno-example', range: [0, 4] as [number, number], params: { n: quick ? 1000 : 100_000 } };
  const inline = await nd.runTrials('core.normals', { ...opts, workers: 0 });
  const pooled = await nd.runTrials('core.normals', { ...opts, workers: 2, workerUrl });
  return {
    draws: n,
    mean,
    variance: sq / n - mean * mean,
    fingerprint: nd.fingerprint(z),
    workersAgree: JSON.stringify(inline.rows) === JSON.stringify(pooled.rows),
  };
}

if (import.meta.main) {
  console.log(JSON.stringify(await main({ quick: Deno.args.includes('--quick') })));
}
