/**
 * Plain TypeScript reference of the kernel's semi-implicit Scharfetter–Gummel v-step (same
 * formulas and order of operations as `stepV` in assembly/fp/index.ts), used by tests (WASM vs
 * TS agreement) and by the benchmark (WASM vs plain TS speed).
 * @packageDocumentation
 */
import { strictOptions } from '../contract/options.js';
import { ValidationError } from '../kernel/errors.js';
import { checkFinite, checkFiniteArray, checkInteger, checkNonNegative, checkPositive } from '../kernel/validate.js';

/** Checks a Float64Array argument's length (the arrays are updated in place, so no copy). */
function checkF64(name: string, v: unknown, length: number): Float64Array {
  if (!(v instanceof Float64Array)) throw new ValidationError(name, `a Float64Array of length ${length}`, v);
  if (v.length !== length) throw new ValidationError(`${name}.length`, `${length}`, v.length);
  return v;
}

/** Scratch buffers and per-grid tables of {@link fpReferenceStep} (reuse them across steps). */
export interface FpReferenceWork {
  /** Thomas sweep: γ_i = b_i/den_i, length nv. */
  g: Float64Array;
  /** Thomas sweep: modified right-hand side d'_i, length nv. */
  d: Float64Array;
  /** Bordered sweep: the reinjection column e'_i carried on rows ≥ iR, length nv. */
  e: Float64Array;
  /** δ_j = (j + ½)h²/a, so z_j = α_k − δ_j at the interface v_{j+½}, length nv. */
  delta: Float64Array;
  /** G_j = e^{−δ_j}, so e^{z_j} = e^{α_k}·G_j (one exp per slice), length nv. */
  G: Float64Array;
}

/**
 * Allocates scratch for a grid of `nv` v-unknowns (v-step `h`, noise `a`) with the tables
 * δ_j = (j + ½)h²/a, G_j = e^{−δ_j}.
 */
export function fpReferenceWork(options: { nv: number; h: number; a: number }): FpReferenceWork {
  if (options === undefined) throw new ValidationError('options', 'an options object { nv, h, a }', options);
  const o = strictOptions('fpReferenceWork', 'options', options, ['nv', 'h', 'a']);
  const nv = checkInteger('nv', o.nv, 3, 1 << 20);
  const h = checkPositive('h', o.h);
  const a = checkPositive('a', o.a);
  if (!Number.isFinite((nv * h * h) / a))
    throw new ValidationError('a', `a noise large enough that δ = nv·h²/a stays finite (nv = ${nv}, h = ${h})`, o.a);
  const delta = new Float64Array(nv);
  const G = new Float64Array(nv);
  for (let j = 0; j < nv; j++) {
    delta[j] = ((j + 0.5) * h * h) / a;
    G[j] = Math.exp(-delta[j]);
  }
  return { g: new Float64Array(nv), d: new Float64Array(nv), e: new Float64Array(nv), delta, G };
}

/**
 * One semi-implicit SG step of every w-slice of `p` (row-major `[k * nv + i]`), in place, with
 * drift −v + c_k; writes N_k to `rates`. Per slice, with α = (h/a)(c_k − V_min), z_i = α − δ_i and
 * the coefficients scaled by ΔtD = Δt·a/h² (b_i = ΔtD·B(z_i), ĥ_i = b_i + ΔtD·z_i = ΔtD·B(−z_i)),
 * it solves (I − ΔtA)δp = ΔtA·p^n for the increment: one bordered Thomas sweep, the border being
 * the reinjection of the outflow ĥ_{nv−1}p_{nv−1} at row iR. Plain TypeScript, no validation in
 * the loop: a reference, not a production path (use {@link FokkerPlanckSolver}).
 */
