/**
 * Convergence studies of LIF network schemes on coupled paths (seed 000_a5327dcba9ecafc1:
 * strong bound ~h^{1/2} up to logs via the good-set / bad-set "pruning" split, weak order 1;
 * research/lif-ltn.md §1.4–1.5).
 *
 * Each trial draws ONE Brownian path on the reference grid h_ref and runs every scheme at every
 * h = 2^k h_ref on it (the coarse increments are exact sums of the fine ones), plus the same
 * scheme at h_ref as its reference. Per trial it records matched-spike errors (greedy pairing
 * within a window, per neuron), unmatched spikes, the terminal-state error, coupled differences of
 * spike counts and of smooth functions of the terminal state. {@link summariseConvergence} turns
 * the rows (in trial order) into errors, confidence intervals and fitted orders; it is a pure
 * function of the rows, so shards of trials merge exactly.
 * @packageDocumentation
 */
import { ValidationError } from '../kernel/errors.js';
import { checkFiniteArray, checkInteger, checkOptions, checkPositive } from '../kernel/validate.js';
import { mergeTrials, runTrials, type TrialsResult, type WorkerPool } from '../parallel/pool.js';
import type { TrialInput } from '../parallel/types.js';
import { trialKey } from '../rng/seed.js';
import { type Estimate, fitOrder, meanConfidence, median } from '../stats/regression.js';
import { matchSpikeTrains } from '../stats/spikes.js';
import {
  CoupledNoise,
  CoupledPoisson,
  LAB_INTEGRATORS,
  LAB_RULES,
  type LabIntegrator,
  type LabRule,
  type LifLabNetwork,
  LifLabSimulation,
  type ResolvedLabNetwork,
  resolveLabNetwork,
} from './sim.js';

/** A scheme: subthreshold integrator × spike-time rule. */
export interface LabScheme {
  /** Subthreshold integrator (`euler-maruyama` or `exact`), see {@link LifLabSimulation}. */
  integrator: LabIntegrator;
  /** Spike-time rule (`grid`, `linear` or `hermite`), see {@link LifLabSimulation}. */
  rule: LabRule;
}

/** Name of a scheme, `integrator/rule`. */
export const schemeName = (s: LabScheme): string => `${s.integrator}/${s.rule}`;

/** The default schemes: every rule under Euler–Maruyama, and under the exact integrator for comparison. */
export const DEFAULT_SCHEMES: LabScheme[] = [
  { integrator: 'euler-maruyama', rule: 'grid' },
  { integrator: 'euler-maruyama', rule: 'linear' },
  { integrator: 'euler-maruyama', rule: 'hermite' },
  { integrator: 'exact', rule: 'grid' },
  { integrator: 'exact', rule: 'linear' },
  { integrator: 'exact', rule: 'hermite' },
];

/** Parameters of one convergence trial (the worker task input's `params`). */
export interface ConvergenceParams {
  /** The network (plain arrays, so it crosses the worker boundary). */
  network: LifLabNetwork;
  /** Horizon T (ms); a multiple of the largest h. */
  T: number;
  /** Step sizes, descending, each h_ref·2^k with k ≥ 1. */
  hs: number[];
  /** Reference step h_ref (ms); also the fine step h_f of the shared Brownian path. */
  hRef: number;
  /** Schemes run at every h in `hs` and at h_ref. */
  schemes: LabScheme[];
  /** Pairing window (ms). */
  window: number;
  /** A fixed reference scheme at h_ref for every scheme; absent: each scheme against itself at h_ref. */
  refScheme?: LabScheme;
}

/** Per layer matching counts of one level. */
interface LayerCounts {
  /** Σ err² over matched spikes. */
  sq: number;
  /** Matched pairs. */
  m: number;
  /** Unmatched reference / test spikes. */
  ur: number;
  ut: number;
  /** Reference spikes. */
  nr: number;
}

