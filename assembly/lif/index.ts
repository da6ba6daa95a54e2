// LIF network kernel (seed 000: current-based LIF, exponential synapses, noise in the synaptic
// current, instantaneous reset). The facade (src/lif/network.ts) owns every region and writes
// three tables the kernel reads: a header, a population table and a projection table (all f64
// fields, integers stored exactly), plus one coefficient block per population (stride 0) or per
// neuron. Layout constants are mirrored in src/lif/layout.ts: change both together.
//
// Order of operations inside step n (t_n -> t_{n+1}); see docs/lif.md:
//  1. per population: shared normals of the step (optional common noise);
//  2. per neuron: noise increment from the fine-grid normals; subthreshold propagation
//     (Euler-Maruyama or the exact 2-D OU propagator); arrivals inside (t_n, t_{n+1}] (delayed
//     spikes from the ring, Poisson events) added with their exact exponential factors;
//     refractory clamp; threshold (catch-up if V^n >= V_th, else crossing of [V^n, V^{n+1}]),
//     spike time by rule, crossing speed A, reset; finiteness check; record;
//  3. propagate the step's spikes: arrivals at or before t_{n+1} are added to (V, I) at t_{n+1}
//     directly (exactly propagated), later ones go to the ring slot of their step.
import { fail, STATUS_NONFINITE } from '../kernel';
import { PHILOX_OUT, philoxInto } from '../rng/philox';
import { normalFromWords, normalAt, uniformAt } from '../rng/normal';

export const LIF_KERNEL: i32 = 2;

// Header fields (f64 index).
const H_N = 0;
const H_NPOP = 1;
const H_NPROJ = 2;
const H_POP = 3;
const H_PROJ = 4;
const H_V = 5;
const H_I = 6;
const H_I2 = 7;
const H_REF = 8;
const H_RING = 9;
const H_R = 10;
const H_REC_N = 11;
const H_REC_S = 12;
const H_REC_O = 13;
const H_REC_A = 14;
const H_REC_CAP = 15;
const H_REC_COUNT = 16;
const H_STEP = 17;
const H_K0 = 18;
const H_K1 = 19;
const H_H = 20;
const H_F = 21;
const H_INTEG = 22;
const H_RULE = 23;
const H_DONE = 24;

// Population table (f64 index within an entry of P_SIZE fields).
const P_SIZE = 16;
const P_START = 0;
const P_COUNT = 1;
const P_COEF = 2;
const P_STRIDE = 3;
const P_NOISE = 4;
const P_SIND = 5;
const P_SSH = 6;
const P_SHPTR = 7;
const P_INDEX = 8;
const P_PLAMBDA = 9;
const P_PEXP = 10;
const P_PW = 11;
const P_PCH = 12;

// Coefficient block (f64 index).
const C_A = 0;
const C_VL = 1;
const C_VTH = 2;
const C_VR = 3;
const C_MU = 4;
const C_B = 5;
const C_B2 = 6;
const C_TREF = 7;
const C_EA = 8;
const C_EB = 9;
const C_EB2 = 10;
const C_P21 = 11;
const C_P21B = 12;
const C_VINF = 13;
const C_CI = 14;
const C_CVI = 15;
const C_CVV = 16;
const C_SEM = 17;
const C_EAF = 18;
const C_EBF = 19;
const C_P21F = 20;
const C_ITH = 21;

// Projection table.
const J_SIZE = 12;
const J_PRE = 0;
const J_NPRE = 1;
const J_POST = 2;
const J_POP = 3;
const J_ROW = 4;
const J_COL = 5;
const J_W = 6;
const J_WS = 7;
const J_CH = 8;
const J_DINT = 9;
const J_DFRAC = 10;

// RNG streams (documented in src/lif/layout.ts): noise z1 = Streams.noise, exact integrator's
// second normal, shared noise, Poisson input = Streams.input.
const S_NOISE: u32 = 0;
const S_NOISE2: u32 = 0x6c696601;
const S_SHARED: u32 = 0x6c696602;
const S_SHARED2: u32 = 0x6c696603;
const S_INPUT: u32 = 1;

// @ts-ignore: decorator
@inline
function hf(p: usize, k: i32): f64 {
  return load<f64>(p + (<usize>k << 3));
}

