/**
 * Small dense linear algebra for the ltn module (row-major Float64Array, n ≤ a few hundred):
 * LU with partial pivoting, Cholesky, cyclic Jacobi for symmetric eigenproblems, the matrix
 * exponential (scaling and squaring with a [6/6] Padé approximant) and a spectral-radius bound.
 * Internal: the public functions of the module validate before calling these.
 * @packageDocumentation
 */

/** @internal LU factorisation with partial pivoting; null when a pivot is exactly 0. */
export function luFactor(a: ArrayLike<number>, n: number): { lu: Float64Array; piv: Int32Array; sign: number } | null {
  const lu = Float64Array.from(a);
  const piv = new Int32Array(n);
  let sign = 1;
  for (let i = 0; i < n; i++) piv[i] = i;
  for (let k = 0; k < n; k++) {
    let p = k;
    let best = Math.abs(lu[k * n + k]);
    for (let i = k + 1; i < n; i++) {
      const v = Math.abs(lu[i * n + k]);
      if (v > best) {
        best = v;
        p = i;
      }
    }
    if (best === 0) return null;
    if (p !== k) {
      for (let j = 0; j < n; j++) {
        const t = lu[k * n + j];
        lu[k * n + j] = lu[p * n + j];
        lu[p * n + j] = t;
      }
      const t = piv[k];
      piv[k] = piv[p];
      piv[p] = t;
      sign = -sign;
    }
    const akk = lu[k * n + k];
    for (let i = k + 1; i < n; i++) {
      const f = (lu[i * n + k] /= akk);
      if (f !== 0) for (let j = k + 1; j < n; j++) lu[i * n + j] -= f * lu[k * n + j];
    }
  }
  return { lu, piv, sign };
}

/** @internal Solves A x = b from {@link luFactor}. */
export function luSolve(f: { lu: Float64Array; piv: Int32Array }, b: ArrayLike<number>, n: number): Float64Array {
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = b[f.piv[i]];
  for (let i = 0; i < n; i++) {
    let s = x[i];
    for (let j = 0; j < i; j++) s -= f.lu[i * n + j] * x[j];
    x[i] = s;
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = x[i];
    for (let j = i + 1; j < n; j++) s -= f.lu[i * n + j] * x[j];
    x[i] = s / f.lu[i * n + i];
  }
  return x;
}

/** @internal Determinant (0 for singular). */
export function det(a: ArrayLike<number>, n: number): number {
  if (n === 0) return 1;
  const f = luFactor(a, n);
  if (!f) return 0;
  let d = f.sign;
  for (let i = 0; i < n; i++) d *= f.lu[i * n + i];
  return d;
}

/** @internal Principal submatrix A[S, S] (S sorted indices). */
export function principal(a: ArrayLike<number>, n: number, s: ArrayLike<number>): Float64Array {
  const k = s.length;
  const out = new Float64Array(k * k);
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) out[i * k + j] = a[s[i] * n + s[j]];
  return out;
}

/** @internal Cholesky factor L (lower) of a symmetric matrix, or null if not positive definite. */
export function cholesky(a: ArrayLike<number>, n: number): Float64Array | null {
  const l = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let s = a[j * n + j];
    for (let k = 0; k < j; k++) s -= l[j * n + k] * l[j * n + k];
    if (!(s > 0)) return null;
    const ljj = Math.sqrt(s);
    l[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let t = a[i * n + j];
      for (let k = 0; k < j; k++) t -= l[i * n + k] * l[j * n + k];
      l[i * n + j] = t / ljj;
    }
  }
  return l;
}

/**
 * @internal Cyclic Jacobi for a symmetric matrix: eigenvalues ascending and the matching unit
 * eigenvectors as columns of `vectors` (row-major n×n).
 */
export function symEig(a: ArrayLike<number>, n: number): { values: Float64Array; vectors: Float64Array } {
  const m = Float64Array.from(a);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0;
    let diag = 0;
    for (let i = 0; i < n; i++) {
      diag += m[i * n + i] * m[i * n + i];
      for (let j = i + 1; j < n; j++) off += m[i * n + j] * m[i * n + j];
    }
    if (off <= 1e-30 * diag || off === 0) break;
    jacobiSweep(m, v, n);
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => m[i * n + i] - m[j * n + j]);
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  order.forEach((src, dst) => {
    values[dst] = m[src * n + src];
    for (let k = 0; k < n; k++) vectors[k * n + dst] = v[k * n + src];
  });
  return { values, vectors };
}

/**
 * @internal One cyclic Jacobi sweep over all (p, q), p < q, applied in place to the symmetric
 * matrix `m` (n×n, row-major) and accumulated into the rotation matrix `v`. Shared by
 * {@link symEig} and the plain-TS mirror of the LDS-ascent kernel, so both rotate identically.
 */
