/**
 * Convergence studies of the LIF engine's schemes on coupled paths (seed 000_a5327dcba9ecafc1:
 * strong bound ~h^{1/2} up to logs via the good-set / bad-set "pruning" split, weak order 1;
 * research/lif-ltn.md §1.4–1.5). Every run is a {@link LifNetwork}; a trial runs every scheme at
 * every h = 2^k h_ref (`noise.fineSteps: 2^k`) and at h_ref on one Brownian path, reading one
 * {@link LifNoiseWindow}, and records matched-spike errors, unmatched spikes, terminal-state errors
 * and coupled differences of counts. {@link summariseConvergence} turns the rows into errors, CIs
 * and fitted orders; it is a pure function of the rows, so shards of trials merge exactly.
 * @packageDocumentation
 */
import {
  makeTable,
  optionKeys,
  type ProgressCallback,
  ProgressTracker,
  Result,
  type RunOptions,
  strictOptions,
  type Table,
} from '../contract/index.js';
import { ValidationError } from '../kernel/errors.js';
import { checkChoice, checkFiniteArray, checkInteger, checkPositive } from '../kernel/validate.js';
import { LifNoiseWindow } from '../lif/coupling.js';
import { type LifIntegratorName, type LifNetwork, type LifSpikeRuleName, lifIntegrators, lifSpikeRules } from '../lif/network.js';
import { buildLifNetwork, checkSpec, type LifNetworkSpec } from '../lif/spec.js';
import { mergeTrials, TrialsResult } from '../parallel/pool.js';
import { FieldsResult, finish, runStudy, STUDY_RUN_KEYS, type StudyRunOptions, trialRange, type Work } from '../parallel/study.js';
import type { TrialInput } from '../parallel/types.js';
import type { Seed } from '../rng/seed.js';
import { type Estimate, fitOrder, meanConfidence, median } from '../stats/regression.js';
import { matchSpikeTrains } from '../stats/spikes.js';

const INTEGRATORS = Object.keys(lifIntegrators) as LifIntegratorName[];
const RULES = Object.keys(lifSpikeRules) as LifSpikeRuleName[];

/** A scheme of the LIF engine: subthreshold integrator × spike-time rule (see {@link lifIntegrators}, {@link lifSpikeRules}). */
export interface ConvergenceScheme {
  /** Subthreshold integrator. */
  integrator: LifIntegratorName;
  /** Spike-time rule. */
  spikeRule: LifSpikeRuleName;
}

/** Name of a scheme, `integrator/spikeRule` (the scheme is checked: known integrator and rule, no other key). */
export const schemeName = (s: ConvergenceScheme): string => {
  const c = checkScheme('scheme', s);
  return `${c.integrator}/${c.spikeRule}`;
};

/** Every integrator × rule of the engine: the default schemes of a study. */
export const DEFAULT_SCHEMES: ConvergenceScheme[] = INTEGRATORS.flatMap((integrator) =>
  RULES.map((spikeRule) => ({ integrator, spikeRule })),
);

const SCHEME_KEYS = optionKeys<ConvergenceScheme>()(['integrator', 'spikeRule']);

function checkScheme(name: string, s: ConvergenceScheme): ConvergenceScheme {
  const o = strictOptions('scheme', name, s, SCHEME_KEYS);
  return {
    integrator: checkChoice(`${name}.integrator`, o.integrator, INTEGRATORS),
    spikeRule: checkChoice(`${name}.spikeRule`, o.spikeRule, RULES),
  };
}

// ---- Coupled paths ---------------------------------------------------------------------------

/** One run of a coupled-path trial: a scheme at one step size, `ratio` = dt / fine dt (a power of 2). */
type RunDef = { scheme: ConvergenceScheme; dt: number; ratio: number };
/** Spikes and terminal voltages of one run. */
type RunOut = { neuron: Int32Array; time: Float64Array; A: Float64Array; v: Float64Array };

/** Power-of-two ratio of dt to the fine step, or a ValidationError naming `name`. */
function ratioOf(name: string, dt: number, fine: number): number {
  const r = Math.round(dt / fine);
  if (!(r >= 1 && (r & (r - 1)) === 0 && Math.abs(r * fine - dt) <= 1e-9 * dt))
    throw new ValidationError(name, `the finest step times a power of 2 (finest = ${fine} ms)`, dt);
  return r;
}

/**
 * Runs every (scheme, dt) of `runs` for `duration` ms on one path: the trial's key, the fine grid
 * `fine` (each run has `noise.fineSteps = dt/fine`), one noise window for all. Yields after each
 * network advanced through a window.
 */
