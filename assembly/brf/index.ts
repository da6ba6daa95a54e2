// brf kernels: recurrent spiking networks of balanced resonate-and-fire (BRF), vanilla RF and
// ALIF neurons, forward and backward (BPTT) over whole sequences, plus a plain neuron simulator.
// Seed 002 (Higuchi, Bohté, Otte 2024) Eq. 2–9 and Algorithm 1; the ordering inside a step
// follows the BRF reference code (research/brf-srm-fp.md §1.3). Facade: src/brf/.
//
// Memory contract: JS allocates every region. A gradient call processes one *shard* of S samples
// jointly (time-major), storing the whole trajectory: 4 f64 per neuron-step per sample plus the
// output trace (or checkpoints and one recomputed segment). A call may start from a given state
// and return its final state (one chunk of truncated BPTT). Nothing is allocated here.

import { fail, STATUS_DOMAIN, STATUS_NONFINITE } from '../kernel';
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

export { BRF_KIND_ALIF, BRF_KIND_BRF, BRF_KIND_RF } from './layout';
export * from './f32';

export const BRF_KERNEL: i32 = 1;

// @ts-ignore: decorator
@inline
function ld(p: usize, i: i32): f64 {
  return load<f64>(p + ((<usize>i) << 3));
}
// @ts-ignore: decorator
@inline
function st(p: usize, i: i32, v: f64): void {
  store<f64>(p + ((<usize>i) << 3), v);
}

/** Surrogate derivative σ'(s) (kind 0 double Gaussian, 1 fast sigmoid, 2 triangle). */
// @ts-ignore: decorator
@inline
function surrogate(kind: i32, s: f64, c0: f64, c1: f64, c2: f64, c3: f64): f64 {
  if (kind == 0) {
    const s2 = s * s;
    return c0 * Math.exp(-s2 * c1) - c2 * Math.exp(-s2 * c3);
  } else if (kind == 1) {
    const d = 1.0 + c1 * Math.abs(s);
    return c0 / (d * d);
  }
  const t = 1.0 - Math.abs(s) * c1;
  return t > 0.0 ? c0 * t : 0.0;
}

/** Spike: Heaviside (strict >), or the smooth stand-in S(s) = gain·s/(1+β|s|) whose S' is the fast sigmoid. */
// @ts-ignore: decorator
@inline
function spike(smooth: bool, s: f64, c0: f64, c1: f64): f64 {
  if (smooth) return (c0 * s) / (1.0 + c1 * Math.abs(s));
  return s > 0.0 ? 1.0 : 0.0;
}

/** Divergence boundary p(ω) = (−1 + √(1 − (δω)²))/δ (seed Eq. 8). */
// @ts-ignore: decorator
@inline
function boundary(omega: f64, d: f64): f64 {
  return (-1.0 + Math.sqrt(1.0 - d * omega * d * omega)) / d;
}

/** Parameter-vector layout: W [H×(I+H)], p1 [H], p2 [H], Wout [C×H], tauOut [C]. */
export function brfParamCount(I: i32, H: i32, C: i32): i32 {
  return H * (I + H) + 2 * H + C * H + C;
}

// Trajectory storage in blocks of 4·S·H f64 (one time step of the shard). K = 0 stores every
// step (T+1 blocks); K > 0 stores the state every K steps plus one segment of K+1 blocks that is
// recomputed from its checkpoint during the backward pass.
// @ts-ignore: decorator
@inline
function trajBlocks(T: i32, K: i32): i32 {
  return K == 0 ? T + 1 : T / K + 1 + K + 1;
}

/** Bytes of workspace a shard call needs (K: recompute interval, 0 = store every step). */
export function brfWorkspaceBytes(S: i32, T: i32, I: i32, H: i32, C: i32, K: i32): f64 {
  const n =
    <f64>trajBlocks(T, K) * <f64>(4 * S * H) + // trajectory (or checkpoints + one segment)
    <f64>((T + 1) * S * C) * 2.0 + // output state and its drive
    <f64>((I + H) * H) * 2.0 + // WT and gWT
    <f64>(S * H) * 6.0 + // I / gI, three carried adjoints, gZ, gZnext
    <f64>(H * 4) + // per-neuron constants
    <f64>(S * C) * 2.0 + // gO, scratch
    <f64>(S * C) + // mean output for prediction
    <f64>(C + 16) + // α_out (C + 8 slots)
    <f64>(H / 2 + 8); // spike index list (H i32)
  return n * 8.0;
}

// @ts-ignore: decorator
@inline
function cbi(cb: usize, k: i32): i32 {
  return load<i32>(cb + ((<usize>k) << 2));
}

