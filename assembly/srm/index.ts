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
import { PHILOX_OUT, philoxInto, philoxX4Call } from '../rng/philox';
import {
  SRM_ADAPT,
  SRM_BIAS,
  SRM_CLAMP,
  SRM_DATA,
  SRM_DT,
  SRM_ELIG,
  SRM_ETA,
  SRM_ETA0,
  SRM_FORM,
  SRM_GB,
  SRM_INV_DU,
  SRM_K0,
  SRM_K1,
  SRM_K_ADAPT,
  SRM_K_ELIG,
  SRM_K_PSP,
  SRM_LL,
  SRM_LOG_C,
  SRM_MASK,
  SRM_N,
  SRM_PHI,
  SRM_SBUF,
  SRM_SCORE,
  SRM_SPIKES,
  SRM_SPK,
  SRM_ST,
  SRM_STEPS,
  SRM_STREAM,
  SRM_T0,
  SRM_UBUF,
  SRM_USYN,
  SRM_W_T,
} from './layout';

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

/** The four blocks' words of one philoxX4 call (word w at +16·w). */
const PX4: usize = memory.data(64, 16);

/**
 * Uniforms U(i, tg) of sub-draw 0 for neurons 0..n-1 into out (f64[n]), bit-identical to the
 * scalar contract (philox.ts / uniformAt): four Philox4x32-10 blocks (eight neurons) per pass on
 * i32x4 lanes, block b = i >> 1, words 0-1 -> neuron 2b, words 2-3 -> neuron 2b+1. Groups whose
 * eight neurons are all clamped are skipped.
 */
// @ts-ignore: decorator
@inline
function fillSpikeUniforms(n: i32, tg: u32, k0: u32, k1: u32, stream: u32, clamp: usize, out: usize): void {
  const sh = f64x2.splat(TWO21);
  const sc = f64x2.splat(TWO_M53);
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    if (clamp != 0 && load<u64>(clamp + <usize>i) == 0x0101010101010101) continue;
    const b = <u32>i >>> 1;
    philoxX4Call(i32x4(b, b + 1, b + 2, b + 3), i32x4.splat(tg), i32x4.splat(0), i32x4.splat(stream), k0, k1, PX4);
    const c0 = v128.load(PX4);
    const c1 = v128.load(PX4, 16);
    const c2 = v128.load(PX4, 32);
    const c3 = v128.load(PX4, 48);
    // u = (hi * 2^21 + (lo >>> 11)) * 2^-53, exact in f64; even neurons from (c0, c1), odd from (c2, c3).
    const l0 = i32x4.shr_u(c0, 11);
    const l2 = i32x4.shr_u(c2, 11);
    const e01 = f64x2.mul(f64x2.add(f64x2.mul(f64x2.convert_low_i32x4_u(c1), sh), f64x2.convert_low_i32x4_u(l0)), sc);
    const o01 = f64x2.mul(f64x2.add(f64x2.mul(f64x2.convert_low_i32x4_u(c3), sh), f64x2.convert_low_i32x4_u(l2)), sc);
    const c1h = v128.shuffle<i32>(c1, c1, 2, 3, 2, 3);
    const c3h = v128.shuffle<i32>(c3, c3, 2, 3, 2, 3);
    const l0h = v128.shuffle<i32>(l0, l0, 2, 3, 2, 3);
    const l2h = v128.shuffle<i32>(l2, l2, 2, 3, 2, 3);
    const e23 = f64x2.mul(f64x2.add(f64x2.mul(f64x2.convert_low_i32x4_u(c1h), sh), f64x2.convert_low_i32x4_u(l0h)), sc);
    const o23 = f64x2.mul(f64x2.add(f64x2.mul(f64x2.convert_low_i32x4_u(c3h), sh), f64x2.convert_low_i32x4_u(l2h)), sc);
    const p = out + (<usize>i << 3);
    v128.store(p, v128.shuffle<f64>(e01, o01, 0, 2));
    v128.store(p, v128.shuffle<f64>(e01, o01, 1, 3), 16);
    v128.store(p, v128.shuffle<f64>(e23, o23, 0, 2), 32);
    v128.store(p, v128.shuffle<f64>(e23, o23, 1, 3), 48);
  }
  for (; i < n; i += 2) {
    if (clamp != 0 && load<u8>(clamp + <usize>i) != 0 && (i + 1 >= n || load<u8>(clamp + <usize>(i + 1)) != 0)) continue;
    philoxInto(<u32>i >>> 1, tg, 0, stream, k0, k1);
    store<f64>(out + (<usize>i << 3), u53(load<u32>(PHILOX_OUT), load<u32>(PHILOX_OUT, 4)));
    if (i + 1 < n) store<f64>(out + (<usize>(i + 1) << 3), u53(load<u32>(PHILOX_OUT, 8), load<u32>(PHILOX_OUT, 12)));
  }
}