function* coupledWork(
  network: LifNetworkSpec,
  seed: Seed,
  trial: number,
  duration: number,
  fine: number,
  runs: RunDef[],
  inline: boolean,
): Work<RunOut[]> {
  const total = Math.round(duration / fine);
  const maxRatio = Math.max(...runs.map((r) => r.ratio));
  const n = checkSpec('network', network).size;
  const W = maxRatio * Math.max(1, Math.floor(Math.min(4096, (1 << 19) / n) / maxRatio));
  const exact = runs.some((r) => r.scheme.integrator === 'exact');
  const nets: { net: LifNetwork; mon: ReturnType<LifNetwork['addSpikeMonitor']>; def: RunDef }[] = [];
  let window: LifNoiseWindow | null = null;
  try {
    window = new LifNoiseWindow({ neurons: n, capacitySteps: W, integrator: exact ? 'exact' : 'euler-maruyama', seed, trial });
    for (const def of runs) {
      const net = buildLifNetwork(network, { dt: def.dt, ...def.scheme, seed, trial, fineSteps: def.ratio });
      nets.push({ net, mon: net.addSpikeMonitor(), def });
      net.useNoiseWindow(window);
      yield 0;
    }
    for (let t0 = 0; t0 < total; t0 += W) {
      const w = Math.min(W, total - t0);
      window.fill({ start: t0, steps: w });
      // On the calling thread, each network goes through the window in pieces of ≤ 512 fine steps
      // with a yield in between (the abort latency); in a worker, in one piece.
      for (const x of nets) {
        const piece = inline ? Math.max(x.def.ratio, 512) : w;
        for (let d = 0; d < w; d += piece) {
          x.net.run((Math.min(piece, w - d) / x.def.ratio) * x.def.dt);
          yield t0 + w;
        }
      }
    }
    return nets.map(({ net, mon }) => {
      const s = mon.spikes();
      return { neuron: s.neuron, time: s.time, A: s.A, v: net.state().v };
    });
  } finally {
    for (const x of nets) x.net.dispose();
    window?.dispose();
  }
}

/** Options of {@link coupledPaths}. */
export interface CoupledPathsOptions extends RunOptions {
  /** The network. */
  network: LifNetworkSpec;
  /** Simulated time (ms), a multiple of the largest step. */
  duration: number;
  /** Step sizes (ms), each the smallest times a power of 2: the noise lives on the smallest step's grid. */
  dts: number[];
  /** Schemes run at every step size. @default {@link DEFAULT_SCHEMES} */
  schemes?: ConvergenceScheme[];
  /** Seed (trial key `trialKey(seed, trial)`; wiring from the seed). @default 0 */
  seed?: Seed;
  /** Trial index. @default 0 */
  trial?: number;
}

const COUPLED_KEYS = optionKeys<CoupledPathsOptions>()(['network', 'duration', 'dts', 'schemes', 'seed', 'trial', 'signal', 'onProgress']);

/** One run of {@link coupledPaths}. */
export interface CoupledRun {
  /** Scheme name (`integrator/spikeRule`). */
  scheme: string;
  /** Step (ms). */
  dt: number;
  /** Spikes: `neuron` (global index), `time` (ms), `A` (crossing speed, voltage units/ms). */
  spikes: Table;
  /** Terminal V of every neuron (voltage units). */
  v: Float64Array;
}

/** Result of {@link coupledPaths}: every scheme at every step size on one path, with `toJSON()`. */
export type CoupledPathsResult = FieldsResult<'numerics.coupledPaths'> & {
  /** Step sizes (ms), as given. */
  dts: number[];
  /** Simulated time (ms). */
  duration: number;
  /** Runs, scheme-major (every dt of scheme 0, then scheme 1, …). */
  runs: CoupledRun[];
};

function spikeTable(r: RunOut, dt: number, scheme: string): Table {
  return makeTable(
    'numerics.spikes',
    {
      neuron: { data: r.neuron, unit: '', description: 'global neuron index' },
      time: { data: r.time, unit: 'ms', description: 'spike time (step + offset)·dt' },
      A: { data: r.A, unit: 'voltage units/ms', description: 'crossing speed A = dV/dt at the crossing' },
    },
    { dt, scheme },
  );
}

/**
 * One trial of coupled paths: every scheme at every step size on ONE Brownian path (and one set
 * of Poisson events), each run a {@link LifNetwork} built by {@link buildLifNetwork} with
 * `noise.fineSteps = dt / min(dts)`. The building block of {@link convergenceStudy}; the spike
 * times equal those of the same network built and run by hand, bit for bit. Reports progress in
 * fine steps of the path (unit `step`).
 * @example
 * ```ts
 * const r = coupledPaths({ network: feedforwardNetwork({ sizes: [10] }), duration: 100, dts: [0.2, 0.05], seed: 1 });
 * r.runs[0].spikes.time; // spike times (ms) of the first scheme at dt = 0.2
 * ```
 */
