// Philox4x32-10 (Salmon et al. 2011, "Parallel random numbers: as easy as 1, 2, 3"), scalar.
// A block is a pure function of (counter c0..c3, key k0,k1). neurodyn's counter layout,
// frozen for every model (see src/rng/index.ts for the full contract):
//   c0 = element index >> 1   (one block feeds two elements: words 0-1 -> even, 2-3 -> odd)
//   c1 = step (u32)
//   c2 = sub-draw k (0 for the first 64 bits; ziggurat slow path / extra uniforms use k >= 1)
//   c3 = stream id (purpose of the draw within a model: noise, input, connectivity, init, ...)
// The key comes from the user seed (seedrandom) and, per trial, from deriveKey(seedKey, trial).

import { T_PHILOX, TLS } from '../tls';

const M0: u64 = 0xd2511f53;
const M1: u64 = 0xcd9e8d57;
const W0: u32 = 0x9e3779b9;
const W1: u32 = 0xbb67ae85;

// Output of the last block (4 words), kept in static memory so no allocation happens per draw.
export const PHILOX_OUT: usize = ASC_FEATURE_THREADS ? TLS + T_PHILOX : memory.data(16, 16);

/** Computes one Philox4x32-10 block into PHILOX_OUT. */
// @ts-ignore: decorator
@inline
export function philoxInto(c0: u32, c1: u32, c2: u32, c3: u32, k0: u32, k1: u32): void {
  for (let r = 0; r < 10; r++) {
    const p0: u64 = M0 * <u64>c0;
    const p1: u64 = M1 * <u64>c2;
    const n0 = (<u32>(p1 >> 32)) ^ c1 ^ k0;
    const n2 = (<u32>(p0 >> 32)) ^ c3 ^ k1;
    c1 = <u32>p1;
    c3 = <u32>p0;
    c0 = n0;
    c2 = n2;
    k0 += W0;
    k1 += W1;
  }
  store<u32>(PHILOX_OUT, c0, 0);
  store<u32>(PHILOX_OUT, c1, 4);
  store<u32>(PHILOX_OUT, c2, 8);
  store<u32>(PHILOX_OUT, c3, 12);
}

/** Writes the 4 words of block (c, k) to out (16 bytes). */
export function philox4x32(c0: u32, c1: u32, c2: u32, c3: u32, k0: u32, k1: u32, out: usize): void {
  philoxInto(c0, c1, c2, c3, k0, k1);
  memory.copy(out, PHILOX_OUT, 16);
}

/**
 * Four Philox4x32-10 blocks at once on i32x4 lanes, lane b of every argument belonging to block b:
 * counters (c0, c1, c2, c3), key (k0, k1) shared. Word w of the four blocks is stored as one i32x4
 * at out + 16·w. Lane by lane the same exact integer operations as {@link philoxInto}, so the
 * words are bit-identical; the 32×32→64 products come from the u32 extending multiplies. The ten
 * rounds are unrolled by hand (Binaryen does not unroll loops; the LIF noise loop measured the
 * difference, research/perf-ceiling.md section 4).
 */
