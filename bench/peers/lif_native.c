// Native ceiling for the noisy-LIF step of LifNetwork (bench/lif.bench.mjs, noisy population):
// uncoupled homogeneous population, Euler–Maruyama for (V, I), linear spike-time rule, the noise
// of the kernel's counter contract (src/rng): Philox4x32-10 with counter (pair q/2, step n, 0,
// stream 0) under key (k0, k1), words 0–1 for the even neuron and 2–3 for the odd one, 256-layer
// ziggurat on 52 bits (tables: zigtables.h, written by scripts/gen-ziggurat.mjs with the kernel's
// and the TS reference's), slow path on sub-draws k ≥ 1 with libm exp/log. The arithmetic is the
// kernel's (assembly/lif/index.ts pairStep and finishNeuron), operation for operation, including
// the `+ c2` and `+ accV` terms that are +0 here (they only matter for a −0, but they keep the
// bits), so a build without contraction (-ffp-contract=off) gives the kernel's bits.
// Not a peer simulator: it answers "how fast can native code run this step on this machine".
// Variants (one after the other in one process):
//   scalar  one neuron pair per Philox block, plain C (gcc may auto-vectorise what it can);
//   sse2    4 Philox blocks on 128-bit integer lanes (pmuludq for the 32×32→64 products, which
//           WASM SIMD lacks), ziggurat and update on f64x2: WASM SIMD's vector width;
//   avx2    8 Philox blocks on 256-bit lanes, ziggurat with gathers, update on f64x4 (needs a
//           build with AVX2, e.g. -march=native on a machine that has it).
// Build and run (bench/lif.bench.mjs does this when gcc is present):
//   gcc -O3 -march=native -ffp-contract=off -o /tmp/lif_native bench/peers/lif_native.c -lm
//   /tmp/lif_native N steps reps k0 k1 h a VL Vth Vr mu b sem [state-prefix]
// Each variant starts from V[q] = (q mod 997)/997, I[q] = μ at step 0; run 0 is the check run
// (steps from step 0; with state-prefix its final V then I are written as little-endian f64 to
// <state-prefix>-<variant>.bin); runs 1..reps follow it at once, timed, continuing the step counter.
// Prints one JSON line: per variant, the spike count and the sum of V after the check run and the
// neuron-steps/s (median and best of the timed runs); `kat` is the Philox known-answer check.
#if defined(__SSE2__)
#include <immintrin.h>
#endif
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "zigtables.h"

typedef uint32_t u32;
typedef uint64_t u64;

#define M0 0xD2511F53u
#define M1 0xCD9E8D57u
#define W0 0x9E3779B9u
#define W1 0xBB67AE85u

static u32 K0, K1;
static double H, A, NA, VL, VTH, VR, MU, HB, SEM;

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + 1e-9 * t.tv_nsec;
}

// ---- Philox4x32-10 and the ziggurat, scalar (src/rng/reference.ts, assembly/rng) ----

static inline void philox(u32 c0, u32 c1, u32 c2, u32 c3, u32 k0, u32 k1, u32 out[4]) {
  for (int r = 0; r < 10; r++) {
    const u64 p0 = (u64)M0 * c0;
    const u64 p1 = (u64)M1 * c2;
    const u32 hi0 = (u32)(p0 >> 32), lo0 = (u32)p0, hi1 = (u32)(p1 >> 32), lo1 = (u32)p1;
    c0 = hi1 ^ c1 ^ k0;
    c1 = lo1;
    c2 = hi0 ^ c3 ^ k1;
    c3 = lo0;
    k0 += W0;
    k1 += W1;
  }
  out[0] = c0;
  out[1] = c1;
  out[2] = c2;
  out[3] = c3;
}

static double uniform_at(u32 i, u32 t, u32 k) {
  u32 w[4];
  philox(i >> 1, t, k, 0, K0, K1, w);
  const int o = (i & 1) << 1;
  return ((double)w[o + 1] * 2097152.0 + (double)(w[o] >> 11)) * 1.1102230246251565e-16;
}