/** dst[0..n) += a * src[0..n), two f64x2 per iteration (the batch eligibility, kElig = 1). */
// @ts-ignore: decorator
@inline
function axpy4(dst: usize, a: f64, src: usize, n: i32): void {
  const av = f64x2.splat(a);
  let i = 0;
  for (; i + 3 < n; i += 4) {
    const o = <usize>i << 3;
    v128.store(dst + o, f64x2.add(v128.load(dst + o), f64x2.mul(av, v128.load(src + o))));
    v128.store(dst + o, f64x2.add(v128.load(dst + o, 16), f64x2.mul(av, v128.load(src + o, 16))), 16);
  }
  for (; i < n; i++) {
    const o = <usize>i << 3;
    store<f64>(dst + o, load<f64>(dst + o) + a * load<f64>(src + o));
  }
}

const INV_LN2: f64 = 1.4426950408889634;
const LN2_HI: f64 = 6.9314718036912382e-1; // 0x3fe62e42fee00000: k * LN2_HI is exact for |k| < 2^21
const LN2_LO: f64 = 1.9082149292705877e-10;

/**
 * e^x on f64x2 for x <= 700, deterministic (only IEEE add/mul/round and integer ops, no FMA):
 * x = k ln2 + r with |r| <= ln2/2, e^r by its Taylor polynomial of degree 13 (truncation
 * < 5e-18 relative) in Horner form, then 2^k added to the exponent bits. Inputs below -708 are
 * raised to -708 (result 3.3e-308 instead of a subnormal or 0), so the scaling stays normal.
 * Accuracy: within 2 ulp of the correctly rounded value (tested against Math.exp).
 */
// @ts-ignore: decorator
@inline
function expv(x: v128): v128 {
  x = f64x2.max(x, f64x2.splat(-708.0));
  const k = f64x2.nearest(f64x2.mul(x, f64x2.splat(INV_LN2)));
  const r = f64x2.sub(f64x2.sub(x, f64x2.mul(k, f64x2.splat(LN2_HI))), f64x2.mul(k, f64x2.splat(LN2_LO)));
  let p = f64x2.splat(1.6059043836821613e-10);
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(2.08767569878681e-9));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(2.505210838544172e-8));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(2.755731922398589e-7));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(2.7557319223985893e-6));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(2.48015873015873e-5));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.984126984126984e-4));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.388888888888889e-3));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(8.333333333333333e-3));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(4.1666666666666664e-2));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(0.16666666666666666));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(0.5));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0));
  const ki = i64x2.extend_low_i32x4_s(i32x4.trunc_sat_f64x2_s_zero(k));
  return i64x2.add(p, i64x2.shl(ki, 52));
}

/** Scalar e^x through the same f64x2 code (so lanes and tails agree bit for bit). */
export function srmExp(x: f64): f64 {
  return f64x2.extract_lane(expv(f64x2.splat(x)), 0);
}

