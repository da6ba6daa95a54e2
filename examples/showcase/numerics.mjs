// Seed 000, the analysis: strong and weak orders of the spike-time rules under Euler–Maruyama on a
// 3-layer feedforward network (coupled Brownian paths across step sizes), and the Lyapunov
// exponent from the tangent dynamics with reset saltation next to the flux formula. Numbers are
// the output of examples/node/convergence.mjs.
import { kvRows } from './_framework.mjs';

export const section = {
  id: 'numerics',
  order: 20,
  title: 'Numerical analysis of LIF networks: convergence orders and Lyapunov exponent (seed 000)',
  description:
    'Strong (matched spike times) and weak (spike counts) errors of the grid, linear and hermite rules under Euler–Maruyama on coupled paths, fitted orders, the median error at the coarsest step, and the largest Lyapunov exponent from the tangent dynamics with the reset saltation factor next to λ = −g_L + ν E_Palm[ln s(A)].',
  requires: ['convergenceStudy', 'LifNetwork'],
  examples: ['examples/node/convergence.mjs'],
  async run({ progress, runExample }) {
    const r = await runExample('examples/node/convergence.mjs', ['--quick'], {
      expectSeconds: 45,
      svgDir: 'out/numerics',
      progress,
    });
    const s = r.json.scheme ?? {};
    return {
      summary: r.json,
      headline: {
        ...Object.fromEntries(
          Object.entries(s).map(([k, v]) => [
            `${k} strong/weak order`,
            `${Number(v.strongOrder).toFixed(2)} / ${Number(v.weakOrder).toFixed(2)}`,
          ]),
        ),
        lyapunov: r.json.lyapunov,
      },
      tables: [
        {
          title: 'Fitted orders per spike-time rule (Euler–Maruyama integrator)',
          columns: ['rule', 'strong order', 'weak order', 'median error at coarsest h'],
          rows: Object.entries(s).map(([k, v]) => [k, v.strongOrder, v.weakOrder, v.medianErr]),
        },
        { title: 'Lyapunov exponent (1/ms)', columns: ['estimate', 'value'], rows: kvRows(r.json.lyapunov ?? {}) },
      ],
      figures: r.svgs,
      params: { command: r.command },
      commands: [r.command],
      notes: ['The full showcase runs the example in its --quick configuration (the example itself documents the full study).'],
    };
  },
};
