// Spike-time accuracy of every integrator × spike-rule combination on the deterministic test
// (σ = 0): one neuron with I(0) ≠ μ (I decays towards μ), whose spike times follow from the
// closed form V(t) = V∞ + K e^{−t/τ_s} + (V0 − V∞ − K) e^{−g_L t} by root finding. Prints, for
// each h, the maximum error over the first 5 spikes; writes out/lif/period-error.svg.
// Last line: {"h":[...],"err":{"euler-maruyama/grid":[...],...}}. `--quick`: fewer step sizes.
import { mkdirSync, writeFileSync } from 'node:fs';
import * as nd from 'neurodyn';

const quick = process.argv.includes('--quick');
await nd.init();
const gL = 0.05;
const tauSyn = 5;
const mu = 0.06;
const i0 = 0.09;
const K = 5;

function reference() {
  const out = [];
  let t0 = 0;
  let v = 0;
  let c = i0;
  while (out.length < K) {
    const f = (s) => nd.lifVoltageAt(s, { tauMem: 1 / gL, tauSyn, mu, v0: v, i0: c }) - 1;
    let s = 0;
    while (f(s + 0.01) < 0) s += 0.01;
    let lo = s;
    let hi = s + 0.01;
    for (let k = 0; k < 200 && hi - lo > 1e-15; k++) {
      const m = 0.5 * (lo + hi);
      if (f(m) >= 0) hi = m;
      else lo = m;
    }
    t0 += hi;
    out.push(t0);
    c = mu + (c - mu) * Math.exp(-hi / tauSyn);
    v = 0;
  }
  return out;
}
const ref = reference();
const hs = quick ? [0.4, 0.2, 0.1] : [0.8, 0.4, 0.2, 0.1, 0.05, 0.025];
const combos = ['euler-maruyama/grid', 'euler-maruyama/linear', 'exact/grid', 'exact/linear', 'exact/hermite'];
const err = {};
for (const combo of combos) {
  const [integrator, spikeRule] = combo.split('/');
  err[combo] = hs.map((h) => {
    const net = new nd.LifNetwork({ dt: h, integrator, spikeRule });
    net.addPopulation('p', 1, { tauMem: 1 / gL, tauSyn, mu, i0, sigma: 0 });
    const m = net.addSpikeMonitor();
    net.run(ref[K - 1] + 10);
    const t = m.timesOf(0);
    net.dispose();
    let e = 0;
    for (let k = 0; k < K; k++) e = Math.max(e, Math.abs((t[k] ?? Number.POSITIVE_INFINITY) - ref[k]));
    return e;
  });
  const slope = Math.log(err[combo][0] / err[combo][hs.length - 1]) / Math.log(hs[0] / hs[hs.length - 1]);
  console.log(`${combo.padEnd(22)} ${err[combo].map((e) => e.toExponential(2)).join('  ')}   (slope ${slope.toFixed(2)})`);
}
mkdirSync('out/lif', { recursive: true });
writeFileSync(
  'out/lif/period-error.svg',
  nd.plot.lineChart(
    combos.map((c) => ({ x: hs, y: err[c].map((e) => Math.max(e, 1e-16)), label: c, mode: 'both' })),
    { title: 'max spike-time error, first 5 spikes (σ = 0)', xlabel: 'h (ms)', ylabel: 'error (ms)', logx: true, logy: true },
  ),
);
console.log(JSON.stringify({ h: hs, err }));