/** Steps 3-4 for one neuron whose rate lambda is known (the general path). */
// @ts-ignore: decorator
@inline
function neuronScalar(
  i: i32,
  lam: f64,
  usyn: usize,
  bias: usize,
  adapt: usize,
  eta0: f64,
  invDu: f64,
  logC: f64,
  clamp: usize,
  dataRow: usize,
  ubuf: usize,
  xRow: usize,
  sRow: usize,
  ll: usize,
  gb: usize,
  form: i32,
): void {
  const o = <usize>i << 3;
  let x: u32;
  if (clamp != 0 && load<u8>(clamp + <usize>i) != 0) {
    x = load<u8>(dataRow + <usize>i) != 0 ? 1 : 0;
  } else {
    const uu = load<f64>(ubuf + o);
    // p = 1 - e^{-lambda} <= lambda: U >= lambda already decides X = 0 without evaluating
    // expm1; the result is the same as U < p for every U.
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
    if (x) {
      // same expression as the f64x2 pass, so bit-identical to the exponent used for lambda
      const u = load<f64>(usyn + o) + load<f64>(bias + o) - eta0 * load<f64>(adapt + o);
      l = u * invDu + logC - lam;
    } else l = -lam;
    s = invDu * (<f64>x - lam);
  }
  store<f64>(sRow + o, s);
  store<f64>(ll + o, load<f64>(ll + o) + l);
  if (gb != 0) store<f64>(gb + o, load<f64>(gb + o) + s);
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
  ubuf: usize,
): i32 {
  fillSpikeUniforms(n, tg, k0, k1, stream, clamp, ubuf);
  // Rates for all neurons (f64x2 exp), stored in the score row until step 4 overwrites them.
  const e0 = f64x2.splat(eta0);
  const dv = f64x2.splat(invDu);
  const cv = f64x2.splat(logC);
  let mx = f64x2.splat(-Infinity);
  let j = 0;
  for (; j + 1 < n; j += 2) {
    const o = <usize>j << 3;
    const u = f64x2.sub(f64x2.add(v128.load(usyn + o), v128.load(bias + o)), f64x2.mul(e0, v128.load(adapt + o)));
    const ll2 = f64x2.add(f64x2.mul(u, dv), cv);
    mx = f64x2.max(mx, ll2);
    v128.store(sRow + o, expv(ll2));
  }
  if (j < n) {
    const o = <usize>j << 3;
    const u = load<f64>(usyn + o) + load<f64>(bias + o) - eta0 * load<f64>(adapt + o);
    const ll1 = u * invDu + logC;
    mx = f64x2.max(mx, f64x2.splat(ll1));
    store<f64>(sRow + o, srmExp(ll1));
  }
  if (!(f64x2.extract_lane(mx, 0) < LOG_LAMBDA_MAX && f64x2.extract_lane(mx, 1) < LOG_LAMBDA_MAX)) {
    for (let i = 0; i < n; i++) {
      const o = <usize>i << 3;
      const u = load<f64>(usyn + o) + load<f64>(bias + o) - eta0 * load<f64>(adapt + o);
      if (!(u * invDu + logC < LOG_LAMBDA_MAX)) return fail(STATUS_NONFINITE, i, <f64>tg, <f64>tg * dt, u);
    }
  }
  let lamMax = load<f64>(st);
  let sat = load<f64>(st, 8);
  let mxv = f64x2.splat(lamMax);
  let satv = f64x2.splat(0.0);
  const one = f64x2.splat(1.0);
  const nid = f64x2.splat(-invDu);
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const o = <usize>i << 3;
    const lam2 = v128.load(sRow + o);
    // Fast path for a pair that does not spike (most pairs at low rates): sampled with
    // U >= lambda, or clamped to 0. Same values as the scalar path (l = -lambda, s = -lambda/du).
    let silent = false;
    const c2: u32 = clamp != 0 ? <u32>load<u16>(clamp + <usize>i) : 0;
    if (c2 == 0) silent = !v128.any_true(f64x2.lt(v128.load(ubuf + o), lam2));
    else if (c2 == 0x0101) silent = load<u16>(dataRow + <usize>i) == 0;
    if (silent) {
      mxv = f64x2.max(mxv, lam2);
      satv = f64x2.add(satv, v128.and(f64x2.gt(lam2, one), one));
      store<u16>(xRow + <usize>i, 0);
      const s2 = f64x2.mul(nid, lam2);
      v128.store(sRow + o, s2);
      v128.store(ll + o, f64x2.sub(v128.load(ll + o), lam2));
      if (gb != 0) v128.store(gb + o, f64x2.add(v128.load(gb + o), s2));
    } else {
      for (let q = i; q < i + 2; q++) {
        const lam = load<f64>(sRow + (<usize>q << 3));
        if (lam > lamMax) lamMax = lam;
        if (lam > 1.0) sat += 1.0;
        neuronScalar(q, lam, usyn, bias, adapt, eta0, invDu, logC, clamp, dataRow, ubuf, xRow, sRow, ll, gb, form);
      }
    }
  }
  if (i < n) {
    const lam = load<f64>(sRow + (<usize>i << 3));
    if (lam > lamMax) lamMax = lam;
    if (lam > 1.0) sat += 1.0;
    neuronScalar(i, lam, usyn, bias, adapt, eta0, invDu, logC, clamp, dataRow, ubuf, xRow, sRow, ll, gb, form);
  }
  lamMax = Math.max(lamMax, Math.max(f64x2.extract_lane(mxv, 0), f64x2.extract_lane(mxv, 1)));
  sat += f64x2.extract_lane(satv, 0) + f64x2.extract_lane(satv, 1);
  store<f64>(st, lamMax);
  store<f64>(st, sat, 8);
  return 0;
}

