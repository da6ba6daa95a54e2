import type { CrossCases } from './types.ts';

/** Cross-runtime cases of the fp module. */
export const cases: CrossCases = {
  'fp: semi-implicit SG + Rusanov learning, 300 steps on 60 × 12': (nd) => {
    const grid = { vMin: -4, vR: 0, vF: 1, nv: 60, wMin: -1.2, wMax: 0, nw: 12 };
    const fp = new nd.FokkerPlanckSolver({
      grid,
      a: 1,
      dt: 0.01,
      input: (_t, w) => w.map((x) => 1.5 * Math.exp(-((x + 0.5) ** 2) / 0.01)),
      initial: nd.fpGaussianDensity(grid, (w) => (w > -1 ? 1 : 0), 0, 0.5),
      learning: { rule: 'hebbian', epsilon: 0.5, nu: 0.001 },
    });
    fp.run(3);
    const out = nd.fingerprint(fp.density(), fp.rates(), [fp.nbar]);
    fp.dispose();
    return out;
  },
  'fp: particle network (seed 7), 200 steps of 64 neurons': (nd) => {
    const weights = Array.from({ length: 64 }, (_, j) => -j / 64);
    const net = new nd.FpParticleNetwork({ weights, input: 1.2, a: 1, vR: 0, vF: 1, dt: 0.01, seed: 7 });
    net.run(2);
    const out = nd.fingerprint(net.potentials(), net.counts(), [net.nbar]);
    net.dispose();
    return out;
  },
  'fp: stationary rates (Laplace form of Z)': (nd) =>
    nd.fingerprint([-30, -2, 0, 0.5, 3, 40].map((mu) => nd.fpStationaryRate(mu, { a: 1, vR: 1, vF: 2 }))),
};
