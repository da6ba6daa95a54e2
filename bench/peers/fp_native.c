// Native ceiling for neurodyn's semi-implicit Scharfetter–Gummel v-step (the recurrences of
// assembly/fp/block.ts: z_i = α − δ_i, e^{z_i} = e^α·G_i, b_i = ΔtD·B(z_i), ĥ_i = b_i + ΔtD·z_i,
// increment form, bordered Thomas with the reinjection column carried on rows ≥ iR).
// Not a peer simulator: it answers "how fast can native code run this recurrence on this machine",
// so that the WASM/TS ratio of bench/fp.bench.mjs can be read against what C reaches. Modes:
//   scalar  one slice at a time (one dependent chain per slice);
//   avx2    8 slices as two 4-lane __m256d chains, FMA allowed (neither exists in WASM SIMD);
//   sse2    2·NCH slices as NCH 2-lane __m128d chains: the instruction set WASM SIMD has
//           (build with -ffp-contract=off so GCC does not fuse multiply-adds, as WASM cannot);
//   minors  the same step with the rows scaled so that one division per row remains and the pivot
//           recurrence is division-free (see block_minors); NCH chains of 2 lanes.
// The Bernoulli series window is omitted (b = ΔtD·z/(e^z − 1) everywhere; `seriesCells` counts
// the cells where the solver would use the series): a ceiling, not a solver.
// Build and run (bench/fp.bench.mjs does this when gcc is present):
//   gcc -O3 -march=native -ffp-contract=off -DNCH=4 -o /tmp/fp_native bench/peers/fp_native.c -lm
//   /tmp/fp_native [steps]
// Prints one JSON line: cell-updates/s per mode (best of 5 repetitions), the mass after each mode's
// run, and each vector mode's largest difference from the scalar result (relative to max p).
#include <immintrin.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define NV 400
#define NW 200
#ifndef NCH
#define NCH 2
#endif

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + 1e-9 * t.tv_nsec;
}

static double P[NW * NV], REF[NW * NV], G[NV], DL[NV], ALPHA[NW];
static double GG[NV], DD[NV], EE[NV];
static double W[3 * NV * 8 * 2];

static void slice_scalar(double *s, double alpha, double dtD, int iR) {
  const int last = NV - 1;
  const double E = exp(alpha);
  const double zL = alpha - DL[last];
  const double hL = dtD * zL / (E * G[last] - 1.0) + dtD * zL;
  const double out = hL * s[last];
  double u = 0, q = 1, r = 0, pc = s[0], d = 0, e = 0;
  for (int i = 0; i < NV; i++) {
    const double z = alpha - DL[i];
    const double zs = dtD * z;
    const double b = zs / (E * G[i] - 1.0);
    const double hh = b + zs;
    const double pn = i < last ? s[i + 1] : 0.0;
    const double jr = hh * pc - b * pn;
    const double inv = 1.0 / (hh + q);
    const double g = b * inv;
    double rhs = u - jr;
    if (i == iR) rhs += out;
    d = rhs * inv;
    GG[i] = g;
    DD[i] = d;
    if (i >= iR) {
      e = i == iR ? inv : r * inv;
      EE[i] = e;
      r = hh * e;
    }
    u = jr + hh * d;
    q = 1.0 + b - hh * g;
    pc = pn;
  }
  const double dlast = d / (1.0 - hL * e);
  const double sI = hL * dlast;
  s[last] += dlast;
  double x = dlast;
  for (int i = last - 1; i >= 0; i--) {
    double y = DD[i] + GG[i] * x;
    if (i >= iR) y += sI * EE[i];
    s[i] += y;
    x = y;
  }
}