/**
 * Simulates (or evaluates, for clamped neurons) `steps` steps of an escape-noise SRM network,
 * starting at global step t0. Every argument is a field of the parameter block at `p` (layout:
 * ./layout.ts, generated by scripts/gen-srm-layout.mjs). See the header for the order of
 * operations. `usyn` must equal W phi on entry (srmSyncInput). Fields that may be 0: clamp (no
 * clamping), data (when no neuron is clamped), score (then sbuf holds only the current row), gb,
 * elig. `mask` and `eta` are not read.
 */
export function srmRun(p: usize): i32 {
  const n = load<i32>(p + SRM_N);
  const steps = load<i32>(p + SRM_STEPS);
  const t0 = load<u32>(p + SRM_T0);
  const wT = <usize>load<u32>(p + SRM_W_T);
  const bias = <usize>load<u32>(p + SRM_BIAS);
  const phi = <usize>load<u32>(p + SRM_PHI);
  const adapt = <usize>load<u32>(p + SRM_ADAPT);
  const usyn = <usize>load<u32>(p + SRM_USYN);
  const kPsp = load<f64>(p + SRM_K_PSP);
  const kAdapt = load<f64>(p + SRM_K_ADAPT);
  const eta0 = load<f64>(p + SRM_ETA0);
  const invDu = load<f64>(p + SRM_INV_DU);
  const logC = load<f64>(p + SRM_LOG_C);
  const clamp = <usize>load<u32>(p + SRM_CLAMP);
  const data = <usize>load<u32>(p + SRM_DATA);
  const spikes = <usize>load<u32>(p + SRM_SPIKES);
  const score = <usize>load<u32>(p + SRM_SCORE);
  const sbuf = <usize>load<u32>(p + SRM_SBUF);
  const ll = <usize>load<u32>(p + SRM_LL);
  const gb = <usize>load<u32>(p + SRM_GB);
  const elig = <usize>load<u32>(p + SRM_ELIG);
  const kElig = load<f64>(p + SRM_K_ELIG);
  const form = load<i32>(p + SRM_FORM);
  const k0 = load<u32>(p + SRM_K0);
  const k1 = load<u32>(p + SRM_K1);
  const stream = load<u32>(p + SRM_STREAM);
  const spk = <usize>load<u32>(p + SRM_SPK);
  const st = <usize>load<u32>(p + SRM_ST);
  const dt = load<f64>(p + SRM_DT);
  const ubuf = <usize>load<u32>(p + SRM_UBUF);
  const nn = <usize>n;
  for (let t = 0; t < steps; t++) {
    const tg = t0 + <u32>t;
    const row = <usize>t * nn;
    const xRow = spikes + row;
    const sRow = score != 0 ? score + (row << 3) : sbuf;
    const code = neuronPass(n, tg, bias, adapt, usyn, eta0, invDu, logC, clamp, data + row, xRow, sRow, ll, gb, form, k0, k1, stream, st, dt, ubuf);
    if (code != 0) return code;
    if (elig != 0) {
      // Forward eligibility e_ij <- kElig e_ij + s_i phi_j(t): column j is contiguous in i.
      if (kElig == 1.0) {
        for (let j = 0; j < n; j++) axpy4(elig + ((<usize>j * nn) << 3), load<f64>(phi + (<usize>j << 3)), sRow, n);
      } else {
        for (let j = 0; j < n; j++) scaleAxpy(elig + ((<usize>j * nn) << 3), kElig, load<f64>(phi + (<usize>j << 3)), sRow, n);
      }
    }
    // Traces, exact on the grid: phi(t+1) = kPsp (phi(t) + X(t)); usyn follows phi linearly.
    // A silent pair decays on f64x2 (kPsp * (phi + 0) == kPsp * phi since phi is never -0).
    let ns = 0;
    const kpv = f64x2.splat(kPsp);
    const kav = f64x2.splat(kAdapt);
    let i = 0;
    for (; i + 1 < n; i += 2) {
      const o = <usize>i << 3;
      if (load<u16>(xRow + <usize>i) == 0) {
        v128.store(phi + o, f64x2.mul(kpv, v128.load(phi + o)));
        v128.store(adapt + o, f64x2.mul(kav, v128.load(adapt + o)));
        continue;
      }
      for (let q = i; q < i + 2; q++) {
        const oq = <usize>q << 3;
        const x = <f64>load<u8>(xRow + <usize>q);
        store<f64>(phi + oq, kPsp * (load<f64>(phi + oq) + x));
        store<f64>(adapt + oq, kAdapt * (load<f64>(adapt + oq) + x));
        if (x != 0.0) {
          store<i32>(spk + (<usize>ns << 2), q);
          ns++;
        }
      }
    }
    if (i < n) {
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
    let m = 0;
    for (; m + 1 < n; m += 2) {
      const o = <usize>m << 3;
      v128.store(usyn + o, f64x2.mul(kpv, v128.load(usyn + o)));
    }
    if (m < n) store<f64>(usyn + (<usize>m << 3), kPsp * load<f64>(usyn + (<usize>m << 3)));
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
 * gradient minus kElig e(T) (the part still held in the trace). Every argument is a field of the
 * parameter block at `p` (./layout.ts); mask and gb may be 0; `score` and `spk` are not read (the
 * score row lives in sbuf).
 */
export function srmOnline(p: usize): i32 {
  const n = load<i32>(p + SRM_N);
  const steps = load<i32>(p + SRM_STEPS);
  const t0 = load<u32>(p + SRM_T0);
  const wT = <usize>load<u32>(p + SRM_W_T);
  const bias = <usize>load<u32>(p + SRM_BIAS);
  const phi = <usize>load<u32>(p + SRM_PHI);
  const adapt = <usize>load<u32>(p + SRM_ADAPT);
  const usyn = <usize>load<u32>(p + SRM_USYN);
  const kPsp = load<f64>(p + SRM_K_PSP);
  const kAdapt = load<f64>(p + SRM_K_ADAPT);
  const eta0 = load<f64>(p + SRM_ETA0);
  const invDu = load<f64>(p + SRM_INV_DU);
  const logC = load<f64>(p + SRM_LOG_C);
  const clamp = <usize>load<u32>(p + SRM_CLAMP);
  const data = <usize>load<u32>(p + SRM_DATA);
  const spikes = <usize>load<u32>(p + SRM_SPIKES);
  const sbuf = <usize>load<u32>(p + SRM_SBUF);
  const ll = <usize>load<u32>(p + SRM_LL);
  const gb = <usize>load<u32>(p + SRM_GB);
  const elig = <usize>load<u32>(p + SRM_ELIG);
  const kElig = load<f64>(p + SRM_K_ELIG);
  const eta = load<f64>(p + SRM_ETA);
  const mask = <usize>load<u32>(p + SRM_MASK);
  const form = load<i32>(p + SRM_FORM);
  const k0 = load<u32>(p + SRM_K0);
  const k1 = load<u32>(p + SRM_K1);
  const stream = load<u32>(p + SRM_STREAM);
  const st = <usize>load<u32>(p + SRM_ST);
  const dt = load<f64>(p + SRM_DT);
  const ubuf = <usize>load<u32>(p + SRM_UBUF);
  const nn = <usize>n;
  const kv = f64x2.splat(kElig);
  const ev = f64x2.splat(eta);
  for (let t = 0; t < steps; t++) {
    const tg = t0 + <u32>t;
    const row = <usize>t * nn;
    const xRow = spikes + row;
    const code = neuronPass(n, tg, bias, adapt, usyn, eta0, invDu, logC, clamp, data + row, xRow, sbuf, ll, gb, form, k0, k1, stream, st, dt, ubuf);
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
