import type { CrossCases } from './types.ts';

/** Cross-runtime cases of the numerics module. */
export const cases: CrossCases = {
  'numerics: coupled 3-layer lab network, EM/linear at h = 4 h_f, spikes + A + state': (nd) => {
    const net = nd.feedforwardLabNetwork({ sizes: [4, 4, 4] });
    const sim = new nd.LifLabSimulation(net, { h: 0.1, hFine: 0.025, seed: 'cross', rule: 'linear' });
    try {
      sim.advance(2000);
      const sp = sim.spikes();
      const st = sim.state;
      return nd.fingerprint(sp.neuron, sp.time, sp.A, st.V, st.I);
    } finally {
      sim.dispose();
    }
  },
  'numerics: exact/hermite with tangent QR spectrum': (nd) => {
    const net = nd.randomLabNetwork({ n: 6, p: 0.5, jump: 0.004, mu: 0.05, sigma: 0.02, seed: 2 });
    const sim = new nd.LifLabSimulation(net, { h: 0.05, seed: 'cross-t', integrator: 'exact', rule: 'hermite', tangents: 3 });
    try {
      sim.advance(4000);
      return nd.fingerprint(sim.lyapunovSpectrum(), sim.spikes().time);
    } finally {
      sim.dispose();
    }
  },
  'numerics: Poisson drive binned at h = 8 h_f, exact/linear (events, state, delivered counts)': (nd) => {
    const net = { n: 5, mu: 0.04, sigma: 0.005, poissonRate: [300, 600, 900, 1200, 1500], poissonJump: 0.004 };
    const sim = new nd.LifLabSimulation(net, { h: 0.1, hFine: 0.0125, seed: 'cross-p', integrator: 'exact', rule: 'linear' });
    try {
      sim.advance(1500);
      const sp = sim.spikes();
      const st = sim.state;
      return nd.fingerprint(sim.poissonDelivered, sp.time, sp.A, st.V, st.I);
    } finally {
      sim.dispose();
    }
  },
  'numerics: convergence trial row (inline)': (nd) => {
    const row = nd.convergenceTrial({
      seed: 'cross-c',
      trial: 1,
      params: {
        network: nd.feedforwardLabNetwork({ sizes: [3, 3] }),
        T: 40,
        hs: [0.2, 0.1],
        hRef: 0.025,
        schemes: [
          { integrator: 'euler-maruyama', rule: 'grid' },
          { integrator: 'exact', rule: 'linear' },
        ],
        window: 1,
      },
    });
    return nd.fingerprint(row.schemes.flatMap((s) => [...s.refA, ...s.levels.flatMap((l) => [...l.err, l.term, ...l.dPhi])]));
  },
};
