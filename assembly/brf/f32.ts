// brf kernel in f32 with f32x4 SIMD: the same network, loss and BPTT as the f64 kernel
// (assembly/brf/index.ts, same call block and phases), for training where f64 is not needed.
// The hidden layer is padded to Hp = ⌈H/4⌉·4 neurons so every per-neuron loop is whole f32x4
// vectors; padded neurons have zero weights in and out, benign constants and a spike mask of 0,
// so they never spike and carry zero adjoints. Every sum has a fixed order (independent of the
// slicing into phases and of the register tiling), so results are bit-identical in every engine.
//
// Differences from the f64 kernel besides the precision: x, params, grad and the TBPTT state are
// f32 arrays; `grad` is written (=), not accumulated; per-sample losses are accumulated in the
// f64 `out` block. Per-neuron constants (p(ω), p′(ω), α = exp(−1/|τ|)) are computed in f64 and
// rounded once.

import { fail, STATUS_NONFINITE } from '../kernel';
import {
  BRF_CB_C,
  BRF_CB_CONSTS,
  BRF_CB_FIN,
  BRF_CB_GRAD,
  BRF_CB_H,
  BRF_CB_I,
  BRF_CB_INIT,
  BRF_CB_KIND,
  BRF_CB_LABELS,
  BRF_CB_OUT,
  BRF_CB_PARAMS,
  BRF_CB_S,
  BRF_CB_T,
  BRF_CB_WS,
  BRF_CB_X,
  BRF_KIND_ALIF,
  BRF_KIND_BRF,
  C_ABETA,
  C_AB0,
  C_DBDT,
  C_DT,
  C_GAMMA,
  C_LOSSMEAN,
  C_LOSSMODE,
  C_OMAX,
  C_RECOMPUTE,
  C_SG0,
  C_SG1,
  C_SG2,
  C_SG3,
  C_SGKIND,
  C_SMOOTH,
  C_T0,
  C_THETA,
} from './layout';


// @ts-ignore: decorator
@inline
function ld(p: usize, i: i32): f32 {
  return load<f32>(p + ((<usize>i) << 2));
}
// @ts-ignore: decorator
@inline
function st(p: usize, i: i32, v: f32): void {
  store<f32>(p + ((<usize>i) << 2), v);
}
// @ts-ignore: decorator
@inline
function ldd(p: usize, i: i32): f64 {
  return load<f64>(p + ((<usize>i) << 3));
}
// @ts-ignore: decorator
@inline
function std(p: usize, i: i32, v: f64): void {
  store<f64>(p + ((<usize>i) << 3), v);
}
// @ts-ignore: decorator
@inline
function vl(p: usize, i: i32): v128 {
  return v128.load(p + ((<usize>i) << 2));
}
// @ts-ignore: decorator
@inline
function vs(p: usize, i: i32, v: v128): void {
  v128.store(p + ((<usize>i) << 2), v);
}
// @ts-ignore: decorator
@inline
function cbi(cb: usize, k: i32): i32 {
  return load<i32>(cb + ((<usize>k) << 2));
}
/** Bytes of n f32 rounded up to 16 (every block starts 16-byte aligned). */
// @ts-ignore: decorator
@inline
function blk(n: i32): usize {
  return ((<usize>n) * 4 + 15) & ~(<usize>15);
}
/** Hidden size padded to whole f32x4 vectors. */
// @ts-ignore: decorator
@inline
function padH(H: i32): i32 {
  return (H + 3) & ~3;
}
// @ts-ignore: decorator
@inline
function trajBlocks(T: i32, K: i32): i32 {
  return K == 0 ? T + 1 : T / K + 1 + K + 1;
}

/** Bytes of workspace an f32 shard call needs (K: recompute interval, 0 = store every step). */
export function brfWorkspaceBytes32(S: i32, T: i32, I: i32, H: i32, C: i32, K: i32): f64 {
  const Hp = padH(H);
  let n: f64 = <f64>trajBlocks(T, K) * <f64>blk(4 * S * Hp); // trajectory (or checkpoints + one segment)
  n += 2.0 * <f64>blk((T + 1) * S * C); // output state and its drive
  n += 2.0 * <f64>blk((I + Hp) * Hp) + <f64>blk(Hp * Hp); // WT, gWT, W_rec
  n += 6.0 * <f64>blk(S * Hp); // I / gI, three carried adjoints, gZ, gZn
  n += 9.0 * <f64>blk(Hp); // per-neuron constants, mask, parameter-gradient accumulators
  n += 2.0 * <f64>blk(C * Hp); // W_out padded and its gradient accumulator
  n += 3.0 * <f64>blk(S * C) + 3.0 * <f64>blk(C + 4); // gO, softmax scratch, mean output; α_out, dα/dτ, gτ
  n += <f64>blk(Hp); // spike index list (i32)
  return n + 64.0;
}

