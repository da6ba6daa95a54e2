import type { CrossCases } from './types.ts';

/** Cross-runtime cases of the fp module. */
export const cases: CrossCases = {
  'fp: semi-implicit SG + Rusanov learning, 300 steps on 60 × 12': (nd) => {
    const grid = { vMin: -4, vReset: 0, vThreshold: 1, nv: 60, wMin: -1.2, wMax: 0, nw: 12 };
    const fp = new nd.FokkerPlanckSolver({
      grid,
      a: 1,
      dt: 0.01,
      // Inputs built without Math.exp/pow: their last bit differs between V8 versions (Node 20
      // vs Deno/Chromium); the kernel's own exp is bit-identical everywhere.
      input: (t, w) => w.map((x) => Math.max(0, 1.5 - 6 * (x + 0.5) * (x + 0.5)) * (1 + 0.001 * t)),
      initial: nd.fpGaussianDensity(grid, { H: (w) => (w > -1 ? 1 : 0), mean: 0, sd: 0.5 }),
      learning: { rule: 'hebbian', epsilon: 0.5, nu: 0.001 },
    });
    fp.run(3);
    const out = nd.fingerprint(fp.density(), fp.rates(), [fp.nbar]);
    fp.dispose();
    return out;
  },
  'fp: particle network (seed 7), 200 steps of 64 neurons': (nd) => {
    const weights = Array.from({ length: 64 }, (_, j) => -j / 64);
    const net = new nd.FpParticleNetwork({ weights, input: 1.2, a: 1, vReset: 0, vThreshold: 1, dt: 0.01, seed: 7 });
    net.run(2);
    const out = nd.fingerprint(net.potentials(), net.counts(), [net.nbar]);
    net.dispose();
    return out;
  },
  'fp: explicit v-step + implicit w-step, STDP rule, tanh σ': (nd) => {
    const grid = { vMin: -3, vReset: 0, vThreshold: 1, nv: 40, wMin: -1, wMax: 0.5, nw: 6 };
    const fp = new nd.FokkerPlanckSolver({
      grid,
      a: 0.7,
      dt: 0.002,
      input: [0.2, 0.4, 0.1, 0.3, 0.5, 0],
      initial: nd.fpGaussianDensity(grid, { mean: 0.3, sd: 0.4 }),
      response: { kind: 'tanh', max: 2 },
      vScheme: 'explicit',
      wScheme: 'implicit',
      learning: { rule: 'stdp', epsilon: 1, tauStdp: 0.5, K: [-1, -1, -1, 1, 1, 1] },
    });
    fp.run(0.4);
    const out = nd.fingerprint(fp.density(), fp.rates(), fp.learningField());
    fp.dispose();
    return out;
  },
};
