// A/B of the numerics analyses between two builds, side by side in ONE process:
// `node bench/numerics-ab.bench.mjs --old <dir> [--reps=8] [--lif]` where <dir> is a copy of another
// build's dist/ (see bench/lif-ab.bench.mjs). Each build runs its own worker task inline
// (runTrials with 0 workers), so the rows time exactly one trial. Rows, per build: one trial of the standard
// convergence study (3 × 20 feedforward, T = 200 ms, dts 0.4 … 0.05 ms, h_ref = 0.00625 ms, the
// three Euler–Maruyama rules), one Lyapunov trial (same network, dt 0.05 ms, 200 ms burn-in +
// 1000 ms, linear rule, K = 60 tangents plus the finite-difference replica), one rate/synchrony
// trial (60-neuron random network, 2 s, no mean-field estimate). Units: CPU ms per trial (median);
// with --lif also the LIF engine rows of bench/lif-ab.bench.mjs in the same interleaved CPU-time form.
// The old build may be the one with the lab simulator (feedforwardLabNetwork, T/hs/h/rule) or a
// build of the LifNetwork-based API; the adapter below picks the right parameters.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as nw from '../dist/index.js';

const k = process.argv.indexOf('--old');
const oldDir = k > 0 ? process.argv[k + 1] : undefined;
if (!oldDir || !existsSync(resolve(oldDir, 'index.js'))) {
  console.log('numerics-ab: pass --old <copy of another build dist/> to compare two builds; skipped');
  process.exit(0);
}
const od = await import(pathToFileURL(resolve(oldDir, 'index.js')).href);
await nw.init();
await od.init();

const RULES = ['grid', 'linear', 'hermite'];
/** The three trials of a build, as functions of the trial index: each build's own worker task, run inline. */
function trialsOf(nd) {
  const task = (name, params) => async (t) => {
    const r = await nd.runTrials(name, { seed: 'ab', range: [t, t + 1], params, workers: 0 });
    if (!r.rows[0].ok) throw new Error(r.rows[0].error.message);
  };
  if (typeof nd.feedforwardLabNetwork === 'function') {
    // The lab simulator's API (T, hs, h, rule; dense jump matrices).
    const net = nd.feedforwardLabNetwork({ sizes: [20, 20, 20] });
    const rnet = nd.randomLabNetwork({ n: 60, p: 0.1, jump: 0.004, mu: 0.045, sigma: 0.02, seed: 'ab' });
    return {
      convergence: task('numerics.convergenceTrial', {
        network: net,
        T: 200,
        hs: [0.4, 0.2, 0.1, 0.05],
        hRef: 0.00625,
        window: 1,
        schemes: RULES.map((rule) => ({ integrator: 'euler-maruyama', rule })),
      }),
      lyapunov: task('numerics.lyapunovTrial', { network: net, h: 0.05, T: 1000, burnIn: 200, rule: 'linear' }),
      rates: task('numerics.rateSynchronyTrial', { network: rnet, T: 2000, h: 0.05 }),
    };
  }
  const net = nd.feedforwardNetwork({ sizes: [20, 20, 20] });
  const rnet = nd.randomNetwork({ size: 60, p: 0.1, weight: 0.004, mu: 0.045, sigma: 0.02 });
  return {
    convergence: task('numerics.convergenceTrial', {
      network: net,
      duration: 200,
      dts: [0.4, 0.2, 0.1, 0.05],
      referenceDt: 0.00625,
      matchWindow: 1,
      schemes: RULES.map((spikeRule) => ({ integrator: 'euler-maruyama', spikeRule })),
    }),
    lyapunov: task('numerics.lyapunovTrial', { network: net, dt: 0.05, duration: 1000, burnIn: 200, spikeRule: 'linear' }),
    rates: task('numerics.rateSynchronyTrial', { network: rnet, duration: 2000, dt: 0.05 }),
  };
}
const builds = { old: trialsOf(od), new: trialsOf(nw) };
// Interleaved A/B (old, new, old, new, …) so that the load of a shared machine hits both alike;
// medians of the per-trial CPU times of this process (process.cpuUsage: time spent descheduled by
// other jobs does not count, so the ratio is stable to about 1 % where wall times drift by 20 %).
const reps = Number(process.argv.find((a) => a.startsWith('--reps='))?.slice(7) ?? 8);
const median = (v) => {
  const s2 = [...v].sort((a, b) => a - b);
  return s2.length % 2 ? s2[(s2.length - 1) / 2] : (s2[s2.length / 2 - 1] + s2[s2.length / 2]) / 2;
};
const cpuMs = async (f) => {
  const c0 = process.cpuUsage();
  await f();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000;
};
const out = {};
for (const name of ['convergence', 'lyapunov', 'rates']) {
  const times = { old: [], new: [] };
  for (const lib of ['old', 'new']) await builds[lib][name](1000); // warm-up
  for (let r = 0; r < reps; r++) {
    for (const lib of r % 2 ? ['new', 'old'] : ['old', 'new']) times[lib].push(await cpuMs(() => builds[lib][name](r)));
  }
  const perTrial = { old: median(times.old), new: median(times.new) };
  out[name] = { oldMs: +perTrial.old.toFixed(1), newMs: +perTrial.new.toFixed(1), newOverOld: +(perTrial.new / perTrial.old).toFixed(3) };
  console.log(
    `  ${name.padEnd(12)} old ${perTrial.old.toFixed(1)} ms/trial   new ${perTrial.new.toFixed(1)} ms/trial   new/old ×${(perTrial.new / perTrial.old).toFixed(3)}  (CPU, median of ${reps}, interleaved)`,
  );
}