// @ts-ignore: decorator
@inline
export function philoxX4(c0: v128, c1: v128, c2: v128, c3: v128, k0: u32, k1: u32, out: usize): void {
  const m0 = i32x4.splat(<i32>M0);
  const m1 = i32x4.splat(<i32>M1);
  {
    const hi0 = v128.shuffle<i32>(v128.extmul_low<u32>(c0, m0), v128.extmul_high<u32>(c0, m0), 1, 3, 5, 7);
    const hi1 = v128.shuffle<i32>(v128.extmul_low<u32>(c2, m1), v128.extmul_high<u32>(c2, m1), 1, 3, 5, 7);
    const lo0 = i32x4.mul(c0, m0);
    const lo1 = i32x4.mul(c2, m1);
    c0 = v128.xor(v128.xor(hi1, c1), i32x4.splat(<i32>(k0 + <u32>0 * W0)));
    c2 = v128.xor(v128.xor(hi0, c3), i32x4.splat(<i32>(k1 + <u32>0 * W1)));
    c1 = lo1;
    c3 = lo0;
  }
  {
    const hi0 = v128.shuffle<i32>(v128.extmul_low<u32>(c0, m0), v128.extmul_high<u32>(c0, m0), 1, 3, 5, 7);
    const hi1 = v128.shuffle<i32>(v128.extmul_low<u32>(c2, m1), v128.extmul_high<u32>(c2, m1), 1, 3, 5, 7);
    const lo0 = i32x4.mul(c0, m0);
    const lo1 = i32x4.mul(c2, m1);
    c0 = v128.xor(v128.xor(hi1, c1), i32x4.splat(<i32>(k0 + <u32>1 * W0)));
    c2 = v128.xor(v128.xor(hi0, c3), i32x4.splat(<i32>(k1 + <u32>1 * W1)));
    c1 = lo1;
    c3 = lo0;
  }
  {
    const hi0 = v128.shuffle<i32>(v128.extmul_low<u32>(c0, m0), v128.extmul_high<u32>(c0, m0), 1, 3, 5, 7);
    const hi1 = v128.shuffle<i32>(v128.extmul_low<u32>(c2, m1), v128.extmul_high<u32>(c2, m1), 1, 3, 5, 7);
    const lo0 = i32x4.mul(c0, m0);
    const lo1 = i32x4.mul(c2, m1);
    c0 = v128.xor(v128.xor(hi1, c1), i32x4.splat(<i32>(k0 + <u32>2 * W0)));
    c2 = v128.xor(v128.xor(hi0, c3), i32x4.splat(<i32>(k1 + <u32>2 * W1)));
    c1 = lo1;
    c3 = lo0;
  }
  {
    const hi0 = v128.shuffle<i32>(v128.extmul_low<u32>(c0, m0), v128.extmul_high<u32>(c0, m0), 1, 3, 5, 7);
    const hi1 = v128.shuffle<i32>(v128.extmul_low<u32>(c2, m1), v128.extmul_high<u32>(c2, m1), 1, 3, 5, 7);
    const lo0 = i32x4.mul(c0, m0);
    const lo1 = i32x4.mul(c2, m1);
    c0 = v128.xor(v128.xor(hi1, c1), i32x4.splat(<i32>(k0 + <u32>3 * W0)));
    c2 = v128.xor(v128.xor(hi0, c3), i32x4.splat(<i32>(k1 + <u32>3 * W1)));
    c1 = lo1;
    c3 = lo0;
  }
  {
    const hi0 = v128.shuffle<i32>(v128.extmul_low<u32>(c0, m0), v128.extmul_high<u32>(c0, m0), 1, 3, 5, 7);
    const hi1 = v128.shuffle<i32>(v128.extmul_low<u32>(c2, m1), v128.extmul_high<u32>(c2, m1), 1, 3, 5, 7);
    const lo0 = i32x4.mul(c0, m0);
    const lo1 = i32x4.mul(c2, m1);
    c0 = v128.xor(v128.xor(hi1, c1), i32x4.splat(<i32>(k0 + <u32>4 * W0)));
    c2 = v128.xor(v128.xor(hi0, c3), i32x4.splat(<i32>(k1 + <u32>4 * W1)));
    c1 = lo1;
    c3 = lo0;
  }
  {
    const hi0 = v128.shuffle<i32>(v128.extmul_low<u32>(c0, m0), v128.extmul_high<u32>(c0, m0), 1, 3, 5, 7);
    const hi1 = v128.shuffle<i32>(v128.extmul_low<u32>(c2, m1), v128.extmul_high<u32>(c2, m1), 1, 3, 5, 7);
    const lo0 = i32x4.mul(c0, m0);
    const lo1 = i32x4.mul(c2, m1);
    c0 = v128.xor(v128.xor(hi1, c1), i32x4.splat(<i32>(k0 + <u32>5 * W0)));
    c2 = v128.xor(v128.xor(hi0, c3), i32x4.splat(<i32>(k1 + <u32>5 * W1)));
    c1 = lo1;
    c3 = lo0;
  }
  {
    const hi0 = v128.shuffle<i32>(v128.extmul_low<u32>(c0, m0), v128.extmul_high<u32>(c0, m0), 1, 3, 5, 7);
    const hi1 = v128.shuffle<i32>(v128.extmul_low<u32>(c2, m1), v128.extmul_high<u32>(c2, m1), 1, 3, 5, 7);
    const lo0 = i32x4.mul(c0, m0);
    const lo1 = i32x4.mul(c2, m1);
    c0 = v128.xor(v128.xor(hi1, c1), i32x4.splat(<i32>(k0 + <u32>6 * W0)));
    c2 = v128.xor(v128.xor(hi0, c3), i32x4.splat(<i32>(k1 + <u32>6 * W1)));
    c1 = lo1;
    c3 = lo0;
  }
  {
    const hi0 = v128.shuffle<i32>(v128.extmul_low<u32>(c0, m0), v128.extmul_high<u32>(c0, m0), 1, 3, 5, 7);
    const hi1 = v128.shuffle<i32>(v128.extmul_low<u32>(c2, m1), v128.extmul_high<u32>(c2, m1), 1, 3, 5, 7);
    const lo0 = i32x4.mul(c0, m0);
    const lo1 = i32x4.mul(c2, m1);
    c0 = v128.xor(v128.xor(hi1, c1), i32x4.splat(<i32>(k0 + <u32>7 * W0)));
    c2 = v128.xor(v128.xor(hi0, c3), i32x4.splat(<i32>(k1 + <u32>7 * W1)));
    c1 = lo1;
    c3 = lo0;
  }
  {
    const hi0 = v128.shuffle<i32>(v128.extmul_low<u32>(c0, m0), v128.extmul_high<u32>(c0, m0), 1, 3, 5, 7);
    const hi1 = v128.shuffle<i32>(v128.extmul_low<u32>(c2, m1), v128.extmul_high<u32>(c2, m1), 1, 3, 5, 7);
    const lo0 = i32x4.mul(c0, m0);
    const lo1 = i32x4.mul(c2, m1);
    c0 = v128.xor(v128.xor(hi1, c1), i32x4.splat(<i32>(k0 + <u32>8 * W0)));
    c2 = v128.xor(v128.xor(hi0, c3), i32x4.splat(<i32>(k1 + <u32>8 * W1)));
    c1 = lo1;
    c3 = lo0;
  }
  {
    const hi0 = v128.shuffle<i32>(v128.extmul_low<u32>(c0, m0), v128.extmul_high<u32>(c0, m0), 1, 3, 5, 7);
    const hi1 = v128.shuffle<i32>(v128.extmul_low<u32>(c2, m1), v128.extmul_high<u32>(c2, m1), 1, 3, 5, 7);
    const lo0 = i32x4.mul(c0, m0);
    const lo1 = i32x4.mul(c2, m1);
    c0 = v128.xor(v128.xor(hi1, c1), i32x4.splat(<i32>(k0 + <u32>9 * W0)));
    c2 = v128.xor(v128.xor(hi0, c3), i32x4.splat(<i32>(k1 + <u32>9 * W1)));
    c1 = lo1;
    c3 = lo0;
  }
  v128.store(out, c0);
  v128.store(out, c1, 16);
  v128.store(out, c2, 32);
  v128.store(out, c3, 48);
}

/**
 * {@link philoxX4} as a called function: one copy in the module for the callers whose loop does
 * not need the rounds inlined (SRM spike uniforms, the lab's normal fill); the LIF noise loop
 * inlines philoxX4 itself.
 */
export function philoxX4Call(c0: v128, c1: v128, c2: v128, c3: v128, k0: u32, k1: u32, out: usize): void {
  philoxX4(c0, c1, c2, c3, k0, k1, out);
}