export function coupledPaths(options: CoupledPathsOptions): CoupledPathsResult {
  const o = strictOptions('coupledPaths', 'options', options, COUPLED_KEYS);
  checkSpec('options.network', o.network);
  const dts = Array.from(checkFiniteArray('options.dts', o.dts), (d, k) => checkPositive(`options.dts[${k}]`, d, 'ms'));
  if (dts.length === 0) throw new ValidationError('options.dts', 'at least one step size', o.dts);
  const fine = Math.min(...dts);
  const ratios = dts.map((d, k) => ratioOf(`options.dts[${k}]`, d, fine));
  const duration = checkDuration('options.duration', o.duration, fine, Math.max(...ratios));
  const schemes = (o.schemes ?? DEFAULT_SCHEMES).map((s, k) => checkScheme(`options.schemes[${k}]`, s));
  const trial = checkInteger('options.trial', o.trial ?? 0, 0, 0xffffffff);
  const runs: RunDef[] = schemes.flatMap((scheme) => dts.map((dt, k) => ({ scheme, dt, ratio: ratios[k] })));
  const pr = new ProgressTracker('coupledPaths', Math.round(duration / fine), 'step', {
    signal: o.signal,
    onProgress: o.onProgress as ProgressCallback | undefined,
  });
  const out = finish(coupledWork(o.network, o.seed ?? 0, trial, duration, fine, runs, true), pr);
  const named = runs.map((r) => ({ scheme: schemeName(r.scheme), dt: r.dt }));
  const result = { dts, duration, runs: out.map((x, q) => ({ ...named[q], spikes: spikeTable(x, named[q].dt, named[q].scheme), v: x.v })) };
  return new FieldsResult('numerics.coupledPaths', result) as CoupledPathsResult;
}

function checkDuration(name: string, duration: unknown, fine: number, maxRatio: number): number {
  const T = checkPositive(name, duration, 'ms');
  const steps = Math.round(T / fine);
  if (Math.abs(steps * fine - T) > 1e-9 * T || steps % maxRatio !== 0)
    throw new ValidationError(name, `a multiple of the largest step ${maxRatio * fine} ms`, T);
  if (steps > 0xffffffff) throw new ValidationError(name, `at most ${0xffffffff * fine} ms (32-bit fine-step counter)`, T);
  return T;
}

// ---- Convergence trials ----------------------------------------------------------------------

/** Parameters of one convergence trial (the worker task's `params`: plain data). */
export interface ConvergenceParams {
  /** The network. */
  network: LifNetworkSpec;
  /** Simulated time T (ms); a multiple of the largest dt. */
  duration: number;
  /** Step sizes (ms), descending, each referenceDt·2^k with k ≥ 1. */
  dts: number[];
  /** Reference step h_ref (ms); also the fine grid of the shared Brownian path. */
  referenceDt: number;
  /** Schemes run at every dt and at the reference step. */
  schemes: ConvergenceScheme[];
  /** Pairing window of the spike matching (ms). */
  matchWindow: number;
  /** One fixed reference scheme at referenceDt for every scheme; absent: each scheme against itself at referenceDt. */
  referenceScheme?: ConvergenceScheme;
}

/** Matching counts of one population at one level. */
export interface PopulationCounts {
  /** Σ err² over matched spikes (ms²). */
  sq: number;
  /** Matched pairs. */
  m: number;
  /** Unmatched reference spikes. */
  ur: number;
  /** Unmatched test spikes. */
  ut: number;
  /** Reference spikes. */
  nr: number;
}

/** One level of one scheme in one trial. */
export interface ConvergenceLevelRow {
  /** Matching counts per population. */
  populations: PopulationCounts[];
  /** |t_h − t_ref| of each matched pair (ms). */
  err: number[];
  /** Population of each pair. */
  errPopulation: number[];
  /** Crossing speed A of the reference spike of each pair (voltage units/ms). */
  errA: number[];
  /** (1/N) Σ_i (V_i^h(T) − V_i^ref(T))². */
  term: number;
  /** N_h − N_ref per population. */
  dCount: number[];
  /** φ_h − φ_ref for φ = mean V(T), mean V(T)². */
  dPhi: number[];
}

/** One trial: per scheme, its reference summary and its levels (in `dts` order). */
export interface ConvergenceTrialRow {
  /** One entry per scheme, in `params.schemes` order. */
  schemes: {
    /** Spike count of the reference run per population. */
    refCount: number[];
    /** Crossing speed A (voltage units/ms) of every reference spike. */
    refA: number[];
    /** One row per step size, in `dts` order. */
    levels: ConvergenceLevelRow[];
  }[];
}

interface CheckedParams {
  n: number;
  popOf: Int32Array;
  popSizes: number[];
  popNames: string[];
  ratios: number[];
}

