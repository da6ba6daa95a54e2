// ltn kernels (facade: src/ltn/batch.ts and src/ltn/lds.ts; TS twins in src/ltn/reference.ts).
// Linear-threshold network family LTN_γ (seed 004; lif-ltn.md §2.3, our reconstruction):
//   ẋ = −γ D x + [(W + (γ−1) D) x + u]_+ ,   D = diag(d) ≻ 0.
// Row-major f64 matrices; JS owns every region (pointers passed in).
import { fail, STATUS_NONFINITE } from '../kernel';

// f_i = −γ d_i x_i + [(u_i + (γ−1) d_i x_i) + (Σ_{j even} W_ij x_j + Σ_{j odd} W_ij x_j)]_+
// (this summation order is part of the contract: the TS reference and the f64x2 path follow it)
// @ts-ignore: decorator
@inline
function ltnRhs(n: i32, d: usize, w: usize, u: usize, g: f64, x: usize, out: usize): void {
  for (let i = 0; i < n; i++) {
    const io = <usize>i << 3;
    const xi = load<f64>(x + io);
    const di = load<f64>(d + io);
    const row = w + ((<usize>(i * n)) << 3);
    let a0 = 0.0;
    let a1 = 0.0;
    let j = 0;
    for (; j + 1 < n; j += 2) {
      a0 += load<f64>(row + ((<usize>j) << 3)) * load<f64>(x + ((<usize>j) << 3));
      a1 += load<f64>(row + ((<usize>(j + 1)) << 3)) * load<f64>(x + ((<usize>(j + 1)) << 3));
    }
    if (j < n) a0 += load<f64>(row + ((<usize>j) << 3)) * load<f64>(x + ((<usize>j) << 3));
    const s = load<f64>(u + io) + (g - 1.0) * di * xi + (a0 + a1);
    store<f64>(out + io, -g * di * xi + (s > 0.0 ? s : 0.0));
  }
}

// Two trajectories in the lanes of f64x2 (interleaved scratch: element i of lane l at 2i + l).
// Same operations in the same order as the scalar path, so results are bit-identical to it.
// @ts-ignore: decorator
@inline
function ltnRhs2(n: i32, d: usize, w: usize, u2: usize, g: v128, gm1: v128, x: usize, out: usize): void {
  const zero = f64x2.splat(0.0);
  for (let i = 0; i < n; i++) {
    const io = (<usize>i) << 4;
    const xi = v128.load(x + io);
    const di = v128.load64_splat(d + ((<usize>i) << 3));
    const row = w + ((<usize>(i * n)) << 3);
    // two accumulators (even / odd j) break the add latency chain; the scalar path sums alike
    let a0 = f64x2.splat(0.0);
    let a1 = f64x2.splat(0.0);
    let j = 0;
    for (; j + 1 < n; j += 2) {
      a0 = f64x2.add(a0, f64x2.mul(v128.load64_splat(row + ((<usize>j) << 3)), v128.load(x + ((<usize>j) << 4))));
      a1 = f64x2.add(a1, f64x2.mul(v128.load64_splat(row + ((<usize>(j + 1)) << 3)), v128.load(x + ((<usize>(j + 1)) << 4))));
    }
    if (j < n) a0 = f64x2.add(a0, f64x2.mul(v128.load64_splat(row + ((<usize>j) << 3)), v128.load(x + ((<usize>j) << 4))));
    const s = f64x2.add(f64x2.add(v128.load(u2 + io), f64x2.mul(f64x2.mul(gm1, di), xi)), f64x2.add(a0, a1));
    // relu as a select on s > 0 (like the scalar ternary)
    const r = v128.bitselect(s, zero, f64x2.gt(s, zero));
    v128.store(out + io, f64x2.add(f64x2.mul(f64x2.mul(f64x2.neg(g), di), xi), r));
  }
}

