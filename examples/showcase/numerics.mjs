// Dou, Chen, Lin & Xiao, the analysis of the LIF engine: strong and weak orders of the spike-time rules under
// Euler–Maruyama on a 3-layer feedforward network (LifNetworks on coupled Brownian paths across
// step sizes), and the Lyapunov exponent from the engine's tangent pass with reset saltation next
// to the flux formula. Full mode: the numbers are the output of
// `node examples/node/convergence.mjs --quick` (its summary line and out/numerics/convergence.json). Quick mode: the same library calls
// (feedforwardNetwork, convergenceStudy, lyapunovStudy) on a smaller study, labelled as such.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bound, covers, ROOT } from './_framework.mjs';

const RULES = ['grid', 'linear', 'hermite'];

/** The reduced study of quick mode: same network and seeds as the example, fewer trials and steps. */
async function reducedStudy(nd, progress) {
  const network = nd.feedforwardNetwork({ sizes: [20, 20, 20] });
  const dts = [0.4, 0.2, 0.1];
  const params = { duration: 100, dts, trials: 12, seed: 'convergence-example' };
  const pool = await nd.WorkerPool.create({ workers: 2 });
  try {
    const study = await nd.convergenceStudy({
      network,
      ...params,
      schemes: RULES.map((spikeRule) => ({ integrator: 'euler-maruyama', spikeRule })),
      pool,
      onProgress: ({ done, total }) => progress(0.5 * (done / total), `convergence trials ${done}/${total}`),
    });
    progress(0.5, 'Lyapunov exponent');
    const ly = await nd.lyapunovStudy({
      network,
      dt: 0.05,
      duration: 400,
      burnIn: 100,
      spikeRule: 'linear',
      trials: 4,
      seed: 'lyapunov-example',
      pool,
      onProgress: (p) => progress(0.5 + 0.5 * p.fraction, `Lyapunov trials ${p.done}/${p.total}`),
    });
    const detail = {
      trials: study.trials,
      dts,
      orders: Object.fromEntries(RULES.map((rule) => [rule, study.schemes[`euler-maruyama/${rule}`].orders])),
      lyapunov: { tangent: ly.tangent, formula: ly.fluxFormula, trials: ly.rows.length },
    };
    const summary = {
      scheme: Object.fromEntries(
        RULES.map((rule) => {
          const s = study.schemes[`euler-maruyama/${rule}`];
          return [rule, { strongOrder: s.orders.strong.value, weakOrder: s.orders.weakCount.value, medianErr: s.levels[0].medianError }];
        }),
      ),
      lyapunov: { tangent: ly.tangent.value, formula: ly.fluxFormula.value },
    };
    const series = RULES.map((rule) => {
      const s = study.schemes[`euler-maruyama/${rule}`];
      return { x: dts, y: s.levels.map((l) => l.rmsError), mode: 'both', label: `${rule} (slope ${s.orders.strong.value.toFixed(2)})` };
    });
    const svg = nd.plot.lineChart(series, {
      logx: true,
      logy: true,
      xlabel: 'time step dt (ms)',
      ylabel: 'RMS matched spike-time error (ms)',
      title: 'Strong error vs step (reduced study)',
    });
    return {
      summary,
      detail,
      figures: [
        {
          name: 'convergence-error',
          svg,
          caption: `Strong error (RMS of matched spike-time differences against a reference at dt/8 on the same Brownian path) against the step, Euler–Maruyama with each spike-time rule, ${params.trials} trials of ${params.duration} ms on the 3 × 20 feedforward network (log–log; legend: fitted slope).`,
        },
      ],
      params: { network: '3 × 20 feedforward (feedforwardNetwork)', ...params, lyapunov: { trials: 4, duration: 400, dt: 0.05 } },
    };
  } finally {
    pool.close();
  }
}

