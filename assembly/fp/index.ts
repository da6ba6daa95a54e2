// fp kernels: the weight-structured noisy-LIF Fokker–Planck equation (seed 001, Perthame–Salort–
// Wainrib 2017, eqs. (1), (9), (41)) on a (v, w) grid, and a particle (Monte-Carlo) version of the
// same network. The facade is src/fp/; the order of operations is documented in docs/fp.md.
//
// Layout: p[k * nv + i] is the density at v_i = vMin + i·h (i < nv, v_nv = V_F where p = 0) and
// at the w-cell centre w_k = wMin + (k + ½)·Δw. Slices in v are contiguous (one tridiagonal
// solve each); the w-transport sweeps whole rows at once, so both directions read memory in order.
//
// Parameters live in an f64 block (offsets P_* below, mirrored in src/fp/layout.ts), so the
// facade can run many steps per call without passing thirty arguments.
import { fail, STATUS_BLOWUP, STATUS_CFL, STATUS_NONFINITE } from '../kernel';
import { PHILOX_OUT, philoxInto } from '../rng/philox';
import { normalFromWords, uniformAt } from '../rng/normal';
import { FP_BLOCK, fpBlockAt } from './block';

// ---- parameter block offsets (f64 slots) --------------------------------------------------
const P_NV = 0;
const P_NW = 1;
const P_IR = 2;
const P_VMIN = 3;
const P_H = 4;
const P_DW = 5;
const P_A = 6;
const P_DT = 7;
const P_EPS = 8;
const P_NU = 9;
const P_SIGMA = 10; // 0 identity, 1 σM·tanh(N/σM), 2 σM·N/(1+N)
const P_SIGMA_MAX = 11;
const P_RULE = 12; // 0 none, 1 Hebbian N̄·N(w)·K(w), 2 kernel N(w)∫K(w,w')N(w')dw', 3 STDP-like
const P_LEARN = 13; // 1 = learning transport on
const P_VMODE = 14; // 0 semi-implicit, 1 explicit
const P_WMODE = 15; // 0 explicit upwind, 1 implicit upwind
const P_NMAX = 16; // blow-up threshold on N̄
const P_STEP = 17; // integer step counter (as f64)
const P_NBAR = 18; // current N̄
const P_TRACE_B = 19; // STDP trace of N̄
const P_TRACE_DECAY = 20; // e^{−Δt/τ}
const P_TAU = 21;
const P_SIGMA_NOW = 22; // σ(N̄) used in the last step (output)
const P_FAIL_WHERE = 23; // which sub-step reported the last CFL failure: 1 v-step, 2 w-step (output)
const P_PTR_P = 24;
const P_PTR_N = 25;
const P_PTR_I = 26;
const P_PTR_W = 27;
const P_PTR_K = 28;
const P_PTR_KMAT = 29;
const P_PTR_PHI = 30;
const P_PTR_TRACE = 31;
const P_PTR_G = 32; // G_j = exp(−δ_j), then δ_j = (j + ½)h²/a: 2·nv f64
const P_PTR_WORK = 33; // WORK_V·nv + 4·nw + 16 f64 scratch

/** f64 scratch per v-node used by the v-step (a block of FP_BLOCK ≤ 8 slices needs 3·FP_BLOCK). */
const WORK_V = 24;

// @ts-ignore: decorator
@inline
function rd(par: usize, slot: i32): f64 {
  return load<f64>(par + (<usize>slot << 3));
}

// @ts-ignore: decorator
@inline
function wr(par: usize, slot: i32, x: f64): void {
  store<f64>(par + (<usize>slot << 3), x);
}

// @ts-ignore: decorator
@inline
function ptr(par: usize, slot: i32): usize {
  return <usize>load<f64>(par + (<usize>slot << 3));
}

// @ts-ignore: decorator
@inline
function at(base: usize, i: i32): usize {
  return base + (<usize>i << 3);
}

/**
 * Bernoulli function B(z) = z / (e^z − 1) given E = e^z (computed by the caller). Near z = 0 the
 * quotient cancels, so a Taylor series (error < z⁶/30240 ≈ 3e-17 at |z| = 0.01) takes over. For
 * E = +∞ it returns 0 and for E = 0 it returns −z: both are the exact limits, so no overflow.
 */
// @ts-ignore: decorator
@inline
function bern(z: f64, e: f64): f64 {
  if (Math.abs(z) < 0.01) {
    const z2 = z * z;
    return 1.0 - 0.5 * z + z2 * (1.0 / 12.0 - z2 * (1.0 / 720.0));
  }
  return z / (e - 1.0);
}

/** σ(N̄): identity, σM·tanh(N̄/σM) or σM·N̄/(1 + N̄) (seed eq. (4)). */
// @ts-ignore: decorator
@inline
function sigmaOf(kind: i32, smax: f64, n: f64): f64 {
  if (kind == 1) return smax * Math.tanh(n / smax);
  if (kind == 2) return (smax * n) / (1.0 + n);
  return n;
}

