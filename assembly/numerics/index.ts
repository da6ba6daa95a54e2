// numerics kernels: a compact current-based LIF network stepper built for the numerical-analysis
// lab (coupled paths across step sizes, spike records with crossing speeds, tangent dynamics with
// reset saltation). See src/numerics/sim.ts for the facade and docs/numerics.md for the equations.
//
// Model (seed 000_a5327dcba9ecafc1; research/lif-ltn.md §1.3):
//   dV = [-gL (V - VL) + I] dt,  dI = -(I - mu)/tau dt + sigma sqrt(2/tau) dB + sum_j J_ij delta(t - t_j)
// One call advances `steps` steps of size h = r * h_f for R replicas of an n-neuron network.
// Noise of neuron i in coarse step s is built from the r fine normals z[(s r + m) n + i]:
//   I gets b_i * sum_m wI[m] z, V gets b_i * sum_m wV[m] z, with b_i = sigma_i sqrt(2/tau) sqrt(h_f).
// For Euler–Maruyama wI = 1, wV = 0 (the increments of the fine Brownian path are summed exactly);
// for the exact propagator the weights are the conditional means of the stochastic integrals given
// the fine increments (computed in TS).
import { fail, STATUS_NONFINITE } from '../kernel';
import { philoxX4Call } from '../rng/philox';
import { normalAt, normalFromWords } from '../rng/normal';

/** The four blocks' words of one philoxX4 call (word w at +16·w). */
const PX4: usize = memory.data(64, 16);

// Parameter block P (f64 slots).
const P_H = 0;
const P_GL = 1;
const P_VL = 2;
const P_VTH = 3;
const P_VR = 4;
const P_TAU = 5;
const P_A11 = 6;
const P_A12 = 7;
const P_A22 = 8;
const P_INTEGRATOR = 9; // 0 Euler–Maruyama, 1 exact
const P_RULE = 10; // 0 grid, 1 linear, 2 hermite
const P_E11 = 11; // tangent propagator e^{-gL h}
const P_E12 = 12; // (e^{-h/tau} - e^{-gL h})/(gL - 1/tau)
const P_E22 = 13; // e^{-h/tau}

// @ts-ignore: decorator
@inline
function f64At(p: usize, k: i32): f64 {
  return load<f64>(p + (<usize>k << 3));
}

// @ts-ignore: decorator
@inline
function setF64(p: usize, k: i32, v: f64): void {
  store<f64>(p + (<usize>k << 3), v);
}

/** K(t) = (e^{-t/tau} - e^{-gL t})/(gL - 1/tau): response of V to a unit I offset (limit t e^{-gL t}). */
function kernelK(t: f64, gL: f64, tau: f64): f64 {
  const d = gL - 1.0 / tau;
  if (Math.abs(d) * t < 1e-8) return t * Math.exp(-gL * t);
  return (Math.exp(-t / tau) - Math.exp(-gL * t)) / d;
}

/**
 * Advances R replicas of an n-neuron LIF network by `steps` steps. Returns a status code (0 ok).
 * Layout: state = [V (R n), I (R n)]; coef = [cV, cI, b, mu, vInf] (n each); jt = J transposed
 * (jt[j n + i] = jump of I_i when j fires) or 0 for no coupling; wV, wI = r noise weights;
 * z = fine normals (steps r n); spikes = 4 f64 per spike (global neuron, step, theta, A), capacity
 * steps R n; out[0] = spikes written; scratch = 2 n f64 (spikes of the current step);
 * tan = K tangent vectors of length 2n ([dV, dI], replica 0 only), or K = 0;
 * ext = external (Poisson) input already binned to this level, [extV (steps n), extI (steps n)]
 * time-major, added to V' and I' of every replica before threshold detection, or 0 for none.
 * Order inside a step (per replica): integrate all neurons from the state at t_n (noise included),
 * detect V >= V_th at t_{n+1}, locate the crossing (rule), reset and integrate the rest of the step
 * from V_r, record; then deliver this step's spikes to postsynaptic currents at their crossing
 * times (exact decay factor for the part of the step after the crossing); then the tangent.
 */