/** One level of one scheme in one trial. */
export interface ConvergenceLevelRow {
  /** Matching counts per layer (Σ err² in ms², matched / unmatched / reference spike counts). */
  layers: LayerCounts[];
  /** |t_h − t_ref| of each matched pair. */
  err: number[];
  /** Layer of each pair. */
  errLayer: number[];
  /** Crossing speed A of the reference spike of each pair. */
  errA: number[];
  /** (1/n) Σ_i (V_i^h(T) − V_i^ref(T))². */
  term: number;
  /** N_h − N_ref per layer. */
  dCount: number[];
  /** φ_h − φ_ref for φ = mean V(T), mean V(T)². */
  dPhi: number[];
}

/** One trial: per scheme, its reference summary and its levels (in `hs` order). */
export interface ConvergenceTrialRow {
  /** One entry per scheme, in `params.schemes` order. */
  schemes: {
    /** Spike count of the h_ref reference run per layer. */
    refCount: number[];
    /** Crossing speed A = V̇(t⁻) (voltage units/ms) of every reference spike. */
    refA: number[];
    /** One row per step size, in `hs` order. */
    levels: ConvergenceLevelRow[];
  }[];
}

function checkParams(p: ConvergenceParams): { net: ResolvedLabNetwork; ratios: number[]; fineSteps: number; maxRatio: number } {
  const net = resolveLabNetwork(p.network, 'network');
  const T = checkPositive('T', p.T, 'ms');
  const hRef = checkPositive('reference', p.hRef, 'ms');
  const hs = checkFiniteArray('hs', p.hs);
  if (hs.length < 2) throw new ValidationError('hs.length', 'at least 2 step sizes', hs.length);
  const ratios = Array.from(hs, (h, k) => {
    const r = Math.round(h / hRef);
    if (!(r >= 2 && (r & (r - 1)) === 0 && Math.abs(r * hRef - h) <= 1e-9 * h)) {
      throw new ValidationError(`hs[${k}]`, `reference·2^k with k ≥ 1 (reference = ${hRef} ms)`, h);
    }
    return r;
  });
  const maxRatio = Math.max(...ratios);
  const fineSteps = Math.round(T / hRef);
  if (Math.abs(fineSteps * hRef - T) > 1e-9 * T || fineSteps % maxRatio !== 0) {
    throw new ValidationError('T', `a multiple of the largest step ${maxRatio * hRef} ms`, T);
  }
  if (p.refScheme !== undefined) {
    if (!LAB_INTEGRATORS.includes(p.refScheme?.integrator))
      throw new ValidationError('reference.integrator', LAB_INTEGRATORS.join(' | '), p.refScheme?.integrator);
    if (!LAB_RULES.includes(p.refScheme?.rule)) throw new ValidationError('reference.rule', LAB_RULES.join(' | '), p.refScheme?.rule);
  }
  if (!Array.isArray(p.schemes) || p.schemes.length === 0) throw new ValidationError('schemes', 'a non-empty array of schemes', p.schemes);
  p.schemes.forEach((s, k) => {
    if (!LAB_INTEGRATORS.includes(s?.integrator))
      throw new ValidationError(`schemes[${k}].integrator`, LAB_INTEGRATORS.join(' | '), s?.integrator);
    if (!LAB_RULES.includes(s?.rule)) throw new ValidationError(`schemes[${k}].rule`, LAB_RULES.join(' | '), s?.rule);
  });
  checkPositive('window', p.window, 'ms');
  return { net, ratios, fineSteps, maxRatio };
}

/**
 * One trial of a convergence study (worker task `numerics.convergenceTrial`): a pure function of
 * (seed, trial, params).
 */
