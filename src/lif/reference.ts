/**
 * Plain TypeScript reference of the kernel's hot loop for an uncoupled homogeneous population:
 * Euler–Maruyama for (V, I), linear spike-time rule, the same random numbers (Philox4x32-10
 * block per neuron pair + 256-layer ziggurat, counter contract of `src/rng`). Used by the
 * benchmark as the "plain TS loop" baseline and by tests as an independent re-implementation.
 * @packageDocumentation
 */
import { normalAt, philox4x32 } from '../rng/reference.js';
import type { Key } from '../rng/seed.js';
import { ZIG_K, ZIG_W } from '../rng/zigtables.js';

/** Parameters of {@link lifReferenceRun} (seed units; see `LifPopulationParams`). */
export interface LifReferenceParams {
  /** Leak conductance g_L = 1/τ_m (1/ms). */
  gL: number;
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

const TWO20 = 1048576;
const blk = new Uint32Array(4);

/**
 * Advances `v`, `i` (one entry per neuron, global indices 0..N−1) by `steps` steps of size h
 * from step `step0`, in place, with EM + linear interpolation (the kernel's order of operations
 * for a population without synapses, shared noise, Poisson drive or refractoriness). Calls
 * `onSpike(neuron, step, offset, A)` for each spike. Returns the number of spikes. With
 * {@link LifReferenceParamArrays} the parameters are per neuron (h/τ_s and the noise factor
 * σ√(2/τ_s)√h are computed once per neuron before the loop, as the kernel's facade does).
 * @example
 * ```ts
 * const v = new Float64Array(100), i = new Float64Array(100).fill(0.055);
 * lifReferenceRun(v, i, { gL: 0.05, vLeak: 0, vThreshold: 1, vReset: 0, tauSyn: 5, mu: 0.055, sigma: 0.02 }, 0.1, seedToKey(1), 0, 1000);
 * ```
 */
export function lifReferenceRun(
  v: Float64Array,
  i: Float64Array,
  p: LifReferenceParams | LifReferenceParamArrays,
  h: number,
  key: Key,
  step0: number,
  steps: number,
  onSpike?: (neuron: number, step: number, offset: number, A: number) => void,
): number {
  if (typeof p.gL !== 'number') return referenceHet(v, i, p as LifReferenceParamArrays, h, key, step0, steps, onSpike);
  return referenceHomo(v, i, p as LifReferenceParams, h, key, step0, steps, onSpike);
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
  onSpike?: (neuron: number, step: number, offset: number, A: number) => void,
): number {
  const N = v.length;
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
      const a = p.gL[q];
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
  onSpike?: (neuron: number, step: number, offset: number, A: number) => void,
): number {
  const N = v.length;
  const a = p.gL;
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
