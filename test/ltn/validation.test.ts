import { describe, expect, test } from 'vitest';
import {
  isPMatrix,
  LtnBatch,
  lcsSimulate,
  ldsTest,
  ltnEquilibria,
  ltnGammaGap,
  ltnSimulate,
  ltnStabilityReport,
  ltnVectorField,
  pdsSimulate,
  ValidationError,
} from '../../src/index.js';

const ok = {
  d: [1, 2],
  W: [
    [0, -1],
    [1, 0],
  ],
  u: [1, 1],
};

function arg(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return (e as ValidationError).argument;
  }
  throw new Error('did not throw');
}

describe('bad input ⇒ ValidationError naming the argument', () => {
  const sim =
    (net: unknown, x0: unknown = [0, 0], o: object = { duration: 1 }) =>
    () =>
      ltnSimulate(net as never, x0 as never, o as never);
  test('D not positive', () => {
    expect(arg(sim({ ...ok, d: [1, 0] }))).toBe('d[1]');
    expect(arg(sim({ ...ok, d: [-1, 2] }))).toBe('d[0]');
    expect(arg(sim({ ...ok, d: [] }))).toBe('d.length');
  });
  test('non-square W and dimension mismatches', () => {
    expect(
      arg(
        sim({
          ...ok,
          W: [
            [0, 1, 2],
            [1, 0, 3],
          ],
        }),
      ),
    ).toBe('W[0].length');
    expect(arg(sim({ ...ok, W: [[0, 1]] }))).toBe('W.length');
    expect(arg(sim({ ...ok, W: [0, 1, 2] }))).toBe('W.length');
    expect(arg(sim({ ...ok, u: [1, 2, 3] }))).toBe('u.length');
    expect(arg(sim(ok, [0, 0, 0]))).toBe('x0.length');
    expect(arg(() => new LtnBatch(ok, [[0, 0], [1]], { dt: 0.01 }))).toBe('initial[1].length');
    expect(arg(() => new LtnBatch(ok, [[0, 0]], { dt: 0.01, gamma: [1, 2] }))).toBe('options.gamma.length');
    expect(arg(() => ldsTest([[1, 2], [3]]))).toBe('M[1].length');
  });
  test('non-finite entries', () => {
    expect(
      arg(
        sim({
          ...ok,
          W: [
            [0, Number.NaN],
            [1, 0],
          ],
        }),
      ),
    ).toBe('W[0][1]');
    expect(arg(sim({ ...ok, u: [1, Number.POSITIVE_INFINITY] }))).toBe('u[1]');
    expect(arg(sim({ ...ok, d: [1, Number.NaN] }))).toBe('d[1]');
    expect(arg(sim(ok, [0, Number.NaN]))).toBe('x0[1]');
    expect(
      arg(() =>
        isPMatrix([
          [1, Number.NaN],
          [0, 1],
        ]),
      ),
    ).toBe('M[0][1]');
    expect(arg(() => ltnSimulate({ ...ok, u: () => [1, Number.NaN] }, [0, 0], { duration: 1, method: 'rk4', dt: 0.1 }))).toBe('u(0)[1]');
  });
  test('options', () => {
    expect(arg(sim(ok, [0, 0], { duration: -1 }))).toBe('options.duration');
    expect(arg(sim(ok, [0, 0], { duration: 1, gamma: 0 }))).toBe('options.gamma');
    expect(arg(sim(ok, [0, 0], { duration: 1, method: 'midpoint' }))).toBe('options.method');
    expect(arg(sim(ok, [0, 0], { duration: 1, dt: 0 }))).toBe('options.dt');
    expect(arg(() => pdsSimulate(ok, [-1, 0], { duration: 1 }))).toBe('x0[0]');
    expect(arg(() => lcsSimulate(ok, [0, 0], { duration: 1, sampleInterval: -2 }))).toBe('options.sampleInterval');
    expect(arg(() => ltnGammaGap(ok, [0, 0], [10, -1]))).toBe('gammas[1]');
    expect(arg(() => ltnEquilibria({ ...ok, u: () => [1, 1] }))).toBe('u');
    expect(arg(() => ltnEquilibria(ok, { method: 'simplex' as never }))).toBe('options.method');
    expect(arg(() => ltnStabilityReport(ok, { trials: 0 }))).toBe('options.trials');
    expect(arg(() => ltnVectorField(ok, [0, 0], { gamma: Number.NaN }))).toBe('options.gamma');
    expect(arg(() => ldsTest([[1]], { iterations: 0 }))).toBe('options.iterations');
  });
});
