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
const P_PTR_P = 24;
const P_PTR_N = 25;
const P_PTR_I = 26;
const P_PTR_W = 27;
const P_PTR_K = 28;
const P_PTR_KMAT = 29;
const P_PTR_PHI = 30;
const P_PTR_TRACE = 31;
const P_PTR_G = 32; // G_j = exp(−(j + ½)h²/a), j < nv
const P_PTR_WORK = 33; // 12·nv + 4·nw f64 scratch

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
 * restricted to rows ≥ iR (a bordered Thomas solve), so the cost is one Thomas sweep.
 */
function stepV(par: usize, sigma: f64, step: f64, time: f64): i32 {
  const nv = <i32>rd(par, P_NV);
  const nw = <i32>rd(par, P_NW);
  const iR = <i32>rd(par, P_IR);
  const vmin = rd(par, P_VMIN);
  const h = rd(par, P_H);
  const a = rd(par, P_A);
  const dt = rd(par, P_DT);
  const explicit = rd(par, P_VMODE) != 0.0;
  const pp = ptr(par, P_PTR_P);
  const np = ptr(par, P_PTR_N);
  const ip = ptr(par, P_PTR_I);
  const wp = ptr(par, P_PTR_W);
  const gp = ptr(par, P_PTR_G);
  const work = ptr(par, P_PTR_WORK);
  const bp = work; // B(z_j), j < nv  (coefficient of p_{j+1} in J_j)
  const cp = work + (<usize>nv << 3); // Thomas c'
  const ep = work + (<usize>(2 * nv) << 3); // bordered column e'
  const hp = work + (<usize>(3 * nv) << 3); // B(−z_j)
  const dd = work + (<usize>(4 * nv) << 3); // Thomas d' (increment)
  const hoa = h / a;
  const D = a / (h * h);
  const dtD = dt * D;
  const span = (<f64>nv * h * h) / a; // z range across the slice
  for (let k = 0; k < nw; k++) {
    const c = load<f64>(at(ip, k)) + load<f64>(at(wp, k)) * sigma;
    if (!explicit && k + 3 < nw) {
      // Four slices per pass when none of them needs the overflow-safe per-interface exp.
      const c1 = load<f64>(at(ip, k + 1)) + load<f64>(at(wp, k + 1)) * sigma;
      const c2 = load<f64>(at(ip, k + 2)) + load<f64>(at(wp, k + 2)) * sigma;
      const c3 = load<f64>(at(ip, k + 3)) + load<f64>(at(wp, k + 3)) * sigma;
      const a0 = hoa * (c - vmin);
      const a1 = hoa * (c1 - vmin);
      const a2 = hoa * (c2 - vmin);
      const a3 = hoa * (c3 - vmin);
      const lo = -700.0 + span;
      if (a0 < 700.0 && a0 > lo && a1 < 700.0 && a1 > lo && a2 < 700.0 && a2 > lo && a3 < 700.0 && a3 > lo) {
        const ea = f64x2(Math.exp(a0), Math.exp(a1));
        const eb = f64x2(Math.exp(a2), Math.exp(a3));
        const code = stepQuad(par, k, f64x2(c, c1), f64x2(c2, c3), ea, eb, step, time);
        if (code != 0) return code;
        k += 3;
        continue;
      }
    }
    if (!explicit && k + 1 < nw) {
      // Two slices per pass in f64x2 lanes (bit-identical to the scalar path below).
      const c1 = load<f64>(at(ip, k + 1)) + load<f64>(at(wp, k + 1)) * sigma;
      const a0 = hoa * (c - vmin);
      const a1 = hoa * (c1 - vmin);
      if (a0 < 700.0 && a0 - span > -700.0 && a1 < 700.0 && a1 - span > -700.0) {
        const code = stepPair(par, k, c, c1, Math.exp(a0), Math.exp(a1), step, time);
        if (code != 0) return code;
        k++;
        continue;
      }
    }
    const s = pp + (<usize>(k * nv) << 3);
    // z_j = h(c − v_{j+1/2})/a, e^{z_j} = e^{α}·G_j with α = h(c − vMin)/a: one exp per slice.
    const alpha = hoa * (c - vmin);
    const fast = alpha < 700.0 && alpha - span > -700.0;
    const ea = Math.exp(alpha);
    for (let j = 0; j < nv; j++) {
      const z = hoa * (c - (vmin + (<f64>j + 0.5) * h));
      const e = fast ? ea * load<f64>(at(gp, j)) : Math.exp(z);
      const b = bern(z, e);
      store<f64>(at(bp, j), b);
      store<f64>(at(hp, j), b + z); // B(−z) = B(z) + z
    }
    if (explicit) {
      // Forward Euler, positivity (and L¹ stability) needs Δt·(a/h²)(B(−z_i) + B(z_{i−1})) ≤ 1.
      let worst = 0.0;
      for (let i = 0; i < nv; i++) {
        const d = load<f64>(at(hp, i)) + (i > 0 ? load<f64>(at(bp, i - 1)) : 0.0);
        if (d > worst) worst = d;
      }
      if (dtD * worst > 1.0) return fail(STATUS_CFL, k, step, time, 1.0 / (D * worst));
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
      continue;
    }
    // Semi-implicit, solved for the increment δ = p^{n+1} − p^n: (I − ΔtA)δ = ΔtA·p^n, with ΔtA·p^n
    // in flux form. Writing the identity into the diagonal 1 + ΔtD(…) rounds it away when ΔtD is
    // large; in increment form that error scales with |δ| (→ 0 at equilibrium) instead of |p|, so
    // mass stays conserved to round-off over long runs. Rows of I − ΔtA: lower
    // l_i = −ΔtD·B(−z_{i−1}), diag 1 + ΔtD(B(−z_i) + B(z_{i−1})), upper u_i = −ΔtD·B(z_i).
    const out = load<f64>(at(hp, nv - 1)) * load<f64>(at(s, nv - 1)); // J_{nv−1/2}·h/a at p^n
    let jl = 0.0;
    let pcur = load<f64>(at(s, 0));
    let den = 1.0 + dtD * load<f64>(at(hp, 0));
    let cprev = 0.0;
    let dprev = 0.0;
    let eprev = 0.0;
    let l = 0.0;
    for (let i = 0; i < nv; i++) {
      const pnext = i + 1 < nv ? load<f64>(at(s, i + 1)) : 0.0;
      const jr = load<f64>(at(hp, i)) * pcur - load<f64>(at(bp, i)) * pnext;
      let rhs = dtD * (jl - jr);
      if (i == iR) rhs += dtD * out;
      if (i > 0) {
        l = -dtD * load<f64>(at(hp, i - 1));
        den = 1.0 + dtD * (load<f64>(at(hp, i)) + load<f64>(at(bp, i - 1))) - l * cprev;
      }
      const inv = 1.0 / den;
      cprev = -dtD * load<f64>(at(bp, i)) * inv;
      dprev = (rhs - l * dprev) * inv;
      store<f64>(at(cp, i), cprev);
      store<f64>(at(dd, i), dprev);
      if (i >= iR) {
        eprev = i == iR ? inv : -l * eprev * inv;
        store<f64>(at(ep, i), eprev);
      }
      jl = jr;
      pcur = pnext;
    }
    // Reinjection: δ_{nv−1} = d'_{nv−1} + s·e'_{nv−1} with s = Δt·(a/h²)B(−z)·δ_{nv−1}.
    const g = dtD * load<f64>(at(hp, nv - 1));
    const dlast = dprev / (1.0 - g * eprev);
    const sInj = g * dlast;
    const plast = load<f64>(at(s, nv - 1)) + dlast;
    store<f64>(at(s, nv - 1), plast);
    let dnext = dlast;
    for (let i = nv - 2; i >= 0; i--) {
      let d = load<f64>(at(dd, i)) - load<f64>(at(cp, i)) * dnext;
      if (i >= iR) d += sInj * load<f64>(at(ep, i));
      store<f64>(at(s, i), load<f64>(at(s, i)) + d);
      dnext = d;
    }
    const nk = (a / h) * load<f64>(at(hp, nv - 1)) * plast;
    if (!isFinite(nk)) return fail(STATUS_NONFINITE, k, step, time, nk);
    store<f64>(at(np, k), nk);
  }
  return 0;
}

