// Numerical analysis of the LIF engine (LifNetwork) on a 3-layer feedforward network (seed
// 000_a5327dcba9ecafc1): strong and weak convergence of Euler–Maruyama with the grid / linear /
// hermite spike-time rules on coupled Brownian paths, and the Lyapunov exponent by the engine's
// tangent pass with reset saltation next to the "threshold flux × log saltation" formula.
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
const network = nd.feedforwardNetwork({ sizes: [20, 20, 20] });
const rules = ['grid', 'linear', 'hermite'];
const schemes = rules.map((spikeRule) => ({ integrator: 'euler-maruyama', spikeRule }));
if (!quick) schemes.push(...rules.map((spikeRule) => ({ integrator: 'exact', spikeRule })));
const dts = [0.4, 0.2, 0.1, 0.05];
const trials = quick ? 32 : 200;
const pool = await nd.WorkerPool.create({ workers });
try {
  let last = 0;
  const study = await nd.convergenceStudy({
    network,
    duration: 200,
    dts,
    trials,
    seed: 'convergence-example',
    schemes,
    pool,
    onProgress: ({ done, total }) => {
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
      dts,
      trials: study.trials,
      schemes: Object.fromEntries(Object.entries(study.schemes).map(([k, s]) => [k, { orders: s.orders, levels: s.levels }])),
    }),
  );
  const lyTrials = quick ? 4 : 8;
  const ly = await nd.lyapunovStudy({
    network,
    dt: 0.05,
    duration: quick ? 2000 : 5000,
    burnIn: 200,
    spikeRule: 'linear',
    trials: lyTrials,
    seed: 'lyapunov-example',
    pool,
  });
  const lyRows = ly.rows;
  console.log(`lyapunov: ${lyRows.length} trials in ${((performance.now() - t0) / 1000 - tStudy).toFixed(1)} s`);
  const tangent = ly.tangent;
  const formula = ly.fluxFormula;

  // Plots: error vs h with fitted slopes; Palm density of A (reference spikes, EM/linear).
  mkdirSync('out/numerics', { recursive: true });
  const series = [];
  Object.entries(study.schemes).forEach(([name, s], k) => {
    const color = nd.plot.PALETTE[k % nd.plot.PALETTE.length];
    const p = s.orders.strong.value;
    const c = Math.exp(
      nd.linearFit(
        dts.map(Math.log),
        s.levels.map((l) => Math.log(l.rmsError)),
      ).intercept.value,
    );
    series.push({ x: dts, y: s.levels.map((l) => l.rmsError), mode: 'markers', color, label: `${name} RMS (slope ${p.toFixed(2)})` });
    series.push({ x: dts, y: dts.map((h) => c * h ** p), color, dash: '4 3' });
    series.push({ x: dts, y: s.levels.map((l) => l.medianError), mode: 'both', color, dash: '1 2' });
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

  const neurons = network.populations.reduce((a, p) => a + p.size, 0);
  const palm = nd.crossingSpeedStatistics(A, { alphas: [0.016, 0.008, 0.004, 0.002], duration: neurons * 200 * study.trials });
  const summary = {
    scheme: Object.fromEntries(
      rules.map((rule) => {
        const s = study.schemes[`euler-maruyama/${rule}`];
        return [rule, { strongOrder: s.orders.strong.value, weakOrder: s.orders.weakCount.value, medianErr: s.levels[0].medianError }];
      }),
    ),
    lyapunov: { tangent: tangent.value, formula: formula.value },
  };
  const details = {
    dts,
    trials: study.trials,
    schemes: Object.fromEntries(
      Object.entries(study.schemes).map(([name, s]) => [
        name,
        {
          orders: s.orders,
          rmsError: s.levels.map((l) => l.rmsError),
          medianError: s.levels.map((l) => l.medianError),
          unmatched: s.levels.map((l) => l.unmatched),
          weakCount: s.levels.map((l) => l.weakCount),
          terminalMse: s.levels.map((l) => l.terminalMse.value),
          populationMedian: s.levels.map((l) => l.populations.map((x) => x.medianError)),
          goodBad: s.levels.map((l) => l.goodBad),
          referenceRate: s.referenceRate,
        },
      ]),
    ),
    lyapunov: {
      tangent,
      formula,
      identity: ly.identity,
      finiteDifferenceTop: ly.finiteDifferenceTop,
      tangentTop: ly.tangentTop,
      perPopulationFormula: lyRows.map((r) => r.fluxFormula),
      perPopulationIdentity: lyRows.map((r) => r.vExponentPopulation),
      rate: lyRows.map((r) => r.rate),
    },
    palm,
    wallSeconds: (performance.now() - t0) / 1000,
  };
  writeFileSync('out/numerics/convergence.json', JSON.stringify(details, null, 1));
  for (const [name, s] of Object.entries(study.schemes)) {
    const o = s.orders;
    const f = (e) => `${e.value.toFixed(2)} [${e.ci[0].toFixed(2)}, ${e.ci[1].toFixed(2)}]`;
    console.log(
      `${name.padEnd(24)} strong ${f(o.strong)}  median ${f(o.median)}  weak ${f(o.weakCount)}  by layer ${o.strongByPopulation.map((e) => e.value.toFixed(2)).join('/')}`,
    );
  }
  console.log(
    `lyapunov (1/ms): tangent ${tangent.value.toFixed(5)} ± ${tangent.se.toFixed(5)}, formula ${formula.value.toFixed(5)} ± ${formula.se.toFixed(5)}, wall ${details.wallSeconds.toFixed(1)} s`,
  );
  console.log(JSON.stringify(summary));
} finally {
  pool.close();
}
