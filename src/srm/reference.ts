/**
 * Plain TypeScript reference of the srm kernels (assembly/srm/index.ts): the same loops, in the
 * same order, on typed arrays. Used by the tests (kernel against an independent implementation)
 * and as the baseline of `bench/srm.bench.mjs`. Engine `Math.exp/log/expm1` differ from the
 * kernel's own in the last ulp, so agreement is to ~1e-13 relative, not bitwise.
 * @packageDocumentation
 */
import { strictOptions } from '../contract/options.js';
import { NumericalError, ValidationError } from '../kernel/errors.js';
import { checkFinite, checkInteger, checkRange } from '../kernel/validate.js';
import { philox4x32 } from '../rng/reference.js';
import { SRM_LIMITS } from './common.js';

const TWO21 = 2097152;
const TWO_M53 = 1.1102230246251565e-16;

/** Constants of one network, as passed to the kernel. */
export interface SrmRefParams {
  /** Number of neurons. */
  n: number;
  /** e^{-dt/τ} */
  kPsp: number;
  /** e^{-dt/τ_adapt} */
  kAdapt: number;
  /** Adaptation strength η0 (units of u). */
  eta0: number;
  /** 1/Δu */
  invDu: number;
  /** log(ρ0 dt) − ϑ/Δu */
  logC: number;
  /** 0 = Bernoulli (exact), 1 = Poisson form. */
  form: 0 | 1;
  /** Philox key word 0 of the spike draws. */
  k0: number;
  /** Philox key word 1 of the spike draws. */
  k1: number;
  /** Philox stream id of the spike draws. */
  stream: number;
}

/** State of one network (modified in place). `wT[j*n+i] = w_ij`. */
export interface SrmRefState {
  /** Transposed weights, column-major in w: `wT[j*n + i] = w_ij` (units of u per unit φ). */
  wT: Float64Array;
  /** Biases b_i (units of u). */
  bias: Float64Array;
  /** PSP traces φ_j(t) = Σ_{k<t} e^{−(t−k)dt/τ} X_j(k) (dimensionless). */
  phi: Float64Array;
  /** Adaptation traces a_i(t) = Σ_{k<t} e^{−(t−k)dt/τ_adapt} X_i(k) (dimensionless). */
  adapt: Float64Array;
  /** Synaptic input Σ_j w_ij φ_j(t) (units of u), kept incrementally. */
  usyn: Float64Array;
}

/** Buffers of one run. `score` may be null (then `sbuf` holds the current row). */
export interface SrmRefBuffers {
  /** Per-neuron clamp flags (1 = take X from `data`), or null = sample every neuron. */
  clamp: Uint8Array | null;
  /** Data X for the clamped neurons, time-major [steps][n] (row = step of the call), or null. */
  data: Uint8Array | null;
  /** Output spikes X_i(t), time-major [steps][n]. */
  spikes: Uint8Array;
  /** Per-step score ∂ log p(X_i(t))/∂u_i(t) (1/units of u; contains the 1/Δu), [steps][n], or null. */
  score: Float64Array | null;
  /** One-row score buffer (length n) used when `score` is null. */
  sbuf: Float64Array;
  /** Accumulated log-likelihood per neuron (nats). */
  ll: Float64Array;
  /** Accumulated bias gradient Σ_t score_i(t), or null. */
  gb: Float64Array | null;
  /** Eligibility traces e_ij (transposed, `e[j*n + i]`), or null. */
  elig: Float64Array | null;
  /** Eligibility decay κ = e^{−dt/τ_G} per step (1 = plain sum). */
  kElig: number;
}

const blk = new Uint32Array(4);

// ---- argument checks (the twins run on caller buffers: every length and value is checked first)

function typed<T extends Float64Array | Uint8Array>(
  name: string,
  v: unknown,
  type: { new (n: number): T; name: string },
  length: number,
  nullable: boolean,
): T | null {
  if (v === null && nullable) return null;
  if (!(v instanceof type)) throw new ValidationError(name, `a ${type.name} of length ${length}${nullable ? ' or null' : ''}`, v);
  if (v.length !== length) throw new ValidationError(`${name}.length`, `${length}`, v.length);
  if (v instanceof Float64Array)
    for (let i = 0; i < length; i++) if (!Number.isFinite(v[i])) throw new ValidationError(`${name}[${i}]`, 'a finite number', v[i]);
  return v;
}

const PARAM_KEYS = ['n', 'kPsp', 'kAdapt', 'eta0', 'invDu', 'logC', 'form', 'k0', 'k1', 'stream'];
const STATE_KEYS = ['wT', 'bias', 'phi', 'adapt', 'usyn'];
const BUFFER_KEYS = ['clamp', 'data', 'spikes', 'score', 'sbuf', 'll', 'gb', 'elig', 'kElig'];