export function convergenceTrial(input: TrialInput<ConvergenceParams>): ConvergenceTrialRow {
  const p = input.params;
  const { net, ratios, fineSteps, maxRatio } = checkParams(p);
  const key = trialKey(input.seed, input.trial);
  const n = net.n;
  const window = Math.max(1, Math.floor(1024 / maxRatio)) * maxRatio;
  const noise = new CoupledNoise(key, n, window);
  const poisson = net.poissonRate ? new CoupledPoisson(key, net.poissonRate, p.hRef) : undefined;
  const sims: LifLabSimulation[][] = [];
  try {
    const make = (s: LabScheme, r: number) =>
      new LifLabSimulation(net, {
        h: r * p.hRef,
        hFine: p.hRef,
        integrator: s.integrator,
        rule: s.rule,
        seed: key,
        chunk: Math.max(1, Math.min(100, window / r)),
      });
    const shared = p.refScheme ? make(p.refScheme, 1) : null;
    for (const s of p.schemes) {
      const row: LifLabSimulation[] = [shared ?? make(s, 1)];
      for (const r of ratios) row.push(make(s, r));
      sims.push(row);
    }
    const all = new Set(sims.flat());
    for (let t0 = 0; t0 < fineSteps; t0 += window) {
      const w = Math.min(window, fineSteps - t0);
      noise.fill(t0, w);
      poisson?.fill(t0, w);
      for (const sim of all) sim.advance(w / sim.ratio, noise, poisson);
    }
    const L = net.layers;
    const phi = (V: Float64Array) => {
      let a = 0;
      let b = 0;
      for (let i = 0; i < n; i++) {
        a += V[i];
        b += V[i] * V[i];
      }
      return [a / n, b / n];
    };
    const out: ConvergenceTrialRow = { schemes: [] };
    for (const row of sims) {
      const ref = row[0].spikes();
      const refTrains = byNeuron(ref, n);
      const refCount = new Array(L).fill(0);
      for (let q = 0; q < ref.neuron.length; q++) refCount[net.layer[ref.neuron[q]]]++;
      const refV = row[0].state.V;
      const refPhi = phi(refV);
      const levels: ConvergenceLevelRow[] = [];
      for (let k = 1; k < row.length; k++) {
        const sp = row[k].spikes();
        const trains = byNeuron(sp, n);
        const layers: LayerCounts[] = Array.from({ length: L }, () => ({ sq: 0, m: 0, ur: 0, ut: 0, nr: 0 }));
        const err: number[] = [];
        const errLayer: number[] = [];
        const errA: number[] = [];
        const dCount = new Array(L).fill(0);
        for (let i = 0; i < n; i++) {
          const l = net.layer[i];
          const m = matchSpikeTrains(refTrains[i].t, trains[i].t, { window: p.window });
          const c = layers[l];
          for (let q = 0; q < m.error.length; q++) {
            c.sq += m.error[q] ** 2;
            err.push(Math.abs(m.error[q]));
            errLayer.push(l);
            errA.push(refTrains[i].A[m.refIndex[q]]);
          }
          c.m += m.error.length;
          c.ur += m.unmatchedRef;
          c.ut += m.unmatchedTest;
          c.nr += refTrains[i].t.length;
          dCount[l] += trains[i].t.length - refTrains[i].t.length;
        }
        const V = row[k].state.V;
        let term = 0;
        for (let i = 0; i < n; i++) term += (V[i] - refV[i]) ** 2;
        const ph = phi(V);
        levels.push({ layers, err, errLayer, errA, term: term / n, dCount, dPhi: [ph[0] - refPhi[0], ph[1] - refPhi[1]] });
      }
      out.schemes.push({ refCount, refA: Array.from(ref.A), levels });
    }
    return out;
  } finally {
    noise.dispose();
    for (const row of sims) for (const s of row) s.dispose();
    // (dispose is idempotent: a shared reference appears in every row)
  }
}

