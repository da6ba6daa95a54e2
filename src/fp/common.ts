/**
 * Shared definitions of the fp module: the response function σ(N̄) and the (v, w) grid.
 * @packageDocumentation
 */
import { ValidationError } from '../kernel/errors.js';
import { checkFinite, checkInteger, checkOptions, checkPositive } from '../kernel/validate.js';

/**
 * Response σ(N̄) of a subpopulation to the total activity (seed eq. (1), assumption (4)):
 * `'identity'` σ(N) = N (blow-up possible for excitatory weights), `{ kind: 'tanh', max }`
 * σ(N) = σ_M·tanh(N/σ_M), `{ kind: 'rational', max }` σ(N) = σ_M·N/(1 + N) (Prop. 6.3's form).
 * @default 'identity'
 */
export type FpSigma = 'identity' | { kind: 'tanh' | 'rational'; max: number };

/** @internal Kernel code and σ_M of a validated σ spec. */
export function sigmaCode(s: FpSigma | undefined, name = 'sigma'): { code: number; max: number } {
  if (s === undefined || s === 'identity') return { code: 0, max: 0 };
  if (typeof s !== 'object' || s === null) throw new ValidationError(name, `'identity' or { kind: 'tanh' | 'rational', max }`, s);
  const max = checkPositive(`${name}.max`, s.max);
  if (s.kind === 'tanh') return { code: 1, max };
  if (s.kind === 'rational') return { code: 2, max };
  throw new ValidationError(`${name}.kind`, `'tanh' or 'rational'`, s.kind);
}

/** σ(N̄) for a spec (same formulas as the kernel). */
export function fpSigma(s: FpSigma | undefined, n: number): number {
  const { code, max } = sigmaCode(s);
  if (code === 1) return max * Math.tanh(n / max);
  if (code === 2) return (max * n) / (1 + n);
  return n;
}

/** @internal σ'(N̄) sup norm, used by the discrimination bound. */
export function sigmaMaxValue(s: FpSigma | undefined): number {
  const { code, max } = sigmaCode(s);
  return code === 0 ? Number.POSITIVE_INFINITY : max;
}

/**
 * The computational grid. v-nodes v_i = vMin + i·h, i = 0..nv, with h = (vF − vMin)/nv and
 * v_nv = V_F (absorbing, p = 0 there); V_R must be a node. w-cells are centred at
 * w_k = wMin + (k + ½)·Δw, Δw = (wMax − wMin)/nw, with zero-flux faces at wMin and wMax.
 */
export interface FpGrid {
  /** Lower end of the v-domain (reflecting; take it ≥ 4√a below V_R). */
  vMin: number;
  /** Reset potential V_R (a grid node). */
  vR: number;
  /** Firing potential V_F (absorbing boundary). */
  vF: number;
  /** Number of v-intervals between vMin and vF (unknowns v_0..v_{nv−1}). */
  nv: number;
  /** w-domain [wMin, wMax]. */
  wMin: number;
  wMax: number;
  /** Number of w-cells. */
  nw: number;
}

/** @internal A validated grid with derived quantities. */
export interface FpGridInfo extends FpGrid {
  h: number;
  dw: number;
  iR: number;
  /** Cell-centre weights w_k. */
  w: Float64Array;
  /** v-nodes v_0..v_{nv−1}. */
  v: Float64Array;
}

/** @internal Validates a grid (V_R a node, vMin < V_R < V_F, wMin < wMax). */
export function checkGrid(g: FpGrid, name = 'grid'): FpGridInfo {
  checkOptions(name, g);
  const vMin = checkFinite(`${name}.vMin`, g.vMin);
  const vR = checkFinite(`${name}.vR`, g.vR);
  const vF = checkFinite(`${name}.vF`, g.vF);
  const nv = checkInteger(`${name}.nv`, g.nv, 3, 1 << 20);
  const nw = checkInteger(`${name}.nw`, g.nw, 1, 1 << 20);
  const wMin = checkFinite(`${name}.wMin`, g.wMin);
  const wMax = checkFinite(`${name}.wMax`, g.wMax);
  if (!(vR < vF)) throw new ValidationError(`${name}.vR`, `a value < vF = ${vF}`, vR);
  if (!(vMin < vR)) throw new ValidationError(`${name}.vMin`, `a value < vR = ${vR}`, vMin);
  if (!(wMin < wMax)) throw new ValidationError(`${name}.wMax`, `a value > wMin = ${wMin}`, wMax);
  const h = (vF - vMin) / nv;
  const r = (vR - vMin) / h;
  const iR = Math.round(r);
  if (Math.abs(r - iR) > 1e-9 * Math.max(1, r) || iR < 1 || iR > nv - 1) {
    throw new ValidationError(`${name}.vR`, `a grid node vMin + i·h (h = ${h}), i.e. (vR − vMin)/h an integer in [1, nv − 1]`, vR);
  }
  const dw = (wMax - wMin) / nw;
  const w = new Float64Array(nw);
  for (let k = 0; k < nw; k++) w[k] = wMin + (k + 0.5) * dw;
  const v = new Float64Array(nv);
  for (let i = 0; i < nv; i++) v[i] = vMin + i * h;
  return { vMin, vR, vF, nv, wMin, wMax, nw, h, dw, iR, w, v };
}
