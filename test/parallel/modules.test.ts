// User trial modules on the pool (Node worker_threads and inline), and the public contract of the
// pool's entry points: strict options, the one Progress type, timer-fired aborts, toJSON.
import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import {
  AbortedError,
  fingerprint,
  iterateTrials,
  mergeTrials,
  normals,
  type Progress,
  runTrials,
  type Settled,
  TrialsResult,
  trialKey,
  ValidationError,
  WorkerPool,
} from '../../src/index.js';

const workerUrl = new URL('../../dist/worker.js', import.meta.url);
if (!existsSync(workerUrl)) throw new Error('dist/worker.js is missing: run `npm run build` first');
const moduleUrl = new URL('./fixtures/trials.mjs', import.meta.url);
const mod = (task: string) => ({ module: moduleUrl, task });

async function errorOf(f: () => unknown): Promise<unknown> {
  try {
    await f();
  } catch (e) {
    return e;
  }
  throw new Error('expected an error');
}

describe('user trial modules', () => {
  test('rows are identical inline and on 1 and 2 workers, and equal the trial keys drawn directly', async () => {
    const opts = { seed: 'user', range: [3, 9] as [number, number], params: { n: 5000 } };
    const inline = await runTrials<{ mean: number; fingerprint: string; first: Float64Array }>(mod('draws'), { ...opts, workers: 0 });
    for (const workers of [1, 2]) expect(await runTrials(mod('draws'), { ...opts, workers, workerUrl })).toEqual(inline);
    // Outside the pool: trial t draws normals(trialKey(seed, t)).
    inline.rows.forEach((r, k) => {
      expect(r.index).toBe(3 + k);
      const z = normals(trialKey('user', 3 + k), 0, 5000);
      expect(r.ok && r.value.fingerprint).toBe(fingerprint(z));
      // the value is a structured clone also inline: the typed array arrives as a Float64Array
      expect(r.ok && r.value.first).toEqual(z.subarray(0, 2));
    });
    expect(new Set(inline.rows.map((r) => r.ok && r.value.fingerprint)).size).toBe(6);
  });

  test('a module given as a path (relative to the current directory) or as a URL string is the same module', async () => {
    const path = relative(process.cwd(), fileURLToPath(moduleUrl));
    const opts = { seed: 2, range: [0, 2] as [number, number], params: { n: 10 }, workers: 0 };
    const a = await runTrials({ module: path, task: 'draws' }, opts);
    const b = await runTrials({ module: moduleUrl.href, task: 'draws' }, opts);
    expect(a).toEqual(b);
    expect(await runTrials({ module: `./${path}`, task: 'draws' }, { ...opts, workers: 1, workerUrl })).toEqual(a);
  });

  test('async trials and per-trial errors: the error of one trial is its row, the others are kept', async () => {
    for (const workers of [0, 2]) {
      const r = await runTrials(mod('flaky'), { range: [0, 5], params: { fail: [1, 3] }, workers, workerUrl });
      expect(r.rows.map((x) => x.ok)).toEqual([true, false, true, false, true]);
      expect(r.values()).toEqual([0, 4, 8]);
      expect(r.errors()).toEqual([
        { index: 1, name: 'RangeError', message: 'trial 1 was asked to fail' },
        { index: 3, name: 'RangeError', message: 'trial 3 was asked to fail' },
      ]);
    }
  });

  test('a Table result travels as its JSON form; an unclonable result is an error row, the same inline and on workers', async () => {
    const inline = await runTrials(mod('table'), { seed: 5, range: [0, 2], workers: 0 });
    expect(await runTrials(mod('table'), { seed: 5, range: [0, 2], workers: 2, workerUrl })).toEqual(inline);
    const v = inline.rows[1].ok ? (inline.rows[1].value as { kind: string; units: object; columns: { x: number[] } }) : null;
    expect(v?.kind).toBe('test.draws');
    expect(v?.units).toEqual({ x: 'mV' });
    expect(v?.columns.x).toEqual(Array.from(normals(trialKey(5, 1), 0, 3)));
    const bad0 = await runTrials(mod('unclonable'), { range: [0, 1], workers: 0 });
    const bad1 = await runTrials(mod('unclonable'), { range: [0, 1], workers: 1, workerUrl });
    expect(bad0.rows[0].ok).toBe(false);
    expect(bad1.rows[0].ok).toBe(false);
    if (!bad0.rows[0].ok && !bad1.rows[0].ok) {
      expect(bad0.rows[0].error.name).toBe('DataCloneError');
      expect(bad1.rows[0].error.name).toBe('DataCloneError');
    }
  });

  test('a missing module or export is a ValidationError before any trial runs, naming what the module exports', async () => {
    for (const workers of [0, 1]) {
      const e1 = await errorOf(() => runTrials(mod('nope'), { range: [0, 1], workers, workerUrl }));
      expect(e1).toBeInstanceOf(ValidationError);
      expect((e1 as Error).message).toMatch(/\(busy, draws, flaky, moments, shaped, sleepy, slowFirst, table, unclonable\)/);
      expect((e1 as Error).message).not.toMatch(/notAFunction/);
      const e2 = await errorOf(() =>
        runTrials({ module: new URL('./fixtures/missing.mjs', import.meta.url) }, { range: [0, 1], workers, workerUrl }),
      );
      expect(e2).toBeInstanceOf(ValidationError);
      expect((e2 as Error).message).toMatch(/cannot import trial module .*missing\.mjs/);
    }
    await expect(runTrials({ module: moduleUrl, task: 'draws', extra: 1 } as never, { range: [0, 1], workers: 0 })).rejects.toThrow(
      /unknown key 'extra'/,
    );
    await expect(runTrials({ module: 42 } as never, { range: [0, 1], workers: 0 })).rejects.toThrow(
      /task.module: expected a URL or a path/,
    );
  });

  test('one pool runs package tasks and several user modules in turn', async () => {
    const pool = await WorkerPool.create({ workers: 2, workerUrl });
    try {
      const inputs = [0, 1, 2].map((trial) => ({ seed: 1, trial, params: { n: 100, ms: 1, fail: [] } }));
      const a = await pool.map<{ fingerprint: string }>(mod('draws'), inputs);
      const b = await pool.map('core.normals', inputs);
      const c = await pool.map<number>(mod('flaky'), inputs);
      expect(a.map((r) => r.ok && r.value.fingerprint)).toEqual([0, 1, 2].map((t) => fingerprint(normals(trialKey(1, t), 0, 100))));
      expect(b.map((r) => r.ok)).toEqual([true, true, true]);
      expect(c.map((r) => r.ok && r.value)).toEqual([0, 2, 4]);
    } finally {
      pool.close();
    }
  });
});

