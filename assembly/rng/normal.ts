// Uniform and standard-normal draws addressed by (key, stream, index, step): see philox.ts for
// the counter layout. The normal is a 256-layer ziggurat on 52 bits (tables generated once by
// scripts/gen-ziggurat.mjs and shared with the TS reference, so the fast path is bit-identical
// across engines and against src/rng/reference.ts).
import { PHILOX_OUT, philoxInto } from './philox';
import { ZIG_F, ZIG_K, ZIG_R, ZIG_W } from './zigtables';

const TWO20: f64 = 1048576.0;
const TWO21: f64 = 2097152.0;
const TWO_M53: f64 = 1.1102230246251565e-16;

/** 53-bit uniform in [0, 1) from the (hi, lo) word pair. */
// @ts-ignore: decorator
@inline
function u53(lo: u32, hi: u32): f64 {
  return (<f64>hi * TWO21 + <f64>(lo >>> 11)) * TWO_M53;
}

// @ts-ignore: decorator
@inline
function half(i: u32): usize {
  return <usize>((i & 1) << 3);
}

/** Uniform in [0, 1) for element i at step t of the stream, sub-draw k. */
export function uniformAt(k0: u32, k1: u32, stream: u32, i: u32, t: u32, k: u32): f64 {
  philoxInto(i >>> 1, t, k, stream, k0, k1);
  const o = PHILOX_OUT + half(i);
  return u53(load<u32>(o), load<u32>(o, 4));
}

/** Ziggurat slow path (about 1.5% of draws): wedge test or tail, using sub-draws k >= 1. */
// @ts-ignore: decorator
@inline
function normalSlow(k0: u32, k1: u32, stream: u32, i: u32, t: u32, lo0: u32, hi0: u32): f64 {
  let lo = lo0;
  let hi = hi0;
  let k: u32 = 1;
  while (true) {
    const idx = <usize>(lo & 0xff);
    const neg = (lo >>> 8) & 1;
    const rabs = <f64>hi * TWO20 + <f64>(lo >>> 12);
    let x = rabs * load<f64>(ZIG_W + (idx << 3));
    if (rabs < load<f64>(ZIG_K + (idx << 3))) return neg ? -x : x;
    if (idx == 0) {
      // Tail beyond R (Marsaglia 1964): two uniforms per attempt.
      while (true) {
        const ua = uniformAt(k0, k1, stream, i, t, k++);
        const ub = uniformAt(k0, k1, stream, i, t, k++);
        const xx = -Math.log(1.0 - ua) / ZIG_R;
        const yy = -Math.log(1.0 - ub);
        if (yy + yy > xx * xx) return neg ? -(ZIG_R + xx) : ZIG_R + xx;
      }
    } else {
      const fo = load<f64>(ZIG_F + (idx << 3));
      const fin = load<f64>(ZIG_F + ((idx + 1) << 3));
      const u = uniformAt(k0, k1, stream, i, t, k++);
      if (fo + u * (fin - fo) < Math.exp(-0.5 * x * x)) return neg ? -x : x;
    }
    // Rejected: a fresh 64-bit word pair from the next sub-draw.
    philoxInto(i >>> 1, t, k++, stream, k0, k1);
    const o = PHILOX_OUT + half(i);
    lo = load<u32>(o);
    hi = load<u32>(o, 4);
  }
  return 0;
}

/**
 * Standard normal from the word pair (lo, hi) of sub-draw 0; falls back to the slow path.
 * Hot loops that already computed the block call this directly.
 */
// @ts-ignore: decorator
@inline
export function normalFromWords(k0: u32, k1: u32, stream: u32, i: u32, t: u32, lo: u32, hi: u32): f64 {
  const idx = <usize>(lo & 0xff);
  const rabs = <f64>hi * TWO20 + <f64>(lo >>> 12);
  if (rabs < load<f64>(ZIG_K + (idx << 3))) {
    const x = rabs * load<f64>(ZIG_W + (idx << 3));
    return (lo >>> 8) & 1 ? -x : x;
  }
  return normalSlowNoInline(k0, k1, stream, i, t, lo, hi);
}

function normalSlowNoInline(k0: u32, k1: u32, stream: u32, i: u32, t: u32, lo: u32, hi: u32): f64 {
  return normalSlow(k0, k1, stream, i, t, lo, hi);
}

/** Standard normal for element i at step t of the stream. */
export function normalAt(k0: u32, k1: u32, stream: u32, i: u32, t: u32): f64 {
  philoxInto(i >>> 1, t, 0, stream, k0, k1);
  const o = PHILOX_OUT + half(i);
  return normalFromWords(k0, k1, stream, i, t, load<u32>(o), load<u32>(o, 4));
}

/** out[j] = normal(stream, index start + j, step t), j < n. Pairs share one block. */
export function fillNormals(k0: u32, k1: u32, stream: u32, t: u32, start: u32, n: u32, out: usize): void {
  let j: u32 = 0;
  if (start & 1 && n > 0) {
    store<f64>(out, normalAt(k0, k1, stream, start, t));
    j = 1;
  }
  for (; j + 1 < n; j += 2) {
    const i = start + j;
    philoxInto(i >>> 1, t, 0, stream, k0, k1);
    const a0 = load<u32>(PHILOX_OUT);
    const a1 = load<u32>(PHILOX_OUT, 4);
    const b0 = load<u32>(PHILOX_OUT, 8);
    const b1 = load<u32>(PHILOX_OUT, 12);
    store<f64>(out + (<usize>j << 3), normalFromWords(k0, k1, stream, i, t, a0, a1));
    store<f64>(out + (<usize>(j + 1) << 3), normalFromWords(k0, k1, stream, i + 1, t, b0, b1));
  }
  if (j < n) store<f64>(out + (<usize>j << 3), normalAt(k0, k1, stream, start + j, t));
}

/** out[j] = uniform(stream, index start + j, step t, sub-draw 0), j < n. */
export function fillUniforms(k0: u32, k1: u32, stream: u32, t: u32, start: u32, n: u32, out: usize): void {
  for (let j: u32 = 0; j < n; j++) store<f64>(out + (<usize>j << 3), uniformAt(k0, k1, stream, start + j, t, 0));
}

/** Normals for steps t0 .. t0+steps-1 of one element range, step-major: out[s*n + j]. */
export function fillNormalSteps(k0: u32, k1: u32, stream: u32, t0: u32, steps: u32, start: u32, n: u32, out: usize): void {
  for (let s: u32 = 0; s < steps; s++) fillNormals(k0, k1, stream, t0 + s, start, n, out + (<usize>(s * n) << 3));
}
