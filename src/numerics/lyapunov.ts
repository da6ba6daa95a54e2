/**
 * Lyapunov exponents of LIF networks with resets (seed 000_a5327dcba9ecafc1, abstract: "a
 * Lyapunov exponent formula coupling stationary threshold flux to the reset saltation factor";
 * reconstruction in research/lif-ltn.md §1.6), all on {@link LifNetwork}. Four estimators from one
 * path:
 * 1. tangent dynamics with saltation (the engine's tangent pass, {@link LifNetwork.addTangents}),
 *    QR re-orthonormalised every `qrEverySteps`: the top K exponents;
 * 2. per neuron, λ_V,i = −g_L + (1/T) Σ_k ln s(A_k), s(A) = 1 + g_L (V_th − V_r)/A: the diagonal of
 *    the block-triangular (feedforward) cocycle;
 * 3. finite differences of the scheme itself: a second network with the same key (so the same
 *    noise) started ε away and renormalised — meaningful for `linear`/`hermite`, not `grid`;
 * 4. the flux formula λ_V = −g_L + ν E_Palm[ln s(A)] with the threshold density estimated from
 *    state samples in a strip below V_th (independent of the spike records).
 * @packageDocumentation
 */
import { optionKeys, type ProgressCallback, ProgressTracker, type RunOptions, strictOptions } from '../contract/index.js';
import { ValidationError } from '../kernel/errors.js';
import { kernel } from '../kernel/load.js';
import { checkChoice, checkInteger, checkPositive, checkRange } from '../kernel/validate.js';
import { LifNoiseWindow } from '../lif/coupling.js';
import { type LifIntegratorName, type LifNetwork, lifIntegrators } from '../lif/network.js';
import { buildLifNetwork, checkSpec, type LifNetworkSpec, populationConstants, projectionCount } from '../lif/spec.js';
import { FieldsResult, finish, runStudy, STUDY_RUN_KEYS, type StudyRunOptions, trialRange, type Work } from '../parallel/study.js';
import type { TrialInput } from '../parallel/types.js';
import type { Seed } from '../rng/seed.js';
import { ThresholdFluxAccumulator } from '../stats/crossing.js';
import { type Estimate, estimateOver } from '../stats/regression.js';

/** ln x with the kernel's own log (the same bits in every runtime). */
const klog = (x: number): number => kernel().lifMathLog(x) as number;

/** The parameters of a Lyapunov trial (everything but seed, trial and the run options). */
export interface LyapunovParams {
  /** The network (zero delays, no refractory period: see {@link LifNetwork.addTangents}). */
  network: LifNetworkSpec;
  /** Step (ms). @default 0.05 */
  dt?: number;
  /** Subthreshold integrator. @default 'euler-maruyama' */
  integrator?: LifIntegratorName;
  /** `linear` or `hermite` (`grid` is refused: its tangent through a reset is 0). @default 'linear' */
  spikeRule?: 'linear' | 'hermite';
  /** Measured time after the burn-in (ms). */
  duration: number;
  /** Burn-in (ms). @default 200 */
  burnIn?: number;
  /** Tangent vectors K (the top K exponents; see {@link LifTangents} for their components). @default N (the V directions of a feedforward net) */
  tangents?: number;
  /** Initial separation of the finite-difference replica (in V, voltage units). @default 1e-8 */
  fdEpsilon?: number;
  /** Steps between finite-difference renormalisations and state samples. @default 10 */
  sampleEverySteps?: number;
  /** Steps between QR re-orthonormalisations of the tangent vectors. @default 50 */
  qrEverySteps?: number;
  /** Strip width w below V_th for the flux formula (voltage units). @default 0.02 */
  stripWidth?: number;
}

/** Options of {@link lyapunovTrial}. */
export interface LyapunovOptions extends LyapunovParams, RunOptions {
  /** Seed (the trial's key is `trialKey(seed, trial)`; wiring from the seed). @default 0 */
  seed?: Seed;
  /** Trial index. @default 0 */
  trial?: number;
}

