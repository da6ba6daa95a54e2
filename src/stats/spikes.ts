/**
 * Spike-train statistics on plain typed arrays: greedy spike matching between two simulations of
 * the same network (the strong-error metric of the convergence lab), ISI statistics, population
 * rate, pairwise spike-count correlations and Golomb's synchrony measure χ.
 *
 * Conventions (docs/stats.md): times, windows and bin widths in ms, rates in Hz; standard
 * deviations with `ddof: 0` unless an option says otherwise (NumPy's default and Elephant's `cv`);
 * bins are half-open, [tStart + k·binSize, tStart + (k+1)·binSize), whole bins inside
 * [tStart, tStop) only (Elephant's `time_histogram`), so a spike at or after the last whole bin's
 * end is not counted.
 * @packageDocumentation
 */
import { makeTable, optionKeys, strictOptions, type TableOf } from '../contract/index.js';
import { ValidationError } from '../kernel/errors.js';
import { checkFinite, checkFiniteArray, checkInteger, checkPositive, isNumericArray } from '../kernel/validate.js';
import { squareSafe } from './regression.js';
import { type StatsResult, statsResult } from './result.js';

/** Most bins (or neurons × bins) a binned statistic allocates: 2^24 (128 MiB of f64 counts). */
export const STATS_MAX_BINS = 2 ** 24;

/** Result of {@link matchSpikeTrains}. */
export type SpikeMatch = StatsResult<
  'stats.spikeMatch',
  {
    /** Index into the reference train of each matched pair. */
    refIndex: Int32Array;
    /** Index into the test train of each matched pair. */
    testIndex: Int32Array;
    /** Signed error t_test − t_ref of each pair (ms). */
    error: Float64Array;
    /** Reference spikes left without a partner. */
    unmatchedRef: number;
    /** Test spikes left without a partner. */
    unmatchedTest: number;
  }
>;

/** Options of {@link matchSpikeTrains}. */
export interface MatchOptions {
  /** Largest pairing distance |t_test − t_ref| (ms), > 0. Required. */
  window: number;
}

// Option keys, checked by the compiler against the interfaces below (declarations are hoisted for types).
const MATCH_KEYS = optionKeys<MatchOptions>()(['window']);
const N_KEYS = optionKeys<NeuronCountOptions>()(['n']);
const ISI_KEYS = optionKeys<IsiOptions>()(['ddof']);
const BIN_KEYS = optionKeys<BinOptions>()(['n', 'tStart', 'tStop', 'binSize']);

function sortedCopy(name: string, v: unknown): Float64Array {
  const a = checkFiniteArray(name, v);
  for (let i = 1; i < a.length; i++)
    if (a[i] < a[i - 1]) throw new ValidationError(`${name}[${i}]`, `spike times in non-decreasing order (≥ ${a[i - 1]} ms)`, a[i]);
  return a;
}

/**
 * Greedy nearest pairing of two spike trains of ONE neuron: all candidate pairs with
 * |t_test − t_ref| ≤ window are taken in increasing order of distance (ties: earlier reference
 * first), each spike used at most once. This is the "matched histories" metric of the seed's
 * good set (research note §1.5): a reference spike without a partner within the window counts
 * as a mismatch. Both trains must be sorted (times in ms).
 * @example
 * ```ts
 * matchSpikeTrains([1, 5, 9], [1.1, 9.2], { window: 1 }).unmatchedRef; // 1 (the spike at 5)
 * ```
 */
export function matchSpikeTrains(ref: ArrayLike<number>, test: ArrayLike<number>, options: MatchOptions): SpikeMatch {
  const o = strictOptions<MatchOptions>('matchSpikeTrains', 'options', options, MATCH_KEYS);
  const r = sortedCopy('ref', ref);
  const t = sortedCopy('test', test);
  const window = checkPositive('options.window', o.window, 'ms');
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
  return statsResult('stats.spikeMatch', {
    refIndex: Int32Array.from(order.map((k) => ri[k])),
    testIndex: Int32Array.from(order.map((k) => ti[k])),
    error: Float64Array.from(order.map((k) => t[ti[k]] - r[ri[k]])),
    unmatchedRef: r.length - ri.length,
    unmatchedTest: t.length - ti.length,
  });
}

