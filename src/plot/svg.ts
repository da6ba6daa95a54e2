/**
 * Dependency-free SVG figures for reports, examples and the CLI (line/scatter charts with linear
 * or log axes, spike rasters, heatmaps). Output is a standalone `<svg>` string that can be written
 * to a file or inlined in HTML. The browser playground uses uPlot for live charts instead.
 * @packageDocumentation
 */
import { optionKeys, strictOptions } from '../contract/options.js';
import { ValidationError } from '../kernel/errors.js';
import { checkBoolean, checkChoice, checkFinite, checkInteger, checkRange } from '../kernel/validate.js';

/** One data series of a {@link lineChart}. */
export interface Series {
  /** x values (data units of the x axis). */
  x: ArrayLike<number>;
  /** y values, same length as `x`. */
  y: ArrayLike<number>;
  /** Legend entry (no legend entry when absent). */
  label?: string;
  /** CSS colour. @default from a colour-blind-safe palette */
  color?: string;
  /** Draw markers (dots) instead of / as well as lines. @default "line" */
  mode?: 'line' | 'markers' | 'both';
  /** Dash pattern, e.g. "4 3". */
  dash?: string;
}

/** Options of {@link lineChart}. */
export interface ChartOptions {
  /** Title above the plot. */
  title?: string;
  /** x-axis label (put the unit in it, e.g. "h (ms)"). */
  xlabel?: string;
  /** y-axis label. */
  ylabel?: string;
  /** Logarithmic x axis (base 10). @default false */
  logx?: boolean;
  /** Logarithmic y axis (base 10). @default false */
  logy?: boolean;
  /** Width in px, 50–10,000. @default 640 */
  width?: number;
  /** Height in px, 50–10,000. @default 400 */
  height?: number;
  /** Fixed x-axis range [lo, hi], lo < hi (lo > 0 on a log axis; else the data range). */
  xrange?: [number, number];
  /** Fixed y-axis range [lo, hi] (else the data range). Ignored by {@link heatmap}, whose axes are its `xr`, `yr`. */
  yrange?: [number, number];
}

/** Okabe–Ito palette. */
const CHART_KEYS = ['title', 'xlabel', 'ylabel', 'logx', 'logy', 'width', 'height', 'xrange', 'yrange'] as const;
const HEATMAP_KEYS = optionKeys<HeatmapOptions>()([...CHART_KEYS, 'zrange', 'zlabel']);
const SERIES_KEYS = optionKeys<Series>()(['x', 'y', 'label', 'color', 'mode', 'dash']);

const checkText = (name: string, v: unknown): void => {
  if (v !== undefined && typeof v !== 'string') throw new ValidationError(name, 'a string', v);
};

/** An array or typed array of numbers (non-finite entries are allowed: they are skipped when drawn). */
function checkPoints(name: string, v: unknown): ArrayLike<number> {
  const ok =
    (Array.isArray(v) && v.every((x) => typeof x === 'number')) ||
    (ArrayBuffer.isView(v) && !(v instanceof DataView) && !(v instanceof BigInt64Array) && !(v instanceof BigUint64Array));
  if (!ok) throw new ValidationError(name, 'an array or typed array of numbers', v);
  return v as ArrayLike<number>;
}

/** An axis range [lo, hi]: finite, lo < hi, and lo > 0 on a log axis. */
function checkAxisRange(name: string, v: unknown, log: boolean): [number, number] | undefined {
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || v.length !== 2) throw new ValidationError(name, 'a pair [lo, hi]', v);
  const lo = checkFinite(`${name}[0]`, v[0]);
  const hi = checkFinite(`${name}[1]`, v[1]);
  if (log && !(lo > 0)) throw new ValidationError(`${name}[0]`, 'a value > 0 (logarithmic axis)', lo);
  if (!(hi > lo) || !Number.isFinite(hi - lo) || hi - lo < 1e-12 * Math.max(Math.abs(lo), Math.abs(hi)))
    throw new ValidationError(
      `${name}[1]`,
      `a value above ${name}[0] = ${lo} by more than 1e-12 of its magnitude (and finite hi − lo)`,
      hi,
    );
  return [lo, hi];
}

