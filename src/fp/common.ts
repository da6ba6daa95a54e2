/**
 * Shared definitions of the fp module: units, work limits, the response function σ(N̄) and the
 * (v, w) grid.
 *
 * **Units.** The Fokker–Planck equation of seed 001 is written in dimensionless form: time is
 * measured in membrane time constants τ_m (`dt`, `duration`, every time and time constant of the
 * module), potentials v, V_R, V_F and the noise intensity a are dimensionless, and firing rates
 * (N(w), N̄) are spikes per τ_m. With τ_m = 20 ms, t = 1 is 20 ms and N̄ = 1 is 50 Hz. Result
 * tables label these units {@link FP_UNITS}.
 * @packageDocumentation
 */
import { type RenamedOptions, strictOptions } from '../contract/options.js';
import { ValidationError } from '../kernel/errors.js';
import { checkFinite, checkInteger, checkPositive } from '../kernel/validate.js';

/**
 * Unit labels of the fp module's results (the model is dimensionless, seed 001): time in
 * membrane time constants, rates in spikes per membrane time constant, potentials and densities
 * dimensionless.
 */
export const FP_UNITS = {
  /** Time and durations: membrane time constants τ_m. */
  time: 'tau_m',
  /** Firing rates N(w), N̄: spikes per τ_m. */
  rate: '1/tau_m',
  /** Potentials, weights, densities: dimensionless. */
  none: '1',
} as const;

/**
 * Work and size limits of the fp module, checked before anything runs (a request beyond them is
 * a {@link ValidationError} naming the argument). They keep every accepted call finite: at the
 * measured ~400 M cell-updates/s, `maxSolverWork` is about 45 minutes of one core.
 */
export const FP_LIMITS = {
  /** Grid cells nv·nw of a {@link FokkerPlanckSolver} (the density takes 8 bytes per cell). */
  maxCells: 2 ** 24,
  /** w-cells when the learning rule is `'kernel'` (its nw × nw matrix is stored). */
  maxKernelCells: 4096,
  /** Cell-steps (steps × nv·nw) of one `run`/`runAsync` call of the solver. */
  maxSolverWork: 1e12,
  /** Recorded (t, N̄) pairs a solver keeps (raise `recordEverySteps` for longer runs). */
  maxTraceRecords: 2 ** 22,
  /** Neurons of an {@link FpParticleNetwork}. */
  maxNeurons: 2 ** 24,
  /** Neuron-steps (steps × neurons) of one particle-network `run`/`runAsync` call. */
  maxParticleWork: 1e11,
  /** Evaluations of the per-population rate a/Z (about 3.5 µs each) one stationary-theory call may make. */
  maxRateEvaluations: 1e8,
} as const;

/**
 * Response σ(N̄) of a subpopulation to the total activity (seed eq. (1), assumption (4)):
 * `'identity'` σ(N) = N (blow-up possible for excitatory weights), `{ kind: 'tanh', max }`
 * σ(N) = σ_M·tanh(N/σ_M), `{ kind: 'rational', max }` σ(N) = σ_M·N/(1 + N) (Prop. 6.3's form).
 * Named `response` in options (the paper's σ; `sigma` is the noise intensity elsewhere in
 * neurodyn). @default 'identity'
 */
export type FpResponse =
  | 'identity'
  | {
      /** `'tanh'`: σ_M·tanh(N/σ_M); `'rational'`: σ_M·N/(1 + N). */
      kind: 'tanh' | 'rational';
      /** Saturation level σ_M > 0 (same units as N̄: spikes per membrane time constant). */
      max: number;
    };

/**
 * Options renamed in the contract change (docs/fp.md): an old name gets the new one as its
 * suggestion (the generic suggestion for `sigma` would be `signal`), or says where it moved.
 */
const RENAMED: RenamedOptions = {
  sigma: 'response',
  vR: 'vReset',
  vF: 'vThreshold',
  tau: 'tauStdp',
  rateFilter: 'tauRate',
  recordEvery: { to: 'recordEverySteps', note: "the constructor option 'recordEverySteps'" },
  scanPoints: 'maxEvaluations',
};

/**
 * @internal {@link strictOptions} for the fp module: the same checks, and an option renamed in
 * this version names its new name (or says it moved to the constructor).
 */
export function fpOptions<T extends object>(where: string, name: string, value: T | undefined | null, keys: readonly string[]): T {
  return strictOptions<T>(where, name, value, keys, RENAMED);
}

/** @internal Kernel code and σ_M of a validated response spec. */
export function responseCode(s: FpResponse | undefined, name = 'response', where = 'fp'): { code: number; max: number } {
  if (s === undefined || s === 'identity') return { code: 0, max: 0 };
  if (typeof s !== 'object' || s === null || Array.isArray(s))
    throw new ValidationError(name, `'identity' or { kind: 'tanh' | 'rational', max }`, s);
  fpOptions(where, name, s, ['kind', 'max']);
  const max = checkPositive(`${name}.max`, s.max, 'spikes per τ_m');
  if (s.kind === 'tanh') return { code: 1, max };
  if (s.kind === 'rational') return { code: 2, max };
  throw new ValidationError(`${name}.kind`, `'tanh' or 'rational'`, s.kind);
}