// Eight slices k..k+7: two independent 4-lane chains (A: k..k+3, B: k+4..k+7).
static void block_avx2(double *s, const double *alpha, double dtD, int iR) {
  const int last = NV - 1;
  const __m256d one = _mm256_set1_pd(1.0), vdt = _mm256_set1_pd(dtD);
  __m256d a[2], E[2], hL[2], out[2], u[2], q[2], r[2], pc[2], dF[2], eF[2];
  double *sl[8];
  for (int j = 0; j < 8; j++) sl[j] = s + (size_t)j * NV;
  for (int v = 0; v < 2; v++) {
    a[v] = _mm256_loadu_pd(alpha + 4 * v);
    double ex[4];
    for (int l = 0; l < 4; l++) ex[l] = exp(alpha[4 * v + l]);
    E[v] = _mm256_loadu_pd(ex);
    const __m256d zL = _mm256_sub_pd(a[v], _mm256_set1_pd(DL[last]));
    const __m256d zsL = _mm256_mul_pd(vdt, zL);
    hL[v] = _mm256_add_pd(_mm256_div_pd(zsL, _mm256_fmsub_pd(E[v], _mm256_set1_pd(G[last]), one)), zsL);
    const int o = 4 * v;
    out[v] = _mm256_mul_pd(hL[v], _mm256_set_pd(sl[o + 3][last], sl[o + 2][last], sl[o + 1][last], sl[o][last]));
    u[v] = _mm256_setzero_pd();
    q[v] = one;
    r[v] = _mm256_setzero_pd();
    pc[v] = _mm256_set_pd(sl[o + 3][0], sl[o + 2][0], sl[o + 1][0], sl[o][0]);
    dF[v] = eF[v] = _mm256_setzero_pd();
  }
  for (int i = 0; i < NV; i++) {
    const __m256d di = _mm256_set1_pd(DL[i]), gi = _mm256_set1_pd(G[i]);
    double *wo = W + (size_t)i * 8;
    for (int v = 0; v < 2; v++) {
      const int o = 4 * v;
      const __m256d zs = _mm256_mul_pd(vdt, _mm256_sub_pd(a[v], di));
      const __m256d b = _mm256_div_pd(zs, _mm256_fmsub_pd(E[v], gi, one));
      const __m256d hh = _mm256_add_pd(b, zs);
      const __m256d pn = i < last ? _mm256_set_pd(sl[o + 3][i + 1], sl[o + 2][i + 1], sl[o + 1][i + 1], sl[o][i + 1])
                                  : _mm256_setzero_pd();
      const __m256d jr = _mm256_fmsub_pd(hh, pc[v], _mm256_mul_pd(b, pn));
      const __m256d inv = _mm256_div_pd(one, _mm256_add_pd(hh, q[v]));
      const __m256d g = _mm256_mul_pd(b, inv);
      __m256d rhs = _mm256_sub_pd(u[v], jr);
      if (i == iR) rhs = _mm256_add_pd(rhs, out[v]);
      const __m256d d = _mm256_mul_pd(rhs, inv);
      _mm256_storeu_pd(wo + o, g);
      _mm256_storeu_pd(wo + 8 * NV + o, d);
      if (i >= iR) {
        const __m256d e = i == iR ? inv : _mm256_mul_pd(r[v], inv);
        _mm256_storeu_pd(wo + 16 * NV + o, e);
        r[v] = _mm256_mul_pd(hh, e);
        eF[v] = e;
      }
      dF[v] = d;
      u[v] = _mm256_fmadd_pd(hh, d, jr);
      q[v] = _mm256_fnmadd_pd(hh, g, _mm256_add_pd(one, b));
      pc[v] = pn;
    }
  }
  for (int v = 0; v < 2; v++) {
    const int o = 4 * v;
    const __m256d dl = _mm256_div_pd(dF[v], _mm256_fnmadd_pd(hL[v], eF[v], one));
    const __m256d sI = _mm256_mul_pd(hL[v], dl);
    double t[4];
    _mm256_storeu_pd(t, dl);
    for (int l = 0; l < 4; l++) sl[o + l][last] += t[l];
    __m256d x = dl;
    for (int i = last - 1; i >= 0; i--) {
      const double *wo = W + (size_t)i * 8;
      __m256d y = _mm256_fmadd_pd(_mm256_loadu_pd(wo + o), x, _mm256_loadu_pd(wo + 8 * NV + o));
      if (i >= iR) y = _mm256_fmadd_pd(sI, _mm256_loadu_pd(wo + 16 * NV + o), y);
      _mm256_storeu_pd(t, y);
      for (int l = 0; l < 4; l++) sl[o + l][i] += t[l];
      x = y;
    }
  }
}