/** The chart options, checked (strict keys, types, sizes 50–10,000 px). */
function checkChart<T extends ChartOptions>(where: string, o: T | undefined, keys: readonly string[]): T {
  const c = strictOptions<T>(where, 'options', o, keys);
  checkText('options.title', c.title);
  checkText('options.xlabel', c.xlabel);
  checkText('options.ylabel', c.ylabel);
  if (c.logx !== undefined) checkBoolean('options.logx', c.logx);
  if (c.logy !== undefined) checkBoolean('options.logy', c.logy);
  if (c.width !== undefined) checkRange('options.width', c.width, 50, 10_000, { unit: 'px' });
  if (c.height !== undefined) checkRange('options.height', c.height, 50, 10_000, { unit: 'px' });
  checkAxisRange('options.xrange', c.xrange, !!c.logx);
  checkAxisRange('options.yrange', c.yrange, !!c.logy);
  return c;
}

export const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#F0E442', '#000000'];

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const fmt = (v: number) => {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e4 || a < 1e-3) return v.toExponential(1).replace('e+', 'e');
  return Number(v.toPrecision(3)).toString();
};

/** [min, max] of a non-empty array, by a loop (safe for any length). */
function minMax(v: ArrayLike<number>): [number, number] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < v.length; i++) {
    if (v[i] < lo) lo = v[i];
    if (v[i] > hi) hi = v[i];
  }
  return [lo, hi];
}

function ticks(lo: number, hi: number, log: boolean): number[] {
  if (log) {
    const out: number[] = [];
    for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
      const v = 10 ** e;
      if (v >= lo * 0.999 && v <= hi * 1.001) out.push(v);
    }
    if (out.length >= 2) return out;
  }
  const span = hi - lo || 1;
  const step0 = 10 ** Math.floor(Math.log10(span / 5));
  const step = [1, 2, 5, 10].map((m) => m * step0).find((s) => span / s <= 7) ?? step0 * 10;
  const out: number[] = [];
  if (!(step > 0) || !Number.isFinite(step)) return out;
  // by index, at most 50 ticks: `v += step` stalls where step is below the spacing of doubles near v
  const k0 = Math.ceil(lo / step);
  for (let k = k0; k < k0 + 50 && k * step <= hi + 1e-9 * span; k++) out.push(Math.abs(k * step) < 1e-12 * span ? 0 : k * step);
  return out;
}

function extent(values: number[], log: boolean): [number, number] {
  const v = values.filter((x) => Number.isFinite(x) && (!log || x > 0));
  if (v.length === 0) return log ? [1, 10] : [0, 1];
  // A loop, not Math.min(...v): spreading hundreds of thousands of points (a long raster)
  // overflows the call stack.
  let [lo, hi] = minMax(v);
  if (lo === hi) {
    if (log) {
      lo /= 2;
      hi *= 2;
    } else {
      lo -= 0.5;
      hi += 0.5;
    }
  }
  if (!log) {
    const pad = 0.04 * (hi - lo);
    lo -= pad;
    hi += pad;
  }
  return [lo, hi];
}

/** Approximate width in px of a label at font-size 12 (sans-serif averages about 6.6 px a character). */
const textWidth = (s: string) => 6.6 * s.length;

/**
 * Legend entries laid out in rows below the x-axis label, so they never cover data: returns the
 * entries' positions (relative to the legend's top-left corner) and the legend's height.
 */
function legendLayout(labels: string[], width: number): { at: [number, number][]; height: number } {
  const at: [number, number][] = [];
  let x = 0;
  let row = 0;
  for (const l of labels) {
    const w = 28 + textWidth(l) + 18;
    if (x > 0 && x + w > width) {
      x = 0;
      row++;
    }
    at.push([x, row * 18]);
    x += w;
  }
  return { at, height: labels.length ? (row + 1) * 18 + 4 : 0 };
}

