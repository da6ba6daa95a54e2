import { existsSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import {
  AbortedError,
  type BrfNetworkOptions,
  BrfShardRunner,
  BrfTrainer,
  DisposedError,
  fingerprint,
  frequencyTask,
  initBrfParams,
  kernelMemory,
  NeurodynError,
  NumericalError,
  type Progress,
  smnistDataset,
  ValidationError,
} from '../../src/index.js';

const workerUrl = new URL('../../dist/worker.js', import.meta.url);
if (!existsSync(workerUrl)) throw new Error('dist/worker.js is missing: run `npm run build` first');

const task = frequencyTask({ seed: 3, trainSize: 320, testSize: 400, classes: 5, noise: 0.3 });
const network: BrfNetworkOptions = { inputSize: 1, hiddenSize: 32, outputSize: 5, loss: 'sequence', lossStartStep: 50 };
const sub = (n: number) => ({ ...task.train, n, x: task.train.x.subarray(0, n * 100), labels: task.train.labels.subarray(0, n) });

describe('BRF-RSNN training', () => {
  test('reaches ≥ 95% test accuracy on the synthetic frequency task', async () => {
    const tr = new BrfTrainer({ network, steps: task.train.steps, seed: 1, batchSize: 16 });
    try {
      const h = await tr.train(task.train, { epochs: 4, test: task.test });
      console.log(`synthetic task: test accuracy per epoch ${Array.from(h.testAccuracy).join(', ')}`);
      expect(h.accuracy[0]).toBeLessThan(0.9); // it had to learn
      expect(h.testAccuracy[h.length - 1]).toBeGreaterThanOrEqual(0.95);
      // the history is a table with units, and survives JSON
      expect(h.column('loss').unit).toBe('nats');
      expect(h.column('wallMs').unit).toBe('ms');
      const j = JSON.parse(JSON.stringify(h));
      expect(j.kind).toBe('brf.history');
      expect(j.columns.testAccuracy).toEqual(Array.from(h.testAccuracy));
      const ev = await tr.evaluate(task.test);
      expect(ev.accuracy).toBe(h.testAccuracy[h.length - 1]);
      expect(JSON.parse(JSON.stringify(ev)).predictions.length).toBe(400);
    } finally {
      tr.dispose();
    }
  });

  test('an ALIF-RSNN learns the synthetic frequency task (well above the 20 % chance level)', async () => {
    // Same task, hidden size and batch as the BRF test, default set-up (lr 0.1). At the former
    // ALIF default lr 0.01 it stays at 20 % (chance) for 10 epochs (docs/brf.md, "ALIF set-up").
    const tr = new BrfTrainer({ network: { ...network, model: 'alif' }, steps: task.train.steps, seed: 1, batchSize: 16 });
    try {
      const h = await tr.train(task.train, { epochs: 10, test: task.test });
      const acc = Array.from(h.testAccuracy);
      console.log(`synthetic task, ALIF: test accuracy per epoch ${acc.join(', ')}`);
      expect(acc[0]).toBeLessThan(0.3); // it had to learn
      expect(Math.max(...acc.slice(-3))).toBeGreaterThanOrEqual(0.6);
    } finally {
      tr.dispose();
    }
  });

  // Data parallelism: a batch's shards are fixed by shardSize and their gradients are summed in
  // shard order in f64, so the trajectory cannot depend on where the shards ran.
  for (const precision of ['f64', 'f32'] as const) {
    test(`same seed ⇒ identical trajectory on 0, 1, 2 and 3 workers (${precision})`, async () => {
      const run = async (workers: number) => {
        const tr = new BrfTrainer({ network, steps: 100, seed: 5, batchSize: 24, shardSize: 4, workers, workerUrl, precision });
        const losses: number[] = [];
        try {
          const h = await tr.train(sub(48), { epochs: 2, test: sub(16), onProgress: (p) => losses.push(p.metrics?.loss as number) });
          return fingerprint(tr.params, losses, h.testLoss);
        } finally {
          tr.dispose();
        }
      };
      const f0 = await run(0);
      for (const w of [1, 2, 3]) expect(await run(w)).toBe(f0);
      // and the precision is really applied
      if (precision === 'f32') {
        const tr = new BrfTrainer({ network, steps: 100, seed: 5, batchSize: 24, shardSize: 4 });
        const losses: number[] = [];
        const h = await tr.train(sub(48), { epochs: 2, test: sub(16), onProgress: (p) => losses.push(p.metrics?.loss as number) });
        expect(fingerprint(tr.params, losses, h.testLoss)).not.toBe(f0);
        tr.dispose();
      }
    });
  }

  test('progress: one Progress per batch with unit batch, this call’s done/total and running figures', async () => {
    const tr = new BrfTrainer({ network, steps: 100, seed: 5, batchSize: 16 });
    try {
      const reports: Progress[] = [];
      const epochs: number[] = [];
      await tr.train(sub(48), { epochs: 2, onProgress: (p) => reports.push(p), onEpoch: (r) => epochs.push(r.epoch) });
      expect(reports.map((r) => r.done)).toEqual([1, 2, 3, 4, 5, 6]);
      expect(reports.every((r) => r.unit === 'batch' && r.total === 6 && r.elapsedMs >= 0)).toBe(true);
      expect(reports[5].fraction).toBe(1);
      const m = reports[2].metrics as Record<string, number>;
      expect([m.epoch, m.batch]).toEqual([0, 2]);
      // the running figures of the epoch are the mean over its batches so far
      const batchLoss = reports.slice(0, 3).map((r) => r.metrics?.loss as number);
      expect(m.runningLoss).toBeCloseTo((batchLoss[0] + batchLoss[1] + batchLoss[2]) / 3, 14);
      expect(tr.history.loss[0]).toBe(m.runningLoss);
      expect(m.lr).toBe(0.1);
      expect(m.gradNorm).toBeGreaterThan(0);
      expect(epochs).toEqual([0, 1]);
      // a second call counts its own work: one more epoch = 3 batches
      const more: Progress[] = [];
      await tr.train(sub(48), { epochs: 3, onProgress: (p) => more.push(p) });
      expect(more.map((r) => [r.done, r.total])).toEqual([
        [1, 3],
        [2, 3],
        [3, 3],
      ]);
    } finally {
      tr.dispose();
    }
  });

  test('abort at a batch boundary, checkpoint to JSON, restore: continues identically', async () => {
    const data = sub(64);
    const opts = { network, steps: 100, seed: 9, batchSize: 16, scheduleEpochs: 4 };
    const ref = new BrfTrainer(opts);
    await ref.train(data, { epochs: 2 });
    const fRef = fingerprint(ref.params);
    ref.dispose();

    const a = new BrfTrainer(opts);
    const ac = new AbortController();
    const p = a.train(data, {
      epochs: 2,
      signal: ac.signal,
      onProgress: (r) => r.metrics?.epoch === 1 && r.metrics?.batch === 1 && ac.abort(),
    });
    const err = await p.then(
      () => null,
      (e) => e,
    );
    expect(err).toBeInstanceOf(AbortedError);
    expect(((err as AbortedError).partial as { length: number }).length).toBe(1); // the history so far
    expect([a.epoch, a.batch]).toEqual([1, 2]);
    const json = JSON.stringify(a.toJSON());
    a.dispose();
    const b = BrfTrainer.fromJSON(JSON.parse(json));
    await b.train(data, { epochs: 2 });
    expect(fingerprint(b.params)).toBe(fRef);
    expect(b.history.length).toBe(2);
    b.dispose();
  });

  // A timer's abort while the kernel runs in this thread (workers: 0): the kernel runs in calls
  // of about sliceMs / 2 and the trainer yields every sliceMs (10 ms), so the abort is seen at the
  // next yield. The timer starts after the first batch and fires 10 ms later, inside the second
  // (a batch of 32 × 200 steps at H = 128 takes tens of ms or more).
  for (const tbptt of [false, true]) {
    test(`a timer-fired abort with 0 workers stops train within 50 ms, mid-batch; resuming is bit-identical${tbptt ? ' (TBPTT: the cut batch is rolled back)' : ''}`, {
      retry: 2,
    }, async () => {
      const data = frequencyTask({ seed: 4, trainSize: 128, steps: 200, classes: 3 }).train;
      const opts = {
        network: { ...network, hiddenSize: 128, outputSize: 3, lossStartStep: 1 },
        steps: 200,
        seed: 2,
        batchSize: 32,
        ...(tbptt ? { tbpttSteps: 50 } : {}),
      };
      const ref = new BrfTrainer(opts);
      await ref.train(data, { epochs: 1 });
      const fRef = fingerprint(ref.params);
      ref.dispose();
      const a = new BrfTrainer(opts);
      const ac = new AbortController();
      let fired = 0;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const err = await a
        .train(data, {
          epochs: 1,
          signal: ac.signal,
          onProgress: (p) => {
            if (p.done === 1)
              timer = setTimeout(() => {
                fired = performance.now();
                ac.abort();
              }, 10);
          },
        })
        .then(
          () => null,
          (e) => e,
        );
      const latency = performance.now() - fired;
      clearTimeout(timer);
      console.log(`abort latency ${latency.toFixed(1)} ms (${tbptt ? 'TBPTT' : 'BPTT'}), stopped at batch ${a.batch}`);
      expect(err).toBeInstanceOf(AbortedError);
      expect(fired).toBeGreaterThan(0);
      expect(latency).toBeLessThan(50);
      expect(a.batch).toBeLessThan(4);
      // at a batch boundary: one Adam step per completed batch (TBPTT: one per 50-step chunk)
      expect(a.step).toBe((tbptt ? 4 : 1) * a.batch);
      const b = BrfTrainer.fromJSON(JSON.parse(JSON.stringify(a.toJSON())));
      a.dispose();
      await b.train(data, { epochs: 1 });
      expect(fingerprint(b.params)).toBe(fRef);
      b.dispose();
    });
  }

  test('dispose() from onProgress ends train with DisposedError and frees everything (0 and 1 workers)', async () => {
    const before = kernelMemory();
    for (const workers of [0, 1]) {
      const tr = new BrfTrainer({ network, steps: 100, seed: 1, batchSize: 16, workers, workerUrl });
      const p = tr.train(sub(64), { epochs: 2, onProgress: (r) => r.done === 2 && tr.dispose() });
      await expect(p).rejects.toBeInstanceOf(DisposedError);
      expect(tr.disposed).toBe(true);
      expect(kernelMemory().regions).toBe(before.regions);
    }
    // and a disposal while a worker computes a shard (no callback involved)
    const tr = new BrfTrainer({ network, steps: 100, seed: 1, batchSize: 64, workers: 1, workerUrl });
    const p = tr.train(sub(64), { epochs: 1 });
    setTimeout(() => tr.dispose(), 30);
    await expect(p).rejects.toBeInstanceOf(DisposedError);
    expect(kernelMemory().bytes).toBe(before.bytes);
  });

  test('one call at a time: evaluate during train is a NeurodynError, not a corrupted workspace', async () => {
    const tr = new BrfTrainer({ network, steps: 100, seed: 1, batchSize: 16 });
    try {
      const p = tr.train(sub(64), { epochs: 1 });
      await expect(tr.evaluate(sub(16))).rejects.toThrow(/train is in progress/);
      await p;
      expect((await tr.evaluate(sub(16))).n).toBe(16);
    } finally {
      tr.dispose();
    }
  });

  test('strict options: unknown names get a suggestion (also for renamed options), wrong types a ValidationError', () => {
    const msg = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(ValidationError);
        return (e as Error).message;
      }
      return 'no error';
    };
    expect(msg(() => new BrfTrainer({ network, steps: 100, batchsize: 8 } as never))).toBe(
      "unknown option 'batchsize' for BrfTrainer; did you mean 'batchSize'?",
    );
    expect(msg(() => new BrfTrainer({ network: { ...network, thetaC: 1 } as never, steps: 100 }))).toMatch(
      /unknown option 'thetaC' for the network options; did you mean 'vThreshold'\?/,
    );
    expect(msg(() => new BrfTrainer({ network, T: 100 } as never))).toMatch(/did you mean 'steps'/);
    expect(msg(() => new BrfTrainer({ network: { ...network, tauMemInit: [20, 5] } as never, steps: 100 }))).toMatch(
      /network.tauMemInit: expected \{ mean, sd \} in ms/,
    );
    expect(msg(() => new BrfTrainer({ network: { ...network, surrogate: { kind: 'dgauss', sigam: 1 } } as never, steps: 100 }))).toMatch(
      /unknown option 'sigam'.*did you mean 'sigma'/,
    );
    expect(msg(() => new BrfTrainer({ network, steps: 100, adam: { beta: 0.9 } } as never))).toMatch(/did you mean 'beta1'/);
    expect(msg(() => new BrfTrainer({ network, steps: '100' } as never))).toMatch(/steps: expected an integer/);
    expect(msg(() => new BrfTrainer({ network, steps: 100, precision: 'f16' } as never))).toMatch(/precision/);
    expect(msg(() => new BrfTrainer({ network: { ...network, dt: 0.01 / 0 }, steps: 100 }))).toMatch(/network.dt.*ms/);
    expect(msg(() => new BrfTrainer(undefined as never))).toMatch(/options/);
    expect(msg(() => new BrfTrainer({ network, steps: 100, workers: 1, workerUrl: 5 } as never))).toMatch(/workerUrl/);
    expect(msg(() => new BrfTrainer({ network, steps: 100, workers: '2' } as never))).toMatch(/workers: expected an integer/);
  });

  test('bad input names the argument; no kernel memory leaks, also from failed constructors', async () => {
    const before = kernelMemory();
    for (let i = 0; i < 5; i++) new BrfTrainer({ network, steps: 100 }).dispose();
    expect(kernelMemory().bytes).toBe(before.bytes);
    expect(() => new BrfTrainer({ network: { ...network, hiddenSize: 0 }, steps: 100 })).toThrow(/hiddenSize/);
    expect(() => new BrfTrainer({ network: { ...network, omegaInit: [10, 120] }, steps: 100 })).toThrow(/omegaInit/);
    expect(() => new BrfTrainer({ network, steps: 100, lr: -1 })).toThrow(/lr/);
    expect(() => new BrfTrainer({ network: { ...network, surrogate: { kind: 'dgauss', sigma: 0 } }, steps: 100 })).toThrow(
      /surrogate.sigma/,
    );
    const tr = new BrfTrainer({ network, steps: 50 });
    await expect(tr.train(task.train, { epochs: 1 })).rejects.toThrow(/data.steps/);
    await expect(tr.evaluate({ ...task.test, steps: 50 })).rejects.toThrow(ValidationError);
    await expect(tr.train(task.train, { epochs: 1, epochz: 2 } as never)).rejects.toThrow(/did you mean 'epochs'/);
    tr.dispose();
    expect(() => BrfTrainer.fromJSON({} as never)).toThrow(/checkpoint/);
    // a checkpoint that fails validation allocates nothing (issue 16: 9 regions leaked per call)
    const good = new BrfTrainer({ network, steps: 100 });
    const cp = good.toJSON();
    good.dispose();
    const mem = kernelMemory();
    for (let i = 0; i < 100; i++) {
      expect(() => BrfTrainer.fromJSON({ ...cp, step: -1 })).toThrow(/checkpoint.step/);
      expect(() => BrfTrainer.fromJSON({ ...cp, params: cp.params.slice(1) })).toThrow(/checkpoint.params/);
      expect(() => BrfTrainer.fromJSON({ ...cp, version: 1 } as never)).toThrow(/checkpoint.version/);
    }
    expect(kernelMemory().regions).toBe(mem.regions);
    expect(kernelMemory().bytes).toBe(mem.bytes);
    expect(() => smnistDataset([[1]])).toThrow(/digits/);
    expect(() => frequencyTask({ band: [5, 2] })).toThrow(/band/);
    // sizes and work are checked before anything is generated (issue 16: a raw RangeError before)
    expect(() => frequencyTask({ trainSize: 2 ** 31 })).toThrow(ValidationError);
    expect(() => frequencyTask({ trainSize: 2 ** 31 })).toThrow(/trainSize/);
    expect(() => frequencyTask({ trainSize: 1e6, steps: 100 })).toThrow(/trainSize: expected at most 2\^26 \/ steps = 671088 sequences/);
    expect(() => frequencyTask({ T: 100 } as never)).toThrow(/did you mean 'steps'/);
    // a workspace above 1 GiB is refused up front, naming what to change
    expect(() => new BrfShardRunner({ network: { ...network, hiddenSize: 1024 }, steps: 784, shardSize: 64 })).toThrow(
      /shardSize: expected a shard whose workspace fits in 992 MiB.*checkpointSteps/,
    );
    expect(kernelMemory().bytes).toBe(before.bytes);
  });

  test('training clamps BRF ω to the divergence boundary', async () => {
    const tr = new BrfTrainer({ network: { ...network, omegaInit: [99.99, 99.9999] }, steps: 100, seed: 2, batchSize: 32, lr: 0.5 });
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
  test('a vanilla RF network far above the boundary raises NumericalError naming the step and the time in ms', () => {
    const { train } = frequencyTask({ seed: 1, trainSize: 2, steps: 300, classes: 2 });
    const net: BrfNetworkOptions = {
      model: 'rf',
      inputSize: 1,
      hiddenSize: 4,
      outputSize: 2,
      omegaInit: [3000, 4000],
      bOffsetInit: [0, 0.01],
    };
    for (const precision of ['f64', 'f32'] as const) {
      const r = new BrfShardRunner({ network: net, steps: 300, shardSize: 2, precision });
      try {
        let err: NumericalError | null = null;
        try {
          r.run(initBrfParams(net, { seed: 1 }), train.x, train.labels);
        } catch (e) {
          err = e as NumericalError;
        }
        expect(err).toBeInstanceOf(NumericalError);
        expect((err as NumericalError).message).toMatch(/non-finite at step \d+/);
        expect((err as NumericalError).time).toBe((err as NumericalError).step * 10);
      } finally {
        r.dispose();
      }
    }
    expect(NeurodynError).toBeDefined();
  });
});
