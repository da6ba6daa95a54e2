/**
 * Plain TypeScript reference of the kernel's hot loop for an uncoupled homogeneous population:
 * Euler–Maruyama for (V, I), linear spike-time rule, the same random numbers (Philox4x32-10
 * block per neuron pair + 256-layer ziggurat, counter contract of `src/rng`). Used by the
 * benchmark as the "plain TS loop" baseline and by tests as an independent re-implementation.
 * @packageDocumentation
 */
import { checkCallback, optionKeys, strictOptions } from '../contract/options.js';
import { ValidationError } from '../kernel/errors.js';
import { checkFinite, checkInteger, checkNonNegative, checkPositive } from '../kernel/validate.js';
import { normalAt, philox4x32 } from '../rng/reference.js';
import { type Key, type Seed, seedKeyOf } from '../rng/seed.js';
import { ZIG_K, ZIG_W } from '../rng/zigtables.js';

/** Parameters of {@link lifReferenceRun} (units and meaning as in `LifPopulationParams`; all required). */
export interface LifReferenceParams {
  /** Membrane time constant τ_m = 1/g_L (ms). */
  tauMem: number;
  /** Leak potential V_L (voltage units). */
  vLeak: number;
  /** Threshold V_th (voltage units). */
  vThreshold: number;
  /** Reset V_r (voltage units). */
  vReset: number;
  /** Synaptic time constant τ_s (ms). */
  tauSyn: number;
  /** Mean μ of I (voltage units per ms). */
  mu: number;
  /** Stationary standard deviation σ of I (voltage units per ms); diffusion σ√(2/τ_s). */
  sigma: number;
}

/**
 * Per-neuron parameters of {@link lifReferenceRun} (a heterogeneous population): one value per
 * neuron for every field of {@link LifReferenceParams}, same units.
 */
export type LifReferenceParamArrays = { [K in keyof LifReferenceParams]: Float64Array };

/** Options of {@link lifReferenceRun}. */
export interface LifReferenceOptions {
  /** Step h (ms). */
  dt: number;
  /** Time to advance (ms), rounded to a whole number of steps. */
  duration: number;
  /** Grid step index of the first step (the RNG counter). @default 0 */
  startStep?: number;
  /** User seed of the noise. @default 0 */
  seed?: Seed;
  /** Trial index: noise under `trialKey(seed, trial)`; omit for `seedToKey(seed)`. */
  trial?: number;
  /** Explicit key of the noise (overrides seed/trial). */
  key?: Key;
  /** Called for each spike with (neuron, step, offset, A): time (step + offset)·dt ms, A in voltage units per ms. */
  onSpike?: (neuron: number, step: number, offset: number, A: number) => void;
}

const REFERENCE_KEYS = optionKeys<LifReferenceOptions>()(['dt', 'duration', 'startStep', 'seed', 'trial', 'key', 'onSpike']);
const REFERENCE_PARAM_KEYS = optionKeys<LifReferenceParams>()(['tauMem', 'vLeak', 'vThreshold', 'vReset', 'tauSyn', 'mu', 'sigma']);

const TWO20 = 1048576;
/** Neuron-steps one {@link lifReferenceRun} call may take (a few seconds of the plain TypeScript loop). */
const REFERENCE_MAX_WORK = 2 ** 28;
const blk = new Uint32Array(4);

type Spike = ((neuron: number, step: number, offset: number, A: number) => void) | undefined;

/**
 * Advances `state.v`, `state.i` (one entry per neuron, global indices 0..N−1) by `duration` ms
 * from grid step `startStep`, **in place**, with EM + linear interpolation (the kernel's order of
 * operations for a population without synapses, shared noise, Poisson drive or refractoriness)
 * and the kernel's random numbers for the key `keyOfSeed({ seed, trial })` (or `key`). Calls
 * `onSpike(neuron, step, offset, A)` for each spike and returns the number of spikes (at most 2^28 neuron-steps per call; continue with `startStep`). With
 * {@link LifReferenceParamArrays} the parameters are per neuron (1/τ_m, h/τ_s and the noise
 * factor σ√(2/τ_s)√h are computed once per neuron before the loop, as the kernel's facade does).
 * @param state - `{ v, i }`: Float64Arrays of equal length, overwritten
 * @example
 * ```ts
 * const v = new Float64Array(100), i = new Float64Array(100).fill(0.055);
 * lifReferenceRun({ v, i }, { tauMem: 20, vLeak: 0, vThreshold: 1, vReset: 0, tauSyn: 5, mu: 0.055, sigma: 0.02 },
 *   { dt: 0.1, duration: 100, seed: 1 });
 * ```
 */