function byNeuron(sp: { neuron: Int32Array; time: Float64Array; A: Float64Array }, n: number): { t: Float64Array; A: Float64Array }[] {
  const idx: number[][] = Array.from({ length: n }, () => []);
  for (let q = 0; q < sp.neuron.length; q++) idx[sp.neuron[q]].push(q);
  return idx.map((l) => {
    l.sort((a, b) => sp.time[a] - sp.time[b]);
    return { t: Float64Array.from(l, (q) => sp.time[q]), A: Float64Array.from(l, (q) => sp.A[q]) };
  });
}

/** Errors of one scheme at one step size (aggregated over trials). */
export interface ConvergenceLevel {
  /** Step size h (ms). */
  h: number;
  /** RMS spike-time error over matched spikes (ms), all layers. */
  rmsErr: number;
  /** Median |spike-time error| over matched spikes (ms). */
  medianErr: number;
  /** Unmatched spikes (reference + test) per reference spike. */
  unmatched: number;
  /** Terminal mean-square voltage error E[(1/n)Σ(V_h(T) − V_ref(T))²]. */
  terminalMse: Estimate;
  /** Weak error E[N_h − N_ref] of the total spike count, with CI. */
  weakCount: Estimate;
  /** Weak errors of φ = mean V(T) and mean V(T)², with CIs. */
  weakPhi: Estimate[];
  /** Per layer (depth) errors. */
  layers: {
    /** RMS spike-time error over the layer's matched spikes (ms). */
    rmsErr: number;
    /** Median |spike-time error| over the layer's matched spikes (ms). */
    medianErr: number;
    /** Unmatched spikes (reference + test) per reference spike of the layer (dimensionless). */
    unmatched: number;
    /** Weak error E[N_h − N_ref] of the layer's spike count, with CI. */
    weakCount: Estimate;
  }[];
  /**
   * Good-set / bad-set split as a function of α: a trial is "good" when every reference spike
   * is matched (no count mismatch) and every matched reference spike has A ≥ α.
   */
  goodBad: {
    /** Crossing-speed cut α (voltage units/ms, compared with A = V̇(t⁻)). */
    alpha: number;
    /** Fraction of trials in the bad set (count mismatch, or some matched reference spike with A < α). */
    badProbability: number;
    /** E[Σ err² · 1_good]: summed squared spike-time error of good trials divided by ALL trials (ms²). */
    goodMse: number;
    /** RMS spike-time error over the matched spikes with A ≥ α, all trials (ms). */
    rmsErrFast: number;
    /** Fraction of matched spikes with A ≥ α (dimensionless). */
    fastFraction: number;
  }[];
}

/** Fitted orders of one scheme (slope of ln error vs ln h, with a CI). */
export interface ConvergenceOrders {
  /** RMS matched spike-time error. */
  strong: Estimate;
  /** Median matched spike-time error. */
  median: Estimate;
  /** Strong order per layer. */
  strongByLayer: Estimate[];
  /** |E[N_h − N_ref]| against h − h_ref. */
  weakCount: Estimate;
  /** Per layer weak count order. */
  weakCountByLayer: Estimate[];
  /** Terminal mean-square error (contains the terminal mismatch layer: no clean rate expected). */
  terminal: Estimate;
  /** Unmatched fraction. */
  unmatched: Estimate;
}

/** Result of {@link convergenceStudy}. */
export interface ConvergenceResult {
  /** Step sizes h (ms), descending. */
  hs: number[];
  /** Reference step h_ref (ms). */
  hRef: number;
  /** Horizon T (ms). */
  T: number;
  /** Trials that succeeded (failed trials are listed in `failed`). */
  trials: number;
  /** Trials that threw (e.g. a {@link NumericalError}), with their error message. */
  failed: {
    /** Trial index. */
    trial: number;
    /** The error's message. */
    message: string;
  }[];
  /** Per scheme, keyed by {@link schemeName} (`integrator/rule`). */
  schemes: Record<
    string,
    {
      /** Errors per step size, in `hs` order. */
      levels: ConvergenceLevel[];
      /** Fitted orders (slopes of ln error vs ln h). */
      orders: ConvergenceOrders;
      /** Firing rate of the h_ref reference run per layer (Hz), averaged over neurons and successful trials. */
      referenceRateHz: number[];
      /** Crossing speeds A (voltage units/ms) of all reference spikes, pooled over trials. */
      referenceA: number[];
    }
  >;
  /** The raw rows (for sharding: merge shards with {@link mergeConvergenceShards}). */
  rows: TrialsResult<ConvergenceTrialRow>;
}

