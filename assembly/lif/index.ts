// LIF network kernel (seed 000: current-based LIF, exponential synapses, noise in the synaptic
// current, instantaneous reset). The facade (src/lif/network.ts) owns every region and writes
// three tables the kernel reads: a header, a population table and a projection table (all f64
// fields, integers stored exactly), plus one coefficient block per population (stride 0) or per
// neuron, and for heterogeneous populations the SIMD path's pair blocks (P_SOA, see Q_* below). Layout constants are mirrored in src/lif/layout.ts: change both together.
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
import { PHILOX_OUT, philoxInto, philoxX4 } from '../rng/philox';
import { normalFromWords, normalAt, uniformAt } from '../rng/normal';
import { ZIG_K, ZIG_W } from '../rng/zigtables';

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
const H_FAST = 25;
const H_CATCH = 26;
const H_RLIST = 27;
const H_RLN = 28;

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
const P_SOA = 13;
const P_NR = 14;
const P_QS = 15;

// Pair-blocked parameters of a heterogeneous population on the SIMD path (written once by the
// facade at build; mirrored in src/lif/layout.ts as Q). For each neuron pair (2k, 2k+1), counted
// from the even index at or below the population's start, one block of f64x2 fields (lane 0 =
// even neuron) at these constant byte offsets: one base pointer per pair and immediate load
// offsets, so V8 keeps no per-field pointers live (research/perf-ceiling.md sections 4-5).
const Q_MU = 0;
const Q_VTH = 16;
const Q_VR = 32;
// euler-maruyama: -a, V_L, h b, h b2, sigma sqrt(2b) sqrt(h)
const QE_NA = 48;
const QE_VL = 64;
const QE_HB = 80;
const QE_HB2 = 96;
const QE_SEM = 112;
const QE_SIZE: usize = 128;
// exact: V_inf, e^{-ah}, P21, P21b, e^{-bh}, e^{-b2 h}, Cholesky factors cI, cVI, cVV of the
// fine step, and (only when fineSteps > 1: block of QX_SIZE_F bytes) the fine propagator
// e^{-a h/F}, e^{-b h/F}, P21(h/F) that composes the fine increments.
const QX_VINF = 48;
const QX_EA = 64;
const QX_P21 = 80;
const QX_P21B = 96;
const QX_EB = 112;
const QX_EB2 = 128;
const QX_CI = 144;
const QX_CVI = 160;
const QX_CVV = 176;
const QX_EAF = 192;
const QX_EBF = 208;
const QX_P21F = 224;

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

// ---- Analysis block: noise window and tangent pass (numerics; mirrored in src/lif/layout.ts,
// block "analysis" of H and W). Kept apart from the engine's own layout so both can evolve.
// Header fields appended after H_RLN.
const H_ZWIN = 29; // address of a noise-window descriptor (W_* below), or 0: draw every normal here
const H_TAN = 30; // tangent vectors: K blocks of C·N f64 [dV (N), dI (N), dI2 (N, when C = 3)], or 0
const H_TANK = 31; // K, the number of tangent vectors
const H_TANS = 32; // scratch of the tangent pass: K·N f64
const H_TANSEC = 33; // secant slope (V^{n+1} - V^n)/h of each spike record (REC_CAP f64), tangent pass only
const H_TANLOG = 34; // per neuron, sum of ln s(A) over its resets seen by the tangent pass (N f64)
const H_TANC = 35; // components per neuron of a tangent vector: 3 (dV, dI, dI2), or 2 when no projection targets I2
// Noise-window descriptor (f64 fields, written by src/lif/coupling.ts): the normals of the fine
// steps [T0, T0 + LEN) of streams noise (Z1) and noise2 (Z2, or 0), N per fine step, under key
// (K0, K1). A step reads them when its fine steps lie inside the window and the key and N match;
// otherwise it draws its own (the same numbers: the window is a cache, never a different path).
const W_K0 = 0;
const W_K1 = 1;
const W_N = 2;
const W_T0 = 3;
const W_LEN = 4;
const W_Z1 = 5;
const W_Z2 = 6;
// ---- end of the analysis block.

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

let cPu: i64 = -1;
let cTu: u32 = 0;
let cU0: u32 = 0;
let cU1: u32 = 0;
let cU2: u32 = 0;
let cU3: u32 = 0;

/** Sub-draw 0 uniform of the input stream for (i, t); one block feeds the neuron pair (cached). */
function uInput(k0: u32, k1: u32, i: u32, t: u32): f64 {
  if (<i64>(i >>> 1) != cPu || t != cTu) {
    philoxInto(i >>> 1, t, 0, S_INPUT, k0, k1);
    cU0 = load<u32>(PHILOX_OUT);
    cU1 = load<u32>(PHILOX_OUT, 4);
    cU2 = load<u32>(PHILOX_OUT, 8);
    cU3 = load<u32>(PHILOX_OUT, 12);
    cPu = <i64>(i >>> 1);
    cTu = t;
  }
  const lo = i & 1 ? cU2 : cU0;
  const hi = i & 1 ? cU3 : cU1;
  return (<f64>hi * 2097152.0 + <f64>(lo >>> 11)) * 1.1102230246251565e-16;
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
    const u = uInput(k0, k1, i, t);
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
 * slope p'(theta) is left in HERM.
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

// Run context, set once per lifRun call (module globals keep argument lists short).
let gHdr: usize = 0;
let gN: i32 = 0;
let gVp: usize = 0;
let gIp: usize = 0;
let gI2p: usize = 0;
let gRp: usize = 0;
let gRing: usize = 0;
let gR: i32 = 0;
let gRecN: usize = 0;
let gRecS: usize = 0;
let gRecO: usize = 0;
let gRecA: usize = 0;
let gCount: i32 = 0;
let gStep: f64 = 0;
let gK0: u32 = 0;
let gK1: u32 = 0;
let gH: f64 = 0;
let gF: i32 = 1;
let gExact: bool = false;
let gRule: i32 = 0;
// Set when a neuron may start the next step at or above threshold (zero-delay interpolated
// arrival, or a state written by the facade): that step runs on the general path, which tests it.
let gCatch: bool = false;
// Neurons with refractory-until > current step (i32 list): V of those held for the whole step is
// set to V_r after the population loops, so SIMD loops without partial refractory steps need no
// per-neuron refractory test.
let gRList: usize = 0;
let gRLn: i32 = 0;
// Noise window (analysis block): descriptor, and for the current step the rows of its first fine
// step gZt in the window (streams noise, noise2), or 0 when the step draws its own normals.
let gZWin: usize = 0;
let gZw1: usize = 0;
let gZw2: usize = 0;
let gZt: u32 = 0;
// Tangent pass (analysis block): vectors, count, scratch.
let gTan: usize = 0;
let gTanK: i32 = 0;
let gTanS: usize = 0;
let gTanSec: usize = 0;
let gTanLog: usize = 0;
let gTanC: i32 = 3;


// Direct-mapped block cache (256 entries per stream, keyed by t & 255): with fineSteps F the even
// neuron of a pair fills the F blocks of the step and the odd neuron reuses them (F <= 256).
// Entry layout: [pair i64][t u32][pad][w0 w1 w2 w3] = 32 bytes.
const ZC0: usize = memory.data(256 * 32, 16);
const ZC1: usize = memory.data(256 * 32, 16);

/** Invalidates the block caches (a new key may be in use). */
function zReset(): void {
  for (let k = 0; k < 256; k++) {
    store<i64>(ZC0 + (<usize>k << 5), -1);
    store<i64>(ZC1 + (<usize>k << 5), -1);
  }
}

/** Normal of the counter contract (key, stream, i, t), reusing the block of the neighbour. */
function zAt(second: bool, i: u32, t: u32): f64 {
  if (gZw1 != 0) return load<f64>((second ? gZw2 : gZw1) + ((<usize>(t - gZt) * <usize>gN + <usize>i) << 3));
  const pair = <i64>(i >>> 1);
  const stream = second ? S_NOISE2 : S_NOISE;
  const e = (second ? ZC1 : ZC0) + (<usize>(t & 255) << 5);
  if (load<i64>(e) != pair || load<u32>(e, 8) != t) {
    philoxInto(i >>> 1, t, 0, stream, gK0, gK1);
    store<i64>(e, pair);
    store<u32>(e, t, 8);
    v128.store(e, v128.load(PHILOX_OUT), 16);
  }
  const w = e + 16 + (<usize>(i & 1) << 3);
  return normalFromWords(gK0, gK1, stream, i, t, load<u32>(w), load<u32>(w, 4));
}

/**
 * Steps d-g for neuron i: refractory clamp, threshold (catch-up or crossing), spike time by
 * rule, crossing speed, reset, record, finiteness, store. (v, c, c2) is the state at t_n and
 * (vN, cN, c2N) the propagated state at t_{n+1} including the arrivals (accV of them in V).
 */
function finishNeuron(i: i32, coef: usize, v: f64, c: f64, c2: f64, vN: f64, cN: f64, c2N: f64, accV: f64): i32 {
  const n = gStep;
  const h = gH;
  const off = <usize>i << 3;
  const a = hf(coef, C_A);
  const VL = hf(coef, C_VL);
  const mu = hf(coef, C_MU);
  const Vth = hf(coef, C_VTH);
  const Vr = hf(coef, C_VR);
  const ru = load<f64>(gRp + off);
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
      if (gExact) {
        const vinf = hf(coef, C_VINF);
        const b = hf(coef, C_B);
        const b2 = hf(coef, C_B2);
        vN = vinf + (Vr - vinf) * Math.exp(-a * rest) + (c - mu) * Math.exp(-b * rho * h) * gResp(a, b, rest);
        vN += c2 * Math.exp(-b2 * rho * h) * gResp(a, b2, rest) + accV;
      } else vN = Vr + rest * (-a * (Vr - VL) + c + c2) + accV;
      v0 = Vr;
    }
  }
  if (canSpike && (v0 >= Vth || vN >= Vth)) {
    let theta = 0.0;
    let sstep = n;
    let A = 0.0;
    if (v0 >= Vth) {
      // Catch-up: pushed over threshold by a zero-delay arrival at t_n: spike at t_n.
      A = -a * (v0 - VL) + c + c2;
      if (gExact) vN -= (v0 - Vr) * hf(coef, C_EA);
      else vN = Vr + h * (-a * (Vr - VL) + c + c2) + accV;
    } else if (gRule == 0) {
      // grid: spike at t_{n+1}, V^{n+1} = V_r.
      sstep = n + 1;
      A = -a * (Vth - VL) + cN + c2N;
      vN = Vr;
    } else {
      theta = (Vth - v0) / (vN - v0);
      // Tangent pass (analysis block): the step's secant slope, for records whose A is <= 0.
      if (gTanK > 0) store<f64>(gTanSec + (<usize>gCount << 3), (vN - v0) / h);
      if (gRule == 2) {
        const d0 = h * (-a * (v0 - VL) + c + c2);
        const d1 = h * (-a * (vN - VL) + cN + c2N);
        theta = hermiteRoot(v0, vN, d0, d1, Vth, theta);
        A = load<f64>(HERM) / h;
      } else A = -a * (Vth - VL) + c + c2 + theta * (cN + c2N - c - c2);
      if (theta >= 1.0) theta = 0.9999999999999999;
      // Exact: V is linear in its initial value, so resetting V_th -> V_r at the crossing
      // shifts V^{n+1} by -(V_th - V_r) e^{-g_L (1-theta) h}, noise and arrivals included.
      if (gExact) vN -= (Vth - Vr) * Math.exp(-a * (1.0 - theta) * h);
      else {
        const ct = c + theta * (cN - c);
        const c2t = c2 + theta * (c2N - c2);
        vN = Vr + (1.0 - theta) * h * (-a * (Vr - VL) + ct + c2t) + accV;
      }
    }
    const tref = hf(coef, C_TREF);
    if (tref > 0) {
      const until = sstep + theta + tref;
      store<f64>(gRp + off, until);
      if (until >= n + 1) vN = Vr;
      // A neuron in a partial refractory step (ru in (n, n+1)) is already listed.
      if (!(ru > n)) {
        store<i32>(gRList + (<usize>gRLn << 2), i);
        gRLn++;
      }
    }
    const k = <usize>gCount;
    store<i32>(gRecN + (k << 2), i);
    store<u32>(gRecS + (k << 2), <u32>sstep);
    store<f64>(gRecO + (k << 3), theta);
    store<f64>(gRecA + (k << 3), A);
    gCount++;
  }
  if (!isFinite(vN) || !isFinite(cN) || !isFinite(c2N)) {
    return fail(STATUS_NONFINITE, i, n, n * h, isFinite(vN) ? (isFinite(cN) ? c2N : cN) : vN);
  }
  store<f64>(gVp + off, vN);
  store<f64>(gIp + off, cN);
  store<f64>(gI2p + off, c2N);
  return 0;
}