// Per-shard values shared by the phases and neuronStep, re-read from the call block and the
// constant block at the start of every phase call (several shards may be in flight in one
// instance, interleaved at phase boundaries; everything else lives in the shard's workspace).
let G_x: usize = 0;
let G_T: i32 = 0;
let G_I: i32 = 0;
let G_S: i32 = 0;
let G_H: i32 = 0;
let G_C: i32 = 0;
let G_cur: usize = 0;
let G_WT: usize = 0;
let G_nOm: usize = 0;
let G_nB: usize = 0;
let G_nP: usize = 0;
let G_aB0: f64 = 0;
let G_aBeta: f64 = 0;
let G_dt: f64 = 0;
let G_theta: f64 = 0;
let G_gamma: f64 = 0;
let G_smooth: bool = false;
let G_c0: f64 = 0;
let G_c1: f64 = 0;
let G_isAlif: bool = false;
let G_isBrf: bool = false;
// the rest of the per-call state
let G_kind: i32 = 0;
let G_labels: usize = 0;
let G_params: usize = 0;
let G_grad: usize = 0;
let G_out: usize = 0;
let G_init: usize = 0;
let G_fin: usize = 0;
let G_dbdt: f64 = 0;
let G_omax: f64 = 0;
let G_sgk: i32 = 0;
let G_c2: f64 = 0;
let G_c3: f64 = 0;
let G_lastOnly: bool = false;
let G_t0: i32 = 0;
let G_wLoss: f64 = 0;
let G_K: i32 = 0;
// workspace layout
let G_traj: usize = 0;
let G_blkB: usize = 0;
let G_seg: usize = 0;
let G_uo: usize = 0;
let G_dr: usize = 0;
let G_gWT: usize = 0;
let G_g1: usize = 0;
let G_g2: usize = 0;
let G_g3: usize = 0;
let G_gZ: usize = 0;
let G_gZn: usize = 0;
let G_nDp: usize = 0;
let G_gO: usize = 0;
let G_sm: usize = 0;
let G_mo: usize = 0;
let G_aOut: usize = 0;
let G_list: usize = 0;

/** Reads the call block and the constant block and lays out the workspace (f64 kernel). */
function bind(cb: usize): void {
  const consts = <usize>cbi(cb, BRF_CB_CONSTS);
  const kind = cbi(cb, BRF_CB_KIND);
  const S = cbi(cb, BRF_CB_S);
  const T = cbi(cb, BRF_CB_T);
  const I = cbi(cb, BRF_CB_I);
  const H = cbi(cb, BRF_CB_H);
  const C = cbi(cb, BRF_CB_C);
  const IH = I + H;
  G_kind = kind;
  G_S = S;
  G_T = T;
  G_I = I;
  G_H = H;
  G_C = C;
  G_x = <usize>cbi(cb, BRF_CB_X);
  G_labels = <usize>cbi(cb, BRF_CB_LABELS);
  G_params = <usize>cbi(cb, BRF_CB_PARAMS);
  G_grad = <usize>cbi(cb, BRF_CB_GRAD);
  G_out = <usize>cbi(cb, BRF_CB_OUT);
  G_init = <usize>cbi(cb, BRF_CB_INIT);
  G_fin = <usize>cbi(cb, BRF_CB_FIN);
  G_dt = ld(consts, C_DT);
  G_dbdt = ld(consts, C_DBDT);
  G_theta = ld(consts, C_THETA);
  G_gamma = ld(consts, C_GAMMA);
  G_omax = ld(consts, C_OMAX);
  G_sgk = <i32>ld(consts, C_SGKIND);
  G_c0 = ld(consts, C_SG0);
  G_c1 = ld(consts, C_SG1);
  G_c2 = ld(consts, C_SG2);
  G_c3 = ld(consts, C_SG3);
  G_smooth = ld(consts, C_SMOOTH) != 0.0;
  G_lastOnly = ld(consts, C_LOSSMODE) == 0.0;
  G_t0 = G_lastOnly ? T : max(1, <i32>ld(consts, C_T0));
  const nLoss = T - G_t0 + 1;
  G_wLoss = ld(consts, C_LOSSMEAN) != 0.0 ? 1.0 / <f64>nLoss : 1.0;
  G_aBeta = ld(consts, C_ABETA);
  G_aB0 = ld(consts, C_AB0);
  G_isBrf = kind == BRF_KIND_BRF;
  G_isAlif = kind == BRF_KIND_ALIF;
  G_K = <i32>ld(consts, C_RECOMPUTE);
  const K = G_K;
  const ws = <usize>cbi(cb, BRF_CB_WS);
  // workspace: trajectory blocks (K > 0: checkpoints at t = 0, K, 2K, … then one segment)
  G_traj = ws;
  G_blkB = (<usize>(4 * S * H)) << 3;
  const nCk = K == 0 ? 0 : T / K + 1;
  G_seg = ws + <usize>nCk * G_blkB;
  let o: usize = ws + <usize>trajBlocks(T, K) * G_blkB;
  G_uo = o; // [(T+1)][S][C]
  o += (<usize>((T + 1) * S * C)) << 3;
  G_dr = o; // drive W_out z^t, [(T+1)][S][C]
  o += (<usize>((T + 1) * S * C)) << 3;
  G_WT = o; // [(I+H)][H]
  o += (<usize>(IH * H)) << 3;
  G_gWT = o;
  o += (<usize>(IH * H)) << 3;
  G_cur = o; // input current / gI [S][H]
  o += (<usize>(S * H)) << 3;
  G_g1 = o;
  o += (<usize>(S * H)) << 3;
  G_g2 = o;
  o += (<usize>(S * H)) << 3;
  G_g3 = o;
  o += (<usize>(S * H)) << 3;
  G_gZ = o;
  o += (<usize>(S * H)) << 3;
  G_gZn = o;
  o += (<usize>(S * H)) << 3;
  G_nOm = o; // ω (BRF/RF) or α (ALIF)
  o += (<usize>H) << 3;
  G_nB = o; // b' (BRF), b (RF) or ρ (ALIF)
  o += (<usize>H) << 3;
  G_nP = o; // p(ω) (BRF)
  o += (<usize>H) << 3;
  G_nDp = o; // p'(ω) (BRF)
  o += (<usize>H) << 3;
  G_gO = o;
  o += (<usize>(S * C)) << 3;
  G_sm = o;
  o += (<usize>(S * C)) << 3;
  G_mo = o;
  o += (<usize>(S * C)) << 3;
  G_aOut = o; // α_out per output
  o += (<usize>(C + 8)) << 3;
  G_list = o; // spike index list, i32 [H]
}