function checkParams(p: ConvergenceParams, name = 'params'): CheckedParams {
  const shape = checkSpec(`${name}.network`, p.network);
  const ref = checkPositive(`${name}.referenceDt`, p.referenceDt, 'ms');
  const dts = checkFiniteArray(`${name}.dts`, p.dts);
  if (dts.length < 2) throw new ValidationError(`${name}.dts.length`, 'at least 2 step sizes', dts.length);
  const ratios = Array.from(dts, (h, k) => {
    const r = ratioOf(`${name}.dts[${k}]`, h, ref);
    if (r < 2) throw new ValidationError(`${name}.dts[${k}]`, `a step > the reference step ${ref} ms`, h);
    return r;
  });
  checkDuration(`${name}.duration`, p.duration, ref, Math.max(...ratios));
  if (!Array.isArray(p.schemes) || p.schemes.length === 0)
    throw new ValidationError(`${name}.schemes`, 'a non-empty array of schemes', p.schemes);
  for (const [k, s] of p.schemes.entries()) checkScheme(`${name}.schemes[${k}]`, s);
  if (p.referenceScheme !== undefined) checkScheme(`${name}.reference`, p.referenceScheme);
  checkPositive(`${name}.matchWindow`, p.matchWindow, 'ms');
  const popOf = new Int32Array(shape.size);
  for (const [k, q] of shape.populations.entries()) popOf.fill(k, q.start, q.start + q.size);
  return { n: shape.size, popOf, popSizes: shape.populations.map((q) => q.size), popNames: shape.populations.map((q) => q.name), ratios };
}

function byNeuron(r: RunOut, n: number): { t: Float64Array; A: Float64Array }[] {
  const idx: number[][] = Array.from({ length: n }, () => []);
  for (let q = 0; q < r.neuron.length; q++) idx[r.neuron[q]].push(q);
  return idx.map((l) => {
    l.sort((a, b) => r.time[a] - r.time[b]);
    return { t: Float64Array.from(l, (q) => r.time[q]), A: Float64Array.from(l, (q) => r.A[q]) };
  });
}

/** A convergence trial as work: coupled runs, then the metrics. */
function* convergenceWork(input: TrialInput<ConvergenceParams>, inline = false): Work<ConvergenceTrialRow> {
  const p = input.params;
  const c = checkParams(p);
  const n = c.n;
  const L = c.popSizes.length;
  // Runs: the shared reference (if any), then per scheme its own reference (if none is shared) and its levels.
  const runs: RunDef[] = [];
  const shared = p.referenceScheme ? runs.push({ scheme: p.referenceScheme, dt: p.referenceDt, ratio: 1 }) - 1 : -1;
  const index = p.schemes.map((scheme) => {
    const ref = shared >= 0 ? shared : runs.push({ scheme, dt: p.referenceDt, ratio: 1 }) - 1;
    const levels = p.dts.map((dt, k) => runs.push({ scheme, dt, ratio: c.ratios[k] }) - 1);
    return { ref, levels };
  });
  const out: RunOut[] = yield* coupledWork(p.network, input.seed, input.trial, p.duration, p.referenceDt, runs, inline);
  const phi = (V: Float64Array) => {
    let a = 0;
    let b = 0;
    for (let i = 0; i < n; i++) {
      a += V[i];
      b += V[i] * V[i];
    }
    return [a / n, b / n];
  };
  const row: ConvergenceTrialRow = { schemes: [] };
  for (const { ref, levels } of index) {
    yield;
    const refRun = out[ref];
    const refTrains = byNeuron(refRun, n);
    const refCount = new Array(L).fill(0);
    for (let q = 0; q < refRun.neuron.length; q++) refCount[c.popOf[refRun.neuron[q]]]++;
    const refPhi = phi(refRun.v);
    const lv: ConvergenceLevelRow[] = [];
    for (const li of levels) {
      const run = out[li];
      const trains = byNeuron(run, n);
      const pops: PopulationCounts[] = Array.from({ length: L }, () => ({ sq: 0, m: 0, ur: 0, ut: 0, nr: 0 }));
      const err: number[] = [];
      const errPopulation: number[] = [];
      const errA: number[] = [];
      const dCount = new Array(L).fill(0);
      for (let i = 0; i < n; i++) {
        const l = c.popOf[i];
        const m = matchSpikeTrains(refTrains[i].t, trains[i].t, { window: p.matchWindow });
        const cc = pops[l];
        for (let q = 0; q < m.error.length; q++) {
          cc.sq += m.error[q] ** 2;
          err.push(Math.abs(m.error[q]));
          errPopulation.push(l);
          errA.push(refTrains[i].A[m.refIndex[q]]);
        }
        cc.m += m.error.length;
        cc.ur += m.unmatchedRef;
        cc.ut += m.unmatchedTest;
        cc.nr += refTrains[i].t.length;
        dCount[l] += trains[i].t.length - refTrains[i].t.length;
      }
      let term = 0;
      for (let i = 0; i < n; i++) term += (run.v[i] - refRun.v[i]) ** 2;
      const ph = phi(run.v);
      lv.push({ populations: pops, err, errPopulation, errA, term: term / n, dCount, dPhi: [ph[0] - refPhi[0], ph[1] - refPhi[1]] });
    }
    row.schemes.push({ refCount, refA: Array.from(refRun.A), levels: lv });
  }
  return row;
}

