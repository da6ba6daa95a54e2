// Runs the Section 8 example (seed 001) in quick mode and checks its verdict against the theory:
// the learned N̄ and support against Proposition 6.2 (N̄ = 0.51832, support [−√2N̄, 0] computed
// by fpLearningEquilibrium), recognition only of the learned signal.
import { spawnSync } from 'node:child_process';
import { expect, test } from 'vitest';

test('examples/node/fp-learning.mjs --quick', () => {
  const r = spawnSync('node', ['examples/node/fp-learning.mjs', '--quick'], { encoding: 'utf8', timeout: 120_000 });
  expect(r.status, r.stderr).toBe(0);
  const lines = r.stdout.trim().split('\n');
  const out = JSON.parse(lines[lines.length - 1]);
  expect(Object.keys(out)).toEqual(['Nbar', 'support', 'recognised', 'discrimination']);
  expect(out.recognised).toEqual({ 'I→I': true, 'I→J': false, 'J→J': true, 'J→I': false });
  const detail = JSON.parse(lines[lines.length - 2]);
  // grid error of the coarse quick grid (Δw = 0.025): a few per cent
  expect(Math.abs(out.Nbar - detail.theory.I.nbar) / detail.theory.I.nbar).toBeLessThan(0.05);
  expect(Math.abs(out.support[0] - detail.theory.I.support[0])).toBeLessThan(0.05);
  expect(out.support[1]).toBe(0);
  expect(out.discrimination).toBeGreaterThan(0.05);
  expect(Math.abs(detail.massAfter.learnI - 1)).toBeLessThan(1e-12);
});