function ltnBatchPair(
  n: i32,
  k: i32,
  d: usize,
  w: usize,
  u: usize,
  uStride: i32,
  gammas: usize,
  x: usize,
  h: f64,
  steps: i32,
  method: i32,
  scratch: usize,
): i32 {
  const nb = (<usize>n) << 3;
  const n2 = (<usize>n) << 4;
  const xs = scratch;
  const k1 = xs + n2;
  const k2 = k1 + n2;
  const k3 = k2 + n2;
  const k4 = k3 + n2;
  const t = k4 + n2;
  const u2 = t + n2;
  const x0 = x + (<usize>k) * nb;
  const x1 = x0 + nb;
  const ua = u + (<usize>(k * uStride)) * 8;
  const ub = u + (<usize>((k + 1) * uStride)) * 8;
  for (let i = 0; i < n; i++) {
    const io = (<usize>i) << 3;
    store<f64>(xs + (io << 1), load<f64>(x0 + io));
    store<f64>(xs + (io << 1) + 8, load<f64>(x1 + io));
    store<f64>(u2 + (io << 1), load<f64>(ua + io));
    store<f64>(u2 + (io << 1) + 8, load<f64>(ub + io));
  }
  const ga = load<f64>(gammas + ((<usize>k) << 3));
  const gb = load<f64>(gammas + ((<usize>(k + 1)) << 3));
  const g = f64x2.replace_lane(f64x2.splat(ga), 1, gb);
  const gm1 = f64x2.replace_lane(f64x2.splat(ga - 1.0), 1, gb - 1.0);
  const hv = f64x2.splat(h);
  const h2 = f64x2.splat(0.5 * h);
  const h6 = f64x2.splat(h / 6.0);
  const two = f64x2.splat(2.0);
  const zero = f64x2.splat(0.0);
  let code = 0;
  for (let s = 0; s < steps; s++) {
    if (method == 0) {
      ltnRhs2(n, d, w, u2, g, gm1, xs, k1);
      for (let i = 0; i < n; i++) {
        const io = (<usize>i) << 4;
        v128.store(xs + io, f64x2.add(v128.load(xs + io), f64x2.mul(hv, v128.load(k1 + io))));
      }
    } else if (method == 1) {
      ltnRhs2(n, d, w, u2, g, gm1, xs, k1);
      for (let i = 0; i < n; i++) {
        const io = (<usize>i) << 4;
        v128.store(t + io, f64x2.add(v128.load(xs + io), f64x2.mul(h2, v128.load(k1 + io))));
      }
      ltnRhs2(n, d, w, u2, g, gm1, t, k2);
      for (let i = 0; i < n; i++) {
        const io = (<usize>i) << 4;
        v128.store(t + io, f64x2.add(v128.load(xs + io), f64x2.mul(h2, v128.load(k2 + io))));
      }
      ltnRhs2(n, d, w, u2, g, gm1, t, k3);
      for (let i = 0; i < n; i++) {
        const io = (<usize>i) << 4;
        v128.store(t + io, f64x2.add(v128.load(xs + io), f64x2.mul(hv, v128.load(k3 + io))));
      }
      ltnRhs2(n, d, w, u2, g, gm1, t, k4);
      for (let i = 0; i < n; i++) {
        const io = (<usize>i) << 4;
        let inc = f64x2.add(v128.load(k1 + io), f64x2.mul(two, v128.load(k2 + io)));
        inc = f64x2.add(inc, f64x2.mul(two, v128.load(k3 + io)));
        inc = f64x2.add(inc, v128.load(k4 + io));
        v128.store(xs + io, f64x2.add(v128.load(xs + io), f64x2.mul(h6, inc)));
      }
    } else {
      for (let i = 0; i < n; i++) {
        const io = (<usize>i) << 4;
        const row = w + ((<usize>(i * n)) << 3);
        let a0 = f64x2.splat(0.0);
        let a1 = f64x2.splat(0.0);
        let j = 0;
        for (; j + 1 < n; j += 2) {
          a0 = f64x2.add(a0, f64x2.mul(v128.load64_splat(row + ((<usize>j) << 3)), v128.load(xs + ((<usize>j) << 4))));
          a1 = f64x2.add(a1, f64x2.mul(v128.load64_splat(row + ((<usize>(j + 1)) << 3)), v128.load(xs + ((<usize>(j + 1)) << 4))));
        }
        if (j < n) a0 = f64x2.add(a0, f64x2.mul(v128.load64_splat(row + ((<usize>j) << 3)), v128.load(xs + ((<usize>j) << 4))));
        const f = f64x2.add(f64x2.sub(v128.load(u2 + io), f64x2.mul(v128.load64_splat(d + ((<usize>i) << 3)), v128.load(xs + io))), f64x2.add(a0, a1));
        v128.store(k1 + io, f);
      }
      for (let i = 0; i < n; i++) {
        const io = (<usize>i) << 4;
        const v = f64x2.add(v128.load(xs + io), f64x2.mul(hv, v128.load(k1 + io)));
        v128.store(xs + io, v128.bitselect(v, zero, f64x2.gt(v, zero)));
      }
    }
    for (let l = 0; l < 2; l++) {
      for (let i = 0; i < n; i++) {
        const v = load<f64>(xs + ((<usize>i) << 4) + ((<usize>l) << 3));
        if (!isFinite(v)) {
          code = fail(STATUS_NONFINITE, (k + l) * n + i, <f64>s, <f64>s * h, v);
          break;
        }
      }
      if (code != 0) break;
    }
    if (code != 0) break;
  }
  for (let i = 0; i < n; i++) {
    const io = (<usize>i) << 3;
    store<f64>(x0 + io, load<f64>(xs + (io << 1)));
    store<f64>(x1 + io, load<f64>(xs + (io << 1) + 8));
  }
  return code;
}