// The slow path (about 1.5 % of draws): wedge test or tail on sub-draws k >= 1.
static __attribute__((noinline)) double normal_slow(u32 i, u32 t, u32 lo, u32 hi) {
  u32 k = 1;
  for (;;) {
    const int idx = lo & 0xff;
    const u32 neg = (lo >> 8) & 1;
    const double rabs = (double)hi * 1048576.0 + (double)(lo >> 12);
    const double x = rabs * ZIG_W[idx];
    if (rabs < ZIG_K[idx]) return neg ? -x : x;
    if (idx == 0) {
      for (;;) {
        const double ua = uniform_at(i, t, k++);
        const double ub = uniform_at(i, t, k++);
        const double xx = -log(1.0 - ua) / ZIG_R;
        const double yy = -log(1.0 - ub);
        if (yy + yy > xx * xx) return neg ? -(ZIG_R + xx) : ZIG_R + xx;
      }
    }
    const double fo = ZIG_F[idx], fin = ZIG_F[idx + 1];
    const double u = uniform_at(i, t, k++);
    if (fo + u * (fin - fo) < exp(-0.5 * x * x)) return neg ? -x : x;
    u32 w[4];
    philox(i >> 1, t, k++, 0, K0, K1, w);
    const int o = (i & 1) << 1;
    lo = w[o];
    hi = w[o + 1];
  }
}

static inline double normal_words(u32 i, u32 t, u32 lo, u32 hi) {
  const int idx = lo & 0xff;
  const double rabs = (double)hi * 1048576.0 + (double)(lo >> 12);
  if (rabs < ZIG_K[idx]) {
    const double x = rabs * ZIG_W[idx];
    return (lo >> 8) & 1 ? -x : x;
  }
  return normal_slow(i, t, lo, hi);
}

// ---- The neuron update (assembly/lif/index.ts: pairStep's EM branch, finishNeuron's linear rule) ----

// Threshold, spike time, reset for a neuron whose V^{n+1} is not below V_th (or NaN).
static __attribute__((noinline)) int finish(double *V, double *I, int q, double v, double c, double vN, double cN) {
  int s = 0;
  if (v >= VTH || vN >= VTH) {
    if (v >= VTH) {
      vN = (VR + H * ((NA * (VR - VL) + c) + 0.0)) + 0.0; // catch-up (a state at or above V_th)
    } else {
      double th = (VTH - v) / (vN - v);
      if (th >= 1.0) th = 0.9999999999999999;
      const double ct = c + th * (cN - c);
      const double c2t = 0.0 + th * (0.0 - 0.0);
      vN = (VR + ((1.0 - th) * H) * ((NA * (VR - VL) + ct) + c2t)) + 0.0;
    }
    s = 1;
  }
  V[q] = vN;
  I[q] = cN;
  return s;
}

static inline int neuron(double *V, double *I, int q, double z) {
  const double v = V[q], c = I[q];
  const double vN = v + H * ((NA * (v - VL) + c) + 0.0);
  const double cN = (c - HB * (c - MU)) + SEM * z;
  if (!(vN < VTH)) return finish(V, I, q, v, c, vN, cN);
  V[q] = vN;
  I[q] = cN;
  return 0;
}

// Neurons [from, N) of step n, pair by pair (from even).
static int step_scalar(double *V, double *I, int from, int N, u32 n) {
  int spikes = 0;
  u32 w[4];
  for (int q = from; q < N; q += 2) {
    philox((u32)q >> 1, n, 0, 0, K0, K1, w);
    spikes += neuron(V, I, q, normal_words((u32)q, n, w[0], w[1]));
    if (q + 1 < N) spikes += neuron(V, I, q + 1, normal_words((u32)q + 1, n, w[2], w[3]));
  }
  return spikes;
}

// ---- SSE2: 4 blocks on i32x4, f64x2 pairs ----
#ifdef __SSE2__

// hi and lo 32 bits of a·m per 32-bit lane (m splat).
static inline __m128i mulhilo_sse(__m128i a, __m128i m, __m128i *lo) {
  const __m128i ev = _mm_mul_epu32(a, m);
  const __m128i od = _mm_mul_epu32(_mm_srli_epi64(a, 32), m);
  const __m128i low = _mm_set_epi32(0, -1, 0, -1);
  *lo = _mm_or_si128(_mm_and_si128(ev, low), _mm_slli_epi64(od, 32));
  return _mm_or_si128(_mm_srli_epi64(ev, 32), _mm_andnot_si128(low, od));
}