/**
 * Semi-implicit SG step of slices k and k + 1 at once: the same operations as the scalar path of
 * {@link stepV}, lane-wise in f64x2 (so results are bit-identical), with the two Thomas recurrences
 * interleaved so their division latencies overlap. Scratch is interleaved [j][lane].
 */
function stepPair(par: usize, k: i32, c0: f64, c1: f64, ea0: f64, ea1: f64, step: f64, time: f64): i32 {
  const nv = <i32>rd(par, P_NV);
  const iR = <i32>rd(par, P_IR);
  const vmin = rd(par, P_VMIN);
  const h = rd(par, P_H);
  const a = rd(par, P_A);
  const dt = rd(par, P_DT);
  const pp = ptr(par, P_PTR_P);
  const np = ptr(par, P_PTR_N);
  const gp = ptr(par, P_PTR_G);
  const work = ptr(par, P_PTR_WORK);
  const bp = work; // 2·nv each, interleaved
  const hp = work + (<usize>(2 * nv) << 3);
  const cp = work + (<usize>(4 * nv) << 3);
  const ep = work + (<usize>(6 * nv) << 3);
  const dd = work + (<usize>(8 * nv) << 3);
  const s0 = pp + (<usize>(k * nv) << 3);
  const s1 = s0 + (<usize>nv << 3);
  const hoa = h / a;
  const D = a / (h * h);
  const dtD = dt * D;
  const cv = f64x2(c0, c1);
  const ea = f64x2(ea0, ea1);
  const vHoa = f64x2.splat(hoa);
  const one = f64x2.splat(1.0);
  const half = f64x2.splat(0.5);
  const twelfth = f64x2.splat(1.0 / 12.0);
  const inv720 = f64x2.splat(1.0 / 720.0);
  const small = f64x2.splat(0.01);
  // The Bernoulli coefficients are formed inside the forward sweep (no separate pass, no
  // scratch for B): the B division and the Thomas division of a row are independent and overlap.
  const vdtD = f64x2.splat(dtD);
  const vmdtD = f64x2.splat(-dtD);
  // B(z), B(−z) of the last interface are needed first (outflow at p^n): compute them up front.
  const zl = f64x2.mul(vHoa, f64x2.sub(cv, f64x2.splat(vmin + (<f64>(nv - 1) + 0.5) * h)));
  const el = f64x2.mul(ea, f64x2.splat(load<f64>(at(gp, nv - 1))));
  const zl2 = f64x2.mul(zl, zl);
  const bl = v128.bitselect(
    f64x2.add(f64x2.sub(one, f64x2.mul(half, zl)), f64x2.mul(zl2, f64x2.sub(twelfth, f64x2.mul(zl2, inv720)))),
    f64x2.div(zl, f64x2.sub(el, one)),
    f64x2.lt(f64x2.abs(zl), small),
  );
  const hlast = f64x2.add(bl, zl);
  const out = f64x2.mul(hlast, f64x2(load<f64>(at(s0, nv - 1)), load<f64>(at(s1, nv - 1))));
  let jl = f64x2.splat(0.0);
  let pcur = f64x2(load<f64>(s0), load<f64>(s1));
  let cprev = f64x2.splat(0.0);
  let dprev = f64x2.splat(0.0);
  let eprev = f64x2.splat(0.0);
  let bprev = f64x2.splat(0.0);
  let hprev = f64x2.splat(0.0);
  const zero = f64x2.splat(0.0);
  for (let i = 0; i < nv; i++) {
    const z = f64x2.mul(vHoa, f64x2.sub(cv, f64x2.splat(vmin + (<f64>i + 0.5) * h)));
    const e = f64x2.mul(ea, f64x2.splat(load<f64>(at(gp, i))));
    const z2 = f64x2.mul(z, z);
    const series = f64x2.add(f64x2.sub(one, f64x2.mul(half, z)), f64x2.mul(z2, f64x2.sub(twelfth, f64x2.mul(z2, inv720))));
    const bi = v128.bitselect(series, f64x2.div(z, f64x2.sub(e, one)), f64x2.lt(f64x2.abs(z), small));
    const hi = f64x2.add(bi, z);
    const pnext = i + 1 < nv ? f64x2(load<f64>(at(s0, i + 1)), load<f64>(at(s1, i + 1))) : zero;
    const jr = f64x2.sub(f64x2.mul(hi, pcur), f64x2.mul(bi, pnext));
    let rhs = f64x2.mul(vdtD, f64x2.sub(jl, jr));
    if (i == iR) rhs = f64x2.add(rhs, f64x2.mul(vdtD, out));
    // i = 0: l = 0 and B(z_{−1}) = 0, so the general formula reduces to 1 + ΔtD·B(−z_0)
    const l = f64x2.mul(vmdtD, hprev);
    const den = f64x2.sub(f64x2.add(one, f64x2.mul(vdtD, f64x2.add(hi, bprev))), f64x2.mul(l, cprev));
    const inv = f64x2.div(one, den);
    cprev = f64x2.mul(f64x2.mul(vmdtD, bi), inv);
    dprev = f64x2.mul(f64x2.sub(rhs, f64x2.mul(l, dprev)), inv);
    v128.store(cp + (<usize>i << 4), cprev);
    v128.store(dd + (<usize>i << 4), dprev);
    if (i >= iR) {
      eprev = i == iR ? inv : f64x2.mul(f64x2.mul(f64x2.neg(l), eprev), inv);
      v128.store(ep + (<usize>i << 4), eprev);
    }
    jl = jr;
    pcur = pnext;
    bprev = bi;
    hprev = hi;
  }
  const g = f64x2.mul(vdtD, hlast);
  const dlast = f64x2.div(dprev, f64x2.sub(one, f64x2.mul(g, eprev)));
  const sInj = f64x2.mul(g, dlast);
  const pl0 = load<f64>(at(s0, nv - 1)) + f64x2.extract_lane(dlast, 0);
  const pl1 = load<f64>(at(s1, nv - 1)) + f64x2.extract_lane(dlast, 1);
  store<f64>(at(s0, nv - 1), pl0);
  store<f64>(at(s1, nv - 1), pl1);
  let dnext = dlast;
  for (let i = nv - 2; i >= 0; i--) {
    let d = f64x2.sub(v128.load(dd + (<usize>i << 4)), f64x2.mul(v128.load(cp + (<usize>i << 4)), dnext));
    if (i >= iR) d = f64x2.add(d, f64x2.mul(sInj, v128.load(ep + (<usize>i << 4))));
    store<f64>(at(s0, i), load<f64>(at(s0, i)) + f64x2.extract_lane(d, 0));
    store<f64>(at(s1, i), load<f64>(at(s1, i)) + f64x2.extract_lane(d, 1));
    dnext = d;
  }
  const aoh = a / h;
  const n0 = aoh * f64x2.extract_lane(hlast, 0) * pl0;
  const n1 = aoh * f64x2.extract_lane(hlast, 1) * pl1;
  if (!isFinite(n0)) return fail(STATUS_NONFINITE, k, step, time, n0);
  if (!isFinite(n1)) return fail(STATUS_NONFINITE, k + 1, step, time, n1);
  store<f64>(at(np, k), n0);
  store<f64>(at(np, k + 1), n1);
  return 0;
}

