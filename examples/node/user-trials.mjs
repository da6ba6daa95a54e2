// Your own trials on the worker pool: examples/node/user-trials-module.mjs builds a small recurrent
// LIF network per trial; this script runs the same 8 trials inline (workers: 0) and on 1 and 2
// worker threads, checks that the rows are identical, and streams them with iterateTrials.
// `--quick`: 4 trials. Last line: {"trials": n, "identical": true, "workers": [0, 1, 2]}.
import { init, iterateTrials, runTrials } from 'neurodyn';

await init();
const trials = process.argv.includes('--quick') ? 4 : 8;
const task = { module: new URL('./user-trials-module.mjs', import.meta.url), task: 'network' };
const options = { seed: 'user-trials', range: [0, trials], params: { mu: 0.055, sigma: 0.02, weight: 0.002 } };

const workers = [0, 1, 2];
const runs = [];
for (const w of workers) {
  const t0 = performance.now();
  runs.push(await runTrials(task, { ...options, workers: w }));
  console.error(`workers: ${w}: ${trials} trials in ${((performance.now() - t0) / 1000).toFixed(2)} s`);
}
const json = runs.map((r) => JSON.stringify(r));
const identical = json.every((j) => j === json[0]);

// The same rows as a stream, in trial order, holding only a few at a time.
let streamed = 0;
for await (const row of iterateTrials(task, { ...options, workers: 2 })) {
  if (!row.ok) throw new Error(`trial ${row.index} failed: ${row.error.message}`);
  if (JSON.stringify(row) !== JSON.stringify(runs[0].rows[streamed])) throw new Error(`streamed row ${row.index} differs`);
  const { rateE, rateI } = row.value;
  console.error(`trial ${row.index}: E ${rateE.toFixed(2)} Hz, I ${rateI.toFixed(2)} Hz`);
  streamed++;
}
console.log(JSON.stringify({ trials, identical: identical && streamed === trials, workers }));