static inline void philox_sse(__m128i c0, __m128i c1, __m128i c2, __m128i c3, u32 k0, u32 k1, __m128i w[4]) {
  const __m128i m0 = _mm_set1_epi32((int)M0), m1 = _mm_set1_epi32((int)M1);
  for (int r = 0; r < 10; r++) {
    __m128i lo0, lo1;
    const __m128i hi0 = mulhilo_sse(c0, m0, &lo0);
    const __m128i hi1 = mulhilo_sse(c2, m1, &lo1);
    c0 = _mm_xor_si128(_mm_xor_si128(hi1, c1), _mm_set1_epi32((int)k0));
    c1 = lo1;
    c2 = _mm_xor_si128(_mm_xor_si128(hi0, c3), _mm_set1_epi32((int)k1));
    c3 = lo0;
    k0 += W0;
    k1 += W1;
  }
  w[0] = c0;
  w[1] = c1;
  w[2] = c2;
  w[3] = c3;
}

// Unsigned 32-bit lanes 0, 1 to f64x2 (exact).
static inline __m128d u32lo_to_pd(__m128i x) {
  return _mm_add_pd(_mm_cvtepi32_pd(_mm_xor_si128(x, _mm_set1_epi32((int)0x80000000u))), _mm_set1_pd(2147483648.0));
}

// Normals of neurons j, j+1 from the words in lanes 0, 1 of lo, hi.
static inline __m128d zig2_sse(__m128i lo, __m128i hi, u32 j, u32 t) {
  const __m128d rabs = _mm_add_pd(_mm_mul_pd(u32lo_to_pd(hi), _mm_set1_pd(1048576.0)), _mm_cvtepi32_pd(_mm_srli_epi32(lo, 12)));
  const u32 l0 = (u32)_mm_cvtsi128_si32(lo), l1 = (u32)_mm_cvtsi128_si32(_mm_srli_si128(lo, 4));
  const int i0 = l0 & 0xff, i1 = l1 & 0xff;
  if (_mm_movemask_pd(_mm_cmplt_pd(rabs, _mm_set_pd(ZIG_K[i1], ZIG_K[i0]))) == 3) {
    const __m128i sign = _mm_and_si128(_mm_slli_epi64(_mm_unpacklo_epi32(lo, _mm_setzero_si128()), 55), _mm_set1_epi64x((long long)0x8000000000000000ull));
    return _mm_xor_pd(_mm_mul_pd(rabs, _mm_set_pd(ZIG_W[i1], ZIG_W[i0])), _mm_castsi128_pd(sign));
  }
  const u32 h0 = (u32)_mm_cvtsi128_si32(hi), h1 = (u32)_mm_cvtsi128_si32(_mm_srli_si128(hi, 4));
  const double a = normal_words(j, t, l0, h0);
  const double b = normal_words(j + 1, t, l1, h1);
  return _mm_set_pd(b, a);
}

static inline int pair_sse(double *V, double *I, int q, __m128d z) {
  const __m128d v = _mm_loadu_pd(V + q), c = _mm_loadu_pd(I + q);
  const __m128d vN = _mm_add_pd(v, _mm_mul_pd(_mm_set1_pd(H), _mm_add_pd(_mm_add_pd(_mm_mul_pd(_mm_set1_pd(NA), _mm_sub_pd(v, _mm_set1_pd(VL))), c), _mm_setzero_pd())));
  const __m128d cN = _mm_add_pd(_mm_sub_pd(c, _mm_mul_pd(_mm_set1_pd(HB), _mm_sub_pd(c, _mm_set1_pd(MU)))), _mm_mul_pd(_mm_set1_pd(SEM), z));
  if (_mm_movemask_pd(_mm_cmplt_pd(vN, _mm_set1_pd(VTH))) != 3) {
    double a[2], b[2], x[2], y[2];
    _mm_storeu_pd(a, v);
    _mm_storeu_pd(b, c);
    _mm_storeu_pd(x, vN);
    _mm_storeu_pd(y, cN);
    return finish(V, I, q, a[0], b[0], x[0], y[0]) + finish(V, I, q + 1, a[1], b[1], x[1], y[1]);
  }
  _mm_storeu_pd(V + q, vN);
  _mm_storeu_pd(I + q, cN);
  return 0;
}

