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
      const { train } = frequencyTask({ seed: 2, trainSize: 4, T: 60, classes: 3 });
      const opts: BrfNetworkOptions = { model, inputSize: 1, hiddenSize: 12, outputSize: 3, loss: 'sequence', lossStart: 30 };
      const p = initBrfParams(opts, 4);
      for (let i = 0; i < 12 * 13; i++) p[i] *= 40; // make it spike
      const r = new BrfShardRunner(opts, 60, 4);
      const a = r.run(p, train.x, train.labels, true);
      r.dispose();
      const b = brfShardReference(opts, 60, p, train.x, train.labels, true);
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

describe('BPTT memory: store vs recompute from checkpoints', () => {
  for (const model of ['brf', 'rf', 'alif'] as const) {
    test(`${model}: gradients bit-identical for K = 0, 1, 7, 10, 60; workspace shrinks`, () => {
      const { train } = frequencyTask({ seed: 2, trainSize: 5, T: 60, classes: 3 });
      const opts: BrfNetworkOptions = { model, inputSize: 1, hiddenSize: 12, outputSize: 3, loss: 'sequence', lossStart: 30 };
      const p = initBrfParams(opts, 4);
      for (let i = 0; i < 12 * 13; i++) p[i] *= 40;
      const fp: string[] = [];
      const bytes: number[] = [];
      for (const K of [0, 1, 7, 10, 60]) {
        const r = new BrfShardRunner(opts, 60, 5, K);
        const before = kernelMemory().bytes;
        const o = r.run(p, train.x, train.labels, true);
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