describe('iterateTrials: rows as a stream', () => {
  test('rows come in trial order although later trials finish first; at most `lookahead` run ahead', async () => {
    const progress: number[] = [];
    const seenAtFirst: number[] = [];
    const rows: Settled<number>[] = [];
    for await (const row of iterateTrials<number>(mod('slowFirst'), {
      range: [0, 12],
      params: { first: 300, ms: 5 },
      workers: 2,
      workerUrl,
      lookahead: 2,
      onProgress: (p) => progress.push(p.done),
    })) {
      if (rows.length === 0) seenAtFirst.push(progress.at(-1) ?? 0);
      rows.push(row);
    }
    expect(rows.map((r) => r.ok && r.value)).toEqual([...Array(12).keys()]);
    // trial 0 holds the order for 300 ms: with lookahead 2 only trials 0 and 1 were posted, so at
    // most 2 had settled when row 0 was read (unbounded, the other worker would have run all 11)
    expect(seenAtFirst[0]).toBeLessThanOrEqual(2);
    const all = await runTrials<number>(mod('slowFirst'), { range: [0, 12], params: { first: 300, ms: 5 }, workers: 2, workerUrl });
    expect(all.rows).toEqual(rows);
    expect(progress).toEqual([...Array(12).keys()].map((k) => k + 1));
  });

  test('breaking out of the loop stops the run; a shared pool stays usable and gives the same rows', async () => {
    const pool = await WorkerPool.create({ workers: 2, workerUrl });
    try {
      const got: number[] = [];
      for await (const row of iterateTrials<number>(mod('sleepy'), { range: [0, 50], params: { ms: 20 }, pool })) {
        got.push(row.ok ? row.value : -1);
        if (got.length === 3) break;
      }
      expect(got).toEqual([0, 1, 2]);
      expect(pool.closed).toBe(false);
      const r = await runTrials<{ fingerprint: string }>(mod('draws'), { seed: 9, range: [0, 3], params: { n: 50 }, pool });
      expect(r.rows.map((x) => x.ok && x.value.fingerprint)).toEqual([0, 1, 2].map((t) => fingerprint(normals(trialKey(9, t), 0, 50))));
    } finally {
      pool.close();
    }
  });

  test('options are checked when iterateTrials is called, before any iteration', () => {
    expect(() => iterateTrials('core.normals', { range: [0, 1], lookahed: 2 } as never)).toThrow(/did you mean 'lookahead'/);
    expect(() => iterateTrials('core.normals', { range: [0, 1], lookahead: 0 })).toThrow(/options.lookahead/);
  });
});