/**
 * One v-direction step for every w-slice (Scharfetter–Gummel flux, absorbing at V_F, outflow
 * reinjected at V_R). Drift of slice k: −v + c_k with c_k = I_k + w_k·σ. Writes the firing-rate
 * density N_k = J_{nv−1/2} (the flux through V_F) to `nOut`. Returns a status code.
 *
 * Semi-implicit: (I − ΔtA)p^{n+1} = p^n, A tridiagonal plus the reinjection entry
 * A[iR, nv−1] = (a/h²)·B(−z_{nv−1/2}); the extra column is carried through the forward sweep
 * restricted to rows ≥ iR (a bordered Thomas solve), so the cost is one Thomas sweep. Blocks of
 * FP_BLOCK slices run in f64x2 lanes (./block.ts, generated); a slice whose exponentials could
 * overflow (|α| near 700) and the remainder run on the scalar path below, which performs the
 * same operations in the same order, so every path gives the same bits.
 */
function stepV(par: usize, sigma: f64, step: f64, time: f64): i32 {
  if (rd(par, P_VMODE) != 0.0) return stepExplicit(par, sigma, step, time);
  const nv = <i32>rd(par, P_NV);
  const nw = <i32>rd(par, P_NW);
  const iR = <i32>rd(par, P_IR);
  const vmin = rd(par, P_VMIN);
  const h = rd(par, P_H);
  const a = rd(par, P_A);
  const dt = rd(par, P_DT);
  const pp = ptr(par, P_PTR_P);
  const np = ptr(par, P_PTR_N);
  const ip = ptr(par, P_PTR_I);
  const wp = ptr(par, P_PTR_W);
  const gp = ptr(par, P_PTR_G);
  const dl = gp + (<usize>nv << 3); // δ_j = (j + ½)h²/a
  const work = ptr(par, P_PTR_WORK);
  const hoa = h / a;
  const D = a / (h * h);
  const dtD = dt * D;
  const span = (<f64>nv * h * h) / a; // z range across the slice
  const rs = a / (h * dtD); // N_k = rs·ĥ_{nv−1}·p_{nv−1}
  const q = (h * h) / a;
  const ab = work + (<usize>(WORK_V * nv + 4 * nw) << 3); // [α_j…, E_j…] of one block
  let k = 0;
  while (k < nw) {
    if (k + FP_BLOCK <= nw) {
      let ok = true;
      for (let j = 0; j < FP_BLOCK; j++) {
        const alpha = hoa * (load<f64>(at(ip, k + j)) + load<f64>(at(wp, k + j)) * sigma - vmin);
        ok = ok && expFactored(alpha, span);
        store<f64>(at(ab, j), alpha);
      }
      if (ok) {
        for (let j = 0; j < FP_BLOCK; j++) store<f64>(at(ab, FP_BLOCK + j), Math.exp(load<f64>(at(ab, j))));
        const s = pp + (<usize>(k * nv) << 3);
        const bad = fpBlockAt(s, nv, iR, dl, gp, work, at(np, k), dtD, rs, q, ab);
        if (bad >= 0) return fail(STATUS_NONFINITE, k + bad, step, time, load<f64>(at(np, k + bad)));
        k += FP_BLOCK;
        continue;
      }
    }
    const c = load<f64>(at(ip, k)) + load<f64>(at(wp, k)) * sigma;
    const code = stepSlice(par, k, hoa * (c - vmin), span, dtD, rs, step, time);
    if (code != 0) return code;
    k++;
  }
  return 0;
}

/**
 * Whether e^{z_i} = e^α·G_i is safe for every row of a slice: z_i = α − δ_i runs from α down to
 * α − span, and both e^α and e^{z_i} must stay far from overflow and underflow (|·| < 700).
 * Slices that fail use exp(z_i) per row (scalar path).
 */
// @ts-ignore: decorator
@inline
function expFactored(alpha: f64, span: f64): boolean {
  return alpha < 700.0 && alpha - span > -700.0;
}

/** ΔtD·B(z) given E = e^z: the series near z = 0 (see {@link bern}), else ΔtD·z/(E − 1). */
// @ts-ignore: decorator
@inline
function bernScaled(z: f64, e: f64, dtD: f64): f64 {
  if (Math.abs(z) < 0.01) {
    const z2 = z * z;
    return dtD * (1.0 - 0.5 * z + z2 * (1.0 / 12.0 - z2 * (1.0 / 720.0)));
  }
  return (dtD * z) / (e - 1.0);
}

