import { existsSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { ldsTest, ltnGammaGap, runTrials } from '../../src/index.js';
import { LDS_NET } from './helpers.js';

const workerUrl = new URL('../../dist/worker.js', import.meta.url);
if (!existsSync(workerUrl)) throw new Error('dist/worker.js is missing: run `npm run build` first');

describe('ltn tasks on the worker pool', () => {
  test('random-network sweep: rows identical for 0 and 2 workers; a shard reproduces its rows', async () => {
    const params = { n: 3, scale: 1.2, duration: 120, ldsIterations: 800 };
    const a = await runTrials('ltn.randomNetwork', { seed: 'ltn', range: [0, 6], params, workers: 0 });
    const b = await runTrials('ltn.randomNetwork', { seed: 'ltn', range: [0, 6], params, workers: 2, workerUrl });
    expect(b).toEqual(a);
    const s = await runTrials('ltn.randomNetwork', { seed: 'ltn', range: [2, 4], params, workers: 1, workerUrl });
    expect(s.rows).toEqual(a.rows.slice(2, 4));
    for (const row of a.rows) {
      expect(row.ok).toBe(true);
      if (!row.ok) continue;
      const v = row.value as { isP: boolean; verdict: string; settled: boolean };
      // LDS ⇒ P-matrix ⇒ unique equilibrium, and the simulated LTN settles
      if (v.verdict === 'lds') {
        expect(v.isP).toBe(true);
        expect(v.settled).toBe(true);
      }
    }
  });

  test('γ sweep: one γ per trial, equal to the inline computation', async () => {
    const gammas = [10, 100];
    const r = await runTrials('ltn.gammaSweep', {
      seed: 0,
      range: [0, 2],
      params: { net: LDS_NET, x0: [0.2, 1.5], gammas, duration: 3 },
      workers: 2,
      workerUrl,
    });
    const inline = ltnGammaGap(LDS_NET, [0.2, 1.5], gammas, { duration: 3 });
    expect(r.rows.map((x) => (x.ok ? (x.value as { gap: number }).gap : Number.NaN))).toEqual(inline.gaps);
    expect(ldsTest([[1]]).verdict).toBe('lds');
  });
});