/**
 * Integrates m trajectories in place (x: m rows of n). Trajectory k uses γ = gammas[k] and input
 * row k·uStride of u (uStride = 0 shares one input). method 0: explicit Euler; 1: classical RK4;
 * 2: projected Euler of the fast-limit PDS x ← [x + h(u − (D − W)x)]_+ (γ ignored).
 * Trajectories are advanced in pairs in the two lanes of f64x2 (an odd last one on the scalar path;
 * bit-identical either way). scratch: 14n f64. Returns 0, or STATUS_NONFINITE (index = k·n + i,
 * step, time = step·h; the states are left as at the failing step).
 */
export function ltnBatchRun(
  n: i32,
  m: i32,
  d: usize,
  w: usize,
  u: usize,
  uStride: i32,
  gammas: usize,
  x: usize,
  h: f64,
  steps: i32,
  method: i32,
  scratch: usize,
): i32 {
  const nb = (<usize>n) << 3;
  const k1 = scratch;
  const k2 = scratch + nb;
  const k3 = scratch + 2 * nb;
  const k4 = scratch + 3 * nb;
  const t = scratch + 4 * nb;
  const h2 = 0.5 * h;
  const h6 = h / 6.0;
  let k0 = 0;
  for (; k0 + 1 < m; k0 += 2) {
    const c = ltnBatchPair(n, k0, d, w, u, uStride, gammas, x, h, steps, method, scratch);
    if (c != 0) return c;
  }
  for (let k = k0; k < m; k++) {
    const xk = x + (<usize>k) * nb;
    const uk = u + (<usize>(k * uStride)) * 8;
    const g = load<f64>(gammas + ((<usize>k) << 3));
    for (let s = 0; s < steps; s++) {
      if (method == 0) {
        ltnRhs(n, d, w, uk, g, xk, k1);
        for (let i = 0; i < n; i++) {
          const io = (<usize>i) << 3;
          store<f64>(xk + io, load<f64>(xk + io) + h * load<f64>(k1 + io));
        }
      } else if (method == 1) {
        ltnRhs(n, d, w, uk, g, xk, k1);
        for (let i = 0; i < n; i++) {
          const io = (<usize>i) << 3;
          store<f64>(t + io, load<f64>(xk + io) + h2 * load<f64>(k1 + io));
        }
        ltnRhs(n, d, w, uk, g, t, k2);
        for (let i = 0; i < n; i++) {
          const io = (<usize>i) << 3;
          store<f64>(t + io, load<f64>(xk + io) + h2 * load<f64>(k2 + io));
        }
        ltnRhs(n, d, w, uk, g, t, k3);
        for (let i = 0; i < n; i++) {
          const io = (<usize>i) << 3;
          store<f64>(t + io, load<f64>(xk + io) + h * load<f64>(k3 + io));
        }
        ltnRhs(n, d, w, uk, g, t, k4);
        for (let i = 0; i < n; i++) {
          const io = (<usize>i) << 3;
          const inc = load<f64>(k1 + io) + 2.0 * load<f64>(k2 + io) + 2.0 * load<f64>(k3 + io) + load<f64>(k4 + io);
          store<f64>(xk + io, load<f64>(xk + io) + h6 * inc);
        }
      } else {
        for (let i = 0; i < n; i++) {
          const io = (<usize>i) << 3;
          const row = w + ((<usize>(i * n)) << 3);
          let a0 = 0.0;
          let a1 = 0.0;
          let j = 0;
          for (; j + 1 < n; j += 2) {
            a0 += load<f64>(row + ((<usize>j) << 3)) * load<f64>(xk + ((<usize>j) << 3));
            a1 += load<f64>(row + ((<usize>(j + 1)) << 3)) * load<f64>(xk + ((<usize>(j + 1)) << 3));
          }
          if (j < n) a0 += load<f64>(row + ((<usize>j) << 3)) * load<f64>(xk + ((<usize>j) << 3));
          store<f64>(k1 + io, load<f64>(uk + io) - load<f64>(d + io) * load<f64>(xk + io) + (a0 + a1));
        }
        for (let i = 0; i < n; i++) {
          const io = (<usize>i) << 3;
          const v = load<f64>(xk + io) + h * load<f64>(k1 + io);
          store<f64>(xk + io, v > 0.0 ? v : 0.0);
        }
      }
      for (let i = 0; i < n; i++) {
        const v = load<f64>(xk + ((<usize>i) << 3));
        if (!isFinite(v)) return fail(STATUS_NONFINITE, k * n + i, <f64>s, <f64>s * h, v);
      }
    }
  }
  return 0;
}

