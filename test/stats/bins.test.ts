import { expect, test } from 'vitest';
import { populationRate, spikeCountCorrelations, ValidationError } from '../../src/index.js';

test('populationRate counts whole bins inside [t0, t1) only: a spike after t1 is never counted', () => {
  // 2 neurons, [0, 25) ms in 10 ms bins: two whole bins; the spike at 27 ms lies after t1.
  const r = populationRate([1, 12, 19, 24, 27], 2, 0, 25, 10);
  expect(r.rate.length).toBe(2);
  expect([...r.rate]).toEqual([50, 100]); // 1 and 2 spikes / (2 neurons · 0.01 s)
  expect(() => populationRate([1, 30], 1, 0, 5, 10)).toThrow(ValidationError);
  expect(() => populationRate([1, 30], 1, 0, 5, 10)).toThrow(/bin: expected a bin width <= t1 - t0 = 5 ms, got 10/);
});

test('spikeCountCorrelations needs two whole bins inside [t0, t1)', () => {
  expect(() => spikeCountCorrelations({ neuron: [0, 1], time: [1, 2] }, 2, 0, 15, 10)).toThrow(ValidationError);
});

test('fpReducedSlowEvolve rejects a negative duration by name', async () => {
  const { fpReducedSlowEvolve } = await import('../../src/index.js');
  const H0 = new Array(10).fill(1);
  expect(() =>
    fpReducedSlowEvolve({ a: 1, vReset: 0, vThreshold: 1, input: () => 1, nu: 0.01, H0, wMin: -1.5, dt: 0.01, duration: -1 }),
  ).toThrow(/duration/);
});