/** Indices j < n with z[j] ≠ 0, in increasing order, into list (i32); returns their count. */
// @ts-ignore: decorator
@inline
function spikeList64(z: usize, n: i32, list: usize): i32 {
  let m = 0;
  for (let j = 0; j < n; j++) {
    if (ld(z, j) != 0.0) {
      store<i32>(list + ((<usize>m) << 2), j);
      m++;
    }
  }
  return m;
}

/**
 * One time step t of sample s: input current I = W_in x^t + W_rec z^{t−1} (into cur[s]) and the
 * neuron update from block pv (t−1) into block nv (t). Returns the number of spikes (Σ z).
 */
function neuronStep(t: i32, s: i32, pv0: usize, nv0: usize): f64 {
  const S = G_S;
  const H = G_H;
  const I = G_I;
  const SH = S * H;
  const Ip = G_cur + ((<usize>(s * H)) << 3);
  memory.fill(Ip, 0, (<usize>H) << 3);
  const xp = G_x + ((<usize>((s * G_T + (t - 1)) * I)) << 3);
  for (let k = 0; k < I; k++) axpy(Ip, G_WT + ((<usize>(k * H)) << 3), ld(xp, k), H);
  const pv = pv0 + ((<usize>(s * H)) << 3);
  const nv = nv0 + ((<usize>(s * H)) << 3);
  const zprev = pv + ((<usize>(3 * SH)) << 3);
  for (let j = 0; j < H; j++) {
    const zj = ld(zprev, j);
    if (zj != 0.0) axpy(Ip, G_WT + ((<usize>((I + j) * H)) << 3), zj, H);
  }
  const nOm = G_nOm;
  const nB = G_nB;
  const nP = G_nP;
  const smooth = G_smooth;
  const c0 = G_c0;
  const c1 = G_c1;
  let nsp = 0.0;
  // x·0 is 0 for finite x and NaN otherwise: one multiply-add per neuron flags a non-finite state
  let bad = 0.0;
  if (G_isAlif) {
    const aB0 = G_aB0;
    const aBeta = G_aBeta;
    for (let i = 0; i < H; i++) {
      const al = ld(nOm, i);
      const rh = ld(nB, i);
      const up = ld(pv, i);
      const ap = ld(pv, SH + i);
      const zp = ld(pv, 3 * SH + i);
      const uPrev = up - zp * (aB0 + aBeta * ap);
      const a = rh * ap + (1.0 - rh) * zp;
      const th = aB0 + aBeta * a;
      const Ii = ld(Ip, i);
      const u1 = al * uPrev + (1.0 - al) * Ii;
      const z = spike(smooth, u1 - th, c0, c1);
      st(nv, i, u1);
      st(nv, SH + i, a);
      st(nv, 2 * SH + i, Ii);
      st(nv, 3 * SH + i, z);
      nsp += z;
      bad += u1 * 0.0;
    }
  } else {
    const isBrf = G_isBrf;
    const dt = G_dt;
    const theta = G_theta;
    const gamma = G_gamma;
    for (let i = 0; i < H; i++) {
      const om = ld(nOm, i);
      const u = ld(pv, i);
      const v = ld(pv, SH + i);
      const q = isBrf ? ld(pv, 2 * SH + i) : 0.0;
      const b = isBrf ? ld(nP, i) - ld(nB, i) - q : ld(nB, i);
      const Ii = ld(Ip, i);
      const u1 = u + dt * (b * u - om * v + Ii);
      const v1 = v + dt * (om * u + b * v);
      const z = spike(smooth, u1 - theta - q, c0, c1);
      st(nv, i, u1);
      st(nv, SH + i, v1);
      st(nv, 2 * SH + i, isBrf ? gamma * q + z : 0.0);
      st(nv, 3 * SH + i, z);
      nsp += z;
      bad += (u1 + v1) * 0.0;
    }
  }
  return nsp + bad;
}

// A shard of S samples through a one-layer recurrent network of `kind` neurons with a
// leaky-integrator readout runs as a sequence of phase calls on one call block (BRF_CB_*):
//   brfShardBegin → brfShardForward(0, t1) → brfShardForward(t1, t2) … up to T → brfShardForwardEnd
//   [→ brfShardBackward(T, t3) → brfShardBackward(t3, t4) … down to 0 → brfShardBackwardEnd]
// so that the caller can yield between slices of steps (cancellation, progress). The arithmetic
// does not depend on how the steps are sliced. A non-finite neuron state (e.g. a vanilla RF
// neuron above the divergence boundary) returns STATUS_NONFINITE with index = sample, step = t.
//
// x: f64 [S][T][I]; labels: i32 [S]; params: f64 (layout above); grad: f64 accumulated (+=,
// summed over samples, raw-parameter gradients); consts: f64 block (see src/brf/model.ts);
// out: f64 [S][4] = loss, predicted class, spike count, correct (0/1).
//
// Truncated BPTT (one chunk of a longer sequence): `init` (0 = zero state) points to the state
// the chunk starts from and `fin` (0 = not wanted) receives the state it ends in, both f64
// [S][4H + 2C] per sample: the four neuron slots of the trajectory block (BRF/RF: u, v, q, z;
// ALIF: u′, a, I, z — I is not read), u_out, and the running sum of u_out over the loss steps
// (the `'sequence'` prediction accumulator; not carried in label-last mode, where the prediction
// is argmax u_out at the chunk's last step). The initial state is a constant: gradients are with
// respect to the parameters within the chunk only (the adjoints of the initial state are dropped).

