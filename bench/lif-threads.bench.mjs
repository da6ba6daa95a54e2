// One LifNetwork on 1 and 2 threads (#20.1): `npm run bench -- lif-threads`.
//  (a) noisy LIF, 10^5 uncoupled neurons (EM + linear rule, the S1 parameters of bench/lif.bench.mjs);
//  (b) CUBA (createLifCuba) scaled to 40 000 neurons at the example's in-degree (p = 80 / N);
//  (c) 40 000 noisy neurons coupled at in-degree 80 with a 1.5 ms delay (the threads exchange
//      spikes once per window of the minimum delay, 14 steps), and (d) the same with delay 0 (an
//      exchange every step).
// Each model: one network per thread count, built and warmed up (1 ms), then REPS timed runAsync
// calls interleaved across thread counts; the median per thread count (neuron-steps/s) and the
// speedup (median of per-repetition ratios). `identical`: the networks' final states and spike
// counts have the same bits for every thread count (they ran the same steps).
// Beside it, Brian2 C++ standalone with 1 and 2 OpenMP threads on the same models
// (bench/peers/brian2_threads.py, Debian python3-brian; skipped when absent), in the same run.
// The machine is shared: the 1-minute load average and a CPU probe (two busy threads vs one: how
// many cores this process actually got) are printed with the figures, since a 2-thread speedup
// cannot exceed the cores available. The ceiling of each model is measured in the same repetitions:
// two independent one-thread networks of N/2 neurons stepped at once on two workers (no exchange,
// no barrier, nothing shared), against the one-thread network of N. `efficiency` = speedup /
// ceiling: what the threads lose to their synchronisation rather than to the machine (on a VM the
// two vCPUs may share a physical core at times; the ceiling moves with it). Last line: JSON, the
// noisy network's figures at the top level.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { Worker } from 'node:worker_threads';
import * as nd from '../dist/index.js';

await nd.init();
const THREADS = [1, 2];
const REPS = Number(process.env.REPS ?? 5);
const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];

/** Cores this process gets now: 2 × (time of one busy loop) / (time of two at once in two threads). */
async function cpuProbe() {
  const src = `const { parentPort } = require('node:worker_threads');
    parentPort.on('message', () => { const t0 = Date.now(); let x = 0; for (let i = 0; i < 1.5e8; i++) x += i * 1e-9; parentPort.postMessage([Date.now() - t0, x > 0]); });`;
  const ws = [new Worker(src, { eval: true }), new Worker(src, { eval: true })];
  const once = (w) => new Promise((r) => w.once('message', (m) => r(m[0])));
  const w0 = once(ws[0]);
  ws[0].postMessage(0);
  await w0;
  const one = [];
  const two = [];
  for (let r = 0; r < 3; r++) {
    const a = once(ws[0]);
    ws[0].postMessage(0);
    one.push(await a);
    const b = [once(ws[0]), once(ws[1])];
    ws[0].postMessage(0);
    ws[1].postMessage(0);
    two.push(Math.max(...(await Promise.all(b))));
  }
  for (const w of ws) await w.terminate();
  return (2 * median(one)) / median(two);
}

// The two models, as source so that the ceiling's workers build the same networks.
const MODELS = `
export const models = {
  noisy(nd, n, threads, seed) {
    const net = new nd.LifNetwork({ dt: 0.1, seed, threads });
    net.addPopulation('p', n, { tauMem: 20, tauSyn: 5, mu: 0.055, sigma: 0.02, v0: { uniform: [0, 1] } });
    return net;
  },
  // in-degree 80 at every size (p = 80 / n)
  cuba: (nd, n, threads, seed) => nd.createLifCuba({ neurons: n, p: 80 / n, seed, threads }),
  // noisy neurons coupled with in-degree 80 and a 1.5 ms delay: threads exchange spikes once per
  // window of 14 steps; delay 0 forces an exchange every step (same work otherwise)
  delayed: (nd, n, threads, seed) => coupled(nd, n, threads, seed, 1.5),
  delay0: (nd, n, threads, seed) => coupled(nd, n, threads, seed, 0),
};
function coupled(nd, n, threads, seed, delay) {
  const net = new nd.LifNetwork({ dt: 0.1, seed, threads });
  net.addPopulation('p', n, { tauMem: 20, tauSyn: 5, mu: 0.05, sigma: 0.02, v0: { uniform: [0, 1] } });
  net.connect('p', 'p', { connector: { type: 'fixedProbability', p: 80 / n }, weight: 0.001, delay });
  return net;
}`;
const modelsUrl = `data:text/javascript,${encodeURIComponent(MODELS)}`;
const { models } = await import(modelsUrl);
const distUrl = new URL('../dist/index.js', import.meta.url).href;

/** Two one-thread networks of n/2 neurons on two workers; `run(ms)` steps both at once, resolves with the wall ms. */
async function independentPair(model, n) {
  const src = `const { parentPort, workerData: d } = require('node:worker_threads');
    (async () => {
      const nd = await import(d.distUrl);
      const { models } = await import(d.modelsUrl);
      await nd.init();
      const net = models[d.model](nd, d.n, 1, d.seed);
      net.run(1);
      parentPort.postMessage('ready');
      parentPort.on('message', (ms) => { net.run(ms); parentPort.postMessage('done'); });
    })();`;
  const ws = [0, 1].map((k) => new Worker(src, { eval: true, workerData: { distUrl, modelsUrl, model, n: n / 2, seed: 11 + k } }));
  await Promise.all(ws.map((w) => new Promise((r) => w.once('message', r))));
  return {
    async run(ms) {
      const t0 = performance.now();
      const done = ws.map((w) => new Promise((r) => w.once('message', r)));
      for (const w of ws) w.postMessage(ms);
      await Promise.all(done);
      return performance.now() - t0;
    },
    close: () => Promise.all(ws.map((w) => w.terminate())),
  };
}