// Per-shard values, re-read from the call block at every phase call (see assembly/brf/index.ts).
let F_S: i32 = 0;
let F_T: i32 = 0;
let F_I: i32 = 0;
let F_H: i32 = 0;
let F_Hp: i32 = 0;
let F_C: i32 = 0;
let F_K: i32 = 0;
let F_x: usize = 0;
let F_labels: usize = 0;
let F_params: usize = 0;
let F_grad: usize = 0;
let F_out: usize = 0;
let F_init: usize = 0;
let F_fin: usize = 0;
let F_isBrf: bool = false;
let F_isAlif: bool = false;
let F_smooth: bool = false;
let F_lastOnly: bool = false;
let F_t0: i32 = 0;
let F_wLoss: f64 = 0;
let F_sgk: i32 = 0;
let F_dt: f32 = 0;
let F_theta: f32 = 0;
let F_gamma: f32 = 0;
let F_aB0: f32 = 0;
let F_aBeta: f32 = 0;
let F_c0: f32 = 0;
let F_c1: f32 = 0;
let F_c2: f32 = 0;
let F_c3: f32 = 0;
let F_dbdt: f64 = 0;
let F_omax: f64 = 0;
// workspace
let F_traj: usize = 0;
let F_blkB: usize = 0;
let F_seg: usize = 0;
let F_uo: usize = 0;
let F_dr: usize = 0;
let F_WT: usize = 0;
let F_gWT: usize = 0;
let F_Wr: usize = 0;
let F_cur: usize = 0;
let F_g1: usize = 0;
let F_g2: usize = 0;
let F_g3: usize = 0;
let F_gZ: usize = 0;
let F_gZn: usize = 0;
let F_nOm: usize = 0;
let F_nB: usize = 0;
let F_nP: usize = 0;
let F_nDp: usize = 0;
let F_mask: usize = 0;
let F_pA: usize = 0;
let F_pB: usize = 0;
let F_gP1: usize = 0;
let F_gP2: usize = 0;
let F_WoP: usize = 0;
let F_gWo: usize = 0;
let F_gO: usize = 0;
let F_sm: usize = 0;
let F_mo: usize = 0;
let F_aOut: usize = 0;
let F_dTo: usize = 0;
let F_gTo: usize = 0;
let F_list: usize = 0;

function bind32(cb: usize): void {
  const consts = <usize>cbi(cb, BRF_CB_CONSTS);
  const kind = cbi(cb, BRF_CB_KIND);
  const S = cbi(cb, BRF_CB_S);
  const T = cbi(cb, BRF_CB_T);
  const I = cbi(cb, BRF_CB_I);
  const H = cbi(cb, BRF_CB_H);
  const C = cbi(cb, BRF_CB_C);
  const Hp = padH(H);
  F_S = S;
  F_T = T;
  F_I = I;
  F_H = H;
  F_Hp = Hp;
  F_C = C;
  F_x = <usize>cbi(cb, BRF_CB_X);
  F_labels = <usize>cbi(cb, BRF_CB_LABELS);
  F_params = <usize>cbi(cb, BRF_CB_PARAMS);
  F_grad = <usize>cbi(cb, BRF_CB_GRAD);
  F_out = <usize>cbi(cb, BRF_CB_OUT);
  F_init = <usize>cbi(cb, BRF_CB_INIT);
  F_fin = <usize>cbi(cb, BRF_CB_FIN);
  F_isBrf = kind == BRF_KIND_BRF;
  F_isAlif = kind == BRF_KIND_ALIF;
  F_dt = <f32>ldd(consts, C_DT);
  F_dbdt = ldd(consts, C_DBDT);
  F_theta = <f32>ldd(consts, C_THETA);
  F_gamma = <f32>ldd(consts, C_GAMMA);
  F_omax = ldd(consts, C_OMAX);
  F_sgk = <i32>ldd(consts, C_SGKIND);
  F_c0 = <f32>ldd(consts, C_SG0);
  F_c1 = <f32>ldd(consts, C_SG1);
  F_c2 = <f32>ldd(consts, C_SG2);
  F_c3 = <f32>ldd(consts, C_SG3);
  F_smooth = ldd(consts, C_SMOOTH) != 0.0;
  F_lastOnly = ldd(consts, C_LOSSMODE) == 0.0;
  F_t0 = F_lastOnly ? T : max(1, <i32>ldd(consts, C_T0));
  F_wLoss = ldd(consts, C_LOSSMEAN) != 0.0 ? 1.0 / <f64>(T - F_t0 + 1) : 1.0;
  F_aBeta = <f32>ldd(consts, C_ABETA);
  F_aB0 = <f32>ldd(consts, C_AB0);
  F_K = <i32>ldd(consts, C_RECOMPUTE);
  const K = F_K;
  let o = <usize>cbi(cb, BRF_CB_WS);
  F_traj = o;
  F_blkB = blk(4 * S * Hp);
  const nCk = K == 0 ? 0 : T / K + 1;
  F_seg = o + <usize>nCk * F_blkB;
  o += <usize>trajBlocks(T, K) * F_blkB;
  F_uo = o;
  o += blk((T + 1) * S * C);
  F_dr = o;
  o += blk((T + 1) * S * C);
  F_WT = o;
  o += blk((I + Hp) * Hp);
  F_gWT = o;
  o += blk((I + Hp) * Hp);
  F_Wr = o;
  o += blk(Hp * Hp);
  F_cur = o;
  o += blk(S * Hp);
  F_g1 = o;
  o += blk(S * Hp);
  F_g2 = o;
  o += blk(S * Hp);
  F_g3 = o;
  o += blk(S * Hp);
  F_gZ = o;
  o += blk(S * Hp);
  F_gZn = o;
  o += blk(S * Hp);
  F_nOm = o;
  o += blk(Hp);
  F_nB = o;
  o += blk(Hp);
  F_nP = o;
  o += blk(Hp);
  F_nDp = o;
  o += blk(Hp);
  F_mask = o;
  o += blk(Hp);
  F_pA = o;
  o += blk(Hp);
  F_pB = o;
  o += blk(Hp);
  F_gP1 = o;
  o += blk(Hp);
  F_gP2 = o;
  o += blk(Hp);
  F_WoP = o;
  o += blk(C * Hp);
  F_gWo = o;
  o += blk(C * Hp);
  F_gO = o;
  o += blk(S * C);
  F_sm = o;
  o += blk(S * C);
  F_mo = o;
  o += blk(S * C);
  F_aOut = o;
  o += blk(C + 4);
  F_dTo = o;
  o += blk(C + 4);
  F_gTo = o;
  o += blk(C + 4);
  F_list = o;
}

/** y[0..n) += a·x[0..n) for n a multiple of 4 (f32x4). */
// @ts-ignore: decorator
@inline
function axpy4(y: usize, x: usize, a: f32, n: i32): void {
  const av = f32x4.splat(a);
  for (let i = 0; i < n; i += 4) {
    const o = (<usize>i) << 2;
    v128.store(y + o, f32x4.add(v128.load(y + o), f32x4.mul(av, v128.load(x + o))));
  }
}