/** Setup of a shard call: transposed weights, per-neuron constants, initial state, zero outputs. */
export function brfShardBegin(cb: usize): i32 {
  bind(cb);
  const S = G_S;
  const H = G_H;
  const I = G_I;
  const C = G_C;
  const IH = I + H;
  const isAlif = G_isAlif;
  const isBrf = G_isBrf;
  const omax = G_omax;
  const dbdt = G_dbdt;
  const pW = G_params;
  const pP1 = pW + ((<usize>(H * IH)) << 3);
  const pP2 = pP1 + ((<usize>H) << 3);
  const pTo = pP2 + ((<usize>H) << 3) + ((<usize>(C * H)) << 3);
  const WT = G_WT;
  const nOm = G_nOm;
  const nB = G_nB;
  const nP = G_nP;
  const nDp = G_nDp;
  const aOut = G_aOut;
  const traj = G_traj;
  const blkB = G_blkB;
  const uo = G_uo;
  const mo = G_mo;
  const out = G_out;
  // transpose W into WT (rows = presynaptic index) so sparse spikes add contiguous rows
  for (let i = 0; i < H; i++) for (let k = 0; k < IH; k++) st(WT, k * H + i, ld(pW, i * IH + k));
  for (let c = 0; c < C; c++) st(aOut, c, Math.exp(-1.0 / Math.abs(ld(pTo, c))));
  for (let i = 0; i < H; i++) {
    const r1 = ld(pP1, i);
    const r2 = ld(pP2, i);
    if (isAlif) {
      st(nOm, i, Math.exp(-1.0 / Math.abs(r1)));
      st(nB, i, Math.exp(-1.0 / Math.abs(r2)));
    } else if (isBrf) {
      const om = min(Math.abs(r1), omax);
      st(nOm, i, om);
      st(nB, i, Math.abs(r2));
      st(nP, i, boundary(om, dbdt));
      st(nDp, i, (-dbdt * om) / Math.sqrt(1.0 - dbdt * om * dbdt * om));
    } else {
      st(nOm, i, Math.abs(r1));
      st(nB, i, -Math.abs(r2));
    }
  }
  // initial state (t = 0): zero, or the given state (TBPTT chunk); zero outputs
  const SW = 4 * H + 2 * C; // f64 per sample of an init / fin state
  memory.fill(traj, 0, blkB);
  memory.fill(uo, 0, (<usize>(S * C)) << 3);
  memory.fill(G_dr, 0, (<usize>(S * C)) << 3);
  memory.fill(mo, 0, (<usize>(S * C)) << 3);
  const init = G_init;
  if (init != 0) {
    for (let s = 0; s < S; s++) {
      const src = init + ((<usize>(s * SW)) << 3);
      for (let k = 0; k < 4; k++)
        memory.copy(traj + ((<usize>((k * S + s) * H)) << 3), src + ((<usize>(k * H)) << 3), (<usize>H) << 3);
      memory.copy(uo + ((<usize>(s * C)) << 3), src + ((<usize>(4 * H)) << 3), (<usize>C) << 3);
      if (!G_lastOnly) memory.copy(mo + ((<usize>(s * C)) << 3), src + ((<usize>(4 * H + C)) << 3), (<usize>C) << 3);
    }
  }
  if (G_K > 0) memory.copy(G_seg, traj, blkB);
  for (let s = 0; s < S; s++) {
    st(out, s * 4, 0.0);
    st(out, s * 4 + 2, 0.0);
  }
  return 0;
}

