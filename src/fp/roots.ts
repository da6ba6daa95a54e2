/**
 * Certified root isolation for functions that split into monotone parts (internal to fp).
 *
 * The stationary equations of seed 001 have the form F(x) = Φ(u(x), d(x)) with u nondecreasing,
 * d nonincreasing in x, and Φ nondecreasing in both arguments: the fixed point ψ(N̄) − N̄ of
 * eq. (28) splits ψ into the populations with w > 0 (their drift, hence their rate, grows with
 * N̄) and those with w < 0. On an interval [x0, x1] every value of F then lies in
 * [Φ(u(x0), d(x1)), Φ(u(x1), d(x0))], from four numbers already computed at the ends. An interval
 * whose enclosure excludes 0 (beyond a rounding margin) holds no root; the others are bisected
 * until they are narrower than `relTol·x`. Nothing is assumed about the shape of F between
 * points, so roots that a sign-change scan misses (two roots between two scan points, a root
 * pair near a fold) cannot be lost: every root lies in a surviving interval. Surviving intervals
 * are grouped into clusters; a root is refined in each sign change, and a cluster without a sign
 * change is searched for the extremum that dips through zero (a close root pair) or touches it
 * (a double root).
 * @packageDocumentation
 */

/** Values of F's parts at one point, as the caller's `enclose` needs them. */
export interface RootPoint {
  /** The point. */
  x: number;
  /** F(x). */
  f: number;
}

/** The problem handed to {@link isolateRoots}. */
export interface MonotoneProblem<T extends RootPoint> {
  /** Evaluates the parts at x (counted against the budget). */
  at(x: number): T;
  /**
   * Bounds of F on [p0.x, p1.x] from the parts at the ends, and the rounding margin: an interval
   * is discarded when lo > margin or hi < −margin.
   */
  enclose(p0: T, p1: T): { lo: number; hi: number; margin: number };
  /**
   * Optional enclosure [lo, hi] of F′ on [p0.x, p1.x] (rigorous, rounding included). With it the
   * search also uses the mean-value bounds of F (second order in the interval width), and an
   * interval on which F′ keeps one sign holds at most one root, refined at once.
   */
  slope?(p0: T, p1: T): [number, number];
  /** Called before each evaluation (throw to stop, e.g. on an abort). */
  check?: () => void;
}

/** A root found by {@link isolateRoots}. */
export interface IsolatedRoot {
  /** The root. */
  x: number;
  /** F at the root. */
  f: number;
  /** True for a double root (F touches zero without crossing, to the rounding margin). */
  tangent: boolean;
}

/** What {@link isolateRoots} found. */
export interface IsolationResult {
  /** Roots in increasing order. */
  roots: IsolatedRoot[];
  /** Evaluations of F used. */
  evaluations: number;
  /** Intervals left unexamined when the budget ran out (empty when the search is complete). */
  unresolved: [number, number][];
}

/** Brent-free robust root: bisection refined by the Illinois rule (bracket kept). */
export function solveBracket(f: (x: number) => number, lo: number, hi: number, flo = f(lo), fhi = f(hi)): number {
  let a = lo;
  let b = hi;
  let fa = flo;
  let fb = fhi;
  let side = 0;
  for (let it = 0; it < 200; it++) {
    const c = (a * fb - b * fa) / (fb - fa);
    const x = Number.isFinite(c) && c > Math.min(a, b) && c < Math.max(a, b) ? c : 0.5 * (a + b);
    const fx = f(x);
    if (fx === 0 || Math.abs(b - a) <= 1e-15 * Math.max(1, Math.abs(x))) return x;
    if (Math.sign(fx) === Math.sign(fb)) {
      b = x;
      fb = fx;
      if (side === -1) fa /= 2;
      side = -1;
    } else {
      a = x;
      fa = fx;
      if (side === 1) fb /= 2;
      side = 1;
    }
    if (Math.abs(b - a) <= 1e-14 * Math.max(1e-300, Math.abs(x))) return x;
  }
  return 0.5 * (a + b);
}

/** Narrowest interval split: below this, [0, x] is a candidate as it stands. */
const TINY = 1e-300;

/**
 * Bounds of F on [a, b] from F(a), F(b) and F′ ∈ [dlo, dhi] (dlo < 0 < dhi): F lies above
 * max(F(a) + dlo(x − a), F(b) − dhi(b − x)) and below min(F(a) + dhi(x − a), F(b) − dlo(b − x)).
 */
function meanValueBounds(a: number, b: number, fa: number, fb: number, dlo: number, dhi: number): [number, number] {
  const clamp = (x: number) => Math.min(b, Math.max(a, x));
  const xl = clamp((fb - fa + dlo * a - dhi * b) / (dlo - dhi));
  const lo = Math.max(fa + dlo * (xl - a), fb - dhi * (b - xl));
  const xu = clamp((fb - fa + dhi * a - dlo * b) / (dhi - dlo));
  const hi = Math.min(fa + dhi * (xu - a), fb - dlo * (b - xu));
  return [Number.isFinite(lo) ? lo : Number.NEGATIVE_INFINITY, Number.isFinite(hi) ? hi : Number.POSITIVE_INFINITY];
}

function split(a: number, b: number): number {
  if (a <= 0) return b / 16; // approach 0 geometrically: roots near 0 are found to relative accuracy
  if (b > 4 * a) return Math.sqrt(a) * Math.sqrt(b);
  return 0.5 * (a + b);
}

/**
 * All roots of F on [lo, hi] (lo ≥ 0) for a monotone split F = Φ(u, d) (see the module comment),
 * by branch and bound with the monotone enclosure, at most `maxEvaluations` evaluations.
 * Intervals narrower than `relTol·x` that cannot be excluded are candidates; roots in them are
 * refined to full precision. Roots closer together than `relTol·x` are reported as one.
 */
