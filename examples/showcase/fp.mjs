// Seed 001: the Section 8 learn/test pattern-recognition experiment on the weight-structured
// Fokker–Planck equation. Numbers are the output of examples/node/fp-learning.mjs.
import { kvRows } from './_framework.mjs';

export const section = {
  id: 'fp',
  order: 30,
  title: 'Fokker–Planck with learning: pattern recognition (seed 001)',
  description:
    'Learning phase with input I(w) = 1.5 exp(−(w+0.5)²/0.01); testing with I and with J(w) = 0.5 exp(−(w+0.2)²/0.01) + 0.5 exp(−(w+0.6)²/0.01), and the swapped pair. The verdicts are computed, not eyeballed; the support of the learned weight distribution is compared with Proposition 6.2.',
  requires: ['FokkerPlanckSolver', 'fpGaussianDensity'],
  examples: ['examples/node/fp-learning.mjs'],
  async run({ quick, progress, runExample }) {
    const r = await runExample('examples/node/fp-learning.mjs', quick ? ['--quick'] : [], {
      expectSeconds: quick ? 4 : 20,
      svgDir: 'out/fp',
      progress,
    });
    const j = r.json;
    return {
      summary: j,
      headline: { Nbar: j.Nbar, support: j.support, recognised: j.recognised, discrimination: j.discrimination },
      tables: [
        {
          title: 'Recognition verdicts (learned with → tested with)',
          columns: ['pair', 'recognised'],
          rows: Object.entries(j.recognised ?? {}),
        },
        {
          title: 'Learned state',
          columns: ['quantity', 'value'],
          rows: kvRows({ Nbar: j.Nbar, support: j.support, discrimination: j.discrimination }),
        },
      ],
      figures: r.svgs,
      params: { command: r.command },
      commands: [r.command],
    };
  },
};