/**
 * Indices j < n with z[j] ≠ 0, in increasing order, into list (i32); returns their count. Skips
 * whole zero vectors (spikes are sparse).
 */
function spikeList(z: usize, n: i32, list: usize): i32 {
  let m = 0;
  for (let j = 0; j < n; j += 4) {
    const v = v128.load(z + ((<usize>j) << 2));
    if (!v128.any_true(f32x4.ne(v, f32x4.splat(0)))) continue;
    for (let l = 0; l < 4; l++) {
      if (ld(z, j + l) != 0) {
        store<i32>(list + ((<usize>m) << 2), j + l);
        m++;
      }
    }
  }
  return m;
}

/**
 * e^x for f32x4 lanes: x = n·ln2 + r with |r| ≤ ln2/2, e^r by its Taylor polynomial to r⁶
 * (relative error < 2e-7), times 2^n built in the exponent bits. Arguments are clamped to
 * [−87, 88] (e^−87 ≈ 1.6e−38, the result underflows to the smallest normals, not to 0).
 */
// @ts-ignore: decorator
@inline
function expv(x0: v128): v128 {
  const x = f32x4.pmax(f32x4.pmin(x0, f32x4.splat(88.0)), f32x4.splat(-87.0));
  const n = f32x4.nearest(f32x4.mul(x, f32x4.splat(1.44269504)));
  const r = f32x4.sub(f32x4.sub(x, f32x4.mul(n, f32x4.splat(0.693359375))), f32x4.mul(n, f32x4.splat(-2.12194440e-4)));
  let p = f32x4.add(f32x4.splat(1.0 / 120.0), f32x4.mul(r, f32x4.splat(1.0 / 720.0)));
  p = f32x4.add(f32x4.splat(1.0 / 24.0), f32x4.mul(r, p));
  p = f32x4.add(f32x4.splat(1.0 / 6.0), f32x4.mul(r, p));
  p = f32x4.add(f32x4.splat(0.5), f32x4.mul(r, p));
  p = f32x4.add(f32x4.splat(1.0), f32x4.mul(r, p));
  p = f32x4.add(f32x4.splat(1.0), f32x4.mul(r, p));
  const e = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(n), i32x4.splat(127)), 23);
  return f32x4.mul(p, e);
}

/** Surrogate derivative σ'(s) on f32x4 lanes (kind 0 double Gaussian, 1 fast sigmoid, 2 triangle). */
// @ts-ignore: decorator
@inline
function surrogateV(kind: i32, s: v128, c0: v128, c1: v128, c2: v128, c3: v128): v128 {
  if (kind == 0) {
    const m = f32x4.neg(f32x4.mul(s, s));
    return f32x4.sub(f32x4.mul(c0, expv(f32x4.mul(m, c1))), f32x4.mul(c2, expv(f32x4.mul(m, c3))));
  } else if (kind == 1) {
    const d = f32x4.add(f32x4.splat(1.0), f32x4.mul(c1, f32x4.abs(s)));
    return f32x4.div(c0, f32x4.mul(d, d));
  }
  const t = f32x4.sub(f32x4.splat(1.0), f32x4.mul(f32x4.abs(s), c1));
  return v128.and(f32x4.mul(c0, t), f32x4.gt(t, f32x4.splat(0)));
}

/** Spike on f32x4 lanes: Heaviside [s > 0] or the smooth stand-in gain·s/(1+β|s|); 0 on padded lanes. */
// @ts-ignore: decorator
@inline
function spikeV(smooth: bool, s: v128, c0: v128, c1: v128, mask: v128): v128 {
  if (smooth) return v128.and(f32x4.div(f32x4.mul(c0, s), f32x4.add(f32x4.splat(1.0), f32x4.mul(c1, f32x4.abs(s)))), mask);
  return v128.and(v128.and(f32x4.gt(s, f32x4.splat(0)), f32x4.splat(1.0)), mask);
}

