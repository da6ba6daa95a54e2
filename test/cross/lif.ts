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
  const st = net.state();
  net.dispose();
  return nd.fingerprint(s.neuron, s.step, s.offset, s.A, st.v, st.i, st.i2);
}

/** Heterogeneous population (every parameter per neuron) with shared noise and Poisson drive: SIMD path. */
function heterogeneous(nd: Lib, integrator: 'exact' | 'euler-maruyama'): string {
  const n = 203;
  const sp = (lo: number, hi: number, s: number) =>
    Float64Array.from({ length: n }, (_, k) => lo + (hi - lo) * (((k + s) * 0.6180339887498949) % 1));
  const net = new nd.LifNetwork({ dt: 0.1, integrator, spikeRule: 'hermite', seed: 'cross-het' });
  net.addPopulation('a', 5, { mu: 0.06, sigma: 0.02 });
  net.addPopulation('h', n, {
    tauMem: sp(12, 28, 0),
    vLeak: sp(-0.1, 0.1, 1),
    vThreshold: sp(0.9, 1.15, 2),
    vReset: sp(-0.2, 0.1, 3),
    tauSyn: sp(2, 8, 4),
    tauSyn2: sp(6, 12, 5),
    mu: sp(0.05, 0.07, 6),
    sigma: sp(0.01, 0.04, 7),
    tRef: sp(0.35, 2.55, 8),
    sharedNoise: 0.2,
    poisson: { rate: 600, weight: 0.003 },
    v0: { uniform: [0, 1] },
  });
  net.connect('h', 'h', { connector: { type: 'fixedInDegree', k: 6 }, weight: -0.003, channel: 1, delay: 0.25 });
  const m = net.addSpikeMonitor();
  net.run(100);
  const s = m.spikes();
  const st = net.state();
  net.dispose();
  return nd.fingerprint(s.neuron, s.step, s.offset, s.A, st.v, st.i, st.i2);
}

/** Cross-runtime cases of the lif module. */
export const cases: CrossCases = {
  'lif: recurrent noisy net, exact + hermite': (nd) => recurrent(nd, 'exact', 'hermite'),
  'lif: recurrent noisy net, euler-maruyama + linear': (nd) => recurrent(nd, 'euler-maruyama', 'linear'),
  'lif: heterogeneous population on the SIMD path, exact + hermite': (nd) => heterogeneous(nd, 'exact'),
  'lif: heterogeneous population on the SIMD path, euler-maruyama + hermite': (nd) => heterogeneous(nd, 'euler-maruyama'),
  'lif: CUBA 400 neurons, 100 ms': (nd) => {
    const net = nd.createLifCuba({ neurons: 400, p: 0.1, seed: 3 });
    const m = net.addSpikeMonitor();
    net.run(100);
    const s = m.spikes();
    const st = net.state();
    net.dispose();
    return nd.fingerprint(s.neuron, s.step, st.v, st.i, st.i2);
  },
};
