import { describe, expect, test } from 'vitest';
import { type BrfModelKind, type BrfNetworkOptions, BrfShardRunner, initBrfParams } from '../../src/index.js';

const setup = (model: BrfModelKind, loss: 'last' | 'sequence') => {
  const network: BrfNetworkOptions = {
    model,
    inputSize: 2,
    hiddenSize: 6,
    outputSize: 3,
    surrogate: { kind: 'sigmoid', gain: 1, beta: 2 },
    loss,
    lossStartStep: 20,
    omegaInit: [15, 50],
    // 5 ± 1, 20 ± 5 and 5 ± 1 steps of 10 ms
    tauMemInit: { mean: 50, sd: 10 },
    tauAdaptInit: { mean: 200, sd: 50 },
    tauOutInit: { mean: 50, sd: 10 },
  };
  const T = 40;
  const S = 2;
  const p = initBrfParams(network, { seed: 7 });
  // larger weights so the dynamics are far from linear
  for (let i = 0; i < 6 * 8; i++) p[i] *= 20;
  const x = new Float64Array(S * T * 2);
  for (let i = 0; i < x.length; i++) x[i] = Math.sin(0.37 * i) * 2 + Math.cos(1.3 * i);
  return { network, T, S, p, x, labels: Int32Array.from([1, 2]) };
};

// BPTT through the WASM kernel vs central finite differences of the same kernel run with the
// smooth stand-in z = S(s) = gain·s/(1+β|s|) (whose derivative is the fast-sigmoid surrogate).
function check(model: BrfModelKind, loss: 'last' | 'sequence') {
  const { network, T, S, p, x, labels } = setup(model, loss);
  const r = new BrfShardRunner({ network, steps: T, shardSize: S });
  try {
    const g = r.run(p, x, labels, { backward: true, smooth: true }).grad as Float64Array;
    const L = (q: Float64Array) => r.run(q, x, labels, { smooth: true }).loss.reduce((a, b) => a + b, 0);
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

// The f32 kernel is a separate implementation (f32x4 lanes, padded hidden layer, tiled recurrent
// adjoint). With the smooth stand-in nothing is discontinuous, so on inputs and parameters that
// are exactly representable in f32 it must agree with the f64 kernel (itself checked against
// finite differences above) to f32 rounding. How far f32 rounding can move a result depends on
// the problem's conditioning, so the reference is measured: the f64 kernel's own change when
// every parameter is perturbed by one f32 rounding step (relative 2^-24, alternating signs).
// f32 makes ~one such rounding per operation, so its error must be of that order: at most 30×
// the perturbation's effect (measured ratios 0.3–8), and at most 1e-6 / 2e-6 relative in the loss
// and the final state.
describe('f32 kernel vs f64 kernel (smooth stand-in, f32-exact inputs)', () => {
  for (const model of ['brf', 'rf', 'alif'] as const) {
    for (const loss of ['last', 'sequence'] as const) {
      for (const H of [6, 13]) {
        test(`${model}, loss ${loss}, H = ${H} (padded to ${Math.ceil(H / 4) * 4})`, () => {
          const { network: n0, T, p: p0, x: x0 } = setup(model, loss);
          const network = { ...n0, hiddenSize: H };
          const S = 5;
          const p = Float64Array.from(Float32Array.from(initBrfParams(network, { seed: 7 })));
          for (let i = 0; i < H * (2 + H); i++) p[i] = Math.fround(p[i] * 20);
          const x = Float64Array.from({ length: S * T * 2 }, (_, i) => Math.fround(x0[i % x0.length] * (1 + (i % 3) / 7)));
          const labels = Int32Array.from([1, 2, 0, 1, 2]);
          expect(p0.length).toBeGreaterThan(0);
          const r64 = new BrfShardRunner({ network, steps: T, shardSize: S, checkpointSteps: 7 });
          const r32 = new BrfShardRunner({ network, steps: T, shardSize: S, checkpointSteps: 7, precision: 'f32' });
          try {
            const a = r64.run(p, x, labels, { backward: true, smooth: true, finalState: true });
            const b = r32.run(p, x, labels, { backward: true, smooth: true, finalState: true });
            const rel = (u: Float64Array, v: Float64Array) => {
              let num = 0;
              let den = 0;
              for (let i = 0; i < u.length; i++) {
                num += (u[i] - v[i]) ** 2;
                den += v[i] ** 2;
              }
              return Math.sqrt(num / den);
            };
            const q = p.map((v, i) => v * (1 + (i % 2 ? 1 : -1) * 2 ** -24));
            const c = r64.run(q, x, labels, { backward: true, smooth: true });
            const rl = rel(b.loss, a.loss);
            const rg = rel(b.grad as Float64Array, a.grad as Float64Array);
            const rs = rel(b.state as Float64Array, a.state as Float64Array);
            const cond = rel(c.grad as Float64Array, a.grad as Float64Array);
            console.log(
              `f32 vs f64 ${model} ${loss} H=${H}: loss ${rl.toExponential(1)}, grad ${rg.toExponential(1)} (f64 under a 2^-24 perturbation: ${cond.toExponential(1)}), state ${rs.toExponential(1)}`,
            );
            expect(rl).toBeLessThan(1e-6);
            expect(rg).toBeLessThan(30 * cond);
            expect(rs).toBeLessThan(2e-6);
            // and f32 is not secretly f64: the results differ
            expect(rg).toBeGreaterThan(0);
          } finally {
            r64.dispose();
            r32.dispose();
          }
        });
      }
    }
  }
});
