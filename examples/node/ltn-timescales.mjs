// Timescale limits of a linear-threshold network (seed 004; docs/ltn.md).
// A 2-unit LTN with heterogeneous dissipation D = diag(1, 3) and asymmetric W: its equilibrium
// (LCP), its LDS margin and certificate, the PDS rate bound κ against the measured rate, and the
// gap between LTN_γ and the fast-limit PDS for γ = 1, 10, 100, 1000 (computed on the worker
// pool, one γ per trial). Writes a phase portrait with LTN_γ trajectories for several γ, the PDS
// and the slow-limit complementarity system to out/ltn/ltn-timescales.svg.
// LTN_γ, the PDS and the slow limit are our reconstruction (lif-ltn.md §2.3), not the paper's text.
// The model is dimensionless: durations and sample intervals are in units of 1/d, not ms.
//   node examples/node/ltn-timescales.mjs [--quick]
import { mkdirSync, writeFileSync } from 'node:fs';
import * as nd from 'neurodyn';

await nd.init();
const quick = process.argv.includes('--quick');
const net = {
  d: [1, 3],
  W: [
    [0.2, -1.5],
    [1, 0.5],
  ],
  u: [1, -2],
};
const x0 = [0.2, 1.5];

const equilibrium = Array.from(nd.ltnEquilibria(net).equilibria[0]);
const report = nd.ltnStabilityReport(net, { trials: quick ? 4 : 16, seed: 'ltn-timescales' });

// γ sweep on the worker pool: trial k ↦ γ = gammas[k]; rows are identical for any worker count
const gammas = [1, 10, 100, 1000];
const duration = quick ? 4 : 10;
const sweep = await nd.runTrials('ltn.gammaSweep', {
  seed: 0,
  range: [0, gammas.length],
  params: { net, x0, gammas, duration },
  workers: quick ? 0 : 2,
});
const gammaGap = {};
for (const row of sweep.rows) {
  if (!row.ok) throw new Error(row.error.message);
  gammaGap[String(row.value.gamma)] = row.value.gap;
}
const slope = nd.ltnGammaGap(net, x0, [10, 100, 1000], { duration }).slope;

// phase portrait (time-free): LTN_γ for several γ, PDS (γ → ∞), LCS (γ → 0, slow time)
const series = [];
const eqSeries = { x: [], y: [], mode: 'markers', label: 'x* (LCP)', color: '#D55E00' };
series.push(eqSeries);
const starts = [x0, [2.4, 2.2], [0, 2.6]];
const portrait = [0.1, 1, 10, 100];
for (const [si, s] of starts.entries()) {
  for (const [gi, g] of portrait.entries()) {
    const tr = nd.ltnSimulate(net, s, {
      gamma: g,
      method: 'event-driven',
      duration: 12 / Math.min(g, 1),
      sampleInterval: 0.01 / Math.min(g, 1),
    });
    series.push({
      x: tr.x.filter((_, k) => k % 2 === 0),
      y: tr.x.filter((_, k) => k % 2 === 1),
      label: si === 0 ? `LTN γ=${g}` : undefined,
      color: nd.plot.PALETTE[gi],
    });
  }
  const pds = nd.pdsSimulate(net, s, { method: 'event-driven', duration: 12, sampleInterval: 0.01 });
  series.push({
    x: pds.x.filter((_, k) => k % 2 === 0),
    y: pds.x.filter((_, k) => k % 2 === 1),
    label: si === 0 ? 'PDS (γ→∞)' : undefined,
    color: '#000000',
    dash: '5 3',
  });
  const lcs = nd.lcsSimulate(net, s, { duration: 12, dt: 2e-3, sampleInterval: 0.01 });
  series.push({
    x: lcs.x.filter((_, k) => k % 2 === 0),
    y: lcs.x.filter((_, k) => k % 2 === 1),
    label: si === 0 ? 'slow limit (LCS)' : undefined,
    color: '#E69F00',
    dash: '2 2',
  });
}
eqSeries.x = [equilibrium[0]];
eqSeries.y = [equilibrium[1]];
mkdirSync('out/ltn', { recursive: true });
writeFileSync(
  'out/ltn/ltn-timescales.svg',
  nd.plot.lineChart(series, {
    title: 'LTN_γ phase portrait: d = (1, 3), x* = (1.25, 0)',
    xlabel: 'x₁ (activity of unit 1, dimensionless)',
    ylabel: 'x₂ (activity of unit 2, dimensionless)',
    width: 720,
    height: 520,
  }),
);

console.log(`LDS verdict ${report.lds.verdict}, certificate p = [${Array.from(report.lds.certificate?.p ?? []).map((v) => v.toFixed(4))}]`);
console.log(`gap slope (log gap vs log γ, γ = 10..1000): ${slope.toFixed(3)}; LTN asymptotic rate ${report.ltnObservedRate?.toFixed(4)}`);
console.log('wrote out/ltn/ltn-timescales.svg');
console.log(
  JSON.stringify({ equilibrium, ldsMargin: report.lds.margin, gammaGap, kappa: report.kappa, observedRate: report.observedRate }),
);
