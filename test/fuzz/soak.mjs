// Memory soak of one family (issue #16): create / run / dispose cycles of every kernel-backed class
// of the family (the `soak` of its registry entry), in a fresh process so that the resident set
// is the family's alone. Prints one JSON line: kernel regions and bytes at the start and the end,
// and the growth of the resident set per 1000 cycles after the warm-up.
//
//   node --expose-gc --min-semi-space-size=16 test/fuzz/soak.mjs --family fp [--cycles 1000] [--warmup 300]
//
// (--min-semi-space-size=16: V8 otherwise grows its young generation under the allocation rate of
// fast cycles, a one-off RSS step of ~17 MB that the slope would count as a leak.)
import * as nd from '../../dist/index.js';
import { registry } from '../contract/registry.mjs';

const argv = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : dflt;
};
const family = opt('family');
const cycles = Number(opt('cycles', '1000'));
const warmup = Number(opt('warmup', '300'));

// top-level entries and members of namespace objects (io.importNir)
const soaks = Object.entries(registry)
  .flatMap(([name, s]) => [[name, s], ...Object.entries(s.members ?? {}).map(([m, ms]) => [`${name}.${m}`, { family: s.family, ...ms }])])
  .filter(([, s]) => s.family === family && typeof s.soak === 'function')
  .map(([name, s]) => [name, s.soak]);

const gc = () => {
  for (let i = 0; i < 3; i++) globalThis.gc?.();
};
const cycle = async (k) => {
  for (const [, f] of soaks) await f(k);
};

const start = nd.kernelMemory();
for (let k = 0; k < warmup; k++) {
  await cycle(k);
  if ((k + 1) % 500 === 0) gc();
}
// The resident set after the warm-up, sampled 11 times (after a full GC) across the measured
// cycles; the growth per 1000 cycles is the least-squares slope through the samples, so a
// one-off step (a heap page, a JIT tier) weighs little and a steady leak shows in full.
const xs = [];
const ys = [];
const heap = [];
const sample = (k) => {
  gc();
  xs.push(k);
  ys.push(process.memoryUsage().rss);
  const mu = process.memoryUsage();
  heap.push([Math.round(mu.heapUsed / 1e4) / 100, Math.round(mu.heapTotal / 1e4) / 100, Math.round(mu.external / 1e4) / 100]);
};
const t0 = performance.now();
sample(0);
for (let k = 0; k < cycles; k++) {
  await cycle(warmup + k);
  if ((k + 1) % Math.max(1, Math.floor(cycles / 10)) === 0) sample(k + 1);
}
const ms = performance.now() - t0;
const end = nd.kernelMemory();
const n = xs.length;
const mx = xs.reduce((a, b) => a + b, 0) / n;
const my = ys.reduce((a, b) => a + b, 0) / n;
let sxy = 0;
let sxx = 0;
for (let i = 0; i < n; i++) {
  sxy += (xs[i] - mx) * (ys[i] - my);
  sxx += (xs[i] - mx) ** 2;
}
console.log(
  JSON.stringify({
    family,
    classes: soaks.map(([name]) => name),
    cycles,
    warmup,
    regions: [start.regions, end.regions],
    bytes: [start.bytes, end.bytes],
    memoryBytes: end.memoryBytes,
    rssGrowthPer1000: (sxy / sxx) * 1000,
    rssTotalGrowth: ys[n - 1] - ys[0],
    rssSamplesMB: ys.map((y) => Math.round(y / 1e4) / 100),
    heapUsedMB: heap,
    msPerCycle: ms / cycles,
  }),
);
