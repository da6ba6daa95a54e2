/**
 * Shared pieces of the srm module (not re-exported as such by the barrel: network.ts re-exports
 * the public types and constants): parameters and limits, the spike-train and result types,
 * strict options with the renamed-option hints, and the argument checks.
 * @packageDocumentation
 */
import { makeTable, optionKeys, Result, strictOptions, type TableOf } from '../contract/index.js';
import { ValidationError } from '../kernel/errors.js';
import { checkChoice, checkFinite, checkInteger, checkPositive, isNumericArray } from '../kernel/validate.js';
/**
 * Work and size limits of the srm module, checked before anything is allocated or run (a call
 * beyond them is a {@link ValidationError} naming the argument).
 */
export const SRM_LIMITS = {
  /** Largest network (neurons): 4096² f64 weights are 128 MiB, and a learner holds up to four such matrices. */
  maxNeurons: 4096,
  /** Largest steps × neurons of one call (a train, a run): the score of a train takes 8 bytes each (512 MiB). */
  maxNeuronSteps: 2 ** 26,
  /** Largest steps × neurons² of one O(n²T) call (`method: 'forward'`, `learnOnline`): about a minute of work. */
  maxSynapseSteps: 2 ** 36,
  /** Largest global step of {@link SrmNetwork.run} (the spike draws' step counter is 32-bit). */
  maxStep: 2 ** 32 - 1,
} as const;

/** Neuron and discretisation parameters shared by all neurons of an {@link SrmNetwork}. */
export interface SrmParams {
  /** Membrane (PSP trace) time constant τ_m (ms): φ_j decays as e^{−t/τ_m}. @default 10 */
  tauMem?: number;
  /** Adaptation time constant τ_adapt (ms). @default 20 */
  tauAdapt?: number;
  /** Adaptation strength η0 (units of u; the kernel is −η0 e^{−s/τ_adapt}). @default 1 */
  eta0?: number;
  /** Escape rate at threshold ρ0 (Hz): ρ = ρ0 exp((u − ϑ)/Δu). @default 20 */
  rho0?: number;
  /** Threshold ϑ (units of u). @default 0 */
  vThreshold?: number;
  /** Escape-noise width Δu (units of u), > 0. @default 1 */
  deltaU?: number;
  /** Time step (ms). @default 1 */
  dt?: number;
}

/** Resolved parameters. */
export type SrmResolvedParams = Required<SrmParams>;

/** Default parameters (neurodyn's choice; the paper's values could not be verified). */
export const SRM_DEFAULTS: SrmResolvedParams = Object.freeze({
  tauMem: 10,
  tauAdapt: 20,
  eta0: 1,
  rho0: 20,
  vThreshold: 0,
  deltaU: 1,
  dt: 1,
});

/** The keys of {@link SrmParams}. */
export const SRM_PARAM_KEYS = optionKeys<SrmParams>()(['tauMem', 'tauAdapt', 'eta0', 'rho0', 'vThreshold', 'deltaU', 'dt']);

/** Named warnings of the srm module (silence them with `silence: [name]`). */
export type SrmWarningName = 'srm.saturation';

/** A warning: `name` identifies it, `message` explains it. */
export interface SrmWarning {
  /** Which warning (`'srm.saturation'`: λ = ρ dt large, the one-spike-per-step cap binds). */
  name: SrmWarningName;
  /** Human-readable explanation with the offending values. */
  message: string;
}

/**
 * A spike raster of n neurons over `steps` steps, as the methods take it: `spikes[t*n + i]` is
 * X_i(t) ∈ {0, 1}; step t covers [t·dt, (t+1)·dt). A plain object `{ n, steps, spikes }` is
 * accepted; an {@link SrmSpikeTrain} (what the methods return) is one.
 */
export interface SrmSpikeRaster {
  /** Number of neurons. */
  n: number;
  /** Number of time steps. */
  steps: number;
  /** X_i(t) ∈ {0, 1}, time-major: `spikes[t*n + i]`, length steps·n. */
  spikes: Uint8Array;
  /** Time step of the raster (ms); when given, it must equal the network's `dt`. */
  dt?: number;
}

/** Columns of {@link SrmSpikeTrain.toTable}. */
export type SrmSpikeColumns = {
  /** Neuron index. */
  neuron: Int32Array;
  /** Global step of the spike. */
  step: Uint32Array;
  /** Spike time (ms) = step · dt (a spike belongs to the start of its step). */
  time: Float64Array;
};