describe('mergeTrials', () => {
  test('shards of a user-module study merge exactly, also from their JSON form', async () => {
    const o = { seed: 'm', params: { n: 100 }, workers: 0 };
    const full = await runTrials(mod('draws'), { ...o, range: [0, 7] });
    const parts = [
      [4, 7],
      [0, 2],
      [2, 4],
    ].map((range) => runTrials(mod('draws'), { ...o, range: range as [number, number] }));
    const shards = await Promise.all(parts);
    expect(mergeTrials(shards)).toEqual(full);
    const fromJSON = shards.map((s) => JSON.parse(JSON.stringify(s)));
    expect(JSON.stringify(mergeTrials(fromJSON))).toBe(JSON.stringify(full));
  });

  test('overlaps, gaps and malformed shards are ValidationErrors that say where', async () => {
    const r = (a: number, b: number) =>
      new TrialsResult(
        [a, b],
        Array.from({ length: b - a }, (_, k) => ({ index: a + k, ok: true as const, value: a + k })),
      );
    expect(() => mergeTrials([r(0, 3), r(2, 5)])).toThrow(/shards\[1\]\.range \[2, 5\) overlaps \[0, 3\)/);
    expect(() => mergeTrials([r(0, 3), r(4, 5)])).toThrow(/leaves the gap \[3, 4\)/);
    expect(() => mergeTrials([{ range: [0, 3], rows: r(0, 2).rows }])).toThrow(/shards\[0\]\.rows\.length: expected 3/);
    expect(() => mergeTrials([{ range: [1, 3], rows: r(0, 2).rows }])).toThrow(/shards\[0\]\.rows\[0\]\.index: expected 1/);
    expect(() => mergeTrials([])).toThrow(ValidationError);
    expect(mergeTrials([r(3, 5), r(0, 3)]).values()).toEqual([0, 1, 2, 3, 4]);
  });
});