function checkParams(where: string, p: SrmRefParams): void {
  const o = strictOptions<SrmRefParams>(where, 'p', p, PARAM_KEYS);
  if (p === undefined) throw new ValidationError('p', 'the network constants { n, kPsp, … }', p);
  checkInteger('p.n', o.n, 1, SRM_LIMITS.maxNeurons);
  checkRange('p.kPsp', o.kPsp, 0, 1);
  checkRange('p.kAdapt', o.kAdapt, 0, 1);
  checkFinite('p.eta0', o.eta0);
  checkRange('p.invDu', o.invDu, 0, 1e300, { loOpen: true });
  checkFinite('p.logC', o.logC);
  if (o.form !== 0 && o.form !== 1) throw new ValidationError('p.form', '0 (Bernoulli) or 1 (Poisson)', o.form);
  for (const k of ['k0', 'k1', 'stream'] as const) checkInteger(`p.${k}`, o[k], 0, 0xffffffff);
}

function checkState(where: string, n: number, s: SrmRefState): void {
  strictOptions<SrmRefState>(where, 's', s, STATE_KEYS);
  if (s === undefined) throw new ValidationError('s', 'the network state { wT, bias, phi, adapt, usyn }', s);
  typed('s.wT', s.wT, Float64Array, n * n, false);
  for (const k of ['bias', 'phi', 'adapt', 'usyn'] as const) typed(`s.${k}`, s[k], Float64Array, n, false);
}

function checkBuffers(where: string, n: number, steps: number, b: SrmRefBuffers, needElig: boolean): void {
  strictOptions<SrmRefBuffers>(where, 'b', b, BUFFER_KEYS);
  if (b === undefined) throw new ValidationError('b', 'the run buffers { spikes, sbuf, ll, … }', b);
  const clamp = typed('b.clamp', b.clamp, Uint8Array, n, true);
  const data = typed('b.data', b.data, Uint8Array, steps * n, true);
  if (clamp?.some((c) => c !== 0) && !data)
    throw new ValidationError('b.data', `a Uint8Array of length ${steps * n} (clamped neurons read it)`, b.data);
  typed('b.spikes', b.spikes, Uint8Array, steps * n, false);
  typed('b.score', b.score, Float64Array, steps * n, true);
  typed('b.sbuf', b.sbuf, Float64Array, n, false);
  typed('b.ll', b.ll, Float64Array, n, false);
  typed('b.gb', b.gb, Float64Array, n, true);
  typed('b.elig', b.elig, Float64Array, n * n, !needElig);
  checkRange('b.kElig', b.kElig, 0, 1);
}

function checkSteps(steps: unknown, t0: unknown, n: number): number {
  const st = checkInteger('steps', steps, 0, Math.floor(SRM_LIMITS.maxNeuronSteps / n));
  checkInteger('t0', t0, 0, SRM_LIMITS.maxStep - st);
  return st;
}

function neuronPass(p: SrmRefParams, s: SrmRefState, b: SrmRefBuffers, tg: number, row: number, sOff: number, sArr: Float64Array): void {
  const { n, eta0, invDu, logC, form } = p;
  for (let i = 0; i < n; i++) {
    const u = s.usyn[i] + s.bias[i] - eta0 * s.adapt[i];
    const logLam = u * invDu + logC;
    if (!(logLam < 700))
      throw new NumericalError(`srmReference: the rate of neuron ${i} overflows at step ${tg} (log λ = ${logLam})`, {
        kind: 'non-finite',
        step: tg,
        index: i,
        time: tg,
        value: logLam,
      });
    const lam = Math.exp(logLam);
    let x: number;
    if (b.clamp?.[i]) x = b.data![row + i] ? 1 : 0;
    else {
      if ((i & 1) === 0 || b.clamp?.[i - 1]) philox4x32(i >>> 1, tg, 0, p.stream, p.k0, p.k1, blk);
      const h = (i & 1) << 1;
      const uu = (blk[h + 1] * TWO21 + (blk[h] >>> 11)) * TWO_M53;
      x = uu < lam && uu < -Math.expm1(-lam) ? 1 : 0;
    }
    b.spikes[row + i] = x;
    let sc: number;
    let l: number;
    if (form === 0) {
      if (x) {
        l = Math.log(-Math.expm1(-lam));
        sc = lam > 0 ? (invDu * lam) / Math.expm1(lam) : invDu;
      } else {
        l = -lam;
        sc = -invDu * lam;
      }
    } else {
      l = x ? logLam - lam : -lam;
      sc = invDu * (x - lam);
    }
    sArr[sOff + i] = sc;
    b.ll[i] += l;
    if (b.gb) b.gb[i] += sc;
  }
}

