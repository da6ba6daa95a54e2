// Writing a run's results: result.json, CSV files (spikes as neuron,time columns; rate; state)
// and SVG plots (neurodyn's plot module).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// 15 significant digits: drops grid round-off (12 × 0.1 = 1.2000000000000002) and keeps f64 spike offsets.
const num = (v) => (Number.isFinite(v) ? String(Number(v.toPrecision(15))) : '');

/** Writes everything; returns the list of files written (relative to `dir`). */
export function writeResults(dir, { experiment, status, results, nd }) {
  mkdirSync(dir, { recursive: true });
  const files = [];
  const put = (name, text) => {
    writeFileSync(join(dir, name), text);
    files.push(name);
  };
  const { spikes, rate, state, summary, extra } = results;
  const out = experiment.output ?? {};

  if (out.csv !== false) {
    if (spikes) {
      const lines = ['neuron,time'];
      for (let k = 0; k < spikes.neuron.length; k++) lines.push(`${spikes.neuron[k]},${num(spikes.time[k])}`);
      put('spikes.csv', `${lines.join('\n')}\n`);
    }
    if (rate) put('rate.csv', `time,rateHz\n${rate.t.map((t, i) => `${num(t)},${num(rate.hz[i])}`).join('\n')}\n`);
    if (state) {
      const vars = Object.keys(state.values);
      const lines = [`time,neuron,${vars.join(',')}`];
      for (let s = 0; s < state.t.length; s++) {
        for (let j = 0; j < state.neurons.length; j++) {
          lines.push(`${num(state.t[s])},${state.neurons[j]},${vars.map((v) => num(state.values[v][j][s])).join(',')}`);
        }
      }
      put('state.csv', `${lines.join('\n')}\n`);
    }
    for (const [name, table] of Object.entries(results.tables ?? {})) {
      put(
        `${name}.csv`,
        `${table.columns.join(',')}\n${table.rows.map((r) => r.map((c) => (typeof c === 'number' ? num(c) : c)).join(',')).join('\n')}\n`,
      );
    }
  }

  if (out.plots !== false) {
    const title = experiment.name ?? experiment.kind;
    if (spikes && spikes.neuron.length > 0) {
      // Very large rasters are thinned for the SVG only (every k-th spike); the CSV is complete.
      const k = Math.max(1, Math.ceil(spikes.neuron.length / 50_000));
      const t = [];
      const n = [];
      for (let i = 0; i < spikes.neuron.length; i += k) {
        t.push(spikes.time[i]);
        n.push(spikes.neuron[i]);
      }
      put('raster.svg', nd.plot.rasterPlot(t, n, { title: `${title}: spikes${k > 1 ? ` (every ${k}th shown)` : ''}` }));
    }
    if (rate && rate.t.length > 0) {
      put(
        'rate.svg',
        nd.plot.lineChart([{ x: rate.t, y: rate.hz, label: 'population rate' }], {
          title: `${title}: rate`,
          xlabel: 'time (ms)',
          ylabel: 'rate (Hz)',
        }),
      );
    }
    if (state && state.t.length > 0) {
      for (const v of Object.keys(state.values)) {
        const series = state.neurons.slice(0, 8).map((nrn, j) => ({ x: state.t, y: state.values[v][j], label: `neuron ${nrn}` }));
        put(`state-${v}.svg`, nd.plot.lineChart(series, { title: `${title}: ${v}`, xlabel: 'time (ms)', ylabel: v }));
      }
    }
    for (const f of results.figures ?? []) put(`${f.name}.svg`, f.svg);
  }

  const limit = out.jsonSpikesLimit ?? 100_000;
  const json = {
    experiment,
    status,
    summary,
    ...(extra ?? {}),
    rate,
    state,
    spikes: spikes
      ? spikes.neuron.length <= limit
        ? { neuron: Array.from(spikes.neuron), time: Array.from(spikes.time) }
        : { count: spikes.neuron.length, note: `more than output.jsonSpikesLimit = ${limit} spikes: see spikes.csv` }
      : undefined,
    files: [...files, 'result.json'],
  };
  put('result.json', `${JSON.stringify(json, null, 1)}\n`);
  return files;
}
