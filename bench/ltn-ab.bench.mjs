// A/B of the ltn simulators between two builds, side by side in ONE process (benchmark.js via
// runSuite): `node bench/ltn-ab.bench.mjs --old <dir>` where <dir> is a copy of another build's
// dist/ (e.g. `git stash; npm run build; cp -r dist /tmp/old-dist; git stash pop; npm run build`).
// Rows: ltnSimulate (rk4, dopri5, event-driven), pdsSimulate (event-driven), lcsSimulate, the WASM
// batch and the LDS ascent, on the docs network. Builds from before the one-contract change call
// the event-driven method 'exact' and the batch states `states()`: both spellings are handled.
// Without --old it prints a note and exits (so `npm run bench` skips it). Units: calls/s (printed in the M/s column).
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as nw from '../dist/index.js';
import { runSuite } from './util.mjs';

const k = process.argv.indexOf('--old');
const oldDir = k > 0 ? process.argv[k + 1] : undefined;
if (!oldDir || !existsSync(resolve(oldDir, 'index.js'))) {
  console.log('ltn-ab: pass --old <copy of another build dist/> to compare two builds; skipped');
  process.exit(0);
}
const od = await import(pathToFileURL(resolve(oldDir, 'index.js')).href);
await nw.init();
await od.init();
const ed = (nd) => ('ltnSimulateAsync' in nd ? 'event-driven' : 'exact');
const net = {
  d: [1, 3],
  W: [
    [0.2, -1.5],
    [1, 0.5],
  ],
  u: [1, -2],
};
const cyc = {
  d: [1, 1.2, 0.9],
  W: [
    [0, 0, -3],
    [-3, 0.2, 0],
    [0, -3, -0.1],
  ],
  u: [1, 1, 1],
};
const x0 = [0.2, 1.5];
const M8 = Array.from({ length: 8 }, (_, i) => Array.from({ length: 8 }, (_, j) => (i === j ? 2 : Math.sin(3 * i + 5 * j) / 4)));
let sink = 0;
const rows = {
  'ltnSimulate rk4 (2e4 steps)': (nd) => nd.ltnSimulate(net, x0, { duration: 20, dt: 1e-3, method: 'rk4' }).final[0],
  'ltnSimulate dopri5': (nd) => nd.ltnSimulate(net, x0, { duration: 20 }).final[0],
  'ltnSimulate event-driven (cyclic, 3 units)': (nd) =>
    nd.ltnSimulate(cyc, [0.3, 0.2, 0.25], { duration: 20, sampleInterval: 0.05, method: ed(nd) }).final[0],
  'pdsSimulate event-driven': (nd) => nd.pdsSimulate(net, x0, { duration: 20, sampleInterval: 0.05, method: ed(nd) }).final[0],
  'lcsSimulate (2e3 steps)': (nd) => nd.lcsSimulate(net, x0, { duration: 2, dt: 1e-3 }).final[0],
  'LtnBatch rk4 64 × 1000 steps': (nd) => {
    const b = new nd.LtnBatch(net, Array(64).fill(x0), { dt: 1e-3 });
    b.run(1);
    const v = ('stateArray' in b ? b.stateArray() : b.states())[0];
    b.dispose();
    return v;
  },
  'ldsTest n = 8 (4000 iterations)': (nd) => nd.ldsTest(M8).margin,
};
const all = {};
for (const [name, f] of Object.entries(rows)) {
  if (f(nw) !== f(od)) console.log(`  ${name}: the two builds differ in the result`);
  const r = await runSuite(
    `ltn A/B: ${name} (the M/s column is calls/s)`,
    { new: { units: 1e6, fn: () => (sink += f(nw)) }, old: { units: 1e6, fn: () => (sink += f(od)) } },
    'old',
    { minSamples: 8, maxTime: 2 },
  );
  all[name] = Number((r.new.perSecond / r.old.perSecond).toFixed(3));
}
console.log(JSON.stringify({ newOverOld: all, sink: sink !== 0 }));