describe('the contract on the pool (runTrials, iterateTrials, WorkerPool)', () => {
  test('unknown options are ValidationErrors with a suggestion; wrong types are ValidationErrors', async () => {
    const cases: [() => unknown, RegExp][] = [
      [
        () => runTrials('core.normals', { range: [0, 1], wokers: 0 } as never),
        /unknown option 'wokers' for runTrials; did you mean 'workers'\?/,
      ],
      [() => runTrials('core.normals', { range: [0, 1], sed: 1 } as never), /did you mean 'seed'\?/],
      [() => runTrials('core.normals', { range: [0, 1], progress: () => {} } as never), /did you mean 'onProgress'\?/],
      [() => WorkerPool.create({ worker: 2 } as never), /unknown option 'worker' for WorkerPool.create; did you mean 'workers'\?/],
      [() => runTrials('core.normals', { range: [0, 1], workers: 0, onProgress: 3 } as never), /options.onProgress: expected a function/],
      [() => runTrials('core.normals', { range: [0, 1], workers: 0, signal: {} } as never), /options.signal: expected an AbortSignal/],
      [() => runTrials('core.normals', { range: [0, 1], workers: 0, sliceMs: -1 }), /options.sliceMs/],
      [() => runTrials('core.normals', { range: [0, 1], workers: 1.5 }), /options.workers: expected an integer/],
      [() => runTrials('core.normals', { range: [0, 1], workers: 0, tasks: { x: 1 } } as never), /options.tasks.x: expected a function/],
      [() => runTrials('core.normals', { range: [0, 1], pool: {} } as never), /options.pool: expected a WorkerPool/],
      [() => runTrials('core.normals', { range: [0, 1], seed: {} } as never), /options.seed/],
      [() => runTrials('core.normals', null as never), /options/],
      [() => runTrials(3 as never, { range: [0, 1] }), /task: expected a task name/],
    ];
    for (const [f, re] of cases) {
      const e = await errorOf(f);
      expect(e, String(re)).toBeInstanceOf(ValidationError);
      expect((e as Error).message).toMatch(re);
    }
    const pool = await WorkerPool.create({ workers: 0, tasks: { t: () => 1 } });
    const e = await errorOf(() => pool.map('t', [1], { onProgres: () => {} } as never));
    expect((e as Error).message).toMatch(/unknown option 'onProgres' for WorkerPool.map; did you mean 'onProgress'\?/);
  });

  test('progress is the one Progress type, counting trials, inline and on workers', async () => {
    for (const workers of [0, 2]) {
      const seen: Progress[] = [];
      await runTrials(mod('busy'), { range: [0, 6], params: { ms: 2 }, workers, workerUrl, onProgress: (p) => seen.push(p) });
      expect(seen.map((p) => p.done)).toEqual([1, 2, 3, 4, 5, 6]);
      for (const p of seen) {
        expect(p.unit).toBe('trial');
        expect(p.total).toBe(6);
        expect(p.fraction).toBe(p.done / 6);
        expect(p.elapsedMs).toBeGreaterThanOrEqual(0);
      }
      expect(seen[5].etaMs).toBe(0);
    }
  });

  // The latency is wall-clock time on a shared machine: up to three attempts, from the time the
  // timer was due; a regression (no yield between trials) fails every attempt.
  async function abortLatency(start: (signal: AbortSignal) => Promise<unknown>): Promise<{ latencies: number[]; error: unknown }> {
    const latencies: number[] = [];
    let error: unknown;
    for (let attempt = 0; attempt < 3 && !(Math.min(...latencies) < 50); attempt++) {
      const ac = new AbortController();
      const dueAt = performance.now() + 100;
      setTimeout(() => ac.abort(), 100);
      error = await errorOf(() => start(ac.signal));
      latencies.push(performance.now() - dueAt);
    }
    return { latencies, error };
  }

  test('a timer-fired abort stops runTrials, iterateTrials and WorkerPool.map within 50 ms with workers: 0 (sync and async trials)', async () => {
    // 400 synchronous trials of 3 ms (1.2 s) and async trials of 30 ms: the abort comes at 100 ms.
    const starts: [string, (s: AbortSignal) => Promise<unknown>][] = [
      ['runTrials, sync', (signal) => runTrials(mod('busy'), { range: [0, 400], params: { ms: 3 }, workers: 0, signal })],
      ['runTrials, async', (signal) => runTrials(mod('sleepy'), { range: [0, 400], params: { ms: 30 }, workers: 0, signal })],
      [
        'iterateTrials, sync',
        async (signal) => {
          for await (const _ of iterateTrials(mod('busy'), { range: [0, 400], params: { ms: 3 }, workers: 0, signal }));
        },
      ],
      [
        'WorkerPool.map, sync',
        async (signal) => {
          const pool = await WorkerPool.create({ workers: 0 });
          const inputs = Array.from({ length: 400 }, (_, trial) => ({ seed: 0, trial, params: { ms: 3 } }));
          return pool.map(mod('busy'), inputs, { signal });
        },
      ],
      ['runTrials, 2 workers', (signal) => runTrials(mod('busy'), { range: [0, 400], params: { ms: 3 }, workers: 2, workerUrl, signal })],
    ];
    for (const [name, start] of starts) {
      const { latencies, error } = await abortLatency(start);
      expect(error, name).toBeInstanceOf(AbortedError);
      expect(Math.min(...latencies), `${name}: latencies ${latencies.map((x) => x.toFixed(1))} ms`).toBeLessThan(50);
    }
    // the settled rows travel in `partial`, in trial order from the start of the range
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 60);
    const e = (await errorOf(() =>
      runTrials(mod('busy'), { range: [10, 400], params: { ms: 3 }, workers: 0, signal: ac.signal }),
    )) as AbortedError;
    const partial = e.partial as Settled<number>[];
    expect(partial.length).toBeGreaterThan(0);
    expect(partial.length).toBeLessThan(390);
    expect(partial.map((r) => r.index)).toEqual(partial.map((_, k) => 10 + k));
  });

  test('results have toJSON: { kind, range, rows }', async () => {
    const r = await runTrials(mod('draws'), { seed: 1, range: [0, 2], params: { n: 4 }, workers: 0 });
    expect(r).toBeInstanceOf(TrialsResult);
    const j = r.toJSON();
    expect(j.kind).toBe('trials');
    expect(j.range).toEqual([0, 2]);
    // typed arrays become plain arrays in JSON
    expect((j.rows[0] as { value: { first: unknown } }).value.first).toEqual(Array.from(normals(trialKey(1, 0), 0, 2)));
  });
});
