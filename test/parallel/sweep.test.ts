// Parameter sweeps: grid order, the flat index, tables with parameter and result columns, exact
// merges of shards for any worker count and split, and the contract (strict options, progress,
// timer-fired aborts, toJSON).
import { existsSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import {
  AbortedError,
  type ColumnArray,
  mergeTrials,
  normals,
  type Progress,
  sweep,
  sweepPoints,
  sweepTable,
  sweepTrials,
  Table,
  trialKey,
  ValidationError,
} from '../../src/index.js';
import { flattenValue, sweepPlan } from '../../src/parallel/sweep.js';

const workerUrl = new URL('../../dist/worker.js', import.meta.url);
if (!existsSync(workerUrl)) throw new Error('dist/worker.js is missing: run `npm run build` first');
const mod = (task: string) => ({ module: new URL('./fixtures/trials.mjs', import.meta.url), task });
const bytes = (a: ColumnArray) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

describe('sweep points and the flat index', () => {
  test('a grid runs every combination, first key slowest; a list runs in order', () => {
    expect(sweepPoints({ a: [1, 2], b: ['x', 'y', 'z'] })).toEqual([
      { a: 1, b: 'x' },
      { a: 1, b: 'y' },
      { a: 1, b: 'z' },
      { a: 2, b: 'x' },
      { a: 2, b: 'y' },
      { a: 2, b: 'z' },
    ]);
    expect(sweepPoints([{ mu: 3 }, { mu: 1, sigma: 2 }])).toEqual([{ mu: 3 }, { mu: 1, sigma: 2 }]);
    const plan = sweepPlan({ a: [1, 2, 3], b: [0, 1] }, 4);
    expect([plan.points, plan.trials, plan.total, plan.keys]).toEqual([6, 4, 24, ['a', 'b']]);
    // a 10^3 × 10^3 grid is addressed without being expanded
    const big = sweepPlan({ x: [...Array(1000).keys()], y: [...Array(1000).keys()] }, 1000);
    expect(big.total).toBe(1e9);
    expect(big.pointAt(123_456)).toEqual({ x: 123, y: 456 });
  });

  test('bad params are ValidationErrors naming the parameter', () => {
    expect(() => sweepPlan({ a: [] })).toThrow(/options.params.a: expected a non-empty array/);
    expect(() => sweepPlan({ a: 3 } as never)).toThrow(/write \[x\] for a fixed value/);
    expect(() => sweepPlan([])).toThrow(/options.params/);
    expect(() => sweepPlan([{ a: 1 }, 5] as never)).toThrow(/options.params\[1\]/);
    expect(() => sweepPlan({ a: [1] }, 0)).toThrow(/options.trials/);
    expect(() => sweepPlan({ x: [...Array(70000).keys()] }, 70000)).toThrow(/exceeds 4294967295/);
  });

  test('flattenValue names numbers by path; booleans are 1/0, null NaN; strings are refused', () => {
    expect(flattenValue(2.5)).toEqual({ value: 2.5 });
    expect(flattenValue({ a: 1, b: { c: [2, 3] }, d: new Float32Array([0.5]), e: true, f: null, g: undefined })).toEqual({
      a: 1,
      'b.c.0': 2,
      'b.c.1': 3,
      'd.0': 0.5,
      e: 1,
      f: Number.NaN,
    });
    expect(() => flattenValue({ label: 'x' })).toThrow(/a sweep records numbers: the trial's result 'label' is the string "x"/);
  });
});

describe('sweep tables', () => {
  test('columns: flat index, point, trial, numeric parameters, ok, results; values are the trial keys drawn directly', async () => {
    const t = await sweep({
      task: mod('moments'),
      params: { n: [10, 1000], tag: ['a'] },
      trials: 3,
      seed: 'sw',
      workers: 0,
      units: { n: '', mean: '1' },
    });
    expect(t).toBeInstanceOf(Table);
    expect(t.kind).toBe('sweep');
    // 'tag' is not numeric: no column; the trial's own point/index results collide with the index
    // columns and get the prefix 'result.'
    expect(t.columnNames()).toEqual(['index', 'point', 'trial', 'n', 'ok', 'mean', 'first.0', 'first.1', 'result.point', 'result.index']);
    expect(Array.from(t.column('index').data)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(Array.from(t.column('point').data)).toEqual([0, 0, 0, 1, 1, 1]);
    expect(Array.from(t.column('trial').data)).toEqual([0, 1, 2, 0, 1, 2]);
    expect(Array.from(t.column('n').data)).toEqual([10, 10, 10, 1000, 1000, 1000]);
    expect(Array.from(t.column('result.point').data)).toEqual([0, 0, 0, 1, 1, 1]);
    expect(Array.from(t.column('result.index').data)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(t.column('mean').unit).toBe('1');
    for (let r = 0; r < 6; r++) {
      // trial k of every point draws from trialKey(seed, k): common random numbers across points
      const z = normals(trialKey('sw', r % 3), 0, r < 3 ? 10 : 1000);
      expect(t.column('mean').data[r]).toBe(z.reduce((a, b) => a + b, 0) / z.length);
      expect(t.column('first.0').data[r]).toBe(z[0]);
    }
    expect(Array.from(t.column('ok').data)).toEqual([1, 1, 1, 1, 1, 1]);
    const j = t.toJSON();
    expect(j.kind).toBe('sweep');
    expect(j.meta).toMatchObject({ seed: 'sw', trials: 3, points: 2, range: [0, 6], errors: [] });
  });

  test('a failing trial and a string result are rows with ok = 0 and their error in meta.errors', async () => {
    const t = await sweep({
      task: mod('shaped'),
      params: [
        { kind: 'scalar', x: 2 },
        { kind: 'object', x: 1, y: 5 },
        { kind: 'string', x: 0 },
      ],
      workers: 0,
    });
    expect(t.columnNames()).toEqual(['index', 'point', 'trial', 'x', 'ok', 'value', 'sum', 'parts.0', 'parts.1', 'flag', 'missing']);
    expect(Array.from(t.column('ok').data)).toEqual([1, 1, 0]);
    expect(Array.from(t.column('value').data)).toEqual([4, Number.NaN, Number.NaN]);
    expect(Array.from(t.column('sum').data)).toEqual([Number.NaN, 6, Number.NaN]);
    expect(Array.from(t.column('flag').data)).toEqual([Number.NaN, 0, Number.NaN]);
    expect(t.meta.errors).toEqual([{ index: 2, name: 'ValidationError', message: expect.stringMatching(/a sweep records numbers/) }]);
  });

  test('shards of any split, on any worker count, merge into the full sweep bit for bit', async () => {
    const options = { task: mod('moments'), params: { n: [50, 500, 5000] }, trials: 3, seed: 7 };
    const full = await sweep({ ...options, workers: 2, workerUrl });
    const splits: [number, number][][] = [
      [[0, 9]],
      [
        [0, 2],
        [2, 7],
        [7, 9],
      ],
      [
        [5, 9],
        [0, 5],
      ],
    ];
    for (const [s, split] of splits.entries()) {
      const shards = await Promise.all(split.map((range, k) => sweepTrials({ ...options, range, workers: (s + k) % 3, workerUrl })));
      const t = sweepTable(mergeTrials(shards), options);
      expect(t.columnNames()).toEqual(full.columnNames());
      for (const c of full.columnNames()) expect(bytes(t.column(c).data).equals(bytes(full.column(c).data)), `${c}, split ${s}`).toBe(true);
    }
    // a sub-range alone is the corresponding rows of the full table
    const part = await sweep({ ...options, range: [4, 6], workers: 0 });
    expect(Array.from(part.column('mean').data)).toEqual(Array.from(full.column('mean').data.subarray(4, 6)));
  });

  test('strict options, progress in trials, timer-fired abort with workers: 0', async () => {
    await expect(sweep({ task: mod('moments'), params: { n: [1] }, trails: 2 } as never)).rejects.toThrow(
      /unknown option 'trails' for sweepTrials; did you mean 'trials'\?/,
    );
    await expect(sweep({ task: mod('moments'), params: { n: [1] }, range: [0, 5] })).rejects.toThrow(
      /options.range\[1\]: expected an integer in \[0, 1\]/,
    );
    await expect(sweep({ params: { n: [1] } } as never)).rejects.toThrow(/options.task/);
    await expect(sweep({ task: mod('moments'), params: { n: [1] }, workers: 0, units: { nn: 'ms' } })).rejects.toThrow(/options.units.nn/);
    const seen: Progress[] = [];
    await sweep({ task: mod('busy'), params: { ms: [1, 2] }, trials: 2, workers: 0, onProgress: (p) => seen.push(p) });
    expect(seen.map((p) => `${p.done}/${p.total} ${p.unit}`)).toEqual(['1/4 trial', '2/4 trial', '3/4 trial', '4/4 trial']);
    const latencies: number[] = [];
    for (let attempt = 0; attempt < 3 && !(Math.min(...latencies) < 50); attempt++) {
      const ac = new AbortController();
      const dueAt = performance.now() + 100;
      setTimeout(() => ac.abort(), 100);
      const e = await sweep({ task: mod('busy'), params: { ms: [3] }, trials: 400, workers: 0, signal: ac.signal }).catch((x) => x);
      latencies.push(performance.now() - dueAt);
      expect(e).toBeInstanceOf(AbortedError);
      expect((e as AbortedError).partial).toBeInstanceOf(Array);
    }
    expect(Math.min(...latencies), `latencies ${latencies.map((x) => x.toFixed(1))} ms`).toBeLessThan(50);
    expect(() => sweepTable({ range: [0, 2], rows: [] }, { task: mod('moments'), params: { n: [1, 2] } })).toThrow(ValidationError);
  });
});