// Smallest eigenpair of the symmetric n×n matrix at a (destroyed) by cyclic Jacobi; v: n×n
// scratch, vec receives the unit eigenvector.
function ltnMinEig(a: usize, v: usize, n: i32, vec: usize): f64 {
  memory.fill(v, 0, (<usize>(n * n)) << 3);
  for (let i = 0; i < n; i++) store<f64>(v + ((<usize>(i * n + i)) << 3), 1.0);
  for (let sweep = 0; sweep < 50; sweep++) {
    let off = 0.0;
    let diag = 0.0;
    for (let i = 0; i < n; i++) {
      const aii = load<f64>(a + ((<usize>(i * n + i)) << 3));
      diag += aii * aii;
      for (let j = i + 1; j < n; j++) {
        const aij = load<f64>(a + ((<usize>(i * n + j)) << 3));
        off += aij * aij;
      }
    }
    if (off <= 1e-30 * diag || off == 0.0) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = load<f64>(a + ((<usize>(p * n + q)) << 3));
        if (apq == 0.0) continue;
        const theta = (load<f64>(a + ((<usize>(q * n + q)) << 3)) - load<f64>(a + ((<usize>(p * n + p)) << 3))) / (2.0 * apq);
        const t = (theta >= 0.0 ? 1.0 : -1.0) / (Math.abs(theta) + Math.sqrt(theta * theta + 1.0));
        const c = 1.0 / Math.sqrt(t * t + 1.0);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const pkp = a + ((<usize>(k * n + p)) << 3);
          const pkq = a + ((<usize>(k * n + q)) << 3);
          const akp = load<f64>(pkp);
          const akq = load<f64>(pkq);
          store<f64>(pkp, c * akp - s * akq);
          store<f64>(pkq, s * akp + c * akq);
        }
        for (let k = 0; k < n; k++) {
          const ppk = a + ((<usize>(p * n + k)) << 3);
          const pqk = a + ((<usize>(q * n + k)) << 3);
          const apk = load<f64>(ppk);
          const aqk = load<f64>(pqk);
          store<f64>(ppk, c * apk - s * aqk);
          store<f64>(pqk, s * apk + c * aqk);
        }
        for (let k = 0; k < n; k++) {
          const pvp = v + ((<usize>(k * n + p)) << 3);
          const pvq = v + ((<usize>(k * n + q)) << 3);
          const vkp = load<f64>(pvp);
          const vkq = load<f64>(pvq);
          store<f64>(pvp, c * vkp - s * vkq);
          store<f64>(pvq, s * vkp + c * vkq);
        }
      }
    }
  }
  let imin = 0;
  for (let i = 1; i < n; i++) {
    if (load<f64>(a + ((<usize>(i * n + i)) << 3)) < load<f64>(a + ((<usize>(imin * n + imin)) << 3))) imin = i;
  }
  for (let k = 0; k < n; k++) store<f64>(vec + ((<usize>k) << 3), load<f64>(v + ((<usize>(k * n + imin)) << 3)));
  return load<f64>(a + ((<usize>(imin * n + imin)) << 3));
}

