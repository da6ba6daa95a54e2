import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { type BrfNetworkOptions, BrfTrainer, smnistDataset } from '../../src/index.js';

// f32 training against f64 training on an S-MNIST subset (the mnist package's digits, 784 steps):
// BRF, H = 32, 512 training and 256 test images, 2 epochs, the mean loss over the second half of
// the sequence (a set-up that leaves chance within this budget; docs/brf.md, "f32 training").
const require = createRequire(import.meta.url);
const digitsDir = join(dirname(require.resolve('mnist/package.json')), 'src', 'digits');
const digits = Array.from({ length: 10 }, (_, d) => JSON.parse(readFileSync(join(digitsDir, `${d}.json`), 'utf8')).data);
const { train, test: testSet } = smnistDataset(digits, { seed: 1, trainLimit: 512, testLimit: 256 });
const network: BrfNetworkOptions = {
  inputSize: 1,
  hiddenSize: 32,
  outputSize: 10,
  loss: 'sequence',
  lossStartStep: 392,
  lossReduction: 'mean',
  vThreshold: 0.5,
};

describe('f32 vs f64 training on an S-MNIST subset', () => {
  test('same loss and accuracy within the resolution of the test set; f32 rounding acts like a 2^-24 perturbation of f64', async () => {
    const run = async (precision: 'f32' | 'f64', perturb = false) => {
      const tr = new BrfTrainer({ network, steps: 784, seed: 1, batchSize: 16, precision });
      if (perturb) tr.params.set(tr.params.map((x, i) => x * (1 + (i % 2 ? 1 : -1) * 2 ** -24)));
      try {
        const h = await tr.train(train, { epochs: 2, test: testSet });
        return { h, cp: tr.toJSON() };
      } finally {
        tr.dispose();
      }
    };
    const a = await run('f64');
    const b = await run('f32');
    const c = await run('f64', true);
    const last = (r: typeof a) => ({
      loss: r.h.loss[1],
      testLoss: r.h.testLoss[1],
      testAccuracy: r.h.testAccuracy[1],
    });
    const [A, B, C] = [last(a), last(b), last(c)];
    console.log(
      `S-MNIST subset after 2 epochs: f64 ${JSON.stringify(A)}; f32 ${JSON.stringify(B)}; f64 with params × (1 ± 2^-24) ${JSON.stringify(C)}`,
    );
    // it learned (chance: ln 10 = 2.3026 nats, 10 %)
    expect(A.testLoss).toBeLessThan(2.29);
    expect(A.testAccuracy).toBeGreaterThan(0.15);
    // Bound. Spike flips make f32 and f64 trajectories part after a few batches, as any
    // perturbation of one rounding step does (the third run: f64 from parameters perturbed by
    // 2^-24). What remains comparable is the outcome: the two may differ by no more than the test
    // set can resolve, i.e. two binomial standard errors of the accuracy, 2·√(p(1−p)/n) ≈ 0.05 at
    // p = 0.2, n = 256, and 0.01 nats in the mean loss (the standard error of a mean of 256
    // per-image cross-entropies whose spread is ≈ 0.1 nats is 0.006).
    const se = 2 * Math.sqrt((A.testAccuracy * (1 - A.testAccuracy)) / 256);
    expect(Math.abs(B.testAccuracy - A.testAccuracy)).toBeLessThanOrEqual(se);
    expect(Math.abs(B.testLoss - A.testLoss)).toBeLessThan(0.01);
    expect(Math.abs(B.loss - A.loss)).toBeLessThan(0.01);
    // the perturbed f64 run lands within the same bound (the bound is about rounding, not f32)
    expect(Math.abs(C.testAccuracy - A.testAccuracy)).toBeLessThanOrEqual(se);
    expect(Math.abs(C.testLoss - A.testLoss)).toBeLessThan(0.01);

    // The same parameters evaluated in both precisions: here the only difference is f32 rounding
    // in one forward pass of 784 steps. The mean loss within 1e-6 relative (16 f32 unit
    // roundoffs; measured 4e-10: the rounding errors of 256 images and 10 outputs average out),
    // and predictions equal except where a spike flips at the threshold: at most 2 of 256 images.
    const e64 = BrfTrainer.fromJSON(a.cp);
    const e32 = BrfTrainer.fromJSON({ ...a.cp, options: { ...a.cp.options, precision: 'f32' } });
    try {
      const [v64, v32] = [await e64.evaluate(testSet), await e32.evaluate(testSet)];
      let differ = 0;
      for (let i = 0; i < 256; i++) if (v64.predictions[i] !== v32.predictions[i]) differ++;
      console.log(`same parameters: loss f64 ${v64.loss}, f32 ${v32.loss}; predictions differ on ${differ} of 256`);
      expect(v64.spikesPerSample).toBeGreaterThan(10);
      expect(Math.abs(v32.loss - v64.loss) / v64.loss).toBeLessThan(1e-6);
      expect(differ).toBeLessThanOrEqual(2);
    } finally {
      e64.dispose();
      e32.dispose();
    }
  }, 120_000);
});
