// Ratios against Brian2 (Debian /usr/bin/python3, brian2 2.5.1): runs the peers in
// bench/peers/ (numpy, cython, cpp_standalone; simulation loop only) and the same two models
// here, back to back, and prints neurodyn / Brian2 ratios. `npm run bench -- lif-peers`.
// Options: --quick (fewer steps), --modes=numpy,cython,cpp_standalone. Slow (compilation of the
// Brian2 peers). Times are process CPU time on both sides (the machine is shared and
// oversubscribed; Brian2's cpp_standalone timer is std::clock() CPU time); our wall time is
// reported too. Numbers are noisy. Last line: JSON.
import { spawnSync } from 'node:child_process';
import * as nd from '../dist/index.js';

const quick = process.argv.includes('--quick');
const modes = (process.argv.find((a) => a.startsWith('--modes=')) ?? '--modes=numpy,cython,cpp_standalone').slice(8);
const N = 10_000;
const ms = quick ? 200 : 1000;
const steps = ms / 0.1;

function peer(script, args) {
  const r = spawnSync('/usr/bin/python3', [`bench/peers/${script}`, ...args], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`${script} failed: ${r.stderr.slice(-2000)}`);
  return r.stdout
    .trim()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l));
}

function ours(integrator, spikeRule) {
  const net = new nd.LifNetwork({ dt: 0.1, integrator, spikeRule, seed: 1 });
  net.addPopulation('p', N, { mu: 0.055, sigma: 0.02, i0: 0.055, v0: { uniform: [0, 1] } });
  net.run(10); // warm-up
  const mon = net.addSpikeMonitor();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  net.run(ms);
  const wall = (performance.now() - t0) / 1000;
  const cu = process.cpuUsage(c0);
  const secs = (cu.user + cu.system) / 1e6;
  const rate = mon.count / N / (ms / 1000);
  net.dispose();
  return { integrator, spikeRule, seconds: secs, wallSeconds: wall, neuronStepsPerSecond: (N * steps) / secs, rateHz: rate };
}

const noisyPeers = peer('lif_brian2_noisy.py', ['--n', String(N), '--ms', String(ms), '--modes', modes, '--record']);
const noisyOurs = [ours('euler-maruyama', 'grid'), ours('euler-maruyama', 'linear'), ours('exact', 'linear')];
const cubaPeers = peer('lif_brian2_cuba.py', ['--modes', modes, '--seeds', '1']);
const cubaOurs = [];
for (let s = 1; s <= 3; s++) {
  const net = nd.createLifCuba({ seed: s });
  if (s === 1) {
    const w = nd.createLifCuba({ seed: 99 });
    w.run(100);
    w.dispose();
  }
  net.build();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  net.run(1000);
  const cu = process.cpuUsage(c0);
  cubaOurs.push({ seconds: (cu.user + cu.system) / 1e6, wallSeconds: (performance.now() - t0) / 1000, rateHz: net.spikeCount / 4000 });
  net.dispose();
}
const cubaMedian = cubaOurs.map((r) => r.seconds).sort((a, b) => a - b)[1];

console.log(`\nnoisy LIF, ${N} neurons, ${steps} steps of 0.1 ms (neuron-steps per CPU second):`);
for (const p of noisyPeers)
  console.log(
    `  brian2 ${p.mode.padEnd(15)} ${(p.neuronStepsPerSecond / 1e6).toFixed(1).padStart(7)} M/s  rate ${p.rateHz?.toFixed(2)} Hz  CV ${p.cv?.toFixed(3)}`,
  );
for (const o of noisyOurs)
  console.log(
    `  neurodyn ${`${o.integrator}/${o.spikeRule}`.padEnd(24)} ${(o.neuronStepsPerSecond / 1e6).toFixed(1).padStart(7)} M/s  rate ${o.rateHz.toFixed(2)} Hz`,
  );
const fastest = Math.max(...noisyPeers.map((p) => p.neuronStepsPerSecond));
const em = noisyOurs.find((o) => o.spikeRule === 'linear' && o.integrator === 'euler-maruyama');
console.log(`  ratio neurodyn EM+linear / fastest Brian2 mode: ${(em.neuronStepsPerSecond / fastest).toFixed(2)}x (target >= 4)`);
console.log('\nCUBA, 1 s at dt 0.1 ms (CPU s, simulation loop only):');
for (const p of cubaPeers) console.log(`  brian2 ${p.mode.padEnd(15)} ${p.seconds.toFixed(3)} s  rate ${p.rateHz.toFixed(2)} Hz`);
console.log(`  neurodyn (median of 3)  ${cubaMedian.toFixed(3)} s  rates ${cubaOurs.map((r) => r.rateHz.toFixed(2)).join(' ')} Hz`);
const standalone = cubaPeers.find((p) => p.mode === 'cpp_standalone');
if (standalone) console.log(`  ratio Brian2 cpp_standalone / neurodyn: ${(standalone.seconds / cubaMedian).toFixed(2)}x (target >= 1)`);
console.log(
  JSON.stringify({ noisy: { peers: noisyPeers, ours: noisyOurs }, cuba: { peers: cubaPeers, ours: cubaOurs, medianSeconds: cubaMedian } }),
);
