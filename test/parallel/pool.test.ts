import { existsSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { AbortedError, mergeTrials, runTrials, ValidationError, WorkerPool } from '../../src/index.js';

const workerUrl = new URL('../../dist/worker.js', import.meta.url);
if (!existsSync(workerUrl)) throw new Error('dist/worker.js is missing: run `npm run build` first');

describe('worker pool (Node worker_threads)', () => {
  const params = { n: 20_000 };
  test('rows are bit-identical for 0, 1, 2 and 4 workers', async () => {
    const ref = await runTrials('core.normals', { seed: 'pool', range: [0, 8], params, workers: 0 });
    for (const workers of [1, 2, 4]) {
      const r = await runTrials('core.normals', { seed: 'pool', range: [0, 8], params, workers, workerUrl });
      expect(r).toEqual(ref);
    }
    // different trials get different draws
    const fps = ref.rows.map((r) => (r.ok ? (r.value as { fingerprint: string }).fingerprint : ''));
    expect(new Set(fps).size).toBe(8);
  });

  test('a shard [a, b) reproduces exactly the rows of the full run; merge checks tiling', async () => {
    const full = await runTrials('core.normals', { seed: 11, range: [0, 6], params, workers: 2, workerUrl });
    const s1 = await runTrials('core.normals', { seed: 11, range: [0, 2], params, workers: 1, workerUrl });
    const s2 = await runTrials('core.normals', { seed: 11, range: [2, 6], params, workers: 0 });
    expect(mergeTrials([s2, s1])).toEqual(full);
    expect(() => mergeTrials([s2])).not.toThrow();
    expect(() => mergeTrials([s1, { range: [3, 6], rows: s2.rows.slice(1) }])).toThrow(ValidationError);
  });

  test('an error in one trial is reported with its index; the others are kept', async () => {
    const r = await runTrials('core.normals', { seed: 1, range: [0, 5], params: { n: 10, fail: [3] }, workers: 2, workerUrl });
    expect(r.rows.map((x) => x.ok)).toEqual([true, true, true, false, true]);
    const bad = r.rows[3];
    expect(bad.index).toBe(3);
    if (!bad.ok) expect(bad.error.message).toContain('trial 3');
  });

  test('AbortSignal cancels and returns the settled rows', async () => {
    const ac = new AbortController();
    let seen = 0;
    const p = runTrials('core.sleep', {
      seed: 1,
      range: [0, 40],
      params: { ms: 30 },
      workers: 2,
      workerUrl,
      signal: ac.signal,
      onProgress: (p) => {
        seen = p.done;
        expect(p.unit).toBe('trial');
        expect(p.total).toBe(40);
        if (p.done === 4) ac.abort();
      },
    });
    await expect(p).rejects.toBeInstanceOf(AbortedError);
    const e = await p.catch((x) => x as AbortedError);
    expect((e.partial as unknown[]).length).toBeGreaterThanOrEqual(4);
    expect((e.partial as unknown[]).length).toBeLessThan(40);
    expect(seen).toBeLessThan(40);
  });

  test('one pool serves many calls (also concurrent ones) without accumulating listeners', async () => {
    const pool = await WorkerPool.create({ workers: 2, workerUrl });
    const inputs = [0, 1, 2].map((trial) => ({ seed: 3, trial, params: { n: 100 } }));
    const ref = await pool.map('core.normals', inputs);
    const warnings: string[] = [];
    const onWarn = (w: Error) => warnings.push(w.name);
    process.on('warning', onWarn);
    for (let k = 0; k < 30; k++) expect(await pool.map('core.normals', inputs)).toEqual(ref);
    const both = await Promise.all([pool.map('core.normals', inputs), pool.map('core.normals', inputs.slice(1))]);
    expect(both[0]).toEqual(ref);
    expect(both[1].map((r) => r.ok && r.value)).toEqual(ref.slice(1).map((r) => r.ok && r.value));
    await new Promise((r) => setTimeout(r, 10));
    process.off('warning', onWarn);
    expect(warnings).not.toContain('MaxListenersExceededWarning');
    pool.close();
  });

  test('bad input is rejected by name', async () => {
    await expect(runTrials('core.normals', { seed: 1, range: [3, 1], params, workers: 0 })).rejects.toThrow(/options.range\[1\]/);
    await expect(WorkerPool.create({ workers: -1 })).rejects.toThrow(/options.workers/);
    await expect(runTrials('core.normals', { seed: Number.NaN, range: [0, 1], params, workers: 0 })).rejects.toThrow(/seed/);
    await expect(runTrials('core.normals', { seed: 1, range: 5 as never, params, workers: 0 })).rejects.toThrow(/options.range/);
    const pool = await WorkerPool.create({ workers: 0 });
    await expect(pool.map('core.normals', 'x' as never)).rejects.toThrow(/inputs/);
    await expect(pool.map('no.such.task', [])).rejects.toThrow(/task/);
  });
});
