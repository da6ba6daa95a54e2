// Seed 000, the analysis: strong and weak orders of the spike-time rules under Euler–Maruyama on a
// 3-layer feedforward network (coupled Brownian paths across step sizes), and the Lyapunov
// exponent from the tangent dynamics with reset saltation next to the flux formula.
// Full mode: the numbers are the output of `node examples/node/convergence.mjs --quick`.
// Quick mode: the same library calls (feedforwardLabNetwork, convergenceStudy,
// 'numerics.lyapunovTrial') on a smaller study, labelled as such in the report.
import { kvRows } from './_framework.mjs';

const RULES = ['grid', 'linear', 'hermite'];

/** The reduced study of quick mode: same network and seeds as the example, fewer trials and steps. */
async function reducedStudy(nd, progress) {
  const network = nd.feedforwardLabNetwork({ sizes: [20, 20, 20] });
  const hs = [0.4, 0.2, 0.1];
  const params = { T: 100, hs, trials: 12, seed: 'convergence-example' };
  const pool = await nd.WorkerPool.create({ workers: 2 });
  try {
    const study = await nd.convergenceStudy({
      network,
      ...params,
      schemes: RULES.map((rule) => ({ integrator: 'euler-maruyama', rule })),
      pool,
      onProgress: (d, t) => progress(0.5 * (d / t), `convergence trials ${d}/${t}`),
    });
    progress(0.5, 'Lyapunov exponent');
    const ly = await nd.runTrials('numerics.lyapunovTrial', {
      seed: 'lyapunov-example',
      range: [0, 2],
      params: { network, h: 0.05, T: 400, burnIn: 100, rule: 'linear' },
      pool,
      onProgress: (p) => progress(0.5 + 0.5 * p.fraction, `Lyapunov trials ${p.done}/${p.total}`),
    });
    const rows = ly.rows.filter((r) => r.ok).map((r) => r.value);
    const mean = (v) => v.reduce((a, b) => a + b, 0) / v.length;
    const summary = {
      scheme: Object.fromEntries(
        RULES.map((rule) => {
          const s = study.schemes[`euler-maruyama/${rule}`];
          return [rule, { strongOrder: s.orders.strong.value, weakOrder: s.orders.weakCount.value, medianErr: s.levels[0].medianErr }];
        }),
      ),
      lyapunov: {
        tangent: nd.meanConfidence(rows.map((r) => mean(r.spectrum))).value,
        formula: nd.meanConfidence(rows.map((r) => mean(r.fluxFormula))).value,
      },
    };
    const series = RULES.map((rule) => {
      const s = study.schemes[`euler-maruyama/${rule}`];
      return { x: hs, y: s.levels.map((l) => l.rmsErr), mode: 'both', label: `${rule} (slope ${s.orders.strong.value.toFixed(2)})` };
    });
    const svg = nd.plot.lineChart(series, {
      logx: true,
      logy: true,
      xlabel: 'h (ms)',
      ylabel: 'RMS spike-time error (ms)',
      title: 'Strong error vs step (reduced study)',
    });
    return {
      summary,
      figures: [{ name: 'convergence-error', svg }],
      params: { network: '3 × 20 feedforward (feedforwardLabNetwork)', ...params, lyapunov: { trials: 2, T: 400, h: 0.05 } },
    };
  } finally {
    pool.close();
  }
}

export const section = {
  id: 'numerics',
  order: 20,
  title: 'Numerical analysis of LIF networks: convergence orders and Lyapunov exponent (seed 000)',
  description:
    'Strong (matched spike times) and weak (spike counts) errors of the grid, linear and hermite rules under Euler–Maruyama on coupled paths, fitted orders, the median error at the coarsest step, and the Lyapunov exponent from the tangent dynamics with the reset saltation factor next to λ = −g_L + ν E_Palm[ln s(A)].',
  requires: ['convergenceStudy', 'feedforwardLabNetwork', 'WorkerPool'],
  examples: ['examples/node/convergence.mjs'],
  async run({ quick, progress, runExample, nd }) {
    let r;
    const notes = [];
    if (quick) {
      r = await reducedStudy(nd, progress);
      notes.push(
        'Quick mode: a reduced study (12 trials, T = 100 ms, 3 step sizes, 2 short Lyapunov trials) with the same library calls; run `npm start` for the numbers of examples/node/convergence.mjs --quick.',
      );
    } else {
      const ex = await runExample('examples/node/convergence.mjs', ['--quick'], { expectSeconds: 45, svgDir: 'out/numerics', progress });
      r = { summary: ex.json, figures: ex.svgs, params: { command: ex.command }, command: ex.command };
      notes.push(
        'The full showcase runs the example in its --quick configuration (40 trials, 4 step sizes); the example without --quick is the full study.',
      );
    }
    const s = r.summary.scheme ?? {};
    return {
      summary: r.summary,
      headline: {
        ...Object.fromEntries(
          Object.entries(s).map(([k, v]) => [
            `${k} strong/weak order`,
            `${Number(v.strongOrder).toFixed(2)} / ${Number(v.weakOrder).toFixed(2)}`,
          ]),
        ),
        lyapunov: r.summary.lyapunov,
      },
      tables: [
        {
          title: 'Fitted orders per spike-time rule (Euler–Maruyama integrator)',
          columns: ['rule', 'strong order', 'weak order', 'median error at coarsest h (ms)'],
          rows: Object.entries(s).map(([k, v]) => [k, v.strongOrder, v.weakOrder, v.medianErr]),
        },
        { title: 'Lyapunov exponent (1/ms)', columns: ['estimate', 'value'], rows: kvRows(r.summary.lyapunov ?? {}) },
      ],
      figures: r.figures,
      params: r.params,
      commands: r.command ? [r.command] : [],
      notes,
    };
  },
};
