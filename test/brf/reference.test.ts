import { describe, expect, test } from 'vitest';
import {
  type BrfNetworkOptions,
  BrfShardRunner,
  brfShardReference,
  fingerprint,
  frequencyTask,
  initBrfParams,
  kernelMemory,
} from '../../src/index.js';

// The WASM kernel and the plain-TS reference implement the same equations independently
// (different summation order in the dot products), so they agree to rounding.
describe('WASM kernel vs plain-TS reference', () => {
  for (const model of ['brf', 'rf', 'alif'] as const) {
    test(model, () => {
      const { train } = frequencyTask({ seed: 2, trainSize: 4, steps: 60, classes: 3 });
      const network: BrfNetworkOptions = { model, inputSize: 1, hiddenSize: 12, outputSize: 3, loss: 'sequence', lossStartStep: 30 };
      const p = initBrfParams(network, { seed: 4 });
      for (let i = 0; i < 12 * 13; i++) p[i] *= 40; // make it spike
      const r = new BrfShardRunner({ network, steps: 60, shardSize: 4 });
      const a = r.run(p, train.x, train.labels, { backward: true });
      r.dispose();
      const b = brfShardReference(p, train.x, train.labels, { network, backward: true });
      expect(Array.from(a.spikes)).toEqual(Array.from(b.spikes));
      expect(a.spikes.reduce((x, y) => x + y)).toBeGreaterThan(10);
      for (let s = 0; s < 4; s++) expect(a.loss[s]).toBeCloseTo(b.loss[s], 12);
      const ga = a.grad as Float64Array;
      const gb = b.grad as Float64Array;
      let num = 0;
      let den = 0;
      for (let i = 0; i < ga.length; i++) {
        num += (ga[i] - gb[i]) ** 2;
        den += gb[i] ** 2;
      }
      expect(Math.sqrt(num / den)).toBeLessThan(1e-12);
    });
  }
});

// Truncated BPTT: the second chunk of a 2 × 40-step sequence, started from the first chunk's
// final state (a generic non-zero state), with the loss window crossing the cut. The reference
// fills its t = 0 slots from the state, so its BPTT treats it as a constant independently of the
// kernel's init/fin copies; both must agree to rounding, and chaining the reference's own chunks
// must reproduce its uninterrupted 80-step run bit for bit.
describe('TBPTT chunk: WASM kernel vs plain-TS reference', () => {
  for (const model of ['brf', 'rf', 'alif'] as const) {
    for (const loss of ['last', 'sequence'] as const) {
      test(`${model}, ${loss} loss`, () => {
        const K = 40;
        const S = 3;
        const { train } = frequencyTask({ seed: 5, trainSize: S, steps: 2 * K, classes: 3 });
        const network: BrfNetworkOptions = { model, inputSize: 1, hiddenSize: 10, outputSize: 3, loss, lossStartStep: 30 };
        const p = initBrfParams(network, { seed: 6 });
        for (let i = 0; i < 10 * 11; i++) p[i] *= 40; // make it spike
        const part = (c: number) => {
          const x = new Float64Array(S * K);
          for (let s = 0; s < S; s++) x.set(train.x.subarray(s * 2 * K + c * K, s * 2 * K + (c + 1) * K), s * K);
          return x;
        };
        const r = new BrfShardRunner({ network, steps: K, shardSize: S });
        const a0 = r.run(p, part(0), train.labels, { finalState: true });
        const b0 = brfShardReference(p, part(0), train.labels, { network, finalState: true });
        const chunk = (st: Float64Array) => ({ backward: true, offset: K, initialState: st, finalState: true });
        const a = r.run(p, part(1), train.labels, chunk(a0.state as Float64Array));
        r.dispose();
        const b = brfShardReference(p, part(1), train.labels, { network, ...chunk(b0.state as Float64Array) });
        expect(a.spikes.reduce((x, y) => x + y)).toBeGreaterThan(10);
        expect(Array.from(a.spikes)).toEqual(Array.from(b.spikes));
        expect(Array.from(a.prediction)).toEqual(Array.from(b.prediction));
        for (let s = 0; s < S; s++) expect(Math.abs(a.loss[s] - b.loss[s])).toBeLessThan(1e-12 * Math.max(1, b.loss[s]));
        const rel = (u: Float64Array, v: Float64Array) => {
          let num = 0;
          let den = 0;
          for (let i = 0; i < u.length; i++) {
            num += (u[i] - v[i]) ** 2;
            den += v[i] ** 2;
          }
          return Math.sqrt(num / den);
        };
        expect(rel(a.grad as Float64Array, b.grad as Float64Array)).toBeLessThan(1e-12);
        expect(rel(a.state as Float64Array, b.state as Float64Array)).toBeLessThan(1e-12);
        // The reference's chunks chain exactly: the uninterrupted run ends in the same state.
        const whole = brfShardReference(p, train.x, train.labels, { network, finalState: true });
        expect(Array.from(whole.state as Float64Array)).toEqual(Array.from(b.state as Float64Array));
      });
    }
  }
});