export function isolateRoots<T extends RootPoint>(
  prob: MonotoneProblem<T>,
  lo: number,
  hi: number,
  o: { relTol: number; maxEvaluations: number },
): IsolationResult {
  let evaluations = 0;
  const at = (x: number): T => {
    prob.check?.();
    evaluations++;
    return prob.at(x);
  };
  const candidates: [T, T][] = [];
  const unique: [T, T][] = [];
  const unresolved: [number, number][] = [];
  // Depth-first, left to right: candidates come out sorted.
  const stack: [T, T][] = [[at(lo), at(hi)]];
  while (stack.length > 0) {
    const iv = stack.pop() as [T, T];
    const [p0, p1] = iv;
    const e = prob.enclose(p0, p1);
    let flo = e.lo;
    let fhi = e.hi;
    if (prob.slope && flo <= e.margin && fhi >= -e.margin && Number.isFinite(p0.f) && Number.isFinite(p1.f)) {
      const [dlo, dhi] = prob.slope(p0, p1);
      if (dlo > 0 || dhi < 0) {
        // F strictly monotone here: one root if the ends differ in sign (or one is 0), else none.
        if (p0.f === 0 || p1.f === 0 || Math.sign(p0.f) !== Math.sign(p1.f)) unique.push(iv);
        continue;
      }
      const [mlo, mhi] = meanValueBounds(p0.x, p1.x, p0.f, p1.f, dlo, dhi);
      flo = Math.max(flo, mlo);
      fhi = Math.min(fhi, mhi);
    }
    if (flo > e.margin || fhi < -e.margin) continue;
    const a = p0.x;
    const b = p1.x;
    if (b - a <= o.relTol * b || b <= TINY) {
      candidates.push(iv);
      continue;
    }
    if (evaluations >= o.maxEvaluations) {
      unresolved.push([a, b]);
      continue;
    }
    const pm = at(split(a, b));
    stack.push([pm, p1], [p0, pm]);
  }
  unresolved.sort((x, y) => x[0] - y[0]);

  // Clusters of adjacent candidates.
  const clusters: T[][] = [];
  for (const [p0, p1] of candidates) {
    const last = clusters[clusters.length - 1];
    if (last && last[last.length - 1].x === p0.x) last.push(p1);
    else clusters.push([p0, p1]);
  }
  const f = (x: number) => at(x).f;
  const roots: IsolatedRoot[] = [];
  for (const [p0, p1] of unique) {
    const x = p0.f === 0 ? p0.x : p1.f === 0 ? p1.x : solveBracket(f, p0.x, p1.x, p0.f, p1.f);
    if (!roots.some((r) => r.x === x)) roots.push({ x, f: f(x), tangent: false });
  }
  for (const c of clusters) {
    let crossed = false;
    for (let j = 0; j < c.length; j++) {
      const p = c[j];
      if (p.f === 0) {
        if (!roots.some((r) => r.x === p.x)) roots.push({ x: p.x, f: 0, tangent: false });
        crossed = true;
        continue;
      }
      if (j + 1 < c.length) {
        const q = c[j + 1];
        if (q.f !== 0 && Math.sign(p.f) !== Math.sign(q.f)) {
          const x = solveBracket(f, p.x, q.x, p.f, q.f);
          roots.push({ x, f: f(x), tangent: false });
          crossed = true;
        }
      }
    }
    if (crossed) continue;
    // No sign change: F keeps one sign at every point of the cluster. Find its extremum towards 0
    // (golden section on the cluster); it either crosses (two roots), touches (a double root
    // within the rounding margin) or stays clear (no root: the enclosure was merely too wide).
    const s = Math.sign(c[0].f);
    let best = c[0];
    for (const p of c) if (s * p.f < s * best.f) best = p;
    const k = c.indexOf(best);
    let a = c[Math.max(0, k - 1)].x;
    let b = c[Math.min(c.length - 1, k + 1)].x;
    const g = (x: number) => s * f(x);
    const R = 0.5 * (Math.sqrt(5) - 1);
    let x1 = b - R * (b - a);
    let x2 = a + R * (b - a);
    let g1 = g(x1);
    let g2 = g(x2);
    let xm = best.x;
    let gm = s * best.f;
    for (let it = 0; it < 80 && gm > 0 && b - a > 1e-15 * Math.max(1e-300, b); it++) {
      if (g1 < g2) {
        b = x2;
        x2 = x1;
        g2 = g1;
        x1 = b - R * (b - a);
        g1 = g(x1);
      } else {
        a = x1;
        x1 = x2;
        g1 = g2;
        x2 = a + R * (b - a);
        g2 = g(x2);
      }
      if (g1 < gm) {
        gm = g1;
        xm = x1;
      }
      if (g2 < gm) {
        gm = g2;
        xm = x2;
      }
    }
    const first = c[0];
    const last = c[c.length - 1];
    if (gm < 0) {
      const fm = s * gm;
      const r1 = solveBracket(f, first.x, xm, first.f, fm);
      const r2 = solveBracket(f, xm, last.x, fm, last.f);
      roots.push({ x: r1, f: f(r1), tangent: false }, { x: r2, f: f(r2), tangent: false });
    } else {
      const pm = at(xm);
      const e = prob.enclose(pm, pm);
      if (gm === 0 || Math.abs(pm.f) <= e.margin) roots.push({ x: xm, f: pm.f, tangent: true });
    }
  }
  roots.sort((x, y) => x.x - y.x);
  return { roots, evaluations, unresolved };
}
