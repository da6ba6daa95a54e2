import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { expect, test } from 'vitest';

if (!existsSync('dist/index.js')) throw new Error('dist/ is missing: run `npm run build` first');

function lastJson(script: string) {
  const r = spawnSync('node', [script, '--quick'], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  const lines = r.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]);
}

test('examples/node/srm-learning.mjs --quick: student approaches the teacher; gradient check passes', () => {
  const j = lastJson('examples/node/srm-learning.mjs');
  expect(Object.keys(j)).toEqual(['initialLogLik', 'finalLogLik', 'weightError', 'gradCheckRelErr']);
  expect(j.finalLogLik).toBeGreaterThan(j.initialLogLik + 500);
  expect(j.weightError).toBeLessThan(0.3);
  expect(j.gradCheckRelErr).toBeLessThan(1e-6);
  expect(readFileSync('out/srm/teacher-student.svg', 'utf8')).toMatch(/^<svg/);
});

test('examples/node/srm-pattern.mjs --quick: both learners improve the likelihood of the pattern', () => {
  const j = lastJson('examples/node/srm-pattern.mjs');
  expect(j.visibleOnly.finalLogLik).toBeGreaterThan(j.visibleOnly.initialLogLik + 50);
  expect(j.withHidden.finalElbo).toBeGreaterThan(j.withHidden.initialElbo + 10);
  // the importance-weighted bound is at least the ELBO
  expect(j.withHidden.finalImportanceWeighted).toBeGreaterThanOrEqual(j.withHidden.finalElbo);
  expect(readFileSync('out/srm/pattern-loglik.svg', 'utf8')).toMatch(/^<svg/);
});
