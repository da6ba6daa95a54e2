import { existsSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { NeurodynError, runTrials, ValidationError, WorkerPool } from '../../src/index.js';
import type { TrialInput } from '../../src/parallel/types.js';

const workerUrl = new URL('../../dist/worker.js', import.meta.url);
if (!existsSync(workerUrl)) throw new Error('dist/worker.js is missing: run `npm run build` first');

// The pool imports no model (issue #14): workers run their entry module's tables and report the
// names when ready; an inline pool runs the table it is given.
describe('task tables of the pool', () => {
  const square = { 'user.square': (input: TrialInput<{ k: number }>) => (input.trial + input.params.k) ** 2 };

  test('an inline pool runs the table it is given, and only that', async () => {
    const pool = await WorkerPool.create({ workers: 0, tasks: square });
    const inputs = [0, 1, 2].map((trial) => ({ seed: 1, trial, params: { k: 3 } }));
    const rows = await pool.map<number>('user.square', inputs);
    expect(rows.map((r) => r.ok && r.value)).toEqual([9, 16, 25]); // (trial + 3)²
    // a package task is not in this pool's table…
    await expect(pool.map('core.normals', inputs)).rejects.toBeInstanceOf(ValidationError);
    await expect(pool.map('core.normals', inputs)).rejects.toThrow(/inline table \(user\.square\)/);
    // …unless the call supplies it
    const more = await pool.map<number>('user.double', inputs, { tasks: { 'user.double': (i: TrialInput) => 2 * i.trial } });
    expect(more.map((r) => r.ok && r.value)).toEqual([0, 2, 4]);
  });

  test("the package's runTrials runs its own tables inline and a caller's extra table", async () => {
    const r = await runTrials<number>('user.square', { seed: 2, range: [4, 6], params: { k: 0 }, workers: 0, tasks: square });
    expect(r.rows).toEqual([
      { index: 4, ok: true, value: 16 },
      { index: 5, ok: true, value: 25 },
    ]);
    const n = await runTrials('core.normals', { seed: 2, range: [0, 1], params: { n: 4 }, workers: 0 });
    expect(n.rows[0].ok).toBe(true);
  });

  test('workers report the tasks they run; an unknown name is rejected before any trial is posted', async () => {
    const pool = await WorkerPool.create({ workers: 1, workerUrl });
    try {
      const err = await pool.map('no.such.task', [{}]).catch((e) => e as Error);
      expect(err).toBeInstanceOf(ValidationError);
      // one task of every family's table is listed (the worker entry lists them, not the pool)
      for (const t of ['core.normals', 'lif.population', 'fp.particles', 'brf.shard', 'ltn.randomNetwork', 'numerics.convergenceTrial'])
        expect(err.message).toContain(t);
    } finally {
      pool.close();
    }
  });

  test('a worker that cannot start rejects create() instead of hanging', async () => {
    const missing = new URL('../../dist/no-such-worker.js', import.meta.url);
    const p = WorkerPool.create({ workers: 2, workerUrl: missing });
    await expect(p).rejects.toBeInstanceOf(NeurodynError);
    await expect(p).rejects.toThrow(/worker failed to start/);
  });
});