/** Spikes of many neurons as parallel arrays (a spike table's `neuron` and `time` columns). */
export interface SpikeList {
  /** Neuron index of each spike, in [0, n). */
  neuron: ArrayLike<number>;
  /** Spike time of each spike (ms), same length as `neuron`. */
  time: ArrayLike<number>;
}

/** Options naming the number of neurons. */
export interface NeuronCountOptions {
  /** Number of neurons n (indices in [0, n)), ≥ 1. Required. */
  n: number;
}

/** Result of {@link spikeTrainsByNeuron}. */
export type SpikeTrainsByNeuron = StatsResult<
  'stats.spikeTrainsByNeuron',
  {
    /** Per neuron, its spike times sorted ascending (ms). */
    times: Float64Array[];
    /** Per neuron, the indices into `spikes` of those spikes, in the same order. */
    index: Int32Array[];
  }
>;

function checkSpikeList(spikes: unknown, n: number): SpikeList {
  if (typeof spikes !== 'object' || spikes === null) throw new ValidationError('spikes', 'a spike list { neuron, time }', spikes);
  const s = spikes as SpikeList;
  if (!isNumericArray(s.neuron)) throw new ValidationError('spikes.neuron', 'an array of neuron indices', s.neuron);
  if (!isNumericArray(s.time)) throw new ValidationError('spikes.time', 'an array of spike times (ms)', s.time);
  if (s.neuron.length !== s.time.length)
    throw new ValidationError('spikes.time.length', `${s.neuron.length} (= spikes.neuron.length)`, s.time.length);
  for (let k = 0; k < s.neuron.length; k++) {
    const i = s.neuron[k];
    if (!Number.isInteger(i) || i < 0 || i >= n) throw new ValidationError(`spikes.neuron[${k}]`, `an integer in [0, ${n - 1}]`, i);
    if (typeof s.time[k] !== 'number' || !Number.isFinite(s.time[k]))
      throw new ValidationError(`spikes.time[${k}]`, 'a finite number (ms)', s.time[k]);
  }
  return s;
}

/** Splits a spike list into sorted per-neuron trains, returning for each neuron the times and original indices. */
export function spikeTrainsByNeuron(spikes: SpikeList, options: NeuronCountOptions): SpikeTrainsByNeuron {
  const o = strictOptions<NeuronCountOptions>('spikeTrainsByNeuron', 'options', options, N_KEYS);
  const n = checkInteger('options.n', o.n, 1, STATS_MAX_BINS);
  const s = checkSpikeList(spikes, n);
  const nn = s.neuron;
  const tt = s.time;
  const idx: number[][] = Array.from({ length: n }, () => []);
  for (let k = 0; k < nn.length; k++) idx[nn[k]].push(k);
  const index = idx.map((l) => Int32Array.from(l.sort((a, b) => tt[a] - tt[b] || a - b)));
  const times = index.map((l) => Float64Array.from(l, (k) => tt[k]));
  return statsResult('stats.spikeTrainsByNeuron', { times, index });
}

/** Options of {@link isiStatistics}. */
export interface IsiOptions {
  /**
   * Delta degrees of freedom of the ISI standard deviation: sd = √(Σ (ISI − mean)² / (m − ddof)),
   * m intervals. 0 is NumPy's and Elephant's `cv` convention; 1 is the unbiased sample variance.
   * @default 0
   */
  ddof?: 0 | 1;
}

/** Result of {@link isiStatistics}. */
export type IsiStatistics = StatsResult<
  'stats.isi',
  {
    /** Number of spikes. */
    count: number;
    /** Mean inter-spike interval (ms); NaN with fewer than 2 spikes (no interval). */
    meanIsi: number;
    /** CV = sd(ISI)/mean(ISI) (dimensionless), sd with `ddof`; NaN with at most `ddof` intervals. */
    cv: number;
    /** The ddof used for the standard deviation. */
    ddof: number;
  }
>;

/**
 * Mean inter-spike interval and coefficient of variation CV = sd(ISI)/mean(ISI) of one sorted
 * spike train (ms), sd with `ddof` (default 0, as NumPy and Elephant's `cv`). `meanIsi` is NaN
 * with fewer than 2 spikes and `cv` is NaN with at most `ddof` intervals (nothing to estimate):
 * documented results, not errors.
 * @example
 * ```ts
 * isiStatistics([0, 10, 30]).cv; // intervals 10, 20: sd 5 (ddof 0), mean 15, CV 1/3
 * ```
 */
