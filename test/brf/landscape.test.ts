import { describe, expect, test } from 'vitest';
import {
  AbortedError,
  BrfTrainer,
  brfFilterNormalizedDirection,
  brfLossLandscape,
  frequencyTask,
  initBrfParams,
  type Progress,
} from '../../src/index.js';

describe('error landscape (Li et al. 2018 filter normalisation)', () => {
  test('each row block of the direction has the norm of the matching weight block; other params untouched', () => {
    const sizes = { inputSize: 3, hiddenSize: 5, outputSize: 2 };
    const I = 3;
    const H = 5;
    const p = initBrfParams(sizes, { seed: 1 });
    const d = brfFilterNormalizedDirection(p, { ...sizes, seed: 7 });
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
    expect(brfFilterNormalizedDirection(p, { ...sizes, seed: 8 })).not.toEqual(d);
    expect(brfFilterNormalizedDirection(p, { ...sizes, seed: 7, trial: 0 })).not.toEqual(d);
    expect(() => brfFilterNormalizedDirection(p, { ...sizes, sed: 7 } as never)).toThrow(/did you mean 'seed'/);
  });

  test('f(0, 0) is the loss at the checkpoint, θ* is restored, progress counts grid points; abort keeps the partial grid', async () => {
    const { train, test: te } = frequencyTask({ seed: 1, trainSize: 160, testSize: 32, steps: 60, classes: 3 });
    const network = { inputSize: 1, hiddenSize: 12, outputSize: 3, loss: 'sequence', lossStartStep: 30 } as const;
    const tr = new BrfTrainer({ network, steps: 60, seed: 1, batchSize: 8 });
    try {
      await tr.train(train, { epochs: 2 });
      expect((await tr.evaluate(te)).spikesPerSample).toBeGreaterThan(0);
      const before = tr.params.slice();
      const base = await tr.evaluate(te);
      const reports: Progress[] = [];
      const l = await brfLossLandscape(tr, te, { alphas: [-0.5, 0, 0.5], betas: [-0.5, 0, 0.5], onProgress: (p) => reports.push(p) });
      expect(l.loss[4]).toBe(base.loss);
      expect(tr.params).toEqual(before);
      expect(new Set(Array.from(l.loss)).size).toBeGreaterThan(1);
      expect(reports.map((r) => r.done)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
      expect(reports.every((r) => r.unit === 'point' && r.total === 9)).toBe(true);
      expect(JSON.parse(JSON.stringify(l)).loss).toEqual(Array.from(l.loss));
      // an abort after the third point: AbortedError with the partial grid, θ* restored
      const ac = new AbortController();
      const run = brfLossLandscape(tr, te, {
        alphas: [-0.5, 0, 0.5],
        betas: [-0.5, 0, 0.5],
        signal: ac.signal,
        onProgress: (p) => p.done === 3 && ac.abort(),
      });
      const err = await run.then(
        () => null,
        (e) => e,
      );
      expect(err).toBeInstanceOf(AbortedError);
      const part = (err as AbortedError).partial as { loss: Float64Array };
      expect(Array.from(part.loss.subarray(0, 3))).toEqual(Array.from(l.loss.subarray(0, 3)));
      expect(part.loss.subarray(3).every(Number.isNaN)).toBe(true);
      expect(tr.params).toEqual(before);
    } finally {
      tr.dispose();
    }
  });
});