/** One convergence trial (worker task `numerics.convergenceTrial`): a pure function of (seed, trial, params). @internal */
export function convergenceTrial(input: TrialInput<ConvergenceParams>): ConvergenceTrialRow {
  return finish(convergenceWork(input));
}

// ---- Summaries ------------------------------------------------------------------------------

/** Errors of one scheme at one step size (aggregated over trials). */
export interface ConvergenceLevel {
  /** Step size (ms). */
  dt: number;
  /** RMS spike-time error over matched spikes (ms), all populations. */
  rmsError: number;
  /** Median |spike-time error| over matched spikes (ms). */
  medianError: number;
  /** Unmatched spikes (reference + test) per reference spike (dimensionless). */
  unmatched: number;
  /** Terminal mean-square voltage error E[(1/N)Σ(V_h(T) − V_ref(T))²] (voltage units²). */
  terminalMse: Estimate;
  /** Weak error E[N_h − N_ref] of the total spike count per trial, with CI. */
  weakCount: Estimate;
  /** Weak errors of φ = mean V(T) and mean V(T)², with CIs. */
  weakPhi: Estimate[];
  /** Per population (in spec order). */
  populations: {
    /** RMS spike-time error over the population's matched spikes (ms). */
    rmsError: number;
    /** Median |spike-time error| over the population's matched spikes (ms). */
    medianError: number;
    /** Unmatched spikes per reference spike of the population (dimensionless). */
    unmatched: number;
    /** Weak error E[N_h − N_ref] of the population's spike count, with CI. */
    weakCount: Estimate;
  }[];
  /**
   * Good-set / bad-set split as a function of α: a trial is "good" when every reference spike is
   * matched (no count mismatch) and every matched reference spike has A ≥ α.
   */
  goodBad: {
    /** Crossing-speed cut α (voltage units/ms, compared with A = V̇(t⁻)). */
    alpha: number;
    /** Fraction of trials in the bad set. */
    badProbability: number;
    /** E[Σ err² · 1_good]: summed squared spike-time error of good trials divided by all trials (ms²). */
    goodMse: number;
    /** RMS spike-time error over the matched spikes with A ≥ α, all trials (ms). */
    rmsErrorFast: number;
    /** Fraction of matched spikes with A ≥ α (dimensionless). */
    fastFraction: number;
  }[];
}

/** Fitted orders of one scheme (slopes of ln error vs ln dt, with 95 % CIs). */
export interface ConvergenceOrders {
  /** RMS matched spike-time error. */
  strong: Estimate;
  /** Median matched spike-time error. */
  median: Estimate;
  /** Strong order per population. */
  strongByPopulation: Estimate[];
  /** |E[N_h − N_ref]| against dt − referenceDt. */
  weakCount: Estimate;
  /** Weak count order per population. */
  weakCountByPopulation: Estimate[];
  /** Terminal mean-square error (contains the terminal mismatch layer: no clean rate expected). */
  terminal: Estimate;
  /** Unmatched fraction. */
  unmatched: Estimate;
}

/** Results of one scheme in a {@link ConvergenceResult}. */
export interface ConvergenceSchemeResult {
  /** Errors per step size, in `dts` order. */
  levels: ConvergenceLevel[];
  /** Fitted orders. */
  orders: ConvergenceOrders;
  /** Firing rate of the reference run per population (Hz), averaged over neurons and successful trials. */
  referenceRate: number[];
  /** Crossing speeds A (voltage units/ms) of all reference spikes, pooled over trials. */
  referenceA: Float64Array;
}

/** Result of {@link convergenceStudy} (also of {@link summariseConvergence} and {@link mergeConvergenceShards}). */
export class ConvergenceResult extends Result {
  /** Result type. */
  readonly kind = 'numerics.convergence';
  /** Step sizes (ms), descending. */
  readonly dts!: number[];
  /** Reference step (ms). */
  readonly referenceDt!: number;
  /** Simulated time per trial (ms). */
  readonly duration!: number;
  /** Population names (the order of every per-population array). */
  readonly populations!: string[];
  /** Trials that succeeded. */
  readonly trials!: number;
  /** Trials that threw (e.g. a `NumericalError`), with their message. */
  readonly failed!: { trial: number; message: string }[];
  /** Per scheme, keyed by {@link schemeName}. */
  readonly schemes!: Record<string, ConvergenceSchemeResult>;
  /** The raw rows (merge shards with {@link mergeConvergenceShards}). */
  readonly rows!: TrialsResult<ConvergenceTrialRow>;

  /** @internal */
  constructor(f: Omit<ConvergenceResult, 'kind' | 'toJSON' | 'levelsTable' | 'ordersTable'>) {
    super();
    Object.assign(this, f);
  }