/** A frame with axes; returns the SVG pieces and the data→pixel maps. `extra.b` adds room below (legend). */
function frame(o: ChartOptions, xr: [number, number], yr: [number, number], extra: { b?: number; r?: number } = {}) {
  const W = o.width ?? 640;
  const H = (o.height ?? 400) + (extra.b ?? 0);
  const m = { l: 70, r: 20 + (extra.r ?? 0), t: o.title ? 34 : 14, b: 50 + (extra.b ?? 0) };
  const lx = o.logx ? Math.log10 : (v: number) => v;
  const ly = o.logy ? Math.log10 : (v: number) => v;
  const [x0, x1] = [lx(xr[0]), lx(xr[1])];
  const [y0, y1] = [ly(yr[0]), ly(yr[1])];
  const px = (v: number) => m.l + ((lx(v) - x0) / (x1 - x0 || 1)) * (W - m.l - m.r);
  const py = (v: number) => H - m.b - ((ly(v) - y0) / (y1 - y0 || 1)) * (H - m.t - m.b);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
  ];
  if (o.title) parts.push(`<text x="${W / 2}" y="20" text-anchor="middle" font-size="14">${esc(o.title)}</text>`);
  for (const t of ticks(xr[0], xr[1], !!o.logx)) {
    const x = px(t).toFixed(1);
    parts.push(`<line x1="${x}" x2="${x}" y1="${m.t}" y2="${H - m.b}" stroke="#eee"/>`);
    parts.push(`<text x="${x}" y="${H - m.b + 16}" text-anchor="middle">${fmt(t)}</text>`);
  }
  for (const t of ticks(yr[0], yr[1], !!o.logy)) {
    const y = py(t).toFixed(1);
    parts.push(`<line x1="${m.l}" x2="${W - m.r}" y1="${y}" y2="${y}" stroke="#eee"/>`);
    parts.push(`<text x="${m.l - 6}" y="${y}" text-anchor="end" dominant-baseline="middle">${fmt(t)}</text>`);
  }
  parts.push(`<rect x="${m.l}" y="${m.t}" width="${W - m.l - m.r}" height="${H - m.t - m.b}" fill="none" stroke="#333"/>`);
  if (o.xlabel) parts.push(`<text x="${(m.l + W - m.r) / 2}" y="${H - 12 - (extra.b ?? 0)}" text-anchor="middle">${esc(o.xlabel)}</text>`);
  if (o.ylabel)
    parts.push(`<text transform="translate(16 ${(m.t + H - m.b) / 2}) rotate(-90)" text-anchor="middle">${esc(o.ylabel)}</text>`);
  return { parts, px, py, W, H, m };
}

/**
 * Line / scatter chart of one or more series. Non-finite points (and non-positive ones on a log
 * axis) are skipped, breaking the line. Series with a `label` get a legend entry; the legend sits
 * below the plot area (the figure grows by its rows), never over the data.
 * @example
 * ```ts
 * const svg = lineChart([{ x: hs, y: errs, label: 'linear' }], { logx: true, logy: true, xlabel: 'h (ms)' });
 * ```
 */
