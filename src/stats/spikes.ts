/**
 * Spike-train statistics on plain typed arrays: greedy spike matching between two simulations of
 * the same network (the strong-error metric of the convergence lab), ISI statistics, population
 * rate, pairwise spike-count correlations and Golomb's synchrony measure χ.
 * @packageDocumentation
 */
import { ValidationError } from '../kernel/errors.js';
import { checkFiniteArray, checkInteger, checkPositive } from '../kernel/validate.js';

/** Result of {@link matchSpikeTrains}. */
export interface SpikeMatch {
  /** Index into the reference train of each matched pair. */
  refIndex: Int32Array;
  /** Index into the test train of each matched pair. */
  testIndex: Int32Array;
  /** Signed error t_test − t_ref of each pair. */
  error: Float64Array;
  /** Reference spikes left without a partner. */
  unmatchedRef: number;
  /** Test spikes left without a partner. */
  unmatchedTest: number;
}

function sortedCopy(name: string, v: ArrayLike<number>): Float64Array {
  const a = checkFiniteArray(name, v);
  for (let i = 1; i < a.length; i++)
    if (a[i] < a[i - 1]) throw new ValidationError(name, 'spike times in non-decreasing order', Array.from(a));
  return a;
}

/**
 * Greedy nearest pairing of two spike trains of ONE neuron: all candidate pairs with
 * |t_test − t_ref| ≤ window are taken in increasing order of distance (ties: earlier reference
 * first), each spike used at most once. This is the "matched histories" metric of the seed's
 * good set (research note §1.5): a reference spike without a partner within the window counts
 * as a mismatch. Both trains must be sorted.
 * @param window - maximal pairing distance (same unit as the times, ms)
 * @example
 * ```ts
 * matchSpikeTrains([1, 5, 9], [1.1, 9.2], 1).unmatchedRef; // 1 (the spike at 5)
 * ```
 */
export function matchSpikeTrains(ref: ArrayLike<number>, test: ArrayLike<number>, window: number): SpikeMatch {
  const r = sortedCopy('ref', ref);
  const t = sortedCopy('test', test);
  checkPositive('window', window, 'ms');
  // Candidate pairs: for sorted trains each reference spike only sees a contiguous test range.
  const cand: [number, number, number][] = [];
  let lo = 0;
  for (let i = 0; i < r.length; i++) {
    while (lo < t.length && t[lo] < r[i] - window) lo++;
    for (let j = lo; j < t.length && t[j] <= r[i] + window; j++) cand.push([Math.abs(t[j] - r[i]), i, j]);
  }
  cand.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
  const usedR = new Uint8Array(r.length);
  const usedT = new Uint8Array(t.length);
  const ri: number[] = [];
  const ti: number[] = [];
  for (const [, i, j] of cand) {
    if (usedR[i] || usedT[j]) continue;
    usedR[i] = 1;
    usedT[j] = 1;
    ri.push(i);
    ti.push(j);
  }
  // Report pairs in reference order.
  const order = ri.map((_, k) => k).sort((a, b) => ri[a] - ri[b]);
  const refIndex = Int32Array.from(order.map((k) => ri[k]));
  const testIndex = Int32Array.from(order.map((k) => ti[k]));
  const error = Float64Array.from(order.map((k) => t[ti[k]] - r[ri[k]]));
  return { refIndex, testIndex, error, unmatchedRef: r.length - ri.length, unmatchedTest: t.length - ti.length };
}

/** Spikes of many neurons as parallel arrays (times in ms). */
export interface SpikeList {
  neuron: ArrayLike<number>;
  time: ArrayLike<number>;
}

/** Splits a spike list into sorted per-neuron trains, returning for each neuron the times and original indices. */
export function spikeTrainsByNeuron(spikes: SpikeList, n: number): { times: Float64Array[]; index: Int32Array[] } {
  checkInteger('n', n, 1);
  const nn = spikes.neuron;
  const tt = spikes.time;
  if (nn.length !== tt.length) throw new ValidationError('spikes.time.length', `${nn.length} (= spikes.neuron.length)`, tt.length);
  const idx: number[][] = Array.from({ length: n }, () => []);
  for (let k = 0; k < nn.length; k++) {
    const i = nn[k];
    if (!Number.isInteger(i) || i < 0 || i >= n) throw new ValidationError(`spikes.neuron[${k}]`, `an integer in [0, ${n - 1}]`, i);
    if (!Number.isFinite(tt[k])) throw new ValidationError(`spikes.time[${k}]`, 'a finite number', tt[k]);
    idx[i].push(k);
  }
  const index = idx.map((l) => Int32Array.from(l.sort((a, b) => tt[a] - tt[b] || a - b)));
  const times = index.map((l) => Float64Array.from(l, (k) => tt[k]));
  return { times, index };
}

/**
 * Mean inter-spike interval and its coefficient of variation CV = sd(ISI)/mean(ISI) of one
 * sorted spike train (NaN when fewer than 2 or 3 spikes).
 */
export function isiStatistics(times: ArrayLike<number>): { count: number; meanIsi: number; cv: number } {
  const t = sortedCopy('times', times);
  const m = t.length - 1;
  if (m < 1) return { count: t.length, meanIsi: Number.NaN, cv: Number.NaN };
  let s = 0;
  for (let k = 1; k < t.length; k++) s += t[k] - t[k - 1];
  const mean = s / m;
  if (m < 2) return { count: t.length, meanIsi: mean, cv: Number.NaN };
  let v = 0;
  for (let k = 1; k < t.length; k++) v += (t[k] - t[k - 1] - mean) ** 2;
  return { count: t.length, meanIsi: mean, cv: Math.sqrt(v / (m - 1)) / mean };
}

