import type { CrossCases } from './types.ts';

const W = [0, 1.2, -0.8, 0.5, 0, 1.1, -0.4, 0.9, 0];

/** Cross-runtime cases of the srm module. */
export const cases: CrossCases = {
  'srm: sample 3 neurons x 2000 steps + exact log-likelihood (seed 7)': (nd) => {
    const net = new nd.SrmNetwork({ n: 3, weights: W, bias: -0.5, rho0: 0.05, eta0: 3 });
    try {
      const s = net.sample(2000, { seed: 7 });
      return nd.fingerprint(s.train.spikes, [s.logLik]);
    } finally {
      net.dispose();
    }
  },
  'srm: Bernoulli and Poisson gradients + 20 online steps (trial 3 of "cross")': (nd) => {
    const net = new nd.SrmNetwork({ n: 3, weights: W, bias: -0.2, rho0: 0.05, eta0: 3, visible: [1, 1, 0] });
    try {
      const s = net.sample(1500, { seed: 'cross', trial: 3 });
      const gb = net.gradient(s.train);
      const gp = net.gradient(s.train, { form: 'poisson' });
      for (let k = 0; k < 20; k++) net.learnOnline(s.train, { learningRate: 1e-3, tauElig: 5 });
      return nd.fingerprint(gb.dW, gb.dBias, gp.dW, net.weights());
    } finally {
      net.dispose();
    }
  },
};