export function fpReferenceStep(p: Float64Array, rates: Float64Array, c: ArrayLike<number>, options: FpReferenceStepOptions): void {
  if (options === undefined) throw new ValidationError('options', 'an options object { grid, a, dt, work }', options);
  const { grid, a, dt, work } = strictOptions<FpReferenceStepOptions>('fpReferenceStep', 'options', options, ['grid', 'a', 'dt', 'work']);
  if (typeof grid !== 'object' || grid === null) throw new ValidationError('grid', 'a grid { nv, nw, iR, vMin, h }', grid);
  if (typeof work !== 'object' || work === null) throw new ValidationError('work', 'scratch from fpReferenceWork', work);
  const nv = checkInteger('grid.nv', grid.nv, 3, 1 << 20);
  const nw = checkInteger('grid.nw', grid.nw, 1, 1 << 20);
  const iR = checkInteger('grid.iR', grid.iR, 0, nv - 1);
  const vmin = checkFinite('grid.vMin', grid.vMin);
  const h = checkPositive('grid.h', grid.h);
  checkFiniteArray('c', c, nw);
  checkF64('p', p, nv * nw);
  checkF64('rates', rates, nw);
  checkPositive('a', a);
  checkPositive('dt', dt);
  for (const k of ['g', 'd', 'e', 'delta', 'G'] as const) checkF64(`work.${k}`, work[k], nv);
  const { g: gg, d: dd, e: ee, delta, G } = work;
  const hoa = h / a;
  const dtD = dt * (a / (h * h));
  const rs = a / (h * dtD);
  const span = (nv * h * h) / a;
  const last = nv - 1;
  const bern = (z: number, e: number): number => {
    if (Math.abs(z) < 0.01) {
      const z2 = z * z;
      return dtD * (1 - 0.5 * z + z2 * (1 / 12 - z2 * (1 / 720)));
    }
    return (dtD * z) / (e - 1);
  };
  for (let k = 0; k < nw; k++) {
    const s = k * nv;
    const alpha = hoa * (c[k] - vmin);
    const fast = alpha < 700 && alpha - span > -700;
    const E = Math.exp(alpha);
    const zL = alpha - delta[last];
    const hL = bern(zL, fast ? E * G[last] : Math.exp(zL)) + dtD * zL;
    const out = hL * p[s + last];
    let u = 0;
    let q = 1;
    let r = 0;
    let pc = p[s];
    let d = 0;
    let e = 0;
    for (let i = 0; i < nv; i++) {
      const z = alpha - delta[i];
      const b = bern(z, fast ? E * G[i] : Math.exp(z));
      const hh = b + dtD * z;
      const pn = i < last ? p[s + i + 1] : 0;
      const jr = hh * pc - b * pn;
      const inv = 1 / (hh + q);
      const g = b * inv;
      let rhs = u - jr;
      if (i === iR) rhs += out;
      d = rhs * inv;
      gg[i] = g;
      dd[i] = d;
      if (i >= iR) {
        e = i === iR ? inv : r * inv;
        ee[i] = e;
        r = hh * e;
      }
      u = jr + hh * d;
      q = 1 + b - hh * g;
      pc = pn;
    }
    const dlast = d / (1 - hL * e);
    const sInj = hL * dlast;
    const plast = p[s + last] + dlast;
    p[s + last] = plast;
    let x = dlast;
    for (let i = last - 1; i >= 0; i--) {
      let y = dd[i] + gg[i] * x;
      if (i >= iR) y += sInj * ee[i];
      p[s + i] += y;
      x = y;
    }
    rates[k] = rs * hL * plast;
  }
}

/** Options of {@link fpReferenceStep}. */
export interface FpReferenceStepOptions {
  /** The grid's sizes and steps (a solver's `grid` works). */
  grid: { nv: number; nw: number; iR: number; vMin: number; h: number };
  /** Noise intensity a > 0. */
  a: number;
  /** Time step Δt > 0 (τ_m). */
  dt: number;
  /** Scratch from {@link fpReferenceWork} for the same nv, h and a. */
  work: FpReferenceWork;
}

/** Options of {@link fpReferenceStepW}. */
export interface FpReferenceStepWOptions {
  /** Total activity N̄ entering Φ = N̄·N·K (spikes per τ_m). */
  nbar: number;
  /** The grid's sizes, cell centres and cell width (a solver's `grid` works). */
  grid: { nv: number; nw: number; w: ArrayLike<number>; dw: number };
  /** Learning time scale ε > 0. */
  epsilon: number;
  /** Weight diffusion ν ≥ 0. */
  nu: number;
  /** Time step Δt > 0 (τ_m). */
  dt: number;
  /** Scratch from {@link fpReferenceWorkW}. */
  work: FpReferenceWorkW;
}

/** Scratch of {@link fpReferenceStepW} (reuse across steps). */
export interface FpReferenceWorkW {
  /** Rusanov flux coefficients α_k (outflow from cell k), length nw. */
  alpha: Float64Array;
  /** Rusanov flux coefficients β_k (inflow from cell k + 1), length nw. */
  beta: Float64Array;
  /** Flux F_{k−½} per v-node, carried up the w-grid, length nv. */
  flux: Float64Array;
}

/** Allocates scratch for {@link fpReferenceStepW} on a grid of `nv` × `nw` cells. */
export function fpReferenceWorkW(options: { nv: number; nw: number }): FpReferenceWorkW {
  if (options === undefined) throw new ValidationError('options', 'an options object { nv, nw }', options);
  const o = strictOptions('fpReferenceWorkW', 'options', options, ['nv', 'nw']);
  const nv = checkInteger('nv', o.nv, 3, 1 << 20);
  const nw = checkInteger('nw', o.nw, 1, 1 << 20);
  return { alpha: new Float64Array(nw), beta: new Float64Array(nw), flux: new Float64Array(nv) };
}

