// Perthame, Salort & Wainrib 2017, Section 8: the learn/test pattern-recognition experiment on the
// weight-structured Fokker–Planck equation. Numbers are the output of examples/node/fp-learning.mjs
// (its last line, and its detail line before it); the checks compare them with Proposition 6.2.
import { bound, holds, near } from './_framework.mjs';

const CAPTIONS = {
  'fig1-inputs':
    'The two input signals over the synaptic weight w: I(w) = 1.5 exp(−(w + 0.5)²/0.01), learned first, and J(w) = 0.5 exp(−(w + 0.2)²/0.01) + 0.5 exp(−(w + 0.6)²/0.01).',
  'fig2-weights':
    'Weight distribution H(w) after learning with I and with J (solid, the PDE) against the stationary distribution of Proposition 6.2 (dashed): support [−√2 N̄, 0].',
  'fig3-outputs-learned':
    'Recognition: output N(w) of the frozen network tested with the signal it learned (solid) against −w/N̄ on the learned support (dashed, Proposition 6.2), the input-independent shape that means "recognised".',
  'fig4-outputs-other':
    'No recognition: output N(w) when the network that learned one signal is tested with the other; the shape −w/N̄ is lost.',
  'density-learned-I': 'The density p(v, w) at the end of learning with I: the weights have moved to the support [−√2 N̄, 0].',
  'nbar-learning': 'Total firing rate N̄(t) during learning with I and with J, converging to its stationary value.',
};

export const section = {
  id: 'fp',
  order: 30,
  title: 'Fokker–Planck equation with Hebbian learning: pattern recognition',
  paper:
    'Perthame, Salort & Wainrib, Distributed synaptic weights in a LIF neural network and learning rules, Physica D 353–354 (2017) 20–30',
  description:
    'Learning phase with input I(w) = 1.5 exp(−(w+0.5)²/0.01); testing with I and with J(w) = 0.5 exp(−(w+0.2)²/0.01) + 0.5 exp(−(w+0.6)²/0.01), and the swapped pair. The learned state is compared with Proposition 6.2 (stationary N̄, support [−√2 N̄, 0]) and the recognition verdicts with Section 8.',
  requires: ['FokkerPlanckSolver', 'fpGaussianDensity', 'fpLearningEquilibrium'],
  examples: ['examples/node/fp-learning.mjs'],
  async run({ quick, progress, runExample }) {
    const r = await runExample('examples/node/fp-learning.mjs', quick ? ['--quick'] : [], {
      expectSeconds: quick ? 4 : 20,
      svgDir: 'out/fp',
      progress,
    });
    const j = r.json;
    const lines = r.stdout.trim().split('\n');
    const detail = JSON.parse(lines[lines.length - 2]);
    const dw = (detail.grid.wMax - detail.grid.wMin) / detail.grid.nw;
    const grid = `${detail.grid.nv} × ${detail.grid.nw} cells (Δw = ${dw}), Δt = ${detail.dt} τ_m, learning for ${detail.tLearn} τ_m`;
    const prop = 'Proposition 6.2 (stationary state of the learning rule), computed by fpLearningEquilibrium';
    const checks = [];
    for (const s of ['I', 'J']) {
      const th = detail.theory[s];
      const nbar = s === 'I' ? j.Nbar : detail.nbarLearned.J;
      const edge = s === 'I' ? j.support[0] : detail.supportJ[0];
      checks.push(
        near({
          quantity: `N̄ after learning ${s} (PDE, ${grid})`,
          measured: nbar,
          expected: th.nbar,
          tol: 0.05 * th.nbar,
          source: `${prop}; 5% for the first-order w-scheme and the finite learning time`,
        }),
        near({
          quantity: `left edge of the learned weight support, learning ${s}`,
          measured: edge,
          expected: th.support[0],
          tol: dw,
          source: `${prop}: −√2 N̄; tolerance one w cell`,
        }),
      );
    }
    const criterion = `relative L¹ distance of N(w) to −w/N̄ on the learned support, threshold ${detail.threshold} (examples/node/fp-learning.mjs)`;
    for (const [pair, expect] of [
      ['I→I', true],
      ['J→J', true],
      ['I→J', false],
      ['J→I', false],
    ]) {
      const [a, b] = pair.split('→');
      checks.push(
        bound({
          quantity: `learned ${a}, tested with ${b}: distance of the output to the recognition shape`,
          measured: detail.residual[pair],
          op: expect ? '<' : '>=',
          limit: detail.threshold,
          reference: expect ? `recognised (< ${detail.threshold})` : `not recognised (≥ ${detail.threshold})`,
          source: `Section 8: the learned signal is recognised, the other is not; ${criterion}`,
        }),
      );
    }
    checks.push(
      bound({
        quantity: 'mass ∫∫p dv dw after learning (both runs), |mass − 1|',
        measured: Math.max(Math.abs(detail.massAfter.learnI - 1), Math.abs(detail.massAfter.learnJ - 1)),
        op: '<=',
        limit: 1e-12,
        source: 'conservation law of the equation (firing flux reinjected at V_R); the scheme is in flux form',
      }),
      holds({
        quantity: 'the four verdicts of the example',
        ok: j.recognised['I→I'] && j.recognised['J→J'] && !j.recognised['I→J'] && !j.recognised['J→I'],
        reference: 'I→I, J→J recognised; I→J, J→I not',
        source: 'Section 8 of the paper',
        measured: Object.entries(j.recognised)
          .map(([k, v]) => `${k} ${v ? 'yes' : 'no'}`)
          .join(', '),
      }),
    );
    return {
      checks,
      summary: j,
      tables: [
        {
          title: 'Learned state against Proposition 6.2',
          columns: ['signal', 'N̄ (PDE)', 'N̄ (Prop. 6.2)', 'support edge (PDE)', 'support edge (Prop. 6.2)'],
          rows: [
            ['I', j.Nbar, detail.theory.I.nbar, j.support[0], detail.theory.I.support[0]],
            ['J', detail.nbarLearned.J, detail.theory.J.nbar, detail.supportJ[0], detail.theory.J.support[0]],
          ],
        },
      ],
      figures: r.svgs.map((f) => ({ ...f, caption: CAPTIONS[f.name] })),
      params: { command: r.command, grid: detail.grid, dt: detail.dt, epsilon: detail.epsilon, tLearn: detail.tLearn, tTest: detail.tTest },
      commands: [r.command],
    };
  },
};