const PARAM_KEYS = [
  'network',
  'dt',
  'integrator',
  'spikeRule',
  'duration',
  'burnIn',
  'tangents',
  'fdEpsilon',
  'sampleEverySteps',
  'qrEverySteps',
  'stripWidth',
] as const;
const TRIAL_KEYS = optionKeys<LyapunovOptions>()([...PARAM_KEYS, 'seed', 'trial', 'signal', 'onProgress']);

/** Per-trial Lyapunov estimates (plain data; exponents in 1/ms). */
export interface LyapunovTrialRow {
  /** Population names (the order of every per-population array). */
  populations: string[];
  /** Top K exponents from the tangent dynamics (QR), descending (1/ms). */
  spectrum: number[];
  /** Per neuron λ_V,i = −g_L + (1/T) Σ ln s(A_k) over its resets in the window, as the tangent pass applied them (1/ms). */
  vExponent: number[];
  /** Per population, mean λ_V over its neurons (1/ms). */
  vExponentPopulation: number[];
  /** Per population, the flux formula from state samples (1/ms). */
  fluxFormula: number[];
  /** Per population, the threshold-flux (Rice) rate from the same samples (Hz). */
  fluxRate: number[];
  /** Finite-difference top exponent of the whole state (same noise, renormalised) (1/ms). */
  fdTop: number;
  /** Per neuron finite-difference V exponent (networks without projections only, else empty) (1/ms). */
  fdNeuron: number[];
  /** Per population firing rate in the window (Hz). */
  rate: number[];
  /** Crossing speeds A of the spikes in the window (voltage units/ms). */
  crossingSpeed: number[];
  /** Population of each crossing speed. */
  crossingPopulation: number[];
}

/** Result of {@link lyapunovTrial}: the fields of {@link LyapunovTrialRow}, with `toJSON()`. */
export type LyapunovTrialResult = FieldsResult<'numerics.lyapunovTrial'> & LyapunovTrialRow;

interface Checked {
  dt: number;
  integrator: LifIntegratorName;
  spikeRule: 'linear' | 'hermite';
  burnSteps: number;
  steps: number;
  every: number;
  qrEvery: number;
  eps: number;
  width: number;
  K: number;
}

function checkParams(p: LyapunovParams, n: number, name = 'options'): Checked {
  const dt = checkPositive(`${name}.dt`, p.dt ?? 0.05, 'ms');
  const integrators = Object.keys(lifIntegrators) as LifIntegratorName[];
  const integrator = checkChoice(`${name}.integrator`, p.integrator ?? 'euler-maruyama', integrators);
  // The grid rule sets V = V_r at a spike whatever V was: its tangent (and finite difference) through every reset is 0.
  if ((p.spikeRule as string) === 'grid')
    throw new ValidationError(`${name}.spikeRule`, "'linear' or 'hermite' (the grid rule's tangent through a reset is 0)", 'grid');
  const spikeRule = checkChoice(`${name}.spikeRule`, p.spikeRule ?? 'linear', ['linear', 'hermite'] as const);
  const duration = checkPositive(`${name}.duration`, p.duration, 'ms');
  const burnIn = checkRange(`${name}.burnIn`, p.burnIn ?? 200, 0, 1e9, { unit: 'ms' });
  // work bound: the engine's step counter is 32-bit
  if (Math.round(burnIn / dt) + Math.max(1, Math.round(duration / dt)) > 0xffffffff)
    throw new ValidationError(
      `${name}.duration`,
      `at most ${0xffffffff} steps of dt = ${dt} ms with the burn-in (32-bit step counter)`,
      duration,
    );
  return {
    dt,
    integrator,
    spikeRule,
    burnSteps: Math.round(burnIn / dt),
    steps: Math.max(1, Math.round(duration / dt)),
    every: checkInteger(`${name}.sampleEverySteps`, p.sampleEverySteps ?? 10, 1, 100_000),
    qrEvery: checkInteger(`${name}.qrEverySteps`, p.qrEverySteps ?? 50, 1, 1_000_000),
    eps: checkPositive(`${name}.fdEpsilon`, p.fdEpsilon ?? 1e-8),
    width: checkPositive(`${name}.stripWidth`, p.stripWidth ?? 0.02),
    K: checkInteger(`${name}.tangents`, p.tangents ?? n, 1, ((p.network.projections ?? []).some((q) => q?.channel === 1) ? 3 : 2) * n),
  };
}

