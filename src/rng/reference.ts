/**
 * Plain TypeScript reference of the kernel's generator: Philox4x32-10 and the 256-layer
 * ziggurat, with the same counter layout. Used by tests (bit-exact against the kernel on the
 * ziggurat fast path, ~98.5% of draws; the slow path calls engine `Math.exp/log` and may differ
 * in the last ulp) and by the plain-TS benchmark baselines.
 * @packageDocumentation
 */
import { ZIG_F, ZIG_K, ZIG_R, ZIG_W } from './zigtables.js';

const M0 = 0xd2511f53;
const M1 = 0xcd9e8d57;
const M0H = M0 >>> 16;
const M0L = M0 & 0xffff;
const M1H = M1 >>> 16;
const M1L = M1 & 0xffff;
const W0 = 0x9e3779b9;
const W1 = 0xbb67ae85;

/** High 32 bits of the 64-bit product a·b, with a = ah·2^16 + al (all exact in doubles). */
function mulhi(ah: number, al: number, b: number): number {
  const bh = b >>> 16;
  const bl = b & 0xffff;
  const t = al * bl;
  const m = ah * bl + al * bh;
  return (ah * bh + Math.floor((m * 65536 + t) / 4294967296)) >>> 0;
}

/**
 * One Philox4x32-10 block. Writes 4 words into `out` (default: a new Uint32Array).
 * Known answer (Random123): counter 0, key 0 -> 6627e8d5 e169c58d bc57ac4c 9b00dbd8.
 */
export function philox4x32(
  c0: number,
  c1: number,
  c2: number,
  c3: number,
  k0: number,
  k1: number,
  out: Uint32Array = new Uint32Array(4),
): Uint32Array {
  c0 >>>= 0;
  c1 >>>= 0;
  c2 >>>= 0;
  c3 >>>= 0;
  k0 >>>= 0;
  k1 >>>= 0;
  for (let r = 0; r < 10; r++) {
    const hi0 = mulhi(M0H, M0L, c0);
    const lo0 = Math.imul(M0, c0) >>> 0;
    const hi1 = mulhi(M1H, M1L, c2);
    const lo1 = Math.imul(M1, c2) >>> 0;
    c0 = (hi1 ^ c1 ^ k0) >>> 0;
    c1 = lo1;
    c2 = (hi0 ^ c3 ^ k1) >>> 0;
    c3 = lo0;
    k0 = (k0 + W0) >>> 0;
    k1 = (k1 + W1) >>> 0;
  }
  out[0] = c0;
  out[1] = c1;
  out[2] = c2;
  out[3] = c3;
  return out;
}

const blk = new Uint32Array(4);
const TWO20 = 1048576;
const TWO21 = 2097152;
const TWO_M53 = 1.1102230246251565e-16;

/** Uniform in [0, 1) for element i at step t of `stream`, sub-draw k (53 bits). */
export function uniformAt(k0: number, k1: number, stream: number, i: number, t: number, k = 0): number {
  philox4x32(i >>> 1, t, k, stream, k0, k1, blk);
  const h = (i & 1) << 1;
  return (blk[h + 1] * TWO21 + (blk[h] >>> 11)) * TWO_M53;
}

/** Standard normal for element i at step t of `stream` (ziggurat; see the kernel for the layout). */
export function normalAt(k0: number, k1: number, stream: number, i: number, t: number): number {
  philox4x32(i >>> 1, t, 0, stream, k0, k1, blk);
  const h = (i & 1) << 1;
  let lo = blk[h];
  let hi = blk[h + 1];
  let k = 1;
  for (;;) {
    const idx = lo & 0xff;
    const neg = (lo >>> 8) & 1;
    const rabs = hi * TWO20 + (lo >>> 12);
    const x = rabs * ZIG_W[idx];
    if (rabs < ZIG_K[idx]) return neg ? -x : x;
    if (idx === 0) {
      for (;;) {
        const ua = uniformAt(k0, k1, stream, i, t, k++);
        const ub = uniformAt(k0, k1, stream, i, t, k++);
        const xx = -Math.log(1 - ua) / ZIG_R;
        const yy = -Math.log(1 - ub);
        if (yy + yy > xx * xx) return neg ? -(ZIG_R + xx) : ZIG_R + xx;
      }
    }
    const fo = ZIG_F[idx];
    const fin = ZIG_F[idx + 1];
    const u = uniformAt(k0, k1, stream, i, t, k++);
    if (fo + u * (fin - fo) < Math.exp(-0.5 * x * x)) return neg ? -x : x;
    philox4x32(i >>> 1, t, k++, stream, k0, k1, blk);
    lo = blk[h];
    hi = blk[h + 1];
  }
}

/** Whether the draw (i, t) takes the ziggurat fast path (for bit-exactness tests). */
export function isFastPath(k0: number, k1: number, stream: number, i: number, t: number): boolean {
  philox4x32(i >>> 1, t, 0, stream, k0, k1, blk);
  const h = (i & 1) << 1;
  const lo = blk[h];
  const rabs = blk[h + 1] * TWO20 + (lo >>> 12);
  return rabs < ZIG_K[lo & 0xff];
}
