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

test('legends sit below the plot area, never over the data; the figure grows by their rows', () => {
  const labels = ['euler-maruyama/grid: 0.97', 'euler-maruyama/linear: 1.00', 'exact/hermite: 3.98', 'a', 'b', 'c'];
  const series = labels.map((label, i) => ({ x: [1, 2, 3], y: [i, i + 1, i + 2], label }));
  const svg = plot.lineChart(series, { width: 500, height: 300, xlabel: 'x (ms)', ylabel: 'y (ms)' });
  // The plot frame: the one unfilled <rect>.
  const frame = /<rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)" fill="none"/.exec(svg);
  const [fx, fy, fw, fh] = (frame ?? []).slice(1).map(Number);
  const height = Number(/height="(\d+)"/.exec(svg)?.[1]);
  expect(height).toBeGreaterThan(300);
  for (const label of labels) {
    const m = new RegExp(`<text x="([\\d.]+)" y="([\\d.]+)" dominant-baseline="middle">${label.replace(/[/.]/g, '\\$&')}</text>`).exec(svg);
    expect(m, label).not.toBeNull();
    const [x, y] = [Number(m?.[1]), Number(m?.[2])];
    expect(y).toBeGreaterThan(fy + fh + 20); // below the frame and its x label
    expect(y).toBeLessThan(height);
    expect(x).toBeGreaterThanOrEqual(fx);
    expect(x + 6.6 * label.length).toBeLessThanOrEqual(500 + 1);
  }
  expect(fw).toBeGreaterThan(0);
  // Without labels, no room is added.
  expect(plot.lineChart([{ x: [1, 2], y: [1, 2] }], { height: 300 })).toMatch(/height="300"/);
});

test('heatmap: the colour bar has its label (the quantity and unit)', () => {
  const svg = plot.heatmap([0, 1, 2, 3], 2, 2, [0, 1], [0, 1], { zlabel: 'spectral radius' });
  expect(svg).toMatch(/rotate\(90\)" text-anchor="middle">spectral radius<\/text>/);
});