/** usyn = W phi. */
export function srmSyncInputRef(n: number, s: SrmRefState): void {
  checkInteger('n', n, 1, SRM_LIMITS.maxNeurons);
  checkState('srmReference.srmSyncInputRef', n, s);
  s.usyn.fill(0);
  for (let j = 0; j < n; j++) {
    const pj = s.phi[j];
    if (pj !== 0) for (let i = 0, c = j * n; i < n; i++) s.usyn[i] += pj * s.wT[c + i];
  }
}

/** Same as the kernel's `srmRun` (steps from global step t0). */
export function srmRunRef(p: SrmRefParams, s: SrmRefState, b: SrmRefBuffers, steps: number, t0: number): void {
  const where = 'srmReference.srmRunRef';
  checkParams(where, p);
  checkState(where, p.n, s);
  checkSteps(steps, t0, p.n);
  checkBuffers(where, p.n, steps, b, false);
  const { n, kPsp, kAdapt } = p;
  const spk = new Int32Array(n);
  for (let t = 0; t < steps; t++) {
    const row = t * n;
    const sArr = b.score ?? b.sbuf;
    const sOff = b.score ? row : 0;
    neuronPass(p, s, b, t0 + t, row, sOff, sArr);
    if (b.elig) {
      const e = b.elig;
      const kE = b.kElig;
      if (kE === 1) {
        for (let j = 0; j < n; j++) {
          const pj = s.phi[j];
          for (let i = 0, c = j * n; i < n; i++) e[c + i] += pj * sArr[sOff + i];
        }
      } else {
        for (let j = 0; j < n; j++) {
          const pj = s.phi[j];
          for (let i = 0, c = j * n; i < n; i++) e[c + i] = kE * e[c + i] + pj * sArr[sOff + i];
        }
      }
    }
    let ns = 0;
    for (let i = 0; i < n; i++) {
      const x = b.spikes[row + i];
      s.phi[i] = kPsp * (s.phi[i] + x);
      s.adapt[i] = kAdapt * (s.adapt[i] + x);
      if (x) spk[ns++] = i;
    }
    for (let q = 0; q < ns; q++) {
      const c = spk[q] * n;
      for (let i = 0; i < n; i++) s.usyn[i] += s.wT[c + i];
    }
    for (let i = 0; i < n; i++) s.usyn[i] *= kPsp;
  }
}

/** Same as the kernel's `srmBackward`. */
export function srmBackwardRef(
  n: number,
  steps: number,
  spikes: Uint8Array,
  score: Float64Array,
  kPsp: number,
  r: Float64Array,
  gT: Float64Array,
): void {
  checkInteger('n', n, 1, SRM_LIMITS.maxNeurons);
  checkSteps(steps, 0, n);
  typed('spikes', spikes, Uint8Array, steps * n, false);
  typed('score', score, Float64Array, steps * n, false);
  checkRange('kPsp', kPsp, 0, 1);
  typed('r', r, Float64Array, n, false);
  typed('gT', gT, Float64Array, n * n, false);
  for (let t = steps - 1; t >= 0; t--) {
    const row = t * n;
    for (let j = 0; j < n; j++) if (spikes[row + j]) for (let i = 0, c = j * n; i < n; i++) gT[c + i] += r[i];
    for (let i = 0; i < n; i++) r[i] = kPsp * (r[i] + score[row + i]);
  }
}

/** Same as the kernel's `srmOnline`. */
export function srmOnlineRef(
  p: SrmRefParams,
  s: SrmRefState,
  b: SrmRefBuffers & { elig: Float64Array },
  steps: number,
  t0: number,
  eta: number,
  mask: Float64Array | null,
): void {
  const where = 'srmReference.srmOnlineRef';
  checkParams(where, p);
  checkState(where, p.n, s);
  checkSteps(steps, t0, p.n);
  checkBuffers(where, p.n, steps, b, true);
  checkFinite('eta', eta);
  typed('mask', mask, Float64Array, p.n * p.n, true);
  const { n, kPsp, kAdapt } = p;
  const e = b.elig;
  const kE = b.kElig;
  for (let t = 0; t < steps; t++) {
    const row = t * n;
    neuronPass(p, s, b, t0 + t, row, 0, b.sbuf);
    s.usyn.fill(0);
    for (let j = 0; j < n; j++) {
      const pOld = s.phi[j];
      const x = b.spikes[row + j];
      const pNew = kPsp * (pOld + x);
      s.phi[j] = pNew;
      s.adapt[j] = kAdapt * (s.adapt[j] + x);
      for (let i = 0, c = j * n; i < n; i++) {
        const ev = kE * e[c + i] + pOld * b.sbuf[i];
        e[c + i] = ev;
        let d = eta * ev;
        if (mask) d *= mask[c + i];
        const w = s.wT[c + i] + d;
        s.wT[c + i] = w;
        s.usyn[i] += pNew * w;
      }
    }
  }
}
