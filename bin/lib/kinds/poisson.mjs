// Kind "poisson": independent Poisson spike trains on the time grid, drawn from the counter-based
// RNG (stream `input`): neuron i spikes in step t when uniform(i, t) < 1 − exp(−rate·dt). A pure
// function of the seed, so useful as a reproducible input or a baseline.
import { binnedRate, commonFields, SpikeStore, spikeMonitors } from '../common.mjs';
import { ExperimentError, int, num, obj } from '../schema.mjs';

export default {
  kind: 'poisson',
  description: 'independent Poisson spike trains on the dt grid (counter-based RNG, stream "input")',
  requires: ['uniforms', 'seedToKey', 'Streams'],
  spec: obj({
    ...commonFields('poisson'),
    network: obj({
      neurons: int({ min: 1, max: 10_000_000 }),
      rate: num({ min: 0, max: 10_000, unit: 'Hz' }),
    }),
    monitors: spikeMonitors(),
  }),
  example: {
    kind: 'poisson',
    name: 'poisson-demo',
    seed: 7,
    duration: 1000,
    dt: 0.1,
    network: { neurons: 100, rate: 20 },
    monitors: { spikes: true, rate: { binSize: 10 } },
  },
  create(exp, nd) {
    const { neurons, rate } = exp.network;
    const dt = exp.dt;
    const binSize = exp.monitors.rate?.binSize;
    // As in the library, a bin is a whole number of steps.
    if (binSize !== undefined && Math.abs(Math.round(binSize / dt) * dt - binSize) > 1e-9 * binSize)
      throw new ExperimentError('monitors.rate.binSize', `expected a positive multiple of dt = ${dt} ms, got ${binSize}`);
    const key = nd.seedToKey(exp.seed);
    const p = 1 - Math.exp((-rate * dt) / 1000);
    const spikes = new SpikeStore();
    let step = 0;
    return {
      totalSteps: Math.round(exp.duration / dt),
      get stepsDone() {
        return step;
      },
      advance(nSteps) {
        for (let s = 0; s < nSteps; s++, step++) {
          const u = nd.uniforms(key, step, neurons, { stream: nd.Streams.input });
          for (let i = 0; i < neurons; i++) if (u[i] < p) spikes.push(i, step * dt);
        }
      },
      results() {
        const sp = spikes.view();
        const simulated = step * dt;
        const out = {
          spikes: sp,
          summary: {
            neurons,
            spikes: sp.neuron.length,
            meanRateHz: simulated > 0 ? (sp.neuron.length / neurons / simulated) * 1000 : 0,
            // One Bernoulli(p) draw per step: the expected rate of the grid process.
            expectedRateHz: (p / dt) * 1000,
          },
        };
        if (exp.monitors.rate) out.rate = binnedRate(sp.time, neurons, binSize, simulated);
        if (!exp.monitors.spikes) delete out.spikes;
        return out;
      },
      dispose() {},
    };
  },
};
