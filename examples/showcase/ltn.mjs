// Seed 004: linear-threshold networks. Equilibrium (LCP), Lyapunov diagonal stability margin, the
// gap between LTN_γ and its fast limit (the projected dynamical system) as γ grows, with the fitted
// slope (expected −1), from examples/node/ltn-timescales.mjs.
import { kvRows, logLogSlope } from './_framework.mjs';

export const section = {
  id: 'ltn',
  order: 60,
  title: 'Linear-threshold networks: equilibria, LDS and timescale limits (seed 004)',
  description:
    'ẋ = −Dx + [Wx + u]₊ with heterogeneous dissipation: the equilibrium from the linear complementarity problem, the LDS margin, the PDS rate bound κ against the observed rate, and the trajectory gap between LTN_γ and the projected dynamical system for γ = 1 … 1000 (O(1/γ) expected). The one-parameter family and its limits are a reconstruction (see the LTN docs).',
  requires: ['ltnSimulate', 'pdsSimulate'],
  examples: ['examples/node/ltn-timescales.mjs'],
  async run({ quick, progress, runExample, nd }) {
    const r = await runExample('examples/node/ltn-timescales.mjs', quick ? ['--quick'] : [], {
      expectSeconds: 10,
      svgDir: 'out/ltn',
      progress,
    });
    const j = r.json;
    const gammas = Object.keys(j.gammaGap ?? {}).map(Number);
    const gaps = gammas.map((g) => j.gammaGap[String(g)]);
    const slope = logLogSlope(gammas, gaps);
    const figures = [...r.svgs];
    if (gammas.length > 1) {
      figures.unshift({
        name: 'gamma-gap',
        svg: nd.plot.lineChart(
          [
            { x: gammas, y: gaps, label: `gap (slope ${slope.toFixed(2)})`, mode: 'both' },
            { x: gammas, y: gammas.map((g) => (gaps[0] * gammas[0]) / g), label: 'O(1/γ)', dash: '4 3' },
          ],
          { title: 'Trajectory gap between LTN_γ and the PDS', xlabel: 'γ', ylabel: 'max gap', logx: true, logy: true },
        ),
      });
    }
    return {
      summary: { ...j, gammaGapSlope: slope },
      headline: {
        equilibrium: j.equilibrium,
        ldsMargin: j.ldsMargin,
        gammaGapSlope: Number(slope.toFixed(3)),
        kappa: j.kappa,
        observedRate: j.observedRate,
      },
      tables: [
        { title: 'Gap between LTN_γ and the PDS', columns: ['γ', 'gap'], rows: gammas.map((g, i) => [g, gaps[i]]) },
        {
          title: 'Stability',
          columns: ['quantity', 'value'],
          rows: kvRows({ equilibrium: j.equilibrium, ldsMargin: j.ldsMargin, kappa: j.kappa, observedRate: j.observedRate }),
        },
      ],
      figures,
      params: { command: r.command },
      commands: [r.command],
    };
  },
};
