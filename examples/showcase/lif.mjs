// Seed 000, the engine: spike-time accuracy of each integrator × spike-time rule (closed-form
// period of a deterministic LIF neuron), and the CUBA benchmark network. The numbers are the
// output of examples/node/lif-period.mjs and examples/node/cuba.mjs, run as child processes.
import { kvRows, logLogSlope } from './_framework.mjs';

export const section = {
  id: 'lif',
  order: 10,
  title: 'LIF networks: spike-time accuracy and the CUBA network (seed 000)',
  description:
    'Maximum spike-time error against the closed-form period for each subthreshold integrator and spike-time rule, with the fitted orders (expected: Euler–Maruyama ≈ 1 with any rule; exact + grid ≈ 1, exact + linear ≈ 2, exact + hermite ≥ 3), and the Vogels–Abbott CUBA network (4000 neurons, exact integration), whose rate Brian2 puts at about 5.7 Hz.',
  requires: ['LifNetwork'],
  examples: ['examples/node/lif-period.mjs', 'examples/node/cuba.mjs'],
  async run({ quick, progress, runExample, nd }) {
    const args = quick ? ['--quick'] : [];
    const period = await runExample('examples/node/lif-period.mjs', args, {
      expectSeconds: quick ? 5 : 15,
      svgDir: 'out/lif',
      progress: (f, l) => progress(0.5 * f, l),
    });
    const { h, err } = period.json;
    const orders = Object.fromEntries(Object.entries(err).map(([k, e]) => [k, logLogSlope(h, e)]));
    const cuba = await runExample('examples/node/cuba.mjs', args, {
      expectSeconds: quick ? 5 : 15,
      svgDir: 'out/lif',
      progress: (f, l) => progress(0.5 + 0.5 * f, l),
    });
    const figure = nd.plot.lineChart(
      Object.entries(err).map(([k, e]) => ({ x: h, y: e, label: `${k}: ${orders[k].toFixed(2)}`, mode: 'both' })),
      {
        title: 'Max spike-time error vs step (σ = 0, closed-form reference)',
        xlabel: 'h (ms)',
        ylabel: 'max |t − t*| (ms)',
        logx: true,
        logy: true,
        width: 720,
      },
    );
    return {
      summary: { spikeTimeOrder: orders, cuba: cuba.json },
      headline: {
        cubaRateHz: cuba.json.rateHz,
        ...Object.fromEntries(Object.entries(orders).map(([k, v]) => [`order ${k}`, Number(v.toFixed(2))])),
      },
      tables: [
        {
          title: 'Max spike-time error (ms) by step h',
          columns: ['h (ms)', ...Object.keys(err)],
          rows: h.map((hh, i) => [hh, ...Object.values(err).map((e) => e[i])]),
        },
        { title: 'Fitted orders (log-log least squares)', columns: ['integrator/rule', 'order'], rows: Object.entries(orders) },
        { title: 'CUBA network (examples/node/cuba.mjs)', columns: ['quantity', 'value'], rows: kvRows(cuba.json) },
      ],
      figures: [{ name: 'spike-time-error', svg: figure, caption: 'Spike-time error against h, log-log' }, ...period.svgs, ...cuba.svgs],
      params: { lifPeriod: period.command, cuba: cuba.command },
      commands: [period.command, cuba.command],
    };
  },
};
