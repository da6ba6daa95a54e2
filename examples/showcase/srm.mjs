// Jimenez Rezende & Gerstner 2014: escape-noise spiking networks. The likelihood gradient checked
// against finite differences, and a teacher–student test (a student learns the weights of a known
// network from its samples by gradient ascent on the exact log-likelihood), from
// examples/node/srm-learning.mjs.
import { bound } from './_framework.mjs';

const CAPTIONS = {
  'teacher-student':
    'Log-likelihood of the training data per 1 ms step under the student during learning (solid) and under the teacher that generated the data (dashed): the student reaches the teacher’s level.',
  'teacher-student-weights':
    'Relative Frobenius distance ‖W − W*‖/‖W*‖ between the student’s weights and the teacher’s during learning (log scale); the student starts from W = 0.',
};

export const section = {
  id: 'srm',
  order: 50,
  title: 'Escape-noise spiking networks: gradient check and teacher–student learning',
  paper: 'Jimenez Rezende & Gerstner, Stochastic variational learning in recurrent spiking networks, Front. Comput. Neurosci. 8:38 (2014)',
  description:
    'ρ = ρ0 exp((u − ϑ)/Δu), spikes sampled with probability 1 − exp(−ρ dt). The exact log-likelihood gradient (1/Δu) Σ [X − ρ dt] φ (not the φ² form of the derivation notes) is checked by finite differences, then a student network learns a teacher’s weights from its samples by gradient ascent on the log-likelihood.',
  requires: ['SrmNetwork'],
  examples: ['examples/node/srm-learning.mjs'],
  async run({ quick, progress, runExample }) {
    const r = await runExample('examples/node/srm-learning.mjs', quick ? ['--quick'] : [], {
      expectSeconds: quick ? 10 : 40,
      svgDir: 'out/srm',
      progress,
    });
    const j = r.json;
    const data = `${j.neurons} neurons, ${j.dataSteps} steps of 1 ms of teacher data`;
    const checks = [
      bound({
        quantity: 'largest relative difference, analytic gradient ∂log p/∂w against finite differences (all n² weights)',
        measured: j.gradCheckRelErr,
        op: '<=',
        limit: 1e-6,
        n: `${j.neurons * j.neurons} weights, a 5 s slice of the data`,
        source:
          'five-point central differences of the exact log-likelihood (error O(h⁴)); the gradient of the paper’s Eq. 24 for the exponential link',
      }),
      bound({
        quantity: `log-likelihood of the data under the student after ${j.epochs} epochs`,
        measured: j.finalLogLik,
        op: '>=',
        limit: j.teacherLogLik,
        unit: 'nats',
        n: data,
        reference: `≥ the teacher's, ${j.teacherLogLik.toFixed(1)} nats`,
        source:
          'maximum likelihood: the log-likelihood is concave in W (exponential escape rate), and the teacher’s weights are one candidate, so the optimum explains the data at least as well',
      }),
      bound({
        quantity: `relative weight error ‖W − W*‖/‖W*‖ after ${j.epochs} epochs (1 at the start, W = 0)`,
        measured: j.weightError,
        op: '<',
        limit: 0.3,
        n: data,
        reference: '< 0.3',
        source:
          'identifiability of the teacher’s weights from its spikes (the paper, Section 3); 0.3 allows the sampling error of a finite data set',
      }),
    ];
    return {
      checks,
      summary: j,
      tables: [],
      figures: r.svgs.map((f) => ({ ...f, caption: CAPTIONS[f.name] })),
      params: { command: r.command },
      commands: [r.command],
    };
  },
};