export function numLifRun(
  P: usize,
  n: i32,
  R: i32,
  state: usize,
  coef: usize,
  jt: usize,
  wV: usize,
  wI: usize,
  r: i32,
  z: usize,
  steps: i32,
  step0: f64,
  spikes: usize,
  out: usize,
  scratch: usize,
  tan: usize,
  K: i32,
  ext: usize,
): i32 {
  const h = f64At(P, P_H);
  const gL = f64At(P, P_GL);
  const vL = f64At(P, P_VL);
  const vTh = f64At(P, P_VTH);
  const vR = f64At(P, P_VR);
  const tau = f64At(P, P_TAU);
  const a11 = f64At(P, P_A11);
  const a12 = f64At(P, P_A12);
  const a22 = f64At(P, P_A22);
  const exact = f64At(P, P_INTEGRATOR) > 0.5;
  const rule = <i32>f64At(P, P_RULE);
  const e11 = f64At(P, P_E11);
  const e12 = f64At(P, P_E12);
  const e22 = f64At(P, P_E22);
  const nR = n * R;
  const pV = state;
  const pI = state + (<usize>nR << 3);
  const cV = coef;
  const cI = coef + (<usize>n << 3);
  const bb = coef + (<usize>(2 * n) << 3);
  const muP = coef + (<usize>(3 * n) << 3);
  const vInfP = coef + (<usize>(4 * n) << 3);
  const gDelta = gL * (vTh - vR);
  let count = <i32>f64At(out, 0);
  for (let s = 0; s < steps; s++) {
    const step = step0 + <f64>s;
    const zs = z + (<usize>(s * r * n) << 3);
    for (let rep = 0; rep < R; rep++) {
      let nsp = 0;
      const base = rep * n;
      for (let i = 0; i < n; i++) {
        const g = base + i;
        const V = f64At(pV, g);
        const I = f64At(pI, g);
        let sI = 0.0;
        let sV = 0.0;
        if (exact) {
          for (let m = 0; m < r; m++) {
            const zz = f64At(zs, m * n + i);
            sI += f64At(wI, m) * zz;
            sV += f64At(wV, m) * zz;
          }
        } else {
          // Euler–Maruyama weights are wI = 1, wV = 0: the same sums without the multiplies
          // (1·z = z exactly and 0·z sums to +0, so the result is bit-identical).
          for (let m = 0; m < r; m++) sI += f64At(zs, m * n + i);
        }
        const b = f64At(bb, i);
        let V1 = a11 * V + a12 * I + f64At(cV, i) + b * sV;
        let I1 = a22 * I + f64At(cI, i) + b * sI;
        if (ext != 0) {
          // External events of this step, delivered at their own times within it (binned in TS).
          V1 += f64At(ext, s * n + i);
          I1 += f64At(ext, (steps + s) * n + i);
        }
        if (V1 >= vTh) {
          const dv = V1 - V;
          let theta = dv > 0 ? (vTh - V) / dv : 0.0;
          if (theta < 0) theta = 0;
          if (theta > 1) theta = 1;
          let A = dv / h;
          if (rule == 2) {
            // Cubic Hermite p(θ) through (V, h V'_n) and (V1, h V'_{n+1}); Newton from the linear θ.
            const d0 = h * (-gL * (V - vL) + I);
            const d1 = h * (-gL * (V1 - vL) + I1);
            let t = theta;
            let ok = true;
            for (let it = 0; it < 8; it++) {
              const t2 = t * t;
              const t3 = t2 * t;
              const p = (2 * t3 - 3 * t2 + 1) * V + (t3 - 2 * t2 + t) * d0 + (-2 * t3 + 3 * t2) * V1 + (t3 - t2) * d1;
              const dp = (6 * t2 - 6 * t) * V + (3 * t2 - 4 * t + 1) * d0 + (-6 * t2 + 6 * t) * V1 + (3 * t2 - 2 * t) * d1;
              if (!(dp > 0)) {
                ok = false;
                break;
              }
              let tn = t - (p - vTh) / dp;
              if (tn < 0) tn = 0;
              if (tn > 1) tn = 1;
              const done = Math.abs(tn - t) < 1e-15;
              t = tn;
              if (done) break;
            }
            if (ok) {
              const t2 = t * t;
              const dp = (6 * t2 - 6 * t) * V + (3 * t2 - 4 * t + 1) * d0 + (-6 * t2 + 6 * t) * V1 + (3 * t2 - 2 * t) * d1;
              if (dp > 0) {
                theta = t;
                A = dp / h;
              }
            }
          }
          if (rule == 0) {
            theta = 1.0;
            V1 = vR;
          } else {
            const rem = (1.0 - theta) * h;
            if (exact) {
              const mu = f64At(muP, i);
              const vInf = f64At(vInfP, i);
              const Ist = I + theta * (I1 - I);
              V1 = vInf + (vR - vInf) * Math.exp(-gL * rem) + (Ist - mu) * kernelK(rem, gL, tau);
            } else {
              V1 = vR + rem * (-gL * (vR - vL) + I);
            }
          }
          setF64(spikes, count * 4, <f64>g);
          setF64(spikes, count * 4 + 1, step);
          setF64(spikes, count * 4 + 2, theta);
          setF64(spikes, count * 4 + 3, A);
          count++;
          setF64(scratch, nsp * 3, <f64>i);
          setF64(scratch, nsp * 3 + 1, theta);
          setF64(scratch, nsp * 3 + 2, A);
          nsp++;
        }
        if (!isFinite(V1) || !isFinite(I1)) {
          setF64(out, 0, <f64>count);
          return fail(STATUS_NONFINITE, g, step, (step + 1) * h, isFinite(V1) ? I1 : V1);
        }
        setF64(pV, g, V1);
        setF64(pI, g, I1);
      }
      if (jt != 0) {
        for (let q = 0; q < nsp; q++) {
          const j = <i32>f64At(scratch, q * 3);
          const theta = f64At(scratch, q * 3 + 1);
          const rem = (1.0 - theta) * h;
          const fac = rule == 0 ? 1.0 : Math.exp(-rem / tau);
          // V feels the jump from t* on: K(rem) exactly, or rem to first order under EM.
          const kv = rule == 0 ? 0.0 : exact ? kernelK(rem, gL, tau) : rem;
          const col = jt + (<usize>(j * n) << 3);
          for (let i = 0; i < n; i++) {
            const w = f64At(col, i);
            if (w != 0) {
              setF64(pI, base + i, f64At(pI, base + i) + w * fac);
              if (kv != 0) {
                // A kick cannot carry V over V_th here: the crossing is then detected (and timed,
                // with a positive advective speed) in the next step instead.
                let v = f64At(pV, base + i) + w * kv;
                if (v >= vTh) v = vTh - 1e-12;
                setF64(pV, base + i, v);
              }
            }
          }
        }
      }
      if (rep == 0 && K > 0) {
        // Tangent of the exact flow along this path: linear propagator between events, then the
        // saltation matrix of each reset (s(A) on the firing neuron, J/A and -J/(tau A) cross terms).
        for (let k = 0; k < K; k++) {
          const tv = tan + (<usize>(k * 2 * n) << 3);
          const ti = tv + (<usize>n << 3);
          for (let i = 0; i < n; i++) {
            const dI = f64At(ti, i);
            setF64(tv, i, e11 * f64At(tv, i) + e12 * dI);
            setF64(ti, i, e22 * dI);
          }
          for (let q = 0; q < nsp; q++) {
            const j = <i32>f64At(scratch, q * 3);
            const A = f64At(scratch, q * 3 + 2);
            const d = f64At(tv, j);
            setF64(tv, j, d * (1.0 + gDelta / A));
            if (jt != 0) {
              const col = jt + (<usize>(j * n) << 3);
              const dA = d / A;
              for (let i = 0; i < n; i++) {
                const w = f64At(col, i);
                if (w != 0) {
                  setF64(tv, i, f64At(tv, i) + w * dA);
                  setF64(ti, i, f64At(ti, i) - (w * dA) / tau);
                }
              }
            }
          }
        }
      }
    }
  }
  setF64(out, 0, <f64>count);
  return 0;
}