// @ts-ignore: decorator
@inline
function hs(p: usize, k: i32, v: f64): void {
  store<f64>(p + (<usize>k << 3), v);
}

// @ts-ignore: decorator
@inline
function hp(p: usize, k: i32): usize {
  return <usize>load<f64>(p + (<usize>k << 3));
}

/** Response of V at time t to a unit jump of a current decaying at rate b: (e^{-bt}-e^{-at})/(a-b). */
// @ts-ignore: decorator
@inline
function gResp(a: f64, b: f64, t: f64): f64 {
  const z = (b - a) * t;
  const phi = z == 0 ? 1.0 : Math.expm1(z) / z;
  return Math.exp(-b * t) * t * phi;
}

/**
 * Exact contribution, at the end of the current step, of a jump J of channel ch arriving r steps
 * before that end (0 <= r): adds to the three accumulators ACC[0..2] = (dV, dI, dI2).
 */
const ACC: usize = memory.data(32, 16);

function arrival(coef: usize, h: f64, ch: i32, J: f64, r: f64): void {
  if (r == 0) {
    store<f64>(ACC + 8 + (<usize>ch << 3), load<f64>(ACC + 8 + (<usize>ch << 3)) + J);
    return;
  }
  const a = hf(coef, C_A);
  const b = ch == 0 ? hf(coef, C_B) : hf(coef, C_B2);
  const t = r * h;
  store<f64>(ACC, load<f64>(ACC) + J * gResp(a, b, t));
  store<f64>(ACC + 8 + (<usize>ch << 3), load<f64>(ACC + 8 + (<usize>ch << 3)) + J * Math.exp(-b * t));
}

/** Poisson events of neuron i in coarse step n: exact arrivals into ACC. */
function poissonEvents(
  k0: u32,
  k1: u32,
  i: u32,
  n: f64,
  F: i32,
  h: f64,
  coef: usize,
  lambda: f64,
  pexp: f64,
  J: f64,
  ch: i32,
): void {
  for (let j = 0; j < F; j++) {
    const t = <u32>(n * <f64>F + <f64>j);
    const u = uniformAt(k0, k1, S_INPUT, i, t, 0);
    if (u < pexp) continue;
    let cnt: u32 = 0;
    let p = pexp;
    let cum = pexp;
    while (u >= cum && cnt < 64) {
      cnt++;
      p *= lambda / <f64>cnt;
      cum += p;
    }
    for (let e: u32 = 1; e <= cnt; e++) {
      const pos = uniformAt(k0, k1, S_INPUT, i, t, e);
      // Arrival at (j + pos)/F of the coarse step: r = the rest of the step.
      const r = 1.0 - (<f64>j + pos) / <f64>F;
      arrival(coef, h, ch, J, r);
    }
  }
}

/**
 * Cubic Hermite crossing on [0, 1]: p(0) = v0, p(1) = v1, p'(0) = d0, p'(1) = d1 (per unit
 * step). Returns theta with p(theta) = vth (safeguarded Newton from the linear estimate); the
 * slope p'(theta) is left in HERM_SLOPE.
 */
const HERM: usize = memory.data(16, 16);

function hermiteRoot(v0: f64, v1: f64, d0: f64, d1: f64, vth: f64, theta0: f64): f64 {
  // p(t) = v0 + d0 t + c2 t^2 + c3 t^3
  const dv = v1 - v0;
  const c2 = 3.0 * dv - 2.0 * d0 - d1;
  const c3 = -2.0 * dv + d0 + d1;
  let lo = 0.0;
  let hi = 1.0;
  let t = theta0;
  for (let it = 0; it < 40; it++) {
    const p = v0 + t * (d0 + t * (c2 + t * c3)) - vth;
    if (p < 0) lo = t;
    else hi = t;
    const dp = d0 + t * (2.0 * c2 + 3.0 * c3 * t);
    let tn = dp > 0 ? t - p / dp : 0.5 * (lo + hi);
    if (!(tn > lo && tn < hi)) tn = 0.5 * (lo + hi);
    if (Math.abs(tn - t) < 1e-15) {
      t = tn;
      break;
    }
    t = tn;
  }
  store<f64>(HERM, d0 + t * (2.0 * c2 + 3.0 * c3 * t));
  return t;
}

