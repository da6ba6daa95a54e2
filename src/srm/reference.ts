/**
 * Plain TypeScript reference of the srm kernels (assembly/srm/index.ts): the same loops, in the
 * same order, on typed arrays. Used by the tests (kernel against an independent implementation)
 * and as the baseline of `bench/srm.bench.mjs`. Engine `Math.exp/log/expm1` differ from the
 * kernel's own in the last ulp, so agreement is to ~1e-13 relative, not bitwise.
 * @packageDocumentation
 */
import { philox4x32 } from '../rng/reference.js';

const TWO21 = 2097152;
const TWO_M53 = 1.1102230246251565e-16;

/** Constants of one network, as passed to the kernel. */
export interface SrmRefParams {
  n: number;
  /** e^{-dt/τ} */
  kPsp: number;
  /** e^{-dt/τ_adapt} */
  kAdapt: number;
  eta0: number;
  /** 1/Δu */
  invDu: number;
  /** log(ρ0 dt) − ϑ/Δu */
  logC: number;
  /** 0 = Bernoulli (exact), 1 = Poisson form. */
  form: 0 | 1;
  k0: number;
  k1: number;
  stream: number;
}

/** State of one network (modified in place). `wT[j*n+i] = w_ij`. */
export interface SrmRefState {
  wT: Float64Array;
  bias: Float64Array;
  phi: Float64Array;
  adapt: Float64Array;
  usyn: Float64Array;
}

/** Buffers of one run. `score` may be null (then `sbuf` holds the current row). */
export interface SrmRefBuffers {
  clamp: Uint8Array | null;
  data: Uint8Array | null;
  spikes: Uint8Array;
  score: Float64Array | null;
  sbuf: Float64Array;
  ll: Float64Array;
  gb: Float64Array | null;
  elig: Float64Array | null;
  kElig: number;
}

const blk = new Uint32Array(4);

function neuronPass(p: SrmRefParams, s: SrmRefState, b: SrmRefBuffers, tg: number, row: number, sOff: number, sArr: Float64Array): void {
  const { n, eta0, invDu, logC, form } = p;
  for (let i = 0; i < n; i++) {
    const u = s.usyn[i] + s.bias[i] - eta0 * s.adapt[i];
    const logLam = u * invDu + logC;
    if (!(logLam < 700)) throw new Error(`non-finite rate at neuron ${i}, step ${tg}`);
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
  s.usyn.fill(0);
  for (let j = 0; j < n; j++) {
    const pj = s.phi[j];
    if (pj !== 0) for (let i = 0, c = j * n; i < n; i++) s.usyn[i] += pj * s.wT[c + i];
  }
}

/** Same as the kernel's `srmRun` (steps from global step t0). */
export function srmRunRef(p: SrmRefParams, s: SrmRefState, b: SrmRefBuffers, steps: number, t0: number): void {
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
