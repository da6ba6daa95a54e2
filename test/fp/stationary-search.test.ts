// fpStationaryStates must find every stationary state (issue 16): the two reproducers — one
// weight b = 2.1009 (two states 0.002 % of N̄ apart from the fold: 0.41967 and 0.42886, which a
// 400-point scan returned as none) and b = 1.001 (an upper state near 1499.39, above the old
// default nbarMax) — checked against values computed here independently: the rate
// N(μ) = 1/∫_0^∞ e^{−s²/2}(e^{s·w_F} − e^{s·w_R})/s ds by composite Simpson (its own code, two
// resolutions), and the self-consistency N = N(b·N) solved by bisection. Then: the search says
// when it is incomplete, and on random networks every sign change a dense scan sees is a reported
// state and every reported state solves ψ(N̄) = N̄.
import { describe, expect, test } from 'vitest';
import { fpInverseProblem, fpStationaryRate, fpStationaryStates } from '../../src/index.js';

const M = { a: 1, vReset: 1, vThreshold: 2 };

/** 1/N(μ) = ∫_0^∞ e^{−s²/2}(e^{s·w_F} − e^{s·w_R})/s ds, w = (V − μ)/√a, composite Simpson on n intervals. */
function isi(mu: number, n = 40_000, a = 1, vR = 1, vF = 2): number {
  const sa = Math.sqrt(a);
  const wF = (vF - mu) / sa;
  const del = (vF - vR) / sa;
  const f = (s: number) => (s === 0 ? del : (Math.exp(-0.5 * s * s + s * wF) * -Math.expm1(-s * del)) / s);
  // the integrand lives on s ≲ w_F + 12 (Gaussian) or s ≲ 60/|w_F| (exponential decay)
  const end = wF >= 0 ? wF + 12 : Math.min(12, 60 / -wF);
  const h = end / n;
  let sum = f(0) + f(end);
  for (let i = 1; i < n; i++) sum += (i % 2 ? 4 : 2) * f(i * h);
  return (sum * h) / 3;
}
const rate = (mu: number, n?: number) => 1 / isi(mu, n);

/** Roots of N(b·N) − N by bisection inside the sign changes of a scan of [lo, hi]. */
function selfConsistent(b: number, lo: number, hi: number, points: number): number[] {
  const g = (x: number) => rate(b * x) - x;
  const roots: number[] = [];
  let x0 = lo;
  let g0 = g(x0);
  for (let j = 1; j <= points; j++) {
    const x1 = lo + ((hi - lo) * j) / points;
    const g1 = g(x1);
    if (Math.sign(g0) !== Math.sign(g1)) {
      let a = x0;
      let c = x1;
      let ga = g0;
      for (let it = 0; it < 60 && c - a > 1e-15 * c; it++) {
        const m = 0.5 * (a + c);
        const gm = g(m);
        if (Math.sign(gm) === Math.sign(ga)) {
          a = m;
          ga = gm;
        } else c = m;
      }
      roots.push(0.5 * (a + c));
    }
    x0 = x1;
    g0 = g1;
  }
  return roots;
}

describe('the reproducers of issue 16, against an independent quadrature and bisection', () => {
  test('the test quadrature is converged (n = 40 000 vs 80 000) and matches the known rate 0.1199759652', () => {
    for (const mu of [0, 0.88, 1500.9]) expect(Math.abs(isi(mu) / isi(mu, 80_000) - 1)).toBeLessThan(1e-12);
    expect(Math.abs(rate(0) - 0.1199759652391049)).toBeLessThan(1e-12);
  });

  test('b = 2.1009: both states (≈ 0.41967 and 0.42886) are found, and the search is complete', () => {
    const b = 2.1009;
    const ref = selfConsistent(b, 0.41, 0.44, 30);
    expect(ref).toHaveLength(2);
    const r = fpStationaryStates({ ...M, w: [b], dw: 1, H: [1] });
    console.log(
      `b = ${b}: states ${Array.from(r.nbar).join(', ')} (reference ${ref.join(', ')}), ${r.evaluations} evaluations, bound ${r.bound}`,
    );
    expect(r.states).toHaveLength(2);
    expect(r.complete).toBe(true);
    for (let j = 0; j < 2; j++) expect(Math.abs(r.states[j].nbar - ref[j]) / ref[j]).toBeLessThan(1e-10);
    expect(r.states[0].nbar).toBeCloseTo(0.41967, 5);
    expect(r.states[1].nbar).toBeCloseTo(0.42886, 5);
    // the low state is crossed from above (ψ′ < 1), the high one from below
    expect(r.states[0].slope).toBeLessThan(0);
    expect(r.states[1].slope).toBeGreaterThan(0);
    // the bound covers both, and above the upper state ψ(N̄) > N̄ (checked independently up to 100× the bound)
    const bound = r.bound as number;
    expect(bound).toBeGreaterThan(ref[1]);
    for (const x of [ref[1] * 1.01, bound, 10 * bound, 100 * bound]) expect(rate(b * x)).toBeGreaterThan(x);
  });

  test('b = 1.001: the upper state ≈ 1499.39 (above the old nbarMax = 1000) is found, search complete', () => {
    const b = 1.001;
    const low = selfConsistent(b, 0.05, 0.5, 20);
    const high = selfConsistent(b, 1000, 2000, 20);
    expect(low).toHaveLength(1);
    expect(high).toHaveLength(1);
    const r = fpStationaryStates({ ...M, w: [b], dw: 1, H: [1] });
    console.log(
      `b = ${b}: states ${Array.from(r.nbar).join(', ')} (reference ${low[0]}, ${high[0]}), ${r.evaluations} evaluations, bound ${r.bound}`,
    );
    expect(r.states).toHaveLength(2);
    expect(r.complete).toBe(true);
    expect(Math.abs(r.states[0].nbar - low[0]) / low[0]).toBeLessThan(1e-10);
    expect(Math.abs(r.states[1].nbar - high[0]) / high[0]).toBeLessThan(1e-10);
    expect(r.states[1].nbar).toBeCloseTo(1499.39, 2);
    // the bound from the data: every root below −B/(s − 1) = (V_F − I)/(b − 1)·(V_F − V_R)/… = 2000
    expect(r.bound as number).toBeCloseTo(2000, 3);
  });

  test('a range that cannot hold every state says so: complete false, with the range searched', () => {
    const capped = fpStationaryStates({ ...M, w: [1.001], dw: 1, H: [1], nbarMax: 1000 });
    expect(capped.complete).toBe(false);
    expect(capped.range).toEqual([0, 1000]);
    expect(capped.states).toHaveLength(1); // the state at 1499 lies outside, and the result says so
    // b = V_F − V_R exactly: ψ grows like N̄, no bound can be derived
    const flat = fpStationaryStates({ ...M, w: [1], dw: 1, H: [1], nbarMax: 1e6 });
    expect(flat.bound).toBeNull();
    expect(flat.complete).toBe(false);
    expect(flat.range).toEqual([0, 1e6]);
    expect(flat.states.length).toBeGreaterThanOrEqual(1);
    // an exhausted evaluation budget leaves the unexamined ranges listed
    const tight = fpStationaryStates({ ...M, w: [1], dw: 1, H: [1], nbarMax: 1e6, maxEvaluations: 10 });
    expect(tight.complete).toBe(false);
    expect(tight.unresolved.length).toBeGreaterThan(0);
  });

  test('past the fold (b = 2.1011) there is no state, and the search proves it (complete)', () => {
    const r = fpStationaryStates({ ...M, w: [2.1011], dw: 1, H: [1] });
    expect(r.states).toHaveLength(0);
    expect(r.complete).toBe(true);
    // independent: N(b·N) − N stays positive on the whole bounded range
    let minGap = Number.POSITIVE_INFINITY;
    for (let j = 0; j <= 200; j++) {
      const x = ((r.bound as number) * j) / 200;
      minGap = Math.min(minGap, rate(2.1011 * x) - x);
    }
    expect(minGap).toBeGreaterThan(0);
  });
});

