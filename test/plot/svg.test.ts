import { expect, test } from 'vitest';
import { plot, ValidationError } from '../../src/index.js';

test('a raster of 200 000 spikes renders (no spread of the data onto the call stack)', () => {
  // A 100 s CUBA run interrupted half-way records ~10^6 spikes; Math.min(...v) overflowed here.
  const n = 200_000;
  const times = Float64Array.from({ length: n }, (_, k) => (k * 1000) / n);
  const neurons = Float64Array.from({ length: n }, (_, k) => k % 500);
  const svg = plot.rasterPlot(times, neurons);
  expect(svg.match(/<circle /g)?.length).toBe(n);
  // The x axis spans the data [0, 1000) ms: its ticks run from 0 to 1000.
  expect(svg).toContain('>0</text>');
  expect(svg).toContain('>1000</text>');
});

test('non-finite and (on log axes) non-positive points are skipped, mismatched lengths rejected', () => {
  const svg = plot.lineChart([{ x: [1, 2, 3, 4], y: [1, Number.NaN, -1, 10], mode: 'markers' }], { logy: true });
  expect(svg.match(/<circle /g)?.length).toBe(2);
  expect(() => plot.lineChart([{ x: [1, 2], y: [1] }])).toThrow(ValidationError);
  expect(() => plot.heatmap([1, 2, 3], 2, 2, [0, 1], [0, 1])).toThrow(/z.length/);
});