// Closes the reinjection of each 2-lane chain and runs the back substitution (the scratch W holds
// γ, d' and e' as block_sse2 and block_minors store them).
static void close_sse2(double **sl, const __m128d *dF, const __m128d *eF, const __m128d *hL, int iR) {
  const int last = NV - 1;
  const __m128d one = _mm_set1_pd(1.0);
  for (int v = 0; v < NCH; v++) {
    const int o = 2 * v;
    const __m128d dl = _mm_div_pd(dF[v], _mm_sub_pd(one, _mm_mul_pd(hL[v], eF[v])));
    const __m128d sI = _mm_mul_pd(hL[v], dl);
    double t[2];
    _mm_storeu_pd(t, dl);
    for (int l = 0; l < 2; l++) sl[o + l][last] += t[l];
    __m128d x = dl;
    for (int i = last - 1; i >= 0; i--) {
      const double *wo = W + (size_t)i * 2 * NCH;
      __m128d y = _mm_add_pd(_mm_loadu_pd(wo + 2 * NCH * NV + o), _mm_mul_pd(_mm_loadu_pd(wo + o), x));
      if (i >= iR) y = _mm_add_pd(y, _mm_mul_pd(sI, _mm_loadu_pd(wo + 4 * NCH * NV + o)));
      _mm_storeu_pd(t, y);
      for (int l = 0; l < 2; l++) sl[o + l][i] += t[l];
      x = y;
    }
  }
}

// 2·NCH slices: NCH independent 2-lane chains (no FMA when built with -ffp-contract=off): what WASM
// SIMD (f64x2) can express; NCH = 2 is the layout of the WASM kernel.
static void block_sse2(double *s, const double *alpha, double dtD, int iR) {
  const int last = NV - 1;
  const __m128d one = _mm_set1_pd(1.0), vdt = _mm_set1_pd(dtD);
  __m128d a[NCH], E[NCH], hL[NCH], out[NCH], u[NCH], q[NCH], r[NCH], pc[NCH], dF[NCH], eF[NCH];
  double *sl[2 * NCH];
  for (int j = 0; j < 2 * NCH; j++) sl[j] = s + (size_t)j * NV;
  for (int v = 0; v < NCH; v++) {
    a[v] = _mm_loadu_pd(alpha + 2 * v);
    double ex[2];
    for (int l = 0; l < 2; l++) ex[l] = exp(alpha[2 * v + l]);
    E[v] = _mm_loadu_pd(ex);
    const __m128d zL = _mm_sub_pd(a[v], _mm_set1_pd(DL[last]));
    const __m128d zsL = _mm_mul_pd(vdt, zL);
    hL[v] = _mm_add_pd(_mm_div_pd(zsL, _mm_sub_pd(_mm_mul_pd(E[v], _mm_set1_pd(G[last])), one)), zsL);
    const int o = 2 * v;
    out[v] = _mm_mul_pd(hL[v], _mm_set_pd(sl[o + 1][last], sl[o][last]));
    u[v] = _mm_setzero_pd();
    q[v] = one;
    r[v] = _mm_setzero_pd();
    pc[v] = _mm_set_pd(sl[o + 1][0], sl[o][0]);
    dF[v] = eF[v] = _mm_setzero_pd();
  }
  for (int i = 0; i < NV; i++) {
    const __m128d di = _mm_set1_pd(DL[i]), gi = _mm_set1_pd(G[i]);
    double *wo = W + (size_t)i * 2 * NCH;
    for (int v = 0; v < NCH; v++) {
      const int o = 2 * v;
      const __m128d zs = _mm_mul_pd(vdt, _mm_sub_pd(a[v], di));
      const __m128d b = _mm_div_pd(zs, _mm_sub_pd(_mm_mul_pd(E[v], gi), one));
      const __m128d hh = _mm_add_pd(b, zs);
      const __m128d pn = i < last ? _mm_set_pd(sl[o + 1][i + 1], sl[o][i + 1])
                                  : _mm_setzero_pd();
      const __m128d jr = _mm_sub_pd(_mm_mul_pd(hh, pc[v]), _mm_mul_pd(b, pn));
      const __m128d inv = _mm_div_pd(one, _mm_add_pd(hh, q[v]));
      const __m128d g = _mm_mul_pd(b, inv);
      __m128d rhs = _mm_sub_pd(u[v], jr);
      if (i == iR) rhs = _mm_add_pd(rhs, out[v]);
      const __m128d d = _mm_mul_pd(rhs, inv);
      _mm_storeu_pd(wo + o, g);
      _mm_storeu_pd(wo + 2 * NCH * NV + o, d);
      if (i >= iR) {
        const __m128d e = i == iR ? inv : _mm_mul_pd(r[v], inv);
        _mm_storeu_pd(wo + 4 * NCH * NV + o, e);
        r[v] = _mm_mul_pd(hh, e);
        eF[v] = e;
      }
      dF[v] = d;
      u[v] = _mm_add_pd(jr, _mm_mul_pd(hh, d));
      q[v] = _mm_sub_pd(_mm_add_pd(one, b), _mm_mul_pd(hh, g));
      pc[v] = pn;
    }
  }
  close_sse2(sl, dF, eF, hL, iR);
}