static int step_sse2(double *V, double *I, int N, u32 n) {
  int spikes = 0;
  int q = 0;
  const __m128i lane = _mm_set_epi32(3, 2, 1, 0), zero = _mm_setzero_si128();
  for (; q + 8 <= N; q += 8) {
    __m128i w[4];
    philox_sse(_mm_add_epi32(_mm_set1_epi32(q >> 1), lane), _mm_set1_epi32((int)n), zero, zero, K0, K1, w);
    // pair b (neurons q+2b, q+2b+1): lo = (w0[b], w2[b]), hi = (w1[b], w3[b])
    const __m128i loA = _mm_unpacklo_epi32(w[0], w[2]), loB = _mm_unpackhi_epi32(w[0], w[2]);
    const __m128i hiA = _mm_unpacklo_epi32(w[1], w[3]), hiB = _mm_unpackhi_epi32(w[1], w[3]);
    const __m128d z0 = zig2_sse(loA, hiA, (u32)q, n);
    const __m128d z1 = zig2_sse(_mm_srli_si128(loA, 8), _mm_srli_si128(hiA, 8), (u32)q + 2, n);
    const __m128d z2 = zig2_sse(loB, hiB, (u32)q + 4, n);
    const __m128d z3 = zig2_sse(_mm_srli_si128(loB, 8), _mm_srli_si128(hiB, 8), (u32)q + 6, n);
    spikes += pair_sse(V, I, q, z0);
    spikes += pair_sse(V, I, q + 2, z1);
    spikes += pair_sse(V, I, q + 4, z2);
    spikes += pair_sse(V, I, q + 6, z3);
  }
  return spikes + step_scalar(V, I, q, N, n);
}

#endif

// ---- AVX2: 8 blocks on i32x8, f64x4 quads ----
#ifdef __AVX2__
static inline __m256i mulhilo_avx(__m256i a, __m256i m, __m256i *lo) {
  const __m256i ev = _mm256_mul_epu32(a, m);
  const __m256i od = _mm256_mul_epu32(_mm256_srli_epi64(a, 32), m);
  *lo = _mm256_blend_epi32(ev, _mm256_slli_epi64(od, 32), 0xAA);
  return _mm256_blend_epi32(_mm256_srli_epi64(ev, 32), od, 0xAA);
}

static inline void philox_avx(__m256i c0, __m256i c1, __m256i c2, __m256i c3, u32 k0, u32 k1, __m256i w[4]) {
  const __m256i m0 = _mm256_set1_epi32((int)M0), m1 = _mm256_set1_epi32((int)M1);
  for (int r = 0; r < 10; r++) {
    __m256i lo0, lo1;
    const __m256i hi0 = mulhilo_avx(c0, m0, &lo0);
    const __m256i hi1 = mulhilo_avx(c2, m1, &lo1);
    c0 = _mm256_xor_si256(_mm256_xor_si256(hi1, c1), _mm256_set1_epi32((int)k0));
    c1 = lo1;
    c2 = _mm256_xor_si256(_mm256_xor_si256(hi0, c3), _mm256_set1_epi32((int)k1));
    c3 = lo0;
    k0 += W0;
    k1 += W1;
  }
  w[0] = c0;
  w[1] = c1;
  w[2] = c2;
  w[3] = c3;
}

// Normals of neurons j..j+3 from the words in the 4 lanes of lo, hi.
static inline __m256d zig4_avx(__m128i lo, __m128i hi, u32 j, u32 t) {
  const __m256d hid = _mm256_add_pd(_mm256_cvtepi32_pd(_mm_xor_si128(hi, _mm_set1_epi32((int)0x80000000u))), _mm256_set1_pd(2147483648.0));
  const __m256d rabs = _mm256_add_pd(_mm256_mul_pd(hid, _mm256_set1_pd(1048576.0)), _mm256_cvtepi32_pd(_mm_srli_epi32(lo, 12)));
  const __m128i idx = _mm_and_si128(lo, _mm_set1_epi32(0xff));
  const __m256d k = _mm256_i32gather_pd(ZIG_K, idx, 8);
  if (_mm256_movemask_pd(_mm256_cmp_pd(rabs, k, _CMP_LT_OQ)) == 15) {
    const __m256d w = _mm256_i32gather_pd(ZIG_W, idx, 8);
    const __m256i sign = _mm256_and_si256(_mm256_slli_epi64(_mm256_cvtepu32_epi64(lo), 55), _mm256_set1_epi64x((long long)0x8000000000000000ull));
    return _mm256_xor_pd(_mm256_mul_pd(rabs, w), _mm256_castsi256_pd(sign));
  }
  u32 l[4], h[4];
  double z[4];
  _mm_storeu_si128((__m128i *)l, lo);
  _mm_storeu_si128((__m128i *)h, hi);
  for (int b = 0; b < 4; b++) z[b] = normal_words(j + b, t, l[b], h[b]);
  return _mm256_loadu_pd(z);
}