  /** One row per (scheme, dt): `scheme` indexes `meta.schemes`. */
  levelsTable(): Table {
    const names = Object.keys(this.schemes);
    const rows = names.flatMap((name, s) => this.schemes[name].levels.map((l) => ({ s, l })));
    const col = (f: (x: { s: number; l: ConvergenceLevel }) => number) => Float64Array.from(rows, f);
    return makeTable(
      'numerics.convergence.levels',
      {
        scheme: { data: Int32Array.from(rows, (x) => x.s), unit: '', description: 'index into meta.schemes' },
        dt: { data: col((x) => x.l.dt), unit: 'ms', description: 'step size' },
        rmsError: { data: col((x) => x.l.rmsError), unit: 'ms', description: 'RMS matched spike-time error' },
        medianError: { data: col((x) => x.l.medianError), unit: 'ms', description: 'median matched spike-time error' },
        unmatched: { data: col((x) => x.l.unmatched), unit: '1', description: 'unmatched spikes per reference spike' },
        weakCount: { data: col((x) => x.l.weakCount.value), unit: '', description: 'E[N_h − N_ref] per trial' },
        weakCountSe: { data: col((x) => x.l.weakCount.se), unit: '', description: 'standard error of weakCount' },
        terminalMse: { data: col((x) => x.l.terminalMse.value), unit: 'voltage units²', description: 'terminal mean-square voltage error' },
      },
      { schemes: names, referenceDt: this.referenceDt, duration: this.duration, trials: this.trials },
    );
  }

  /** One row per scheme: fitted orders with their 95 % CIs. */
  ordersTable(): Table {
    const names = Object.keys(this.schemes);
    const o = names.map((k) => this.schemes[k].orders);
    const col = (f: (x: ConvergenceOrders) => number) => Float64Array.from(o, f);
    return makeTable(
      'numerics.convergence.orders',
      {
        scheme: { data: Int32Array.from(names, (_, k) => k), unit: '', description: 'index into meta.schemes' },
        strong: { data: col((x) => x.strong.value), unit: '1', description: 'strong order (RMS spike-time error)' },
        strongLo: { data: col((x) => x.strong.ci[0]), unit: '1', description: 'lower 95 % bound' },
        strongHi: { data: col((x) => x.strong.ci[1]), unit: '1', description: 'upper 95 % bound' },
        median: { data: col((x) => x.median.value), unit: '1', description: 'order of the median spike-time error' },
        weakCount: { data: col((x) => x.weakCount.value), unit: '1', description: 'weak order (spike counts)' },
        weakCountLo: { data: col((x) => x.weakCount.ci[0]), unit: '1', description: 'lower 95 % bound' },
        weakCountHi: { data: col((x) => x.weakCount.ci[1]), unit: '1', description: 'upper 95 % bound' },
      },
      { schemes: names, trials: this.trials },
    );
  }
}

const NAN_EST: Estimate = { value: Number.NaN, se: Number.NaN, ci: [Number.NaN, Number.NaN], level: 0.95, n: 0 };

function safeOrder(x: number[], y: number[]): Estimate {
  try {
    return fitOrder(x, y).order;
  } catch {
    return NAN_EST;
  }
}

/** Options of {@link summariseConvergence}. */
export interface SummariseConvergenceOptions {
  /** The trial parameters the rows were computed with. */
  params: ConvergenceParams;
  /** α values of the good/bad split (voltage units/ms). @default [0.02, 0.01, 0.005, 0.0025, 0.00125] */
  alphas?: number[];
}

const SUMMARY_KEYS = optionKeys<SummariseConvergenceOptions>()(['params', 'alphas']);

/**
 * Aggregates trial rows (in trial order) into per-level errors and fitted orders. Pure: the same
 * rows give the same result, whatever machines or worker counts produced them.
 */