export function lineChart(series: Series[], options: ChartOptions = {}): string {
  if (!Array.isArray(series) || series.length === 0) throw new ValidationError('series', 'a non-empty array of series', series);
  const o = checkChart('lineChart', options, CHART_KEYS);
  series.forEach((s, i) => {
    strictOptions('lineChart', `series[${i}]`, s, SERIES_KEYS);
    if (s === undefined) throw new ValidationError(`series[${i}]`, 'a series { x, y }', s);
    const x = checkPoints(`series[${i}].x`, s.x);
    if (checkPoints(`series[${i}].y`, s.y).length !== x.length)
      throw new ValidationError(`series[${i}].y.length`, `${x.length} (= x.length)`, s.y.length);
    checkText(`series[${i}].label`, s.label);
    checkText(`series[${i}].color`, s.color);
    checkText(`series[${i}].dash`, s.dash);
    if (s.mode !== undefined) checkChoice(`series[${i}].mode`, s.mode, ['line', 'markers', 'both'] as const);
  });
  const xs = series.flatMap((s) => Array.from(s.x));
  const ys = series.flatMap((s) => Array.from(s.y));
  const labelled = series.map((s, i) => ({ label: s.label, i })).filter((e): e is { label: string; i: number } => !!e.label);
  const W0 = o.width ?? 640;
  const legend = legendLayout(
    labelled.map((e) => e.label),
    W0 - 90,
  );
  const { parts, px, py, H, m } = frame(o, o.xrange ?? extent(xs, !!o.logx), o.yrange ?? extent(ys, !!o.logy), { b: legend.height });
  const ok = (x: number, y: number) => Number.isFinite(x) && Number.isFinite(y) && (!o.logx || x > 0) && (!o.logy || y > 0);
  series.forEach((s, i) => {
    const color = s.color ?? PALETTE[i % PALETTE.length];
    const mode = s.mode ?? 'line';
    if (mode !== 'markers') {
      let d = '';
      let pen = false;
      for (let k = 0; k < s.x.length; k++) {
        if (!ok(s.x[k], s.y[k])) {
          pen = false;
          continue;
        }
        d += `${pen ? 'L' : 'M'}${px(s.x[k]).toFixed(1)} ${py(s.y[k]).toFixed(1)}`;
        pen = true;
      }
      parts.push(`<path d="${d}" fill="none" stroke="${color}" stroke-width="1.6"${s.dash ? ` stroke-dasharray="${s.dash}"` : ''}/>`);
    }
    if (mode !== 'line') {
      for (let k = 0; k < s.x.length; k++) {
        if (ok(s.x[k], s.y[k])) parts.push(`<circle cx="${px(s.x[k]).toFixed(1)}" cy="${py(s.y[k]).toFixed(1)}" r="2.5" fill="${color}"/>`);
      }
    }
    const k = labelled.findIndex((e) => e.i === i);
    if (k >= 0 && s.label) {
      const x = m.l + legend.at[k][0];
      const y = H - legend.height + legend.at[k][1] + 6;
      if (mode !== 'markers')
        parts.push(
          `<line x1="${x}" x2="${x + 22}" y1="${y}" y2="${y}" stroke="${color}" stroke-width="2"${s.dash ? ` stroke-dasharray="${s.dash}"` : ''}/>`,
        );
      if (mode !== 'line') parts.push(`<circle cx="${x + 11}" cy="${y}" r="3" fill="${color}"/>`);
      parts.push(`<text x="${x + 28}" y="${y}" dominant-baseline="middle">${esc(s.label)}</text>`);
    }
  });
  parts.push('</svg>');
  return parts.join('\n');
}

/** Spike raster: one dot per (time, neuron). */
export function rasterPlot(times: ArrayLike<number>, neurons: ArrayLike<number>, options: ChartOptions = {}): string {
  const o = checkChart('rasterPlot', options, CHART_KEYS);
  checkPoints('times', times);
  if (checkPoints('neurons', neurons).length !== times.length)
    throw new ValidationError('neurons.length', `${times.length} (= times.length)`, neurons.length);
  return lineChart([{ x: times, y: neurons, mode: 'markers', color: '#000' }], { xlabel: 'time (ms)', ylabel: 'neuron', ...o }).replace(
    /r="2.5"/g,
    'r="1"',
  );
}

/** Most cells of one {@link heatmap} (each is an SVG rect). */
const HEATMAP_MAX_CELLS = 1_000_000;

/** Options of {@link heatmap}. */
export interface HeatmapOptions extends ChartOptions {
  /** Colour range (else data min/max). */
  zrange?: [number, number];
  /** Label of the colour bar (the quantity and its unit), written beside it. */
  zlabel?: string;
}

