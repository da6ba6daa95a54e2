// Kind "convergence": a strong/weak convergence study of the LIF engine's schemes (integrator ×
// spike-time rule) on a layered feedforward network (numerics: feedforwardNetwork +
// convergenceStudy, every run a LifNetwork), run as shards of trials on a worker pool and merged
// exactly (mergeConvergenceShards). Field names and units are the library's. Interrupting keeps
// the shards done: the partial result is the study over the trials [0, done).
import { arr, int, num, obj, str } from '../schema.mjs';

const perLayer = { type: 'numOrArray', number: num() };

export default {
  kind: 'convergence',
  study: true,
  description: 'strong/weak convergence study of the LIF schemes on a feedforward network (convergenceStudy on LifNetwork)',
  requires: ['convergenceStudy', 'mergeConvergenceShards', 'feedforwardNetwork', 'WorkerPool'],
  spec: obj({
    kind: str({ enum: ['convergence'] }),
    name: str({ optional: true }),
    description: str({ optional: true }),
    seed: { type: 'seed', default: 1 },
    network: obj({
      sizes: arr(int({ min: 1, max: 65536 }), { minItems: 1, maxItems: 64 }),
      mu: { ...perLayer, optional: true },
      sigma: { ...perLayer, optional: true },
      weight: { ...perLayer, optional: true },
    }),
    duration: num({ gt: 0, max: 1e7, unit: 'ms' }),
    dts: arr(num({ gt: 0, max: 100, unit: 'ms' }), { minItems: 2, maxItems: 20 }),
    reference: obj({ dt: num({ gt: 0, max: 100, unit: 'ms', optional: true }) }, { optional: true }),
    trials: int({ min: 1, max: 1e7 }),
    schemes: arr(obj({ integrator: str({ enum: ['euler-maruyama', 'exact'] }), spikeRule: str({ enum: ['grid', 'linear', 'hermite'] }) }), {
      minItems: 1,
      default: ['grid', 'linear', 'hermite'].map((spikeRule) => ({ integrator: 'euler-maruyama', spikeRule })),
    }),
    matchWindow: num({ gt: 0, max: 1e6, unit: 'ms', optional: true }),
    workers: int({ min: 0, max: 256, default: 2 }),
    shardTrials: int({ min: 1, max: 1e6, default: 4 }),
    output: obj({ plots: { type: 'boolean', default: true }, csv: { type: 'boolean', default: true } }, { default: {} }),
  }),
  example: {
    kind: 'convergence',
    name: 'feedforward-convergence',
    description: '3-layer feedforward network, the setting of examples/node/convergence.mjs (fewer trials).',
    seed: 'convergence-example',
    network: { sizes: [20, 20, 20] },
    duration: 200,
    dts: [0.4, 0.2, 0.1, 0.05],
    trials: 40,
    schemes: [
      { integrator: 'euler-maruyama', spikeRule: 'grid' },
      { integrator: 'euler-maruyama', spikeRule: 'linear' },
      { integrator: 'euler-maruyama', spikeRule: 'hermite' },
    ],
    workers: 2,
  },
  async create(exp, nd) {
    const network = nd.feedforwardNetwork(exp.network);
    const options = { network, duration: exp.duration, dts: exp.dts, seed: exp.seed, schemes: exp.schemes };
    if (exp.reference !== undefined) options.reference = exp.reference;
    if (exp.matchWindow !== undefined) options.matchWindow = exp.matchWindow;
    const pool = await nd.WorkerPool.create({ workers: exp.workers });
    const shards = [];
    let done = 0;
    return {
      unit: 'trials',
      totalSteps: exp.trials,
      chunkSteps: exp.shardTrials,
      get stepsDone() {
        return done;
      },
      async advance(n) {
        const r = await nd.convergenceStudy({ ...options, range: [done, done + n], pool });
        shards.push(r);
        done += n;
      },
      results() {
        if (shards.length === 0) return { summary: { trials: 0 } };
        const r = nd.mergeConvergenceShards(shards, options);
        const names = Object.keys(r.schemes);
        const summary = {
          trials: r.trials,
          failedTrials: r.failed.length,
          orders: Object.fromEntries(
            names.map((k) => {
              const o = r.schemes[k].orders;
              return [
                k,
                {
                  strong: o.strong.value,
                  strongCI: o.strong.ci,
                  median: o.median.value,
                  weakCount: o.weakCount.value,
                  weakCountCI: o.weakCount.ci,
                },
              ];
            }),
          ),
        };
        const levelRows = [];
        for (const k of names) {
          r.schemes[k].levels.forEach((l, i) => {
            levelRows.push([k, r.dts[i], l.rmsError, l.medianError, l.unmatched, l.weakCount.value, l.terminalMse.value]);
          });
        }
        const tables = {
          orders: {
            columns: ['scheme', 'strong', 'strong_lo', 'strong_hi', 'median', 'weak_count', 'weak_lo', 'weak_hi'],
            rows: names.map((k) => {
              const o = r.schemes[k].orders;
              return [
                k,
                o.strong.value,
                o.strong.ci[0],
                o.strong.ci[1],
                o.median.value,
                o.weakCount.value,
                o.weakCount.ci[0],
                o.weakCount.ci[1],
              ];
            }),
          },
          levels: { columns: ['scheme', 'dt', 'rms_error', 'median_error', 'unmatched', 'weak_count', 'terminal_mse'], rows: levelRows },
        };
        const figures = [
          {
            name: 'error-vs-h',
            svg: nd.plot.lineChart(
              names.map((k) => ({
                x: r.dts,
                y: r.schemes[k].levels.map((l) => l.rmsError),
                mode: 'both',
                label: `${k}: ${r.schemes[k].orders.strong.value.toFixed(2)}`,
              })),
              {
                logx: true,
                logy: true,
                xlabel: 'dt (ms)',
                ylabel: 'RMS spike-time error (ms)',
                title: `Strong error vs h (${r.trials} trials)`,
              },
            ),
          },
        ];
        return { summary, tables, figures, extra: { dts: r.dts, referenceDt: r.referenceDt, duration: r.duration, failed: r.failed } };
      },
      dispose() {
        pool.close();
      },
    };
  },
};