const NAN_EST: Estimate = { value: Number.NaN, se: Number.NaN, ci: [Number.NaN, Number.NaN], level: 0.95, n: 0 };

function safeOrder(x: number[], y: number[]): Estimate {
  try {
    return fitOrder(x, y).order;
  } catch {
    return NAN_EST;
  }
}

/**
 * Aggregates trial rows (in trial order) into per-level errors and fitted orders. Pure: the same
 * rows give the same result, whatever machines or worker counts produced them.
 */
export function summariseConvergence(
  rows: TrialsResult<ConvergenceTrialRow>,
  meta: { params: ConvergenceParams; alphas?: number[] },
): ConvergenceResult {
  const p = meta.params;
  const { net } = checkParams(p);
  const alphas = meta.alphas ?? [0.02, 0.01, 0.005, 0.0025, 0.00125];
  const ok = rows.rows.filter((r) => r.ok).map((r) => (r as { value: ConvergenceTrialRow }).value);
  const failed = rows.rows
    .filter((r) => !r.ok)
    .map((r) => ({ trial: r.index, message: (r as { error: { message: string } }).error.message }));
  const L = net.layers;
  const schemes: ConvergenceResult['schemes'] = {};
  p.schemes.forEach((s, si) => {
    const levels: ConvergenceLevel[] = p.hs.map((h, k) => {
      const lv = ok.map((t) => t.schemes[si].levels[k]);
      const err = lv.flatMap((x) => x.err);
      const errLayer = lv.flatMap((x) => x.errLayer);
      const errA = lv.flatMap((x) => x.errA);
      const tot = (f: (c: LayerCounts) => number, l?: number) =>
        lv.reduce((a, x) => a + x.layers.reduce((b, c, li) => b + (l === undefined || l === li ? f(c) : 0), 0), 0);
      const rms = (l?: number) => Math.sqrt(tot((c) => c.sq, l) / tot((c) => c.m, l));
      const unm = (l?: number) => (tot((c) => c.ur, l) + tot((c) => c.ut, l)) / tot((c) => c.nr, l);
      const est = (v: number[]) => (v.length >= 2 ? meanConfidence(v) : NAN_EST);
      const goodBad = alphas.map((alpha) => {
        let bad = 0;
        let goodSq = 0;
        for (const x of lv) {
          const mismatch = x.layers.some((c) => c.ur > 0 || c.ut > 0);
          const slow = x.errA.some((a) => a < alpha);
          if (mismatch || slow) bad++;
          else goodSq += x.err.reduce((a, e) => a + e * e, 0);
        }
        let fsq = 0;
        let fc = 0;
        for (let q = 0; q < err.length; q++) {
          if (errA[q] >= alpha) {
            fsq += err[q] ** 2;
            fc++;
          }
        }
        return {
          alpha,
          badProbability: lv.length ? bad / lv.length : Number.NaN,
          goodMse: lv.length ? goodSq / lv.length : Number.NaN,
          rmsErrFast: Math.sqrt(fsq / fc),
          fastFraction: err.length ? fc / err.length : Number.NaN,
        };
      });
      return {
        h,
        rmsErr: rms(),
        medianErr: median(err),
        unmatched: unm(),
        terminalMse: est(lv.map((x) => x.term)),
        weakCount: est(lv.map((x) => x.dCount.reduce((a, b) => a + b, 0))),
        weakPhi: [0, 1].map((j) => est(lv.map((x) => x.dPhi[j]))),
        layers: Array.from({ length: L }, (_, l) => ({
          rmsErr: rms(l),
          medianErr: median(err.filter((_, q) => errLayer[q] === l)),
          unmatched: unm(l),
          weakCount: est(lv.map((x) => x.dCount[l])),
        })),
        goodBad,
      };
    });
    const hs = p.hs;
    const hw = hs.map((h) => h - p.hRef);
    const orders: ConvergenceOrders = {
      strong: safeOrder(
        hs,
        levels.map((l) => l.rmsErr),
      ),
      median: safeOrder(
        hs,
        levels.map((l) => l.medianErr),
      ),
      strongByLayer: Array.from({ length: L }, (_, l) =>
        safeOrder(
          hs,
          levels.map((x) => x.layers[l].rmsErr),
        ),
      ),
      weakCount: safeOrder(
        hw,
        levels.map((l) => Math.abs(l.weakCount.value)),
      ),
      weakCountByLayer: Array.from({ length: L }, (_, l) =>
        safeOrder(
          hw,
          levels.map((x) => Math.abs(x.layers[l].weakCount.value)),
        ),
      ),
      terminal: safeOrder(
        hs,
        levels.map((l) => l.terminalMse.value),
      ),
      unmatched: safeOrder(
        hs,
        levels.map((l) => l.unmatched),
      ),
    };
    const refCount = new Array(L).fill(0);
    for (const t of ok) {
      t.schemes[si].refCount.forEach((c, l) => {
        refCount[l] += c;
      });
    }
    const perLayerN = Array.from({ length: L }, (_, l) => net.layer.reduce((a, x) => a + (x === l ? 1 : 0), 0));
    schemes[schemeName(s)] = {
      levels,
      orders,
      referenceRateHz: refCount.map((c, l) => (1000 * c) / (perLayerN[l] * p.T * Math.max(1, ok.length))),
      referenceA: ok.flatMap((t) => t.schemes[si].refA),
    };
  });
  return { hs: p.hs, hRef: p.hRef, T: p.T, trials: ok.length, failed, schemes, rows };
}