export const section = {
  id: 'numerics',
  order: 20,
  title: 'Numerical analysis of LIF networks: convergence orders and the Lyapunov exponent',
  paper: 'Dou, Chen, Lin & Xiao, Numerical analysis for leaky-integrate-fire networks under Euler–Maruyama',
  description:
    "Strong (matched spike times) and weak (spike counts) errors of the grid, linear and hermite rules under Euler–Maruyama on coupled paths (every run a LifNetwork), fitted orders, the median error at the coarsest step, and the Lyapunov exponent from the engine's tangent pass with the reset saltation factor next to λ = −g_L + ν E_Palm[ln s(A)].",
  requires: ['convergenceStudy', 'lyapunovStudy', 'feedforwardNetwork', 'WorkerPool'],
  examples: ['examples/node/convergence.mjs'],
  async run({ quick, progress, runExample, nd }) {
    let r;
    const notes = [];
    if (quick) {
      r = await reducedStudy(nd, progress);
      notes.push(
        'Quick mode: a reduced study (12 trials, T = 100 ms, 3 step sizes, 4 short Lyapunov trials) with the same library calls; run `npm start` for the numbers of examples/node/convergence.mjs --quick.',
      );
    } else {
      const ex = await runExample('examples/node/convergence.mjs', ['--quick'], { expectSeconds: 45, svgDir: 'out/numerics', progress });
      const d = JSON.parse(readFileSync(join(ROOT, 'out/numerics/convergence.json'), 'utf8'));
      const detail = {
        trials: d.trials,
        dts: d.dts,
        orders: Object.fromEntries(RULES.map((rule) => [rule, d.schemes[`euler-maruyama/${rule}`].orders])),
        lyapunov: { tangent: d.lyapunov.tangent, formula: d.lyapunov.formula, trials: d.lyapunov.rate.length },
      };
      const CAPTIONS = {
        'convergence-error': `Strong error against the step for each scheme, ${d.trials} trials of 200 ms on the 3 × 20 feedforward network: RMS of matched spike-time differences (dots, fitted power law dashed) and the median error (dotted), log–log.`,
        'palm-density':
          'Palm density of the crossing speed A = I − I_th at the reference spikes (Euler–Maruyama, linear rule): the near-tangential crossings (small A) behind the strong order ½.',
      };
      r = {
        summary: ex.json,
        detail,
        figures: ex.svgs.map((f) => ({ ...f, caption: CAPTIONS[f.name] })),
        params: { command: ex.command },
        command: ex.command,
      };
      notes.push(
        'The full showcase runs the example in its --quick configuration (32 trials, 4 step sizes); the example without --quick is the full study.',
      );
    }
    const s = r.summary.scheme ?? {};
    const d = r.detail;
    const study = `${d.trials} trials, dt = ${d.dts.join(', ')} ms`;
    const checks = [];
    for (const rule of RULES) {
      const o = d.orders[rule];
      checks.push(
        bound({
          quantity: `strong order (RMS matched spike time), Euler–Maruyama + ${rule}`,
          measured: o.strong.value,
          op: '>=',
          limit: 0.4,
          ci: o.strong.ci,
          n: study,
          reference: '≥ ½ (up to logarithmic factors)',
          tolerance: '≥ 0.4 (0.1 below ½ for the logarithmic factors)',
          source:
            'the paper: mean-square spike-time error O(h) up to polylogarithmic factors for feedforward networks (pruning-and-balance bound); 0.1 for the logarithmic losses',
        }),
        covers({
          quantity: `weak order (spike counts), Euler–Maruyama + ${rule}`,
          estimate: o.weakCount,
          expected: 1,
          n: study,
          source: 'the paper: weak error O(T h) (backward-Kolmogorov argument with reset boundary strips)',
        }),
      );
    }
    const ly = d.lyapunov;
    checks.push(
      covers({
        quantity: 'Lyapunov exponent from the tangent dynamics with reset saltation (1/ms)',
        estimate: ly.tangent,
        expected: ly.formula.value,
        n: `${ly.trials} trials`,
        reference: `the flux formula's value, ${ly.formula.value.toPrecision(4)} /ms`,
        source: 'the paper: λ = −g_L + ν E_Palm[ln s(A)] (threshold flux × log saltation factor), evaluated on the same runs',
      }),
    );
    return {
      checks,
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
        {
          title: 'Lyapunov exponent (1/ms) with 95% confidence intervals over trials',
          columns: ['estimate', 'value', '95% CI'],
          rows: [
            ['tangent dynamics with saltation', ly.tangent.value, `[${ly.tangent.ci.map((x) => x.toPrecision(4)).join(', ')}]`],
            ['flux formula', ly.formula.value, `[${ly.formula.ci.map((x) => x.toPrecision(4)).join(', ')}]`],
          ],
        },
      ],
      figures: r.figures,
      params: r.params,
      commands: r.command ? [r.command] : [],
      notes,
    };
  },
};