/** A Lyapunov trial as work (yields the steps done after each chunk). */
function* lyapunovWork(input: TrialInput<LyapunovParams>, name = 'options'): Work<LyapunovTrialRow> {
  const p = input.params;
  const shape = checkSpec(`${name}.network`, p.network);
  const n = shape.size;
  const c = checkParams(p, n, name);
  const consts = populationConstants(p.network, `${name}.network`);
  const popOf = new Int32Array(n);
  for (const [k, q] of shape.populations.entries()) popOf.fill(k, q.start, q.start + q.size);
  const uncoupled = projectionCount(p.network) === 0;
  const o = { dt: c.dt, integrator: c.integrator, spikeRule: c.spikeRule, seed: input.seed, trial: input.trial };
  const nets: LifNetwork[] = [];
  let window: LifNoiseWindow | null = null;
  try {
    const a = buildLifNetwork(p.network, o);
    nets.push(a);
    const b = buildLifNetwork(p.network, o);
    nets.push(b);
    const monA = a.addSpikeMonitor();
    const tan = a.addTangents({ count: c.K });
    // Both networks have the same key: one window of normals serves them (bit-identical).
    const perFill = c.every * Math.max(1, Math.floor(Math.min(4096, (1 << 17) / n) / c.every));
    window = new LifNoiseWindow({ neurons: n, capacitySteps: perFill, integrator: c.integrator, seed: input.seed, trial: input.trial });
    a.useNoiseWindow(window);
    b.useNoiseWindow(window);
    let filledTo = 0;
    const advance = (m: number) => {
      const s = a.step;
      if (s + m > filledTo) {
        window?.fill({ start: s, steps: perFill });
        filledTo = s + perFill;
      }
      a.run(m * c.dt);
      b.run(m * c.dt);
    };
    // Burn-in: both replicas identical; the tangent is re-orthonormalised without accumulating.
    for (let done = 0; done < c.burnSteps; ) {
      const m = Math.min(c.qrEvery, c.burnSteps - done);
      advance(m);
      tan.orthonormalise();
      done += m;
      yield done;
    }
    monA.clear();
    tan.clearSaltation();
    const countsAt = a.spikeCounts();
    // Finite-difference replica ε away (per neuron when there are no projections).
    const sa = a.state();
    const perNeuron = uncoupled ? c.eps : c.eps / Math.sqrt(n);
    b.setState({ v: sa.v.map((v) => v + perNeuron), i: sa.i, i2: sa.i2 });
    const e0 = uncoupled ? c.eps * Math.sqrt(n) : c.eps;
    let fdLog = 0;
    let fdTime = 0;
    const fdN = new Float64Array(n);
    const growth = new Float64Array(c.K);
    let growthTime = 0;
    let sinceQr = 0;
    const flux = consts.map(
      (k) => new ThresholdFluxAccumulator({ tauMem: k.tauMem, vLeak: k.vLeak, vThreshold: k.vThreshold, vReset: k.vReset, width: c.width }),
    );
    for (let done = 0; done < c.steps; ) {
      const m = Math.min(c.every, c.steps - done);
      advance(m);
      done += m;
      sinceQr += m;
      if (sinceQr >= c.qrEvery) {
        const g = tan.orthonormalise();
        for (let k = 0; k < c.K; k++) growth[k] += g[k];
        growthTime += sinceQr * c.dt;
        sinceQr = 0;
      }
      const s = a.state();
      for (let i = 0; i < n; i++) flux[popOf[i]].add(s.v[i], s.i[i]);
      // Finite differences: renormalise once both replicas have fired the same spikes.
      const ca = a.spikeCounts();
      const cb = b.spikeCounts();
      let same = true;
      for (let i = 0; i < n; i++) if (ca[i] !== cb[i]) same = false;
      if (same) {
        const t = b.state();
        let d2 = 0;
        for (let i = 0; i < n; i++) d2 += (t.v[i] - s.v[i]) ** 2 + (t.i[i] - s.i[i]) ** 2 + (t.i2[i] - s.i2[i]) ** 2;
        const d = Math.sqrt(d2);
        fdLog += klog(d / e0);
        for (let i = 0; i < n; i++) {
          // Without projections each neuron is its own system, renormalised to ε separately.
          const di = uncoupled ? Math.sqrt((t.v[i] - s.v[i]) ** 2 + (t.i[i] - s.i[i]) ** 2 + (t.i2[i] - s.i2[i]) ** 2) : d;
          const e = uncoupled ? c.eps : e0;
          if (uncoupled) fdN[i] += klog(di / c.eps);
          t.v[i] = s.v[i] + ((t.v[i] - s.v[i]) * e) / di;
          t.i[i] = s.i[i] + ((t.i[i] - s.i[i]) * e) / di;
          t.i2[i] = s.i2[i] + ((t.i2[i] - s.i2[i]) * e) / di;
        }
        fdTime = done * c.dt;
        b.setState({ v: t.v, i: t.i, i2: t.i2 });
      }
      yield c.burnSteps + done;
    }
    if (sinceQr > 0) {
      const g = tan.orthonormalise();
      for (let k = 0; k < c.K; k++) growth[k] += g[k];
      growthTime += sinceQr * c.dt;
    }
    const sp = monA.spikes();
    // Σ ln s(A_k) per neuron, as the tangent pass applied it (LifTangents.saltation).
    const lnS = tan.saltation();
    const crossingSpeed = Array.from(sp.A);
    const crossingPopulation = Array.from(sp.neuron, (j) => popOf[j]);
    const counts = a.spikeCounts();
    const T = c.steps * c.dt;
    const vExponent = Array.from(lnS, (x, i) => -consts[popOf[i]].gL + x / T);
    const popMean = (v: ArrayLike<number>) =>
      shape.populations.map((q) => {
        let s = 0;
        for (let i = q.start; i < q.start + q.size; i++) s += v[i];
        return s / q.size;
      });
    return {
      populations: shape.populations.map((q) => q.name),
      spectrum: Array.from(growth, (g) => g / growthTime),
      vExponent,
      vExponentPopulation: popMean(vExponent),
      fluxFormula: flux.map((f) => f.lyapunov()),
      fluxRate: flux.map((f) => f.rate()),
      fdTop: fdLog / fdTime,
      fdNeuron: uncoupled ? Array.from(fdN, (x) => x / fdTime) : [],
      rate: popMean(Array.from(counts, (cnt, i) => (1000 * (cnt - countsAt[i])) / T)),
      crossingSpeed,
      crossingPopulation,
    };
  } finally {
    for (const x of nets) x.dispose();
    window?.dispose();
  }
}