export function jacobiSweep(m: Float64Array, v: Float64Array, n: number): void {
  for (let p = 0; p < n; p++) {
    for (let q = p + 1; q < n; q++) {
      const apq = m[p * n + q];
      if (apq === 0) continue;
      const theta = (m[q * n + q] - m[p * n + p]) / (2 * apq);
      const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
      const c = 1 / Math.sqrt(t * t + 1);
      const s = t * c;
      for (let k = 0; k < n; k++) {
        const mkp = m[k * n + p];
        const mkq = m[k * n + q];
        m[k * n + p] = c * mkp - s * mkq;
        m[k * n + q] = s * mkp + c * mkq;
      }
      for (let k = 0; k < n; k++) {
        const mpk = m[p * n + k];
        const mqk = m[q * n + k];
        m[p * n + k] = c * mpk - s * mqk;
        m[q * n + k] = s * mpk + c * mqk;
      }
      for (let k = 0; k < n; k++) {
        const vkp = v[k * n + p];
        const vkq = v[k * n + q];
        v[k * n + p] = c * vkp - s * vkq;
        v[k * n + q] = s * vkp + c * vkq;
      }
    }
  }
}

/** @internal C = A B (n×n). */
export function matmul(a: ArrayLike<number>, b: ArrayLike<number>, n: number): Float64Array {
  const c = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let k = 0; k < n; k++) {
      const aik = a[i * n + k];
      if (aik === 0) continue;
      for (let j = 0; j < n; j++) c[i * n + j] += aik * b[k * n + j];
    }
  return c;
}

/** @internal y = A x. */
export function matvec(a: ArrayLike<number>, x: ArrayLike<number>, n: number, out = new Float64Array(n)): Float64Array {
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += a[i * n + j] * x[j];
    out[i] = s;
  }
  return out;
}

function norm1(a: ArrayLike<number>, n: number): number {
  let best = 0;
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += Math.abs(a[i * n + j]);
    if (s > best) best = s;
  }
  return best;
}

/**
 * @internal Matrix exponential e^A by scaling and squaring with the diagonal [6/6] Padé
 * approximant (Golub & Van Loan, Alg. 11.3.1): ‖A/2^s‖₁ ≤ 1/2 gives a relative error below 1e-16.
 */
export function expm(a: ArrayLike<number>, n: number): Float64Array {
  const nrm = norm1(a, n);
  const s = nrm > 0.5 ? Math.max(0, Math.ceil(Math.log2(nrm / 0.5))) : 0;
  const scale = 2 ** -s;
  const x = new Float64Array(n * n);
  for (let i = 0; i < n * n; i++) x[i] = a[i] * scale;
  const q = 6;
  let c = 0.5;
  const num = new Float64Array(n * n);
  const den = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    num[i * n + i] = 1;
    den[i * n + i] = 1;
  }
  let p: Float64Array = Float64Array.from(x);
  for (let i = 0; i < n * n; i++) {
    num[i] += c * x[i];
    den[i] -= c * x[i];
  }
  let sgn = -1; // (−1)^k, k = 1 handled above
  for (let k = 2; k <= q; k++) {
    c = (c * (q - k + 1)) / (k * (2 * q - k + 1));
    p = matmul(p, x, n);
    sgn = -sgn;
    for (let i = 0; i < n * n; i++) {
      num[i] += c * p[i];
      den[i] += sgn * c * p[i];
    }
  }
  const f = luFactor(den, n);
  if (!f) throw new Error('expm: singular Padé denominator');
  // E = den^{-1} num, column by column
  let e: Float64Array = new Float64Array(n * n);
  const col = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) col[i] = num[i * n + j];
    const y = luSolve(f, col, n);
    for (let i = 0; i < n; i++) e[i * n + j] = y[i];
  }
  for (let k = 0; k < s; k++) e = matmul(e, e, n);
  return e;
}

/**
 * @internal Upper bound on the spectral radius ρ(B) from ‖B^(2^k)‖_F^(1/2^k) (Gelfand's formula),
 * with renormalisation at every squaring so nothing overflows. k squarings make the
 * polynomial factor of a Jordan block of size m at most (2^k)^((m−1)/2^k) (k = 30: 1 + 2e-8 per size).
 */
export function spectralRadiusBound(b: ArrayLike<number>, n: number, squarings = 12): number {
  let m: Float64Array = Float64Array.from(b);
  let logScale = 0; // log of the factor divided out so far, per unit power
  let power = 1;
  for (let k = 0; k < squarings; k++) {
    let f = 0;
    for (let i = 0; i < n * n; i++) f += m[i] * m[i];
    f = Math.sqrt(f);
    if (f === 0) return 0;
    for (let i = 0; i < n * n; i++) m[i] /= f;
    logScale += Math.log(f) / power;
    m = matmul(m, m, n);
    power *= 2;
  }
  let f = 0;
  for (let i = 0; i < n * n; i++) f += m[i] * m[i];
  f = Math.sqrt(f);
  if (f === 0) return 0;
  return Math.exp(logScale + Math.log(f) / power);
}
