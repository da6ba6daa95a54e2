// A/B of the SRM kernels between two builds, side by side in ONE process (benchmark.js via
// runSuite): `node bench/srm-ab.bench.mjs --old <dir>` where <dir> is a copy of another build's
// dist/ (e.g. `git stash; npm run build; cp -r dist /tmp/old-dist; git stash pop; npm run build`).
// Rows: the three kernel call sites (srmRun from a sample with the backward gradient and from
// run(), srmOnline from learnOnline) and the dense forward eligibility, at n = 100 and n = 1000.
// Each build gets the parameters under its own names (the old build may predate the renames of
// issue #15: tau → tauMem, theta → vThreshold, rho0 in 1/ms → Hz). Without --old it prints a note
// and exits (so `npm run bench` skips it). Units: network-steps/s.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as nw from '../dist/index.js';
import { runSuite } from './util.mjs';

const k = process.argv.indexOf('--old');
const oldDir = k > 0 ? process.argv[k + 1] : undefined;
if (!oldDir || !existsSync(resolve(oldDir, 'index.js'))) {
  console.log('srm-ab: pass --old <copy of another build dist/> to compare two builds; skipped');
  process.exit(0);
}
const od = await import(pathToFileURL(resolve(oldDir, 'index.js')).href);
await nw.init();
await od.init();

/** The parameters of `nd`'s build: renamed options (and rho0 in Hz) when it knows `tauMem`. */
function params(nd) {
  const probe = new nd.SrmNetwork({ n: 1, silence: ['srm.saturation'] });
  const renamed = 'tauMem' in probe.params;
  probe.dispose();
  return renamed
    ? { tauMem: 10, tauAdapt: 20, eta0: 3, rho0: 20, vThreshold: 0, deltaU: 1, dt: 1 }
    : { tau: 10, tauAdapt: 20, eta0: 3, rho0: 0.02, theta: 0, deltaU: 1, dt: 1 };
}

let sink = 0;
const all = {};
const cpu = {};
for (const [n, fSteps, bSteps] of [
  [100, 400, 2000],
  [1000, 20, 400],
]) {
  const u = nw.uniforms('bench', 0, n * n, { stream: nw.Streams.init });
  const w = Array.from(u, (x) => (4 / Math.sqrt(n)) * (x - 0.5));
  const cases = {};
  const nets = {};
  for (const [lib, nd] of [
    ['old', od],
    ['new', nw],
  ]) {
    const net = new nd.SrmNetwork({ n, weights: w, ...params(nd), seed: 1, silence: ['srm.saturation'] });
    nets[lib] = net;
    const trainF = net.sample(fSteps).train;
    cases[`${lib} sample + backward gradient`] = { units: bSteps, fn: () => (sink += net.sample(bSteps, { gradient: 'backward' }).logLik) };
    cases[`${lib} gradient forward`] = { units: fSteps, fn: () => (sink += net.gradient(trainF, { method: 'forward' }).dW[7]) };
    cases[`${lib} learnOnline`] = { units: fSteps, fn: () => (sink += net.learnOnline(trainF, { learningRate: 0 }).logLik) };
  }
  all[n] = await runSuite(`A/B old vs new build, SRM n = ${n}`, cases, Object.keys(cases)[0], { minSamples: 5, maxTime: 1 });
  // Second measurement in CPU time (process.cpuUsage), interleaved old/new, median of 15: on a
  // loaded machine far less inflated by waiting for a core than benchmark.js's wall time. run() is
  // measured only here: it is async before #15 (no yield below 50 chunks) and sync after, awaited
  // either way.
  const timed = { ...cases };
  for (const lib of ['old', 'new'])
    timed[`${lib} run`] = { units: bSteps, fn: async () => (sink += (await nets[lib].run(bSteps)).spikes[0]) };
  const t = Object.fromEntries(Object.keys(timed).map((name) => [name, []]));
  for (let rep = 0; rep < 15; rep++) {
    for (const [name, c] of Object.entries(timed)) {
      const c0 = process.cpuUsage();
      await c.fn();
      const d = process.cpuUsage(c0);
      t[name].push(c.units / ((d.user + d.system) / 1e6));
    }
  }
  const med = (a) => a.sort((x, y) => x - y)[a.length >> 1];
  cpu[n] = Object.fromEntries(Object.entries(t).map(([name, v]) => [name, Math.round(med(v))]));
  for (const name of Object.keys(timed).filter((x) => x.startsWith('new '))) {
    const base = name.slice(4);
    console.log(
      `  cpu-time ${base.padEnd(28)} old ${String(cpu[n][`old ${base}`]).padStart(8)}  new ${String(cpu[n][name]).padStart(8)} network-steps/s  ×${(cpu[n][name] / cpu[n][`old ${base}`]).toFixed(3)}`,
    );
  }
  nets.old.dispose();
  nets.new.dispose();
}
console.log(
  JSON.stringify({
    srmAB: Object.fromEntries(
      Object.entries(all).map(([n, rows]) => [n, Object.fromEntries(Object.entries(rows).map(([k, v]) => [k, Math.round(v.perSecond)]))]),
    ),
    cpuTime: cpu,
    sink: sink !== 0,
  }),
);
