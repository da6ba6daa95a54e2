// Kind "lif": a LIF network (LifNetwork, seed 000) built from populations and projections, run for
// `duration` ms under the chosen scheme (integrator × spike-time rule), with spike, rate and state
// monitors. Field names and units are those of the library (LifPopulationParams,
// LifProjectionOptions, addLayers' options, the monitors' binSize and interval in ms), so a JSON file
// reads like the equivalent script; as there, a population without `mu` and `sigma` has no drive and
// no noise. Checks the library makes across fields (vReset <
// vThreshold, connector sizes, ...) come back as messages naming the experiment field.
import { commonFields, spikeMonitors } from '../common.mjs';
import { arr, bool, byType, ExperimentError, int, num, obj, perNeuron, str } from '../schema.mjs';

const finite = num();
const positive = (unit) => num({ gt: 0, unit });
const nonNeg = (unit) => num({ min: 0, unit });

const params = obj(
  {
    tauMem: perNeuron(positive('ms'), { optional: true }),
    gL: perNeuron(positive('1/ms'), { optional: true }),
    vLeak: perNeuron(finite, { optional: true }),
    vThreshold: perNeuron(finite, { optional: true }),
    vReset: perNeuron(finite, { optional: true }),
    tauSyn: perNeuron(positive('ms'), { optional: true }),
    tauSyn2: perNeuron(positive('ms'), { optional: true }),
    mu: perNeuron(finite, { optional: true }),
    sigma: perNeuron(nonNeg(''), { optional: true }),
    tRef: perNeuron(nonNeg('ms'), { optional: true }),
    sharedNoise: num({ min: 0, max: 1, optional: true }),
    poisson: obj({ rate: nonNeg('Hz'), weight: finite, channel: int({ min: 0, max: 1, optional: true }) }, { optional: true }),
    v0: {
      type: 'oneOf',
      optional: true,
      options: [
        {
          ...obj({ uniform: arr(finite, { minItems: 2, maxItems: 2 }) }),
          when: (v) => v !== null && typeof v === 'object' && !Array.isArray(v),
        },
        { ...perNeuron(finite), when: () => true },
      ],
    },
    i0: {
      type: 'oneOf',
      optional: true,
      options: [
        { ...str({ enum: ['stationary'] }), when: (v) => typeof v === 'string' },
        { ...perNeuron(finite), when: () => true },
      ],
    },
    i20: perNeuron(finite, { optional: true }),
  },
  { default: {} },
);

const connector = byType({
  allToAll: { autapses: bool({ optional: true }) },
  fixedProbability: { p: num({ min: 0, max: 1 }), autapses: bool({ optional: true }) },
  fixedInDegree: { k: int({ min: 0, max: 1e8 }), autapses: bool({ optional: true }) },
  dense: { matrix: arr(finite) },
  csr: { rowPtr: arr(int({ min: 0 })), cols: arr(int({ min: 0 })), weights: arr(finite, { optional: true }) },
});

const projectionFields = {
  connector,
  weight: num({ optional: true }),
  weightUnit: str({ enum: ['current', 'charge', 'voltage'], optional: true }),
  channel: int({ min: 0, max: 1, optional: true }),
  delay: num({ min: 0, unit: 'ms', optional: true }),
};