/** Options of {@link convergenceStudy}. */
export interface ConvergenceOptions {
  /** The network (see {@link feedforwardLabNetwork}, {@link randomLabNetwork}). */
  network: LifLabNetwork;
  /** Horizon (ms); a multiple of the largest h. */
  T: number;
  /** Step sizes (ms), each reference·2^k with k ≥ 1. */
  hs: number[];
  /**
   * Reference: a step h_ref (ms), every scheme compared with itself at h_ref; or
   * `{ h, integrator, rule }`, every scheme compared with that scheme at h_ref.
   * @default min(hs)/8, same scheme
   */
  reference?:
    | number
    | {
        /** Reference step h_ref (ms). @default min(hs)/8 */
        h?: number;
        /** Reference integrator; when `integrator` or `rule` is given, every scheme is compared with this one. @default "exact" */
        integrator?: LabIntegrator;
        /** Reference spike-time rule. @default "hermite" */
        rule?: LabRule;
      };
  /** Number of trials (ignored when `range` is given). */
  trials?: number;
  /** Trial range [a, b) for sharding. @default [0, trials) */
  range?: [number, number];
  /** Study seed; trial k uses `trialKey(seed, k)`. */
  seed: number | string;
  /** Worker count (0 = inline). @default hardware concurrency */
  workers?: number;
  /** URL of the bundled worker script (`dist/worker.js`), when the default cannot be resolved. */
  workerUrl?: URL | string;
  /** An existing pool to run on (not terminated afterwards). */
  pool?: WorkerPool;
  /** @default {@link DEFAULT_SCHEMES} */
  schemes?: LabScheme[];
  /** Pairing window (ms). @default 1 */
  window?: number;
  /** α values of the good/bad split. @default [0.02, 0.01, 0.005, 0.0025, 0.00125] */
  alphas?: number[];
  /** Called after each trial with (completed, total). */
  onProgress?: (completed: number, total: number) => void;
  /** Abort signal: the promise then rejects with `AbortedError` (its `partial` holds the settled rows). */
  signal?: AbortSignal;
}