/**
 * Semi-implicit step of slice k (scalar). z_i = α − δ_i; e^{z_i} = e^α·G_i unless that could
 * overflow, then e^{z_i} directly. Coefficients scaled by ΔtD: b_i = ΔtD·B(z_i),
 * ĥ_i = b_i + ΔtD·z_i = ΔtD·B(−z_i). Solved in increment form δ = p^{n+1} − p^n,
 * (I − ΔtA)δ = ΔtA·p^n with ΔtA·p^n in flux form: writing the identity into the diagonal rounds it
 * away when ΔtD is large, while in increment form that error scales with |δ| (→ 0 at equilibrium),
 * so mass stays conserved to round-off over long runs. Rows: −ĥ_{i−1}δ_{i−1} +
 * (1 + ĥ_i + b_{i−1})δ_i − b_iδ_{i+1} = J_{i−½} − J_{i+½} (+ outflow at row iR), J_{i+½} =
 * ĥ_i p_i − b_i p_{i+1}.
 */
function stepSlice(par: usize, k: i32, alpha: f64, span: f64, dtD: f64, rs: f64, step: f64, time: f64): i32 {
  const nv = <i32>rd(par, P_NV);
  const iR = <i32>rd(par, P_IR);
  const np = ptr(par, P_PTR_N);
  const gp = ptr(par, P_PTR_G);
  const dl = gp + (<usize>nv << 3);
  const work = ptr(par, P_PTR_WORK);
  const gg = work; // γ_i = b_i/den_i
  const dd = work + (<usize>nv << 3); // Thomas right-hand side d'_i
  const ee = work + (<usize>(2 * nv) << 3); // reinjection column e'_i, i ≥ iR
  const s = ptr(par, P_PTR_P) + (<usize>(k * nv) << 3);
  const fast = expFactored(alpha, span);
  const E = Math.exp(alpha);
  const last = nv - 1;
  const zL = alpha - load<f64>(at(dl, last));
  const hL = bernScaled(zL, fast ? E * load<f64>(at(gp, last)) : Math.exp(zL), dtD) + dtD * zL;
  const out = hL * load<f64>(at(s, last)); // outflow ĥ·p at V_F, at p^n
  // Carried: u = J_{i−½} + ĥ_{i−1}d'_{i−1}, q = 1 + b_{i−1} − ĥ_{i−1}γ_{i−1} (den_i = ĥ_i + q),
  // r = ĥ_{i−1}e'_{i−1}; the same recurrences as the f64x2 block (./block.ts).
  let u = 0.0;
  let q = 1.0;
  let r = 0.0;
  let pc = load<f64>(s);
  let d = 0.0;
  let e = 0.0;
  for (let i = 0; i < nv; i++) {
    const z = alpha - load<f64>(at(dl, i));
    const b = bernScaled(z, fast ? E * load<f64>(at(gp, i)) : Math.exp(z), dtD);
    const hh = b + dtD * z;
    const pn = i < last ? load<f64>(at(s, i + 1)) : 0.0;
    const jr = hh * pc - b * pn;
    const inv = 1.0 / (hh + q);
    const g = b * inv;
    let rhs = u - jr;
    if (i == iR) rhs += out;
    d = rhs * inv;
    store<f64>(at(gg, i), g);
    store<f64>(at(dd, i), d);
    if (i >= iR) {
      e = i == iR ? inv : r * inv;
      store<f64>(at(ee, i), e);
      r = hh * e;
    }
    u = jr + hh * d;
    q = 1.0 + b - hh * g;
    pc = pn;
  }
  // Reinjection: δ_last = d'_last + s·e'_last with s = ĥ_last·δ_last.
  const dlast = d / (1.0 - hL * e);
  const sInj = hL * dlast;
  const plast = load<f64>(at(s, last)) + dlast;
  store<f64>(at(s, last), plast);
  let x = dlast;
  for (let i = last - 1; i >= 0; i--) {
    let y = load<f64>(at(dd, i)) + load<f64>(at(gg, i)) * x;
    if (i >= iR) y += sInj * load<f64>(at(ee, i));
    store<f64>(at(s, i), load<f64>(at(s, i)) + y);
    x = y;
  }
  const nk = rs * hL * plast;
  if (!isFinite(nk)) return fail(STATUS_NONFINITE, k, step, time, nk);
  store<f64>(at(np, k), nk);
  return 0;
}