static inline int quad_avx(double *V, double *I, int q, __m256d z) {
  const __m256d v = _mm256_loadu_pd(V + q), c = _mm256_loadu_pd(I + q);
  const __m256d vN = _mm256_add_pd(
    v,
    _mm256_mul_pd(_mm256_set1_pd(H), _mm256_add_pd(_mm256_add_pd(_mm256_mul_pd(_mm256_set1_pd(NA), _mm256_sub_pd(v, _mm256_set1_pd(VL))), c), _mm256_setzero_pd())));
  const __m256d cN =
    _mm256_add_pd(_mm256_sub_pd(c, _mm256_mul_pd(_mm256_set1_pd(HB), _mm256_sub_pd(c, _mm256_set1_pd(MU)))), _mm256_mul_pd(_mm256_set1_pd(SEM), z));
  if (_mm256_movemask_pd(_mm256_cmp_pd(vN, _mm256_set1_pd(VTH), _CMP_LT_OQ)) != 15) {
    double a[4], b[4], x[4], y[4];
    _mm256_storeu_pd(a, v);
    _mm256_storeu_pd(b, c);
    _mm256_storeu_pd(x, vN);
    _mm256_storeu_pd(y, cN);
    int s = 0;
    for (int l = 0; l < 4; l++) s += finish(V, I, q + l, a[l], b[l], x[l], y[l]);
    return s;
  }
  _mm256_storeu_pd(V + q, vN);
  _mm256_storeu_pd(I + q, cN);
  return 0;
}

static int step_avx2(double *V, double *I, int N, u32 n) {
  int spikes = 0;
  int q = 0;
  const __m256i lane = _mm256_set_epi32(7, 6, 5, 4, 3, 2, 1, 0), zero = _mm256_setzero_si256();
  for (; q + 16 <= N; q += 16) {
    __m256i w[4];
    philox_avx(_mm256_add_epi32(_mm256_set1_epi32(q >> 1), lane), _mm256_set1_epi32((int)n), zero, zero, K0, K1, w);
    // 128-bit half 0 of unpacklo(w0, w2): lo words of neurons q..q+3; unpackhi: q+4..q+7;
    // half 1 of each: q+8..q+11 and q+12..q+15 (blocks 4-7).
    const __m256i loA = _mm256_unpacklo_epi32(w[0], w[2]), loB = _mm256_unpackhi_epi32(w[0], w[2]);
    const __m256i hiA = _mm256_unpacklo_epi32(w[1], w[3]), hiB = _mm256_unpackhi_epi32(w[1], w[3]);
    const __m256d z0 = zig4_avx(_mm256_castsi256_si128(loA), _mm256_castsi256_si128(hiA), (u32)q, n);
    const __m256d z1 = zig4_avx(_mm256_castsi256_si128(loB), _mm256_castsi256_si128(hiB), (u32)q + 4, n);
    const __m256d z2 = zig4_avx(_mm256_extracti128_si256(loA, 1), _mm256_extracti128_si256(hiA, 1), (u32)q + 8, n);
    const __m256d z3 = zig4_avx(_mm256_extracti128_si256(loB, 1), _mm256_extracti128_si256(hiB, 1), (u32)q + 12, n);
    spikes += quad_avx(V, I, q, z0);
    spikes += quad_avx(V, I, q + 4, z1);
    spikes += quad_avx(V, I, q + 8, z2);
    spikes += quad_avx(V, I, q + 12, z3);
  }
  return spikes + step_scalar(V, I, q, N, n);
}
#endif

// ---- driver ----

enum { SCALAR, SSE2, AVX2, NVAR };
static const char *NAMES[NVAR] = {"scalar", "sse2", "avx2"};

