import type { CrossCases } from './types.ts';

const W = [0, 1.2, -0.8, 0.5, 0, 1.1, -0.4, 0.9, 0];

/** Cross-runtime cases of the srm module. */
export const cases: CrossCases = {
  'srm: sample 3 neurons x 2000 steps + exact log-likelihood (seed 7)': (nd) => {
    const net = new nd.SrmNetwork({ n: 3, weights: W, bias: -0.5, rho0: 50, eta0: 3 });
    try {
      const s = net.sample(2000, { seed: 7 });
      return nd.fingerprint(s.train.spikes, [s.logLik]);
    } finally {
      net.dispose();
    }
  },
  'srm: Bernoulli and Poisson gradients + 20 online steps (trial 3 of "cross")': (nd) => {
    const net = new nd.SrmNetwork({ n: 3, weights: W, bias: -0.2, rho0: 50, eta0: 3, visible: [1, 1, 0] });
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
  'srm: 10 variational updates (2 visible + 2 hidden, seed "v")': (nd) => {
    const vis = new nd.SrmNetwork({ n: 2, weights: [0, 1.5, 1.5, 0], bias: -0.5, rho0: 50, eta0: 2 });
    const data = vis.sample(300, { seed: 'v' }).train;
    vis.dispose();
    const v = new nd.SrmVariational({ n: 4, visible: [1, 1, 0, 0], rho0: 50, eta0: 2, biasQ: -1, biasM: -1 });
    try {
      const f: number[] = [];
      for (let e = 0; e < 10; e++) f.push(v.learnStep(data, { learningRateM: 0.01, learningRateQ: 1e-3, seed: 'v', trial: e }).freeEnergy);
      return nd.fingerprint(f, v.model.weights(), v.recognition.weights(), v.recognition.bias());
    } finally {
      v.dispose();
    }
  },
  'srm: 10 variational updates with a look-ahead Q (D = 2, normalize, seed "la")': (nd) => {
    const vis = new nd.SrmNetwork({ n: 2, weights: [0, 1.5, 1.5, 0], bias: -0.5, rho0: 50, eta0: 2 });
    const data = vis.sample(300, { seed: 'la' }).train;
    vis.dispose();
    const nQ = 6;
    const u = nd.uniforms('la', 0, nQ * nQ, { stream: nd.Streams.init });
    const wQ = Array.from(u, (x, k) => (k >= 2 * nQ && k < 4 * nQ ? x : 0));
    const v = new nd.SrmVariational({
      n: 4,
      visible: [1, 1, 0, 0],
      rho0: 50,
      eta0: 2,
      lookaheadSteps: 2,
      weightsQ: wQ,
      biasQ: -1,
      biasM: -1,
    });
    try {
      const f: number[] = [];
      for (let e = 0; e < 10; e++)
        f.push(v.learnStep(data, { learningRateM: 0.01, learningRateQ: 3e-3, normalize: true, seed: 'la', trial: e }).freeEnergy);
      const b = v.bound(data, { samples: 4, seed: 'b' });
      return nd.fingerprint(f, [b.elbo, b.importanceWeighted], v.model.weights(), v.recognition.weights(), v.recognition.bias());
    } finally {
      v.dispose();
    }
  },
  'srm: run + runAsync (600 ms, dt 0.5), sample with { trial }, spike-table times (seed "rt")': async (nd) => {
    const net = new nd.SrmNetwork({
      n: 4,
      weights: W.concat(0, 0.7, -0.3, 0.2, 1, 0, 0.4),
      bias: -0.3,
      rho0: 80,
      eta0: 2,
      dt: 0.5,
      seed: 'rt',
    });
    try {
      const a = net.run(200);
      const b = await net.runAsync(400, { sliceMs: 1 });
      const s = net.sample(300, { trial: 2 });
      const tab = b.toTable();
      return nd.fingerprint(a.spikes, b.spikes, s.train.spikes, tab.time, [s.logLik, net.time]);
    } finally {
      net.dispose();
    }
  },
};
