import { expect, test } from 'vitest';
import { populationRate, spikeCountCorrelations, ValidationError } from '../../src/index.js';

test('populationRate counts whole bins inside [tStart, tStop) only: a spike after tStop is never counted', () => {
  // 2 neurons, [0, 25) ms in 10 ms bins: two whole bins; the spike at 27 ms lies after tStop.
  const r = populationRate([1, 12, 19, 24, 27], { n: 2, tStart: 0, tStop: 25, binSize: 10 });
  expect(r.length).toBe(2);
  expect([...r.rate]).toEqual([50, 100]); // 1 and 2 spikes / (2 neurons · 0.01 s)
  expect([...r.time]).toEqual([5, 15]);
  expect([...r.count]).toEqual([1, 2]);
  expect(r.column('rate').unit).toBe('Hz');
  expect(r.column('time').unit).toBe('ms');
  expect(r.toJSON().meta).toEqual({ n: 2, tStart: 0, tStop: 25, binSize: 10, meanRate: 75 });
  expect(() => populationRate([1, 30], { n: 1, tStop: 5, binSize: 10 })).toThrow(ValidationError);
  expect(() => populationRate([1, 30], { n: 1, tStop: 5, binSize: 10 })).toThrow(
    /options.binSize: expected a bin width ≤ tStop − tStart = 5 ms \(populationRate\), got 10/,
  );
  expect(() => populationRate([1], { n: 1, tStop: 5, bin: 1 } as never)).toThrow(
    /unknown option 'bin' for populationRate; did you mean 'binSize'\?/,
  );
});

test('populationRate: the #16 reproducers get a ValidationError naming the argument, never a raw error', () => {
  // populationRate([1], 2, 0, Infinity, 10) was a raw RangeError (an array of Infinity bins)
  expect(() => populationRate([1], { n: 2, tStart: 0, tStop: Number.POSITIVE_INFINITY, binSize: 10 })).toThrow(
    /options.tStop: expected a finite number \(ms\), got Infinity/,
  );
  expect(() => populationRate([1], 2 as never)).toThrow(/options: expected an options object for populationRate/);
  expect(() => populationRate([1], { n: 1, tStop: 1e12, binSize: 1e-3 })).toThrow(
    /options.binSize: expected a bin width giving at most 16777216 bins/,
  );
  expect(() => populationRate([1, Number.NaN], { n: 1, tStop: 10, binSize: 1 })).toThrow(/times\[1\]/);
  expect(() => populationRate(null as never, { n: 1, tStop: 10, binSize: 1 })).toThrow(ValidationError);
  expect(() => populationRate([1], { n: 0, tStop: 10, binSize: 1 })).toThrow(/options.n/);
});

test('spikeCountCorrelations needs two whole bins inside [tStart, tStop)', () => {
  expect(() => spikeCountCorrelations({ neuron: [0, 1], time: [1, 2] }, { n: 2, tStop: 15, binSize: 10 })).toThrow(
    /options.binSize: expected a bin width ≤ \(tStop − tStart\)\/2 = 7.5 ms/,
  );
  expect(() => spikeCountCorrelations({ neuron: [0, 3], time: [1, 2] }, { n: 2, tStop: 40, binSize: 10 })).toThrow(
    /spikes.neuron\[1\]: expected an integer in \[0, 1\], got 3/,
  );
  expect(() => spikeCountCorrelations(null as never, { n: 2, tStop: 40, binSize: 10 })).toThrow(ValidationError);
});

test('fpReducedSlowEvolve rejects a negative duration by name', async () => {
  const { fpReducedSlowEvolve } = await import('../../src/index.js');
  const H0 = new Array(10).fill(1);
  expect(() =>
    fpReducedSlowEvolve({ a: 1, vReset: 0, vThreshold: 1, input: () => 1, nu: 0.01, H0, wMin: -1.5, dt: 0.01, duration: -1 }),
  ).toThrow(/duration/);
});
