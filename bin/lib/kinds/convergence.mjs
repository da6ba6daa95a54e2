// Kind "convergence": a strong/weak convergence study of spike-time rules on a layered
// feedforward LIF network (numerics: feedforwardLabNetwork + convergenceStudy), run as shards of
// trials on a worker pool and merged exactly (mergeConvergenceShards). Interrupting keeps the
// shards done: the partial result is the study over the trials [0, done).
import { arr, int, num, obj, str } from '../schema.mjs';

const perLayer = { type: 'numOrArray', number: num() };

export default {
  kind: 'convergence',
  study: true,
  description: 'strong/weak convergence study of spike-time rules on a feedforward LIF network (convergenceStudy)',
  requires: ['convergenceStudy', 'mergeConvergenceShards', 'feedforwardLabNetwork', 'WorkerPool'],
  spec: obj({
    kind: str({ enum: ['convergence'] }),
    name: str({ optional: true }),
    description: str({ optional: true }),
    seed: { type: 'seed', default: 1 },
    network: obj({
      sizes: arr(int({ min: 1, max: 65536 }), { minItems: 1, maxItems: 64 }),
      mu: { ...perLayer, optional: true },
      sigma: { ...perLayer, optional: true },
      jump: { ...perLayer, optional: true },
    }),
    T: num({ gt: 0, max: 1e7, unit: 'ms' }),
    hs: arr(num({ gt: 0, max: 100, unit: 'ms' }), { minItems: 2, maxItems: 20 }),
    reference: num({ gt: 0, max: 100, unit: 'ms', optional: true }),
    trials: int({ min: 1, max: 1e7 }),
    schemes: arr(obj({ integrator: str({ enum: ['euler-maruyama', 'exact'] }), rule: str({ enum: ['grid', 'linear', 'hermite'] }) }), {
      minItems: 1,
      default: ['grid', 'linear', 'hermite'].map((rule) => ({ integrator: 'euler-maruyama', rule })),
    }),
    window: num({ gt: 0, max: 1e6, unit: 'ms', optional: true }),
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
    T: 200,
    hs: [0.4, 0.2, 0.1, 0.05],
    trials: 40,
    schemes: [
      { integrator: 'euler-maruyama', rule: 'grid' },
      { integrator: 'euler-maruyama', rule: 'linear' },
      { integrator: 'euler-maruyama', rule: 'hermite' },
    ],
    workers: 2,
  },
  async create(exp, nd) {
    const network = nd.feedforwardLabNetwork(exp.network);
    const options = { network, T: exp.T, hs: exp.hs, seed: exp.seed, schemes: exp.schemes };
    if (exp.reference !== undefined) options.reference = exp.reference;
    if (exp.window !== undefined) options.window = exp.window;
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
            levelRows.push([k, r.hs[i], l.rmsErr, l.medianErr, l.unmatched, l.weakCount.value, l.terminalMse.value]);
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
          levels: { columns: ['scheme', 'h', 'rms_err', 'median_err', 'unmatched', 'weak_count', 'terminal_mse'], rows: levelRows },
        };
        const figures = [
          {
            name: 'error-vs-h',
            svg: nd.plot.lineChart(
              names.map((k) => ({
                x: r.hs,
                y: r.schemes[k].levels.map((l) => l.rmsErr),
                mode: 'both',
                label: `${k}: ${r.schemes[k].orders.strong.value.toFixed(2)}`,
              })),
              {
                logx: true,
                logy: true,
                xlabel: 'h (ms)',
                ylabel: 'RMS spike-time error (ms)',
                title: `Strong error vs h (${r.trials} trials)`,
              },
            ),
          },
        ];
        return { summary, tables, figures, extra: { hs: r.hs, hRef: r.hRef, T: r.T, failed: r.failed } };
      },
      dispose() {
        pool.close();
      },
    };
  },
};