// The engine itself (--lif): the rows of bench/lif-ab.bench.mjs (10^4 neurons, homogeneous, EM,
// exact, noise-free, Poisson, off-grid tRef, fineSteps 4, shared noise), interleaved, CPU time.
if (process.argv.includes('--lif')) {
  const N = 10_000;
  const h = 0.1;
  const base = { tauMem: 20, sigma: 0.02, mu: 0.055 };
  for (const [tag, integrator, p, F] of [
    ['EM', 'euler-maruyama', base, 1],
    ['exact', 'exact', base, 1],
    ['EM quiet', 'euler-maruyama', { tauMem: 20, sigma: 0, mu: 0.06 }, 1],
    ['EM Poisson', 'euler-maruyama', { ...base, poisson: { rate: 1000, weight: 0.002 } }, 1],
    ['exact tRef 2.05', 'exact', { ...base, tRef: 2.05 }, 1],
    ['EM F=4', 'euler-maruyama', base, 4],
    ['exact F=4', 'exact', base, 4],
    ['EM shared 0.2', 'euler-maruyama', { ...base, sharedNoise: 0.2 }, 1],
  ]) {
    const mk = (nd) => {
      const net = new nd.LifNetwork({ dt: h, integrator, spikeRule: 'linear', seed: 1, noise: { fineSteps: F } });
      net.addPopulation('p', N, { ...p, v0: { uniform: [0, 1] } });
      net.run(2);
      return net;
    };
    const nets = { old: mk(od), new: mk(nw) };
    const steps = F > 1 ? 20 : 50;
    const times = { old: [], new: [] };
    for (let r = 0; r < 6 * reps; r++) {
      for (const lib of r % 2 ? ['new', 'old'] : ['old', 'new']) times[lib].push(await cpuMs(() => nets[lib].run(h * steps)));
    }
    const units = (N * steps * F) / 1000;
    const row = { oldM: units / median(times.old), newM: units / median(times.new) };
    out[`lif ${tag}`] = { oldMps: +row.oldM.toFixed(1), newMps: +row.newM.toFixed(1), newOverOld: +(row.newM / row.oldM).toFixed(3) };
    console.log(
      `  lif ${tag.padEnd(16)} old ${row.oldM.toFixed(1)} M/s   new ${row.newM.toFixed(1)} M/s   speed new/old ×${(row.newM / row.oldM).toFixed(3)}  (fine neuron-steps per CPU second)`,
    );
    nets.old.dispose();
    nets.new.dispose();
  }
}
console.log(JSON.stringify(out));