// The same step in "minors" form: row i scaled by D_i·D_{i−1} (D = e^z − 1), so the coefficients
// need no division; the scaled leading minors Θ_i = P_iΘ_{i−1} − Q_iΘ_{i−2} replace the pivot
// recurrence (rescaled by a power of two every row) and ρ_i = Θ_{i−1}/Θ_i is the one division per
// row, off the recurrence. No series window (ceiling only). 2·NCH slices, NCH 2-lane chains.
static void block_minors(double *s, const double *alpha, double dtD, int iR) {
  const int last = NV - 1;
  const __m128d one = _mm_set1_pd(1.0), vdt = _mm_set1_pd(dtD), zero = _mm_setzero_pd();
  const __m128i emask = _mm_set1_epi64x(0x7ff0000000000000LL), kexp = _mm_set1_epi64x(0x7fe0000000000000LL);
  __m128d a[NCH], E[NCH], hL[NCH], out[NCH], Dp[NCH], Sp[NCH], X1[NCH], X2[NCH], X3[NCH], Ta[NCH], Tb[NCH], pc[NCH],
      dF[NCH], eF[NCH];
  double *sl[2 * NCH];
  for (int j = 0; j < 2 * NCH; j++) sl[j] = s + (size_t)j * NV;
  for (int v = 0; v < NCH; v++) {
    const int o = 2 * v;
    a[v] = _mm_loadu_pd(alpha + o);
    E[v] = _mm_set_pd(exp(alpha[o + 1]), exp(alpha[o]));
    const __m128d zsL = _mm_mul_pd(vdt, _mm_sub_pd(a[v], _mm_set1_pd(DL[last])));
    hL[v] = _mm_add_pd(_mm_div_pd(zsL, _mm_sub_pd(_mm_mul_pd(E[v], _mm_set1_pd(G[last])), one)), zsL);
    out[v] = _mm_mul_pd(hL[v], _mm_set_pd(sl[o + 1][last], sl[o][last]));
    Dp[v] = Sp[v] = Ta[v] = one;
    X1[v] = X2[v] = X3[v] = Tb[v] = dF[v] = eF[v] = zero;
    pc[v] = _mm_set_pd(sl[o + 1][0], sl[o][0]);
  }
  for (int i = 0; i < NV; i++) {
    const __m128d di = _mm_set1_pd(DL[i]), gi = _mm_set1_pd(G[i]);
    double *wo = W + (size_t)i * 2 * NCH;
    for (int v = 0; v < NCH; v++) {
      const int o = 2 * v;
      const __m128d B = _mm_mul_pd(vdt, _mm_sub_pd(a[v], di));
      const __m128d eg = _mm_mul_pd(E[v], gi);
      const __m128d D = _mm_sub_pd(eg, one);
      const __m128d H = _mm_mul_pd(B, eg);
      const __m128d U = _mm_mul_pd(B, Dp[v]);
      const __m128d P = _mm_add_pd(_mm_mul_pd(D, Sp[v]), _mm_mul_pd(H, Dp[v]));
      const __m128d T = _mm_sub_pd(_mm_mul_pd(P, Ta[v]), _mm_mul_pd(_mm_mul_pd(D, X1[v]), Tb[v]));
      const __m128d rho = _mm_div_pd(Ta[v], T);
      const __m128d pn = i < last ? _mm_set_pd(sl[o + 1][i + 1], sl[o][i + 1]) : zero;
      const __m128d F = _mm_sub_pd(_mm_mul_pd(H, pc[v]), _mm_mul_pd(B, pn));
      __m128d num = _mm_sub_pd(_mm_mul_pd(D, X2[v]), _mm_mul_pd(F, Dp[v]));
      const __m128d sig = _mm_mul_pd(D, Dp[v]);
      if (i == iR) num = _mm_add_pd(num, _mm_mul_pd(out[v], sig));
      const __m128d d = _mm_mul_pd(num, rho);
      _mm_storeu_pd(wo + o, _mm_mul_pd(U, rho));
      _mm_storeu_pd(wo + 2 * NCH * NV + o, d);
      if (i >= iR) {
        const __m128d e = _mm_mul_pd(i == iR ? sig : _mm_mul_pd(D, X3[v]), rho);
        _mm_storeu_pd(wo + 4 * NCH * NV + o, e);
        X3[v] = _mm_mul_pd(H, e);
        eF[v] = e;
      }
      dF[v] = d;
      X1[v] = _mm_mul_pd(H, U);
      X2[v] = _mm_add_pd(F, _mm_mul_pd(H, d));
      Sp[v] = _mm_add_pd(D, B);
      Dp[v] = D;
      const __m128d sc = _mm_castsi128_pd(_mm_sub_epi64(kexp, _mm_and_si128(_mm_castpd_si128(Ta[v]), emask)));
      Tb[v] = _mm_mul_pd(Ta[v], sc);
      Ta[v] = _mm_mul_pd(T, sc);
      pc[v] = pn;
    }
  }
  close_sse2(sl, dF, eF, hL, iR);
}

