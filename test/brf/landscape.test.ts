import { describe, expect, test } from 'vitest';
import { BrfTrainer, brfFilterNormalizedDirection, brfLossLandscape, frequencyTask, initBrfParams } from '../../src/index.js';

describe('error landscape (Li et al. 2018 filter normalisation)', () => {
  test('each row block of the direction has the norm of the matching weight block; other params untouched', () => {
    const I = 3;
    const H = 5;
    const C = 2;
    const p = initBrfParams({ inputSize: I, hiddenSize: H, outputSize: C }, 1);
    const d = brfFilterNormalizedDirection(p, I, H, C, 7);
    const IH = I + H;
    for (let i = 0; i < H; i++) {
      for (const [a, b] of [
        [0, I],
        [I, IH],
      ]) {
        let nd = 0;
        let nw = 0;
        for (let k = a; k < b; k++) {
          nd += d[i * IH + k] ** 2;
          nw += p[i * IH + k] ** 2;
        }
        expect(Math.sqrt(nd)).toBeCloseTo(Math.sqrt(nw), 8);
      }
    }
    for (let k = H * IH; k < p.length; k++) expect(d[k]).toBe(0);
    expect(brfFilterNormalizedDirection(p, I, H, C, 8)).not.toEqual(d);
  });

  test('f(0, 0) is the loss at the checkpoint and θ* is restored', async () => {
    const { train, test: te } = frequencyTask({ seed: 1, trainSize: 160, testSize: 32, T: 60, classes: 3 });
    const tr = new BrfTrainer({ inputSize: 1, hiddenSize: 12, outputSize: 3, loss: 'sequence', lossStart: 30 }, 60, {
      seed: 1,
      batchSize: 8,
    });
    try {
      await tr.train(train, { epochs: 2 });
      expect((await tr.evaluate(te)).spikesPerSample).toBeGreaterThan(0);
      const before = tr.params.slice();
      const base = await tr.evaluate(te);
      const l = await brfLossLandscape(tr, te, { alphas: [-0.5, 0, 0.5], betas: [-0.5, 0, 0.5] });
      expect(l.loss[4]).toBe(base.loss);
      expect(tr.params).toEqual(before);
      expect(new Set(Array.from(l.loss)).size).toBeGreaterThan(1);
    } finally {
      tr.dispose();
    }
  });
});
