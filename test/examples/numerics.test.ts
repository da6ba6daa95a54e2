import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { expect, test } from 'vitest';

test('examples/node/convergence.mjs --quick: orders, median errors and Lyapunov values', () => {
  expect(existsSync('dist/index.js')).toBe(true);
  const r = spawnSync('node', ['examples/node/convergence.mjs', '--quick'], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  const lines = r.stdout.trim().split('\n');
  const out = JSON.parse(lines[lines.length - 1]);
  for (const rule of ['grid', 'linear', 'hermite']) {
    const s = out.scheme[rule];
    // The proven strong rate is 1/2 (seed abstract); weak order 1.
    expect(s.strongOrder).toBeGreaterThanOrEqual(0.5);
    expect(s.weakOrder).toBeGreaterThan(0.6);
    expect(s.weakOrder).toBeLessThan(1.6);
    expect(s.medianErr).toBeGreaterThan(0);
    expect(s.medianErr).toBeLessThan(0.4);
  }
  // Grid snapping costs ~h/2 at the coarsest h = 0.4 ms; interpolation removes it.
  expect(out.scheme.linear.medianErr).toBeLessThan(out.scheme.grid.medianErr);
  // Noise-driven LIF layers are stable (λ < 0); tangent and flux formula agree to a few 1e-4 /ms.
  expect(out.lyapunov.tangent).toBeLessThan(0);
  expect(Math.abs(out.lyapunov.tangent - out.lyapunov.formula)).toBeLessThan(1.5e-3);
  expect(existsSync('out/numerics/convergence-error.svg')).toBe(true);
  expect(existsSync('out/numerics/palm-density.svg')).toBe(true);
});
