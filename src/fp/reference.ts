/**
 * Plain TypeScript reference of the kernel's semi-implicit Scharfetter–Gummel v-step (same
 * formulas and order of operations as `stepV` in assembly/fp/index.ts), used by tests (WASM vs
 * TS agreement) and by the benchmark (WASM vs plain TS speed).
 * @packageDocumentation
 */
import { checkFiniteArray, checkInteger, checkPositive } from '../kernel/validate.js';

/** Scratch buffers of {@link fpReferenceStep} (reuse them across steps). */
export interface FpReferenceWork {
  b: Float64Array;
  bm: Float64Array;
  c: Float64Array;
  d: Float64Array;
  e: Float64Array;
  g: Float64Array;
}

/** Allocates scratch for a grid of `nv` v-unknowns with Bernoulli factors G_j = e^{−(j+½)h²/a}. */
export function fpReferenceWork(nv: number, h: number, a: number): FpReferenceWork {
  checkInteger('nv', nv, 3);
  checkPositive('h', h);
  checkPositive('a', a);
  const g = new Float64Array(nv);
  for (let j = 0; j < nv; j++) g[j] = Math.exp((-(j + 0.5) * h * h) / a);
  return {
    b: new Float64Array(nv),
    bm: new Float64Array(nv),
    c: new Float64Array(nv),
    d: new Float64Array(nv),
    e: new Float64Array(nv),
    g,
  };
}

/**
 * One semi-implicit SG step of every w-slice of `p` (row-major `[k * nv + i]`), in place, with
 * drift −v + c_k; writes N_k to `rates`. Plain TypeScript, no validation in the loop: a
 * reference, not a production path (use {@link FokkerPlanckSolver}).
 */
export function fpReferenceStep(
  p: Float64Array,
  rates: Float64Array,
  c: ArrayLike<number>,
  grid: { nv: number; nw: number; iR: number; vMin: number; h: number },
  a: number,
  dt: number,
  work: FpReferenceWork,
): void {
  const { nv, nw, iR, vMin: vmin, h } = grid;
  checkFiniteArray('c', c, nw);
  const { b: bp, bm: hp, c: cp, d: dd, e: ep, g: gp } = work;
  const hoa = h / a;
  const D = a / (h * h);
  const dtD = dt * D;
  const span = (nv * h * h) / a;
  for (let k = 0; k < nw; k++) {
    const ck = c[k];
    const s = k * nv;
    const alpha = hoa * (ck - vmin);
    const fast = alpha < 700 && alpha - span > -700;
    const ea = Math.exp(alpha);
    for (let j = 0; j < nv; j++) {
      const z = hoa * (ck - (vmin + (j + 0.5) * h));
      const e = fast ? ea * gp[j] : Math.exp(z);
      let b: number;
      if (Math.abs(z) < 0.01) {
        const z2 = z * z;
        b = 1 - 0.5 * z + z2 * (1 / 12 - z2 * (1 / 720));
      } else b = z / (e - 1);
      bp[j] = b;
      hp[j] = b + z;
    }
    const out = hp[nv - 1] * p[s + nv - 1];
    let jl = 0;
    let pcur = p[s];
    let den = 1 + dtD * hp[0];
    let cprev = 0;
    let dprev = 0;
    let eprev = 0;
    let l = 0;
    for (let i = 0; i < nv; i++) {
      const pnext = i + 1 < nv ? p[s + i + 1] : 0;
      const jr = hp[i] * pcur - bp[i] * pnext;
      let rhs = dtD * (jl - jr);
      if (i === iR) rhs += dtD * out;
      if (i > 0) {
        l = -dtD * hp[i - 1];
        den = 1 + dtD * (hp[i] + bp[i - 1]) - l * cprev;
      }
      const inv = 1 / den;
      cprev = -dtD * bp[i] * inv;
      dprev = (rhs - l * dprev) * inv;
      cp[i] = cprev;
      dd[i] = dprev;
      if (i >= iR) {
        eprev = i === iR ? inv : -l * eprev * inv;
        ep[i] = eprev;
      }
      jl = jr;
      pcur = pnext;
    }
    const g = dtD * hp[nv - 1];
    const dlast = dprev / (1 - g * eprev);
    const sInj = g * dlast;
    const plast = p[s + nv - 1] + dlast;
    p[s + nv - 1] = plast;
    let dnext = dlast;
    for (let i = nv - 2; i >= 0; i--) {
      let d = dd[i] - cp[i] * dnext;
      if (i >= iR) d += sInj * ep[i];
      p[s + i] += d;
      dnext = d;
    }
    rates[k] = (a / h) * hp[nv - 1] * plast;
  }
}