function paramsOf(o: ConvergenceOptions): ConvergenceParams {
  const hs = [...checkFiniteArray('options.hs', o.hs)].sort((a, b) => b - a);
  const ref = typeof o.reference === 'number' ? o.reference : (o.reference?.h ?? hs[hs.length - 1] / 8);
  const refObj = typeof o.reference === 'object' && o.reference !== null ? o.reference : undefined;
  const refScheme =
    refObj && (refObj.integrator || refObj.rule) ? { integrator: refObj.integrator ?? 'exact', rule: refObj.rule ?? 'hermite' } : undefined;
  const net = resolveLabNetwork(o.network, 'options.network');
  const network: LifLabNetwork = {
    n: net.n,
    gL: net.gL,
    vL: net.vL,
    vTh: net.vTh,
    vReset: net.vReset,
    tauSyn: net.tauSyn,
    mu: Array.from(net.mu),
    sigma: Array.from(net.sigma),
    J: net.J ? Array.from(net.J) : undefined,
    layer: Array.from(net.layer),
    poissonRate: net.poissonRate ? Array.from(net.poissonRate) : undefined,
    poissonJump: net.poissonJump ? Array.from(net.poissonJump) : undefined,
  };
  const params: ConvergenceParams = {
    network,
    T: o.T,
    hs,
    hRef: checkPositive('options.reference', ref, 'ms'),
    schemes: o.schemes ?? DEFAULT_SCHEMES,
    window: checkPositive('options.window', o.window ?? 1, 'ms'),
    ...(refScheme ? { refScheme } : {}),
  };
  checkParams(params);
  return params;
}

/**
 * Runs a convergence study on the worker pool: strong errors (matched spike times, unmatched
 * fraction, terminal MSE, good/bad split), weak errors with Monte-Carlo CIs, and fitted orders
 * per scheme and per layer. Results are identical for any worker count; a range [a, b) gives the
 * rows of those trials, and {@link mergeConvergenceShards} merges shards exactly.
 * @example
 * ```ts
 * const r = await convergenceStudy({ network: feedforwardLabNetwork({ sizes: [20, 20, 20] }),
 *   T: 200, hs: [0.4, 0.2, 0.1, 0.05], trials: 40, seed: 1 });
 * r.schemes['euler-maruyama/linear'].orders.strong.value; // ≈ 1
 * ```
 */
export async function convergenceStudy(options: ConvergenceOptions): Promise<ConvergenceResult> {
  const o = checkOptions('options', options);
  const params = paramsOf(o);
  const range: [number, number] = o.range ?? [0, checkInteger('options.trials', o.trials, 1, 1e9)];
  const rows = await runTrials<ConvergenceTrialRow, ConvergenceParams>('numerics.convergenceTrial', {
    tasks: { 'numerics.convergenceTrial': convergenceTrial }, // inline runs (workers: 0); workers run the package's tables
    seed: o.seed,
    range,
    params,
    workers: o.workers,
    workerUrl: o.workerUrl,
    pool: o.pool,
    onProgress: o.onProgress && ((p) => o.onProgress?.(p.done, p.total)),
    signal: o.signal,
  });
  return summariseConvergence(rows, { params, alphas: o.alphas });
}

/** Merges shards of one study (same options, trial ranges tiling [a, b)) into the full result. */
export function mergeConvergenceShards(
  shards: ConvergenceResult[],
  options: Omit<ConvergenceOptions, 'trials' | 'range'>,
): ConvergenceResult {
  const rows = mergeTrials(shards.map((s) => s.rows));
  return summariseConvergence(rows, { params: paramsOf(options as ConvergenceOptions), alphas: options.alphas });
}
