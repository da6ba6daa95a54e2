import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';

// Examples run against the built package (dist/), with arguments that keep them short here.
const run = (args: string[]) => {
  const r = spawnSync('node', args, { encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) throw new Error(`${args.join(' ')} failed: ${r.stderr}`);
  const lines = r.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]);
};

describe('brf examples', () => {
  test('brf-smnist.mjs prints {model, epochs, testAccuracy, trainSize, testSize, hidden, secondsPerEpoch}', () => {
    const j = run([
      'examples/node/brf-smnist.mjs',
      '--quick',
      '--train',
      '96',
      '--test',
      '32',
      '--epochs',
      '1',
      '--hidden',
      '16',
      '--model',
      'alif',
    ]);
    expect(Object.keys(j)).toEqual(['model', 'epochs', 'testAccuracy', 'trainSize', 'testSize', 'hidden', 'secondsPerEpoch']);
    // The sample sizes asked for (the digits package has ~10 000 digits, more than enough).
    expect([j.trainSize, j.testSize, j.hidden]).toEqual([96, 32, 16]);
    // The accuracy is a count over the test set.
    expect(Math.abs(j.testAccuracy * j.testSize - Math.round(j.testAccuracy * j.testSize))).toBeLessThan(1e-9);
    expect(j.model).toBe('alif');
    expect(j.epochs).toBe(1);
    expect(j.testAccuracy).toBeGreaterThanOrEqual(0);
    expect(j.testAccuracy).toBeLessThanOrEqual(1);
    expect(j.secondsPerEpoch).toBeGreaterThan(0);
  });
  test('brf-smnist.mjs --tbptt trains by truncated BPTT', () => {
    const args = ['--quick', '--train', '32', '--test', '16', '--epochs', '1', '--hidden', '8', '--model', 'alif', '--tbptt', '200'];
    const j = run(['examples/node/brf-smnist.mjs', ...args]);
    expect(j.model).toBe('alif');
    expect(j.epochs).toBe(1);
    expect(j.testAccuracy).toBeGreaterThanOrEqual(0);
    expect(j.testAccuracy).toBeLessThanOrEqual(1);
    const h = JSON.parse(readFileSync('out/brf/smnist-alif-tbptt200-history.json', 'utf8'));
    expect(h.tbptt).toBe(200);
    expect(h.history.length).toBe(1);
  });
  test('brf-smnist.mjs --precision f32 --workers 2 trains with the f32 kernel on two workers', () => {
    const args = ['--quick', '--train', '32', '--test', '16', '--epochs', '1', '--hidden', '8', '--precision', 'f32', '--workers', '2'];
    const j = run(['examples/node/brf-smnist.mjs', ...args]);
    expect(j.model).toBe('brf');
    const h = JSON.parse(readFileSync('out/brf/smnist-brf-f32-history.json', 'utf8'));
    expect(h.precision).toBe('f32');
    expect(h.history.kind).toBe('brf.history');
    expect(h.history.units.wallMs).toBe('ms');
  });
  test('brf-landscape.mjs writes the SVGs; the radius-1 contour is p(ω)', () => {
    const j = run([
      'examples/node/brf-landscape.mjs',
      '--quick',
      '--hidden',
      '8',
      '--train',
      '32',
      '--eval',
      '16',
      '--epochs',
      '1',
      '--grid',
      '3',
      '--models',
      'brf,alif',
    ]);
    expect(j.boundaryMaxDeviation).toBeLessThan(1e-9);
    for (const f of j.files) expect(existsSync(f)).toBe(true);
    for (const m of ['brf', 'alif']) expect(Number.isFinite(j.models[m].centerLoss)).toBe(true);
  });
});
