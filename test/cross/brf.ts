import type { CrossCases } from './types.ts';

/** Cross-runtime cases of the brf module. */
export const cases: CrossCases = {
  'brf: forward + BPTT of a BRF shard (synthetic task)': (nd) => {
    const { train } = nd.frequencyTask({ seed: 4, trainSize: 4, steps: 80, classes: 3 });
    const network = { inputSize: 1, hiddenSize: 16, outputSize: 3, loss: 'sequence' as const, lossStartStep: 40 };
    const p = nd.initBrfParams(network, { seed: 2 });
    for (let i = 0; i < 16 * 17; i++) p[i] *= 30;
    const r = new nd.BrfShardRunner({ network, steps: 80, shardSize: 4 });
    try {
      const o = r.run(p, train.x, train.labels, { backward: true });
      return nd.fingerprint(o.loss, o.spikes, o.grad as Float64Array);
    } finally {
      r.dispose();
    }
  },
  'brf: forward + BPTT of shards in f32 (f32x4 kernel, BRF and ALIF, H = 13 padded)': (nd) => {
    const { train } = nd.frequencyTask({ seed: 4, trainSize: 5, steps: 80, classes: 3 });
    const out: number[] = [];
    for (const model of ['brf', 'alif'] as const) {
      const network = { model, inputSize: 1, hiddenSize: 13, outputSize: 3, loss: 'sequence' as const, lossStartStep: 40 };
      const p = nd.initBrfParams(network, { seed: 2 });
      for (let i = 0; i < 13 * 14; i++) p[i] *= 30;
      const r = new nd.BrfShardRunner({ network, steps: 80, shardSize: 5, checkpointSteps: 9, precision: 'f32' });
      try {
        const o = r.run(p, train.x, train.labels, { backward: true, finalState: true });
        out.push(...o.loss, ...o.spikes, ...(o.grad as Float64Array), ...(o.state as Float64Array));
      } finally {
        r.dispose();
      }
    }
    return nd.fingerprint(out);
  },
  'brf: two training epochs of ALIF and RF (Adam, clipping)': async (nd) => {
    const { train } = nd.frequencyTask({ seed: 5, trainSize: 32, steps: 50, classes: 2 });
    const out: number[] = [];
    for (const model of ['alif', 'rf'] as const) {
      const tr = new nd.BrfTrainer({ network: { model, inputSize: 1, hiddenSize: 8, outputSize: 2 }, steps: 50, seed: 3, batchSize: 16 });
      try {
        await tr.train(train, { epochs: 2 });
        out.push(...tr.params);
      } finally {
        tr.dispose();
      }
    }
    return nd.fingerprint(out);
  },
  'brf: TBPTT training (chunks of 20 of 50 steps, ALIF and BRF; BRF in f32)': async (nd) => {
    const { train } = nd.frequencyTask({ seed: 6, trainSize: 16, steps: 50, classes: 2 });
    const out: number[] = [];
    for (const model of ['alif', 'brf'] as const) {
      const network = { model, inputSize: 1, hiddenSize: 8, outputSize: 2, loss: 'sequence' as const, lossStartStep: 10 };
      const tr = new nd.BrfTrainer({
        network,
        steps: 50,
        seed: 3,
        batchSize: 8,
        tbpttSteps: 20,
        precision: model === 'brf' ? 'f32' : 'f64',
      });
      try {
        await tr.train(train, { epochs: 1 });
        out.push(...tr.params);
      } finally {
        tr.dispose();
      }
    }
    return nd.fingerprint(out);
  },
  'brf: S-MNIST permutation and spectral radius grid': (nd) =>
    nd.fingerprint(nd.brfPermutation(784, { seed: 1, tag: 1 }), nd.brfSpectralRadiusGrid([10, 50, 99], [-90, -20, -1], { dt: 10 })),
};
