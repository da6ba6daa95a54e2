// The lif examples run unchanged against the built package and print what the docs claim.
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { describe, expect, test } from 'vitest';

function run(file: string) {
  const r = spawnSync('node', [file, '--quick'], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  const lines = r.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]);
}

describe('examples/node (lif)', () => {
  test('cuba.mjs: 4000 neurons, ~320k synapses, rate in the Brian2 range', () => {
    const j = run('examples/node/cuba.mjs');
    expect(Object.keys(j).sort()).toEqual(['neurons', 'rateHz', 'spikes', 'synapses', 'wallSeconds']);
    expect(j.neurons).toBe(4000);
    expect(j.synapses / 16e6).toBeCloseTo(0.02, 3);
    // First 200 ms include the initial transient (v0 ~ U[Vr, Vt]); Brian2's 1 s rate is ≈ 5.6 Hz.
    expect(j.rateHz).toBeGreaterThan(3);
    expect(j.rateHz).toBeLessThan(20);
    expect(j.wallSeconds).toBeGreaterThan(0);
  });

  test("lif-threads.mjs: threads: 'auto' gives the spikes of threads: 1, bit for bit", () => {
    const j = run('examples/node/lif-threads.mjs');
    expect(Object.keys(j).sort()).toEqual(['identical', 'neurons', 'rateHz', 'spikes', 'threads', 'wallSeconds']);
    expect(j.threads[0]).toBe(1);
    expect(j.threads[1]).toBeGreaterThanOrEqual(Math.min(2, availableParallelism()));
    expect(j.identical).toBe(true);
    // an asynchronous-irregular state, not silence or saturation (a 2 ms refractory period caps it at 500 Hz)
    expect(j.rateHz).toBeGreaterThan(5);
    expect(j.rateHz).toBeLessThan(100);
  });

  test('lif-period.mjs: error orders ≈ 1 (EM, grid), ≈ 2 (exact/linear), ≥ 3 (exact/hermite)', () => {
    const j = run('examples/node/lif-period.mjs');
    const h: number[] = j.h;
    const slope = (e: number[]) => Math.log(e[0] / e[e.length - 1]) / Math.log(h[0] / h[h.length - 1]);
    expect(Object.keys(j.err).sort()).toEqual([
      'euler-maruyama/grid',
      'euler-maruyama/linear',
      'exact/grid',
      'exact/hermite',
      'exact/linear',
    ]);
    expect(slope(j.err['euler-maruyama/linear'])).toBeGreaterThan(0.8);
    expect(slope(j.err['euler-maruyama/linear'])).toBeLessThan(1.3);
    expect(slope(j.err['exact/linear'])).toBeGreaterThan(1.7);
    expect(slope(j.err['exact/linear'])).toBeLessThan(2.4);
    expect(slope(j.err['exact/hermite'])).toBeGreaterThan(3);
    expect(j.err['exact/hermite'][h.length - 1]).toBeLessThan(1e-6);
  });
});