/** A spike train returned by the srm module: a raster plus its time step and start (a `Result`). */
export interface SrmSpikeTrain extends SrmSpikeRaster {
  /** Result type. */
  readonly kind: 'srm.spikeTrain';
  /** Time step (ms). */
  readonly dt: number;
  /** Global step of row 0 (0 for evaluations from rest; the network's step before a `run`). */
  readonly startStep: number;
  /** Duration covered (ms) = steps · dt. */
  readonly duration: number;
  /** The spikes as a table: `neuron`, `step`, `time` (ms), in time order. */
  toTable(): TableOf<SrmSpikeColumns>;
  /** JSON form: n, steps, dt (ms), startStep and the raster as a plain array. */
  toJSON(): Record<string, unknown>;
}

class SpikeTrainResult extends Result implements SrmSpikeTrain {
  readonly kind = 'srm.spikeTrain' as const;
  readonly n: number;
  readonly steps: number;
  readonly dt: number;
  readonly startStep: number;
  readonly spikes: Uint8Array;
  constructor(n: number, steps: number, dt: number, startStep: number, spikes: Uint8Array) {
    super();
    this.n = n;
    this.steps = steps;
    this.dt = dt;
    this.startStep = startStep;
    this.spikes = spikes;
  }
  get duration(): number {
    return this.steps * this.dt;
  }
  toTable(): TableOf<SrmSpikeColumns> {
    const { n, spikes } = this;
    let count = 0;
    for (let k = 0; k < spikes.length; k++) count += spikes[k];
    const neuron = new Int32Array(count);
    const step = new Uint32Array(count);
    const time = new Float64Array(count);
    let c = 0;
    for (let k = 0; k < spikes.length; k++) {
      if (!spikes[k]) continue;
      const s = this.startStep + Math.floor(k / n);
      neuron[c] = k % n;
      step[c] = s;
      time[c] = s * this.dt;
      c++;
    }
    return makeTable<SrmSpikeColumns>(
      'srm.spikes',
      {
        neuron: { data: neuron, unit: '', description: 'neuron index' },
        step: { data: step, unit: '', description: 'global step of the spike' },
        time: { data: time, unit: 'ms', description: 'spike time: start of the step (step · dt)' },
      },
      { n, dt: this.dt, startStep: this.startStep, steps: this.steps },
    );
  }
}

/** Makes an {@link SrmSpikeTrain} (copies nothing: `spikes` is owned by the result). */
export function srmSpikeTrain(n: number, steps: number, dt: number, spikes: Uint8Array, startStep = 0): SrmSpikeTrain {
  return new SpikeTrainResult(n, steps, dt, startStep, spikes);
}

/** A result object of the srm module: its fields, `kind` and `toJSON()`. */
export type SrmResult<K extends string, T> = T & {
  /** Result type. */
  readonly kind: K;
  /** JSON form: the fields with typed arrays as plain arrays. */
  toJSON(): Record<string, unknown>;
};

class FieldsResult extends Result {
  readonly kind: string;
  constructor(kind: string) {
    super();
    this.kind = kind;
  }
}

/** Builds a result: a {@link Result} with `kind` and the given fields (undefined fields are left out). */
export function srmResult<K extends string, T extends object>(kind: K, fields: T): SrmResult<K, T> {
  const r = new FieldsResult(kind);
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) (r as unknown as Record<string, unknown>)[k] = v;
  return r as unknown as SrmResult<K, T>;
}

export const WARNING_NAMES: readonly SrmWarningName[] = ['srm.saturation'];

/** Options renamed by the one-contract change whose new name no edit distance finds: old → new. */
const RENAMED: Readonly<Record<string, string>> = { tauBaseline: 'baselineUpdates', key: 'seed' };

/**
 * `strictOptions` plus a suggestion for the few renamed options whose new name is not near the
 * old one (`tauBaseline` → `baselineUpdates`; the removed raw `key` → `seed`/`trial`).
 */
export function srmOptions<T extends object>(where: string, name: string, value: T | undefined, keys: readonly string[]): T {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    for (const k of Object.keys(value)) {
      const now = RENAMED[k];
      if (now !== undefined && !keys.includes(k) && keys.includes(now)) {
        const hint =
          k === 'key' ? `did you mean '${now}'? (pass seed and trial; the key is keyOfSeed({ seed, trial }))` : `did you mean '${now}'?`;
        throw new ValidationError(name === 'options' ? k : `${name}.${k}`, hint, k, `unknown option '${k}' for ${where}; ${hint}`, now);
      }
    }
  }
  return strictOptions<T>(where, name, value, keys);
}

/** Resolves and checks SRM parameters (names without prefix, as the constructor options). */
export function resolveSrmParams(o: SrmParams): SrmResolvedParams {
  const p = { ...SRM_DEFAULTS };
  for (const k of SRM_PARAM_KEYS) if (o[k] !== undefined) p[k] = o[k] as number;
  checkPositive('tauMem', p.tauMem, 'ms');
  checkPositive('tauAdapt', p.tauAdapt, 'ms');
  checkFinite('eta0', p.eta0, 'units of u');
  checkPositive('rho0', p.rho0, 'Hz');
  checkFinite('vThreshold', p.vThreshold, 'units of u');
  checkPositive('deltaU', p.deltaU, 'units of u');
  checkPositive('dt', p.dt, 'ms');
  return p;
}