export function lifReferenceRun(
  state: {
    /** V per neuron (voltage units), advanced in place. */
    v: Float64Array;
    /** I per neuron (voltage units per ms), advanced in place. */
    i: Float64Array;
  },
  params: LifReferenceParams | LifReferenceParamArrays,
  options: LifReferenceOptions,
): number {
  const o = strictOptions<LifReferenceOptions>('lifReferenceRun', 'options', options, REFERENCE_KEYS);
  const s = strictOptions<{ v: Float64Array; i: Float64Array }>('lifReferenceRun', 'state', state, ['v', 'i']);
  if (!(s.v instanceof Float64Array) || s.v.length === 0) throw new ValidationError('state.v', 'a non-empty Float64Array', s.v);
  const N = s.v.length;
  if (!(s.i instanceof Float64Array) || s.i.length !== N) throw new ValidationError('state.i', `a Float64Array of length ${N}`, s.i);
  const p = strictOptions<LifReferenceParams | LifReferenceParamArrays>('lifReferenceRun', 'params', params, REFERENCE_PARAM_KEYS);
  const h = checkPositive('options.dt', o.dt, 'ms');
  const steps = Math.round(checkNonNegative('options.duration', o.duration, 'ms') / h);
  const step0 = checkInteger('options.startStep', o.startStep ?? 0, 0, 0xffffffff);
  if (!(step0 + steps <= 0x100000000)) throw new ValidationError('options.duration', 'at most the 32-bit step counter', o.duration);
  // work bound: a plain TypeScript loop with no progress or signal; longer runs go in pieces (startStep)
  if (steps * N > REFERENCE_MAX_WORK)
    throw new ValidationError(
      'options.duration',
      `at most ${Math.floor(REFERENCE_MAX_WORK / N) * h} ms for ${N} neurons (${REFERENCE_MAX_WORK} neuron-steps per call; continue with startStep)`,
      o.duration,
    );
  let key: Key;
  if (o.key !== undefined) {
    const k = strictOptions<Key>('lifReferenceRun', 'options.key', o.key, ['k0', 'k1']);
    for (const w of ['k0', 'k1'] as const)
      if (!Number.isInteger(k[w]) || k[w] < 0 || k[w] > 0xffffffff)
        throw new ValidationError(`options.key.${w}`, 'an integer in [0, 2^32)', k[w]);
    key = k;
  } else key = seedKeyOf({ seed: o.seed, trial: o.trial }, 'options.');
  const onSpike = checkCallback<NonNullable<Spike>>('options.onSpike', o.onSpike);
  const perNeuron = typeof p.tauMem !== 'number';
  for (const f of REFERENCE_PARAM_KEYS) {
    const x = (p as Record<string, unknown>)[f];
    if (perNeuron) {
      if (!(x instanceof Float64Array) || x.length !== N) throw new ValidationError(`params.${f}`, `a Float64Array of length ${N}`, x);
      for (let q = 0; q < N; q++) checkFinite(`params.${f}[${q}]`, x[q]);
    } else checkFinite(`params.${f}`, x);
  }
  if (perNeuron) return referenceHet(s.v, s.i, p as LifReferenceParamArrays, h, key, step0, steps, onSpike);
  return referenceHomo(s.v, s.i, p as LifReferenceParams, h, key, step0, steps, onSpike);
}

/** One ziggurat normal of neuron q at step n (block of the pair in `blk`, refilled for even q). */
function refNormal(q: number, n: number, k0: number, k1: number): number {
  if ((q & 1) === 0) philox4x32(q >>> 1, n, 0, 0, k0, k1, blk);
  const w = (q & 1) << 1;
  const lo = blk[w];
  const rabs = blk[w + 1] * TWO20 + (lo >>> 12);
  const idx = lo & 0xff;
  if (rabs < ZIG_K[idx]) {
    const x = rabs * ZIG_W[idx];
    return (lo >>> 8) & 1 ? -x : x;
  }
  const z = normalAt(k0, k1, 0, q, n);
  if ((q & 1) === 0) philox4x32(q >>> 1, n, 0, 0, k0, k1, blk);
  return z;
}

