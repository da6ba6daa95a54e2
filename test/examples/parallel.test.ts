// The worker-pool examples run unchanged against the built package and print what the docs claim.
import { spawnSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
// @ts-expect-error plain JS example module
import { network } from '../../examples/node/user-trials-module.mjs';
import { runTrials } from '../../src/index.js';

describe('examples/node (parallel)', () => {
  test('user-trials.mjs: the same rows on 0, 1 and 2 workers; the module is a plain function of its input', async () => {
    const r = spawnSync('node', ['examples/node/user-trials.mjs', '--quick'], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(JSON.parse(lines[lines.length - 1])).toEqual({ trials: 4, identical: true, workers: [0, 1, 2] });
    // Called directly, outside the pool, trial 2 gives the pool's row 2.
    const params = { mu: 0.055, sigma: 0.02, weight: 0.002 };
    const direct = network({ seed: 'user-trials', trial: 2, params });
    const pooled = await runTrials(
      { module: new URL('../../examples/node/user-trials-module.mjs', import.meta.url), task: 'network' },
      {
        seed: 'user-trials',
        range: [2, 3],
        params,
        workers: 0,
      },
    );
    expect(pooled.rows[0]).toEqual({ index: 2, ok: true, value: direct });
    // A noisy population at μ = 0.055, σ = 0.02 (seed 000's) fires at about 20 Hz.
    expect(direct.rateE).toBeGreaterThan(10);
    expect(direct.rateE).toBeLessThan(35);
    expect(direct.spikes).toBe(Math.round(((direct.rateE * 80 + direct.rateI * 20) * 200) / 1000));
  });
});