export function isiStatistics(times: ArrayLike<number>, options: IsiOptions = {}): IsiStatistics {
  const o = strictOptions<IsiOptions>('isiStatistics', 'options', options, ISI_KEYS);
  const ddof = checkInteger('options.ddof', o.ddof ?? 0, 0, 1);
  const t = sortedCopy('times', times);
  for (let k = 0; k < t.length; k++) squareSafe(`times[${k}]`, t[k]); // squared intervals are summed
  const m = t.length - 1;
  if (m < 1) return statsResult('stats.isi', { count: t.length, meanIsi: Number.NaN, cv: Number.NaN, ddof });
  let s = 0;
  for (let k = 1; k < t.length; k++) s += t[k] - t[k - 1];
  const mean = s / m;
  if (m <= ddof) return statsResult('stats.isi', { count: t.length, meanIsi: mean, cv: Number.NaN, ddof });
  let v = 0;
  for (let k = 1; k < t.length; k++) v += (t[k] - t[k - 1] - mean) ** 2;
  return statsResult('stats.isi', { count: t.length, meanIsi: mean, cv: Math.sqrt(v / (m - ddof)) / mean, ddof });
}

/** Options of the binned statistics ({@link populationRate}, {@link spikeCountCorrelations}). */
export interface BinOptions extends NeuronCountOptions {
  /** Start of the first bin (ms). @default 0 */
  tStart?: number;
  /** End of the observation window (ms), > tStart; only whole bins inside [tStart, tStop) are used. Required. */
  tStop: number;
  /** Bin width (ms), > 0. Required. */
  binSize: number;
}

/** Columns of {@link populationRate}'s table. */
export type PopulationRateColumns = {
  /** Bin centre tStart + (k + ½)·binSize (ms). */
  time: Float64Array;
  /** Rate per neuron in the bin (Hz): count / (n · binSize/1000). */
  rate: Float64Array;
  /** Spikes of all neurons in the bin. */
  count: Float64Array;
};

/** Result of {@link populationRate}: a table of bins, plus the mean rate over them. */
export type PopulationRate = TableOf<PopulationRateColumns> & {
  /** Mean rate per neuron over the whole bins (Hz). Also in `meta.meanRate`. */
  readonly meanRate: number;
};

/** Checks tStart, tStop and binSize and returns the number of whole bins (≤ maxBins). */
function binsOf(where: string, o: BinOptions, minBins: number, perBin: number): { t0: number; t1: number; bin: number; m: number } {
  const t0 = checkFinite('options.tStart', o.tStart ?? 0, 'ms');
  const t1 = checkFinite('options.tStop', o.tStop, 'ms');
  if (!(t1 > t0)) throw new ValidationError('options.tStop', `a time > tStart = ${t0} ms`, t1);
  const bin = checkPositive('options.binSize', o.binSize, 'ms');
  if (minBins * bin > t1 - t0 + 1e-9 * bin) {
    const what = minBins === 1 ? 'tStop − tStart' : `(tStop − tStart)/${minBins}`;
    throw new ValidationError('options.binSize', `a bin width ≤ ${what} = ${(t1 - t0) / minBins} ms (${where})`, bin);
  }
  const m = Math.floor((t1 - t0) / bin + 1e-9);
  if (m * perBin > STATS_MAX_BINS)
    throw new ValidationError(
      'options.binSize',
      `a bin width giving at most ${STATS_MAX_BINS} bins${perBin > 1 ? ' × neurons' : ''} (${where}; here ${m} bins)`,
      bin,
    );
  return { t0, t1, bin, m };
}

/**
 * Population rate in Hz per neuron: spike counts of all neurons in bins of `binSize` ms over
 * [tStart, tStop), divided by n · binSize/1000 (Elephant's `time_histogram` with
 * `output='rate'`, divided by n). Returns a table of bins (`time` = bin centre in ms, `rate` in
 * Hz, `count`) and the mean rate over the whole bins.
 * @example
 * ```ts
 * const r = populationRate(spikes.time, { n: 100, tStop: 1000, binSize: 5 });
 * r.rate; r.time; r.meanRate;
 * ```
 */