function referenceHet(
  v: Float64Array,
  i: Float64Array,
  p: LifReferenceParamArrays,
  h: number,
  key: Key,
  step0: number,
  steps: number,
  onSpike: Spike,
): number {
  const N = v.length;
  const gL = p.tauMem.map((t) => 1 / t);
  const hb = p.tauSyn.map((t) => h * (1 / t));
  const sem = p.sigma.map((s, q) => s * Math.sqrt(2 * (1 / p.tauSyn[q])) * Math.sqrt(h));
  const noisy = p.sigma.some((s) => s > 0);
  const k0 = key.k0;
  const k1 = key.k1;
  let spikes = 0;
  for (let s = 0; s < steps; s++) {
    const n = step0 + s;
    for (let q = 0; q < N; q++) {
      const z = noisy ? refNormal(q, n, k0, k1) : 0;
      const a = gL[q];
      const VL = p.vLeak[q];
      const Vth = p.vThreshold[q];
      const vq = v[q];
      const c = i[q];
      let vN = vq + h * (-a * (vq - VL) + c);
      const cN = c - hb[q] * (c - p.mu[q]) + sem[q] * z;
      if (vq >= Vth || vN >= Vth) {
        let theta = 0;
        let A: number;
        const Vr = p.vReset[q];
        if (vq >= Vth) {
          A = -a * (vq - VL) + c;
          vN = Vr + h * (-a * (Vr - VL) + c);
        } else {
          theta = (Vth - vq) / (vN - vq);
          A = -a * (Vth - VL) + c + theta * (cN - c);
          if (theta >= 1) theta = 0.9999999999999999;
          const ct = c + theta * (cN - c);
          vN = Vr + (1 - theta) * h * (-a * (Vr - VL) + ct);
        }
        spikes++;
        onSpike?.(q, n, theta, A);
      }
      v[q] = vN;
      i[q] = cN;
    }
  }
  return spikes;
}

function referenceHomo(
  v: Float64Array,
  i: Float64Array,
  p: LifReferenceParams,
  h: number,
  key: Key,
  step0: number,
  steps: number,
  onSpike: Spike,
): number {
  const N = v.length;
  const a = 1 / p.tauMem;
  const VL = p.vLeak;
  const Vth = p.vThreshold;
  const Vr = p.vReset;
  const mu = p.mu;
  const hb = h * (1 / p.tauSyn);
  const sem = p.sigma * Math.sqrt(2 * (1 / p.tauSyn)) * Math.sqrt(h);
  const noisy = p.sigma > 0;
  const k0 = key.k0;
  const k1 = key.k1;
  let spikes = 0;
  for (let s = 0; s < steps; s++) {
    const n = step0 + s;
    for (let q = 0; q < N; q++) {
      let z = 0;
      if (noisy) {
        if ((q & 1) === 0) philox4x32(q >>> 1, n, 0, 0, k0, k1, blk);
        const w = (q & 1) << 1;
        const lo = blk[w];
        const rabs = blk[w + 1] * TWO20 + (lo >>> 12);
        const idx = lo & 0xff;
        if (rabs < ZIG_K[idx]) {
          const x = rabs * ZIG_W[idx];
          z = (lo >>> 8) & 1 ? -x : x;
        } else {
          z = normalAt(k0, k1, 0, q, n);
          if ((q & 1) === 0) philox4x32(q >>> 1, n, 0, 0, k0, k1, blk);
        }
      }
      const vq = v[q];
      const c = i[q];
      let vN = vq + h * (-a * (vq - VL) + c);
      const cN = c - hb * (c - mu) + sem * z;
      if (vq >= Vth || vN >= Vth) {
        let theta = 0;
        let A: number;
        if (vq >= Vth) {
          A = -a * (vq - VL) + c;
          vN = Vr + h * (-a * (Vr - VL) + c);
        } else {
          theta = (Vth - vq) / (vN - vq);
          A = -a * (Vth - VL) + c + theta * (cN - c);
          if (theta >= 1) theta = 0.9999999999999999;
          const ct = c + theta * (cN - c);
          vN = Vr + (1 - theta) * h * (-a * (Vr - VL) + ct);
        }
        spikes++;
        onSpike?.(q, n, theta, A);
      }
      v[q] = vN;
      i[q] = cN;
    }
  }
  return spikes;
}