/**
 * Population rate in Hz per neuron: spike counts in bins of `bin` ms over [t0, t1), divided by
 * n · bin/1000. Returns the bin centres and rates, and the overall mean rate.
 */
export function populationRate(
  times: ArrayLike<number>,
  n: number,
  t0: number,
  t1: number,
  bin: number,
): { centre: Float64Array; rate: Float64Array; meanHz: number } {
  const t = checkFiniteArray('times', times);
  checkInteger('n', n, 1);
  checkPositive('bin', bin, 'ms');
  if (!(t1 > t0)) throw new ValidationError('t1', `a time > t0 = ${t0} ms`, t1);
  const m = Math.max(1, Math.floor((t1 - t0) / bin + 1e-9));
  const counts = new Float64Array(m);
  let inside = 0;
  for (const x of t) {
    if (x < t0 || x >= t0 + m * bin) continue;
    counts[Math.min(m - 1, Math.floor((x - t0) / bin))]++;
    inside++;
  }
  const f = 1000 / (n * bin);
  return {
    centre: Float64Array.from({ length: m }, (_, k) => t0 + (k + 0.5) * bin),
    rate: counts.map((c) => c * f),
    meanHz: (inside * 1000) / (n * m * bin),
  };
}

/**
 * Pairwise Pearson correlations of spike counts in bins of `bin` ms over [t0, t1):
 * ρ_ij = Cov(N_i, N_j)/√(Var N_i Var N_j). Returns the n×n matrix (row-major, NaN where a neuron
 * has zero count variance), the mean over pairs i < j with finite ρ, and the count-based Golomb χ,
 * χ² = Var(Σ_i N_i) / (n Σ_i Var N_i) (≈ 1/√n for independent neurons, 1 for identical counts).
 */
export function spikeCountCorrelations(
  spikes: SpikeList,
  n: number,
  t0: number,
  t1: number,
  bin: number,
): { matrix: Float64Array; meanPairwise: number; pairs: number; countChi: number } {
  checkPositive('bin', bin, 'ms');
  if (!(t1 > t0)) throw new ValidationError('t1', `a time > t0 = ${t0} ms`, t1);
  const { times } = spikeTrainsByNeuron(spikes, n);
  const m = Math.max(2, Math.floor((t1 - t0) / bin + 1e-9));
  const c = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    for (const x of times[i]) {
      if (x < t0 || x >= t0 + m * bin) continue;
      c[i * m + Math.min(m - 1, Math.floor((x - t0) / bin))]++;
    }
  }
  const mean = new Float64Array(n);
  const sd = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = 0; k < m; k++) s += c[i * m + k];
    mean[i] = s / m;
    let v = 0;
    for (let k = 0; k < m; k++) v += (c[i * m + k] - mean[i]) ** 2;
    sd[i] = Math.sqrt(v / m);
  }
  const mat = new Float64Array(n * n).fill(Number.NaN);
  let sum = 0;
  let pairs = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      if (!(sd[i] > 0 && sd[j] > 0)) continue;
      let cov = 0;
      for (let k = 0; k < m; k++) cov += (c[i * m + k] - mean[i]) * (c[j * m + k] - mean[j]);
      const rho = cov / m / (sd[i] * sd[j]);
      mat[i * n + j] = rho;
      mat[j * n + i] = rho;
      if (j > i) {
        sum += rho;
        pairs++;
      }
    }
  }
  let popMean = 0;
  for (let i = 0; i < n; i++) popMean += mean[i];
  let popVar = 0;
  let sumVar = 0;
  for (let k = 0; k < m; k++) {
    let p = 0;
    for (let i = 0; i < n; i++) p += c[i * m + k];
    popVar += (p - popMean) ** 2;
  }
  popVar /= m;
  for (let i = 0; i < n; i++) sumVar += sd[i] * sd[i];
  const countChi = sumVar > 0 ? Math.sqrt(popVar / (n * sumVar)) : Number.NaN;
  return { matrix: mat, meanPairwise: pairs ? sum / pairs : Number.NaN, pairs, countChi };
}

/**
 * Golomb's synchrony measure (Golomb & Rinzel 1993; Golomb 2007):
 * χ² = Var_t[V̄(t)] / mean_i Var_t[V_i(t)], V̄ = (1/n) Σ_i V_i, from samples of the voltages at
 * m time points stored time-major (`samples[k·n + i]`). χ ≈ 1/√n for independent neurons and 1
 * for full synchrony. Returns χ (not χ²).
 */
export function golombChi(samples: ArrayLike<number>, n: number): number {
  checkInteger('n', n, 1);
  const x = checkFiniteArray('samples', samples);
  if (x.length % n !== 0) throw new ValidationError('samples.length', `a multiple of n = ${n}`, x.length);
  const m = x.length / n;
  if (m < 2) throw new ValidationError('samples.length', `at least 2 time points (2n = ${2 * n})`, x.length);
  const mi = new Float64Array(n);
  const qi = new Float64Array(n);
  let mbar = 0;
  let qbar = 0;
  for (let k = 0; k < m; k++) {
    let s = 0;
    for (let i = 0; i < n; i++) {
      const v = x[k * n + i];
      mi[i] += v;
      qi[i] += v * v;
      s += v;
    }
    s /= n;
    mbar += s;
    qbar += s * s;
  }
  mbar /= m;
  const varBar = qbar / m - mbar * mbar;
  let varMean = 0;
  for (let i = 0; i < n; i++) {
    const mu = mi[i] / m;
    varMean += qi[i] / m - mu * mu;
  }
  varMean /= n;
  return varMean > 0 ? Math.sqrt(Math.max(0, varBar) / varMean) : Number.NaN;
}
