import type { CrossCases } from './types.ts';

/** Cross-runtime cases of the brf module. */
export const cases: CrossCases = {
  'brf: forward + BPTT of a BRF shard (synthetic task)': (nd) => {
    const { train } = nd.frequencyTask({ seed: 4, trainSize: 4, T: 80, classes: 3 });
    const opts = { inputSize: 1, hiddenSize: 16, outputSize: 3, loss: 'sequence' as const, lossStart: 40 };
    const p = nd.initBrfParams(opts, 2);
    for (let i = 0; i < 16 * 17; i++) p[i] *= 30;
    const r = new nd.BrfShardRunner(opts, 80, 4);
    try {
      const o = r.run(p, train.x, train.labels, true);
      return nd.fingerprint(o.loss, o.spikes, o.grad as Float64Array);
    } finally {
      r.dispose();
    }
  },
  'brf: two training epochs of ALIF and RF (Adam, clipping)': async (nd) => {
    const { train } = nd.frequencyTask({ seed: 5, trainSize: 32, T: 50, classes: 2 });
    const out: number[] = [];
    for (const model of ['alif', 'rf'] as const) {
      const tr = new nd.BrfTrainer({ model, inputSize: 1, hiddenSize: 8, outputSize: 2 }, 50, { seed: 3, batchSize: 16 });
      try {
        await tr.train(train, { epochs: 2 });
        out.push(...tr.params);
      } finally {
        tr.dispose();
      }
    }
    return nd.fingerprint(out);
  },
  'brf: TBPTT training (chunks of 20 of 50 steps, ALIF and BRF)': async (nd) => {
    const { train } = nd.frequencyTask({ seed: 6, trainSize: 16, T: 50, classes: 2 });
    const out: number[] = [];
    for (const model of ['alif', 'brf'] as const) {
      const net = { model, inputSize: 1, hiddenSize: 8, outputSize: 2, loss: 'sequence' as const, lossStart: 10 };
      const tr = new nd.BrfTrainer(net, 50, { seed: 3, batchSize: 8, tbptt: { chunk: 20 } });
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
    nd.fingerprint(nd.brfPermutation(1, 784, 1), nd.brfSpectralRadiusGrid([10, 50, 99], [-90, -20, -1], 0.01)),
};
