// Kind "ltn": a linear-threshold network ẋ = −Dx + [Wx + u]₊ (or its family member LTN_γ, or the
// fast limit, the projected dynamical system) integrated from a list of initial conditions, with
// the equilibria (LCP) and the Lyapunov-diagonal-stability test of M = D − W. Each initial
// condition is one unit of work: an interrupted run keeps the trajectories it finished.
import { arr, ExperimentError, int, num, obj, str } from '../schema.mjs';

const finite = num();

export default {
  kind: 'ltn',
  study: true,
  description: 'a linear-threshold network from several initial conditions, with equilibria and the LDS test',
  requires: ['ltnSimulate', 'pdsSimulate', 'ltnEquilibria', 'ldsTest', 'ltnMatrix'],
  spec: obj({
    kind: str({ enum: ['ltn'] }),
    name: str({ optional: true }),
    description: str({ optional: true }),
    network: obj(
      {
        d: arr(num({ gt: 0, unit: '1/time' }), { minItems: 1, maxItems: 64 }),
        W: arr(arr(finite), { minItems: 1, maxItems: 64 }),
        u: arr(finite, { minItems: 1, maxItems: 64 }),
      },
      {
        check: (n, path) => {
          const k = n.d.length;
          if (n.W.length !== k) throw new ExperimentError(`${path}.W`, `expected ${k} rows (the length of d), got ${n.W.length}`);
          n.W.forEach((row, i) => {
            if (row.length !== k) throw new ExperimentError(`${path}.W[${i}]`, `expected a row of ${k} numbers, got ${row.length}`);
          });
          if (n.u.length !== k) throw new ExperimentError(`${path}.u`, `expected ${k} numbers (the length of d), got ${n.u.length}`);
        },
      },
    ),
    system: str({ enum: ['ltn', 'pds'], default: 'ltn' }),
    gamma: num({ gt: 0, max: 1e9, default: 1 }),
    method: str({ enum: ['euler', 'rk4', 'dopri5', 'event-driven', 'projected-euler'], default: 'dopri5' }),
    duration: num({ gt: 0, max: 1e9, unit: '1/d (dimensionless)' }),
    samples: int({ min: 2, max: 1e6, default: 200 }),
    initial: arr(arr(finite), { minItems: 1, maxItems: 1e5 }),
    output: obj({ plots: { type: 'boolean', default: true }, csv: { type: 'boolean', default: true } }, { default: {} }),
  }),
  example: {
    kind: 'ltn',
    name: 'ltn-2d',
    description: 'The 2-D network of the playground: LDS, one equilibrium, trajectories from four corners.',
    network: {
      d: [1, 3],
      W: [
        [0.2, -1.5],
        [1, 0.5],
      ],
      u: [1, 0.5],
    },
    system: 'ltn',
    gamma: 1,
    duration: 10,
    initial: [
      [0, 0],
      [2, 0],
      [0, 2],
      [2, 2],
    ],
  },
  create(exp, nd) {
    const k = exp.network.d.length;
    const pdsMethods = ['event-driven', 'projected-euler'];
    if (exp.system === 'pds' && !pdsMethods.includes(exp.method) && exp.method !== 'dopri5')
      throw new ExperimentError('method', `expected one of ${pdsMethods.join(', ')} for system "pds", got "${exp.method}"`);
    if (exp.system === 'ltn' && exp.method === 'projected-euler')
      throw new ExperimentError('method', 'expected one of euler, rk4, dopri5, event-driven for system "ltn", got "projected-euler"');
    exp.initial.forEach((x, i) => {
      if (x.length !== k) throw new ExperimentError(`initial[${i}]`, `expected ${k} numbers (the length of d), got ${x.length}`);
      if (exp.system === 'pds')
        x.forEach((v, j) => {
          if (v < 0) throw new ExperimentError(`initial[${i}][${j}]`, `expected a number >= 0 (the PDS lives in the orthant), got ${v}`);
        });
    });
    const spec = exp.network;
    const sampleInterval = exp.duration / (exp.samples - 1);
    const trajectories = [];
    return {
      unit: 'trajectories',
      totalSteps: exp.initial.length,
      chunkSteps: 1,
      get stepsDone() {
        return trajectories.length;
      },
      advance(nUnits) {
        for (let s = 0; s < nUnits; s++) {
          const x0 = exp.initial[trajectories.length];
          const tr =
            exp.system === 'pds'
              ? nd.pdsSimulate(spec, x0, {
                  duration: exp.duration,
                  sampleInterval,
                  // the PDS has no dopri5: the schema's default means the PDS default (event-driven)
                  method: exp.method === 'dopri5' ? undefined : exp.method,
                })
              : nd.ltnSimulate(spec, x0, { duration: exp.duration, sampleInterval, gamma: exp.gamma, method: exp.method });
          trajectories.push(tr);
        }
      },
      results() {
        const eq = nd.ltnEquilibria(spec);
        const lds = nd.ldsTest(nd.ltnMatrix(spec));
        const finals = trajectories.map((t) => Array.from(t.final));
        const rows = [];
        trajectories.forEach((t, i) => {
          for (let s = 0; s < t.time.length; s++) rows.push([i, t.time[s], ...Array.from(t.x.subarray(s * k, s * k + k))]);
        });
        const tables = { trajectories: { columns: ['initial', 'time', ...Array.from({ length: k }, (_, j) => `x${j + 1}`)], rows } };
        const figures = [];
        if (k === 2 && trajectories.length > 0) {
          const series = trajectories.map((t, i) => ({
            x: Array.from({ length: t.time.length }, (_, s) => t.x[2 * s]),
            y: Array.from({ length: t.time.length }, (_, s) => t.x[2 * s + 1]),
            label: i < 6 ? `x0 = (${exp.initial[i].join(', ')})` : undefined,
          }));
          series.push({
            x: eq.equilibria.map((e) => e[0]),
            y: eq.equilibria.map((e) => e[1]),
            mode: 'markers',
            color: '#000',
            label: 'equilibria',
          });
          figures.push({
            name: 'phase-portrait',
            svg: nd.plot.lineChart(series, {
              title: `${exp.system === 'pds' ? 'PDS' : `LTN γ = ${exp.gamma}`}: phase portrait`,
              xlabel: 'x1',
              ylabel: 'x2',
            }),
          });
        }
        return {
          summary: {
            trajectories: trajectories.length,
            equilibria: eq.equilibria.map((e) => Array.from(e)),
            lcpResidual: eq.residual,
            lds: { verdict: lds.verdict, margin: lds.margin, upperBound: lds.upperBound },
            finals,
          },
          tables,
          figures,
        };
      },
      dispose() {},
    };
  },
};