/** Forward steps t1+1 … t2 (0 ≤ t1 < t2 ≤ T) of a shard begun with brfShardBegin. */
export function brfShardForward(cb: usize, t1: i32, t2: i32): i32 {
  bind(cb);
  const S = G_S;
  const H = G_H;
  const C = G_C;
  const K = G_K;
  const traj = G_traj;
  const seg = G_seg;
  const blkB = G_blkB;
  const uo = G_uo;
  const dr = G_dr;
  const mo = G_mo;
  const out = G_out;
  const aOut = G_aOut;
  const labels = G_labels;
  const list = G_list;
  const t0 = G_t0;
  const wLoss = G_wLoss;
  const dt = G_dt;
  const pWo = G_params + ((<usize>(H * (G_I + H) + 2 * H)) << 3);
  const SH = S * H;
  for (let t = t1 + 1; t <= t2; t++) {
    // K > 0: two segment blocks used as a ring; every K-th state is copied to its checkpoint
    const pvB = K == 0 ? traj + <usize>(t - 1) * blkB : seg + <usize>((t - 1) & 1) * blkB;
    const nvB = K == 0 ? traj + <usize>t * blkB : seg + <usize>(t & 1) * blkB;
    for (let s = 0; s < S; s++) {
      const nsp = neuronStep(t, s, pvB, nvB);
      if (isNaN(nsp)) return fail(STATUS_NONFINITE, s, <f64>t, <f64>t * dt, nsp);
      const nv = nvB + ((<usize>(s * H)) << 3);
      st(out, s * 4 + 2, ld(out, s * 4 + 2) + nsp);
      // readout: u_out^t = α u_out^{t−1} + (1−α) W_out z^t
      const zc = nv + ((<usize>(3 * SH)) << 3);
      const uop = uo + ((<usize>(((t - 1) * S + s) * C)) << 3);
      const uon = uo + ((<usize>((t * S + s) * C)) << 3);
      const drn = dr + ((<usize>((t * S + s) * C)) << 3);
      // the spiking neurons once, then each output sums over them in increasing index order
      const m = spikeList64(zc, H, list);
      for (let c = 0; c < C; c++) {
        let d = 0.0;
        const wr = pWo + ((<usize>(c * H)) << 3);
        for (let q = 0; q < m; q++) {
          const j = load<i32>(list + ((<usize>q) << 2));
          d += ld(zc, j) * ld(wr, j);
        }
        const a = ld(aOut, c);
        st(drn, c, d);
        st(uon, c, a * ld(uop, c) + (1.0 - a) * d);
      }
      if (t >= t0) {
        // cross-entropy of softmax(u_out^t) against the label
        const y = load<i32>(labels + ((<usize>s) << 2));
        let mx = -Infinity;
        for (let c = 0; c < C; c++) mx = max(mx, ld(uon, c));
        let se = 0.0;
        for (let c = 0; c < C; c++) se += Math.exp(ld(uon, c) - mx);
        const l = -(ld(uon, y) - mx - Math.log(se));
        st(out, s * 4, ld(out, s * 4) + wLoss * l);
        const mp = mo + ((<usize>(s * C)) << 3);
        for (let c = 0; c < C; c++) st(mp, c, ld(mp, c) + ld(uon, c));
      }
    }
    if (K > 0 && t % K == 0) memory.copy(traj + <usize>(t / K) * blkB, nvB, blkB);
  }
  return 0;
}

/** After the last forward step: predictions, the finite-loss check and the final state. */
export function brfShardForwardEnd(cb: usize): i32 {
  bind(cb);
  const S = G_S;
  const T = G_T;
  const H = G_H;
  const C = G_C;
  const K = G_K;
  const mo = G_mo;
  const out = G_out;
  const labels = G_labels;
  for (let s = 0; s < S; s++) {
    const mp = mo + ((<usize>(s * C)) << 3);
    let best = 0;
    for (let c = 1; c < C; c++) if (ld(mp, c) > ld(mp, best)) best = c;
    st(out, s * 4 + 1, <f64>best);
    st(out, s * 4 + 3, best == load<i32>(labels + ((<usize>s) << 2)) ? 1.0 : 0.0);
    const l = ld(out, s * 4);
    if (!isFinite(l)) return fail(STATUS_NONFINITE, s, <f64>T, <f64>T * G_dt, l);
  }
  const fin = G_fin;
  if (fin != 0) {
    // state at t = T (before the backward pass reuses the segment blocks)
    const SW = 4 * H + 2 * C;
    const blkB = G_blkB;
    const last = K == 0 ? G_traj + <usize>T * blkB : G_seg + <usize>(T & 1) * blkB;
    for (let s = 0; s < S; s++) {
      const dst = fin + ((<usize>(s * SW)) << 3);
      for (let k = 0; k < 4; k++)
        memory.copy(dst + ((<usize>(k * H)) << 3), last + ((<usize>((k * S + s) * H)) << 3), (<usize>H) << 3);
      memory.copy(dst + ((<usize>(4 * H)) << 3), G_uo + ((<usize>((T * S + s) * C)) << 3), (<usize>C) << 3);
      memory.copy(dst + ((<usize>(4 * H + C)) << 3), G_mo + ((<usize>(s * C)) << 3), (<usize>C) << 3);
    }
  }
  return 0;
}

