// The threaded networks of the Chromium and Deno tests (test/lif/threads-chromium.test.ts,
// test/deno/threads.test.ts), run by Node, the cross-origin-isolated page (served as
// /threads-page.js) and Deno alike: a run of 60 ms on `threads` threads and its bits.
// 'mixed': zero-delay and delayed coupling, shared noise (an exchange every step); 'delayed':
// delays of 3 steps and more, no shared noise (an exchange per window of 2 steps); 'uncoupled':
// nothing exchanged (windows of many steps).
export async function runThreaded(nd, threads, kind = 'mixed', integrator = 'exact') {
  const net = new nd.LifNetwork({ dt: 0.1, seed: 11, integrator, threads });
  if (kind === 'uncoupled') {
    net.addPopulation('a', 1001, { mu: 0.055, sigma: 0.03, tRef: 1.05, poisson: { rate: 500, weight: 0.004 }, v0: { uniform: [0, 1] } });
    return finish(nd, net);
  }
  if (kind === 'delayed') {
    net.addPopulation('a', 400, { tauMem: 20, mu: 0.052, sigma: 0.03, v0: { uniform: [0, 1] }, tRef: 2 });
    net.addPopulation('b', 101, { tauMem: 15, mu: 0.02, sigma: 0.01, poisson: { rate: 800, weight: 0.004 }, v0: { uniform: [0, 1] } });
    net.connect('a', 'b', { connector: { type: 'fixedInDegree', k: 20 }, weight: 0.002, delay: 0.3 });
    net.connect('b', 'a', { connector: { type: 'fixedProbability', p: 0.05 }, weight: 0.003, delay: 0.75 });
    net.connect('a', 'a', { connector: { type: 'fixedProbability', p: 0.05 }, weight: 0.002, delay: 1 });
    return finish(nd, net);
  }
  const tau = Float64Array.from({ length: 37 }, (_, k) => 12 + (k % 9));
  net.addPopulation('odd', 37, { tauMem: tau, mu: 0.06, sigma: 0.02, v0: { uniform: [0, 1] }, tRef: 1.25 });
  net.addPopulation('big', 403, { tauMem: 20, mu: 0.052, sigma: 0.03, sharedNoise: 0.2, v0: { uniform: [0, 1] }, tRef: 2 });
  net.addPopulation('driven', 101, { tauMem: 15, mu: 0.02, sigma: 0.01, poisson: { rate: 800, weight: 0.004 }, v0: { uniform: [0, 1] } });
  net.connect('big', 'odd', { connector: { type: 'fixedProbability', p: 0.2 }, weight: 0.004 });
  net.connect('odd', 'big', { connector: { type: 'fixedProbability', p: 0.3 }, weight: -0.003, delay: 0.75 });
  net.connect('driven', 'big', { connector: { type: 'fixedProbability', p: 0.05 }, weight: 0.003 });
  return finish(nd, net);
}

async function finish(nd, net) {
  const sm = net.addSpikeMonitor();
  await net.runAsync(60);
  const s = net.state();
  const sp = sm.spikes();
  const fp = nd.fingerprint(
    s.column('v').data,
    s.column('i').data,
    s.column('refUntil').data,
    sp.column('neuron').data,
    sp.column('time').data,
  );
  const out = { fp, used: net.threads, note: net.threadsNote, spikes: net.spikeCount };
  net.dispose();
  return out;
}