/**
 * Heatmap of a row-major `ny × nx` grid `z[iy * nx + ix]` over x in `xr`, y in `yr` (viridis-like
 * colours), with a colour bar.
 */
export function heatmap(
  z: ArrayLike<number>,
  nx: number,
  ny: number,
  xr: [number, number],
  yr: [number, number],
  options: HeatmapOptions = {},
): string {
  const o = checkChart('heatmap', options, HEATMAP_KEYS);
  checkText('options.zlabel', o.zlabel);
  checkAxisRange('options.zrange', o.zrange, false);
  checkPoints('z', z);
  checkInteger('nx', nx, 1, HEATMAP_MAX_CELLS);
  checkInteger('ny', ny, 1, Math.floor(HEATMAP_MAX_CELLS / nx));
  if (z.length !== nx * ny) throw new ValidationError('z.length', `nx·ny = ${nx * ny}`, z.length);
  if (xr === undefined || yr === undefined) throw new ValidationError(xr === undefined ? 'xr' : 'yr', 'a pair [lo, hi]', undefined);
  checkAxisRange('xr', xr, false);
  checkAxisRange('yr', yr, false);
  const zl = o.zlabel ? 18 : 0;
  const { parts, px, py, W, m, H } = frame({ ...o, logx: false, logy: false, width: (o.width ?? 640) + 40 + zl }, xr, yr, { r: 20 + zl });
  const finite = Array.from(z).filter(Number.isFinite);
  const [z0, z1] = o.zrange ?? minMax(finite);
  const dx = (xr[1] - xr[0]) / nx;
  const dy = (yr[1] - yr[0]) / ny;
  for (let iy = 0; iy < ny; iy++) {
    for (let ix = 0; ix < nx; ix++) {
      const v = z[iy * nx + ix];
      const t = Number.isFinite(v) ? Math.min(1, Math.max(0, (v - z0) / (z1 - z0 || 1))) : Number.NaN;
      const x = px(xr[0] + ix * dx);
      const y = py(yr[0] + (iy + 1) * dy);
      const w = px(xr[0] + (ix + 1) * dx) - x;
      const h = py(yr[0] + iy * dy) - y;
      parts.splice(
        parts.length - 1,
        0,
        `<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${(w + 0.6).toFixed(1)}" height="${(h + 0.6).toFixed(1)}" fill="${Number.isNaN(t) ? '#ccc' : viridis(t)}"/>`,
      );
    }
  }
  // colour bar
  for (let k = 0; k < 20; k++) {
    parts.push(
      `<rect x="${W - m.r + 4}" y="${(m.t + ((H - m.t - m.b) * (19 - k)) / 20).toFixed(1)}" width="10" height="${((H - m.t - m.b) / 20 + 0.5).toFixed(1)}" fill="${viridis(k / 19)}"/>`,
    );
  }
  parts.push(
    `<text x="${W - m.r + 4}" y="${m.t - 3}" font-size="10">${fmt(z1)}</text><text x="${W - m.r + 4}" y="${H - m.b + 12}" font-size="10">${fmt(z0)}</text>`,
  );
  if (o.zlabel)
    parts.push(
      `<text transform="translate(${W - m.r + 32} ${(m.t + H - m.b) / 2}) rotate(90)" text-anchor="middle">${esc(o.zlabel)}</text>`,
    );
  parts.push('</svg>');
  return parts.join('\n');
}

/** Viridis-like colour for t in [0, 1]. */
export function viridis(t: number): string {
  checkFinite('t', t);
  const stops = [
    [68, 1, 84],
    [59, 82, 139],
    [33, 145, 140],
    [94, 201, 98],
    [253, 231, 37],
  ];
  const s = Math.min(0.9999, Math.max(0, t)) * (stops.length - 1);
  const i = Math.floor(s);
  const f = s - i;
  const c = stops[i].map((a, k) => Math.round(a + f * (stops[i + 1][k] - a)));
  return `rgb(${c[0]},${c[1]},${c[2]})`;
}