/**
 * Exponentiated-gradient ascent of φ(p) = λ_min(PM + MᵀP) on the simplex (lif-ltn.md §2.4 [R]):
 * p ← p∘exp(η_k g/‖g‖_∞)/Σ with η_k = eta0/√k and supergradient g_i = 2 v_i (Mv)_i, for the
 * iterations k = kFrom … kTo (resumable: the caller runs 1 … K in chunks, so a long ascent can be
 * cancelled between chunks; the chunking does not change a bit of the result).
 * State kept between chunks: cur (n, the current iterate; = the start on the first call), p (n,
 * the best iterate so far), xbar (n×n, the running Σ (η_k/‖g_k‖_∞) v vᵀ; zero on the first call),
 * state (2 f64: best φ, initially −∞, and Σ η_k/‖g_k‖_∞, initially 0). The caller divides xbar by
 * that sum at the end (the dual iterate). scratch: 2n² + 2n f64.
 * Returns 1 when the ascent stopped early (zero supergradient), else 0.
 */
export function ltnLdsAscent(
  n: i32,
  mat: usize,
  kFrom: i32,
  kTo: i32,
  eta0: f64,
  p: usize,
  cur: usize,
  xbar: usize,
  scratch: usize,
  state: usize,
): i32 {
  const nn = (<usize>(n * n)) << 3;
  const nb = (<usize>n) << 3;
  const s = scratch;
  const v = scratch + nn;
  const vec = scratch + 2 * nn;
  const g = vec + nb;
  let best = load<f64>(state);
  let wsum = load<f64>(state + 8);
  let stopped = 0;
  for (let k = kFrom; k <= kTo; k++) {
    for (let i = 0; i < n; i++) {
      const ci = load<f64>(cur + ((<usize>i) << 3));
      for (let j = 0; j < n; j++) {
        const cj = load<f64>(cur + ((<usize>j) << 3));
        const val = ci * load<f64>(mat + ((<usize>(i * n + j)) << 3)) + load<f64>(mat + ((<usize>(j * n + i)) << 3)) * cj;
        store<f64>(s + ((<usize>(i * n + j)) << 3), val);
      }
    }
    const lam = ltnMinEig(s, v, n, vec);
    if (lam > best) {
      best = lam;
      memory.copy(p, cur, nb);
    }
    let gmax = 0.0;
    for (let i = 0; i < n; i++) {
      let mv = 0.0;
      for (let j = 0; j < n; j++) mv += load<f64>(mat + ((<usize>(i * n + j)) << 3)) * load<f64>(vec + ((<usize>j) << 3));
      const gi = 2.0 * load<f64>(vec + ((<usize>i) << 3)) * mv;
      store<f64>(g + ((<usize>i) << 3), gi);
      if (Math.abs(gi) > gmax) gmax = Math.abs(gi);
    }
    if (gmax == 0.0) {
      stopped = 1;
      break;
    }
    const eta = eta0 / Math.sqrt(<f64>k);
    const wk = eta / gmax;
    wsum += wk;
    for (let i = 0; i < n; i++) {
      const vi = load<f64>(vec + ((<usize>i) << 3));
      for (let j = 0; j < n; j++) {
        const px = xbar + ((<usize>(i * n + j)) << 3);
        store<f64>(px, load<f64>(px) + wk * vi * load<f64>(vec + ((<usize>j) << 3)));
      }
    }
    let z = 0.0;
    for (let i = 0; i < n; i++) {
      const pc = cur + ((<usize>i) << 3);
      const c = load<f64>(pc) * Math.exp((eta * load<f64>(g + ((<usize>i) << 3))) / gmax);
      store<f64>(pc, c);
      z += c;
    }
    for (let i = 0; i < n; i++) {
      const pc = cur + ((<usize>i) << 3);
      store<f64>(pc, load<f64>(pc) / z);
    }
  }
  store<f64>(state, best);
  store<f64>(state + 8, wsum);
  return stopped;
}