int main(int argc, char **argv) {
  const int steps = argc > 1 ? atoi(argv[1]) : 200;
  const double vmin = -6, vR = 1, vF = 2, a = 1, dt = 0.01;
  const double h = (vF - vmin) / NV;
  const int iR = (int)((vR - vmin) / h + 0.5);
  const double dtD = dt * a / (h * h);
  int series = 0;
  for (int i = 0; i < NV; i++) {
    DL[i] = (i + 0.5) * h * h / a;
    G[i] = exp(-DL[i]);
  }
  for (int k = 0; k < NW; k++) {
    const double w = -1 + (k + 0.5) / NW;
    ALPHA[k] = (h / a) * (0.5 + 0.3 * w - vmin);
    for (int i = 0; i < NV; i++) series += fabs(ALPHA[k] - DL[i]) < 0.01;
  }
  double best[4] = {0, 0, 0, 0}, mass[4], rel[4];
  for (int mode = 0; mode < 4; mode++) {
    for (int k = 0; k < NW * NV; k++) P[k] = 0;
    for (int k = 0; k < NW; k++) P[k * NV + iR] = 1 / h;
    for (int rep = 0; rep < 5; rep++) {
      const double t0 = now();
      for (int n = 0; n < steps; n++) {
        if (mode == 0)
          for (int k = 0; k < NW; k++) slice_scalar(P + (size_t)k * NV, ALPHA[k], dtD, iR);
        else if (mode == 1)
          for (int k = 0; k < NW; k += 8) block_avx2(P + (size_t)k * NV, ALPHA + k, dtD, iR);
        else
          for (int k = 0; k < NW;) {
            if (k + 2 * NCH <= NW) {
              (mode == 2 ? block_sse2 : block_minors)(P + (size_t)k * NV, ALPHA + k, dtD, iR);
              k += 2 * NCH;
            } else {
              slice_scalar(P + (size_t)k * NV, ALPHA[k], dtD, iR);
              k++;
            }
          }
      }
      const double rate = (double)NV * NW * steps / (now() - t0);
      if (rate > best[mode]) best[mode] = rate;
    }
    // Every mode ran the same 5·steps steps from the same start: compare with the scalar result.
    double m = 0, top = 0, diff = 0;
    for (int k = 0; k < NW * NV; k++) {
      m += P[k];
      if (mode == 0) REF[k] = P[k];
      if (fabs(REF[k]) > top) top = fabs(REF[k]);
      if (fabs(P[k] - REF[k]) > diff) diff = fabs(P[k] - REF[k]);
    }
    mass[mode] = m * h / NW;
    rel[mode] = diff / top;
  }
  printf("{\"grid\":[%d,%d],\"scalar\":%.0f,\"avx2\":%.0f,\"sse2\":%.0f,\"minors\":%.0f,\"seriesCells\":%d,"
         "\"mass\":[%.15g,%.15g,%.15g,%.15g],\"maxRelDiffVsScalar\":[%.2g,%.2g,%.2g]}\n",
         NV, NW, best[0], best[1], best[2], best[3], series, mass[0], mass[1], mass[2], mass[3], rel[1], rel[2], rel[3]);
  return 0;
}
