import type { CrossCases, Lib } from './types.ts';

function recurrent(nd: Lib, integrator: 'exact' | 'euler-maruyama', spikeRule: 'grid' | 'linear' | 'hermite'): string {
  const net = new nd.LifNetwork({ dt: 0.1, integrator, spikeRule, seed: 'cross', trial: 2 });
  net.addPopulation('e', 40, { mu: 0.05, sigma: 0.03, v0: { uniform: [0, 1] }, sharedNoise: 0.1 });
  net.addPopulation('i', 10, {
    mu: 0.05,
    sigma: 0.02,
    tRef: 1,
    tauSyn2: 8,
    v0: { uniform: [0, 1] },
    poisson: { rate: 300, weight: 0.003 },
  });
  net.connect('e', 'e', { connector: { type: 'fixedProbability', p: 0.2 }, weight: 0.005, delay: 0.35 });
  net.connect('e', 'i', { connector: { type: 'fixedInDegree', k: 8 }, weight: 0.006 });
  net.connect('i', 'e', { connector: { type: 'allToAll' }, weight: -0.004, channel: 1 });
  const m = net.addSpikeMonitor();
  net.run(150);
  const s = m.spikes();
  const st = net.getState();
  net.dispose();
  return nd.fingerprint(s.neuron, s.step, s.offset, s.A, st.v, st.i, st.i2);
}

/** Cross-runtime cases of the lif module. */
export const cases: CrossCases = {
  'lif: recurrent noisy net, exact + hermite': (nd) => recurrent(nd, 'exact', 'hermite'),
  'lif: recurrent noisy net, euler-maruyama + linear': (nd) => recurrent(nd, 'euler-maruyama', 'linear'),
  'lif: CUBA 400 neurons, 100 ms': (nd) => {
    const net = nd.createLifCuba({ neurons: 400, p: 0.1, seed: 3 });
    const m = net.addSpikeMonitor();
    net.run(100);
    const s = m.spikes();
    const st = net.getState();
    net.dispose();
    return nd.fingerprint(s.neuron, s.step, st.v, st.i, st.i2);
  },
};
