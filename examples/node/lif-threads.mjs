// One network on every core: 20 000 noisy LIF neurons (80 % excitatory, 20 % inhibitory, in-degree
// 100) coupled with 1.5 ms delays, run with `threads: 1` and with `threads: 'auto'` (the logical
// cores). The two runs give the same spikes bit for bit; with delays of 1.5 ms the threads exchange
// spikes once per window of 14 steps instead of every step. Threads run under `runAsync`.
// `--quick`: 100 ms instead of 500 ms. Last line:
// {"neurons","threads","identical","spikes","rateHz","wallSeconds"} (threads and wallSeconds: [1 thread, auto]).
import * as nd from 'neurodyn';

const quick = process.argv.includes('--quick');
const duration = quick ? 100 : 500;
await nd.init();

function build(threads) {
  const net = new nd.LifNetwork({ dt: 0.1, seed: 7, threads });
  const common = { tauMem: 20, tauSyn: 5, tRef: 2, sigma: 0.02, v0: { uniform: [0, 1] } };
  net.addPopulation('E', 16_000, { ...common, mu: 0.05 });
  net.addPopulation('I', 4_000, { ...common, mu: 0.045 });
  const k = { type: 'fixedInDegree', k: 80 };
  const ki = { type: 'fixedInDegree', k: 20 };
  for (const to of ['E', 'I']) {
    net.connect('E', to, { connector: k, weight: 0.002, delay: 1.5 });
    net.connect('I', to, { connector: ki, weight: -0.006, delay: 1.5 });
  }
  return net;
}

const out = [];
for (const threads of [1, 'auto']) {
  const net = build(threads);
  const spikes = net.addSpikeMonitor();
  await net.runAsync(1); // builds the network and starts the workers
  const t0 = performance.now();
  await net.runAsync(duration - 1);
  const wallSeconds = (performance.now() - t0) / 1000;
  const s = spikes.spikes();
  out.push({
    threads: net.threads,
    note: net.threadsNote,
    fingerprint: nd.fingerprint(s.column('neuron').data, s.column('time').data, net.state().column('v').data),
    spikes: net.spikeCount,
    wallSeconds,
  });
  net.dispose();
}
for (const r of out)
  console.log(`${r.threads} thread(s): ${r.spikes} spikes in ${r.wallSeconds.toFixed(2)} s${r.note ? ` (${r.note})` : ''}`);
console.log(
  JSON.stringify({
    neurons: 20_000,
    threads: out.map((r) => r.threads),
    identical: out[0].fingerprint === out[1].fingerprint,
    spikes: out[0].spikes,
    rateHz: out[0].spikes / 20_000 / (duration / 1000),
    wallSeconds: out.map((r) => r.wallSeconds),
  }),
);
