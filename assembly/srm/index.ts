// Escape-noise spike-response networks (seed 003: Jimenez Rezende & Gerstner 2014, eq. 1 of the
// seed note) and their likelihood gradients. Facade: src/srm/index.ts (the equations, units and
// order of operations are documented there and in docs/srm.md).
//
// Layout (all f64 unless stated, n neurons, column-major "transposed" matrices so that the
// column of presynaptic neuron j is contiguous):
//   wT[j*n + i] = w_ij (weight from j to i);  gT, elig, mask: same layout.
//   spikes / data: u8[steps*n], row t holds X_0(t) .. X_{n-1}(t).
//   score: f64[steps*n], s_i(t) = d log p(X_i(t) | past) / d u_i(t).
// One step t (global index tg = t0 + t), in this order:
//   1. u_i = usyn_i + bias_i - eta0 * adapt_i, with usyn_i = sum_j w_ij phi_j (kept incrementally)
//   2. lambda_i = rho_i dt = exp(u_i / du + logC),  logC = log(rho0 dt) - theta / du
//   3. X_i = data (clamped neuron) or [U_i(tg) < 1 - exp(-lambda_i)], U from Philox
//      (stream, element i, step tg, sub-draw 0): the frozen counter contract
//   4. log-likelihood and score of X_i (Bernoulli: exact for this process; or Poisson form)
//   5. optional dense eligibility e_ij <- kappaG e_ij + s_i phi_j(t)
//   6. traces: phi <- kpsp (phi + X), adapt <- kad (adapt + X), usyn <- kpsp (usyn + sum_spk w_:j)
import { fail, STATUS_NONFINITE } from '../kernel';
import { PHILOX_OUT, philoxInto } from '../rng/philox';

const TWO21: f64 = 2097152.0;
const TWO_M53: f64 = 1.1102230246251565e-16;

/** Largest log(rho dt) accepted: above it exp overflows towards +inf. */
const LOG_LAMBDA_MAX: f64 = 700.0;

// @ts-ignore: decorator
@inline
function u53(lo: u32, hi: u32): f64 {
  return (<f64>hi * TWO21 + <f64>(lo >>> 11)) * TWO_M53;
}

/** dst[0..n) += src[0..n) (f64x2). */
// @ts-ignore: decorator
@inline
function addInto(dst: usize, src: usize, n: i32): void {
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const o = <usize>i << 3;
    v128.store(dst + o, f64x2.add(v128.load(dst + o), v128.load(src + o)));
  }
  if (i < n) {
    const o = <usize>i << 3;
    store<f64>(dst + o, load<f64>(dst + o) + load<f64>(src + o));
  }
}

/** dst[0..n) = c * dst[0..n) + a * src[0..n) (f64x2). */
// @ts-ignore: decorator
@inline
function scaleAxpy(dst: usize, c: f64, a: f64, src: usize, n: i32): void {
  const cv = f64x2.splat(c);
  const av = f64x2.splat(a);
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const o = <usize>i << 3;
    v128.store(dst + o, f64x2.add(f64x2.mul(cv, v128.load(dst + o)), f64x2.mul(av, v128.load(src + o))));
  }
  if (i < n) {
    const o = <usize>i << 3;
    store<f64>(dst + o, c * load<f64>(dst + o) + a * load<f64>(src + o));
  }
}

/**
 * Steps 1-4 for every neuron of one time step: writes X (u8 row), the score s (f64 row), adds
 * the log-likelihood to ll[i] and the score to gb[i] (when gb != 0); tracks max lambda in st[0]
 * and the count of steps*neurons with lambda > 1 in st[1]. Returns a status code.
 */