/**
 * Advances the network described by the header at `hdr` by up to `nSteps` steps. Stops early
 * (before a step) when the spike record buffer could overflow; the steps done are written to
 * the header (H_DONE) and the facade drains the records and calls again. Returns a status code.
 */
export function lifRun(hdr: usize, nSteps: i32): i32 {
  const N = <i32>hf(hdr, H_N);
  const nPop = <i32>hf(hdr, H_NPOP);
  const nProj = <i32>hf(hdr, H_NPROJ);
  const popT = hp(hdr, H_POP);
  const projT = hp(hdr, H_PROJ);
  const Vp = hp(hdr, H_V);
  const Ip = hp(hdr, H_I);
  const I2p = hp(hdr, H_I2);
  const Rp = hp(hdr, H_REF);
  const ring = hp(hdr, H_RING);
  const R = <i32>hf(hdr, H_R);
  const recN = hp(hdr, H_REC_N);
  const recS = hp(hdr, H_REC_S);
  const recO = hp(hdr, H_REC_O);
  const recA = hp(hdr, H_REC_A);
  const cap = <i32>hf(hdr, H_REC_CAP);
  let count = <i32>hf(hdr, H_REC_COUNT);
  let n = hf(hdr, H_STEP);
  const k0 = <u32>hf(hdr, H_K0);
  const k1 = <u32>hf(hdr, H_K1);
  const h = hf(hdr, H_H);
  const F = <i32>hf(hdr, H_F);
  const exact = hf(hdr, H_INTEG) != 0;
  const rule = <i32>hf(hdr, H_RULE);
  const sqF = Math.sqrt(<f64>F);
  let done = 0;

  for (; done < nSteps; done++) {
    if (count + N > cap) break;
    const first = count;
    const nu = <u32>n;
    for (let p = 0; p < nPop; p++) {
      const pe = popT + (<usize>(p * P_SIZE) << 3);
      const start = <i32>hf(pe, P_START);
      const cnt = <i32>hf(pe, P_COUNT);
      const coef0 = hp(pe, P_COEF);
      const stride = hp(pe, P_STRIDE);
      const noisy = hf(pe, P_NOISE) != 0;
      const sInd = hf(pe, P_SIND);
      const sSh = hf(pe, P_SSH);
      const shp = hp(pe, P_SHPTR);
      const lambda = hf(pe, P_PLAMBDA);
      const pexp = hf(pe, P_PEXP);
      const pw = hf(pe, P_PW);
      const pch = <i32>hf(pe, P_PCH);
      const shared = sSh != 0;
      if (noisy && shared) {
        const pidx = <u32>hf(pe, P_INDEX);
        for (let j = 0; j < F; j++) {
          const t = <u32>(n * <f64>F + <f64>j);
          store<f64>(shp + (<usize>j << 3), sSh * normalAt(k0, k1, S_SHARED, pidx, t));
          if (exact) store<f64>(shp + (<usize>(F + j) << 3), sSh * normalAt(k0, k1, S_SHARED2, pidx, t));
        }
      }
      let w0: u32 = 0;
      let w1: u32 = 0;
      let w2: u32 = 0;
      let w3: u32 = 0;
      let x0: u32 = 0;
      let x1: u32 = 0;
      let x2: u32 = 0;
      let x3: u32 = 0;
      for (let q = 0; q < cnt; q++) {
        const i = start + q;
        const iu = <u32>i;
        const coef = coef0 + <usize>q * stride;
        const off = <usize>i << 3;
        const v = load<f64>(Vp + off);
        const c = load<f64>(Ip + off);
        const c2 = load<f64>(I2p + off);
        const a = hf(coef, C_A);
        const VL = hf(coef, C_VL);
        const mu = hf(coef, C_MU);
        // a. noise: z1 (and z2 for the exact integrator) for each fine step.
        let xI = 0.0;
        let xV = 0.0;
        if (noisy) {
          if (F == 1 && !shared) {
            if (q == 0 || (iu & 1) == 0) {
              philoxInto(iu >>> 1, nu, 0, S_NOISE, k0, k1);
              w0 = load<u32>(PHILOX_OUT);
              w1 = load<u32>(PHILOX_OUT, 4);
              w2 = load<u32>(PHILOX_OUT, 8);
              w3 = load<u32>(PHILOX_OUT, 12);
              if (exact) {
                philoxInto(iu >>> 1, nu, 0, S_NOISE2, k0, k1);
                x0 = load<u32>(PHILOX_OUT);
                x1 = load<u32>(PHILOX_OUT, 4);
                x2 = load<u32>(PHILOX_OUT, 8);
                x3 = load<u32>(PHILOX_OUT, 12);
              }
            }
            const odd = (iu & 1) != 0;
            const z1 = normalFromWords(k0, k1, S_NOISE, iu, nu, odd ? w2 : w0, odd ? w3 : w1);
            if (exact) {
              const z2 = normalFromWords(k0, k1, S_NOISE2, iu, nu, odd ? x2 : x0, odd ? x3 : x1);
              xI = hf(coef, C_CI) * z1;
              xV = hf(coef, C_CVI) * z1 + hf(coef, C_CVV) * z2;
            } else xI = hf(coef, C_SEM) * z1;
          } else if (!exact) {
            let sum = 0.0;
            for (let j = 0; j < F; j++) {
              const t = <u32>(n * <f64>F + <f64>j);
              let z = sInd * normalAt(k0, k1, S_NOISE, iu, t);
              if (shared) z += load<f64>(shp + (<usize>j << 3));
              sum += z;
            }
            // Brownian increment of the coarse step = sum of the fine increments (hook 1).
            xI = hf(coef, C_SEM) * sum;
          } else {
            // Exact: compose the fine-step exact increments through the fine propagator, so the
            // coarse increment is the exact one AND pathwise equal to the fine run's.
            const cI = hf(coef, C_CI);
            const cVI = hf(coef, C_CVI);
            const cVV = hf(coef, C_CVV);
            const eAf = hf(coef, C_EAF);
            const eBf = hf(coef, C_EBF);
            const p21f = hf(coef, C_P21F);
            for (let j = 0; j < F; j++) {
              const t = <u32>(n * <f64>F + <f64>j);
              let z1 = sInd * normalAt(k0, k1, S_NOISE, iu, t);
              let z2 = sInd * normalAt(k0, k1, S_NOISE2, iu, t);
              if (shared) {
                z1 += load<f64>(shp + (<usize>j << 3));
                z2 += load<f64>(shp + (<usize>(F + j) << 3));
              }
              xV = eAf * xV + p21f * xI + cVI * z1 + cVV * z2;
              xI = eBf * xI + cI * z1;
            }
          }
        }
        // b. subthreshold propagation over the whole step.
        let vN: f64;
        let cN: f64;
        let c2N: f64;
        if (exact) {
          const vinf = hf(coef, C_VINF);
          vN = vinf + (v - vinf) * hf(coef, C_EA) + (c - mu) * hf(coef, C_P21) + c2 * hf(coef, C_P21B) + xV;
          cN = mu + (c - mu) * hf(coef, C_EB) + xI;
          c2N = c2 * hf(coef, C_EB2);
        } else {
          vN = v + h * (-a * (v - VL) + c + c2);
          cN = c - h * hf(coef, C_B) * (c - mu) + xI;
          c2N = c2 - h * hf(coef, C_B2) * c2;
        }
        // c. arrivals inside the step.
        store<f64>(ACC, 0);
        store<f64>(ACC, 0, 8);
        store<f64>(ACC, 0, 16);
        if (R > 0) {
          const slot = ring + ((<usize>(<i32>(n % <f64>R)) * <usize>N + <usize>i) * 24);
          store<f64>(ACC, load<f64>(slot));
          store<f64>(ACC, load<f64>(slot, 8), 8);
          store<f64>(ACC, load<f64>(slot, 16), 16);
          store<f64>(slot, 0);
          store<f64>(slot, 0, 8);
          store<f64>(slot, 0, 16);
        }
        if (lambda > 0) poissonEvents(k0, k1, iu, n, F, h, coef, lambda, pexp, pw, pch);
        const accV = load<f64>(ACC);
        vN += accV;
        cN += load<f64>(ACC, 8);
        c2N += load<f64>(ACC, 16);
        // d. refractoriness (V held at V_r until refUntil, in step units).
        const Vth = hf(coef, C_VTH);
        const Vr = hf(coef, C_VR);
        const ru = load<f64>(Rp + off);
        let v0 = v;
        let canSpike = true;
        if (ru > n) {
          if (ru >= n + 1) {
            vN = Vr;
            canSpike = false;
          } else {
            // Refractory ends inside the step, at fraction rho: restart from V_r there.
            const rho = ru - n;
            const rest = (1.0 - rho) * h;
            if (exact) {
              const vinf = hf(coef, C_VINF);
              vN = vinf + (Vr - vinf) * Math.exp(-a * rest) + (c - mu) * Math.exp(-hf(coef, C_B) * rho * h) * gResp(a, hf(coef, C_B), rest);
              vN += c2 * Math.exp(-hf(coef, C_B2) * rho * h) * gResp(a, hf(coef, C_B2), rest) + accV;
            } else vN = Vr + rest * (-a * (Vr - VL) + c + c2) + accV;
            v0 = Vr;
          }
        }
        // e. threshold.
        if (canSpike && (v0 >= Vth || vN >= Vth)) {
          let theta = 0.0;
          let sstep = n;
          let A = 0.0;
          if (v0 >= Vth) {
            // Catch-up: pushed over threshold by a zero-delay arrival at t_n: spike at t_n.
            theta = 0.0;
            A = -a * (v0 - VL) + c + c2;
            if (exact) vN -= (v0 - Vr) * hf(coef, C_EA);
            else vN = Vr + h * (-a * (Vr - VL) + c + c2) + accV;
          } else if (rule == 0) {
            // grid: spike at t_{n+1}, V^{n+1} = V_r.
            sstep = n + 1;
            A = -a * (Vth - VL) + cN + c2N;
            vN = Vr;
          } else {
            theta = (Vth - v0) / (vN - v0);
            if (rule == 2) {
              const d0 = h * (-a * (v0 - VL) + c + c2);
              const d1 = h * (-a * (vN - VL) + cN + c2N);
              theta = hermiteRoot(v0, vN, d0, d1, Vth, theta);
              A = load<f64>(HERM) / h;
            } else A = -a * (Vth - VL) + c + c2 + theta * (cN + c2N - c - c2);
            if (theta >= 1.0) theta = 0.9999999999999999;
            if (exact) vN -= (Vth - Vr) * Math.exp(-a * (1.0 - theta) * h);
            else {
              const ct = c + theta * (cN - c);
              const c2t = c2 + theta * (c2N - c2);
              vN = Vr + (1.0 - theta) * h * (-a * (Vr - VL) + ct + c2t) + accV;
            }
          }
          const tref = hf(coef, C_TREF);
          if (tref > 0) {
            const until = sstep + theta + tref;
            store<f64>(Rp + off, until);
            if (until >= n + 1) vN = Vr;
          }
          store<i32>(recN + (<usize>count << 2), i);
          store<u32>(recS + (<usize>count << 2), <u32>sstep);
          store<f64>(recO + (<usize>count << 3), theta);
          store<f64>(recA + (<usize>count << 3), A);
          count++;
        }
        // f. finiteness.
        if (!isFinite(vN) || !isFinite(cN) || !isFinite(c2N)) {
          hs(hdr, H_REC_COUNT, <f64>count);
          hs(hdr, H_STEP, n);
          hs(hdr, H_DONE, <f64>done);
          return fail(STATUS_NONFINITE, i, n, n * h, isFinite(vN) ? (isFinite(cN) ? c2N : cN) : vN);
        }
        store<f64>(Vp + off, vN);
        store<f64>(Ip + off, cN);
        store<f64>(I2p + off, c2N);
      }
    }
    // 3. propagation of this step's spikes.
    if (nProj > 0) {
      for (let s = first; s < count; s++) {
        const j = load<i32>(recN + (<usize>s << 2));
        const sst = <f64>load<u32>(recS + (<usize>s << 2));
        const so = load<f64>(recO + (<usize>s << 3));
        for (let pj = 0; pj < nProj; pj++) {
          const je = projT + (<usize>(pj * J_SIZE) << 3);
          const pre = <i32>hf(je, J_PRE);
          if (j < pre || j >= pre + <i32>hf(je, J_NPRE)) continue;
          deliver(je, j - pre, sst, so, n, h, N, R, popT, Vp, Ip, I2p, Rp, ring);
        }
      }
    }
    n += 1;
  }
  hs(hdr, H_REC_COUNT, <f64>count);
  hs(hdr, H_STEP, n);
  hs(hdr, H_DONE, <f64>done);
  return 0;
}