/** Worker task `numerics.lyapunovTrial`: one trial as plain data. @internal */
export function lyapunovTask(input: TrialInput<LyapunovParams>): LyapunovTrialRow {
  return finish(lyapunovWork(input, 'params'));
}

/**
 * One trial of the Lyapunov estimators (see the module doc) on a network built by
 * {@link buildLifNetwork}: the tangent network and its finite-difference replica share the trial's
 * noise. Refuses the `grid` rule with a {@link ValidationError}: V^{n+1} = V_r whatever V^n was,
 * so the tangent (and any finite difference) through a spike is exactly 0. Progress unit: `step`
 * (burn-in and measured steps); `signal` is checked between chunks.
 * @example
 * ```ts
 * const r = lyapunovTrial({ network: feedforwardNetwork({ sizes: [10] }), duration: 2000, seed: 1 });
 * r.spectrum[0]; r.fluxFormula[0]; // 1/ms
 * ```
 */
export function lyapunovTrial(options: LyapunovOptions): LyapunovTrialResult {
  const o = strictOptions('lyapunovTrial', 'options', options, TRIAL_KEYS);
  const { seed, trial, signal, onProgress, ...params } = o;
  const n = checkSpec('options.network', o.network).size;
  const c = checkParams(params, n);
  const pr = new ProgressTracker('lyapunovTrial', c.burnSteps + c.steps, 'step', {
    signal,
    onProgress: onProgress as ProgressCallback | undefined,
  });
  const row = finish(lyapunovWork({ seed: seed ?? 0, trial: checkInteger('options.trial', trial ?? 0, 0, 0xffffffff), params }), pr);
  return new FieldsResult('numerics.lyapunovTrial', row) as LyapunovTrialResult;
}

