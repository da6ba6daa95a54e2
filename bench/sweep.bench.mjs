// Sweep throughput on the worker pool: a 64-trial sweep (8 points × 8 trials) of the example
// trial module (examples/node/user-trials-module.mjs: a recurrent E/I LIF network of 200 neurons,
// 500 ms per trial) on 1 and on 2 workers, measured in one run with benchmark.js, cases
// alternating. Each case reuses its pool (worker start-up, about a kernel load per worker, is
// reported separately). The machine's load average and the cores each case actually used (CPU
// time per wall-clock second) are printed: on a shared machine the ratio is bounded by the cores
// the scheduler leaves to this process.
import { availableParallelism, loadavg } from 'node:os';
import Benchmark from 'benchmark';
import * as nd from '../dist/index.js';

await nd.init();
const task = { module: new URL('../examples/node/user-trials-module.mjs', import.meta.url), task: 'network' };
const options = {
  task,
  params: { mu: [0.05, 0.055, 0.06, 0.065], weight: [0, 0.002], neurons: [200], duration: [500], sigma: [0.02] },
  trials: 8,
  seed: 'bench-sweep',
};
const TRIALS = 64;
const load0 = loadavg();

const pools = {};
const startup = {};
for (const w of [1, 2]) {
  const t0 = performance.now();
  pools[w] = await nd.WorkerPool.create({ workers: w });
  // first sweep warms up the workers (module import, JIT) and checks that the tables are equal
  await nd.sweep({ ...options, pool: pools[w] });
  startup[w] = performance.now() - t0;
}
const ref = JSON.stringify(await nd.sweep({ ...options, pool: pools[1] }));
if (JSON.stringify(await nd.sweep({ ...options, pool: pools[2] })) !== ref) throw new Error('1 and 2 workers gave different tables');

const suite = new Benchmark.Suite('sweep');
for (const w of [1, 2]) {
  suite.add(`${w} worker${w > 1 ? 's' : ''}`, {
    defer: true,
    minSamples: 4,
    maxTime: 20,
    fn: (deferred) => {
      nd.sweep({ ...options, pool: pools[w] }).then(() => deferred.resolve());
    },
  });
}
const rows = {};
// CPU time of this process (main thread and workers) per wall-clock second of each case: how many
// cores the machine actually gave the case.
let mark = { cpu: process.cpuUsage(), t: performance.now() };
suite.on('cycle', (e) => {
  const b = e.target;
  const cpu = process.cpuUsage(mark.cpu);
  const t = performance.now();
  rows[b.name] = {
    trialsPerSecond: b.hz * TRIALS,
    rme: b.stats.rme,
    samples: b.stats.sample.length,
    coresUsed: (cpu.user + cpu.system) / 1000 / (t - mark.t),
  };
  mark = { cpu: process.cpuUsage(), t };
});
await new Promise((resolve) => {
  suite.on('complete', resolve);
  suite.run({ async: true });
});
for (const p of Object.values(pools)) p.close();
const load1 = loadavg();
const ratio = rows['2 workers'].trialsPerSecond / rows['1 worker'].trialsPerSecond;
console.log(`\n64-trial sweep, ${availableParallelism()} cores, load average ${load0[0].toFixed(1)} → ${load1[0].toFixed(1)}`);
for (const [name, r] of Object.entries(rows))
  console.log(
    `  ${name.padEnd(10)} ${r.trialsPerSecond.toFixed(2).padStart(7)} trials/s  ±${r.rme.toFixed(1)}%  (${r.samples} samples)  ${r.coresUsed.toFixed(2)} cores used`,
  );
console.log(`  2 vs 1 worker: ×${ratio.toFixed(2)}`);
console.log(
  JSON.stringify({
    trials: TRIALS,
    cores: availableParallelism(),
    loadAverage: [Number(load0[0].toFixed(2)), Number(load1[0].toFixed(2))],
    trialsPerSecond: Object.fromEntries(Object.entries(rows).map(([k, v]) => [k, Number(v.trialsPerSecond.toFixed(3))])),
    coresUsed: Object.fromEntries(Object.entries(rows).map(([k, v]) => [k, Number(v.coresUsed.toFixed(2))])),
    ratio: Number(ratio.toFixed(3)),
    firstSweepMs: Object.fromEntries(Object.entries(startup).map(([k, v]) => [`${k} workers`, Math.round(v)])),
  }),
);