/**
 * One explicit w-step of the learning transport ∂_t p + ε∂_w[(Φ − w)p] = εν∂_ww p with the Hebbian
 * field Φ_k = N̄·N_k·K_k (seed eq. (8)), zero flux at both ends, in place: the plain TypeScript
 * reference of the kernel's `stepW` (same Rusanov flux F_{k+½} = α_k p_k − β_k p_{k+1},
 * α_k = ½(u_k + λ) + εν/Δw, β_k = ½(λ − u_{k+1}) + εν/Δw, u = ε(Φ − w),
 * λ = max over both cells of |u| + ε|Φ|; same order of operations, so the same bits). Throws a
 * ValidationError naming `dt` when Δt·max(β_{k−1} + α_k)/Δw > 1 (the positivity bound the
 * kernel enforces), and for wrong lengths or non-finite inputs.
 */
export function fpReferenceStepW(p: Float64Array, rates: Float64Array, K: ArrayLike<number>, options: FpReferenceStepWOptions): void {
  if (options === undefined) throw new ValidationError('options', 'an options object { nbar, grid, epsilon, nu, dt, work }', options);
  const { nbar, grid, epsilon, nu, dt, work } = strictOptions<FpReferenceStepWOptions>('fpReferenceStepW', 'options', options, [
    'nbar',
    'grid',
    'epsilon',
    'nu',
    'dt',
    'work',
  ]);
  if (typeof grid !== 'object' || grid === null) throw new ValidationError('grid', 'a grid { nv, nw, w, dw }', grid);
  if (typeof work !== 'object' || work === null) throw new ValidationError('work', 'scratch from fpReferenceWorkW', work);
  const nv = checkInteger('grid.nv', grid.nv, 3, 1 << 20);
  const nw = checkInteger('grid.nw', grid.nw, 1, 1 << 20);
  const w = checkFiniteArray('grid.w', grid.w, nw);
  const dw = checkPositive('grid.dw', grid.dw);
  checkF64('p', p, nv * nw);
  checkFiniteArray('rates', rates, nw);
  checkFinite('nbar', nbar);
  checkFiniteArray('K', K, nw);
  checkPositive('epsilon', epsilon);
  checkNonNegative('nu', nu);
  checkPositive('dt', dt);
  checkF64('work.alpha', work.alpha, nw);
  checkF64('work.beta', work.beta, nw);
  checkF64('work.flux', work.flux, nv);
  const { alpha: al, beta: be, flux: fl } = work;
  const d = (epsilon * nu) / dw;
  const r = dt / dw;
  let phiL = nbar * rates[0] * K[0];
  let uL = epsilon * (phiL - w[0]);
  let sL = Math.abs(uL) + epsilon * Math.abs(phiL);
  for (let k = 0; k < nw - 1; k++) {
    const phiR = nbar * rates[k + 1] * K[k + 1];
    const uR = epsilon * (phiR - w[k + 1]);
    const sR = Math.abs(uR) + epsilon * Math.abs(phiR);
    const lam = Math.max(sL, sR);
    al[k] = 0.5 * (uL + lam) + d;
    be[k] = 0.5 * (lam - uR) + d;
    uL = uR;
    sL = sR;
    phiL = phiR;
  }
  let worst = 0;
  for (let k = 0; k < nw; k++) {
    const x = (k > 0 ? be[k - 1] : 0) + (k < nw - 1 ? al[k] : 0);
    if (x > worst) worst = x;
  }
  if (r * worst > 1) throw new ValidationError('dt', `<= ${dw / worst} (explicit w-step positivity bound Δt·max(α + β)/Δw <= 1)`, dt);
  fl.fill(0);
  for (let k = 0; k < nw; k++) {
    const s = k * nv;
    if (k === nw - 1) {
      for (let i = 0; i < nv; i++) p[s + i] = p[s + i] + r * fl[i];
      break;
    }
    const ak = al[k];
    const bk = be[k];
    if (k + 2 < nw) {
      // Rows k and k + 1 together, F_{k+½} kept in a local between them (as the kernel does).
      const ak1 = al[k + 1];
      const bk1 = be[k + 1];
      for (let i = 0; i < nv; i++) {
        const pk = p[s + i];
        const pk1 = p[s + nv + i];
        const fr = ak * pk - bk * pk1;
        const fr1 = ak1 * pk1 - bk1 * p[s + 2 * nv + i];
        p[s + i] = pk + r * (fl[i] - fr);
        p[s + nv + i] = pk1 + r * (fr - fr1);
        fl[i] = fr1;
      }
      k++;
      continue;
    }
    for (let i = 0; i < nv; i++) {
      const pk = p[s + i];
      const fr = ak * pk - bk * p[s + nv + i];
      p[s + i] = pk + r * (fl[i] - fr);
      fl[i] = fr;
    }
  }
}
