import type { CrossCases } from './types.ts';

/** Cross-runtime cases of the numerics module (every run is a LifNetwork). */
export const cases: CrossCases = {
  'numerics: coupled paths of a 3-layer network, EM/linear at 4 h_f and h_f (noise window), spikes + A + state': (nd) => {
    const r = nd.coupledPaths({
      network: nd.feedforwardNetwork({ sizes: [4, 4, 4] }),
      duration: 200,
      dts: [0.1, 0.025],
      schemes: [{ integrator: 'euler-maruyama', spikeRule: 'linear' }],
      seed: 'cross',
    });
    return nd.fingerprint(
      ...r.runs.flatMap((x) => [x.spikes.column('neuron').data, x.spikes.column('time').data, x.spikes.column('A').data, x.v]),
    );
  },
  'numerics: Lyapunov trial, exact/hermite on a recurrent network (tangent pass, QR, finite differences)': (nd) => {
    const r = nd.lyapunovTrial({
      network: nd.randomNetwork({ size: 6, p: 0.5, weight: 0.004, mu: 0.05, sigma: 0.02 }),
      dt: 0.05,
      integrator: 'exact',
      spikeRule: 'hermite',
      duration: 200,
      burnIn: 20,
      tangents: 3,
      seed: 'cross-t',
    });
    return nd.fingerprint(r.spectrum, r.vExponent, [r.fdTop], r.crossingSpeed, r.fluxFormula);
  },
  'numerics: Poisson drive coupled at h = 8 h_f, exact/linear (state)': (nd) => {
    const network = {
      populations: [300, 900, 1500].map((rate, k) => ({
        name: `p${k}`,
        size: 2,
        params: { mu: 0.04, sigma: 0.005, poisson: { rate, weight: 0.004 } },
      })),
    };
    const r = nd.coupledPaths({
      network,
      duration: 150,
      dts: [0.1, 0.0125],
      schemes: [{ integrator: 'exact', spikeRule: 'linear' }],
      seed: 'cross-p',
    });
    return nd.fingerprint(...r.runs.flatMap((x) => [x.spikes.column('time').data, x.v]));
  },
  'numerics: convergence study, 2 trials inline (rows)': async (nd) => {
    const r = await nd.convergenceStudy({
      network: nd.feedforwardNetwork({ sizes: [3, 3] }),
      duration: 40,
      dts: [0.2, 0.1],
      reference: { dt: 0.025 },
      schemes: [
        { integrator: 'euler-maruyama', spikeRule: 'grid' },
        { integrator: 'exact', spikeRule: 'linear' },
      ],
      trials: 2,
      seed: 'cross-c',
      workers: 0,
    });
    return nd.fingerprint(
      r.rows.rows.flatMap((row) =>
        row.ok ? row.value.schemes.flatMap((s) => [...s.refA, ...s.levels.flatMap((l) => [...l.err, l.term, ...l.dPhi])]) : [Number.NaN],
      ),
    );
  },
};