/** BPTT steps t = t1 … t2+1 (T ≥ t1 > t2 ≥ 0), after brfShardForwardEnd; t1 = T starts it. */
export function brfShardBackward(cb: usize, t1: i32, t2: i32): i32 {
  bind(cb);
  const S = G_S;
  const T = G_T;
  const I = G_I;
  const H = G_H;
  const C = G_C;
  const K = G_K;
  const IH = I + H;
  const x = G_x;
  const labels = G_labels;
  const traj = G_traj;
  const seg = G_seg;
  const blkB = G_blkB;
  const uo = G_uo;
  const dr = G_dr;
  const WT = G_WT;
  const gWT = G_gWT;
  const cur = G_cur;
  const g1 = G_g1;
  const g2 = G_g2;
  const g3 = G_g3;
  const gZ = G_gZ;
  const gZn = G_gZn;
  const nOm = G_nOm;
  const nB = G_nB;
  const nP = G_nP;
  const nDp = G_nDp;
  const gO = G_gO;
  const sm = G_sm;
  const aOut = G_aOut;
  const list = G_list;
  const t0 = G_t0;
  const wLoss = G_wLoss;
  const sgk = G_sgk;
  const c0 = G_c0;
  const c1 = G_c1;
  const c2 = G_c2;
  const c3 = G_c3;
  const dt = G_dt;
  const theta = G_theta;
  const gamma = G_gamma;
  const omax = G_omax;
  const aBeta = G_aBeta;
  const aB0 = G_aB0;
  const isBrf = G_isBrf;
  const isAlif = G_isAlif;
  const params = G_params;
  const grad = G_grad;
  const pP1 = params + ((<usize>(H * IH)) << 3);
  const pP2 = pP1 + ((<usize>H) << 3);
  const pWo = pP2 + ((<usize>H) << 3);
  const pTo = pWo + ((<usize>(C * H)) << 3);
  const gP1 = grad + ((<usize>(H * IH)) << 3);
  const gP2 = gP1 + ((<usize>H) << 3);
  const gWo = gP2 + ((<usize>H) << 3);
  const gTo = gWo + ((<usize>(C * H)) << 3);
  if (t1 == T) {
    memory.fill(gWT, 0, (<usize>(IH * H)) << 3);
    memory.fill(g1, 0, (<usize>(S * H)) << 3);
    memory.fill(g2, 0, (<usize>(S * H)) << 3);
    memory.fill(g3, 0, (<usize>(S * H)) << 3);
    memory.fill(gZn, 0, (<usize>(S * H)) << 3);
    memory.fill(gO, 0, (<usize>(S * C)) << 3);
  }
  const SH = S * H;
  for (let t = t1; t > t2; t--) {
    let segStart = 0;
    if (K > 0) {
      segStart = ((t - 1) / K) * K;
      if (t == T || t % K == 0) {
        // entering a segment from the top: recompute its states from the checkpoint at segStart
        memory.copy(seg, traj + <usize>(segStart / K) * blkB, blkB);
        for (let tt = segStart + 1; tt <= t; tt++) {
          const a = seg + <usize>(tt - 1 - segStart) * blkB;
          const b = seg + <usize>(tt - segStart) * blkB;
          for (let s = 0; s < S; s++) neuronStep(tt, s, a, b);
        }
      }
    }
    const nvB = K == 0 ? traj + <usize>t * blkB : seg + <usize>(t - segStart) * blkB;
    const pvB = K == 0 ? traj + <usize>(t - 1) * blkB : seg + <usize>(t - 1 - segStart) * blkB;
    for (let s = 0; s < S; s++) {
      const y = load<i32>(labels + ((<usize>s) << 2));
      const uon = uo + ((<usize>((t * S + s) * C)) << 3);
      const uop = uo + ((<usize>(((t - 1) * S + s) * C)) << 3);
      const drn = dr + ((<usize>((t * S + s) * C)) << 3);
      const go = gO + ((<usize>(s * C)) << 3);
      const smp = sm + ((<usize>(s * C)) << 3);
      // output adjoint: gO^t = α gO^{t+1} + ∂L/∂u_out^t
      if (t >= t0) {
        let mx = -Infinity;
        for (let c = 0; c < C; c++) mx = max(mx, ld(uon, c));
        let se = 0.0;
        for (let c = 0; c < C; c++) {
          const e = Math.exp(ld(uon, c) - mx);
          st(smp, c, e);
          se += e;
        }
        for (let c = 0; c < C; c++) {
          const gy = wLoss * (ld(smp, c) / se - (c == y ? 1.0 : 0.0));
          st(go, c, ld(aOut, c) * ld(go, c) + gy);
        }
      } else {
        for (let c = 0; c < C; c++) st(go, c, ld(aOut, c) * ld(go, c));
      }
      const nv = nvB + ((<usize>(s * H)) << 3);
      const pv = pvB + ((<usize>(s * H)) << 3);
      const zc = nv + ((<usize>(3 * SH)) << 3);
      const gz = gZ + ((<usize>(s * H)) << 3);
      const gzn = gZn + ((<usize>(s * H)) << 3);
      // gz = recurrent adjoint from step t+1 (gZn) + readout adjoint
      for (let j = 0; j < H; j++) st(gz, j, ld(gzn, j));
      const m = spikeList64(zc, H, list);
      for (let c = 0; c < C; c++) {
        const a = ld(aOut, c);
        const goc = ld(go, c);
        // α_out = exp(−1/|τ|): ∂u_out^t/∂α = u_out^{t−1} − drive^t
        st(gTo, c, ld(gTo, c) + goc * (ld(uop, c) - ld(drn, c)) * dAlphaDTau(a, ld(pTo, c)));
        const gd = (1.0 - a) * goc;
        const wr = pWo + ((<usize>(c * H)) << 3);
        const gwr = gWo + ((<usize>(c * H)) << 3);
        axpy(gz, wr, gd, H);
        for (let q = 0; q < m; q++) {
          const j = load<i32>(list + ((<usize>q) << 2));
          st(gwr, j, ld(gwr, j) + gd * ld(zc, j));
        }
      }
      const gIp = cur + ((<usize>(s * H)) << 3);
      const a1 = g1 + ((<usize>(s * H)) << 3);
      const a2 = g2 + ((<usize>(s * H)) << 3);
      const a3 = g3 + ((<usize>(s * H)) << 3);
      if (isAlif) {
        for (let i = 0; i < H; i++) {
          const al = ld(nOm, i);
          const rh = ld(nB, i);
          const u1 = ld(nv, i);
          const a = ld(nv, SH + i);
          const Ii = ld(nv, 2 * SH + i);
          const z = ld(nv, 3 * SH + i);
          const up = ld(pv, i);
          const ap = ld(pv, SH + i);
          const zp = ld(pv, 3 * SH + i);
          const uPrev = up - zp * (aB0 + aBeta * ap);
          const th = aB0 + aBeta * a;
          const gU = ld(a1, i);
          const gzv = ld(gz, i) + ld(a3, i) - th * gU;
          let gth = -z * gU;
          const gs = gzv * surrogate(sgk, u1 - th, c0, c1, c2, c3);
          const gup = gU + gs;
          gth -= gs;
          const gA = ld(a2, i) + aBeta * gth;
          st(gIp, i, (1.0 - al) * gup);
          st(a1, i, al * gup);
          st(a2, i, rh * gA);
          st(a3, i, (1.0 - rh) * gA);
          st(gP1, i, ld(gP1, i) + gup * (uPrev - Ii) * dAlphaDTau(al, ld(pP1, i)));
          st(gP2, i, ld(gP2, i) + gA * (ap - zp) * dAlphaDTau(rh, ld(pP2, i)));
        }
      } else {
        for (let i = 0; i < H; i++) {
          const om = ld(nOm, i);
          const u = ld(pv, i);
          const v = ld(pv, SH + i);
          const q = isBrf ? ld(pv, 2 * SH + i) : 0.0;
          const b = isBrf ? ld(nP, i) - ld(nB, i) - q : ld(nB, i);
          const u1 = ld(nv, i);
          const gQ = isBrf ? ld(a3, i) : 0.0;
          // z^t feeds the readout, the recurrence and (BRF) q^t = γ q^{t−1} + z^t
          const gzv = ld(gz, i) + gQ;
          const gs = gzv * surrogate(sgk, u1 - theta - q, c0, c1, c2, c3);
          const gu = ld(a1, i) + gs;
          const gv = ld(a2, i);
          const db = 1.0 + dt * b;
          const dw = dt * om;
          st(a1, i, gu * db + gv * dw);
          st(a2, i, gv * db - gu * dw);
          const gb = dt * (gu * u + gv * v);
          st(gIp, i, dt * gu);
          const gom = dt * (gu * -v + gv * u) + (isBrf ? gb * ld(nDp, i) : 0.0);
          const r1 = ld(pP1, i);
          const r2 = ld(pP2, i);
          const clamped = isBrf && Math.abs(r1) >= omax;
          st(gP1, i, ld(gP1, i) + (clamped ? 0.0 : r1 < 0.0 ? -gom : gom));
          // b = p(ω) − |b'| − q (BRF) or b = −|b'| (RF): ∂b/∂|b'| = −1
          st(gP2, i, ld(gP2, i) + (r2 < 0.0 ? gb : -gb));
          if (isBrf) st(a3, i, gamma * gQ - gs - gb);
        }
      }
    }
    // weight gradients: gWT[k] += x_k gI, gWT[I+j] += z_j^{t−1} gI (sparse in z)
    for (let s = 0; s < S; s++) {
      const gIp = cur + ((<usize>(s * H)) << 3);
      const xp = x + ((<usize>((s * T + (t - 1)) * I)) << 3);
      for (let k = 0; k < I; k++) axpy(gWT + ((<usize>(k * H)) << 3), gIp, ld(xp, k), H);
      const zprev = pvB + ((<usize>((3 * S + s) * H)) << 3);
      for (let j = 0; j < H; j++) {
        const zj = ld(zprev, j);
        if (zj != 0.0) axpy(gWT + ((<usize>((I + j) * H)) << 3), gIp, zj, H);
      }
    }
    // recurrent adjoint for z^{t−1}: gZn[s][j] = Σ_i W[i, I+j] gI[s][i] (each WT row reused over the shard)
    for (let j = 0; j < H; j++) {
      const row = WT + ((<usize>((I + j) * H)) << 3);
      let s = 0;
      // four samples per pass share each load of the W row (register blocking)
      for (; s + 3 < S; s += 4) dot4(row, cur + ((<usize>(s * H)) << 3), H, gZn + ((<usize>(s * H + j)) << 3), (<usize>H) << 3);
      for (; s < S; s++) st(gZn, s * H + j, dot(row, cur + ((<usize>(s * H)) << 3), H));
    }
  }
  return 0;
}