/** Forward-Euler v-step (explicit mode), with its positivity bound checked per slice. */
function stepExplicit(par: usize, sigma: f64, step: f64, time: f64): i32 {
  const nv = <i32>rd(par, P_NV);
  const nw = <i32>rd(par, P_NW);
  const iR = <i32>rd(par, P_IR);
  const vmin = rd(par, P_VMIN);
  const h = rd(par, P_H);
  const a = rd(par, P_A);
  const dt = rd(par, P_DT);
  const pp = ptr(par, P_PTR_P);
  const np = ptr(par, P_PTR_N);
  const ip = ptr(par, P_PTR_I);
  const wp = ptr(par, P_PTR_W);
  const gp = ptr(par, P_PTR_G);
  const dl = gp + (<usize>nv << 3);
  const work = ptr(par, P_PTR_WORK);
  const bp = work; // B(z_j)
  const hp = work + (<usize>nv << 3); // B(−z_j)
  const hoa = h / a;
  const D = a / (h * h);
  const dtD = dt * D;
  const span = (<f64>nv * h * h) / a;
  for (let k = 0; k < nw; k++) {
    const c = load<f64>(at(ip, k)) + load<f64>(at(wp, k)) * sigma;
    const s = pp + (<usize>(k * nv) << 3);
    const alpha = hoa * (c - vmin);
    const fast = expFactored(alpha, span);
    const ea = Math.exp(alpha);
    for (let j = 0; j < nv; j++) {
      const z = alpha - load<f64>(at(dl, j));
      const b = bern(z, fast ? ea * load<f64>(at(gp, j)) : Math.exp(z));
      store<f64>(at(bp, j), b);
      store<f64>(at(hp, j), b + z); // B(−z) = B(z) + z
    }
    // Forward Euler, positivity (and L¹ stability) needs Δt·(a/h²)(B(−z_i) + B(z_{i−1})) ≤ 1.
    let worst = 0.0;
    for (let i = 0; i < nv; i++) {
      const d = load<f64>(at(hp, i)) + (i > 0 ? load<f64>(at(bp, i - 1)) : 0.0);
      if (d > worst) worst = d;
    }
    if (dtD * worst > 1.0) {
      wr(par, P_FAIL_WHERE, 1.0);
      return fail(STATUS_CFL, k, step, time, 1.0 / (D * worst));
    }
    // In place: keep the previous node's old value and the flux through its right interface.
    let jl = 0.0; // J_{i−1/2}·h/a
    let pold = load<f64>(at(s, 0));
    const out = load<f64>(at(hp, nv - 1)) * load<f64>(at(s, nv - 1)); // J_{nv−1/2}·h/a
    for (let i = 0; i < nv; i++) {
      const pnext = i + 1 < nv ? load<f64>(at(s, i + 1)) : 0.0;
      const jr = load<f64>(at(hp, i)) * pold - load<f64>(at(bp, i)) * pnext;
      let v = pold + dtD * (jl - jr);
      if (i == iR) v += dtD * out;
      store<f64>(at(s, i), v);
      jl = jr;
      pold = pnext;
    }
    store<f64>(at(np, k), (a / h) * out);
  }
  return 0;
}

/**
 * One w-direction step for ∂_t p + ε∂_w[(Φ − w)p] = εν∂_ww p (seed eqs. (9), (41)), zero flux at
 * both ends of the w-grid. Cell velocities u_k = ε(Φ_k − w_k); interface flux of the local
 * Lax–Friedrichs (Rusanov) type, the monotone first-order upwind flux for this nonlinear
 * transport (Φ depends on p):
 *   F_{k+1/2} = ½(u_k p_k + u_{k+1} p_{k+1}) − ½λ(p_{k+1} − p_k) − εν(p_{k+1} − p_k)/Δw,
 *   λ = ε·max over both cells of (|Φ − w| + |Φ|) ≥ |∂f/∂p| for the Hebbian flux ε(Φ − w)p.
 * Written F = α_k p_k − β_k p_{k+1} with α, β ≥ 0, so the explicit step is positive under
 * Δt/Δw·max(β_{k−1} + α_k) ≤ 1 (checked) and the implicit one is an M-matrix. (Velocity upwinding
 * with Φ averaged at interfaces admits a stationary odd–even mode of H; this flux does not.)
 */