export function summariseConvergence(rows: TrialsResult<ConvergenceTrialRow>, options: SummariseConvergenceOptions): ConvergenceResult {
  if (!(rows instanceof TrialsResult)) throw new ValidationError('rows', 'a TrialsResult (the rows of convergenceStudy)', rows);
  const o = strictOptions('summariseConvergence', 'options', options, SUMMARY_KEYS);
  const p = o.params;
  if (p === null || typeof p !== 'object' || Array.isArray(p))
    throw new ValidationError('options.params', 'the trial parameters { network, duration, dts, referenceDt, schemes, matchWindow }', p);
  const c = checkParams(p, 'options.params');
  const alphas = o.alphas ?? [0.02, 0.01, 0.005, 0.0025, 0.00125];
  const ok = rows.rows.filter((r) => r.ok).map((r) => (r as { value: ConvergenceTrialRow }).value);
  for (const t of ok)
    if (!Array.isArray(t?.schemes) || t.schemes.length !== p.schemes.length || t.schemes.some((x) => x?.levels?.length !== p.dts.length))
      throw new ValidationError(
        'rows',
        `rows computed with options.params (${p.schemes.length} schemes × ${p.dts.length} step sizes)`,
        'rows of another study',
      );
  const failed = rows.rows
    .filter((r) => !r.ok)
    .map((r) => ({ trial: r.index, message: (r as { error: { message: string } }).error.message }));
  const L = c.popSizes.length;
  const schemes: Record<string, ConvergenceSchemeResult> = {};
  p.schemes.forEach((s, si) => {
    const levels: ConvergenceLevel[] = p.dts.map((dt, k) => {
      const lv = ok.map((t) => t.schemes[si].levels[k]);
      const err = lv.flatMap((x) => x.err);
      const errPop = lv.flatMap((x) => x.errPopulation);
      const errA = lv.flatMap((x) => x.errA);
      const tot = (f: (c: PopulationCounts) => number, l?: number) =>
        lv.reduce((a, x) => a + x.populations.reduce((b, cc, li) => b + (l === undefined || l === li ? f(cc) : 0), 0), 0);
      const rms = (l?: number) => Math.sqrt(tot((cc) => cc.sq, l) / tot((cc) => cc.m, l));
      const unm = (l?: number) => (tot((cc) => cc.ur, l) + tot((cc) => cc.ut, l)) / tot((cc) => cc.nr, l);
      const est = (v: number[]) => (v.length >= 2 ? meanConfidence(v) : NAN_EST);
      const goodBad = alphas.map((alpha) => {
        let bad = 0;
        let goodSq = 0;
        for (const x of lv) {
          const mismatch = x.populations.some((cc) => cc.ur > 0 || cc.ut > 0);
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
          rmsErrorFast: Math.sqrt(fsq / fc),
          fastFraction: err.length ? fc / err.length : Number.NaN,
        };
      });
      return {
        dt,
        rmsError: rms(),
        medianError: median(err),
        unmatched: unm(),
        terminalMse: est(lv.map((x) => x.term)),
        weakCount: est(lv.map((x) => x.dCount.reduce((a, b) => a + b, 0))),
        weakPhi: [0, 1].map((j) => est(lv.map((x) => x.dPhi[j]))),
        populations: Array.from({ length: L }, (_, l) => ({
          rmsError: rms(l),
          medianError: median(err.filter((_, q) => errPop[q] === l)),
          unmatched: unm(l),
          weakCount: est(lv.map((x) => x.dCount[l])),
        })),
        goodBad,
      };
    });
    const dw = p.dts.map((h) => h - p.referenceDt);
    const fitBy = (x: number[], f: (l: ConvergenceLevel) => number) => safeOrder(x, levels.map(f));
    const byPop = (x: number[], f: (l: ConvergenceLevel, q: number) => number) =>
      Array.from({ length: L }, (_, q) => fitBy(x, (l) => f(l, q)));
    const orders: ConvergenceOrders = {
      strong: fitBy(p.dts, (l) => l.rmsError),
      median: fitBy(p.dts, (l) => l.medianError),
      strongByPopulation: byPop(p.dts, (l, q) => l.populations[q].rmsError),
      weakCount: fitBy(dw, (l) => Math.abs(l.weakCount.value)),
      weakCountByPopulation: byPop(dw, (l, q) => Math.abs(l.populations[q].weakCount.value)),
      terminal: fitBy(p.dts, (l) => l.terminalMse.value),
      unmatched: fitBy(p.dts, (l) => l.unmatched),
    };
    const refCount = new Array(L).fill(0);
    for (const t of ok) {
      t.schemes[si].refCount.forEach((cnt, l) => {
        refCount[l] += cnt;
      });
    }
    schemes[schemeName(s)] = {
      levels,
      orders,
      referenceRate: refCount.map((cnt, l) => (1000 * cnt) / (c.popSizes[l] * p.duration * Math.max(1, ok.length))),
      referenceA: Float64Array.from(ok.flatMap((t) => t.schemes[si].refA)),
    };
  });
  return new ConvergenceResult({
    dts: p.dts,
    referenceDt: p.referenceDt,
    duration: p.duration,
    populations: c.popNames,
    trials: ok.length,
    failed,
    schemes,
    rows,
  });
}

// ---- The study -------------------------------------------------------------------------------