/** After the last backward step: adds the weight gradient (transposed back) into grad. */
export function brfShardBackwardEnd(cb: usize): i32 {
  bind(cb);
  const H = G_H;
  const IH = G_I + H;
  const gW = G_grad;
  const gWT = G_gWT;
  for (let i = 0; i < H; i++) for (let k = 0; k < IH; k++) st(gW, i * IH + k, ld(gW, i * IH + k) + ld(gWT, k * H + i));
  return 0;
}

/** dα/dτ_raw for α = exp(−1/|τ_raw|): α/τ² · sign(τ_raw). */
// @ts-ignore: decorator
@inline
function dAlphaDTau(a: f64, raw: f64): f64 {
  const d = a / (raw * raw);
  return raw < 0.0 ? -d : d;
}

/** y[0..n) += a·x[0..n) (f64x2). */
// @ts-ignore: decorator
@inline
function axpy(y: usize, x: usize, a: f64, n: i32): void {
  const av = f64x2.splat(a);
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const o = (<usize>i) << 3;
    v128.store(y + o, f64x2.add(v128.load(y + o), f64x2.mul(av, v128.load(x + o))));
  }
  for (; i < n; i++) st(y, i, ld(y, i) + a * ld(x, i));
}

/** Σ x·y over n (two f64x2 accumulators; fixed order, so results are deterministic). */
// @ts-ignore: decorator
@inline
function dot(x: usize, y: usize, n: i32): f64 {
  let acc0 = f64x2.splat(0.0);
  let acc1 = f64x2.splat(0.0);
  let i = 0;
  for (; i + 3 < n; i += 4) {
    const o = (<usize>i) << 3;
    acc0 = f64x2.add(acc0, f64x2.mul(v128.load(x + o), v128.load(y + o)));
    acc1 = f64x2.add(acc1, f64x2.mul(v128.load(x + o + 16), v128.load(y + o + 16)));
  }
  const a = f64x2.add(acc0, acc1);
  let r = f64x2.extract_lane(a, 0) + f64x2.extract_lane(a, 1);
  for (; i < n; i++) r += ld(x, i) * ld(y, i);
  return r;
}