/** Checks the shared options of a network (names as the constructor options); returns them resolved. */
export function checkSrmCommon(o: { silence?: unknown; onWarning?: unknown; saturationLambda?: unknown }) {
  const silence = o.silence ?? [];
  if (!Array.isArray(silence)) throw new ValidationError('silence', `an array of warning names (${WARNING_NAMES.join(', ')})`, silence);
  silence.forEach((s, i) => {
    checkChoice(`silence[${i}]`, s, WARNING_NAMES);
  });
  if (o.onWarning !== undefined && typeof o.onWarning !== 'function') throw new ValidationError('onWarning', 'a function', o.onWarning);
  const satLambda = checkPositive('saturationLambda', o.saturationLambda ?? 0.5);
  return { silence: silence as SrmWarningName[], onWarning: o.onWarning as ((w: SrmWarning) => void) | undefined, satLambda };
}

/** Checks a 0/1 mask of length `len` and returns it as Float64Array. */
export function checkSrmMask(name: string, v: unknown, len: number): Float64Array {
  if (!isNumericArray(v) && !Array.isArray(v)) throw new ValidationError(name, `an array of 0/1 of length ${len}`, v);
  const a = v as ArrayLike<unknown>;
  if (a.length !== len) throw new ValidationError(`${name}.length`, `${len}`, a.length);
  const out = new Float64Array(len);
  for (let i = 0; i < len; i++) {
    const x = a[i];
    const b = x === true ? 1 : x === false ? 0 : x;
    if (b !== 0 && b !== 1) throw new ValidationError(`${name}[${i}]`, '0, 1, true or false', x);
    out[i] = b;
  }
  return out;
}

/**
 * Checks a spike raster of `n` neurons (time step `dt` when the raster carries one); `maxSteps`
 * bounds its length.
 */
export function checkSrmTrain(name: string, v: unknown, n: number, dt?: number): SrmSpikeRaster {
  if (typeof v !== 'object' || v === null) throw new ValidationError(name, 'a spike raster { n, steps, spikes }', v);
  const t = v as SrmSpikeRaster;
  if (t.n !== n) throw new ValidationError(`${name}.n`, `${n} (the network's size)`, t.n);
  checkInteger(`${name}.steps`, t.steps, 1, Math.floor(SRM_LIMITS.maxNeuronSteps / n));
  if (!(t.spikes instanceof Uint8Array)) throw new ValidationError(`${name}.spikes`, 'a Uint8Array', t.spikes);
  if (t.spikes.length !== t.steps * n) throw new ValidationError(`${name}.spikes.length`, `${t.steps * n} (steps·n)`, t.spikes.length);
  if (t.dt !== undefined && dt !== undefined && t.dt !== dt) throw new ValidationError(`${name}.dt`, `${dt} ms (the network's dt)`, t.dt);
  const s = t.spikes;
  for (let k = 0; k < s.length; k++) if (s[k] > 1) throw new ValidationError(`${name}.spikes[${k}]`, '0 or 1', s[k]);
  return t;
}

/** The number of steps of `duration` ms at step `dt` (a whole number of steps, at least 1). */
export function stepsOf(where: string, duration: unknown, dt: number, n: number): number {
  if (typeof duration !== 'number' || !Number.isFinite(duration) || !(duration > 0))
    throw new ValidationError('duration', `a finite number > 0 ms (${where})`, duration);
  const steps = Math.round(duration / dt);
  if (steps < 1 || Math.abs(steps * dt - duration) > 1e-9 * Math.max(1, duration))
    throw new ValidationError('duration', `a whole number of steps of dt = ${dt} ms (${where})`, duration);
  const max = Math.floor(SRM_LIMITS.maxNeuronSteps / n);
  if (steps > max)
    throw new ValidationError(
      'duration',
      `at most ${max * dt} ms for ${n} neurons (${where}: steps × neurons ≤ ${SRM_LIMITS.maxNeuronSteps}); split the call`,
      duration,
    );
  return steps;
}

/** Checks an O(n²T) call against {@link SRM_LIMITS}.maxSynapseSteps. */
export function checkSynapseWork(where: string, name: string, steps: number, n: number, value: unknown): void {
  if (steps * n * n > SRM_LIMITS.maxSynapseSteps)
    throw new ValidationError(
      name,
      `steps × neurons² ≤ ${SRM_LIMITS.maxSynapseSteps} for ${where} (here ${steps} × ${n}²); split the train or use method 'backward'`,
      value,
    );
}