/** B(z) lane-wise in f64x2 (same operations as {@link bern}). */
// @ts-ignore: decorator
@inline
function bern2(z: v128, e: v128): v128 {
  const one = f64x2.splat(1.0);
  const z2 = f64x2.mul(z, z);
  const series = f64x2.add(
    f64x2.sub(one, f64x2.mul(f64x2.splat(0.5), z)),
    f64x2.mul(z2, f64x2.sub(f64x2.splat(1.0 / 12.0), f64x2.mul(z2, f64x2.splat(1.0 / 720.0)))),
  );
  return v128.bitselect(series, f64x2.div(z, f64x2.sub(e, one)), f64x2.lt(f64x2.abs(z), f64x2.splat(0.01)));
}

/**
 * Four slices per pass: two independent f64x2 Thomas recurrences interleaved, so the division
 * latency of one chain overlaps the other's work. Same operations lane-wise as the scalar path
 * (bit-identical). Slices k..k+3; scratch interleaved [i][4].
 */
function stepQuad(par: usize, k: i32, ca: v128, cb: v128, eaA: v128, eaB: v128, step: f64, time: f64): i32 {
  const nv = <i32>rd(par, P_NV);
  const iR = <i32>rd(par, P_IR);
  const vmin = rd(par, P_VMIN);
  const h = rd(par, P_H);
  const a = rd(par, P_A);
  const dt = rd(par, P_DT);
  const pp = ptr(par, P_PTR_P);
  const np = ptr(par, P_PTR_N);
  const gp = ptr(par, P_PTR_G);
  const work = ptr(par, P_PTR_WORK);
  const cp = work; // 4·nv f64 each
  const dd = work + (<usize>(4 * nv) << 3);
  const ep = work + (<usize>(8 * nv) << 3);
  const s0 = pp + (<usize>(k * nv) << 3);
  const s1 = s0 + (<usize>nv << 3);
  const s2 = s1 + (<usize>nv << 3);
  const s3 = s2 + (<usize>nv << 3);
  const dtD = dt * (a / (h * h));
  const vHoa = f64x2.splat(h / a);
  const one = f64x2.splat(1.0);
  const vdtD = f64x2.splat(dtD);
  const vmdtD = f64x2.splat(-dtD);
  const zero = f64x2.splat(0.0);
  const vl = f64x2.splat(vmin + (<f64>(nv - 1) + 0.5) * h);
  const gl = f64x2.splat(load<f64>(at(gp, nv - 1)));
  const zlA = f64x2.mul(vHoa, f64x2.sub(ca, vl));
  const zlB = f64x2.mul(vHoa, f64x2.sub(cb, vl));
  const hlA = f64x2.add(bern2(zlA, f64x2.mul(eaA, gl)), zlA);
  const hlB = f64x2.add(bern2(zlB, f64x2.mul(eaB, gl)), zlB);
  const last = nv - 1;
  const outA = f64x2.mul(hlA, f64x2(load<f64>(at(s0, last)), load<f64>(at(s1, last))));
  const outB = f64x2.mul(hlB, f64x2(load<f64>(at(s2, last)), load<f64>(at(s3, last))));
  let jlA = zero;
  let jlB = zero;
  let pA = f64x2(load<f64>(s0), load<f64>(s1));
  let pB = f64x2(load<f64>(s2), load<f64>(s3));
  let cA = zero;
  let cB = zero;
  let dA = zero;
  let dB = zero;
  let eA = zero;
  let eB = zero;
  let bpA = zero;
  let bpB = zero;
  let hpA = zero;
  let hpB = zero;
  for (let i = 0; i < nv; i++) {
    const vi = f64x2.splat(vmin + (<f64>i + 0.5) * h);
    const gi = f64x2.splat(load<f64>(at(gp, i)));
    const zA = f64x2.mul(vHoa, f64x2.sub(ca, vi));
    const zB = f64x2.mul(vHoa, f64x2.sub(cb, vi));
    const bA = bern2(zA, f64x2.mul(eaA, gi));
    const bB = bern2(zB, f64x2.mul(eaB, gi));
    const hA = f64x2.add(bA, zA);
    const hB = f64x2.add(bB, zB);
    let nA = zero;
    let nB = zero;
    if (i + 1 < nv) {
      nA = f64x2(load<f64>(at(s0, i + 1)), load<f64>(at(s1, i + 1)));
      nB = f64x2(load<f64>(at(s2, i + 1)), load<f64>(at(s3, i + 1)));
    }
    const jrA = f64x2.sub(f64x2.mul(hA, pA), f64x2.mul(bA, nA));
    const jrB = f64x2.sub(f64x2.mul(hB, pB), f64x2.mul(bB, nB));
    let rA = f64x2.mul(vdtD, f64x2.sub(jlA, jrA));
    let rB = f64x2.mul(vdtD, f64x2.sub(jlB, jrB));
    if (i == iR) {
      rA = f64x2.add(rA, f64x2.mul(vdtD, outA));
      rB = f64x2.add(rB, f64x2.mul(vdtD, outB));
    }
    const lA = f64x2.mul(vmdtD, hpA);
    const lB = f64x2.mul(vmdtD, hpB);
    const iA = f64x2.div(one, f64x2.sub(f64x2.add(one, f64x2.mul(vdtD, f64x2.add(hA, bpA))), f64x2.mul(lA, cA)));
    const iB = f64x2.div(one, f64x2.sub(f64x2.add(one, f64x2.mul(vdtD, f64x2.add(hB, bpB))), f64x2.mul(lB, cB)));
    cA = f64x2.mul(f64x2.mul(vmdtD, bA), iA);
    cB = f64x2.mul(f64x2.mul(vmdtD, bB), iB);
    dA = f64x2.mul(f64x2.sub(rA, f64x2.mul(lA, dA)), iA);
    dB = f64x2.mul(f64x2.sub(rB, f64x2.mul(lB, dB)), iB);
    const o = <usize>i << 5;
    v128.store(cp + o, cA);
    v128.store(cp + o + 16, cB);
    v128.store(dd + o, dA);
    v128.store(dd + o + 16, dB);
    if (i >= iR) {
      if (i == iR) {
        eA = iA;
        eB = iB;
      } else {
        eA = f64x2.mul(f64x2.mul(f64x2.neg(lA), eA), iA);
        eB = f64x2.mul(f64x2.mul(f64x2.neg(lB), eB), iB);
      }
      v128.store(ep + o, eA);
      v128.store(ep + o + 16, eB);
    }
    jlA = jrA;
    jlB = jrB;
    pA = nA;
    pB = nB;
    bpA = bA;
    bpB = bB;
    hpA = hA;
    hpB = hB;
  }
  const gA = f64x2.mul(vdtD, hlA);
  const gB = f64x2.mul(vdtD, hlB);
  const dlA = f64x2.div(dA, f64x2.sub(one, f64x2.mul(gA, eA)));
  const dlB = f64x2.div(dB, f64x2.sub(one, f64x2.mul(gB, eB)));
  const sA = f64x2.mul(gA, dlA);
  const sB = f64x2.mul(gB, dlB);
  const q0 = load<f64>(at(s0, last)) + f64x2.extract_lane(dlA, 0);
  const q1 = load<f64>(at(s1, last)) + f64x2.extract_lane(dlA, 1);
  const q2 = load<f64>(at(s2, last)) + f64x2.extract_lane(dlB, 0);
  const q3 = load<f64>(at(s3, last)) + f64x2.extract_lane(dlB, 1);
  store<f64>(at(s0, last), q0);
  store<f64>(at(s1, last), q1);
  store<f64>(at(s2, last), q2);
  store<f64>(at(s3, last), q3);
  let xA = dlA;
  let xB = dlB;
  for (let i = nv - 2; i >= 0; i--) {
    const o = <usize>i << 5;
    let yA = f64x2.sub(v128.load(dd + o), f64x2.mul(v128.load(cp + o), xA));
    let yB = f64x2.sub(v128.load(dd + o + 16), f64x2.mul(v128.load(cp + o + 16), xB));
    if (i >= iR) {
      yA = f64x2.add(yA, f64x2.mul(sA, v128.load(ep + o)));
      yB = f64x2.add(yB, f64x2.mul(sB, v128.load(ep + o + 16)));
    }
    store<f64>(at(s0, i), load<f64>(at(s0, i)) + f64x2.extract_lane(yA, 0));
    store<f64>(at(s1, i), load<f64>(at(s1, i)) + f64x2.extract_lane(yA, 1));
    store<f64>(at(s2, i), load<f64>(at(s2, i)) + f64x2.extract_lane(yB, 0));
    store<f64>(at(s3, i), load<f64>(at(s3, i)) + f64x2.extract_lane(yB, 1));
    xA = yA;
    xB = yB;
  }
  const aoh = a / h;
  const n0 = aoh * f64x2.extract_lane(hlA, 0) * q0;
  const n1 = aoh * f64x2.extract_lane(hlA, 1) * q1;
  const n2 = aoh * f64x2.extract_lane(hlB, 0) * q2;
  const n3 = aoh * f64x2.extract_lane(hlB, 1) * q3;
  if (!isFinite(n0)) return fail(STATUS_NONFINITE, k, step, time, n0);
  if (!isFinite(n1)) return fail(STATUS_NONFINITE, k + 1, step, time, n1);
  if (!isFinite(n2)) return fail(STATUS_NONFINITE, k + 2, step, time, n2);
  if (!isFinite(n3)) return fail(STATUS_NONFINITE, k + 3, step, time, n3);
  store<f64>(at(np, k), n0);
  store<f64>(at(np, k + 1), n1);
  store<f64>(at(np, k + 2), n2);
  store<f64>(at(np, k + 3), n3);
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
  const work = ptr(par, P_PTR_WORK) + (<usize>(12 * nv) << 3);
  const al = work; // α_k, k < nw − 1
  const be = work + (<usize>nw << 3); // β_k
  const cw = work + (<usize>(2 * nw) << 3); // Thomas c'
  const iv = work + (<usize>(3 * nw) << 3); // 1/den
  const d = (eps * nu) / dw;
  const r = dt / dw;
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
    if (r * worst > 1.0) return fail(STATUS_CFL, -1, step, time, dw / worst);
    // p_k += r(F_{k−1/2} − F_{k+1/2}); sweep k upwards, keeping the old row k−1 in place by
    // computing the flux F_{k+1/2} from old rows k, k+1 before row k is overwritten.
    const fl = ptr(par, P_PTR_WORK); // reuse the v scratch (nv) for F_{k−1/2}
    for (let i = 0; i < nv; i++) store<f64>(at(fl, i), 0.0);
    for (let k = 0; k < nw; k++) {
      const row = pp + (<usize>(k * nv) << 3);
      const last = k == nw - 1;
      const ak = last ? 0.0 : load<f64>(at(al, k));
      const bk = last ? 0.0 : load<f64>(at(be, k));
      const nxt = row + (<usize>nv << 3);
      for (let i = 0; i < nv; i++) {
        const pk = load<f64>(at(row, i));
        const fr = last ? 0.0 : ak * pk - bk * load<f64>(at(nxt, i));
        store<f64>(at(row, i), pk + r * (load<f64>(at(fl, i)) - fr));
        store<f64>(at(fl, i), fr);
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
    if (k == 0) {
      for (let i = 0; i < nv; i++) store<f64>(at(row, i), load<f64>(at(row, i)) * inv);
    } else {
      const prv = row - (<usize>nv << 3);
      for (let i = 0; i < nv; i++) store<f64>(at(row, i), (load<f64>(at(row, i)) - lo * load<f64>(at(prv, i))) * inv);
    }
  }
  for (let k = nw - 2; k >= 0; k--) {
    const row = pp + (<usize>(k * nv) << 3);
    const nxt = row + (<usize>nv << 3);
    const ck = load<f64>(at(cw, k));
    for (let i = 0; i < nv; i++) store<f64>(at(row, i), load<f64>(at(row, i)) - ck * load<f64>(at(nxt, i)));
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
  for (let j = 0; j < nv; j++) store<f64>(at(gp, j), Math.exp((-(<f64>j + 0.5) * h * h) / a));
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
    if (!isFinite(nbar) || nbar > nmax) return fail(STATUS_BLOWUP, -1, step, time, nbar);
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
    if (!isFinite(nbar)) return fail(STATUS_NONFINITE, -1, step, step * dt, nbar);
    total += <f64>fired;
    nsum += nbar;
    wr(par, Q_STEP, step + 1.0);
  }
  wr(par, Q_NBAR, nbar);
  wr(par, Q_SPIKES, total);
  wr(par, Q_NBAR_SUM, nsum);
  return 0;
}