/** @internal σ(N̄) for a validated code (same formulas as the kernel). */
export function responseOf(code: number, max: number, n: number): number {
  if (code === 1) return max * Math.tanh(n / max);
  if (code === 2) return (max * n) / (1 + n);
  return n;
}

/**
 * σ(N̄) for a response spec (same formulas as the kernel).
 * @example
 * ```ts
 * fpResponse({ kind: 'tanh', max: 2 }, 1); // 2·tanh(0.5) = 0.924…
 * ```
 */
export function fpResponse(response: FpResponse | undefined, nbar: number): number {
  const { code, max } = responseCode(response, 'response', 'fpResponse');
  return responseOf(code, max, checkFinite('nbar', nbar));
}

/**
 * The computational grid (dimensionless potentials and weights). v-nodes v_i = vMin + i·h,
 * i = 0..nv, with h = (vThreshold − vMin)/nv and v_nv = V_F (absorbing, p = 0 there); the reset
 * potential V_R must be a node. w-cells are centred at w_k = wMin + (k + ½)·Δw,
 * Δw = (wMax − wMin)/nw, with zero-flux faces at wMin and wMax.
 */
export interface FpGrid {
  /** Lower end of the v-domain (reflecting; take it ≥ 4√a below V_R). */
  vMin: number;
  /** Reset potential V_R (a grid node; the paper's V_R). */
  vReset: number;
  /** Firing threshold V_F (absorbing boundary; the paper's V_F). */
  vThreshold: number;
  /** Number of v-intervals between vMin and vThreshold (unknowns v_0..v_{nv−1}), ≥ 3. */
  nv: number;
  /** Lower end of the w-domain (zero-flux face; w < 0 inhibitory). */
  wMin: number;
  /** Upper end of the w-domain (zero-flux face; w > 0 excitatory). */
  wMax: number;
  /** Number of w-cells, ≥ 1. nv·nw ≤ {@link FP_LIMITS}.maxCells. */
  nw: number;
}

/** @internal The keys of {@link FpGrid}. */
export const GRID_KEYS = ['vMin', 'vReset', 'vThreshold', 'nv', 'wMin', 'wMax', 'nw'] as const;

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

/** @internal Validates a grid (V_R a node, vMin < V_R < V_F, wMin < wMax, size limits). */
export function checkGrid(grid: FpGrid, name = 'grid', where = 'FokkerPlanckSolver'): FpGridInfo {
  if (grid === undefined) throw new ValidationError(name, `a grid { ${GRID_KEYS.join(', ')} }`, grid);
  const g = fpOptions<FpGrid>(where, name, grid, GRID_KEYS);
  const vMin = checkFinite(`${name}.vMin`, g.vMin);
  const vR = checkFinite(`${name}.vReset`, g.vReset);
  const vF = checkFinite(`${name}.vThreshold`, g.vThreshold);
  const nv = checkInteger(`${name}.nv`, g.nv, 3, 1 << 20);
  const nw = checkInteger(`${name}.nw`, g.nw, 1, 1 << 20);
  const wMin = checkFinite(`${name}.wMin`, g.wMin);
  const wMax = checkFinite(`${name}.wMax`, g.wMax);
  if (nv * nw > FP_LIMITS.maxCells)
    throw new ValidationError(`${name}.nw`, `a grid of at most ${FP_LIMITS.maxCells} cells nv·nw (nv = ${nv})`, nw);
  if (!(vR < vF)) throw new ValidationError(`${name}.vReset`, `a value < vThreshold = ${vF}`, vR);
  if (!(vMin < vR)) throw new ValidationError(`${name}.vMin`, `a value < vReset = ${vR}`, vMin);
  if (!(wMin < wMax)) throw new ValidationError(`${name}.wMax`, `a value > wMin = ${wMin}`, wMax);
  const h = (vF - vMin) / nv;
  const r = (vR - vMin) / h;
  const iR = Math.round(r);
  if (!(h > 0) || !Number.isFinite(h) || Math.abs(r - iR) > 1e-9 * Math.max(1, r) || iR < 1 || iR > nv - 1) {
    throw new ValidationError(`${name}.vReset`, `a grid node vMin + i·h (h = ${h}), i.e. (vReset − vMin)/h an integer in [1, nv − 1]`, vR);
  }
  const dw = (wMax - wMin) / nw;
  if (!(dw > 0) || !Number.isFinite(dw)) throw new ValidationError(`${name}.wMax`, 'a finite w-range wMax − wMin', wMax);
  const w = new Float64Array(nw);
  for (let k = 0; k < nw; k++) w[k] = wMin + (k + 0.5) * dw;
  const v = new Float64Array(nv);
  for (let i = 0; i < nv; i++) v[i] = vMin + i * h;
  return { vMin, vReset: vR, vThreshold: vF, nv, wMin, wMax, nw, h, dw, iR, w, v };
}