/** General per-neuron path (any population): a-c, then finishNeuron. */
function generalNeuron(pe: usize, q: i32): i32 {
  const start = <i32>hf(pe, P_START);
  const i = start + q;
  const iu = <u32>i;
  const coef = hp(pe, P_COEF) + <usize>q * hp(pe, P_STRIDE);
  const noisy = hf(pe, P_NOISE) != 0;
  const sInd = hf(pe, P_SIND);
  const shared = hf(pe, P_SSH) != 0;
  const shp = hp(pe, P_SHPTR);
  const lambda = hf(pe, P_PLAMBDA);
  const n = gStep;
  const h = gH;
  const F = gF;
  const off = <usize>i << 3;
  const v = load<f64>(gVp + off);
  const c = load<f64>(gIp + off);
  const c2 = load<f64>(gI2p + off);
  const a = hf(coef, C_A);
  const VL = hf(coef, C_VL);
  const mu = hf(coef, C_MU);
  // a. noise from the fine-grid normals.
  let xI = 0.0;
  let xV = 0.0;
  if (noisy) {
    if (!gExact) {
      let sum = 0.0;
      for (let j = 0; j < F; j++) {
        const t = <u32>(n * <f64>F + <f64>j);
        let z = zAt(false, iu, t);
        if (shared) z = sInd * z + load<f64>(shp + (<usize>j << 3));
        sum += z;
      }
      // Brownian increment of the step = sum of the fine increments (coupling hook).
      xI = hf(coef, C_SEM) * sum;
    } else if (F == 1 && !shared) {
      const z1 = zAt(false, iu, <u32>n);
      const z2 = zAt(true, iu, <u32>n);
      xI = hf(coef, C_CI) * z1;
      xV = hf(coef, C_CVI) * z1 + hf(coef, C_CVV) * z2;
    } else {
      // Exact: compose the fine-step exact increments through the fine propagator, so the
      // increment is exact for the step AND pathwise equal to the fine run's.
      const cI = hf(coef, C_CI);
      const cVI = hf(coef, C_CVI);
      const cVV = hf(coef, C_CVV);
      const eAf = hf(coef, C_EAF);
      const eBf = hf(coef, C_EBF);
      const p21f = hf(coef, C_P21F);
      for (let j = 0; j < F; j++) {
        const t = <u32>(n * <f64>F + <f64>j);
        let z1 = zAt(false, iu, t);
        let z2 = zAt(true, iu, t);
        if (shared) {
          z1 = sInd * z1 + load<f64>(shp + (<usize>j << 3));
          z2 = sInd * z2 + load<f64>(shp + (<usize>(F + j) << 3));
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
  if (gExact) {
    const vinf = hf(coef, C_VINF);
    // The noise terms are added last and only when there is noise (the SIMD path does the same).
    vN = vinf + (v - vinf) * hf(coef, C_EA) + (c - mu) * hf(coef, C_P21) + c2 * hf(coef, C_P21B);
    cN = mu + (c - mu) * hf(coef, C_EB);
    if (noisy) {
      vN += xV;
      cN += xI;
    }
    c2N = c2 * hf(coef, C_EB2);
  } else {
    vN = v + h * (-a * (v - VL) + c + c2);
    cN = c - h * hf(coef, C_B) * (c - mu);
    if (noisy) cN += xI;
    c2N = c2 - h * hf(coef, C_B2) * c2;
  }
  // c. arrivals inside the step.
  let accV = 0.0;
  if (gR > 0 || lambda > 0) {
    store<f64>(ACC, 0);
    store<f64>(ACC, 0, 8);
    store<f64>(ACC, 0, 16);
    if (gR > 0) {
      const slot = gRing + <usize>(<i32>(n % <f64>gR)) * <usize>gN * 24 + off;
      const nb = <usize>gN << 3;
      store<f64>(ACC, load<f64>(slot));
      store<f64>(ACC, load<f64>(slot + nb), 8);
      store<f64>(ACC, load<f64>(slot + 2 * nb), 16);
      store<f64>(slot, 0);
      store<f64>(slot + nb, 0);
      store<f64>(slot + 2 * nb, 0);
    }
    if (lambda > 0) poissonEvents(gK0, gK1, iu, n, F, h, coef, lambda, hf(pe, P_PEXP), hf(pe, P_PW), <i32>hf(pe, P_PCH));
    accV = load<f64>(ACC);
    vN += accV;
    cN += load<f64>(ACC, 8);
    c2N += load<f64>(ACC, 16);
  }
  // Common case (free, below threshold at both ends, finite): store without the call.
  const vth = hf(coef, C_VTH);
  if (!(load<f64>(gRp + off) > n) && v < vth && vN < vth && vN > -Infinity && isFinite(cN) && isFinite(c2N)) {
    store<f64>(gVp + off, vN);
    store<f64>(gIp + off, cN);
    store<f64>(gI2p + off, c2N);
    return 0;
  }
  return finishNeuron(i, coef, v, c, c2, vN, cN, c2N, accV);
}

// Four Philox4x32-10 blocks at once (rng/philox.ts philoxX4): lane b = block of pair p0 + b.
// Words w of the 4 blocks land in PX + 16 w.
const PX: usize = memory.data(64, 16);
const PXB: usize = memory.data(64, 16);

// @ts-ignore: decorator
@inline
function philox4(p0: u32, t: u32, stream: u32, k0: u32, k1: u32, out: usize): void {
  philoxX4(
    i32x4.add(i32x4.splat(<i32>p0), v128(0, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0)),
    i32x4.splat(<i32>t),
    i32x4.splat(0),
    i32x4.splat(<i32>stream),
    k0,
    k1,
    out,
  );
}

const ACC2: usize = memory.data(48, 16);
// Poisson drive of the population being processed by the SIMD loop (set by fastLoop).
let gPLam: f64 = 0;
let gPExp: f64 = 0;
let gPW: f64 = 0;
let gPCh: i32 = 0;

/** Adds the Poisson events of neuron i to lane `lb` (byte offset 0 or 8) of ACC2. */
function poissonLane(i: i32, coef: usize, lb: usize): void {
  store<f64>(ACC, load<f64>(ACC2 + lb));
  store<f64>(ACC, load<f64>(ACC2 + 16 + lb), 8);
  store<f64>(ACC, load<f64>(ACC2 + 32 + lb), 16);
  poissonEvents(gK0, gK1, <u32>i, gStep, gF, gH, coef, gPLam, gPExp, gPW, gPCh);
  store<f64>(ACC2 + lb, load<f64>(ACC));
  store<f64>(ACC2 + 16 + lb, load<f64>(ACC, 8));
  store<f64>(ACC2 + 32 + lb, load<f64>(ACC, 16));
}

/**
 * Arrivals of the pair (i, i+1) into ACC2 (dV, dI, dI2 as f64x2 at 0, 16, 32): the ring slot
 * values (cleared), then the Poisson events of the lanes in `pmask`, in generalNeuron's order.
 * `coef` is neuron i's coefficient block, neuron i+1's is `cstride` bytes further (0: shared).
 */
function gatherArrivals(i: i32, coef: usize, cstride: usize, sp: usize, ring: bool, pmask: i32): void {
  const zero = f64x2.splat(0);
  if (ring) {
    const nb = <usize>gN << 3;
    v128.store(ACC2, v128.load(sp));
    v128.store(ACC2, v128.load(sp + nb), 16);
    v128.store(ACC2, v128.load(sp + 2 * nb), 32);
    v128.store(sp, zero);
    v128.store(sp + nb, zero);
    v128.store(sp + 2 * nb, zero);
  } else {
    v128.store(ACC2, zero);
    v128.store(ACC2, zero, 16);
    v128.store(ACC2, zero, 32);
  }
  if (pmask & 1) poissonLane(i, coef, 0);
  if (pmask & 2) poissonLane(i + 1, coef + cstride, 8);
}

/**
 * Propagation of the pair (i, i+1) with noise (xI, xV), arrivals from the ring, and the
 * attention test; lanes that cross, are refractory or non-finite go through finishNeuron.
 * Expression order equals generalNeuron's, so results are bit-identical. The loop-invariant
 * vectors of a homogeneous population are locals of fastLoop passed in, so V8 does not reload or
 * re-splat them per iteration (research/perf-ceiling.md section 4, item 2); a heterogeneous
 * population (HET) loads them from the pair block `q` instead.
 */
// @ts-ignore: decorator
@inline
function pairStep(
  i: i32,
  coef: usize,
  cstride: usize,
  start: i32,
  EXACT: bool,
  NOISY: bool,
  REF: bool,
  POIS: bool,
  HET: bool,
  q: usize,
  xI: v128,
  xV: v128,
  slot0: usize,
  Vp: usize,
  Ip: usize,
  I2p: usize,
  Rp: usize,
  k1v: v128,
  k2v: v128,
  k3v: v128,
  k4v: v128,
  k5v: v128,
  k6v: v128,
  muv: v128,
  vthv: v128,
  nv: v128,
  nv1: v128,
  vrv: v128,
  pmask: i32,
): i32 {
  const off = <usize>i << 3;
  const v = v128.load(Vp + off);
  const c = v128.load(Ip + off);
  const c2 = v128.load(I2p + off);
  let k1 = k1v;
  let k2 = k2v;
  let k3 = k3v;
  let k4 = k4v;
  let k5 = k5v;
  let k6 = k6v;
  let mu = muv;
  let vth = vthv;
  let vr = vrv;
  if (HET) {
    mu = v128.load(q, Q_MU);
    vth = v128.load(q, Q_VTH);
    if (REF) vr = v128.load(q, Q_VR);
    if (EXACT) {
      k1 = v128.load(q, QX_VINF);
      k2 = v128.load(q, QX_EA);
      k3 = v128.load(q, QX_P21);
      k4 = v128.load(q, QX_P21B);
      k5 = v128.load(q, QX_EB);
      k6 = v128.load(q, QX_EB2);
    } else {
      k2 = v128.load(q, QE_NA);
      k3 = v128.load(q, QE_VL);
      k4 = v128.load(q, QE_HB);
      k5 = v128.load(q, QE_HB2);
    }
  }
  let vN: v128;
  let cN: v128;
  let c2N: v128;
  if (EXACT) {
    // k1 = vinf, k2 = eA, k3 = P21, k4 = P21b, k5 = eB, k6 = eB2
    vN = f64x2.add(f64x2.add(f64x2.add(k1, f64x2.mul(f64x2.sub(v, k1), k2)), f64x2.mul(f64x2.sub(c, mu), k3)), f64x2.mul(c2, k4));
    if (NOISY) vN = f64x2.add(vN, xV);
    cN = f64x2.add(mu, f64x2.mul(f64x2.sub(c, mu), k5));
    if (NOISY) cN = f64x2.add(cN, xI);
    c2N = f64x2.mul(c2, k6);
  } else {
    // k1 = h, k2 = -a, k3 = VL, k4 = h b, k5 = h b2
    vN = f64x2.add(v, f64x2.mul(k1, f64x2.add(f64x2.add(f64x2.mul(k2, f64x2.sub(v, k3)), c), c2)));
    cN = f64x2.sub(c, f64x2.mul(k4, f64x2.sub(c, mu)));
    if (NOISY) cN = f64x2.add(cN, xI);
    c2N = f64x2.sub(c2, f64x2.mul(k5, c2));
  }
  let accV = f64x2.splat(0);
  if (POIS) {
    if (slot0 != 0 || pmask != 0) {
      gatherArrivals(i, HET ? coef + <usize>(i - start) * cstride : coef, HET ? cstride : 0, slot0 + off, slot0 != 0, pmask);
      accV = v128.load(ACC2);
      vN = f64x2.add(vN, accV);
      cN = f64x2.add(cN, v128.load(ACC2, 16));
      c2N = f64x2.add(c2N, v128.load(ACC2, 32));
    }
  } else if (slot0 != 0) {
    const nb = <usize>gN << 3;
    const sp = slot0 + off;
    accV = v128.load(sp);
    vN = f64x2.add(vN, accV);
    cN = f64x2.add(cN, v128.load(sp + nb));
    c2N = f64x2.add(c2N, v128.load(sp + 2 * nb));
    const zero = f64x2.splat(0);
    v128.store(sp, zero);
    v128.store(sp + nb, zero);
    v128.store(sp + 2 * nb, zero);
  }
  // Neurons refractory for the whole step: V held at V_r in-lane (the general path does the
  // same: vN = V_r, no threshold). Only a refractory period ending inside the step needs the
  // scalar code.
  let partial = f64x2.splat(0);
  if (REF) {
    const ru = v128.load(Rp + off);
    const held = f64x2.ge(ru, nv1);
    vN = v128.bitselect(vr, vN, held);
    partial = v128.andnot(f64x2.gt(ru, nv), held);
  }
  // Attention: V^{n+1} >= V_th or NaN (both fail `<`), or a refractory period ending inside the
  // step. Catch-up (V^n >= V_th) is handled by running the step on the general path (gCatch),
  // and V = -inf is caught at the end of the kernel call (lifRun).
  const attn = REF ? v128.or(v128.not(f64x2.lt(vN, vth)), partial) : v128.not(f64x2.lt(vN, vth));
  if (v128.any_true(attn))
    return pairSlow(i, HET ? coef + <usize>(i - start) * cstride : coef, HET ? cstride : 0, v, c, c2, vN, cN, c2N, accV);
  v128.store(Vp + off, vN);
  v128.store(Ip + off, cN);
  v128.store(I2p + off, c2N);
  return 0;
}

/** Both lanes through finishNeuron; lane 1's coefficient block is `cstride` bytes after lane 0's. */
function pairSlow(i: i32, coef: usize, cstride: usize, v: v128, c: v128, c2: v128, vN: v128, cN: v128, c2N: v128, accV: v128): i32 {
  const st = finishNeuron(
    i,
    coef,
    f64x2.extract_lane(v, 0),
    f64x2.extract_lane(c, 0),
    f64x2.extract_lane(c2, 0),
    f64x2.extract_lane(vN, 0),
    f64x2.extract_lane(cN, 0),
    f64x2.extract_lane(c2N, 0),
    f64x2.extract_lane(accV, 0),
  );
  if (st != 0) return st;
  return finishNeuron(
    i + 1,
    coef + cstride,
    f64x2.extract_lane(v, 1),
    f64x2.extract_lane(c, 1),
    f64x2.extract_lane(c2, 1),
    f64x2.extract_lane(vN, 1),
    f64x2.extract_lane(cN, 1),
    f64x2.extract_lane(c2N, 1),
    f64x2.extract_lane(accV, 1),
  );
}

/**
 * Two ziggurat normals at once (f64x2) from the words of neurons j, j+1 (lanes 0, 1 of lo, hi):
 * the fast path of normalFromWords with the same arithmetic (so the same bits); if either lane
 * is rejected (about 3 % of pairs) both go through the scalar code.
 */
// @ts-ignore: decorator
@inline
function zig2(lo: v128, hi: v128, stream: u32, j: u32, t: u32): v128 {
  const rabs = f64x2.add(f64x2.mul(f64x2.convert_low_i32x4_u(hi), f64x2.splat(1048576.0)), f64x2.convert_low_i32x4_u(i32x4.shr_u(lo, 12)));
  const i0 = <usize>(i32x4.extract_lane(lo, 0) & 0xff) << 3;
  const i1 = <usize>(i32x4.extract_lane(lo, 1) & 0xff) << 3;
  const kv = f64x2.replace_lane(f64x2.splat(load<f64>(ZIG_K + i0)), 1, load<f64>(ZIG_K + i1));
  if (v128.all_true<i64>(f64x2.lt(rabs, kv))) {
    const wv = f64x2.replace_lane(f64x2.splat(load<f64>(ZIG_W + i0)), 1, load<f64>(ZIG_W + i1));
    // bit 8 of lo is the sign: move it to bit 63 of each f64 lane.
    const sign = v128.and(i64x2.shl(i64x2.extend_low_i32x4_u(lo), 55), i64x2.splat(<i64>0x8000000000000000));
    return v128.xor(f64x2.mul(rabs, wv), sign);
  }
  return zigSlow2(lo, hi, stream, j, t);
}

function zigSlow2(lo: v128, hi: v128, stream: u32, j: u32, t: u32): v128 {
  const a = normalFromWords(gK0, gK1, stream, j, t, <u32>i32x4.extract_lane(lo, 0), <u32>i32x4.extract_lane(hi, 0));
  const b = normalFromWords(gK0, gK1, stream, j + 1, t, <u32>i32x4.extract_lane(lo, 1), <u32>i32x4.extract_lane(hi, 1));
  return f64x2.replace_lane(f64x2.splat(a), 1, b);
}

/** The four normal pairs of a philox4 output, neurons i..i+7, into Z (4 x v128). */
const ZA: usize = memory.data(64, 16);
const ZB: usize = memory.data(64, 16);

/** Copies the 8 normals (64 bytes) at `src` to `dst` (noise window -> ZA/ZB). */
// @ts-ignore: decorator
@inline
function copy8(src: usize, dst: usize): void {
  v128.store(dst, v128.load(src));
  v128.store(dst, v128.load(src, 16), 16);
  v128.store(dst, v128.load(src, 32), 32);
  v128.store(dst, v128.load(src, 48), 48);
}

// @ts-ignore: decorator
@inline
function zig8(px: usize, out: usize, stream: u32, i: u32, t: u32): void {
  const w0 = v128.load(px);
  const w1 = v128.load(px, 16);
  const w2 = v128.load(px, 32);
  const w3 = v128.load(px, 48);
  const loA = v128.shuffle<i32>(w0, w2, 0, 4, 1, 5);
  const hiA = v128.shuffle<i32>(w1, w3, 0, 4, 1, 5);
  const loB = v128.shuffle<i32>(w0, w2, 2, 6, 3, 7);
  const hiB = v128.shuffle<i32>(w1, w3, 2, 6, 3, 7);
  v128.store(out, zig2(loA, hiA, stream, i, t));
  v128.store(out, zig2(v128.shuffle<i32>(loA, loA, 2, 3, 0, 1), v128.shuffle<i32>(hiA, hiA, 2, 3, 0, 1), stream, i + 2, t), 16);
  v128.store(out, zig2(loB, hiB, stream, i + 4, t), 32);
  v128.store(out, zig2(v128.shuffle<i32>(loB, loB, 2, 3, 0, 1), v128.shuffle<i32>(hiB, hiB, 2, 3, 0, 1), stream, i + 6, t), 48);
}

/** Which lanes of the pair (j, j+1) have Poisson events this step (bit 0, bit 1). */
// @ts-ignore: decorator
@inline
function pmask(pois: bool, j: i32, nu: u32, pexp: f64): i32 {
  if (!pois) return 0;
  return (uInput(gK0, gK1, <u32>j, nu) >= pexp ? 1 : 0) | (uInput(gK0, gK1, <u32>j + 1, nu) >= pexp ? 2 : 0);
}

/**
 * Noise increment of I for a pair from its normals z (stream noise): EM sem·z, exact cI·z1.
 * With shared noise (SH) the general path accumulates from 0 (EM: sum = 0 + z; exact: the fine
 * composition from xI = 0), so the same `0 +` is kept here: it matters only for z = -0, but it
 * keeps the two paths bit-identical.
 */
// @ts-ignore: decorator
@inline
function noiseI(EXACT: bool, HET: bool, SH: bool, q: usize, z: v128, cIv: v128, semv: v128): v128 {
  const zero = f64x2.splat(0);
  if (EXACT) {
    const x = f64x2.mul(HET ? v128.load(q, QX_CI) : cIv, z);
    return SH ? f64x2.add(zero, x) : x;
  }
  return f64x2.mul(HET ? v128.load(q, QE_SEM) : semv, SH ? f64x2.add(zero, z) : z);
}

/** Noise increment of V for a pair (exact only): cVI·z1 + cVV·z2 (see noiseI for SH). */
// @ts-ignore: decorator
@inline
function noiseV(EXACT: bool, HET: bool, SH: bool, q: usize, z: v128, y: v128, cVIv: v128, cVVv: v128): v128 {
  const zero = f64x2.splat(0);
  if (!EXACT) return zero;
  const a = f64x2.mul(HET ? v128.load(q, QX_CVI) : cVIv, z);
  const b = f64x2.mul(HET ? v128.load(q, QX_CVV) : cVVv, y);
  return SH ? f64x2.add(f64x2.add(zero, a), b) : f64x2.add(a, b);
}

/** Shared noise (F = 1): z <- sInd z + s for the 4 normal pairs at zp (in place). */
function shareZ(zp: usize, sInd: v128, s: v128): void {
  v128.store(zp, f64x2.add(f64x2.mul(sInd, v128.load(zp)), s));
  v128.store(zp, f64x2.add(f64x2.mul(sInd, v128.load(zp, 16)), s), 16);
  v128.store(zp, f64x2.add(f64x2.mul(sInd, v128.load(zp, 32)), s), 32);
  v128.store(zp, f64x2.add(f64x2.mul(sInd, v128.load(zp, 48)), s), 48);
}

// Noise increments (xI, xV) of 4 pairs with fineSteps F > 1 (f64x2 each, pair k at 16 k).
const XI: usize = memory.data(64, 16);
const XV: usize = memory.data(64, 16);

/**
 * Noise increments of the 4 pairs i..i+7 with F > 1 fine steps into XI, XV, in the general
 * path's order: EM xI = sem (0 + z_0 + ... + z_{F-1}); exact: from xI = xV = 0, per fine step
 * xV <- e^{-ah/F} xV + P21(h/F) xI + cVI z1 + cVV z2, xI <- e^{-bh/F} xI + cI z1. Shared
 * normals are mixed in per fine step. Not inlined: F Philox blocks per pair dominate, so one copy
 * with run-time flags serves every specialisation. `q0` = pair block of i (het), else 0.
 */
function fineNoise8(i: i32, coef: usize, q0: usize, qs: usize, sh: bool, shp: usize, sInd: f64): void {
  const F = gF;
  const exact = gExact;
  const het = q0 != 0;
  const zero = f64x2.splat(0);
  const sIndv = f64x2.splat(sInd);
  if (gZw1 != 0) {
    fineNoise8Window(i, coef, q0, qs, sh, shp, sIndv);
    return;
  }
  for (let k = 0; k < 4; k++) {
    v128.store(XI + (<usize>k << 4), zero);
    v128.store(XV + (<usize>k << 4), zero);
  }
  const p0 = <u32>i >>> 1;
  for (let j = 0; j < F; j++) {
    const t = <u32>(gStep * <f64>F + <f64>j);
    philox4(p0, t, S_NOISE, gK0, gK1, PX);
    zig8(PX, ZA, S_NOISE, <u32>i, t);
    if (exact) {
      philox4(p0, t, S_NOISE2, gK0, gK1, PXB);
      zig8(PXB, ZB, S_NOISE2, <u32>i, t);
    }
    if (sh) {
      shareZ(ZA, sIndv, f64x2.splat(load<f64>(shp + (<usize>j << 3))));
      if (exact) shareZ(ZB, sIndv, f64x2.splat(load<f64>(shp + (<usize>(F + j) << 3))));
    }
    for (let k = 0; k < 4; k++) {
      const ko = <usize>k << 4;
      const z = v128.load(ZA + ko);
      const xI = v128.load(XI + ko);
      if (exact) {
        const q = q0 + <usize>k * qs;
        const y = v128.load(ZB + ko);
        const xV = v128.load(XV + ko);
        const eAf = het ? v128.load(q, QX_EAF) : f64x2.splat(hf(coef, C_EAF));
        const p21f = het ? v128.load(q, QX_P21F) : f64x2.splat(hf(coef, C_P21F));
        const eBf = het ? v128.load(q, QX_EBF) : f64x2.splat(hf(coef, C_EBF));
        const cI = het ? v128.load(q, QX_CI) : f64x2.splat(hf(coef, C_CI));
        const cVI = het ? v128.load(q, QX_CVI) : f64x2.splat(hf(coef, C_CVI));
        const cVV = het ? v128.load(q, QX_CVV) : f64x2.splat(hf(coef, C_CVV));
        v128.store(XV + ko, f64x2.add(f64x2.add(f64x2.add(f64x2.mul(eAf, xV), f64x2.mul(p21f, xI)), f64x2.mul(cVI, z)), f64x2.mul(cVV, y)));
        v128.store(XI + ko, f64x2.add(f64x2.mul(eBf, xI), f64x2.mul(cI, z)));
      } else v128.store(XI + ko, f64x2.add(xI, z));
    }
  }
  if (!exact) {
    for (let k = 0; k < 4; k++) {
      const ko = <usize>k << 4;
      const sem = het ? v128.load(q0 + <usize>k * qs, QE_SEM) : f64x2.splat(hf(coef, C_SEM));
      v128.store(XI + ko, f64x2.mul(sem, v128.load(XI + ko)));
    }
  }
}

/**
 * fineNoise8 reading a noise window (analysis block): pair by pair, the F fine normals summed
 * (EM) or composed (exact) in registers straight from the window rows. The same operations in
 * the same order as fineNoise8's loop (which accumulates through XI/XV), so the same bits.
 */
function fineNoise8Window(i: i32, coef: usize, q0: usize, qs: usize, sh: bool, shp: usize, sIndv: v128): void {
  const F = gF;
  const exact = gExact;
  const het = q0 != 0;
  const stride = <usize>gN << 3;
  const base = <usize>i << 3;
  for (let k = 0; k < 4; k++) {
    const ko = <usize>k << 4;
    let p1 = gZw1 + base + ko;
    let xI = f64x2.splat(0);
    let xV = f64x2.splat(0);
    if (exact) {
      let p2 = gZw2 + base + ko;
      const q = q0 + <usize>k * qs;
      const eAf = het ? v128.load(q, QX_EAF) : f64x2.splat(hf(coef, C_EAF));
      const p21f = het ? v128.load(q, QX_P21F) : f64x2.splat(hf(coef, C_P21F));
      const eBf = het ? v128.load(q, QX_EBF) : f64x2.splat(hf(coef, C_EBF));
      const cI = het ? v128.load(q, QX_CI) : f64x2.splat(hf(coef, C_CI));
      const cVI = het ? v128.load(q, QX_CVI) : f64x2.splat(hf(coef, C_CVI));
      const cVV = het ? v128.load(q, QX_CVV) : f64x2.splat(hf(coef, C_CVV));
      for (let j = 0; j < F; j++) {
        let z = v128.load(p1);
        let y = v128.load(p2);
        if (sh) {
          z = f64x2.add(f64x2.mul(sIndv, z), f64x2.splat(load<f64>(shp + (<usize>j << 3))));
          y = f64x2.add(f64x2.mul(sIndv, y), f64x2.splat(load<f64>(shp + (<usize>(F + j) << 3))));
        }
        xV = f64x2.add(f64x2.add(f64x2.add(f64x2.mul(eAf, xV), f64x2.mul(p21f, xI)), f64x2.mul(cVI, z)), f64x2.mul(cVV, y));
        xI = f64x2.add(f64x2.mul(eBf, xI), f64x2.mul(cI, z));
        p1 += stride;
        p2 += stride;
      }
    } else {
      for (let j = 0; j < F; j++) {
        let z = v128.load(p1);
        if (sh) z = f64x2.add(f64x2.mul(sIndv, z), f64x2.splat(load<f64>(shp + (<usize>j << 3))));
        xI = f64x2.add(xI, z);
        p1 += stride;
      }
      xI = f64x2.mul(het ? v128.load(q0 + <usize>k * qs, QE_SEM) : f64x2.splat(hf(coef, C_SEM)), xI);
    }
    v128.store(XI + ko, xI);
    v128.store(XV + ko, xV);
  }
}

/** Like fineNoise8 for the single pair (i, i+1) (scalar normals), into XI[0], XV[0]. */
function fineNoise2(i: i32, coef: usize, q: usize, sh: bool, shp: usize, sInd: f64): void {
  const F = gF;
  const exact = gExact;
  const het = q != 0;
  if (gZw1 != 0) {
    // Noise window (analysis block): the pair's normals are adjacent in each row; the same
    // arithmetic per lane as below (shared mixing included), in registers.
    const stride = <usize>gN << 3;
    const sIndv = f64x2.splat(sInd);
    let p1 = gZw1 + (<usize>i << 3);
    let p2 = exact ? gZw2 + (<usize>i << 3) : 0;
    let wI = f64x2.splat(0);
    let wV = f64x2.splat(0);
    if (exact) {
      const eAf = het ? v128.load(q, QX_EAF) : f64x2.splat(hf(coef, C_EAF));
      const p21f = het ? v128.load(q, QX_P21F) : f64x2.splat(hf(coef, C_P21F));
      const eBf = het ? v128.load(q, QX_EBF) : f64x2.splat(hf(coef, C_EBF));
      const cI = het ? v128.load(q, QX_CI) : f64x2.splat(hf(coef, C_CI));
      const cVI = het ? v128.load(q, QX_CVI) : f64x2.splat(hf(coef, C_CVI));
      const cVV = het ? v128.load(q, QX_CVV) : f64x2.splat(hf(coef, C_CVV));
      for (let j = 0; j < F; j++) {
        let z = v128.load(p1);
        let y = v128.load(p2);
        if (sh) {
          z = f64x2.add(f64x2.mul(sIndv, z), f64x2.splat(load<f64>(shp + (<usize>j << 3))));
          y = f64x2.add(f64x2.mul(sIndv, y), f64x2.splat(load<f64>(shp + (<usize>(F + j) << 3))));
        }
        wV = f64x2.add(f64x2.add(f64x2.add(f64x2.mul(eAf, wV), f64x2.mul(p21f, wI)), f64x2.mul(cVI, z)), f64x2.mul(cVV, y));
        wI = f64x2.add(f64x2.mul(eBf, wI), f64x2.mul(cI, z));
        p1 += stride;
        p2 += stride;
      }
    } else {
      for (let j = 0; j < F; j++) {
        let z = v128.load(p1);
        if (sh) z = f64x2.add(f64x2.mul(sIndv, z), f64x2.splat(load<f64>(shp + (<usize>j << 3))));
        wI = f64x2.add(wI, z);
        p1 += stride;
      }
      wI = f64x2.mul(het ? v128.load(q, QE_SEM) : f64x2.splat(hf(coef, C_SEM)), wI);
    }
    v128.store(XI, wI);
    v128.store(XV, wV);
    return;
  }
  let xI = f64x2.splat(0);
  let xV = f64x2.splat(0);
  for (let j = 0; j < F; j++) {
    const t = <u32>(gStep * <f64>F + <f64>j);
    let za = zAt(false, <u32>i, t);
    let zb = zAt(false, <u32>i + 1, t);
    if (sh) {
      const s = load<f64>(shp + (<usize>j << 3));
      za = sInd * za + s;
      zb = sInd * zb + s;
    }
    const z = f64x2.replace_lane(f64x2.splat(za), 1, zb);
    if (exact) {
      let ya = zAt(true, <u32>i, t);
      let yb = zAt(true, <u32>i + 1, t);
      if (sh) {
        const s = load<f64>(shp + (<usize>(F + j) << 3));
        ya = sInd * ya + s;
        yb = sInd * yb + s;
      }
      const y = f64x2.replace_lane(f64x2.splat(ya), 1, yb);
      const eAf = het ? v128.load(q, QX_EAF) : f64x2.splat(hf(coef, C_EAF));
      const p21f = het ? v128.load(q, QX_P21F) : f64x2.splat(hf(coef, C_P21F));
      const eBf = het ? v128.load(q, QX_EBF) : f64x2.splat(hf(coef, C_EBF));
      const cI = het ? v128.load(q, QX_CI) : f64x2.splat(hf(coef, C_CI));
      const cVI = het ? v128.load(q, QX_CVI) : f64x2.splat(hf(coef, C_CVI));
      const cVV = het ? v128.load(q, QX_CVV) : f64x2.splat(hf(coef, C_CVV));
      xV = f64x2.add(f64x2.add(f64x2.add(f64x2.mul(eAf, xV), f64x2.mul(p21f, xI)), f64x2.mul(cVI, z)), f64x2.mul(cVV, y));
      xI = f64x2.add(f64x2.mul(eBf, xI), f64x2.mul(cI, z));
    } else xI = f64x2.add(xI, z);
  }
  if (!exact) xI = f64x2.mul(het ? v128.load(q, QE_SEM) : f64x2.splat(hf(coef, C_SEM)), xI);
  v128.store(XI, xI);
  v128.store(XV, xV);
}

/** Which lanes of the pair (j, j+1) have Poisson events in any of the F fine steps (bit 0, bit 1). */
function pmaskF(j: i32, pexp: f64): i32 {
  let m = 0;
  for (let f = 0; f < gF; f++) {
    const t = <u32>(gStep * <f64>gF + <f64>f);
    if (uInput(gK0, gK1, <u32>j, t) >= pexp) m |= 1;
    if (uInput(gK0, gK1, <u32>j + 1, t) >= pexp) m |= 2;
  }
  return m;
}

/**
 * SIMD path for a population: 8 neurons per iteration (4 Philox blocks on
 * i32x4 per normal stream, f64x2 updates), then pairs, then a lone neuron through the general
 * path. Compile-time flags: EXACT integrator, NOISY (some sigma > 0), REF (per-lane refractory
 * test), POIS (Poisson drive), HET (per-neuron parameters from the pair blocks at P_SOA).
 * Shared noise is a run-time flag (one predictable branch per pair). FINE: the fineSteps > 1
 * variant (fastFine), where the other flags are run-time values.
 */
// @ts-ignore: decorator
@inline
function fastLoop(pe: usize, EXACT: bool, NOISY: bool, REF: bool, POIS: bool, HET: bool, FINE: bool): i32 {
  // Noisy with fineSteps > 1: one variant with run-time flags (F Philox blocks per pair dominate).
  if (NOISY && !FINE && gF > 1) return fastFine(pe);
  const start = <i32>hf(pe, P_START);
  const end = start + <i32>hf(pe, P_COUNT);
  const coef = hp(pe, P_COEF);
  const cstride = hp(pe, P_STRIDE);
  let i = start;
  let st = 0;
  if (i & 1) {
    st = generalNeuron(pe, 0);
    if (st != 0) return st;
    i++;
  }
  const nu = <u32>gStep;
  const slot0 = gR > 0 ? gRing + <usize>(<i32>(gStep % <f64>gR)) * <usize>gN * 24 : 0;
  // Pair blocks: pair of neuron j (even) at qb + (j >> 1)·QS (wrapping arithmetic on usize).
  const QS: usize = HET ? hp(pe, P_QS) : 0;
  const qb: usize = HET ? hp(pe, P_SOA) - <usize>((start & ~1) >> 1) * QS : 0;
  const zero = f64x2.splat(0);
  const cIv = f64x2.splat(hf(coef, C_CI));
  const cVIv = f64x2.splat(hf(coef, C_CVI));
  const cVVv = f64x2.splat(hf(coef, C_CVV));
  const semv = f64x2.splat(hf(coef, C_SEM));
  // Shared noise of this step (the population's shared normals, already scaled by sqrt(c)).
  const SH = NOISY && hf(pe, P_SSH) != 0;
  const sIndv = f64x2.splat(hf(pe, P_SIND));
  const shp = hp(pe, P_SHPTR);
  const sh1 = SH ? f64x2.splat(load<f64>(shp)) : zero;
  const sh2 = SH ? f64x2.splat(load<f64>(shp, 8)) : zero;
  const Vp = gVp;
  const Ip = gIp;
  const I2p = gI2p;
  const Rp = gRp;
  const mu = f64x2.splat(hf(coef, C_MU));
  const vth = f64x2.splat(hf(coef, C_VTH));
  const nv = f64x2.splat(gStep);
  const nv1 = f64x2.splat(gStep + 1);
  const vr = f64x2.splat(hf(coef, C_VR));
  const h = gH;
  const k1v = f64x2.splat(EXACT ? hf(coef, C_VINF) : h);
  const k2v = f64x2.splat(EXACT ? hf(coef, C_EA) : -hf(coef, C_A));
  const k3v = f64x2.splat(EXACT ? hf(coef, C_P21) : hf(coef, C_VL));
  const k4v = f64x2.splat(EXACT ? hf(coef, C_P21B) : h * hf(coef, C_B));
  const k5v = f64x2.splat(EXACT ? hf(coef, C_EB) : h * hf(coef, C_B2));
  const k6v = f64x2.splat(EXACT ? hf(coef, C_EB2) : 0);
  gPLam = hf(pe, P_PLAMBDA);
  gPExp = hf(pe, P_PEXP);
  gPW = hf(pe, P_PW);
  gPCh = <i32>hf(pe, P_PCH);
  const pois = POIS;
  const pexp = gPExp;
  if (NOISY && FINE) {
    // fineSteps F > 1: the noise of 8 neurons (F Philox blocks per pair and stream) goes through
    // XI/XV; the update is the same pairStep.
    const sInd = hf(pe, P_SIND);
    for (; i + 8 <= end; i += 8) {
      const q0 = HET ? qb + <usize>(i >> 1) * QS : 0;
      fineNoise8(i, coef, q0, QS, SH, shp, sInd);
      st = pairStep(i + 0, coef, cstride, start, EXACT, NOISY, REF, POIS, HET, q0, v128.load(XI, 0), v128.load(XV, 0), slot0, Vp, Ip, I2p, Rp, k1v, k2v, k3v, k4v, k5v, k6v, mu, vth, nv, nv1, vr, POIS ? pmaskF(i + 0, pexp) : 0);
      if (st != 0) return st;
      st = pairStep(i + 2, coef, cstride, start, EXACT, NOISY, REF, POIS, HET, q0 + QS, v128.load(XI, 16), v128.load(XV, 16), slot0, Vp, Ip, I2p, Rp, k1v, k2v, k3v, k4v, k5v, k6v, mu, vth, nv, nv1, vr, POIS ? pmaskF(i + 2, pexp) : 0);
      if (st != 0) return st;
      st = pairStep(i + 4, coef, cstride, start, EXACT, NOISY, REF, POIS, HET, q0 + 2 * QS, v128.load(XI, 32), v128.load(XV, 32), slot0, Vp, Ip, I2p, Rp, k1v, k2v, k3v, k4v, k5v, k6v, mu, vth, nv, nv1, vr, POIS ? pmaskF(i + 4, pexp) : 0);
      if (st != 0) return st;
      st = pairStep(i + 6, coef, cstride, start, EXACT, NOISY, REF, POIS, HET, q0 + 3 * QS, v128.load(XI, 48), v128.load(XV, 48), slot0, Vp, Ip, I2p, Rp, k1v, k2v, k3v, k4v, k5v, k6v, mu, vth, nv, nv1, vr, POIS ? pmaskF(i + 6, pexp) : 0);
      if (st != 0) return st;
    }
    for (; i + 1 < end; i += 2) {
      const q = HET ? qb + <usize>(i >> 1) * QS : 0;
      fineNoise2(i, coef, q, SH, shp, sInd);
      st = pairStep(i, coef, cstride, start, EXACT, NOISY, REF, POIS, HET, q, v128.load(XI), v128.load(XV), slot0, Vp, Ip, I2p, Rp, k1v, k2v, k3v, k4v, k5v, k6v, mu, vth, nv, nv1, vr, POIS ? pmaskF(i, pexp) : 0);
      if (st != 0) return st;
    }
  } else if (NOISY) {
    for (; i + 8 <= end; i += 8) {
      if (gZw1 != 0) {
        // Noise window: the same normals, drawn once for several networks (analysis block).
        copy8(gZw1 + (<usize>i << 3), ZA);
        if (EXACT) copy8(gZw2 + (<usize>i << 3), ZB);
      } else {
        const p0 = <u32>i >>> 1;
        philox4(p0, nu, S_NOISE, gK0, gK1, PX);
        if (EXACT) philox4(p0, nu, S_NOISE2, gK0, gK1, PXB);
        zig8(PX, ZA, S_NOISE, <u32>i, nu);
        if (EXACT) zig8(PXB, ZB, S_NOISE2, <u32>i, nu);
      }
      if (SH) {
        shareZ(ZA, sIndv, sh1);
        if (EXACT) shareZ(ZB, sIndv, sh2);
      }
      const q0 = HET ? qb + <usize>(i >> 1) * QS : 0;
      // The four pairs, unrolled (constant offsets into ZA/ZB).
      {
        const q = q0;
        const z = v128.load(ZA, 0);
        const y = EXACT ? v128.load(ZB, 0) : zero;
        const xI = noiseI(EXACT, HET, SH, q, z, cIv, semv);
        const xV = noiseV(EXACT, HET, SH, q, z, y, cVIv, cVVv);
        st = pairStep(i + 0, coef, cstride, start, EXACT, NOISY, REF, POIS, HET, q, xI, xV, slot0, Vp, Ip, I2p, Rp, k1v, k2v, k3v, k4v, k5v, k6v, mu, vth, nv, nv1, vr, pmask(pois, i + 0, nu, pexp));
        if (st != 0) return st;
      }
      {
        const q = q0 + QS;
        const z = v128.load(ZA, 16);
        const y = EXACT ? v128.load(ZB, 16) : zero;
        const xI = noiseI(EXACT, HET, SH, q, z, cIv, semv);
        const xV = noiseV(EXACT, HET, SH, q, z, y, cVIv, cVVv);
        st = pairStep(i + 2, coef, cstride, start, EXACT, NOISY, REF, POIS, HET, q, xI, xV, slot0, Vp, Ip, I2p, Rp, k1v, k2v, k3v, k4v, k5v, k6v, mu, vth, nv, nv1, vr, pmask(pois, i + 2, nu, pexp));
        if (st != 0) return st;
      }
      {
        const q = q0 + 2 * QS;
        const z = v128.load(ZA, 32);
        const y = EXACT ? v128.load(ZB, 32) : zero;
        const xI = noiseI(EXACT, HET, SH, q, z, cIv, semv);
        const xV = noiseV(EXACT, HET, SH, q, z, y, cVIv, cVVv);
        st = pairStep(i + 4, coef, cstride, start, EXACT, NOISY, REF, POIS, HET, q, xI, xV, slot0, Vp, Ip, I2p, Rp, k1v, k2v, k3v, k4v, k5v, k6v, mu, vth, nv, nv1, vr, pmask(pois, i + 4, nu, pexp));
        if (st != 0) return st;
      }
      {
        const q = q0 + 3 * QS;
        const z = v128.load(ZA, 48);
        const y = EXACT ? v128.load(ZB, 48) : zero;
        const xI = noiseI(EXACT, HET, SH, q, z, cIv, semv);
        const xV = noiseV(EXACT, HET, SH, q, z, y, cVIv, cVVv);
        st = pairStep(i + 6, coef, cstride, start, EXACT, NOISY, REF, POIS, HET, q, xI, xV, slot0, Vp, Ip, I2p, Rp, k1v, k2v, k3v, k4v, k5v, k6v, mu, vth, nv, nv1, vr, pmask(pois, i + 6, nu, pexp));
        if (st != 0) return st;
      }
    }
    const sInd = hf(pe, P_SIND);
    const s1 = SH ? load<f64>(shp) : 0.0;
    const s2 = SH ? load<f64>(shp, 8) : 0.0;
    for (; i + 1 < end; i += 2) {
      const q = HET ? qb + <usize>(i >> 1) * QS : 0;
      const wo: usize = <usize>i << 3;
      let za = gZw1 != 0 ? load<f64>(gZw1 + wo) : zAt(false, <u32>i, nu);
      let zb = gZw1 != 0 ? load<f64>(gZw1 + wo, 8) : zAt(false, <u32>i + 1, nu);
      if (SH) {
        za = sInd * za + s1;
        zb = sInd * zb + s1;
      }
      const z = f64x2.replace_lane(f64x2.splat(za), 1, zb);
      let y = zero;
      if (EXACT) {
        let ya = gZw1 != 0 ? load<f64>(gZw2 + wo) : zAt(true, <u32>i, nu);
        let yb = gZw1 != 0 ? load<f64>(gZw2 + wo, 8) : zAt(true, <u32>i + 1, nu);
        if (SH) {
          ya = sInd * ya + s2;
          yb = sInd * yb + s2;
        }
        y = f64x2.replace_lane(f64x2.splat(ya), 1, yb);
      }
      const xI = noiseI(EXACT, HET, SH, q, z, cIv, semv);
      const xV = noiseV(EXACT, HET, SH, q, z, y, cVIv, cVVv);
      st = pairStep(i, coef, cstride, start, EXACT, NOISY, REF, POIS, HET, q, xI, xV, slot0, Vp, Ip, I2p, Rp, k1v, k2v, k3v, k4v, k5v, k6v, mu, vth, nv, nv1, vr, pmask(pois, i, nu, pexp));
      if (st != 0) return st;
    }
  } else {
    // Two pairs per iteration (research/perf-ceiling.md section 3: 4 neurons per iteration).
    // Poisson drive with F > 1 fine steps: the lane mask covers the F fine steps.
    if (POIS && gF > 1) {
      for (; i + 1 < end; i += 2) {
        const q = HET ? qb + <usize>(i >> 1) * QS : 0;
        st = pairStep(i, coef, cstride, start, EXACT, NOISY, REF, POIS, HET, q, zero, zero, slot0, Vp, Ip, I2p, Rp, k1v, k2v, k3v, k4v, k5v, k6v, mu, vth, nv, nv1, vr, pmaskF(i, pexp));
        if (st != 0) return st;
      }
    }
    for (; i + 3 < end; i += 4) {
      const q = HET ? qb + <usize>(i >> 1) * QS : 0;
      st = pairStep(i, coef, cstride, start, EXACT, NOISY, REF, POIS, HET, q, zero, zero, slot0, Vp, Ip, I2p, Rp, k1v, k2v, k3v, k4v, k5v, k6v, mu, vth, nv, nv1, vr, pmask(pois, i, nu, pexp));
      if (st != 0) return st;
      st = pairStep(i + 2, coef, cstride, start, EXACT, NOISY, REF, POIS, HET, q + QS, zero, zero, slot0, Vp, Ip, I2p, Rp, k1v, k2v, k3v, k4v, k5v, k6v, mu, vth, nv, nv1, vr, pmask(pois, i + 2, nu, pexp));
      if (st != 0) return st;
    }
    for (; i + 1 < end; i += 2) {
      const q = HET ? qb + <usize>(i >> 1) * QS : 0;
      st = pairStep(i, coef, cstride, start, EXACT, NOISY, REF, POIS, HET, q, zero, zero, slot0, Vp, Ip, I2p, Rp, k1v, k2v, k3v, k4v, k5v, k6v, mu, vth, nv, nv1, vr, pmask(pois, i, nu, pexp));
      if (st != 0) return st;
    }
  }
  if (i < end) st = generalNeuron(pe, i - start);
  return st;
}

function fastL0(pe: usize): i32 {
  return fastLoop(pe, false, false, false, false, false, false);
}
function fastL1(pe: usize): i32 {
  return fastLoop(pe, false, false, false, false, true, false);
}
function fastL2(pe: usize): i32 {
  return fastLoop(pe, false, false, false, true, false, false);
}
function fastL3(pe: usize): i32 {
  return fastLoop(pe, false, false, false, true, true, false);
}
function fastL4(pe: usize): i32 {
  return fastLoop(pe, false, false, true, false, false, false);
}
function fastL5(pe: usize): i32 {
  return fastLoop(pe, false, false, true, false, true, false);
}
function fastL6(pe: usize): i32 {
  return fastLoop(pe, false, false, true, true, false, false);
}
function fastL7(pe: usize): i32 {
  return fastLoop(pe, false, false, true, true, true, false);
}
function fastL8(pe: usize): i32 {
  return fastLoop(pe, false, true, false, false, false, false);
}
function fastL9(pe: usize): i32 {
  return fastLoop(pe, false, true, false, false, true, false);
}
function fastL10(pe: usize): i32 {
  return fastLoop(pe, false, true, false, true, false, false);
}
function fastL11(pe: usize): i32 {
  return fastLoop(pe, false, true, false, true, true, false);
}
function fastL12(pe: usize): i32 {
  return fastLoop(pe, false, true, true, false, false, false);
}
function fastL13(pe: usize): i32 {
  return fastLoop(pe, false, true, true, false, true, false);
}
function fastL14(pe: usize): i32 {
  return fastLoop(pe, false, true, true, true, false, false);
}
function fastL15(pe: usize): i32 {
  return fastLoop(pe, false, true, true, true, true, false);
}
function fastL16(pe: usize): i32 {
  return fastLoop(pe, true, false, false, false, false, false);
}
function fastL17(pe: usize): i32 {
  return fastLoop(pe, true, false, false, false, true, false);
}
function fastL18(pe: usize): i32 {
  return fastLoop(pe, true, false, false, true, false, false);
}
function fastL19(pe: usize): i32 {
  return fastLoop(pe, true, false, false, true, true, false);
}
function fastL20(pe: usize): i32 {
  return fastLoop(pe, true, false, true, false, false, false);
}
function fastL21(pe: usize): i32 {
  return fastLoop(pe, true, false, true, false, true, false);
}
function fastL22(pe: usize): i32 {
  return fastLoop(pe, true, false, true, true, false, false);
}
function fastL23(pe: usize): i32 {
  return fastLoop(pe, true, false, true, true, true, false);
}
function fastL24(pe: usize): i32 {
  return fastLoop(pe, true, true, false, false, false, false);
}
function fastL25(pe: usize): i32 {
  return fastLoop(pe, true, true, false, false, true, false);
}
function fastL26(pe: usize): i32 {
  return fastLoop(pe, true, true, false, true, false, false);
}
function fastL27(pe: usize): i32 {
  return fastLoop(pe, true, true, false, true, true, false);
}
function fastL28(pe: usize): i32 {
  return fastLoop(pe, true, true, true, false, false, false);
}
function fastL29(pe: usize): i32 {
  return fastLoop(pe, true, true, true, false, true, false);
}
function fastL30(pe: usize): i32 {
  return fastLoop(pe, true, true, true, true, false, false);
}
function fastL31(pe: usize): i32 {
  return fastLoop(pe, true, true, true, true, true, false);
}

/** Noisy population with fineSteps > 1: fastLoop with run-time flags (one copy in the module). */
function fastFine(pe: usize): i32 {
  return fastLoop(pe, gExact, true, hf(pe, P_NR) == 0, hf(pe, P_PLAMBDA) > 0, hp(pe, P_SOA) != 0, true);
}

// One specialisation per (EXACT, NOISY, REF, POIS, HET): the flags are compile-time constants of
// fastLoop, so each variant carries only its own code. REF is off for populations whose refractory
// periods end on grid points (no tRef, or grid rule with an integer number of steps; P_NR, set by
// the facade): held neurons are then fixed from the refractory list after the population loops.
function fastPop(pe: usize): i32 {
  const code =
    (gExact ? 16 : 0) |
    (hf(pe, P_NOISE) != 0 ? 8 : 0) |
    (hf(pe, P_NR) != 0 ? 0 : 4) |
    (hf(pe, P_PLAMBDA) > 0 ? 2 : 0) |
    (hp(pe, P_SOA) != 0 ? 1 : 0);
  switch (code) {
    case 0:
      return fastL0(pe);
    case 1:
      return fastL1(pe);
    case 2:
      return fastL2(pe);
    case 3:
      return fastL3(pe);
    case 4:
      return fastL4(pe);
    case 5:
      return fastL5(pe);
    case 6:
      return fastL6(pe);
    case 7:
      return fastL7(pe);
    case 8:
      return fastL8(pe);
    case 9:
      return fastL9(pe);
    case 10:
      return fastL10(pe);
    case 11:
      return fastL11(pe);
    case 12:
      return fastL12(pe);
    case 13:
      return fastL13(pe);
    case 14:
      return fastL14(pe);
    case 15:
      return fastL15(pe);
    case 16:
      return fastL16(pe);
    case 17:
      return fastL17(pe);
    case 18:
      return fastL18(pe);
    case 19:
      return fastL19(pe);
    case 20:
      return fastL20(pe);
    case 21:
      return fastL21(pe);
    case 22:
      return fastL22(pe);
    case 23:
      return fastL23(pe);
    case 24:
      return fastL24(pe);
    case 25:
      return fastL25(pe);
    case 26:
      return fastL26(pe);
    case 27:
      return fastL27(pe);
    case 28:
      return fastL28(pe);
    case 29:
      return fastL29(pe);
    case 30:
      return fastL30(pe);
    case 31:
      return fastL31(pe);
  }
  return 0;
}

/** V of neurons held during step n is V_r; drop entries whose refractory period ends by t_{n+1}. */
function refractoryPass(popT: usize, nPop: i32): void {
  const n1 = gStep + 1;
  let w = 0;
  for (let k = 0; k < gRLn; k++) {
    const j = load<i32>(gRList + (<usize>k << 2));
    const off = <usize>j << 3;
    const ru = load<f64>(gRp + off);
    if (ru >= n1) {
      for (let p = 0; p < nPop; p++) {
        const pe = popT + (<usize>(p * P_SIZE) << 3);
        const start = <i32>hf(pe, P_START);
        if (j >= start && j < start + <i32>hf(pe, P_COUNT)) {
          store<f64>(gVp + off, hf(hp(pe, P_COEF) + <usize>(j - start) * hp(pe, P_STRIDE), C_VR));
          break;
        }
      }
    }
    if (ru > n1) {
      store<i32>(gRList + (<usize>w << 2), j);
      w++;
    }
  }
  gRLn = w;
}

/**
 * Advances the network described by the header at `hdr` by up to `nSteps` steps. Stops early
 * (before a step) when the spike record buffer could overflow; the steps done are written to
 * the header (H_DONE) and the facade drains the records and calls again. Returns a status code;
 * on failure the header holds the records and step reached so far.
 */
export function lifRun(hdr: usize, nSteps: i32): i32 {
  gHdr = hdr;
  gN = <i32>hf(hdr, H_N);
  const nPop = <i32>hf(hdr, H_NPOP);
  const nProj = <i32>hf(hdr, H_NPROJ);
  const popT = hp(hdr, H_POP);
  const projT = hp(hdr, H_PROJ);
  gVp = hp(hdr, H_V);
  gIp = hp(hdr, H_I);
  gI2p = hp(hdr, H_I2);
  gRp = hp(hdr, H_REF);
  gRing = hp(hdr, H_RING);
  gR = <i32>hf(hdr, H_R);
  gRecN = hp(hdr, H_REC_N);
  gRecS = hp(hdr, H_REC_S);
  gRecO = hp(hdr, H_REC_O);
  gRecA = hp(hdr, H_REC_A);
  const cap = <i32>hf(hdr, H_REC_CAP);
  gCount = <i32>hf(hdr, H_REC_COUNT);
  gStep = hf(hdr, H_STEP);
  gK0 = <u32>hf(hdr, H_K0);
  gK1 = <u32>hf(hdr, H_K1);
  gH = hf(hdr, H_H);
  gF = <i32>hf(hdr, H_F);
  gExact = hf(hdr, H_INTEG) != 0;
  gRule = <i32>hf(hdr, H_RULE);
  const fastOk = hf(hdr, H_FAST) != 0;
  gCatch = hf(hdr, H_CATCH) != 0;
  gRList = hp(hdr, H_RLIST);
  gRLn = <i32>hf(hdr, H_RLN);
  gZWin = hp(hdr, H_ZWIN);
  gTan = hp(hdr, H_TAN);
  gTanK = gTan != 0 ? <i32>hf(hdr, H_TANK) : 0;
  gTanS = hp(hdr, H_TANS);
  gTanSec = hp(hdr, H_TANSEC);
  gTanLog = hp(hdr, H_TANLOG);
  gTanC = gTanK > 0 ? <i32>hf(hdr, H_TANC) : 3;
  gZw1 = 0;
  zReset();
  cPu = -1;
  let done = 0;
  let st = 0;
  for (; done < nSteps; done++) {
    if (gCount + gN > cap) break;
    const first = gCount;
    const n = gStep;
    const fastStep = fastOk && !gCatch;
    gCatch = false;
    if (gZWin != 0) zWindowStep(n);
    for (let p = 0; p < nPop; p++) {
      const pe = popT + (<usize>(p * P_SIZE) << 3);
      const cnt = <i32>hf(pe, P_COUNT);
      const shared = hf(pe, P_SSH) != 0;
      if (hf(pe, P_NOISE) != 0 && shared) {
        const shp = hp(pe, P_SHPTR);
        const sSh = hf(pe, P_SSH);
        const pidx = <u32>hf(pe, P_INDEX);
        for (let j = 0; j < gF; j++) {
          const t = <u32>(n * <f64>gF + <f64>j);
          store<f64>(shp + (<usize>j << 3), sSh * normalAt(gK0, gK1, S_SHARED, pidx, t));
          if (gExact) store<f64>(shp + (<usize>(gF + j) << 3), sSh * normalAt(gK0, gK1, S_SHARED2, pidx, t));
        }
      }
      // SIMD path: homogeneous (stride 0) or with pair blocks (heterogeneous); shared noise allowed.
      if (fastStep && (hp(pe, P_STRIDE) == 0 || hp(pe, P_SOA) != 0)) st = fastPop(pe);
      else {
        for (let q = 0; q < cnt; q++) {
          st = generalNeuron(pe, q);
          if (st != 0) break;
        }
      }
      if (st != 0) break;
    }
    if (st != 0) break;
    if (gRLn > 0) refractoryPass(popT, nPop);
    // 3. propagation of this step's spikes.
    if (nProj > 0) {
      for (let s = first; s < gCount; s++) {
        const j = load<i32>(gRecN + (<usize>s << 2));
        const sst = <f64>load<u32>(gRecS + (<usize>s << 2));
        const so = load<f64>(gRecO + (<usize>s << 3));
        for (let pj = 0; pj < nProj; pj++) {
          const je = projT + (<usize>(pj * J_SIZE) << 3);
          const pre = <i32>hf(je, J_PRE);
          if (j < pre || j >= pre + <i32>hf(je, J_NPRE)) continue;
          deliver(je, j - pre, sst, so, popT);
        }
      }
    }
    if (gTanK > 0) tangentStep(first, popT, nPop, projT, nProj);
    gStep = n + 1;
  }
  hs(hdr, H_CATCH, gCatch ? 1.0 : 0.0);
  hs(hdr, H_RLN, <f64>gRLn);
  if (st == 0 && done > 0) {
    // The SIMD path tests V^{n+1} < V_th only, which lets V = -inf through: scan once per call.
    for (let i = 0; i < gN; i++) {
      const vv = load<f64>(gVp + (<usize>i << 3));
      if (vv == -Infinity) {
        st = fail(STATUS_NONFINITE, i, gStep - 1, (gStep - 1) * gH, vv);
        break;
      }
    }
  }
  hs(hdr, H_REC_COUNT, <f64>gCount);
  hs(hdr, H_STEP, gStep);
  hs(hdr, H_DONE, <f64>done);
  return st;
}

/** Delivers one presynaptic spike (row `row` of projection `je`) emitted during the current step. */
function deliver(je: usize, row: i32, sstep: f64, soff: f64, popT: usize): void {
  const n = gStep;
  const h = gH;
  const N = gN;
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
  const a0 = kInt + fr;
  const direct = a0 <= n + 1;
  // Direct: contribution at t_{n+1}, r = (n+1) - a steps after the arrival. Ring: slot of the
  // step e containing the arrival (e = kInt when fr > 0, else kInt - 1), r = e + 1 - a.
  let r: f64;
  let base: usize = 0;
  if (direct) r = n + 1 - a0;
  else {
    const e = fr > 0 ? kInt : kInt - 1;
    r = fr > 0 ? 1.0 - fr : 0.0;
    base = gRing + <usize>(<i32>(e % <f64>gR)) * <usize>N * 24;
  }
  const r0 = load<i32>(rowp + (<usize>row << 2));
  const r1 = load<i32>(rowp + (<usize>(row + 1) << 2));
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
  const Ic = ch == 0 ? gIp : gI2p;
  const nb = <usize>N << 3;
  const ringI = base + (ch == 0 ? nb : 2 * nb);
  if (direct && r == 0) {
    // Arrival exactly at t_{n+1} (grid spikes without delay): a plain jump of the current.
    if (wp == 0) {
      for (let s = r0; s < r1; s++) {
        const p = Ic + (<usize>(load<i32>(colp + (<usize>s << 2)) + post) << 3);
        store<f64>(p, load<f64>(p) + ws);
      }
    } else {
      for (let s = r0; s < r1; s++) {
        const p = Ic + (<usize>(load<i32>(colp + (<usize>s << 2)) + post) << 3);
        store<f64>(p, load<f64>(p) + load<f64>(wp + (<usize>s << 3)));
      }
    }
    return;
  }
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
      if (dV != 0 && load<f64>(gRp + off) <= a0) {
        const vv = load<f64>(gVp + off) + dV;
        store<f64>(gVp + off, vv);
        if (!(vv < hf(coef0 + <usize>(tgt - post) * stride, C_VTH))) gCatch = true;
      }
      store<f64>(Ic + off, load<f64>(Ic + off) + dI);
    } else {
      store<f64>(base + off, load<f64>(base + off) + dV);
      store<f64>(ringI + off, load<f64>(ringI + off) + dI);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Analysis block (numerics): the noise window shared by several networks, and the tangent pass.

/** Sets gZw1/gZw2/gZt for step n when the window holds its F fine steps under this key and N. */
function zWindowStep(n: f64): void {
  gZw1 = 0;
  gZw2 = 0;
  const w = gZWin;
  if (hf(w, W_K0) != <f64>gK0 || hf(w, W_K1) != <f64>gK1 || <i32>hf(w, W_N) != gN) return;
  const t = n * <f64>gF;
  const t0 = hf(w, W_T0);
  if (t < t0 || t + <f64>gF > t0 + hf(w, W_LEN)) return;
  const z2 = hp(w, W_Z2);
  if (gExact && z2 == 0) return;
  const row = <usize>(t - t0) * (<usize>gN << 3);
  gZw1 = hp(w, W_Z1) + row;
  gZw2 = gExact ? z2 + row : 0;
  gZt = <u32>t;
}

/**
 * Fills a noise window: out[s·n + i] = normal(key, stream, i, t0 + s) for i < n, s < steps, with
 * stream `noise` (second = 0) or `noise2` (second = 1): the numbers a network draws for neuron i
 * at fine step t0 + s (the same Philox blocks and ziggurat as the SIMD path, bit for bit).
 */
export function lifFillNoiseWindow(k0: u32, k1: u32, second: i32, t0: u32, steps: i32, n: i32, out: usize): void {
  // zig8's slow path reads the key from the run context; lifRun sets it again on every call.
  gK0 = k0;
  gK1 = k1;
  const stream = second != 0 ? S_NOISE2 : S_NOISE;
  for (let s = 0; s < steps; s++) {
    const t = t0 + <u32>s;
    const o = out + (<usize>(s * n) << 3);
    let i = 0;
    for (; i + 8 <= n; i += 8) {
      philox4(<u32>i >>> 1, t, stream, k0, k1, PX);
      zig8(PX, o + (<usize>i << 3), stream, <u32>i, t);
    }
    if (i < n) {
      // Tail: the same block of eight (a pure function of the counter), the first n - i kept.
      philox4(<u32>i >>> 1, t, stream, k0, k1, PX);
      zig8(PX, ZA, stream, <u32>i, t);
      memory.copy(o + (<usize>i << 3), ZA, <usize>(n - i) << 3);
    }
  }
}

/** Population-table entry of global neuron j. */
function popOf(popT: usize, nPop: i32, j: i32): usize {
  for (let p = 0; p < nPop; p++) {
    const pe = popT + (<usize>(p * P_SIZE) << 3);
    const start = <i32>hf(pe, P_START);
    if (j >= start && j < start + <i32>hf(pe, P_COUNT)) return pe;
  }
  return popT;
}

/** Coefficient block of global neuron j in population entry pe. */
// @ts-ignore: decorator
@inline
function coefOf(pe: usize, j: i32): usize {
  return hp(pe, P_COEF) + <usize>(j - <i32>hf(pe, P_START)) * hp(pe, P_STRIDE);
}

/**
 * Tangent pass of step n, after its spikes were recorded (records first .. gCount-1) and
 * delivered. The K tangent vectors (dV, dI, dI2) follow the exact flow of the linear subthreshold
 * dynamics along the simulated path, with the saltation of each reset at its crossing time
 * t* = (n + theta) h:
 *   d_j = dV_j(t*-) = e^{-a theta h} dV_j + G_b(theta h) dI_j + G_b2(theta h) dI2_j  (tangent at t_n);
 *   propagate every neuron over the step: dV' = e^{-ah} dV + P21 dI + P21b dI2, dI' = e^{-bh} dI, dI2' = e^{-b2 h} dI2;
 *   firing neuron: dV_j += (s(A) - 1) e^{-a(1-theta)h} d_j, s(A) = 1 + a (V_th - V_r)/A (and
 *   ln s(A) is added to the neuron's saltation sum, the diagonal of a feedforward cocycle);
 *   each target of j (weight J, channel c, rates a', b'): the kick J at t* moves with t*, so at
 *   t_{n+1}: dV += J (e^{-b'r} - a' G_b'(r)) d_j/A, dI_c += -J b' e^{-b'r} d_j/A, r = (1-theta)h.
 * A catch-up spike (theta = 0: V reached V_th after a kick inside the previous step) is treated as
 * a crossing at t_n with its recorded speed A (the exact crossing lies in the previous step: an
 * O(h) shift of where the saltation applies, as for every rule's crossing). A crossing whose
 * recorded A is <= 0 (the linear rule's field at threshold with the interpolated current dips
 * below 0 when the current falls inside the step: about 1 spike in 5000 at h = 0.02 ms) uses the
 * step's secant slope (V^{n+1} - V^n)/h > 0, the speed the rule itself crossed with. A catch-up
 * with A <= 0 zeroes the V direction and adds no kick terms. Zero delays and no refractory period
 * (checked by the facade).
 */
function tangentStep(first: i32, popT: usize, nPop: i32, projT: usize, nProj: i32): void {
  const K = gTanK;
  const N = gN;
  const h = gH;
  const C3 = gTanC == 3;
  const nb = <usize>N << 3;
  const vs: usize = nb * <usize>gTanC;
  const nsp = gCount - first;
  // 1. d_j of every spike from the tangent at t_n.
  for (let s = 0; s < nsp; s++) {
    const r = <usize>(first + s);
    const j = load<i32>(gRecN + (r << 2));
    const th = load<f64>(gRecO + (r << 3));
    const coef = coefOf(popOf(popT, nPop, j), j);
    let e = 1.0;
    let g1 = 0.0;
    let g2 = 0.0;
    if (th > 0) {
      const a = hf(coef, C_A);
      const t = th * h;
      e = Math.exp(-a * t);
      g1 = gResp(a, hf(coef, C_B), t);
      if (C3) g2 = gResp(a, hf(coef, C_B2), t);
    }
    const off = <usize>j << 3;
    for (let k = 0; k < K; k++) {
      const v = gTan + <usize>k * vs + off;
      let d = e * load<f64>(v) + g1 * load<f64>(v + nb);
      if (C3) d += g2 * load<f64>(v + 2 * nb);
      store<f64>(gTanS + (<usize>(s * K + k) << 3), d);
    }
  }
  // 2. Exact variational propagator over the step (two neurons per f64x2 in homogeneous populations).
  for (let k = 0; k < K; k++) {
    const tv = gTan + <usize>k * vs;
    for (let p = 0; p < nPop; p++) {
      const pe = popT + (<usize>(p * P_SIZE) << 3);
      const start = <i32>hf(pe, P_START);
      const cnt = <i32>hf(pe, P_COUNT);
      const coef0 = hp(pe, P_COEF);
      const stride = hp(pe, P_STRIDE);
      let q = 0;
      if (stride == 0) {
        const eA = f64x2.splat(hf(coef0, C_EA));
        const p21 = f64x2.splat(hf(coef0, C_P21));
        const p21b = f64x2.splat(hf(coef0, C_P21B));
        const eB = f64x2.splat(hf(coef0, C_EB));
        const eB2 = f64x2.splat(hf(coef0, C_EB2));
        for (; q + 1 < cnt; q += 2) {
          const o = tv + (<usize>(start + q) << 3);
          const dV = v128.load(o);
          const dI = v128.load(o + nb);
          let nV = f64x2.add(f64x2.mul(eA, dV), f64x2.mul(p21, dI));
          if (C3) {
            const dI2 = v128.load(o + 2 * nb);
            nV = f64x2.add(nV, f64x2.mul(p21b, dI2));
            v128.store(o + 2 * nb, f64x2.mul(eB2, dI2));
          }
          v128.store(o, nV);
          v128.store(o + nb, f64x2.mul(eB, dI));
        }
      }
      for (; q < cnt; q++) {
        const c = coef0 + <usize>q * stride;
        const o = tv + (<usize>(start + q) << 3);
        const dV = load<f64>(o);
        const dI = load<f64>(o + nb);
        let nV = hf(c, C_EA) * dV + hf(c, C_P21) * dI;
        if (C3) {
          const dI2 = load<f64>(o + 2 * nb);
          nV += hf(c, C_P21B) * dI2;
          store<f64>(o + 2 * nb, hf(c, C_EB2) * dI2);
        }
        store<f64>(o, nV);
        store<f64>(o + nb, hf(c, C_EB) * dI);
      }
    }
  }
  // 3. Saltation of each reset and the kick terms of its targets.
  for (let s = 0; s < nsp; s++) {
    const r = <usize>(first + s);
    const j = load<i32>(gRecN + (r << 2));
    const th = load<f64>(gRecO + (r << 3));
    let A = load<f64>(gRecA + (r << 3));
    if (!(A > 0) && th > 0) A = load<f64>(gTanSec + (r << 3));
    const coef = coefOf(popOf(popT, nPop, j), j);
    const a = hf(coef, C_A);
    const rem = (1.0 - th) * h;
    const timed = A > 0;
    const sm1 = timed ? (a * (hf(coef, C_VTH) - hf(coef, C_VR))) / A : -1.0;
    const fac = sm1 * Math.exp(-a * rem);
    const off = <usize>j << 3;
    if (timed) store<f64>(gTanLog + off, load<f64>(gTanLog + off) + Math.log1p(sm1));
    for (let k = 0; k < K; k++) {
      const v = gTan + <usize>k * vs + off;
      store<f64>(v, load<f64>(v) + fac * load<f64>(gTanS + (<usize>(s * K + k) << 3)));
    }
    if (!timed) continue;
    for (let pj = 0; pj < nProj; pj++) {
      const je = projT + (<usize>(pj * J_SIZE) << 3);
      const pre = <i32>hf(je, J_PRE);
      if (j < pre || j >= pre + <i32>hf(je, J_NPRE)) continue;
      tangentKicks(je, j - pre, rem, A, s, popT);
    }
  }
}

/** Kick terms of presynaptic row `row` of projection je (spike s of the step, r = rest of the step). */
function tangentKicks(je: usize, row: i32, rem: f64, A: f64, s: i32, popT: usize): void {
  const K = gTanK;
  const nb = <usize>gN << 3;
  const vs: usize = nb * <usize>gTanC;
  const post = <i32>hf(je, J_POST);
  const pe = popT + (<usize>(<i32>hf(je, J_POP) * P_SIZE) << 3);
  const coef0 = hp(pe, P_COEF);
  const stride = hp(pe, P_STRIDE);
  const rowp = hp(je, J_ROW);
  const colp = hp(je, J_COL);
  const wp = hp(je, J_W);
  const ws = hf(je, J_WS);
  const ch = <i32>hf(je, J_CH);
  const chOff: usize = ch == 0 ? nb : 2 * nb;
  const r0 = load<i32>(rowp + (<usize>row << 2));
  const r1 = load<i32>(rowp + (<usize>(row + 1) << 2));
  let gV = 0.0;
  let gI = 0.0;
  for (let q = r0; q < r1; q++) {
    const tgt = load<i32>(colp + (<usize>q << 2)) + post;
    if (q == r0 || stride != 0) {
      const c = coef0 + <usize>(tgt - post) * stride;
      const at = hf(c, C_A);
      const bt = ch == 0 ? hf(c, C_B) : hf(c, C_B2);
      const eb = Math.exp(-bt * rem);
      gV = eb - at * gResp(at, bt, rem);
      gI = -bt * eb;
    }
    const J = wp != 0 ? load<f64>(wp + (<usize>q << 3)) : ws;
    const cV = (J * gV) / A;
    const cI = (J * gI) / A;
    const off = <usize>tgt << 3;
    for (let k = 0; k < K; k++) {
      const d = load<f64>(gTanS + (<usize>(s * K + k) << 3));
      const v = gTan + <usize>k * vs + off;
      store<f64>(v, load<f64>(v) + cV * d);
      store<f64>(v + chOff, load<f64>(v + chOff) + cI * d);
    }
  }
}

/**
 * Modified Gram–Schmidt on the K tangent vectors (length C·N) of the network at `hdr`, in place;
 * writes ln R_kk (the log of each vector's norm after projecting out the previous ones) to
 * out[k]. Returns a status code (non-finite or zero norm: the tangent vectors degenerated).
 */
export function lifTangentQr(hdr: usize, out: usize): i32 {
  const tan = hp(hdr, H_TAN);
  const K = <i32>hf(hdr, H_TANK);
  const d = <i32>hf(hdr, H_TANC) * <i32>hf(hdr, H_N);
  for (let k = 0; k < K; k++) {
    const vk = tan + (<usize>(k * d) << 3);
    for (let q = 0; q < k; q++) {
      const dot = dotTan(vk, tan + (<usize>(q * d) << 3), d);
      const vq = tan + (<usize>(q * d) << 3);
      const dv = f64x2.splat(dot);
      let c = 0;
      for (; c + 1 < d; c += 2) {
        const o = <usize>c << 3;
        v128.store(vk + o, f64x2.sub(v128.load(vk + o), f64x2.mul(dv, v128.load(vq + o))));
      }
      if (c < d) {
        const o = <usize>c << 3;
        store<f64>(vk + o, load<f64>(vk + o) - dot * load<f64>(vq + o));
      }
    }
    const nr = Math.sqrt(dotTan(vk, vk, d));
    if (!(nr > 0) || !isFinite(nr)) {
      const step = hf(hdr, H_STEP);
      return fail(STATUS_NONFINITE, k, step, step * hf(hdr, H_H), nr);
    }
    const nv = f64x2.splat(nr);
    let c = 0;
    for (; c + 1 < d; c += 2) {
      const o = <usize>c << 3;
      v128.store(vk + o, f64x2.div(v128.load(vk + o), nv));
    }
    if (c < d) store<f64>(vk + (<usize>c << 3), load<f64>(vk + (<usize>c << 3)) / nr);
    store<f64>(out + (<usize>k << 3), Math.log(nr));
  }
  return 0;
}

/** Σ_c a[c] b[c] over d components, two at a time (lane sums added at the end, then the odd one). */
function dotTan(a: usize, b: usize, d: i32): f64 {
  let acc = f64x2.splat(0);
  let c = 0;
  for (; c + 1 < d; c += 2) {
    const o = <usize>c << 3;
    acc = f64x2.add(acc, f64x2.mul(v128.load(a + o), v128.load(b + o)));
  }
  let s = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
  if (c < d) s += load<f64>(a + (<usize>c << 3)) * load<f64>(b + (<usize>c << 3));
  return s;
}

/** ln x (kernel math, engine-independent; see lifMathExp). */
export function lifMathLog(x: f64): f64 {
  return Math.log(x);
}

// ---------------------------------------------------------------------------------------------
// Transcendental functions for the facade. JS engines' Math.exp/expm1/log1p differ in the last
// bit between engine versions (measured: Node 20 / V8 11.3 vs Deno 2.9 / V8 15.0), so every
// exp factor or coefficient the kernel consumes is computed here, with the module's own
// (musl-derived) functions: the same bits in every runtime.

/** e^x (kernel math, engine-independent). */
export function lifMathExp(x: f64): f64 {
  return Math.exp(x);
}

/** e^x − 1 (kernel math, engine-independent). */
export function lifMathExpm1(x: f64): f64 {
  return Math.expm1(x);
}

/** ln(1 + x) (kernel math, engine-independent). */
export function lifMathLog1p(x: f64): f64 {
  return Math.log1p(x);
}

const PROP: usize = memory.data(80, 16);

// @ts-ignore: decorator
@inline
function glNode(k: i32): f64 {
  // 8-point Gauss–Legendre nodes on [-1, 1] (positive half).
  return k == 0 ? 0.1834346424956498 : k == 1 ? 0.525532409916329 : k == 2 ? 0.7966664774136267 : 0.9602898564975363;
}

// @ts-ignore: decorator
@inline
function glWeight(k: i32): f64 {
  return k == 0 ? 0.362683783378362 : k == 1 ? 0.3137066458778873 : k == 2 ? 0.2223810344533745 : 0.1012285362903763;
}

/** ∫₀^h f(t) dt, 8 panels × 8-point Gauss–Legendre; f = e^{−bt} G(t) (which 0) or G(t)² (1). */
function propIntegral(a: f64, b: f64, h: f64, which: i32): f64 {
  let s = 0.0;
  const w = h / 8.0;
  for (let p = 0; p < 8; p++) {
    const c = (<f64>p + 0.5) * w;
    for (let k = 0; k < 4; k++) {
      const d = 0.5 * w * glNode(k);
      const t1 = c - d;
      const t2 = c + d;
      const g1 = gResp(a, b, t1);
      const g2 = gResp(a, b, t2);
      const f1 = which == 0 ? Math.exp(-b * t1) * g1 : g1 * g1;
      const f2 = which == 0 ? Math.exp(-b * t2) * g2 : g2 * g2;
      s += glWeight(k) * (f1 + f2);
    }
  }
  return 0.5 * w * s;
}

/**
 * Exact propagator over h of the 2-D OU system (V, I) with leak rate a, synaptic rate b and
 * stationary current std sigma (src/lif/propagator.ts lifPropagator): writes eA, eB, p21, varI,
 * covVI, varV, cI, cVI, cVV (f64) to a static buffer and returns its address.
 */
export function lifPropagatorInto(a: f64, b: f64, sigma: f64, h: f64): usize {
  const s2 = 2.0 * sigma * sigma * b;
  const varI = -sigma * sigma * Math.expm1(-2.0 * b * h);
  // sigma = 0 (the deterministic coarse propagator): the covariances are +0 without quadrature.
  const covVI = sigma == 0 ? 0.0 : s2 * propIntegral(a, b, h, 0);
  const varV = sigma == 0 ? 0.0 : s2 * propIntegral(a, b, h, 1);
  const cI = Math.sqrt(varI);
  const cVI = cI > 0 ? covVI / cI : 0.0;
  const cVV = Math.sqrt(Math.max(0.0, varV - cVI * cVI));
  store<f64>(PROP, Math.exp(-a * h));
  store<f64>(PROP, Math.exp(-b * h), 8);
  store<f64>(PROP, gResp(a, b, h), 16);
  store<f64>(PROP, varI, 24);
  store<f64>(PROP, covVI, 32);
  store<f64>(PROP, varV, 40);
  store<f64>(PROP, cI, 48);
  store<f64>(PROP, cVI, 56);
  store<f64>(PROP, cVV, 64);
  return PROP;
}
