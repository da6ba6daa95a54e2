// Retnaraj, Bullo & Cortés: timescale limits of linear-threshold networks. The equilibrium (LCP),
// the Lyapunov diagonal stability margin, the PDS rate bound κ against the observed rate, and the
// trajectory gap between LTN_γ and its fast limit (the projected dynamical system) as γ grows, with
// the fitted slope (expected −1), from examples/node/ltn-timescales.mjs.
import { bound, holds, logLogSlope, near } from './_framework.mjs';

// The network of examples/node/ltn-timescales.mjs (checked here from the definitions).
const NET = {
  d: [1, 3],
  W: [
    [0.2, -1.5],
    [1, 0.5],
  ],
  u: [1, -2],
};

export const section = {
  id: 'ltn',
  order: 60,
  title: 'Linear-threshold networks: equilibria, stability and timescale limits',
  paper: 'Retnaraj, Bullo & Cortés, Timescale limits of linear-threshold networks',
  description:
    'ẋ = −Dx + [Wx + u]₊ with heterogeneous dissipation D = diag(1, 3): the equilibrium from the linear complementarity problem, Lyapunov diagonal stability of M = D − W, the PDS rate bound κ against the observed convergence rate, and the trajectory gap between LTN_γ and the projected dynamical system for γ = 1 … 1000 (O(1/γ) expected). The one-parameter family and its limits are a reconstruction (see the LTN docs). The model is dimensionless: times in units of 1/d.',
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
    // O(1/γ) is an asymptotic statement: the order is fitted on γ ≥ 10.
    const asym = gammas.map((g, i) => [g, gaps[i]]).filter(([g]) => g >= 10);
    const slopeAsym = logLogSlope(
      asym.map((p) => p[0]),
      asym.map((p) => p[1]),
    );
    // LCP: x ≥ 0, q = (D − W)x − u ≥ 0, xᵀq = 0 — the residual max_i |min(x_i, q_i)|.
    const x = j.equilibrium;
    const q = NET.d.map((d, i) => d * x[i] - NET.W[i].reduce((a, w, k) => a + w * x[k], 0) - NET.u[i]);
    const lcpResidual = Math.max(...x.map((xi, i) => Math.abs(Math.min(xi, q[i]))));
    // n = 2: M is Lyapunov diagonally stable iff m11 > 0, m22 > 0 and det M > 0.
    const M = [
      [NET.d[0] - NET.W[0][0], -NET.W[0][1]],
      [-NET.W[1][0], NET.d[1] - NET.W[1][1]],
    ];
    const lds2 = M[0][0] > 0 && M[1][1] > 0 && M[0][0] * M[1][1] - M[0][1] * M[1][0] > 0;
    const paper = 'Retnaraj, Bullo & Cortés';
    const checks = [
      bound({
        quantity: 'LCP residual of the computed equilibrium, max_i |min(x_i, ((D − W)x − u)_i)|',
        measured: lcpResidual,
        op: '<=',
        limit: 1e-12,
        reference: '0 (≤ 1e-12)',
        source: `equilibria of ẋ = −Dx + [Wx + u]₊ are the solutions of LCP(D − W, −u) (${paper})`,
      }),
      near({
        quantity: 'equilibrium x*₁ (unit 2 silent)',
        measured: x[0],
        expected: NET.u[0] / (NET.d[0] - NET.W[0][0]),
        tol: 1e-12,
        reference: 'u₁/(d₁ − w₁₁) = 1.25',
        source: 'closed form of the LCP solution with x₂ = 0 (q₂ = 2.25 > 0)',
      }),
      holds({
        quantity: 'LDS verdict of M = D − W from the library (margin > 0)',
        ok: j.ldsMargin > 0 === lds2,
        reference: lds2 ? 'LDS' : 'not LDS',
        source: 'n = 2: LDS ⇔ m₁₁ > 0, m₂₂ > 0, det M > 0 (computed here)',
        measured: `${j.ldsMargin > 0 ? 'LDS' : 'not LDS'} (margin ${j.ldsMargin.toPrecision(4)})`,
      }),
      bound({
        quantity: 'observed exponential convergence rate of the PDS (units of d)',
        measured: j.observedRate,
        op: '>=',
        limit: j.kappa,
        reference: `≥ κ = ${j.kappa.toPrecision(4)}`,
        source: `PDS rate bound κ = λ_min(PM + MᵀP)/max p for the LDS weights P (${paper}, reconstruction in docs/ltn.md)`,
      }),
      near({
        quantity: `slope of log gap against log γ, γ = ${asym.map((p) => p[0]).join(', ')}`,
        measured: slopeAsym,
        expected: -1,
        tol: 0.1,
        source: `the gap between LTN_γ and the PDS is O(1/γ) as γ → ∞ (${paper}); 0.1 for the finite γ`,
      }),
    ];
    const figures = r.svgs.map((f) => ({
      ...f,
      caption:
        'Phase portrait of the 2-unit network from three initial conditions: LTN_γ for γ = 0.1, 1, 10, 100 (colours), the fast limit γ → ∞, the projected dynamical system (black, dashed), and the slow limit, the linear complementarity system (orange, dotted); every member converges to the equilibrium x* = (1.25, 0) (red dot).',
    }));
    if (gammas.length > 1) {
      figures.unshift({
        name: 'gamma-gap',
        svg: nd.plot.lineChart(
          [
            { x: gammas, y: gaps, label: `gap (slope ${slope.toFixed(2)} over all γ)`, mode: 'both' },
            { x: gammas, y: gammas.map((g) => (gaps[0] * gammas[0]) / g), label: 'O(1/γ) reference', dash: '4 3' },
          ],
          {
            title: 'Trajectory gap between LTN_γ and the PDS',
            xlabel: 'timescale ratio γ',
            ylabel: 'max over t of |x_γ(t) − x_PDS(t)| (dimensionless)',
            logx: true,
            logy: true,
          },
        ),
        caption: `Largest distance between the LTN_γ trajectory and the PDS trajectory from x(0) = (0.2, 1.5) over the horizon, against γ (log–log), with a line of slope −1 through the first point: the gap falls as 1/γ.`,
      });
    }
    return {
      checks,
      summary: { ...j, gammaGapSlope: slope },
      tables: [{ title: 'Gap between LTN_γ and the PDS', columns: ['γ', 'max gap'], rows: gammas.map((g, i) => [g, gaps[i]]) }],
      figures,
      params: { command: r.command, network: NET, x0: [0.2, 1.5] },
      commands: [r.command],
    };
  },
};