function fp(net) {
  const s = net.state();
  return nd.fingerprint(s.column('v').data, s.column('i').data, s.column('i2').data, s.column('refUntil').data, net.spikeCounts());
}

async function measure(title, model, neurons, ms) {
  const nets = [];
  for (const T of THREADS) {
    const net = models[model](nd, neurons, T, 1);
    await net.runAsync(1);
    nets.push(net);
  }
  const pair = await independentPair(model, neurons);
  const per = THREADS.map(() => []);
  const ratios = [];
  const ceilings = [];
  for (let r = 0; r < REPS; r++) {
    const w = [];
    for (let k = 0; k < nets.length; k++) {
      const t0 = performance.now();
      await nets[k].runAsync(ms, { sliceMs: 50 });
      const s = (performance.now() - t0) / 1000;
      w.push(s);
      per[k].push((neurons * Math.round(ms / 0.1)) / s);
    }
    const ind = (await pair.run(ms)) / 1000;
    ratios.push(w[0] / w[1]);
    ceilings.push(w[0] / ind);
  }
  await pair.close();
  const prints = nets.map(fp);
  const used = nets.map((n) => n.threads);
  const out = {
    threads: used,
    neuronStepsPerSecond: per.map(median),
    speedup: median(ratios),
    ceiling: median(ceilings),
    efficiency: median(ratios.map((x, r) => x / ceilings[r])),
    identical: prints.every((p) => p === prints[0]) && nets.every((n) => n.spikeCount === nets[0].spikeCount),
    spikes: nets[0].spikeCount,
  };
  for (const n of nets) n.dispose();
  console.log(
    `${title}: ${THREADS.map((T, k) => `${T} thread${T > 1 ? 's' : ''} ${(out.neuronStepsPerSecond[k] / 1e6).toFixed(1)} M neuron-steps/s`).join(', ')}; speedup ${out.speedup.toFixed(2)} (median of ${REPS} interleaved pairs, ${ms} ms each); ceiling ${out.ceiling.toFixed(2)} (two independent halves on two workers), efficiency ${out.efficiency.toFixed(2)}; identical ${out.identical}`,
  );
  return out;
}

const load0 = loadavg()[0];
const cores = await cpuProbe();
console.log(`load average (1 min) ${load0.toFixed(2)}; CPU probe: this process gets ${cores.toFixed(2)} cores of 2`);

const noisy = await measure('noisy LIF, 10^5 neurons', 'noisy', 100_000, 100);
const cuba = await measure('CUBA, 40 000 neurons (p = 80/N)', 'cuba', 40_000, 200);
const delayed = await measure('noisy coupled, 40 000 neurons, delay 1.5 ms (an exchange per 14 steps)', 'delayed', 40_000, 100);
const delay0 = await measure('noisy coupled, 40 000 neurons, delay 0 (an exchange per step)', 'delay0', 40_000, 100);

// Brian2 C++ standalone, 1 and 2 OpenMP threads, same models.
let brian2 = null;
if (existsSync('/usr/bin/python3')) {
  const r = spawnSync('/usr/bin/python3', ['bench/peers/brian2_threads.py', '--threads', THREADS.join(',')], { encoding: 'utf8' });
  const rows = (r.stdout ?? '')
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l));
  if (rows.length === 4) {
    const pick = (model) => THREADS.map((T) => rows.find((x) => x.model === model && x.threads === T).neuronStepsPerSecond);
    brian2 = { noisy: pick('noisy'), cuba: pick('cuba') };
    for (const [name, ours] of [
      ['noisy', noisy],
      ['cuba', cuba],
    ]) {
      const b = brian2[name];
      console.log(
        `Brian2 C++ standalone ${name}: ${THREADS.map((T, k) => `${T} OpenMP thread${T > 1 ? 's' : ''} ${(b[k] / 1e6).toFixed(1)} M neuron-steps/s (ours / Brian2 ×${(ours.neuronStepsPerSecond[k] / b[k]).toFixed(2)})`).join(', ')}; Brian2 speedup ${(b[1] / b[0]).toFixed(2)}`,
      );
    }
  } else
    console.log(
      `Brian2 peer skipped (${(r.stderr ?? '').trim().split('\n').at(-1) || 'no output'}); install: apt-get install -y python3-brian cython3`,
    );
}
const load1 = loadavg()[0];
console.log(
  JSON.stringify({
    ...noisy,
    cuba,
    delayed,
    delay0,
    brian2,
    ratioToBrian2: brian2
      ? {
          noisy: noisy.neuronStepsPerSecond.map((x, k) => x / brian2.noisy[k]),
          cuba: cuba.neuronStepsPerSecond.map((x, k) => x / brian2.cuba[k]),
        }
      : null,
    loadAverage: [load0, load1],
    coresAvailable: cores,
  }),
);