export default {
  kind: 'lif',
  description: 'a network of current-based LIF neurons (LifNetwork): populations, projections, scheme, monitors',
  requires: ['LifNetwork'],
  spec: obj({
    ...commonFields('lif'),
    scheme: obj(
      {
        integrator: str({ enum: ['euler-maruyama', 'exact'], default: 'exact' }),
        spikeRule: str({ enum: ['grid', 'linear', 'hermite'], default: 'linear' }),
        /** How tRef is counted: 'time' (exact) or 'brian2' (one step less, to reproduce Brian2). */
        refractory: str({ enum: ['time', 'brian2'], default: 'time' }),
      },
      { default: { integrator: 'exact', spikeRule: 'linear', refractory: 'time' } },
    ),
    trial: int({ min: 0, max: 2 ** 32 - 1, optional: true }),
    network: obj(
      {
        populations: arr(obj({ name: str(), size: int({ min: 1, max: 1 << 26 }), params }), { default: [] }),
        /** Layered feedforward network (LifNetwork.addLayers): layers L0..L{m−1}, added after `populations`. */
        layers: obj(
          {
            sizes: arr(int({ min: 1, max: 1 << 26 }), { minItems: 1 }),
            params,
            projection: obj(projectionFields),
            prefix: str({ default: 'L' }),
          },
          { optional: true },
        ),
        projections: arr(obj({ from: str(), to: str(), ...projectionFields }), { default: [] }),
      },
      {
        check: (n, path) => {
          if (n.populations.length === 0 && !n.layers)
            throw new ExperimentError(`${path}.populations`, 'expected at least one population (or `layers`), got none');
        },
      },
    ),
    monitors: spikeMonitors({
      /** LifNetwork.addStateMonitor: `interval` (ms, a multiple of dt; default dt). */
      state: obj(
        {
          neurons: arr(int({ min: 0 }), { minItems: 1, maxItems: 1000 }),
          interval: num({ gt: 0, max: 1e6, unit: 'ms', optional: true }),
          maxSamples: int({ min: 1, max: 1e7, default: 100_000 }),
        },
        { optional: true },
      ),
    }),
  }),
  example: {
    kind: 'lif',
    name: 'noisy-population',
    description: 'An uncoupled noisy LIF population in the seed units (threshold 1, reset 0).',
    seed: 1,
    duration: 1000,
    dt: 0.1,
    scheme: { integrator: 'exact', spikeRule: 'linear' },
    network: {
      populations: [{ name: 'pop', size: 200, params: { tauMem: 20, tauSyn: 5, mu: 0.055, sigma: 0.02, v0: { uniform: [0, 1] } } }],
    },
    monitors: { spikes: true, rate: { binSize: 10 }, state: { neurons: [0, 1, 2], interval: 0.5 } },
  },
  create(exp, nd) {
    const opts = { dt: exp.dt, integrator: exp.scheme.integrator, spikeRule: exp.scheme.spikeRule, seed: exp.seed };
    if (exp.scheme.refractory !== 'time') opts.refractory = exp.scheme.refractory;
    if (exp.trial !== undefined) opts.trial = exp.trial;
    const net = new nd.LifNetwork(opts);
    // Library checks name their argument (`params.vReset`, `options.connector.p`): re-root them
    // under the experiment field they came from.
    const reroot = (prefix, e, strip = '') => {
      if (e instanceof nd.ValidationError) {
        const arg = strip && e.argument.startsWith(strip) ? e.argument.slice(strip.length) : e.argument;
        const msg = e.message.startsWith(`${e.argument}:`) ? e.message.slice(e.argument.length + 1).trim() : e.message;
        return new ExperimentError(`${prefix}.${arg}`, msg);
      }
      return e;
    };
    try {
      exp.network.populations.forEach((p, k) => {
        try {
          net.addPopulation(p.name, p.size, p.params);
        } catch (e) {
          throw reroot(`network.populations[${k}]`, e);
        }
      });
      const ly = exp.network.layers;
      if (ly) {
        try {
          net.addLayers(ly.sizes, { params: ly.params, projection: ly.projection, prefix: ly.prefix });
        } catch (e) {
          throw reroot('network.layers', e, 'options.');
        }
      }
      exp.network.projections.forEach((pj, k) => {
        const { from, to, ...o } = pj;
        try {
          net.connect(from, to, o);
        } catch (e) {
          throw reroot(`network.projections[${k}]`, e, 'options.');
        }
      });
      const N = net.size;
      const spikeMon = net.addSpikeMonitor();
      // Monitor options are the library's (ms, multiples of dt): its checks come back re-rooted.
      let rateMon = null;
      if (exp.monitors.rate) {
        try {
          rateMon = net.addRateMonitor({ binSize: exp.monitors.rate.binSize });
        } catch (e) {
          throw reroot('monitors.rate', e, 'options.');
        }
      }
      let stateMon = null;
      const st = exp.monitors.state;
      if (st) {
        st.neurons.forEach((n, k) => {
          if (n >= N)
            throw new ExperimentError(
              `monitors.state.neurons[${k}]`,
              `expected an integer in [0, ${N - 1}] (the network has ${N} neurons), got ${n}`,
            );
        });
        try {
          stateMon = net.addStateMonitor({ neurons: st.neurons, interval: st.interval, maxSamples: st.maxSamples });
        } catch (e) {
          throw reroot('monitors.state', e, 'options.');
        }
      }
      net.build();
      return {
        totalSteps: Math.round(exp.duration / exp.dt),
        chunkSteps: 1000,
        get stepsDone() {
          return net.step;
        },
        advance(nSteps) {
          net.run(nSteps * exp.dt);
        },
        results() {
          const simulated = net.step * exp.dt;
          const out = {
            summary: { neurons: N, spikes: net.spikeCount, meanRateHz: simulated > 0 ? (net.spikeCount / N / simulated) * 1000 : 0 },
          };
          const mem = net.memory();
          out.summary.synapses = mem.synapses;
          out.extra = { memory: mem, populations: net.populations() };
          const s = spikeMon.spikes(); // Table: time (ms), neuron, step, offset, A
          if (exp.monitors.spikes) out.spikes = { neuron: s.neuron, time: s.time, A: s.A };
          if (rateMon) {
            const r = rateMon.rates(); // Table: time (bin start, ms), count, rate (Hz)
            out.rate = { t: Array.from(r.time, (t) => t + rateMon.binSize / 2), hz: Array.from(r.rate) };
          }
          // Per-population rates.
          out.summary.populations = Object.fromEntries(
            net.populations().map((p) => {
              let c = 0;
              for (const n of s.neuron) if (n >= p.start && n < p.start + p.size) c++;
              return [p.name, { size: p.size, spikes: c, rateHz: simulated > 0 ? (c / p.size / simulated) * 1000 : 0 }];
            }),
          );
          if (stateMon) {
            // Table in long format: row k·m + j is sample k of neuron j.
            const d = stateMon.samples();
            const nn = stateMon.neurons.length;
            const K = d.length / nn;
            const pick = (col) => Array.from({ length: nn }, (_, j) => Array.from({ length: K }, (_, k) => col[k * nn + j]));
            out.state = {
              t: Array.from({ length: K }, (_, k) => d.time[k * nn]),
              neurons: Array.from(stateMon.neurons),
              values: { v: pick(d.v), i: pick(d.i), i2: pick(d.i2) },
            };
          }
          return out;
        },
        dispose() {
          net.dispose();
        },
      };
    } catch (e) {
      net.dispose();
      throw e;
    }
  },
};