export function populationRate(times: ArrayLike<number>, options: BinOptions): PopulationRate {
  const o = strictOptions<BinOptions>('populationRate', 'options', options, BIN_KEYS);
  const n = checkInteger('options.n', o.n, 1);
  const { t0, t1, bin, m } = binsOf('populationRate', o, 1, 1);
  const t = checkFiniteArray('times', times);
  const counts = new Float64Array(m);
  let inside = 0;
  for (const x of t) {
    if (x < t0 || x >= t0 + m * bin) continue;
    counts[Math.min(m - 1, Math.floor((x - t0) / bin))]++;
    inside++;
  }
  const f = 1000 / (n * bin);
  const meanRate = (inside * 1000) / (n * m * bin);
  const table = makeTable<PopulationRateColumns>(
    'stats.populationRate',
    {
      time: { data: Float64Array.from({ length: m }, (_, k) => t0 + (k + 0.5) * bin), unit: 'ms', description: 'bin centre' },
      rate: { data: counts.map((c) => c * f), unit: 'Hz', description: 'rate per neuron in the bin' },
      count: { data: counts, unit: '', description: 'spikes of all neurons in the bin' },
    },
    { n, tStart: t0, tStop: t1, binSize: bin, meanRate },
  );
  Object.defineProperty(table, 'meanRate', { value: meanRate, enumerable: false });
  return table as PopulationRate;
}

/** Result of {@link spikeCountCorrelations}. */
export type SpikeCountCorrelations = StatsResult<
  'stats.spikeCountCorrelations',
  {
    /** n×n correlation matrix ρ_ij (row-major; NaN where a neuron has zero count variance). */
    matrix: Float64Array;
    /** Mean of ρ_ij over pairs i < j with finite ρ (NaN when there is none). */
    meanPairwise: number;
    /** Number of pairs i < j with finite ρ entering `meanPairwise`. */
    pairs: number;
    /** Count-based Golomb χ, χ² = Var(Σ_i N_i)/(n Σ_i Var N_i) (dimensionless; NaN without count variance). */
    countChi: number;
    /** Number of bins used. */
    bins: number;
  }
>;

/**
 * Pairwise Pearson correlations of spike counts in bins of `binSize` ms over [tStart, tStop):
 * ρ_ij = Cov(N_i, N_j)/√(Var N_i Var N_j) (the ratio does not depend on ddof). Returns the n×n
 * matrix (row-major, NaN where a neuron has zero count variance), the mean over pairs i < j with
 * finite ρ, and the count-based Golomb χ, χ² = Var(Σ_i N_i) / (n Σ_i Var N_i) (≈ 1/√n for
 * independent neurons, 1 for identical counts). At least two whole bins are required.
 */
export function spikeCountCorrelations(spikes: SpikeList, options: BinOptions): SpikeCountCorrelations {
  const o = strictOptions<BinOptions>('spikeCountCorrelations', 'options', options, BIN_KEYS);
  const n = checkInteger('options.n', o.n, 1, 4096);
  const { t0, bin, m } = binsOf('spikeCountCorrelations', o, 2, n);
  const s = checkSpikeList(spikes, n);
  const c = new Float64Array(n * m);
  for (let k = 0; k < s.neuron.length; k++) {
    const x = s.time[k];
    if (x < t0 || x >= t0 + m * bin) continue;
    c[s.neuron[k] * m + Math.min(m - 1, Math.floor((x - t0) / bin))]++;
  }
  const mean = new Float64Array(n);
  const sd = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let k = 0; k < m; k++) sum += c[i * m + k];
    mean[i] = sum / m;
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
  return statsResult('stats.spikeCountCorrelations', {
    matrix: mat,
    meanPairwise: pairs ? sum / pairs : Number.NaN,
    pairs,
    countChi,
    bins: m,
  });
}

/**
 * Golomb's synchrony measure (Golomb & Rinzel 1993; Golomb 2007):
 * χ² = Var_t[V̄(t)] / mean_i Var_t[V_i(t)], V̄ = (1/n) Σ_i V_i, from samples of the voltages at
 * m ≥ 2 time points stored time-major (`samples[k·n + i]`); variances over time with ddof 0 (the
 * ratio does not depend on it). χ ≈ 1/√n for independent neurons and 1 for full synchrony.
 * Returns χ (not χ²); NaN when no neuron's voltage varies (χ undefined).
 */
export function golombChi(samples: ArrayLike<number>, options: NeuronCountOptions): number {
  const o = strictOptions<NeuronCountOptions>('golombChi', 'options', options, N_KEYS);
  const n = checkInteger('options.n', o.n, 1);
  const x = checkFiniteArray('samples', samples, undefined, squareSafe);
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