describe('plain-TS reference: bad chunk input', () => {
  test('wrong state length, non-finite state, a bad x length and a negative offset name the argument', () => {
    const network: BrfNetworkOptions = { model: 'brf', inputSize: 1, hiddenSize: 4, outputSize: 2 };
    const p = initBrfParams(network, { seed: 1 });
    const x = new Float64Array(2 * 5);
    const labels = Int32Array.from([0, 1]);
    const run =
      (o: object, xx = x) =>
      () =>
        brfShardReference(p, xx, labels, { network, ...o });
    expect(run({ initialState: new Float64Array(7) })).toThrow(/initialState.*S·\(4H \+ 2C\) = 40 values.*got 7/);
    const bad = new Float64Array(40);
    bad[3] = Number.NaN;
    expect(run({ initialState: bad })).toThrow(/initialState\[3\].*finite.*got NaN/);
    expect(run({}, new Float64Array(9))).toThrow(/x\.length.*multiple of S·inputSize = 2/);
    expect(run({ offset: -1 })).toThrow(/offset/);
    expect(run({ chunk: {} })).toThrow(/unknown option 'chunk' for brfShardReference/);
  });
});

describe('BPTT memory: store vs recompute from checkpoints', () => {
  for (const model of ['brf', 'rf', 'alif'] as const) {
    test(`${model}: gradients bit-identical for K = 0, 1, 7, 10, 60; workspace shrinks`, () => {
      const { train } = frequencyTask({ seed: 2, trainSize: 5, steps: 60, classes: 3 });
      const network: BrfNetworkOptions = { model, inputSize: 1, hiddenSize: 12, outputSize: 3, loss: 'sequence', lossStartStep: 30 };
      const p = initBrfParams(network, { seed: 4 });
      for (let i = 0; i < 12 * 13; i++) p[i] *= 40;
      const fp: string[] = [];
      const bytes: number[] = [];
      for (const K of [0, 1, 7, 10, 60]) {
        const r = new BrfShardRunner({ network, steps: 60, shardSize: 5, checkpointSteps: K });
        const before = kernelMemory().bytes;
        const o = r.run(p, train.x, train.labels, { backward: true });
        fp.push(fingerprint(o.loss, o.spikes, o.grad as Float64Array));
        bytes.push(kernelMemory().byLabel['brf.workspace']);
        expect(kernelMemory().bytes).toBe(before);
        r.dispose();
      }
      expect(new Set(fp).size).toBe(1);
      // K = 7 ≈ √60: 9 checkpoints + 8 segment blocks instead of 61 blocks
      expect(bytes[2]).toBeLessThan(bytes[0] / 2);
    });
  }
});

// runAsync cuts the same computation into kernel calls of a few steps each (phases: begin,
// forward slices, forward end, backward slices, backward end); the arithmetic must not depend on
// where the cuts fall, in f64 and in f32.
describe('a shard run in slices (runAsync) equals one run, bit for bit', () => {
  for (const precision of ['f64', 'f32'] as const) {
    for (const model of ['brf', 'alif'] as const) {
      test(`${model}, ${precision}: sliceMs 0.1 (slices of a step or two) vs run()`, async () => {
        const { train } = frequencyTask({ seed: 2, trainSize: 3, steps: 60, classes: 3 });
        const network: BrfNetworkOptions = { model, inputSize: 1, hiddenSize: 12, outputSize: 3, loss: 'sequence', lossStartStep: 30 };
        const p = initBrfParams(network, { seed: 4 });
        for (let i = 0; i < 12 * 13; i++) p[i] *= 40;
        for (const K of [0, 7]) {
          const r = new BrfShardRunner({ network, steps: 60, shardSize: 3, checkpointSteps: K, precision });
          try {
            const a = r.run(p, train.x, train.labels, { backward: true, finalState: true });
            const reports: number[] = [];
            const b = await r.runAsync(p, train.x, train.labels, {
              backward: true,
              finalState: true,
              sliceMs: 0.1,
              onProgress: (q) => reports.push(q.done),
            });
            expect(a.spikes.reduce((u, v) => u + v)).toBeGreaterThan(10);
            expect(fingerprint(b.loss, b.spikes, b.grad as Float64Array, b.state as Float64Array)).toBe(
              fingerprint(a.loss, a.spikes, a.grad as Float64Array, a.state as Float64Array),
            );
            // it was really sliced: several progress reports, ending at 2T steps (forward + backward)
            expect(reports.length).toBeGreaterThanOrEqual(10);
            expect(reports[reports.length - 1]).toBe(120);
          } finally {
            r.dispose();
          }
        }
      });
    }
  }
});