/** A small deterministic generator (LCG) for the random networks. */
function lcg(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('random networks: dense scans agree with the certified search', () => {
  test('40 networks of 1–4 weights in [−2, 3], inputs in [−1, 1.5], identity or tanh response', () => {
    const rnd = lcg(2017);
    let total = 0;
    let incomplete = 0;
    for (let t = 0; t < 40; t++) {
      const n = 1 + Math.floor(rnd() * 4);
      const w = Array.from({ length: n }, () => -2 + 5 * rnd());
      const H = Array.from({ length: n }, () => 0.2 + rnd());
      const input = Array.from({ length: n }, () => -1 + 2.5 * rnd());
      const response = rnd() < 0.3 ? ({ kind: 'tanh', max: 1 + 4 * rnd() } as const) : ('identity' as const);
      const r = fpStationaryStates({ ...M, w, dw: 0.5, H, input, response, nbarMax: 1e4 });
      if (!r.complete) incomplete++;
      const Hs = H.reduce((a, b) => a + b, 0) * 0.5;
      const sig = (x: number) => (response === 'identity' ? x : response.max * Math.tanh(x / response.max));
      const F = (x: number) => {
        let s = 0;
        for (let k = 0; k < n; k++) s += (H[k] / Hs) * 0.5 * fpStationaryRate(input[k] + w[k] * sig(x), M);
        return s - x;
      };
      for (const s of r.states) expect(Math.abs(F(s.nbar))).toBeLessThan(1e-9 * Math.max(1, s.nbar));
      // every sign change of a 3000-point scan of the searched range holds a reported state
      const hi = r.range[1];
      let x0 = 0;
      let f0 = F(0);
      for (let j = 1; j <= 3000; j++) {
        const x1 = hi * 10 ** (-8 + (8 * j) / 3000);
        const f1 = F(x1);
        if (Math.sign(f0) !== Math.sign(f1))
          expect(r.states.some((s) => s.nbar >= x0 * (1 - 1e-9) && s.nbar <= x1 * (1 + 1e-9))).toBe(true);
        x0 = x1;
        f0 = f1;
      }
      total += r.states.length;
    }
    console.log(`40 random networks: ${total} stationary states, ${incomplete} searches incomplete`);
    expect(total).toBeGreaterThan(40);
  });

  test('inverse problem on an excitatory pair: each state of H is recovered from its output S', () => {
    const w = [0.5, 1.6];
    const H = [1, 1];
    const states = fpStationaryStates({ ...M, w, dw: 0.5, H }).states;
    expect(states.length).toBe(2);
    for (const s of states) {
      const S = Array.from(s.N, (x) => x / s.nbar);
      const inv = fpInverseProblem({ ...M, w, dw: 0.5, S });
      expect(inv.complete).toBe(true);
      const hit = inv.solutions.find((q) => Math.abs(q.nbar - s.nbar) < 1e-9 * s.nbar);
      expect(hit).toBeDefined();
      for (let k = 0; k < 2; k++) expect(Math.abs((hit as { H: Float64Array }).H[k] - 1)).toBeLessThan(1e-8);
    }
  });
});