function stepW(par: usize, step: f64, time: f64): i32 {
  const nv = <i32>rd(par, P_NV);
  const nw = <i32>rd(par, P_NW);
  const dw = rd(par, P_DW);
  const dt = rd(par, P_DT);
  const eps = rd(par, P_EPS);
  const nu = rd(par, P_NU);
  const implicit = rd(par, P_WMODE) != 0.0;
  const pp = ptr(par, P_PTR_P);
  const wp = ptr(par, P_PTR_W);
  const phip = ptr(par, P_PTR_PHI);
  const work = ptr(par, P_PTR_WORK) + (<usize>(WORK_V * nv) << 3);
  const al = work; // α_k, k < nw − 1
  const be = work + (<usize>nw << 3); // β_k
  const cw = work + (<usize>(2 * nw) << 3); // Thomas c'
  const iv = work + (<usize>(3 * nw) << 3); // 1/den
  const d = (eps * nu) / dw;
  const r = dt / dw;
  const nv2 = nv & ~1; // rows run in f64x2 over v (contiguous), lane-wise the same operations
  let phiL = load<f64>(at(phip, 0));
  let uL = eps * (phiL - load<f64>(at(wp, 0)));
  let sL = Math.abs(uL) + eps * Math.abs(phiL);
  for (let k = 0; k < nw - 1; k++) {
    const phiR = load<f64>(at(phip, k + 1));
    const uR = eps * (phiR - load<f64>(at(wp, k + 1)));
    const sR = Math.abs(uR) + eps * Math.abs(phiR);
    const lam = sL > sR ? sL : sR;
    store<f64>(at(al, k), 0.5 * (uL + lam) + d);
    store<f64>(at(be, k), 0.5 * (lam - uR) + d);
    uL = uR;
    sL = sR;
  }
  if (!implicit) {
    let worst = 0.0;
    for (let k = 0; k < nw; k++) {
      const x = (k > 0 ? load<f64>(at(be, k - 1)) : 0.0) + (k < nw - 1 ? load<f64>(at(al, k)) : 0.0);
      if (x > worst) worst = x;
    }
    if (r * worst > 1.0) {
      wr(par, P_FAIL_WHERE, 2.0);
      return fail(STATUS_CFL, worstCell(al, be, nw, worst), step, time, dw / worst);
    }
    // p_k += r(F_{k−1/2} − F_{k+1/2}); sweep k upwards, keeping the old row k−1 in place by
    // computing the flux F_{k+1/2} from old rows k, k+1 before row k is overwritten.
    const fl = ptr(par, P_PTR_WORK); // reuse the v scratch (nv) for F_{k−1/2}
    for (let i = 0; i < nv; i++) store<f64>(at(fl, i), 0.0);
    const vr = f64x2.splat(r);
    for (let k = 0; k < nw; k++) {
      const row = pp + (<usize>(k * nv) << 3);
      if (k == nw - 1) {
        // no flux through the top of the w-grid
        for (let i = 0; i < nv2; i += 2) {
          const o = <usize>i << 3;
          v128.store(row + o, f64x2.add(v128.load(row + o), f64x2.mul(vr, v128.load(fl + o))));
        }
        if (nv2 < nv) store<f64>(at(row, nv2), load<f64>(at(row, nv2)) + r * load<f64>(at(fl, nv2)));
        break;
      }
      const ak = load<f64>(at(al, k));
      const bk = load<f64>(at(be, k));
      const va = f64x2.splat(ak);
      const vb = f64x2.splat(bk);
      const nxt = row + (<usize>nv << 3);
      if (k + 2 < nw) {
        // Rows k and k + 1 together: F_{k+½} stays in a register between them (the same
        // operations as two single rows, two fewer memory accesses per vector).
        const ak1 = load<f64>(at(al, k + 1));
        const bk1 = load<f64>(at(be, k + 1));
        const va1 = f64x2.splat(ak1);
        const vb1 = f64x2.splat(bk1);
        const nx2 = nxt + (<usize>nv << 3);
        for (let i = 0; i < nv2; i += 2) {
          const o = <usize>i << 3;
          const pk = v128.load(row + o);
          const pk1 = v128.load(nxt + o);
          const fr = f64x2.sub(f64x2.mul(va, pk), f64x2.mul(vb, pk1));
          const fr1 = f64x2.sub(f64x2.mul(va1, pk1), f64x2.mul(vb1, v128.load(nx2 + o)));
          v128.store(row + o, f64x2.add(pk, f64x2.mul(vr, f64x2.sub(v128.load(fl + o), fr))));
          v128.store(nxt + o, f64x2.add(pk1, f64x2.mul(vr, f64x2.sub(fr, fr1))));
          v128.store(fl + o, fr1);
        }
        if (nv2 < nv) {
          const pk = load<f64>(at(row, nv2));
          const pk1 = load<f64>(at(nxt, nv2));
          const fr = ak * pk - bk * pk1;
          const fr1 = ak1 * pk1 - bk1 * load<f64>(at(nx2, nv2));
          store<f64>(at(row, nv2), pk + r * (load<f64>(at(fl, nv2)) - fr));
          store<f64>(at(nxt, nv2), pk1 + r * (fr - fr1));
          store<f64>(at(fl, nv2), fr1);
        }
        k++;
        continue;
      }
      for (let i = 0; i < nv2; i += 2) {
        const o = <usize>i << 3;
        const pk = v128.load(row + o);
        const fr = f64x2.sub(f64x2.mul(va, pk), f64x2.mul(vb, v128.load(nxt + o)));
        v128.store(row + o, f64x2.add(pk, f64x2.mul(vr, f64x2.sub(v128.load(fl + o), fr))));
        v128.store(fl + o, fr);
      }
      if (nv2 < nv) {
        const pk = load<f64>(at(row, nv2));
        const fr = ak * pk - bk * load<f64>(at(nxt, nv2));
        store<f64>(at(row, nv2), pk + r * (load<f64>(at(fl, nv2)) - fr));
        store<f64>(at(fl, nv2), fr);
      }
    }
    return 0;
  }
  // Implicit: rows of (I + Δt·D): lower −rα_{k−1}, diag 1 + r(β_{k−1} + α_k), upper −rβ_k. The
  // coefficients depend on k only, so the factorisation is shared by all nv rows and the sweeps
  // run over whole rows (contiguous).
  let cprev = 0.0;
  for (let k = 0; k < nw; k++) {
    const lo = k > 0 ? -r * load<f64>(at(al, k - 1)) : 0.0;
    const di = 1.0 + r * ((k > 0 ? load<f64>(at(be, k - 1)) : 0.0) + (k < nw - 1 ? load<f64>(at(al, k)) : 0.0));
    const up = k < nw - 1 ? -r * load<f64>(at(be, k)) : 0.0;
    const inv = 1.0 / (di - lo * cprev);
    cprev = up * inv;
    store<f64>(at(cw, k), cprev);
    store<f64>(at(iv, k), inv);
    const row = pp + (<usize>(k * nv) << 3);
    const vinv = f64x2.splat(inv);
    if (k == 0) {
      for (let i = 0; i < nv2; i += 2) {
        const o = <usize>i << 3;
        v128.store(row + o, f64x2.mul(v128.load(row + o), vinv));
      }
      if (nv2 < nv) store<f64>(at(row, nv2), load<f64>(at(row, nv2)) * inv);
    } else {
      const prv = row - (<usize>nv << 3);
      const vlo = f64x2.splat(lo);
      for (let i = 0; i < nv2; i += 2) {
        const o = <usize>i << 3;
        v128.store(row + o, f64x2.mul(f64x2.sub(v128.load(row + o), f64x2.mul(vlo, v128.load(prv + o))), vinv));
      }
      if (nv2 < nv) store<f64>(at(row, nv2), (load<f64>(at(row, nv2)) - lo * load<f64>(at(prv, nv2))) * inv);
    }
  }
  for (let k = nw - 2; k >= 0; k--) {
    const row = pp + (<usize>(k * nv) << 3);
    const nxt = row + (<usize>nv << 3);
    const ck = load<f64>(at(cw, k));
    const vc = f64x2.splat(ck);
    for (let i = 0; i < nv2; i += 2) {
      const o = <usize>i << 3;
      v128.store(row + o, f64x2.sub(v128.load(row + o), f64x2.mul(vc, v128.load(nxt + o))));
    }
    if (nv2 < nv) store<f64>(at(row, nv2), load<f64>(at(row, nv2)) - ck * load<f64>(at(nxt, nv2)));
  }
  return 0;
}

