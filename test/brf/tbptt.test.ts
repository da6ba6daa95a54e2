import { existsSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import {
  type BrfModelKind,
  type BrfNetworkOptions,
  BrfShardRunner,
  BrfTrainer,
  brfStateSize,
  fingerprint,
  frequencyTask,
  initBrfParams,
  kernelMemory,
  ValidationError,
} from '../../src/index.js';

const workerUrl = new URL('../../dist/worker.js', import.meta.url);
if (!existsSync(workerUrl)) throw new Error('dist/worker.js is missing: run `npm run build` first');

const task = frequencyTask({ seed: 3, trainSize: 48, testSize: 16, classes: 3, noise: 0.3 });
const models: BrfModelKind[] = ['brf', 'rf', 'alif'];

describe('TBPTT with chunk = T is full BPTT', () => {
  // Same loss (the chunk's loss is the whole sequence's loss), same recompute interval ⌈√T⌉:
  // the kernel performs the same arithmetic, so the trajectories must agree bit for bit.
  for (const model of models) {
    for (const loss of ['last', 'sequence'] as const) {
      test(`${model}, loss ${loss}: same weights and history after an epoch`, async () => {
        const network: BrfNetworkOptions = { model, inputSize: 1, hiddenSize: 12, outputSize: 3, loss, lossStartStep: 50 };
        const run = async (tbptt: boolean) => {
          const tr = new BrfTrainer({ network, steps: 100, seed: 4, batchSize: 16, ...(tbptt ? { tbpttSteps: 100 } : {}) });
          const norms: number[] = [];
          try {
            const h = await tr.train(task.train, { epochs: 1, onProgress: (p) => norms.push(p.metrics?.gradNorm ?? -1) });
            return {
              f: fingerprint(tr.params, norms, [h.loss[0], h.accuracy[0], h.spikesPerSample[0]]),
              step: tr.step,
              p: tr.params.slice(),
            };
          } finally {
            tr.dispose();
          }
        };
        const full = await run(false);
        const tb = await run(true);
        expect(tb.step).toBe(3);
        expect(tb.f).toBe(full.f);
        // and training moved the weights (the comparison is not between two initial states)
        expect(full.p).not.toEqual(initBrfParams(network, { seed: 4 }));
      });
    }
  }
});

// The chunk's BPTT gradient with its initial state held fixed vs a 4th-order central finite
// difference of the chunk's loss (smooth stand-in spike z = gain·s/(1+β|s|), as gradcheck.test.ts).
function chunkCheck(model: BrfModelKind, loss: 'last' | 'sequence', reduction: 'sum' | 'mean') {
  const network: BrfNetworkOptions = {
    model,
    inputSize: 2,
    hiddenSize: 5,
    outputSize: 3,
    surrogate: { kind: 'sigmoid', gain: 1, beta: 2 },
    loss,
    lossStartStep: 40, // the second chunk covers steps 31…60: loss on its local steps 10…30
    lossReduction: reduction,
    tauMemInit: { mean: 50, sd: 10 },
    tauAdaptInit: { mean: 200, sd: 50 },
    tauOutInit: { mean: 50, sd: 10 },
  };
  const K = 30;
  const S = 2;
  const r = new BrfShardRunner({ network, steps: K, shardSize: S, checkpointSteps: 7 });
  try {
    const p = initBrfParams(network, { seed: 7 });
    for (let i = 0; i < r.layout.p1; i++) p[i] *= 20;
    const xAll = new Float64Array(S * 2 * K * 2);
    for (let i = 0; i < xAll.length; i++) xAll[i] = Math.sin(0.37 * i) * 2 + Math.cos(1.3 * i);
    const part = (c: number) => {
      const x = new Float64Array(S * K * 2);
      for (let s = 0; s < S; s++) x.set(xAll.subarray(s * 2 * K * 2 + c * K * 2, s * 2 * K * 2 + (c + 1) * K * 2), s * K * 2);
      return x;
    };
    const labels = Int32Array.from([1, 2]);
    // initial state of the second chunk: the end of the first (a generic non-zero state)
    const s0 = r.run(p, part(0), labels, { smooth: true, finalState: true }).state as Float64Array;
    const x1 = part(1);
    const chunk = { smooth: true, offset: K, initialState: s0 };
    const g = r.run(p, x1, labels, { ...chunk, backward: true }).grad as Float64Array;
    const gZero = r.run(p, x1, labels, { smooth: true, backward: true, offset: K }).grad as Float64Array;
    const L = (q: Float64Array) => r.run(q, x1, labels, chunk).loss.reduce((a, b) => a + b, 0);
    let num = 0;
    let den = 0;
    let dz = 0;
    for (let k = 0; k < p.length; k++) {
      const h = 1e-5 * Math.max(1, Math.abs(p[k]));
      const at = (d: number) => {
        const q = p.slice();
        q[k] += d;
        return L(q);
      };
      const fd = (8 * (at(h) - at(-h)) - (at(2 * h) - at(-2 * h))) / (12 * h);
      num += (g[k] - fd) ** 2;
      den += fd * fd;
      dz += (g[k] - gZero[k]) ** 2;
    }
    return { rel: Math.sqrt(num / den), stateEffect: Math.sqrt(dz / den) };
  } finally {
    r.dispose();
  }
}

describe('TBPTT chunk gradient vs finite differences (initial state fixed)', () => {
  for (const model of models) {
    for (const [loss, red] of [
      ['last', 'sum'],
      ['sequence', 'sum'],
      ['sequence', 'mean'],
    ] as const) {
      test(`${model}, loss ${loss}/${red}`, () => {
        const { rel, stateEffect } = chunkCheck(model, loss, red);
        console.log(
          `tbptt gradcheck ${model} ${loss}/${red}: rel ${rel.toExponential(2)}, initial-state effect ${stateEffect.toExponential(2)}`,
        );
        expect(rel).toBeLessThan(1e-6);
        // the initial state matters: starting from zero gives a clearly different gradient
        expect(stateEffect).toBeGreaterThan(1e-3);
      });
    }
  }
});

describe('the carried state is the uninterrupted trajectory (forward is not truncated)', () => {
  for (const model of models) {
    test(`${model}: chunks of 25, 25, 10 steps = one run of 60 steps`, () => {
      const T = 60;
      const S = 3;
      const network: BrfNetworkOptions = { model, inputSize: 1, hiddenSize: 16, outputSize: 3, loss: 'sequence', lossStartStep: 20 };
      const { train } = frequencyTask({ seed: 8, trainSize: S, steps: T, classes: 3 });
      const p = initBrfParams(network, { seed: 3 });
      for (let i = 0; i < 16 * 17; i++) p[i] *= 100; // make the network spike
      const full = new BrfShardRunner({ network, steps: T, shardSize: S, checkpointSteps: 0 }); // stores every step
      const part = new BrfShardRunner({ network, steps: 25, shardSize: S, checkpointSteps: 5 }); // recomputes from checkpoints
      try {
        const ref = full.run(p, train.x, train.labels, { backward: true, finalState: true });
        let state: Float64Array | undefined;
        let loss = 0;
        let spikes = 0;
        let res = ref;
        for (const [offset, steps] of [
          [0, 25],
          [25, 25],
          [50, 10],
        ]) {
          const x = new Float64Array(S * steps);
          for (let s = 0; s < S; s++) x.set(train.x.subarray(s * T + offset, s * T + offset + steps), s * steps);
          res = part.run(p, x, train.labels, { backward: true, offset, initialState: state, finalState: true });
          state = res.state as Float64Array;
          loss += res.loss.reduce((a, b) => a + b, 0);
          spikes += res.spikes.reduce((a, b) => a + b, 0);
        }
        expect(spikes).toBeGreaterThan(10 * S);
        expect(spikes).toBe(ref.spikes.reduce((a, b) => a + b, 0));
        expect(state?.length).toBe(S * brfStateSize({ hiddenSize: 16, outputSize: 3 }));
        // neuron state, readout and prediction accumulator bit for bit
        expect(fingerprint(state as Float64Array)).toBe(fingerprint(ref.state as Float64Array));
        expect(Array.from(res.prediction)).toEqual(Array.from(ref.prediction));
        // the summed loss only differs by the order of the additions
        const lref = ref.loss.reduce((a, b) => a + b, 0);
        expect(Math.abs(loss - lref) / lref).toBeLessThan(1e-13);
      } finally {
        full.dispose();
        part.dispose();
      }
    });
  }
});

describe('TBPTT training', () => {
  test('0, 1 and 2 workers give identical trajectories (chunks 30, 30, 30, 10; loss from step 50)', async () => {
    const network: BrfNetworkOptions = { model: 'alif', inputSize: 1, hiddenSize: 12, outputSize: 3, loss: 'sequence', lossStartStep: 50 };
    const run = async (workers: number) => {
      const tr = new BrfTrainer({ network, steps: 100, seed: 5, batchSize: 24, shardSize: 4, workers, workerUrl, tbpttSteps: 30 });
      const losses: number[] = [];
      try {
        await tr.train(task.train, { epochs: 2, test: task.test, onProgress: (p) => losses.push(p.metrics?.loss as number) });
        // the first chunk (steps 1…30) has no loss step: 3 optimiser steps per batch, 2 batches, 2 epochs
        expect(tr.step).toBe(12);
        expect(tr.toJSON().options.tbpttSteps).toBe(30);
        return fingerprint(tr.params, losses, [tr.history.testAccuracy[1]]);
      } finally {
        tr.dispose();
      }
    };
    const f0 = await run(0);
    expect(await run(1)).toBe(f0);
    expect(await run(2)).toBe(f0);
  });

  test('abort at a batch boundary, JSON checkpoint, restore: TBPTT continues identically', async () => {
    const network: BrfNetworkOptions = { model: 'brf', inputSize: 1, hiddenSize: 12, outputSize: 3, loss: 'last' };
    const train = { network, steps: 100, seed: 6, batchSize: 16, tbpttSteps: 40 };
    const ref = new BrfTrainer(train);
    await ref.train(task.train, { epochs: 2 });
    const fRef = fingerprint(ref.params);
    ref.dispose();
    const a = new BrfTrainer(train);
    const ac = new AbortController();
    const run = a.train(task.train, {
      epochs: 2,
      signal: ac.signal,
      onProgress: (p) => p.metrics?.epoch === 1 && p.metrics?.batch === 0 && ac.abort(),
    });
    await expect(run).rejects.toThrow(/aborted/);
    const b = BrfTrainer.fromJSON(JSON.parse(JSON.stringify(a.toJSON())));
    a.dispose();
    expect(b.tbpttSteps).toBe(40);
    await b.train(task.train, { epochs: 2 });
    expect(fingerprint(b.params)).toBe(fRef);
    // chunks 40, 40, 20 with the label at every chunk end: 3 Adam steps per batch
    expect(b.step).toBe(2 * 3 * 3);
    b.dispose();
  });

  test('bad input names the argument and says why', () => {
    const network: BrfNetworkOptions = { inputSize: 1, hiddenSize: 4, outputSize: 3, loss: 'sequence' };
    const before = kernelMemory();
    for (let i = 0; i < 3; i++) new BrfTrainer({ network, steps: 100, tbpttSteps: 10 }).dispose();
    expect(kernelMemory().bytes).toBe(before.bytes);
    for (const chunk of [0, 101, 2.5, Number.NaN, -3, '10' as unknown as number])
      expect(() => new BrfTrainer({ network, steps: 100, tbpttSteps: chunk })).toThrow(/tbpttSteps/);
    expect(() => new BrfTrainer({ network, steps: 100, tbptt: { chunk: 10 } } as never)).toThrow(
      /unknown option 'tbptt'.*did you mean 'tbpttSteps'/,
    );
    // a 'sequence' loss starting after the last step leaves every chunk without a loss
    expect(() => new BrfTrainer({ network: { ...network, lossStartStep: 101 }, steps: 100, tbpttSteps: 10 })).toThrow(
      /lossStartStep.*no step would carry a loss/,
    );
    expect(() => new BrfTrainer({ network, steps: 100, tbpttSteps: 10, checkpointSteps: 20 })).toThrow(
      /checkpointSteps.*at most tbpttSteps = 10/,
    );
    expect(() => new BrfTrainer({ network, steps: 100, tbpttSteps: 10, checkpointSteps: 10 }).dispose()).not.toThrow();
    expect(kernelMemory().bytes).toBe(before.bytes);
    const r = new BrfShardRunner({ network, steps: 10, shardSize: 2 });
    try {
      const p = initBrfParams(network, { seed: 1 });
      const lab = Int32Array.from([0, 1]);
      expect(() => r.run(p, new Float64Array(24), lab)).toThrow(/x\.length.*at most S·steps·inputSize = 20/);
      expect(() => r.run(p, new Float64Array(10), lab, { offset: -1 })).toThrow(/offset/);
      expect(() => r.run(p, new Float64Array(20), lab, { initialState: new Float64Array(3) })).toThrow(/initialState/);
      const bad = new Float64Array(2 * brfStateSize({ hiddenSize: 4, outputSize: 3 }));
      bad[5] = Number.NaN;
      expect(() => r.run(p, new Float64Array(20), lab, { initialState: bad })).toThrow(ValidationError);
      expect(() => r.run(p, new Float64Array(9), lab)).toThrow(/x\.length/);
      expect(() => r.run(p, new Float64Array(20), lab, { steps: 5 } as never)).toThrow(/unknown option 'steps' for BrfShardRunner.run/);
    } finally {
      r.dispose();
    }
  });
});