/** Options of {@link convergenceStudy}. */
export interface ConvergenceOptions extends StudyRunOptions {
  /** The network (see {@link feedforwardNetwork}, {@link randomNetwork}). */
  network: LifNetworkSpec;
  /** Simulated time per trial (ms); a multiple of the largest dt. */
  duration: number;
  /** Step sizes (ms), each referenceDt·2^k with k ≥ 1. */
  dts: number[];
  /**
   * The reference every level is compared with: its step (default min(dts)/8, also the fine grid
   * of the shared Brownian path) and, when `integrator` or `spikeRule` is given, one fixed scheme
   * for every scheme (the other defaults to `exact` / `hermite`); otherwise each scheme is compared
   * with itself at the reference step.
   */
  reference?: {
    /** Reference step (ms). @default min(dts)/8 */
    dt?: number;
    /** Fixed reference integrator. */
    integrator?: LifIntegratorName;
    /** Fixed reference spike-time rule. */
    spikeRule?: LifSpikeRuleName;
  };
  /** Number of trials (ignored when `range` is given). */
  trials?: number;
  /** Trial range [a, b) for sharding. @default [0, trials) */
  range?: [number, number];
  /** Study seed: trial k uses `trialKey(seed, k)`; random wiring uses the seed. @default 0 */
  seed?: Seed;
  /** Schemes. @default {@link DEFAULT_SCHEMES} */
  schemes?: ConvergenceScheme[];
  /** Pairing window of the spike matching (ms). @default 1 */
  matchWindow?: number;
  /** α values of the good/bad split (voltage units/ms). @default [0.02, 0.01, 0.005, 0.0025, 0.00125] */
  alphas?: number[];
}

const CONVERGENCE_KEYS = optionKeys<ConvergenceOptions>()([
  'network',
  'duration',
  'dts',
  'reference',
  'trials',
  'range',
  'seed',
  'schemes',
  'matchWindow',
  'alphas',
  ...STUDY_RUN_KEYS,
]);
const REFERENCE_KEYS = optionKeys<NonNullable<ConvergenceOptions['reference']>>()(['dt', 'integrator', 'spikeRule']);

function paramsOf(where: string, options: ConvergenceOptions): ConvergenceParams {
  const o = strictOptions(where, 'options', options, CONVERGENCE_KEYS);
  const dts = [...checkFiniteArray('options.dts', o.dts)].sort((a, b) => b - a);
  const ref = strictOptions(where, 'options.reference', o.reference, REFERENCE_KEYS);
  const referenceDt = checkPositive('options.reference.dt', ref.dt ?? dts[dts.length - 1] / 8, 'ms');
  const params: ConvergenceParams = {
    network: o.network,
    duration: o.duration,
    dts,
    referenceDt,
    schemes: o.schemes ?? DEFAULT_SCHEMES,
    matchWindow: checkPositive('options.matchWindow', o.matchWindow ?? 1, 'ms'),
    ...(ref.integrator || ref.spikeRule
      ? { referenceScheme: { integrator: ref.integrator ?? 'exact', spikeRule: ref.spikeRule ?? 'hermite' } }
      : {}),
  };
  checkParams(params, 'options');
  return params;
}

/**
 * Runs a convergence study: strong errors (matched spike times, unmatched fraction, terminal
 * MSE, good/bad split), weak errors with Monte-Carlo CIs, and fitted orders per scheme and per
 * population. Every run is a {@link LifNetwork} (see {@link coupledPaths}). Results are identical
 * for any worker count; a `range` [a, b) gives the rows of those trials, and
 * {@link mergeConvergenceShards} merges shards exactly. Progress unit: `trial`.
 * @example
 * ```ts
 * const r = await convergenceStudy({ network: feedforwardNetwork({ sizes: [20, 20, 20] }),
 *   duration: 200, dts: [0.4, 0.2, 0.1, 0.05], trials: 40, seed: 1 });
 * r.schemes['euler-maruyama/linear'].orders.strong.value; // ≈ 0.5
 * ```
 */
export async function convergenceStudy(options: ConvergenceOptions): Promise<ConvergenceResult> {
  const params = paramsOf('convergenceStudy', options);
  const o = options;
  const { workers, workerUrl, pool, signal, onProgress, sliceMs } = o;
  const run = { seed: o.seed ?? 0, range: trialRange(o), params, workers, workerUrl, pool, signal, onProgress, sliceMs };
  const rows = await runStudy('convergenceStudy', 'numerics.convergenceTrial', convergenceWork, run);
  return summariseConvergence(rows, { params, alphas: o.alphas });
}

/** Merges shards of one study (same options, trial ranges tiling [a, b)) into the full result. */
export function mergeConvergenceShards(
  shards: ConvergenceResult[],
  options: Omit<ConvergenceOptions, 'trials' | 'range'>,
): ConvergenceResult {
  if (!Array.isArray(shards) || shards.length === 0) throw new ValidationError('shards', 'a non-empty array of ConvergenceResult', shards);
  shards.forEach((s, k) => {
    if (!(s instanceof ConvergenceResult)) throw new ValidationError(`shards[${k}]`, 'a ConvergenceResult', s);
  });
  const rows = mergeTrials(shards.map((s) => s.rows));
  return summariseConvergence(rows, { params: paramsOf('mergeConvergenceShards', options as ConvergenceOptions), alphas: options.alphas });
}