static int run(int var, double *V, double *I, int N, u32 n0, int steps) {
  int s = 0;
  for (int k = 0; k < steps; k++) {
    const u32 n = n0 + (u32)k;
    if (var == SCALAR) s += step_scalar(V, I, 0, N, n);
#ifdef __SSE2__
    else if (var == SSE2) s += step_sse2(V, I, N, n);
#endif
#ifdef __AVX2__
    else s += step_avx2(V, I, N, n);
#endif
  }
  return s;
}

static int cmp(const void *a, const void *b) {
  const double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

int main(int argc, char **argv) {
  if (argc < 14) {
    fprintf(stderr, "usage: %s N steps reps k0 k1 h a VL Vth Vr mu b sem [state-prefix]\n", argv[0]);
    return 2;
  }
  const int N = atoi(argv[1]), steps = atoi(argv[2]), reps = atoi(argv[3]);
  K0 = (u32)strtoul(argv[4], 0, 10);
  K1 = (u32)strtoul(argv[5], 0, 10);
  H = strtod(argv[6], 0);
  A = strtod(argv[7], 0);
  NA = -A;
  VL = strtod(argv[8], 0);
  VTH = strtod(argv[9], 0);
  VR = strtod(argv[10], 0);
  MU = strtod(argv[11], 0);
  HB = H * strtod(argv[12], 0);
  SEM = strtod(argv[13], 0);
  const char *prefix = argc > 14 ? argv[14] : 0;
  u32 kat[4];
  philox(0, 0, 0, 0, 0, 0, kat);
  const int katOk = kat[0] == 0x6627e8d5u && kat[1] == 0xe169c58du && kat[2] == 0xbc57ac4cu && kat[3] == 0x9b00dbd8u;
  // Variants this build has (x86-64 always has SSE2; AVX2 with -march=native on a CPU with it).
#if defined(__AVX2__)
  const int nvar = NVAR;
#elif defined(__SSE2__)
  const int nvar = AVX2;
#else
  const int nvar = SSE2;
#endif
  double *V[NVAR], *I[NVAR], *t[NVAR];
  int spikes[NVAR] = {0};
  double sumV[NVAR] = {0};
  for (int v = 0; v < nvar; v++) {
    V[v] = aligned_alloc(64, ((size_t)N * 8 + 63) / 64 * 64);
    I[v] = aligned_alloc(64, ((size_t)N * 8 + 63) / 64 * 64);
    t[v] = malloc(sizeof(double) * (reps > 0 ? reps : 1));
    for (int q = 0; q < N; q++) {
      V[v][q] = (double)(q % 997) / 997.0;
      I[v][q] = MU;
    }
  }
  // Per variant: the check run (also the warm-up of its state in cache), then the timed runs.
  // (bench/lif.bench.mjs interleaves variants and WASM across processes, one timed run each.)
  for (int v = 0; v < nvar; v++) {
    for (int r = 0; r <= reps; r++) {
      const double t0 = now();
      const int s = run(v, V[v], I[v], N, (u32)r * (u32)steps, steps);
      const double dt = now() - t0;
      if (r > 0) {
        t[v][r - 1] = dt;
        continue;
      }
      spikes[v] = s;
      double sum = 0;
      for (int q = 0; q < N; q++) sum += V[v][q];
      sumV[v] = sum;
      if (prefix) {
        char path[4096];
        snprintf(path, sizeof path, "%s-%s.bin", prefix, NAMES[v]);
        FILE *f = fopen(path, "wb");
        if (!f || fwrite(V[v], 8, (size_t)N, f) != (size_t)N || fwrite(I[v], 8, (size_t)N, f) != (size_t)N) {
          fprintf(stderr, "cannot write %s\n", path);
          return 1;
        }
        fclose(f);
      }
    }
    free(V[v]);
    free(I[v]);
  }
  printf("{\"n\":%d,\"steps\":%d,\"reps\":%d,\"kat\":%s", N, steps, reps, katOk ? "true" : "false");
  for (int v = 0; v < nvar; v++) {
    double med = 0, best = 0;
    if (reps > 0) {
      qsort(t[v], (size_t)reps, sizeof(double), cmp);
      med = (double)N * steps / t[v][reps / 2];
      best = (double)N * steps / t[v][0];
    }
    printf(",\"%s\":{\"spikes\":%d,\"sumV\":%.17g,\"neuronStepsPerSecond\":%.0f,\"best\":%.0f}", NAMES[v], spikes[v], sumV[v], med, best);
  }
  printf("}\n");
  return 0;
}