// @ts-ignore: decorator
@inline
function hsum(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

/**
 * One time step t of sample s (f32): input current into cur[s] and the neuron update from block
 * pv (t−1) into nv (t). Returns Σ z, NaN if a state became non-finite.
 */
function neuronStep32(t: i32, s: i32, pv0: usize, nv0: usize): f64 {
  const S = F_S;
  const Hp = F_Hp;
  const I = F_I;
  const SH = S * Hp;
  const Ip = F_cur + ((<usize>(s * Hp)) << 2);
  memory.fill(Ip, 0, (<usize>Hp) << 2);
  const xp = F_x + ((<usize>((s * F_T + (t - 1)) * I)) << 2);
  for (let k = 0; k < I; k++) axpy4(Ip, F_WT + ((<usize>(k * Hp)) << 2), ld(xp, k), Hp);
  const pv = pv0 + ((<usize>(s * Hp)) << 2);
  const nv = nv0 + ((<usize>(s * Hp)) << 2);
  const zprev = pv + ((<usize>(3 * SH)) << 2);
  const list = F_list;
  const m = spikeList(zprev, Hp, list);
  for (let q = 0; q < m; q++) {
    const j = load<i32>(list + ((<usize>q) << 2));
    axpy4(Ip, F_WT + ((<usize>((I + j) * Hp)) << 2), ld(zprev, j), Hp);
  }
  const nOm = F_nOm;
  const nB = F_nB;
  const nP = F_nP;
  const maskP = F_mask;
  const smooth = F_smooth;
  const c0 = f32x4.splat(F_c0);
  const c1 = f32x4.splat(F_c1);
  const zero = f32x4.splat(0);
  let nsp = zero;
  let bad = zero;
  if (F_isAlif) {
    const aB0 = f32x4.splat(F_aB0);
    const aBeta = f32x4.splat(F_aBeta);
    const one = f32x4.splat(1.0);
    for (let i = 0; i < Hp; i += 4) {
      const al = vl(nOm, i);
      const rh = vl(nB, i);
      const up = vl(pv, i);
      const ap = vl(pv, SH + i);
      const zp = vl(pv, 3 * SH + i);
      const uPrev = f32x4.sub(up, f32x4.mul(zp, f32x4.add(aB0, f32x4.mul(aBeta, ap))));
      const a = f32x4.add(f32x4.mul(rh, ap), f32x4.mul(f32x4.sub(one, rh), zp));
      const th = f32x4.add(aB0, f32x4.mul(aBeta, a));
      const Ii = vl(Ip, i);
      const u1 = f32x4.add(f32x4.mul(al, uPrev), f32x4.mul(f32x4.sub(one, al), Ii));
      const z = spikeV(smooth, f32x4.sub(u1, th), c0, c1, vl(maskP, i));
      vs(nv, i, u1);
      vs(nv, SH + i, a);
      vs(nv, 2 * SH + i, Ii);
      vs(nv, 3 * SH + i, z);
      nsp = f32x4.add(nsp, z);
      bad = f32x4.add(bad, f32x4.mul(u1, zero));
    }
  } else {
    const isBrf = F_isBrf;
    const dt = f32x4.splat(F_dt);
    const theta = f32x4.splat(F_theta);
    const gamma = f32x4.splat(F_gamma);
    for (let i = 0; i < Hp; i += 4) {
      const om = vl(nOm, i);
      const u = vl(pv, i);
      const v = vl(pv, SH + i);
      const q = isBrf ? vl(pv, 2 * SH + i) : zero;
      const b = isBrf ? f32x4.sub(f32x4.sub(vl(nP, i), vl(nB, i)), q) : vl(nB, i);
      const Ii = vl(Ip, i);
      const u1 = f32x4.add(u, f32x4.mul(dt, f32x4.add(f32x4.sub(f32x4.mul(b, u), f32x4.mul(om, v)), Ii)));
      const v1 = f32x4.add(v, f32x4.mul(dt, f32x4.add(f32x4.mul(om, u), f32x4.mul(b, v))));
      const z = spikeV(smooth, f32x4.sub(f32x4.sub(u1, theta), q), c0, c1, vl(maskP, i));
      vs(nv, i, u1);
      vs(nv, SH + i, v1);
      vs(nv, 2 * SH + i, isBrf ? f32x4.add(f32x4.mul(gamma, q), z) : zero);
      vs(nv, 3 * SH + i, z);
      nsp = f32x4.add(nsp, z);
      bad = f32x4.add(bad, f32x4.mul(f32x4.add(u1, v1), zero));
    }
  }
  return <f64>hsum(nsp) + <f64>hsum(bad);
}

/** Setup of an f32 shard call (see brfShardBegin). */
export function brfShard32Begin(cb: usize): i32 {
  bind32(cb);
  const S = F_S;
  const H = F_H;
  const Hp = F_Hp;
  const I = F_I;
  const C = F_C;
  const IH = I + H;
  const isAlif = F_isAlif;
  const isBrf = F_isBrf;
  const omax = F_omax;
  const dbdt = F_dbdt;
  const pW = F_params;
  const pP1 = pW + ((<usize>(H * IH)) << 2);
  const pP2 = pP1 + ((<usize>H) << 2);
  const pWo = pP2 + ((<usize>H) << 2);
  const pTo = pWo + ((<usize>(C * H)) << 2);
  const WT = F_WT;
  const Wr = F_Wr;
  // W into WT [(I+Hp)][Hp] (rows = presynaptic index) and W_rec into Wr [Hp][Hp] (row = postsynaptic
  // neuron, contiguous over presynaptic neurons: the layout of the recurrent-adjoint product);
  // padded rows and columns zero
  memory.fill(WT, 0, blk((I + Hp) * Hp));
  memory.fill(Wr, 0, blk(Hp * Hp));
  for (let i = 0; i < H; i++) {
    for (let k = 0; k < IH; k++) st(WT, k * Hp + i, ld(pW, i * IH + k));
    for (let j = 0; j < H; j++) st(Wr, i * Hp + j, ld(pW, i * IH + I + j));
  }
  memory.fill(F_WoP, 0, blk(C * Hp));
  for (let c = 0; c < C; c++) {
    for (let j = 0; j < H; j++) st(F_WoP, c * Hp + j, ld(pWo, c * H + j));
    const raw = <f64>ld(pTo, c);
    const a = Math.exp(-1.0 / Math.abs(raw));
    st(F_aOut, c, <f32>a);
    const d = a / (raw * raw);
    st(F_dTo, c, <f32>(raw < 0.0 ? -d : d));
  }
  const nOm = F_nOm;
  const nB = F_nB;
  const nP = F_nP;
  const nDp = F_nDp;
  const pA = F_pA;
  const pB = F_pB;
  for (let i = 0; i < Hp; i++) {
    const real = i < H;
    store<i32>(F_mask + ((<usize>i) << 2), real ? -1 : 0);
    const r1 = real ? <f64>ld(pP1, i) : 1.0;
    const r2 = real ? <f64>ld(pP2, i) : 1.0;
    if (isAlif) {
      const al = Math.exp(-1.0 / Math.abs(r1));
      const rh = Math.exp(-1.0 / Math.abs(r2));
      st(nOm, i, <f32>al);
      st(nB, i, <f32>rh);
      const d1 = al / (r1 * r1);
      const d2 = rh / (r2 * r2);
      st(pA, i, real ? <f32>(r1 < 0.0 ? -d1 : d1) : 0);
      st(pB, i, real ? <f32>(r2 < 0.0 ? -d2 : d2) : 0);
      st(nP, i, 0);
      st(nDp, i, 0);
    } else if (isBrf) {
      const om = real ? min(Math.abs(r1), omax) : 0.0;
      st(nOm, i, <f32>om);
      st(nB, i, <f32>Math.abs(r2));
      st(nP, i, <f32>((-1.0 + Math.sqrt(1.0 - dbdt * om * dbdt * om)) / dbdt));
      st(nDp, i, <f32>((-dbdt * om) / Math.sqrt(1.0 - dbdt * om * dbdt * om)));
      const clamped = Math.abs(r1) >= omax;
      st(pA, i, !real || clamped ? 0 : r1 < 0.0 ? -1 : 1);
      st(pB, i, !real ? 0 : r2 < 0.0 ? 1 : -1);
    } else {
      st(nOm, i, real ? <f32>Math.abs(r1) : 0);
      st(nB, i, <f32>-Math.abs(r2));
      st(nP, i, 0);
      st(nDp, i, 0);
      st(pA, i, !real ? 0 : r1 < 0.0 ? -1 : 1);
      st(pB, i, !real ? 0 : r2 < 0.0 ? 1 : -1);
    }
  }
  const traj = F_traj;
  const blkB = F_blkB;
  memory.fill(traj, 0, blkB);
  memory.fill(F_uo, 0, blk(S * C));
  memory.fill(F_dr, 0, blk(S * C));
  memory.fill(F_mo, 0, blk(S * C));
  const init = F_init;
  if (init != 0) {
    const SW = 4 * H + 2 * C;
    for (let s = 0; s < S; s++) {
      const src = init + ((<usize>(s * SW)) << 2);
      for (let k = 0; k < 4; k++) memory.copy(traj + ((<usize>((k * S + s) * Hp)) << 2), src + ((<usize>(k * H)) << 2), (<usize>H) << 2);
      memory.copy(F_uo + ((<usize>(s * C)) << 2), src + ((<usize>(4 * H)) << 2), (<usize>C) << 2);
      if (!F_lastOnly) memory.copy(F_mo + ((<usize>(s * C)) << 2), src + ((<usize>(4 * H + C)) << 2), (<usize>C) << 2);
    }
  }
  if (F_K > 0) memory.copy(F_seg, traj, blkB);
  const out = F_out;
  for (let s = 0; s < S; s++) {
    std(out, s * 4, 0.0);
    std(out, s * 4 + 2, 0.0);
  }
  return 0;
}

/** Forward steps t1+1 … t2 of an f32 shard (see brfShardForward). */
export function brfShard32Forward(cb: usize, t1: i32, t2: i32): i32 {
  bind32(cb);
  const S = F_S;
  const H = F_H;
  const Hp = F_Hp;
  const C = F_C;
  const K = F_K;
  const traj = F_traj;
  const seg = F_seg;
  const blkB = F_blkB;
  const uo = F_uo;
  const dr = F_dr;
  const mo = F_mo;
  const out = F_out;
  const aOut = F_aOut;
  const labels = F_labels;
  const list = F_list;
  const t0 = F_t0;
  const wLoss = F_wLoss;
  const pWo = F_params + ((<usize>(H * (F_I + H) + 2 * H)) << 2);
  const SH = S * Hp;
  for (let t = t1 + 1; t <= t2; t++) {
    const pvB = K == 0 ? traj + <usize>(t - 1) * blkB : seg + <usize>((t - 1) & 1) * blkB;
    const nvB = K == 0 ? traj + <usize>t * blkB : seg + <usize>(t & 1) * blkB;
    for (let s = 0; s < S; s++) {
      const nsp = neuronStep32(t, s, pvB, nvB);
      if (isNaN(nsp)) return fail(STATUS_NONFINITE, s, <f64>t, <f64>t * <f64>F_dt, nsp);
      std(out, s * 4 + 2, ldd(out, s * 4 + 2) + nsp);
      // readout over the spiking neurons, in increasing index order
      const zc = nvB + ((<usize>(3 * SH + s * Hp)) << 2);
      const m = spikeList(zc, Hp, list);
      const uop = uo + ((<usize>(((t - 1) * S + s) * C)) << 2);
      const uon = uo + ((<usize>((t * S + s) * C)) << 2);
      const drn = dr + ((<usize>((t * S + s) * C)) << 2);
      for (let c = 0; c < C; c++) {
        let d: f32 = 0;
        const wr = pWo + ((<usize>(c * H)) << 2);
        for (let q = 0; q < m; q++) {
          const j = load<i32>(list + ((<usize>q) << 2));
          d += ld(zc, j) * ld(wr, j);
        }
        const a = ld(aOut, c);
        st(drn, c, d);
        st(uon, c, a * ld(uop, c) + (<f32>1 - a) * d);
      }
      if (t >= t0) {
        const y = load<i32>(labels + ((<usize>s) << 2));
        let mx: f32 = -Infinity;
        for (let c = 0; c < C; c++) mx = max(mx, ld(uon, c));
        let se: f32 = 0;
        for (let c = 0; c < C; c++) se += Mathf.exp(ld(uon, c) - mx);
        const l = -(ld(uon, y) - mx - Mathf.log(se));
        std(out, s * 4, ldd(out, s * 4) + wLoss * <f64>l);
        const mp = mo + ((<usize>(s * C)) << 2);
        for (let c = 0; c < C; c++) st(mp, c, ld(mp, c) + ld(uon, c));
      }
    }
    if (K > 0 && t % K == 0) memory.copy(traj + <usize>(t / K) * blkB, nvB, blkB);
  }
  return 0;
}

/** After the last forward step of an f32 shard: predictions, finite-loss check, final state. */
export function brfShard32ForwardEnd(cb: usize): i32 {
  bind32(cb);
  const S = F_S;
  const T = F_T;
  const H = F_H;
  const Hp = F_Hp;
  const C = F_C;
  const K = F_K;
  const mo = F_mo;
  const out = F_out;
  for (let s = 0; s < S; s++) {
    const mp = mo + ((<usize>(s * C)) << 2);
    let best = 0;
    for (let c = 1; c < C; c++) if (ld(mp, c) > ld(mp, best)) best = c;
    std(out, s * 4 + 1, <f64>best);
    std(out, s * 4 + 3, best == load<i32>(F_labels + ((<usize>s) << 2)) ? 1.0 : 0.0);
    const l = ldd(out, s * 4);
    if (!isFinite(l)) return fail(STATUS_NONFINITE, s, <f64>T, <f64>T * <f64>F_dt, l);
  }
  const fin = F_fin;
  if (fin != 0) {
    const SW = 4 * H + 2 * C;
    const blkB = F_blkB;
    const last = K == 0 ? F_traj + <usize>T * blkB : F_seg + <usize>(T & 1) * blkB;
    for (let s = 0; s < S; s++) {
      const dst = fin + ((<usize>(s * SW)) << 2);
      for (let k = 0; k < 4; k++) memory.copy(dst + ((<usize>(k * H)) << 2), last + ((<usize>((k * S + s) * Hp)) << 2), (<usize>H) << 2);
      memory.copy(dst + ((<usize>(4 * H)) << 2), F_uo + ((<usize>((T * S + s) * C)) << 2), (<usize>C) << 2);
      memory.copy(dst + ((<usize>(4 * H + C)) << 2), mo + ((<usize>(s * C)) << 2), (<usize>C) << 2);
    }
  }
  return 0;
}

/**
 * gZn[s][j0 … j0+8) = Σ_i cur[s][i]·Wr[i][j0 …] for four samples s0 … s0+3: a 4 × 8 register tile
 * (eight f32x4 accumulators), each W row loaded once for the four samples. Every output is the
 * sum over i = 0, 1, … in order from 0, so the tiling does not change the result.
 */
// @ts-ignore: decorator
@inline
function tile4x8(cur: usize, Wr: usize, gZn: usize, Hp: i32, s0: i32, j0: i32): void {
  const rb = (<usize>Hp) << 2;
  const c0 = cur + <usize>s0 * rb;
  const c1 = c0 + rb;
  const c2 = c1 + rb;
  const c3 = c2 + rb;
  let w = Wr + ((<usize>j0) << 2);
  let a00 = f32x4.splat(0);
  let a01 = f32x4.splat(0);
  let a10 = f32x4.splat(0);
  let a11 = f32x4.splat(0);
  let a20 = f32x4.splat(0);
  let a21 = f32x4.splat(0);
  let a30 = f32x4.splat(0);
  let a31 = f32x4.splat(0);
  for (let i = 0; i < Hp; i++) {
    const w0 = v128.load(w);
    const w1 = v128.load(w, 16);
    const o = (<usize>i) << 2;
    const g0 = v128.load32_splat(c0 + o);
    const g1 = v128.load32_splat(c1 + o);
    const g2 = v128.load32_splat(c2 + o);
    const g3 = v128.load32_splat(c3 + o);
    a00 = f32x4.add(a00, f32x4.mul(g0, w0));
    a01 = f32x4.add(a01, f32x4.mul(g0, w1));
    a10 = f32x4.add(a10, f32x4.mul(g1, w0));
    a11 = f32x4.add(a11, f32x4.mul(g1, w1));
    a20 = f32x4.add(a20, f32x4.mul(g2, w0));
    a21 = f32x4.add(a21, f32x4.mul(g2, w1));
    a30 = f32x4.add(a30, f32x4.mul(g3, w0));
    a31 = f32x4.add(a31, f32x4.mul(g3, w1));
    w += rb;
  }
  const out = gZn + <usize>s0 * rb + ((<usize>j0) << 2);
  v128.store(out, a00);
  v128.store(out, a01, 16);
  v128.store(out + rb, a10);
  v128.store(out + rb, a11, 16);
  v128.store(out + 2 * rb, a20);
  v128.store(out + 2 * rb, a21, 16);
  v128.store(out + 3 * rb, a30);
  v128.store(out + 3 * rb, a31, 16);
}

/** The same product for one sample and four columns (tails of the tiling). */
// @ts-ignore: decorator
@inline
function tile1x4(cur: usize, Wr: usize, gZn: usize, Hp: i32, s: i32, j0: i32): void {
  const rb = (<usize>Hp) << 2;
  const c = cur + <usize>s * rb;
  let w = Wr + ((<usize>j0) << 2);
  let a = f32x4.splat(0);
  for (let i = 0; i < Hp; i++) {
    a = f32x4.add(a, f32x4.mul(v128.load32_splat(c + ((<usize>i) << 2)), v128.load(w)));
    w += rb;
  }
  v128.store(gZn + <usize>s * rb + ((<usize>j0) << 2), a);
}

/** Recurrent adjoint gZn = gI · W_rec for the whole shard. */
function recurrentAdjoint32(): void {
  const S = F_S;
  const Hp = F_Hp;
  const cur = F_cur;
  const Wr = F_Wr;
  const gZn = F_gZn;
  let s = 0;
  for (; s + 3 < S; s += 4) {
    let j = 0;
    for (; j + 7 < Hp; j += 8) tile4x8(cur, Wr, gZn, Hp, s, j);
    for (; j < Hp; j += 4) for (let k = 0; k < 4; k++) tile1x4(cur, Wr, gZn, Hp, s + k, j);
  }
  for (; s < S; s++) for (let j = 0; j < Hp; j += 4) tile1x4(cur, Wr, gZn, Hp, s, j);
}

/** BPTT steps t = t1 … t2+1 of an f32 shard (see brfShardBackward). */
export function brfShard32Backward(cb: usize, t1: i32, t2: i32): i32 {
  bind32(cb);
  const S = F_S;
  const T = F_T;
  const I = F_I;
  const Hp = F_Hp;
  const C = F_C;
  const K = F_K;
  const x = F_x;
  const labels = F_labels;
  const traj = F_traj;
  const seg = F_seg;
  const blkB = F_blkB;
  const uo = F_uo;
  const dr = F_dr;
  const gWT = F_gWT;
  const cur = F_cur;
  const g1 = F_g1;
  const g2 = F_g2;
  const g3 = F_g3;
  const gZ = F_gZ;
  const gZn = F_gZn;
  const nOm = F_nOm;
  const nB = F_nB;
  const nP = F_nP;
  const nDp = F_nDp;
  const pA = F_pA;
  const pB = F_pB;
  const gP1 = F_gP1;
  const gP2 = F_gP2;
  const WoP = F_WoP;
  const gWo = F_gWo;
  const gO = F_gO;
  const sm = F_sm;
  const aOut = F_aOut;
  const dTo = F_dTo;
  const gTo = F_gTo;
  const list = F_list;
  const t0 = F_t0;
  const wLoss = <f32>F_wLoss;
  const sgk = F_sgk;
  const c0 = f32x4.splat(F_c0);
  const c1 = f32x4.splat(F_c1);
  const c2 = f32x4.splat(F_c2);
  const c3 = f32x4.splat(F_c3);
  const dt = f32x4.splat(F_dt);
  const theta = f32x4.splat(F_theta);
  const gamma = f32x4.splat(F_gamma);
  const aBeta = f32x4.splat(F_aBeta);
  const aB0 = f32x4.splat(F_aB0);
  const one = f32x4.splat(1.0);
  const zero = f32x4.splat(0);
  const isBrf = F_isBrf;
  const isAlif = F_isAlif;
  if (t1 == T) {
    memory.fill(gWT, 0, blk((I + Hp) * Hp));
    memory.fill(g1, 0, blk(S * Hp));
    memory.fill(g2, 0, blk(S * Hp));
    memory.fill(g3, 0, blk(S * Hp));
    memory.fill(gZn, 0, blk(S * Hp));
    memory.fill(gO, 0, blk(S * C));
    memory.fill(gP1, 0, blk(Hp));
    memory.fill(gP2, 0, blk(Hp));
    memory.fill(gWo, 0, blk(C * Hp));
    memory.fill(gTo, 0, blk(C + 4));
  }
  const SH = S * Hp;
  for (let t = t1; t > t2; t--) {
    let segStart = 0;
    if (K > 0) {
      segStart = ((t - 1) / K) * K;
      if (t == T || t % K == 0) {
        memory.copy(seg, traj + <usize>(segStart / K) * blkB, blkB);
        for (let tt = segStart + 1; tt <= t; tt++) {
          const a = seg + <usize>(tt - 1 - segStart) * blkB;
          const b = seg + <usize>(tt - segStart) * blkB;
          for (let s = 0; s < S; s++) neuronStep32(tt, s, a, b);
        }
      }
    }
    const nvB = K == 0 ? traj + <usize>t * blkB : seg + <usize>(t - segStart) * blkB;
    const pvB = K == 0 ? traj + <usize>(t - 1) * blkB : seg + <usize>(t - 1 - segStart) * blkB;
    for (let s = 0; s < S; s++) {
      const y = load<i32>(labels + ((<usize>s) << 2));
      const uon = uo + ((<usize>((t * S + s) * C)) << 2);
      const uop = uo + ((<usize>(((t - 1) * S + s) * C)) << 2);
      const drn = dr + ((<usize>((t * S + s) * C)) << 2);
      const go = gO + ((<usize>(s * C)) << 2);
      const smp = sm + ((<usize>(s * C)) << 2);
      if (t >= t0) {
        let mx: f32 = -Infinity;
        for (let c = 0; c < C; c++) mx = max(mx, ld(uon, c));
        let se: f32 = 0;
        for (let c = 0; c < C; c++) {
          const e = Mathf.exp(ld(uon, c) - mx);
          st(smp, c, e);
          se += e;
        }
        for (let c = 0; c < C; c++) {
          const gy = wLoss * (ld(smp, c) / se - (c == y ? <f32>1 : <f32>0));
          st(go, c, ld(aOut, c) * ld(go, c) + gy);
        }
      } else {
        for (let c = 0; c < C; c++) st(go, c, ld(aOut, c) * ld(go, c));
      }
      const nv = nvB + ((<usize>(s * Hp)) << 2);
      const pv = pvB + ((<usize>(s * Hp)) << 2);
      const zc = nv + ((<usize>(3 * SH)) << 2);
      const gz = gZ + ((<usize>(s * Hp)) << 2);
      memory.copy(gz, gZn + ((<usize>(s * Hp)) << 2), (<usize>Hp) << 2);
      const m = spikeList(zc, Hp, list);
      for (let c = 0; c < C; c++) {
        const a = ld(aOut, c);
        const goc = ld(go, c);
        st(gTo, c, ld(gTo, c) + goc * (ld(uop, c) - ld(drn, c)) * ld(dTo, c));
        const gd = (<f32>1 - a) * goc;
        axpy4(gz, WoP + ((<usize>(c * Hp)) << 2), gd, Hp);
        const gwr = gWo + ((<usize>(c * Hp)) << 2);
        for (let q = 0; q < m; q++) {
          const j = load<i32>(list + ((<usize>q) << 2));
          st(gwr, j, ld(gwr, j) + gd * ld(zc, j));
        }
      }
      const gIp = cur + ((<usize>(s * Hp)) << 2);
      const a1 = g1 + ((<usize>(s * Hp)) << 2);
      const a2 = g2 + ((<usize>(s * Hp)) << 2);
      const a3 = g3 + ((<usize>(s * Hp)) << 2);
      if (isAlif) {
        for (let i = 0; i < Hp; i += 4) {
          const al = vl(nOm, i);
          const rh = vl(nB, i);
          const u1 = vl(nv, i);
          const a = vl(nv, SH + i);
          const Ii = vl(nv, 2 * SH + i);
          const z = vl(nv, 3 * SH + i);
          const up = vl(pv, i);
          const ap = vl(pv, SH + i);
          const zp = vl(pv, 3 * SH + i);
          const uPrev = f32x4.sub(up, f32x4.mul(zp, f32x4.add(aB0, f32x4.mul(aBeta, ap))));
          const th = f32x4.add(aB0, f32x4.mul(aBeta, a));
          const gU = vl(a1, i);
          const gzv = f32x4.sub(f32x4.add(vl(gz, i), vl(a3, i)), f32x4.mul(th, gU));
          const gs = f32x4.mul(gzv, surrogateV(sgk, f32x4.sub(u1, th), c0, c1, c2, c3));
          const gup = f32x4.add(gU, gs);
          const gth = f32x4.sub(f32x4.mul(f32x4.neg(z), gU), gs);
          const gA = f32x4.add(vl(a2, i), f32x4.mul(aBeta, gth));
          vs(gIp, i, f32x4.mul(f32x4.sub(one, al), gup));
          vs(a1, i, f32x4.mul(al, gup));
          vs(a2, i, f32x4.mul(rh, gA));
          vs(a3, i, f32x4.mul(f32x4.sub(one, rh), gA));
          vs(gP1, i, f32x4.add(vl(gP1, i), f32x4.mul(f32x4.mul(gup, f32x4.sub(uPrev, Ii)), vl(pA, i))));
          vs(gP2, i, f32x4.add(vl(gP2, i), f32x4.mul(f32x4.mul(gA, f32x4.sub(ap, zp)), vl(pB, i))));
        }
      } else {
        for (let i = 0; i < Hp; i += 4) {
          const om = vl(nOm, i);
          const u = vl(pv, i);
          const v = vl(pv, SH + i);
          const q = isBrf ? vl(pv, 2 * SH + i) : zero;
          const b = isBrf ? f32x4.sub(f32x4.sub(vl(nP, i), vl(nB, i)), q) : vl(nB, i);
          const u1 = vl(nv, i);
          const gQ = isBrf ? vl(a3, i) : zero;
          const gzv = f32x4.add(vl(gz, i), gQ);
          const gs = f32x4.mul(gzv, surrogateV(sgk, f32x4.sub(f32x4.sub(u1, theta), q), c0, c1, c2, c3));
          const gu = f32x4.add(vl(a1, i), gs);
          const gv = vl(a2, i);
          const db = f32x4.add(one, f32x4.mul(dt, b));
          const dw = f32x4.mul(dt, om);
          vs(a1, i, f32x4.add(f32x4.mul(gu, db), f32x4.mul(gv, dw)));
          vs(a2, i, f32x4.sub(f32x4.mul(gv, db), f32x4.mul(gu, dw)));
          const gb = f32x4.mul(dt, f32x4.add(f32x4.mul(gu, u), f32x4.mul(gv, v)));
          vs(gIp, i, f32x4.mul(dt, gu));
          let gom = f32x4.mul(dt, f32x4.add(f32x4.mul(gu, f32x4.neg(v)), f32x4.mul(gv, u)));
          if (isBrf) gom = f32x4.add(gom, f32x4.mul(gb, vl(nDp, i)));
          vs(gP1, i, f32x4.add(vl(gP1, i), f32x4.mul(gom, vl(pA, i))));
          vs(gP2, i, f32x4.add(vl(gP2, i), f32x4.mul(gb, vl(pB, i))));
          if (isBrf) vs(a3, i, f32x4.sub(f32x4.sub(f32x4.mul(gamma, gQ), gs), gb));
        }
      }
    }
    // weight gradients: gWT[k] += x_k gI, gWT[I+j] += z_j^{t−1} gI (sparse in z)
    for (let s = 0; s < S; s++) {
      const gIp = cur + ((<usize>(s * Hp)) << 2);
      const xp = x + ((<usize>((s * T + (t - 1)) * I)) << 2);
      for (let k = 0; k < I; k++) axpy4(gWT + ((<usize>(k * Hp)) << 2), gIp, ld(xp, k), Hp);
      const zprev = pvB + ((<usize>((3 * S + s) * Hp)) << 2);
      const m = spikeList(zprev, Hp, list);
      for (let q = 0; q < m; q++) {
        const j = load<i32>(list + ((<usize>q) << 2));
        axpy4(gWT + ((<usize>((I + j) * Hp)) << 2), gIp, ld(zprev, j), Hp);
      }
    }
    recurrentAdjoint32();
  }
  return 0;
}

/** After the last backward step of an f32 shard: writes the raw-parameter gradient (f32, =). */
export function brfShard32BackwardEnd(cb: usize): i32 {
  bind32(cb);
  const H = F_H;
  const Hp = F_Hp;
  const I = F_I;
  const C = F_C;
  const IH = I + H;
  const gW = F_grad;
  const gWT = F_gWT;
  for (let i = 0; i < H; i++) for (let k = 0; k < IH; k++) st(gW, i * IH + k, ld(gWT, k * Hp + i));
  const gP1 = gW + ((<usize>(H * IH)) << 2);
  const gP2 = gP1 + ((<usize>H) << 2);
  const gWo = gP2 + ((<usize>H) << 2);
  const gTo = gWo + ((<usize>(C * H)) << 2);
  for (let i = 0; i < H; i++) {
    st(gP1, i, ld(F_gP1, i));
    st(gP2, i, ld(F_gP2, i));
  }
  for (let c = 0; c < C; c++) {
    for (let j = 0; j < H; j++) st(gWo, c * H + j, ld(F_gWo, c * Hp + j));
    st(gTo, c, ld(F_gTo, c));
  }
  return 0;
}

/**
 * Bench support: runs the recurrent adjoint gZn = gI · W_rec of a begun f32 shard `reps` times on
 * whatever gI holds (bench/brf.bench.mjs times it to report the rate of the dominant product).
 */
export function brfShard32Adjoint(cb: usize, reps: i32): i32 {
  bind32(cb);
  for (let r = 0; r < reps; r++) recurrentAdjoint32();
  return 0;
}
