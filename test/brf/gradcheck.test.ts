import { describe, expect, test } from 'vitest';
import { type BrfModelKind, type BrfNetworkOptions, BrfShardRunner, initBrfParams } from '../../src/index.js';

// BPTT through the WASM kernel vs central finite differences of the same kernel run with the
// smooth stand-in z = S(s) = gain·s/(1+β|s|) (whose derivative is the fast-sigmoid surrogate).
function check(model: BrfModelKind, loss: 'last' | 'sequence') {
  const opts: BrfNetworkOptions = {
    model,
    inputSize: 2,
    hiddenSize: 6,
    outputSize: 3,
    surrogate: { kind: 'sigmoid', gain: 1, beta: 2 },
    loss,
    lossStart: 20,
    omegaInit: [15, 50],
    tauMemInit: [5, 1],
    tauAdpInit: [20, 5],
    tauOutInit: [5, 1],
  };
  const T = 40;
  const S = 2;
  const r = new BrfShardRunner(opts, T, S);
  try {
    const p = initBrfParams(opts, 7);
    // larger weights so the dynamics are far from linear
    for (let i = 0; i < r.layout.p1; i++) p[i] *= 20;
    const x = new Float64Array(S * T * 2);
    for (let i = 0; i < x.length; i++) x[i] = Math.sin(0.37 * i) * 2 + Math.cos(1.3 * i);
    const labels = Int32Array.from([1, 2]);
    const g = r.run(p, x, labels, true, true).grad as Float64Array;
    const L = (q: Float64Array) => r.run(q, x, labels, false, true).loss.reduce((a, b) => a + b, 0);
    let num = 0;
    let den = 0;
    let worst = 0;
    const gmax = Math.max(...Array.from(g, Math.abs));
    for (let k = 0; k < p.length; k++) {
      const h = 1e-5 * Math.max(1, Math.abs(p[k]));
      const at = (d: number) => {
        const q = p.slice();
        q[k] += d;
        return L(q);
      };
      // fourth-order central stencil (truncation O(h⁴))
      const fd = (8 * (at(h) - at(-h)) - (at(2 * h) - at(-2 * h))) / (12 * h);
      num += (g[k] - fd) ** 2;
      den += fd * fd;
      if (Math.abs(fd) > 1e-3 * gmax) worst = Math.max(worst, Math.abs(g[k] - fd) / Math.abs(fd));
    }
    return { rel: Math.sqrt(num / den), worst, gmax };
  } finally {
    r.dispose();
  }
}

describe('BPTT gradient vs finite differences (f64, smooth stand-in)', () => {
  for (const model of ['brf', 'rf', 'alif'] as const) {
    for (const loss of ['last', 'sequence'] as const) {
      test(`${model}, loss ${loss}`, () => {
        const { rel, worst, gmax } = check(model, loss);
        console.log(
          `gradcheck ${model} ${loss}: rel ${rel.toExponential(2)} worst ${worst.toExponential(2)} gmax ${gmax.toExponential(2)}`,
        );
        expect(gmax).toBeGreaterThan(1e-3);
        expect(rel).toBeLessThan(1e-6);
        expect(worst).toBeLessThan(1e-6);
      });
    }
  }
});