/** Options of {@link lyapunovStudy}. */
export interface LyapunovStudyOptions extends LyapunovParams, StudyRunOptions {
  /** Number of trials (ignored when `range` is given). */
  trials?: number;
  /** Trial range [a, b). @default [0, trials) */
  range?: [number, number];
  /** Study seed: trial k uses `trialKey(seed, k)`. @default 0 */
  seed?: Seed;
}

const STUDY_KEYS = optionKeys<LyapunovStudyOptions>()([...PARAM_KEYS, 'trials', 'range', 'seed', ...STUDY_RUN_KEYS]);

/** Fields of a {@link LyapunovStudyResult}: per-trial rows and estimates over trials (1/ms, Student-t 95 % CIs). */
export interface LyapunovStudyFields {
  /** Successful trials, in trial order. */
  rows: LyapunovTrialRow[];
  /** Trials that threw, with their message. */
  failed: { trial: number; message: string }[];
  /** Mean of the top-K tangent exponents (with K = N in a feedforward net: the mean V-direction exponent). */
  tangent: Estimate;
  /** Flux formula, averaged over neurons (populations weighted by size). */
  fluxFormula: Estimate;
  /** Per-neuron identity −g_L + (1/T)Σ ln s(A_k), averaged over neurons. */
  identity: Estimate;
  /** Top tangent (QR) exponent. */
  tangentTop: Estimate;
  /** Top exponent by finite differences. */
  finiteDifferenceTop: Estimate;
}

/** Result of {@link lyapunovStudy}, with `toJSON()`. */
export type LyapunovStudyResult = FieldsResult<'numerics.lyapunov'> & LyapunovStudyFields;

/**
 * Runs {@link lyapunovTrial} over trials (worker pool, or the calling thread with `workers: 0`,
 * yielding every `sliceMs`) and averages the estimators. Identical for any worker count.
 * Progress unit: `trial`.
 * @example
 * ```ts
 * const r = await lyapunovStudy({ network: feedforwardNetwork({ sizes: [20, 20, 20] }), duration: 2000, trials: 4, seed: 1 });
 * r.tangent.value; r.fluxFormula.value; // 1/ms
 * ```
 */
export async function lyapunovStudy(options: LyapunovStudyOptions): Promise<LyapunovStudyResult> {
  const o = strictOptions('lyapunovStudy', 'options', options, STUDY_KEYS);
  const { trials, range, seed, workers, workerUrl, pool, signal, onProgress, sliceMs, ...params } = o;
  const shape = checkSpec('options.network', params.network);
  checkParams(params, shape.size);
  const run = { seed: seed ?? 0, range: trialRange({ trials, range }), params, workers, workerUrl, pool, signal, onProgress, sliceMs };
  const res = await runStudy(
    'lyapunovStudy',
    'numerics.lyapunovTrial',
    (input: TrialInput<LyapunovParams>) => lyapunovWork(input, 'params'),
    run,
  );
  const rows = res.rows.filter((x) => x.ok).map((x) => (x as { value: LyapunovTrialRow }).value);
  const failed = res.rows
    .filter((x) => !x.ok)
    .map((x) => ({ trial: x.index, message: (x as { error: { message: string } }).error.message }));
  const sizes = shape.populations.map((q) => q.size);
  const N = sizes.reduce((a, b) => a + b, 0);
  const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  // Trials with a NaN figure (no data: e.g. no sample in the flux strip of a short run) are left out.
  const est = (v: number[]): Estimate => estimateOver(v);
  const fields: LyapunovStudyFields = {
    rows,
    failed,
    tangent: est(rows.map((r) => mean(r.spectrum))),
    fluxFormula: est(rows.map((r) => r.fluxFormula.reduce((a, f, k) => a + (f * sizes[k]) / N, 0))),
    identity: est(rows.map((r) => mean(r.vExponent))),
    tangentTop: est(rows.map((r) => r.spectrum[0])),
    finiteDifferenceTop: est(rows.map((r) => r.fdTop)),
  };
  return new FieldsResult('numerics.lyapunov', fields) as LyapunovStudyResult;
}