/** Learning field Φ_k from the rates just computed (seed eq. (8) and its variants, Section 2.2). */
function learningField(par: usize, nbar: f64): void {
  const nw = <i32>rd(par, P_NW);
  const dw = rd(par, P_DW);
  const rule = <i32>rd(par, P_RULE);
  const np = ptr(par, P_PTR_N);
  const kp = ptr(par, P_PTR_K);
  const phip = ptr(par, P_PTR_PHI);
  if (rule == 1) {
    for (let k = 0; k < nw; k++) store<f64>(at(phip, k), nbar * load<f64>(at(np, k)) * load<f64>(at(kp, k)));
  } else if (rule == 2) {
    const km = ptr(par, P_PTR_KMAT);
    for (let k = 0; k < nw; k++) {
      let sum = 0.0;
      const rowk = km + (<usize>(k * nw) << 3);
      for (let j = 0; j < nw; j++) sum += load<f64>(at(rowk, j)) * load<f64>(at(np, j));
      store<f64>(at(phip, k), load<f64>(at(np, k)) * sum * dw);
    }
  } else if (rule == 3) {
    // Traces A_k = (N(w_k,·) ∗ g)(t), B = (N̄ ∗ g)(t), g(s) = e^{−s/τ}: exact update for rates
    // held constant over the step. Φ_k = K_k·(A_k·N̄ − N_k·B).
    const dec = rd(par, P_TRACE_DECAY);
    const gain = rd(par, P_TAU) * (1.0 - dec);
    const tp = ptr(par, P_PTR_TRACE);
    const bOld = rd(par, P_TRACE_B);
    const bNew = bOld * dec + gain * nbar;
    wr(par, P_TRACE_B, bNew);
    for (let k = 0; k < nw; k++) {
      const nk = load<f64>(at(np, k));
      const ak = load<f64>(at(tp, k)) * dec + gain * nk;
      store<f64>(at(tp, k), ak);
      store<f64>(at(phip, k), load<f64>(at(kp, k)) * (ak * nbar - nk * bNew));
    }
  } else {
    for (let k = 0; k < nw; k++) store<f64>(at(phip, k), 0.0);
  }
}