/** Delivers one presynaptic spike (row `row` of projection `je`) emitted during step n. */
function deliver(
  je: usize,
  row: i32,
  sstep: f64,
  soff: f64,
  n: f64,
  h: f64,
  N: i32,
  R: i32,
  popT: usize,
  Vp: usize,
  Ip: usize,
  I2p: usize,
  Rp: usize,
  ring: usize,
): void {
  const post = <i32>hf(je, J_POST);
  const tp = <i32>hf(je, J_POP);
  const pe = popT + (<usize>(tp * P_SIZE) << 3);
  const coef0 = hp(pe, P_COEF);
  const stride = hp(pe, P_STRIDE);
  const rowp = hp(je, J_ROW);
  const colp = hp(je, J_COL);
  const wp = hp(je, J_W);
  const ws = hf(je, J_WS);
  const ch = <i32>hf(je, J_CH);
  // Arrival time a = kInt + fr (steps), fr in [0, 1).
  let kInt = sstep + hf(je, J_DINT);
  let fr = soff + hf(je, J_DFRAC);
  if (fr >= 1.0) {
    kInt += 1;
    fr -= 1.0;
  }
  const direct = kInt + fr <= n + 1;
  // Direct: contribution at t_{n+1}, r = (n+1) - a steps after the arrival. Ring: slot of the
  // step e containing the arrival (e = kInt when fr > 0, else kInt - 1), r = e + 1 - a.
  let r: f64;
  let slotBase: usize = 0;
  if (direct) r = n + 1 - kInt - fr;
  else {
    const e = fr > 0 ? kInt : kInt - 1;
    r = fr > 0 ? 1.0 - fr : 0.0;
    slotBase = ring + <usize>(<i32>(e % <f64>R)) * <usize>N * 24;
  }
  const a0 = kInt + fr;
  const r0 = <i32>load<i32>(rowp + (<usize>row << 2));
  const r1 = <i32>load<i32>(rowp + (<usize>(row + 1) << 2));
  // Homogeneous target population: the exponential factors are the same for every synapse.
  let fV = 0.0;
  let fI = 1.0;
  const homo = stride == 0;
  if (homo && r > 0) {
    const a = hf(coef0, C_A);
    const b = ch == 0 ? hf(coef0, C_B) : hf(coef0, C_B2);
    fV = gResp(a, b, r * h);
    fI = Math.exp(-b * r * h);
  }
  const chOff: usize = ch == 0 ? 8 : 16;
  for (let s = r0; s < r1; s++) {
    const tgt = load<i32>(colp + (<usize>s << 2)) + post;
    const J = wp != 0 ? load<f64>(wp + (<usize>s << 3)) : ws;
    let dV = J * fV;
    let dI = J * fI;
    if (!homo && r > 0) {
      const coef = coef0 + <usize>(tgt - post) * stride;
      const a = hf(coef, C_A);
      const b = ch == 0 ? hf(coef, C_B) : hf(coef, C_B2);
      dV = J * gResp(a, b, r * h);
      dI = J * Math.exp(-b * r * h);
    }
    const off = <usize>tgt << 3;
    if (direct) {
      // Refractory target: V is held, only the current jumps.
      if (dV != 0 && load<f64>(Rp + off) <= a0) store<f64>(Vp + off, load<f64>(Vp + off) + dV);
      if (ch == 0) store<f64>(Ip + off, load<f64>(Ip + off) + dI);
      else store<f64>(I2p + off, load<f64>(I2p + off) + dI);
    } else {
      const sp = slotBase + <usize>tgt * 24;
      store<f64>(sp, load<f64>(sp) + dV);
      store<f64>(sp + chOff, load<f64>(sp + chOff) + dI);
    }
  }
}