/** exp(x) with the kernel's own implementation (bit-identical in every engine, unlike Math.exp in JS). */
export function numExp(x: f64): f64 {
  return Math.exp(x);
}

/** ln(x), kernel implementation (see numExp). */
export function numLog(x: f64): f64 {
  return Math.log(x);
}

/** ln(1 + x), kernel implementation (see numExp). */
export function numLog1p(x: f64): f64 {
  return Math.log1p(x);
}

/**
 * Fine normals for the lab, out[s n + i] = normal(key, stream, element i, step t0 + s) for i < n,
 * bit-identical to the shared `fillNormalSteps(k0, k1, stream, t0, steps, 0, n, out)` (same
 * counter contract, same ziggurat fast path and slow-path fallback). Four Philox blocks (eight
 * neurons) are computed at once by {@link philoxX4}: lane b holds the block of pair p0 + b, counter
 * (p0 + b, t, 0, stream).
 */
export function numFillNormalSteps(k0: u32, k1: u32, stream: u32, t0: u32, steps: u32, n: u32, out: usize): void {
  const lanes = i32x4(0, 1, 2, 3);
  for (let s: u32 = 0; s < steps; s++) {
    const t = t0 + s;
    const o = out + (<usize>(s * n) << 3);
    let j: u32 = 0;
    for (; j + 8 <= n; j += 8) {
      philoxX4Call(i32x4.add(i32x4.splat(<i32>(j >>> 1)), lanes), i32x4.splat(<i32>t), i32x4.splat(0), i32x4.splat(<i32>stream), k0, k1, PX4);
      const c0 = v128.load(PX4);
      const c1 = v128.load(PX4, 16);
      const c2 = v128.load(PX4, 32);
      const c3 = v128.load(PX4, 48);
      const q = o + (<usize>j << 3);
      store<f64>(q, normalFromWords(k0, k1, stream, j, t, <u32>i32x4.extract_lane(c0, 0), <u32>i32x4.extract_lane(c1, 0)));
      store<f64>(q, normalFromWords(k0, k1, stream, j + 1, t, <u32>i32x4.extract_lane(c2, 0), <u32>i32x4.extract_lane(c3, 0)), 8);
      store<f64>(q, normalFromWords(k0, k1, stream, j + 2, t, <u32>i32x4.extract_lane(c0, 1), <u32>i32x4.extract_lane(c1, 1)), 16);
      store<f64>(q, normalFromWords(k0, k1, stream, j + 3, t, <u32>i32x4.extract_lane(c2, 1), <u32>i32x4.extract_lane(c3, 1)), 24);
      store<f64>(q, normalFromWords(k0, k1, stream, j + 4, t, <u32>i32x4.extract_lane(c0, 2), <u32>i32x4.extract_lane(c1, 2)), 32);
      store<f64>(q, normalFromWords(k0, k1, stream, j + 5, t, <u32>i32x4.extract_lane(c2, 2), <u32>i32x4.extract_lane(c3, 2)), 40);
      store<f64>(q, normalFromWords(k0, k1, stream, j + 6, t, <u32>i32x4.extract_lane(c0, 3), <u32>i32x4.extract_lane(c1, 3)), 48);
      store<f64>(q, normalFromWords(k0, k1, stream, j + 7, t, <u32>i32x4.extract_lane(c2, 3), <u32>i32x4.extract_lane(c3, 3)), 56);
    }
    for (; j < n; j++) store<f64>(o + (<usize>j << 3), normalAt(k0, k1, stream, j, t));
  }
}
