import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { expect, test } from 'vitest';

test('examples/node/ltn-timescales.mjs --quick prints the issue JSON with the expected numbers', () => {
  const r = spawnSync(process.execPath, ['examples/node/ltn-timescales.mjs', '--quick'], { encoding: 'utf8', timeout: 120_000 });
  expect(r.status, r.stderr).toBe(0);
  const lines = r.stdout.trim().split('\n');
  const out = JSON.parse(lines[lines.length - 1]);
  expect(Object.keys(out)).toEqual(['equilibrium', 'ldsMargin', 'gammaGap', 'kappa', 'observedRate']);
  // x* = (u1/(d1 − w11), 0) = (1.25, 0) (closed form, unit 2 silent)
  expect(out.equilibrium[0]).toBeCloseTo(1.25, 12);
  expect(out.equilibrium[1]).toBe(0);
  expect(out.ldsMargin).toBeGreaterThan(0);
  expect(Object.keys(out.gammaGap)).toEqual(['1', '10', '100', '1000']);
  // O(1/γ): each decade shrinks the gap ~10×
  for (const [a, b] of [
    ['10', '100'],
    ['100', '1000'],
  ]) {
    const ratio = out.gammaGap[a] / out.gammaGap[b];
    expect(ratio).toBeGreaterThan(8);
    expect(ratio).toBeLessThan(12.5);
  }
  expect(out.kappa).toBeGreaterThan(0);
  expect(out.observedRate).toBeGreaterThanOrEqual(out.kappa);
  expect(existsSync('out/ltn/ltn-timescales.svg')).toBe(true);
  expect(readFileSync('out/ltn/ltn-timescales.svg', 'utf8')).toContain('PDS');
});
