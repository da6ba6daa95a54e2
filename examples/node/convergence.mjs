// Numerical-analysis lab on a 3-layer feedforward LIF network (seed 000_a5327dcba9ecafc1):
// strong and weak convergence of Euler–Maruyama with the grid / linear / hermite spike-time rules
// on coupled Brownian paths, and the Lyapunov exponent by tangent dynamics with reset saltation
// next to the "threshold flux × log saltation" formula.
//   node examples/node/convergence.mjs [--quick] [--workers=N]
// Writes out/numerics/convergence-error.svg, out/numerics/palm-density.svg and
// out/numerics/convergence.json; prints the summary JSON as the last line.
import { mkdirSync, writeFileSync } from 'node:fs';
import * as nd from 'neurodyn';

const quick = process.argv.includes('--quick');
const workersArg = process.argv.find((a) => a.startsWith('--workers='));
const workers = workersArg ? Number(workersArg.slice(10)) : 2;
await nd.init();
const t0 = performance.now();

// 3 layers × 20 neurons, all-to-all between consecutive layers, noise in every layer (S1, ≈ 20 Hz).
const network = nd.feedforwardLabNetwork({ sizes: [20, 20, 20] });
const rules = ['grid', 'linear', 'hermite'];
const schemes = rules.map((rule) => ({ integrator: 'euler-maruyama', rule }));
if (!quick) schemes.push(...rules.map((rule) => ({ integrator: 'exact', rule })));
const hs = [0.4, 0.2, 0.1, 0.05];
const trials = quick ? 32 : 200;
const pool = await nd.WorkerPool.create({ workers });
try {
  let last = 0;
  const study = await nd.convergenceStudy({
    network,
    T: 200,
    hs,
    trials,
    seed: 'convergence-example',
    schemes,
    pool,
    onProgress: (done, total) => {
      if (done - last >= total / 4 || done === total) {
        last = done;
        console.log(`convergence trials ${done}/${total}`);
      }
    },
  });

  // Lyapunov exponents: tangent (QR on the top-n vectors = the V directions of a feedforward net),
  // finite differences of the linear rule, and the flux formula from state samples.
  const tStudy = (performance.now() - t0) / 1000;
  console.log(`convergence study: ${study.trials} trials in ${tStudy.toFixed(1)} s`);
  mkdirSync('out/numerics', { recursive: true });
  writeFileSync(
    'out/numerics/convergence-study.json',
    JSON.stringify({
      hs,
      trials: study.trials,
      schemes: Object.fromEntries(Object.entries(study.schemes).map(([k, s]) => [k, { orders: s.orders, levels: s.levels }])),
    }),
  );
  const lyTrials = quick ? 4 : 8;
  const ly = await nd.runTrials('numerics.lyapunovTrial', {
    seed: 'lyapunov-example',
    range: [0, lyTrials],
    params: { network, h: 0.05, T: quick ? 2000 : 5000, burnIn: 200, rule: 'linear' },
    pool,
  });
  const lyRows = ly.rows.filter((r) => r.ok).map((r) => r.value);
  const mean = (v) => v.reduce((a, b) => a + b, 0) / v.length;
  console.log(`lyapunov: ${lyRows.length} trials in ${((performance.now() - t0) / 1000 - tStudy).toFixed(1)} s`);
  const tangentPerTrial = lyRows.map((r) => mean(r.spectrum));
  const formulaPerTrial = lyRows.map((r) => mean(r.fluxFormula));
  const identityPerTrial = lyRows.map((r) => mean(r.vExponent));
  const fdTopPerTrial = lyRows.map((r) => r.fdTop);
  const topPerTrial = lyRows.map((r) => r.spectrum[0]);
  const tangent = nd.meanConfidence(tangentPerTrial);
  const formula = nd.meanConfidence(formulaPerTrial);

  // Plots: error vs h with fitted slopes; Palm density of A (reference spikes, EM/linear).
  mkdirSync('out/numerics', { recursive: true });
  const series = [];
  Object.entries(study.schemes).forEach(([name, s], k) => {
    const color = nd.plot.PALETTE[k % nd.plot.PALETTE.length];
    const p = s.orders.strong.value;
    const c = Math.exp(
      nd.linearFit(
        hs.map(Math.log),
        s.levels.map((l) => Math.log(l.rmsErr)),
      ).intercept.value,
    );
    series.push({ x: hs, y: s.levels.map((l) => l.rmsErr), mode: 'markers', color, label: `${name} RMS (slope ${p.toFixed(2)})` });
    series.push({ x: hs, y: hs.map((h) => c * h ** p), color, dash: '4 3' });
    series.push({ x: hs, y: s.levels.map((l) => l.medianErr), mode: 'both', color, dash: '1 2' });
  });
  writeFileSync(
    'out/numerics/convergence-error.svg',
    nd.plot.lineChart(series, {
      logx: true,
      logy: true,
      xlabel: 'h (ms)',
      ylabel: 'spike-time error (ms): RMS (dots, fitted slope dashed), median (dotted)',
      title: 'Strong error vs step size, 3-layer feedforward LIF',
      height: 480,
    }),
  );
  const A = study.schemes['euler-maruyama/linear'].referenceA;
  const pd = nd.palmDensity(A, { bins: 50 });
  writeFileSync(
    'out/numerics/palm-density.svg',
    nd.plot.lineChart([{ x: pd.centre, y: pd.density, mode: 'both', label: `Palm density of A (${A.length} spikes)` }], {
      xlabel: 'crossing speed A = I − I_th (1/ms)',
      ylabel: 'density',
      title: 'Crossing speeds at threshold (reference, EM/linear)',
    }),
  );

  const palm = nd.crossingSpeedStatistics(A, { alphas: [0.016, 0.008, 0.004, 0.002], duration: network.n * 200 * study.trials });
  const summary = {
    scheme: Object.fromEntries(
      rules.map((rule) => {
        const s = study.schemes[`euler-maruyama/${rule}`];
        return [rule, { strongOrder: s.orders.strong.value, weakOrder: s.orders.weakCount.value, medianErr: s.levels[0].medianErr }];
      }),
    ),
    lyapunov: { tangent: tangent.value, formula: formula.value },
  };
  const details = {
    hs,
    trials: study.trials,
    schemes: Object.fromEntries(
      Object.entries(study.schemes).map(([name, s]) => [
        name,
        {
          orders: s.orders,
          rmsErr: s.levels.map((l) => l.rmsErr),
          medianErr: s.levels.map((l) => l.medianErr),
          unmatched: s.levels.map((l) => l.unmatched),
          weakCount: s.levels.map((l) => l.weakCount),
          terminalMse: s.levels.map((l) => l.terminalMse.value),
          layerMedian: s.levels.map((l) => l.layers.map((x) => x.medianErr)),
          goodBad: s.levels.map((l) => l.goodBad),
          referenceRateHz: s.referenceRateHz,
        },
      ]),
    ),
    lyapunov: {
      tangent,
      formula,
      identity: nd.meanConfidence(identityPerTrial),
      finiteDifferenceTop: nd.meanConfidence(fdTopPerTrial),
      tangentTop: nd.meanConfidence(topPerTrial),
      perLayerFormula: lyRows.map((r) => r.fluxFormula),
      perLayerIdentity: lyRows.map((r) => r.vExponentLayer),
      rateHz: lyRows.map((r) => r.rateHz),
    },
    palm,
    wallSeconds: (performance.now() - t0) / 1000,
  };
  writeFileSync('out/numerics/convergence.json', JSON.stringify(details, null, 1));
  for (const [name, s] of Object.entries(study.schemes)) {
    const o = s.orders;
    const f = (e) => `${e.value.toFixed(2)} [${e.ci[0].toFixed(2)}, ${e.ci[1].toFixed(2)}]`;
    console.log(
      `${name.padEnd(24)} strong ${f(o.strong)}  median ${f(o.median)}  weak ${f(o.weakCount)}  by layer ${o.strongByLayer.map((e) => e.value.toFixed(2)).join('/')}`,
    );
  }
  console.log(
    `lyapunov (1/ms): tangent ${tangent.value.toFixed(5)} ± ${tangent.se.toFixed(5)}, formula ${formula.value.toFixed(5)} ± ${formula.se.toFixed(5)}, wall ${details.wallSeconds.toFixed(1)} s`,
  );
  console.log(JSON.stringify(summary));
} finally {
  pool.close();
}
