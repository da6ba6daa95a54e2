// The analyses run the LIF engine and nothing else: their spike times, crossing speeds and rates
// are those of a LifNetwork built by hand with the public API on the same seed, bit for bit, for
// every integrator × spike-time rule (and with the noise window the analyses use switched on).
import { describe, expect, test } from 'vitest';
import {
  convergenceStudy,
  coupledPaths,
  DEFAULT_SCHEMES,
  LifNetwork,
  lyapunovTrial,
  normals,
  rateSynchronyStudy,
  Streams,
  trialKey,
} from '../../src/index.js';

const SEED = 'engine-check';
const TRIAL = 3;
const spec = {
  populations: [
    { name: 'in', size: 9, params: { mu: 0.055, sigma: 0.02 } },
    { name: 'out', size: 6, params: { mu: 0.045, sigma: 0.02, tauMem: 15, poisson: { rate: 300, weight: 0.002 } } },
  ],
  projections: [{ from: 'in', to: 'out', connector: { type: 'allToAll' as const }, weight: 0.006 }],
};

/** The network the analyses describe, built by hand: every parameter and the initial state explicit. */
function byHand(integrator: 'euler-maruyama' | 'exact', spikeRule: 'grid' | 'linear' | 'hermite', dt: number, fineSteps: number) {
  const net = new LifNetwork({ dt, integrator, spikeRule, seed: SEED, trial: TRIAL, noise: { fineSteps } });
  // Documented initial state: V ~ U[V_r, V_th) (stream init, step 0), I = μ + σ z (stream init, step 1).
  const z = normals(trialKey(SEED, TRIAL), 1, 15, { stream: Streams.init });
  net.addPopulation('in', 9, {
    tauMem: 20,
    vThreshold: 1,
    vReset: 0,
    tauSyn: 5,
    mu: 0.055,
    sigma: 0.02,
    v0: { uniform: [0, 1] },
    i0: Array.from(z.subarray(0, 9), (x) => 0.055 + 0.02 * x),
  });
  net.addPopulation('out', 6, {
    tauMem: 15,
    vThreshold: 1,
    vReset: 0,
    tauSyn: 5,
    mu: 0.045,
    sigma: 0.02,
    poisson: { rate: 300, weight: 0.002 },
    v0: { uniform: [0, 1] },
    i0: Array.from(z.subarray(9, 15), (x) => 0.045 + 0.02 * x),
  });
  net.connect('in', 'out', { connector: { type: 'allToAll' }, weight: 0.006 });
  return { net, mon: net.addSpikeMonitor() };
}

describe('the analyses reproduce LifNetwork bit for bit on the same seed', () => {
  test('coupledPaths: every integrator × rule at every step size (one Brownian path, one noise window)', () => {
    const dts = [0.2, 0.1, 0.025];
    const r = coupledPaths({ network: spec, duration: 200, dts, schemes: DEFAULT_SCHEMES, seed: SEED, trial: TRIAL });
    expect(r.runs.length).toBe(6 * 3);
    for (const run of r.runs) {
      const [integrator, spikeRule] = run.scheme.split('/') as ['euler-maruyama' | 'exact', 'grid' | 'linear' | 'hermite'];
      const { net, mon } = byHand(integrator, spikeRule, run.dt, Math.round(run.dt / 0.025));
      net.run(200);
      expect(run.spikes.length).toBeGreaterThan(40);
      expect(run.spikes.column('neuron').data).toEqual(mon.spikes().neuron);
      // toEqual on Float64Arrays compares every element with Object.is: bit for bit.
      expect(run.spikes.column('time').data).toEqual(mon.spikes().time);
      expect(run.spikes.column('A').data).toEqual(mon.spikes().A);
      expect(run.v).toEqual(net.state().v);
      net.dispose();
    }
  });

  test('convergenceStudy: the reference crossing speeds of each scheme are its LifNetwork run at the reference step', async () => {
    const schemes = DEFAULT_SCHEMES;
    const r = await convergenceStudy({
      network: spec,
      duration: 100,
      dts: [0.2, 0.1],
      reference: { dt: 0.025 },
      schemes,
      seed: SEED,
      range: [TRIAL, TRIAL + 1],
      workers: 0,
    });
    for (const s of schemes) {
      const { net, mon } = byHand(s.integrator, s.spikeRule, 0.025, 1);
      net.run(100);
      expect(r.schemes[`${s.integrator}/${s.spikeRule}`].referenceA).toEqual(mon.spikes().A);
      net.dispose();
    }
  });

  test('lyapunovTrial: the crossing speeds after the burn-in are the LifNetwork run of the same trial (linear, hermite × both integrators)', () => {
    for (const integrator of ['euler-maruyama', 'exact'] as const) {
      for (const spikeRule of ['linear', 'hermite'] as const) {
        const ly = lyapunovTrial({
          network: spec,
          dt: 0.05,
          integrator,
          spikeRule,
          duration: 300,
          burnIn: 50,
          seed: SEED,
          trial: TRIAL,
          tangents: 2,
        });
        const { net, mon } = byHand(integrator, spikeRule, 0.05, 1);
        net.run(50);
        mon.clear();
        net.run(300);
        expect(ly.crossingSpeed.length).toBeGreaterThan(20);
        expect(Float64Array.from(ly.crossingSpeed)).toEqual(mon.spikes().A);
        net.dispose();
      }
    }
  });

  test('rateSynchronyStudy: per-neuron rates of each trial are the LifNetwork counts (every integrator × rule)', async () => {
    for (const s of DEFAULT_SCHEMES) {
      const r = await rateSynchronyStudy({
        network: spec,
        dt: 0.1,
        ...s,
        duration: 400,
        burnIn: 100,
        binSize: 100,
        trials: 2,
        seed: SEED,
        workers: 0,
      });
      const rates = [0, 1].map((trial) => {
        const net = new LifNetwork({ dt: 0.1, integrator: s.integrator, spikeRule: s.spikeRule, seed: SEED, trial });
        const z = normals(trialKey(SEED, trial), 1, 15, { stream: Streams.init });
        net.addPopulation('in', 9, {
          tauMem: 20,
          vThreshold: 1,
          vReset: 0,
          tauSyn: 5,
          mu: 0.055,
          sigma: 0.02,
          v0: { uniform: [0, 1] },
          i0: Array.from(z.subarray(0, 9), (x) => 0.055 + 0.02 * x),
        });
        net.addPopulation('out', 6, {
          tauMem: 15,
          vThreshold: 1,
          vReset: 0,
          tauSyn: 5,
          mu: 0.045,
          sigma: 0.02,
          poisson: { rate: 300, weight: 0.002 },
          v0: { uniform: [0, 1] },
          i0: Array.from(z.subarray(9, 15), (x) => 0.045 + 0.02 * x),
        });
        net.connect('in', 'out', { connector: { type: 'allToAll' }, weight: 0.006 });
        net.run(100);
        const c0 = net.spikeCounts();
        net.run(400);
        const c = net.spikeCounts();
        net.dispose();
        return Array.from(c, (x, i) => (1000 * (x - c0[i])) / 400);
      });
      expect(r.neuronRate).toEqual(rates[0].map((x, i) => (x + rates[1][i]) / 2));
    }
  });
});
