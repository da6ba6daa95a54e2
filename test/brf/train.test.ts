import { existsSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import {
  AbortedError,
  type BrfNetworkOptions,
  BrfShardRunner,
  BrfTrainer,
  fingerprint,
  frequencyTask,
  initBrfParams,
  kernelMemory,
  NumericalError,
  smnistDataset,
  ValidationError,
} from '../../src/index.js';

const workerUrl = new URL('../../dist/worker.js', import.meta.url);
if (!existsSync(workerUrl)) throw new Error('dist/worker.js is missing: run `npm run build` first');

const task = frequencyTask({ seed: 3, trainSize: 320, testSize: 400, classes: 5, noise: 0.3 });
const net: BrfNetworkOptions = { inputSize: 1, hiddenSize: 32, outputSize: 5, loss: 'sequence', lossStart: 50 };

describe('BRF-RSNN training', () => {
  test('reaches ≥ 95% test accuracy on the synthetic frequency task', async () => {
    const tr = new BrfTrainer(net, task.train.T, { seed: 1, batchSize: 16 });
    try {
      const h = await tr.train(task.train, { epochs: 4, test: task.test });
      const acc = h[h.length - 1].testAccuracy as number;
      console.log(`synthetic task: test accuracy per epoch ${h.map((r) => r.testAccuracy).join(', ')}`);
      expect(h[0].accuracy).toBeLessThan(0.9); // it had to learn
      expect(acc).toBeGreaterThanOrEqual(0.95);
    } finally {
      tr.dispose();
    }
  });

  test('an ALIF-RSNN learns the synthetic frequency task (well above the 20 % chance level)', async () => {
    // Same task, hidden size and batch as the BRF test, default set-up (lr 0.1). At the former
    // ALIF default lr 0.01 it stays at 20 % (chance) for 10 epochs (docs/brf.md, "ALIF set-up").
    const tr = new BrfTrainer({ ...net, model: 'alif' }, task.train.T, { seed: 1, batchSize: 16 });
    try {
      const h = await tr.train(task.train, { epochs: 10, test: task.test });
      const acc = h.map((r) => r.testAccuracy as number);
      console.log(`synthetic task, ALIF: test accuracy per epoch ${acc.join(', ')}`);
      expect(acc[0]).toBeLessThan(0.3); // it had to learn
      expect(Math.max(...acc.slice(-3))).toBeGreaterThanOrEqual(0.6);
    } finally {
      tr.dispose();
    }
  });

  test('same seed ⇒ identical trajectory on 0, 1 and 2 workers', async () => {
    const sub = { ...task.train, n: 48, x: task.train.x.subarray(0, 48 * 100), labels: task.train.labels.subarray(0, 48) };
    const run = async (workers: number) => {
      const tr = new BrfTrainer(net, 100, { seed: 5, batchSize: 24, shardSize: 4, workers, workerUrl });
      const losses: number[] = [];
      try {
        await tr.train(sub, { epochs: 2, onProgress: (p) => p.phase === 'batch' && losses.push(p.loss) });
        return fingerprint(tr.params, losses);
      } finally {
        tr.dispose();
      }
    };
    const f0 = await run(0);
    expect(await run(1)).toBe(f0);
    expect(await run(2)).toBe(f0);
  });

  test('abort at a batch boundary, checkpoint to JSON, restore: continues identically', async () => {
    const sub = { ...task.train, n: 64, x: task.train.x.subarray(0, 64 * 100), labels: task.train.labels.subarray(0, 64) };
    const ref = new BrfTrainer(net, 100, { seed: 9, batchSize: 16, scheduleEpochs: 4 });
    await ref.train(sub, { epochs: 2 });
    const fRef = fingerprint(ref.params);
    ref.dispose();

    const a = new BrfTrainer(net, 100, { seed: 9, batchSize: 16, scheduleEpochs: 4 });
    const ac = new AbortController();
    const p = a.train(sub, {
      epochs: 2,
      signal: ac.signal,
      onProgress: (r) => {
        if (r.phase === 'batch' && r.epoch === 1 && r.batch === 1) ac.abort();
      },
    });
    await expect(p).rejects.toBeInstanceOf(AbortedError);
    expect([a.epoch, a.batch]).toEqual([1, 2]);
    const json = JSON.stringify(a.toJSON());
    a.dispose();
    const b = BrfTrainer.fromJSON(JSON.parse(json));
    await b.train(sub, { epochs: 2 });
    expect(fingerprint(b.params)).toBe(fRef);
    expect(b.history.length).toBe(2);
    b.dispose();
  });

  test('bad input names the argument; no kernel memory leaks', async () => {
    const before = kernelMemory();
    for (let i = 0; i < 5; i++) new BrfTrainer(net, 100).dispose();
    expect(kernelMemory().bytes).toBe(before.bytes);
    expect(() => new BrfTrainer({ ...net, hiddenSize: 0 }, 100)).toThrow(/hiddenSize/);
    expect(() => new BrfTrainer({ ...net, omegaInit: [10, 120] }, 100)).toThrow(/omegaInit/);
    expect(() => new BrfTrainer(net, 100, { lr: -1 })).toThrow(/lr/);
    expect(() => new BrfTrainer({ ...net, surrogate: { kind: 'dgauss', sigma: 0 } }, 100)).toThrow(/surrogate.sigma/);
    const tr = new BrfTrainer(net, 50);
    await expect(tr.train(task.train, { epochs: 1 })).rejects.toThrow(/data.T/);
    await expect(tr.evaluate({ ...task.test, T: 50 })).rejects.toThrow(ValidationError);
    tr.dispose();
    expect(() => BrfTrainer.fromJSON({} as never)).toThrow(/checkpoint/);
    expect(() => smnistDataset([[1]])).toThrow(/digits/);
    expect(() => frequencyTask({ band: [5, 2] })).toThrow(/band/);
  });

  test('training clamps BRF ω to the divergence boundary', async () => {
    const tr = new BrfTrainer({ ...net, omegaInit: [99.99, 99.9999] }, 100, { seed: 2, batchSize: 32, lr: 0.5 });
    try {
      await tr.train(task.train, { epochs: 1 });
      const H = 32;
      const w = tr.params.subarray(H * (1 + H), H * (1 + H) + H);
      for (const x of w) expect(Math.abs(x) * 0.01).toBeLessThan(1);
      expect(tr.params.every(Number.isFinite)).toBe(true);
    } finally {
      tr.dispose();
    }
  });
});

describe('divergence is an error, never a silent NaN', () => {
  test('a vanilla RF network far above the boundary raises NumericalError naming the step', () => {
    const { train } = frequencyTask({ seed: 1, trainSize: 2, T: 300, classes: 2 });
    const opts: BrfNetworkOptions = {
      model: 'rf',
      inputSize: 1,
      hiddenSize: 4,
      outputSize: 2,
      omegaInit: [3000, 4000],
      bOffsetInit: [0, 0.01],
    };
    const r = new BrfShardRunner(opts, 300, 2);
    try {
      expect(() => r.run(initBrfParams(opts, 1), train.x, train.labels, false)).toThrow(NumericalError);
      expect(() => r.run(initBrfParams(opts, 1), train.x, train.labels, false)).toThrow(/non-finite at step \d+/);
    } finally {
      r.dispose();
    }
  });
});