// @ts-ignore: decorator
@inline
function neuronPass(
  n: i32,
  tg: u32,
  bias: usize,
  adapt: usize,
  usyn: usize,
  eta0: f64,
  invDu: f64,
  logC: f64,
  clamp: usize,
  dataRow: usize,
  xRow: usize,
  sRow: usize,
  ll: usize,
  gb: usize,
  form: i32,
  k0: u32,
  k1: u32,
  stream: u32,
  st: usize,
  dt: f64,
): i32 {
  let lamMax = load<f64>(st);
  let sat = load<f64>(st, 8);
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 3;
    const u = load<f64>(usyn + o) + load<f64>(bias + o) - eta0 * load<f64>(adapt + o);
    const logLam = u * invDu + logC;
    if (!(logLam < LOG_LAMBDA_MAX)) return fail(STATUS_NONFINITE, i, <f64>tg, <f64>tg * dt, u);
    const lam = Math.exp(logLam);
    if (lam > lamMax) lamMax = lam;
    if (lam > 1.0) sat += 1.0;
    let x: u32;
    if (clamp != 0 && load<u8>(clamp + <usize>i) != 0) {
      x = load<u8>(dataRow + <usize>i) != 0 ? 1 : 0;
    } else {
      // One Philox block feeds the pair (2m, 2m+1): words 0-1 -> even, 2-3 -> odd.
      if ((i & 1) == 0 || (clamp != 0 && load<u8>(clamp + <usize>(i - 1)) != 0)) {
        philoxInto(<u32>i >>> 1, tg, 0, stream, k0, k1);
      }
      const h = <usize>((i & 1) << 3);
      const uu = u53(load<u32>(PHILOX_OUT + h), load<u32>(PHILOX_OUT + h, 4));
      // p = 1 - e^{-lambda} <= lambda: U >= lambda already decides X = 0 (most draws at low
      // rates) without evaluating expm1; the result is the same as U < p for every U.
      x = uu < lam && uu < -Math.expm1(-lam) ? 1 : 0;
    }
    store<u8>(xRow + <usize>i, <u8>x);
    let s: f64;
    let l: f64;
    if (form == 0) {
      // Bernoulli with p = 1 - exp(-lambda): log p = log(-expm1(-lambda)), log(1-p) = -lambda;
      // d/du = (lambda/du) * [X / expm1(lambda) - (1 - X)].
      if (x) {
        l = Math.log(-Math.expm1(-lam));
        s = lam > 0.0 ? (invDu * lam) / Math.expm1(lam) : invDu;
      } else {
        l = -lam;
        s = -invDu * lam;
      }
    } else {
      // Poisson count form: X log lambda - lambda, d/du = (X - lambda) / du.
      l = x ? logLam - lam : -lam;
      s = invDu * (<f64>x - lam);
    }
    store<f64>(sRow + o, s);
    store<f64>(ll + o, load<f64>(ll + o) + l);
    if (gb != 0) store<f64>(gb + o, load<f64>(gb + o) + s);
  }
  store<f64>(st, lamMax);
  store<f64>(st, sat, 8);
  return 0;
}

/**
 * Simulates (or evaluates, for clamped neurons) `steps` steps of an escape-noise SRM network,
 * starting at global step t0. See the header for the order of operations. `usyn` must equal
 * W phi on entry (srmSyncInput). Pointers that may be 0: clamp (no clamping), data (when no
 * neuron is clamped), score (then sbuf holds only the current row), gb, elig.
 */
export function srmRun(
  n: i32,
  steps: i32,
  t0: u32,
  wT: usize,
  bias: usize,
  phi: usize,
  adapt: usize,
  usyn: usize,
  kPsp: f64,
  kAdapt: f64,
  eta0: f64,
  invDu: f64,
  logC: f64,
  clamp: usize,
  data: usize,
  spikes: usize,
  score: usize,
  sbuf: usize,
  ll: usize,
  gb: usize,
  elig: usize,
  kElig: f64,
  form: i32,
  k0: u32,
  k1: u32,
  stream: u32,
  spk: usize,
  st: usize,
  dt: f64,
): i32 {
  const nn = <usize>n;
  for (let t = 0; t < steps; t++) {
    const tg = t0 + <u32>t;
    const row = <usize>t * nn;
    const xRow = spikes + row;
    const sRow = score != 0 ? score + (row << 3) : sbuf;
    const code = neuronPass(n, tg, bias, adapt, usyn, eta0, invDu, logC, clamp, data + row, xRow, sRow, ll, gb, form, k0, k1, stream, st, dt);
    if (code != 0) return code;
    if (elig != 0) {
      // Forward eligibility e_ij <- kElig e_ij + s_i phi_j(t): column j is contiguous in i.
      for (let j = 0; j < n; j++) {
        scaleAxpy(elig + ((<usize>j * nn) << 3), kElig, load<f64>(phi + (<usize>j << 3)), sRow, n);
      }
    }
    // Traces, exact on the grid: phi(t+1) = kPsp (phi(t) + X(t)); usyn follows phi linearly.
    let ns = 0;
    for (let i = 0; i < n; i++) {
      const o = <usize>i << 3;
      const x = <f64>load<u8>(xRow + <usize>i);
      store<f64>(phi + o, kPsp * (load<f64>(phi + o) + x));
      store<f64>(adapt + o, kAdapt * (load<f64>(adapt + o) + x));
      if (x != 0.0) {
        store<i32>(spk + (<usize>ns << 2), i);
        ns++;
      }
    }
    for (let q = 0; q < ns; q++) {
      const j = <usize>load<i32>(spk + (<usize>q << 2));
      addInto(usyn, wT + ((j * nn) << 3), n);
    }
    const kv = f64x2.splat(kPsp);
    let i = 0;
    for (; i + 1 < n; i += 2) {
      const o = <usize>i << 3;
      v128.store(usyn + o, f64x2.mul(kv, v128.load(usyn + o)));
    }
    if (i < n) store<f64>(usyn + (<usize>i << 3), kPsp * load<f64>(usyn + (<usize>i << 3)));
  }
  return 0;
}

/** usyn = W phi (dense, f64x2), to (re)start srmRun after the weights or phi changed. */
export function srmSyncInput(n: i32, wT: usize, phi: usize, usyn: usize): void {
  const nn = <usize>n;
  memory.fill(usyn, 0, nn << 3);
  for (let j = 0; j < n; j++) {
    const p = load<f64>(phi + (<usize>j << 3));
    if (p != 0.0) scaleAxpy(usyn, 1.0, p, wT + ((<usize>j * nn) << 3), n);
  }
}