/**
 * Fills the kernel-side constants of a parameter block: G_j = e^{−(j+½)h²/a} and the STDP trace
 * decay e^{−Δt/τ}. Computed here, not in JavaScript, because engines' Math.exp differ in the last
 * bit and the run must be bit-identical in Node, Deno and browsers.
 */
export function fpPrepare(par: usize): void {
  const nv = <i32>rd(par, P_NV);
  const h = rd(par, P_H);
  const a = rd(par, P_A);
  const gp = ptr(par, P_PTR_G);
  for (let j = 0; j < nv; j++) {
    const d = ((<f64>j + 0.5) * h * h) / a;
    store<f64>(at(gp, j), Math.exp(-d));
    store<f64>(at(gp, nv + j), d);
  }
  wr(par, P_TRACE_DECAY, Math.exp(-rd(par, P_DT) / rd(par, P_TAU)));
}

/** out[i] = exp(−½((v0 + i·h − mean)/sd)²), i < n (Gaussian initial profiles, engine-independent). */
export function fpGaussianProfile(out: usize, n: i32, v0: f64, h: f64, mean: f64, sd: f64): void {
  for (let i = 0; i < n; i++) {
    const x = (v0 + <f64>i * h - mean) / sd;
    store<f64>(at(out, i), Math.exp(-0.5 * x * x));
  }
}

/**
 * The w-cell that makes N̄ blow up, for the failure report (cold path): the first cell whose
 * N_k is not finite, otherwise the cell with the largest N_k.
 */
function blowUpCell(np: usize, nw: i32): i32 {
  let best = 0;
  let mx = -Infinity;
  for (let k = 0; k < nw; k++) {
    const x = load<f64>(at(np, k));
    if (!isFinite(x)) return k;
    if (x > mx) {
      mx = x;
      best = k;
    }
  }
  return best;
}

/** The w-cell whose explicit CFL sum β_{k−1} + α_k is the largest (`worst`), for the failure report. */
function worstCell(al: usize, be: usize, nw: i32, worst: f64): i32 {
  for (let k = 0; k < nw; k++) {
    const x = (k > 0 ? load<f64>(at(be, k - 1)) : 0.0) + (k < nw - 1 ? load<f64>(at(al, k)) : 0.0);
    if (x >= worst) return k;
  }
  return 0;
}

/**
 * Advances the (v, w) density by `steps` steps. Per step: (1) N̄ = Σ N_k Δw from the previous
 * step, blow-up check (N̄ > nMax or non-finite ⇒ STATUS_BLOWUP, p left at the last good step);
 * (2) σ = σ(N̄), drift offsets c_k = I_k + w_k σ; (3) v-step (SG) ⇒ p, N_k; (4) when learning is
 * on: Φ from the new N, w-step. Returns 0 or a status code; P_STEP counts completed steps.
 */
export function fpRun(par: usize, steps: i32): i32 {
  const nw = <i32>rd(par, P_NW);
  const dw = rd(par, P_DW);
  const dt = rd(par, P_DT);
  const nmax = rd(par, P_NMAX);
  const kind = <i32>rd(par, P_SIGMA);
  const smax = rd(par, P_SIGMA_MAX);
  const learn = rd(par, P_LEARN) != 0.0;
  const np = ptr(par, P_PTR_N);
  for (let s = 0; s < steps; s++) {
    const step = rd(par, P_STEP);
    const time = step * dt;
    const nbar = rd(par, P_NBAR);
    if (!isFinite(nbar) || nbar > nmax) return fail(STATUS_BLOWUP, blowUpCell(np, nw), step, time, nbar);
    const sigma = sigmaOf(kind, smax, nbar);
    wr(par, P_SIGMA_NOW, sigma);
    let code = stepV(par, sigma, step, time);
    if (code != 0) return code;
    let nb = 0.0;
    for (let k = 0; k < nw; k++) nb += load<f64>(at(np, k));
    nb *= dw;
    if (learn) {
      learningField(par, nb);
      code = stepW(par, step, time);
      if (code != 0) return code;
    }
    wr(par, P_NBAR, nb);
    wr(par, P_STEP, step + 1.0);
  }
  return 0;
}

// ---- particle network ----------------------------------------------------------------------
// Slots of the particle parameter block.
const Q_M = 0;
const Q_A = 1;
const Q_DT = 2;
const Q_VF = 3;
const Q_VR = 4;
const Q_SIGMA = 5;
const Q_SIGMA_MAX = 6;
const Q_FILTER = 7; // τ_N of the rate filter (0 = instantaneous N̄)
const Q_NBAR = 8;
const Q_STEP = 9;
const Q_K0 = 10;
const Q_K1 = 11;
const Q_NOISE_STREAM = 12;
const Q_BRIDGE_STREAM = 13;
const Q_SPIKES = 14; // total spikes (output)
const Q_NBAR_SUM = 15; // Σ N̄ over steps (output)
const Q_PTR_V = 16;
const Q_PTR_W = 17;
const Q_PTR_I = 18;
const Q_PTR_COUNT = 19;

