// Deno: a LifNetwork stepped by 2 and 3 Web Workers on a shared WebAssembly memory gives the bits
// of the single-threaded engine (threads: 1, the kernel the cross suite checks against Node).
import * as nd from '../../dist/index.js';
import { runThreaded } from '../lif/threads-page.js';

type Kind = 'coupled' | 'uncoupled';

function build(threads: number, integrator: 'euler-maruyama' | 'exact', kind: Kind): nd.LifNetwork {
  const net = new nd.LifNetwork({ dt: 0.1, seed: 11, integrator, threads });
  if (kind === 'uncoupled') {
    // No exchange between threads: windows of several steps per barrier.
    net.addPopulation('a', 1001, { mu: 0.055, sigma: 0.03, tRef: 1.05, poisson: { rate: 500, weight: 0.004 }, v0: { uniform: [0, 1] } });
    return net;
  }
  const tau = Float64Array.from({ length: 37 }, (_, k) => 12 + (k % 9));
  net.addPopulation('odd', 37, { tauMem: tau, mu: 0.06, sigma: 0.02, v0: { uniform: [0, 1] }, tRef: 1.25 });
  net.addPopulation('big', 403, { tauMem: 20, mu: 0.052, sigma: 0.03, sharedNoise: 0.2, v0: { uniform: [0, 1] }, tRef: 2 });
  net.addPopulation('driven', 101, { tauMem: 15, mu: 0.02, sigma: 0.01, poisson: { rate: 800, weight: 0.004 }, v0: { uniform: [0, 1] } });
  net.connect('big', 'odd', { connector: { type: 'fixedProbability', p: 0.2 }, weight: 0.004 });
  net.connect('odd', 'big', { connector: { type: 'fixedProbability', p: 0.3 }, weight: -0.003, delay: 0.75 });
  net.connect('driven', 'big', { connector: { type: 'fixedProbability', p: 0.05 }, weight: 0.003 });
  return net;
}

async function run(
  threads: number,
  integrator: 'euler-maruyama' | 'exact',
  kind: Kind,
): Promise<{ fp: string; used: number; spikes: number }> {
  const net = build(threads, integrator, kind);
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
  const out = { fp, used: net.threads, spikes: net.spikeCount };
  net.dispose();
  return out;
}

for (const [integrator, kind] of [
  ['euler-maruyama', 'coupled'],
  ['exact', 'coupled'],
  ['euler-maruyama', 'uncoupled'],
] as const)
  Deno.test(`deno: LifNetwork ${integrator}${kind === 'coupled' ? '' : `, ${kind}`} on 1, 2 and 3 threads (Web Workers) gives the same bits`, async () => {
    const ref = await run(1, integrator, kind);
    if (ref.spikes < 100) throw new Error(`too few spikes (${ref.spikes}) for a meaningful comparison`);
    for (const T of [2, 3]) {
      const r = await run(T, integrator, kind);
      if (r.used !== T) throw new Error(`asked for ${T} threads, ran on ${r.used}`);
      if (r.fp !== ref.fp || r.spikes !== ref.spikes)
        throw new Error(`${T} threads: ${r.fp} (${r.spikes} spikes) != 1 thread ${ref.fp} (${ref.spikes})`);
    }
  });

// Delays of 3 steps and more, no shared noise: one exchange per window of 2 steps (the network of
// the Chromium page, test/lif/threads-page.js).
Deno.test('deno: LifNetwork exact, min-delay windows, on 1, 2 and 3 threads (Web Workers) gives the same bits', async () => {
  const ref = await runThreaded(nd, 1, 'delayed');
  if (ref.spikes < 100) throw new Error(`too few spikes (${ref.spikes}) for a meaningful comparison`);
  for (const T of [2, 3]) {
    const r = await runThreaded(nd, T, 'delayed');
    if (r.used !== T) throw new Error(`asked for ${T} threads, ran on ${r.used}`);
    if (r.fp !== ref.fp || r.spikes !== ref.spikes)
      throw new Error(`${T} threads: ${r.fp} (${r.spikes} spikes) != 1 thread ${ref.fp} (${ref.spikes})`);
  }
});
