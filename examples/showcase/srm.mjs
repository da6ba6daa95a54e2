// Seed 003: escape-noise spiking networks. The likelihood gradient checked against finite
// differences, and a teacher–student test (a student learns the weights of a known network from its
// samples), from examples/node/srm-learning.mjs.
import { kvRows } from './_framework.mjs';

export const section = {
  id: 'srm',
  order: 50,
  title: 'Escape-noise spiking networks: gradient check and teacher–student learning (seed 003)',
  description:
    'ρ = ρ0 exp((u − ϑ)/Δu), spikes sampled with probability 1 − exp(−ρ dt). The exact log-likelihood gradient (1/Δu) Σ [X − ρ dt] φ (not the φ² form of the seed) is checked by finite differences, then a student network learns a teacher’s weights from its samples.',
  requires: ['SrmNetwork'],
  examples: ['examples/node/srm-learning.mjs'],
  async run({ quick, progress, runExample }) {
    const r = await runExample('examples/node/srm-learning.mjs', quick ? ['--quick'] : [], {
      expectSeconds: quick ? 10 : 40,
      svgDir: 'out/srm',
      progress,
    });
    return {
      summary: r.json,
      tables: [{ title: 'Teacher–student test', columns: ['quantity', 'value'], rows: kvRows(r.json) }],
      figures: r.svgs,
      params: { command: r.command },
      commands: [r.command],
    };
  },
};