/**
 * Backward (event-driven) accumulation of the batch gradient over steps [0, steps) of a chunk:
 * G_ij += sum_t s_i(t) phi_j(t) = sum_k X_j(k) R_i(k), with R_i(k) = sum_{t>k} kPsp^(t-k) s_i(t).
 * Call chunks from last to first; `r` carries R across chunks (zero before the last chunk).
 * Assumes phi = 0 at the first step (evaluations start from rest).
 * Cost O(n (steps + spikes)) instead of O(n^2 steps).
 */
export function srmBackward(n: i32, steps: i32, spikes: usize, score: usize, kPsp: f64, r: usize, gT: usize): void {
  const nn = <usize>n;
  for (let t = steps - 1; t >= 0; t--) {
    const row = <usize>t * nn;
    for (let j = 0; j < n; j++) {
      if (load<u8>(spikes + row + <usize>j) != 0) addInto(gT + ((<usize>j * nn) << 3), r, n);
    }
    // R(t-1) = kPsp (R(t) + s(t))
    const sRow = score + (row << 3);
    const kv = f64x2.splat(kPsp);
    let i = 0;
    for (; i + 1 < n; i += 2) {
      const o = <usize>i << 3;
      v128.store(r + o, f64x2.mul(kv, f64x2.add(v128.load(r + o), v128.load(sRow + o))));
    }
    if (i < n) {
      const o = <usize>i << 3;
      store<f64>(r + o, kPsp * (load<f64>(r + o) + load<f64>(sRow + o)));
    }
  }
}

/**
 * Online learning with an eligibility trace (the online form of the M rule): srmRun's steps 1-4,
 * then for every synapse e_ij <- kElig e_ij + s_i phi_j(t), w_ij <- w_ij + eta * mask_ij e_ij,
 * then the traces, with usyn recomputed densely from the new weights (O(n^2) per step).
 * `eta` = learning rate * (1 - kElig), so that summed over a run the updates equal the batch
 * gradient minus kElig e(T) (the part still held in the trace). mask may be 0 (all plastic).
 */
export function srmOnline(
  n: i32,
  steps: i32,
  t0: u32,
  wT: usize,
  bias: usize,
  phi: usize,
  adapt: usize,
  usyn: usize,
  kPsp: f64,
  kAdapt: f64,
  eta0: f64,
  invDu: f64,
  logC: f64,
  clamp: usize,
  data: usize,
  spikes: usize,
  sbuf: usize,
  ll: usize,
  gb: usize,
  elig: usize,
  kElig: f64,
  eta: f64,
  mask: usize,
  form: i32,
  k0: u32,
  k1: u32,
  stream: u32,
  st: usize,
  dt: f64,
): i32 {
  const nn = <usize>n;
  const kv = f64x2.splat(kElig);
  const ev = f64x2.splat(eta);
  for (let t = 0; t < steps; t++) {
    const tg = t0 + <u32>t;
    const row = <usize>t * nn;
    const xRow = spikes + row;
    const code = neuronPass(n, tg, bias, adapt, usyn, eta0, invDu, logC, clamp, data + row, xRow, sbuf, ll, gb, form, k0, k1, stream, st, dt);
    if (code != 0) return code;
    memory.fill(usyn, 0, nn << 3);
    for (let j = 0; j < n; j++) {
      const jo = <usize>j << 3;
      const pOld = load<f64>(phi + jo);
      const x = <f64>load<u8>(xRow + <usize>j);
      const pNew = kPsp * (pOld + x);
      store<f64>(phi + jo, pNew);
      store<f64>(adapt + jo, kAdapt * (load<f64>(adapt + jo) + x));
      const col = (<usize>j * nn) << 3;
      const ep = elig + col;
      const wp = wT + col;
      const mp = mask + col;
      const po = f64x2.splat(pOld);
      const pn = f64x2.splat(pNew);
      let i = 0;
      for (; i + 1 < n; i += 2) {
        const o = <usize>i << 3;
        const e = f64x2.add(f64x2.mul(kv, v128.load(ep + o)), f64x2.mul(po, v128.load(sbuf + o)));
        v128.store(ep + o, e);
        let d = f64x2.mul(ev, e);
        if (mask != 0) d = f64x2.mul(d, v128.load(mp + o));
        const w = f64x2.add(v128.load(wp + o), d);
        v128.store(wp + o, w);
        v128.store(usyn + o, f64x2.add(v128.load(usyn + o), f64x2.mul(pn, w)));
      }
      if (i < n) {
        const o = <usize>i << 3;
        const e = kElig * load<f64>(ep + o) + pOld * load<f64>(sbuf + o);
        store<f64>(ep + o, e);
        let d = eta * e;
        if (mask != 0) d *= load<f64>(mp + o);
        const w = load<f64>(wp + o) + d;
        store<f64>(wp + o, w);
        store<f64>(usyn + o, load<f64>(usyn + o) + pNew * w);
      }
    }
  }
  return 0;
}