/**
 * Particle version of eq. (1): M neurons, dv = (−v + I_j + w_j σ(N̄))dt + √(2a) dW, Euler–
 * Maruyama; a spike when v ≥ V_F or (Brownian-bridge correction) with probability
 * exp(−(V_F − v_n)(V_F − v_{n+1})/(a Δt)) when both ends are below; reset to V_R. N̄ is the
 * network's own rate (spikes/(M Δt)), optionally low-pass filtered. Normals: stream
 * Q_NOISE_STREAM, element j, step t (one Philox block per neuron pair); bridge uniforms:
 * stream Q_BRIDGE_STREAM, sub-draw 0.
 */
export function fpParticleRun(par: usize, steps: i32): i32 {
  const m = <i32>rd(par, Q_M);
  const a = rd(par, Q_A);
  const dt = rd(par, Q_DT);
  const vf = rd(par, Q_VF);
  const vr = rd(par, Q_VR);
  const kind = <i32>rd(par, Q_SIGMA);
  const smax = rd(par, Q_SIGMA_MAX);
  const tauN = rd(par, Q_FILTER);
  const filt = tauN > 0.0 ? 1.0 - Math.exp(-dt / tauN) : 1.0;
  const k0 = <u32>rd(par, Q_K0);
  const k1 = <u32>rd(par, Q_K1);
  const sn = <u32>rd(par, Q_NOISE_STREAM);
  const sb = <u32>rd(par, Q_BRIDGE_STREAM);
  const vp = ptr(par, Q_PTR_V);
  const wp = ptr(par, Q_PTR_W);
  const ip = ptr(par, Q_PTR_I);
  const cnt = ptr(par, Q_PTR_COUNT);
  const sq = Math.sqrt(2.0 * a * dt);
  const bridgeScale = 1.0 / (a * dt);
  const cutoff = 40.0 * a * dt; // bridge probability < e^{−40}: no draw needed
  let nbar = rd(par, Q_NBAR);
  let total = rd(par, Q_SPIKES);
  let nsum = rd(par, Q_NBAR_SUM);
  for (let s = 0; s < steps; s++) {
    const step = rd(par, Q_STEP);
    const t = <u32>step;
    const sigma = sigmaOf(kind, smax, nbar);
    let fired = 0;
    let bad = -1; // first neuron whose potential left the finite numbers this step
    let w0: u32 = 0;
    let w1: u32 = 0;
    let w2: u32 = 0;
    let w3: u32 = 0;
    for (let j = 0; j < m; j++) {
      // One block feeds the pair (2j', 2j'+1): copy its words before any slow path reuses it.
      if ((j & 1) == 0) {
        philoxInto(<u32>j >>> 1, t, 0, sn, k0, k1);
        w0 = load<u32>(PHILOX_OUT);
        w1 = load<u32>(PHILOX_OUT, 4);
        w2 = load<u32>(PHILOX_OUT, 8);
        w3 = load<u32>(PHILOX_OUT, 12);
      }
      const odd = (j & 1) != 0;
      const xi = normalFromWords(k0, k1, sn, <u32>j, t, odd ? w2 : w0, odd ? w3 : w1);
      const v = load<f64>(at(vp, j));
      const vn = v + dt * (-v + load<f64>(at(ip, j)) + load<f64>(at(wp, j)) * sigma) + sq * xi;
      let spike = vn >= vf;
      if (!spike) {
        const prod = (vf - v) * (vf - vn);
        if (prod < cutoff) spike = uniformAt(k0, k1, sb, <u32>j, t, 0) < Math.exp(-prod * bridgeScale);
        else if (!(vn > -Infinity) && bad < 0) bad = j; // NaN or −∞ (+∞ is a spike)
      }
      if (spike) {
        store<f64>(at(vp, j), vr);
        store<f64>(at(cnt, j), load<f64>(at(cnt, j)) + 1.0);
        fired++;
      } else {
        store<f64>(at(vp, j), vn);
      }
    }
    const inst = <f64>fired / (<f64>m * dt);
    nbar += filt * (inst - nbar);
    total += <f64>fired;
    nsum += nbar;
    wr(par, Q_STEP, step + 1.0);
    if (bad >= 0) {
      // N̄ is finite by construction (fired ≤ m); a potential is not: report the neuron.
      wr(par, Q_NBAR, nbar);
      wr(par, Q_SPIKES, total);
      wr(par, Q_NBAR_SUM, nsum);
      return fail(STATUS_NONFINITE, bad, step, step * dt, load<f64>(at(vp, bad)));
    }
  }
  wr(par, Q_NBAR, nbar);
  wr(par, Q_SPIKES, total);
  wr(par, Q_NBAR_SUM, nsum);
  return 0;
}