/**
 * out[k·stride] = Σ_i row[i]·y_k[i] for the four vectors y_k = y + k·H (f64x2 lanes, then the
 * two lanes and the odd tail added in a fixed order).
 */
// @ts-ignore: decorator
@inline
function dot4(row: usize, y: usize, n: i32, out: usize, stride: usize): void {
  const hb = (<usize>n) << 3;
  let a0 = f64x2.splat(0.0);
  let a1 = f64x2.splat(0.0);
  let a2 = f64x2.splat(0.0);
  let a3 = f64x2.splat(0.0);
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const o = (<usize>i) << 3;
    const r = v128.load(row + o);
    a0 = f64x2.add(a0, f64x2.mul(r, v128.load(y + o)));
    a1 = f64x2.add(a1, f64x2.mul(r, v128.load(y + hb + o)));
    a2 = f64x2.add(a2, f64x2.mul(r, v128.load(y + 2 * hb + o)));
    a3 = f64x2.add(a3, f64x2.mul(r, v128.load(y + 3 * hb + o)));
  }
  let r0 = f64x2.extract_lane(a0, 0) + f64x2.extract_lane(a0, 1);
  let r1 = f64x2.extract_lane(a1, 0) + f64x2.extract_lane(a1, 1);
  let r2 = f64x2.extract_lane(a2, 0) + f64x2.extract_lane(a2, 1);
  let r3 = f64x2.extract_lane(a3, 0) + f64x2.extract_lane(a3, 1);
  if (i < n) {
    const o = (<usize>i) << 3;
    const w = load<f64>(row + o);
    r0 += w * load<f64>(y + o);
    r1 += w * load<f64>(y + hb + o);
    r2 += w * load<f64>(y + 2 * hb + o);
    r3 += w * load<f64>(y + 3 * hb + o);
  }
  store<f64>(out, r0);
  store<f64>(out + stride, r1);
  store<f64>(out + 2 * stride, r2);
  store<f64>(out + 3 * stride, r3);
}

/**
 * Simulates `n` uncoupled neurons of `kind` (BRF or RF) for T steps driven by currents x [T][n].
 * State u, v, q [n] is updated in place; spikes z [T][n] are written. BRF requires |ω| < 1/δ_b:
 * otherwise STATUS_DOMAIN (index = neuron, value = ω) before any step is taken.
 */
export function brfSimulate(
  kind: i32,
  n: i32,
  T: i32,
  x: usize,
  omega: usize,
  bOffset: usize,
  dt: f64,
  dbdt: f64,
  theta: f64,
  gamma: f64,
  u: usize,
  v: usize,
  q: usize,
  z: usize,
): i32 {
  const isBrf = kind == BRF_KIND_BRF;
  if (isBrf) {
    for (let i = 0; i < n; i++) {
      const om = Math.abs(ld(omega, i));
      if (!(om * dbdt < 1.0)) return fail(STATUS_DOMAIN, i, 0.0, 0.0, ld(omega, i));
    }
  }
  for (let t = 0; t < T; t++) {
    for (let i = 0; i < n; i++) {
      const om = Math.abs(ld(omega, i));
      const bo = Math.abs(ld(bOffset, i));
      const uu = ld(u, i);
      const vv = ld(v, i);
      const qq = isBrf ? ld(q, i) : 0.0;
      const b = isBrf ? boundary(om, dbdt) - bo - qq : -bo;
      const u1 = uu + dt * (b * uu - om * vv + ld(x, t * n + i));
      const v1 = vv + dt * (om * uu + b * vv);
      const zz: f64 = u1 - theta - qq > 0.0 ? 1.0 : 0.0;
      st(u, i, u1);
      st(v, i, v1);
      if (isBrf) st(q, i, gamma * qq + zz);
      st(z, t * n + i, zz);
      if (!isFinite(u1) || !isFinite(v1)) return fail(STATUS_NONFINITE, i, <f64>t, <f64>(t + 1) * dt, u1);
    }
  }
  return 0;
}
