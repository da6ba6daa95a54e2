// Writing a run's results: data files through the library's exporters (nd.io: CSV with units in
// the header, NPZ, SONATA, NWB), SVG plots (nd.plot) and result.json, which names the data files
// instead of repeating their arrays.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Data formats of `--format` (comma-separated). */
export const FORMATS = ['csv', 'npy', 'sonata', 'nwb'];

/**
 * Writes everything; returns the list of files written (relative to `dir`). `formats`: data
 * formats for spikes (csv → spikes.csv, npy → spikes.npz, sonata → spikes.sonata.h5,
 * nwb → session.nwb with the state as a TimeSeries), rate and state (csv → rate.csv, state.csv;
 * npy → rate.npz, state.npz).
 */
export async function writeResults(dir, { experiment, status, results, nd, formats = ['csv'] }) {
  mkdirSync(dir, { recursive: true });
  const files = [];
  const put = (name, data) => {
    writeFileSync(join(dir, name), data);
    files.push(name);
  };
  const { spikes, rate, state, summary, extra } = results;
  const out = experiment.output ?? {};
  const fmt = new Set(formats.filter((f) => f !== 'csv' || out.csv !== false));
  const populations = extra?.populations;
  const table = (kind, cols, meta) => nd.makeTable(kind, cols, meta);
  const refs = {};

  if (spikes) {
    const t = table(
      'spikes',
      {
        neuron: { data: Int32Array.from(spikes.neuron), unit: '', description: 'global neuron index' },
        time: { data: Float64Array.from(spikes.time), unit: 'ms', description: 'spike time' },
      },
      { dt: experiment.dt },
    );
    const pops = populations ? { populations } : {};
    const names = [];
    const add = (name, data) => {
      put(name, data);
      names.push(name);
    };
    if (fmt.has('csv')) add('spikes.csv', nd.io.toCSV(t));
    if (fmt.has('npy')) add('spikes.npz', nd.io.toNPZ(t));
    if (fmt.has('sonata')) add('spikes.sonata.h5', await nd.io.writeSonata(t, undefined, pops));
    if (fmt.has('nwb')) {
      const series = [];
      if (state && state.t.length > 0) {
        const m = state.neurons.length;
        const v = new Float64Array(state.t.length * m);
        for (let s = 0; s < state.t.length; s++) for (let j = 0; j < m; j++) v[s * m + j] = state.values.v[j][s];
        series.push({ name: 'membrane_potential', data: v, columns: m, unit: 'model voltage unit', times: state.t });
      }
      const bytes = await nd.io.writeNwb(t, undefined, {
        ...pops,
        identifier: `${experiment.name}-seed-${experiment.seed}`,
        sessionDescription: experiment.description ?? `neurodyn ${experiment.kind} experiment ${experiment.name}`,
        timeSeries: series,
      });
      add('session.nwb', bytes);
    }
    if (names.length) refs.spikes = { count: t.length, files: names };
  }
  if (rate) {
    const t = table('rate', {
      time: { data: Float64Array.from(rate.t), unit: 'ms', description: 'bin centre' },
      rateHz: { data: Float64Array.from(rate.hz), unit: 'Hz', description: 'population rate' },
    });
    const names = [];
    if (fmt.has('csv')) {
      put('rate.csv', nd.io.toCSV(t));
      names.push('rate.csv');
    }
    if (fmt.has('npy')) {
      put('rate.npz', nd.io.toNPZ(t));
      names.push('rate.npz');
    }
    if (names.length) refs.rate = { bins: t.length, files: names };
  }
  if (state) {
    const vars = Object.keys(state.values);
    const rows = state.t.length * state.neurons.length;
    const cols = {
      time: { data: new Float64Array(rows), unit: 'ms', description: 'sample time' },
      neuron: { data: new Int32Array(rows), unit: '', description: 'global neuron index' },
    };
    for (const v of vars) cols[v] = { data: new Float64Array(rows), unit: '', description: `state variable ${v}` };
    let r = 0;
    for (let s = 0; s < state.t.length; s++) {
      for (let j = 0; j < state.neurons.length; j++, r++) {
        cols.time.data[r] = state.t[s];
        cols.neuron.data[r] = state.neurons[j];
        for (const v of vars) cols[v].data[r] = state.values[v][j][s];
      }
    }
    const t = table('state', cols);
    const names = [];
    if (fmt.has('csv')) {
      put('state.csv', nd.io.toCSV(t));
      names.push('state.csv');
    }
    if (fmt.has('npy')) {
      put('state.npz', nd.io.toNPZ(t));
      names.push('state.npz');
    }
    if (fmt.has('nwb') && spikes) names.push('session.nwb');
    if (names.length) refs.state = { neurons: state.neurons, samples: state.t.length, files: names };
  }
  // A kind's own tables (a study's orders, a trajectory list) through the same exporters. A column
  // of labels becomes integer codes, its labels in the table's metadata (the CSV's `# ` lines).
  for (const [name, tab] of Object.entries(results.tables ?? {})) {
    const cols = {};
    const meta = {};
    tab.columns.forEach((c, j) => {
      const values = tab.rows.map((r) => r[j]);
      if (values.every((v) => typeof v === 'number')) {
        cols[c] = { data: Float64Array.from(values), unit: '', description: c };
      } else {
        const levels = [...new Set(values.map(String))];
        meta[`${c}Levels`] = levels;
        cols[c] = {
          data: Int32Array.from(values, (v) => levels.indexOf(String(v))),
          unit: '',
          description: `index into ${c}Levels: ${levels.map((l, k) => `${k} = ${l}`).join(', ')}`,
        };
      }
    });
    const t = table(name, cols, meta);
    if (fmt.has('csv')) put(`${name}.csv`, nd.io.toCSV(t, { meta: Object.keys(meta).length > 0 }));
    if (fmt.has('npy')) put(`${name}.npz`, nd.io.toNPZ(t));
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

  // Arrays that went to data files are named, not repeated.
  const limit = out.jsonSpikesLimit ?? 100_000;
  const json = {
    experiment,
    status,
    summary,
    ...(extra ?? {}),
    rate: refs.rate ?? rate,
    state: refs.state ?? state,
    spikes:
      refs.spikes ??
      (spikes
        ? spikes.neuron.length <= limit
          ? { neuron: Array.from(spikes.neuron), time: Array.from(spikes.time) }
          : { count: spikes.neuron.length, note: `more than output.jsonSpikesLimit = ${limit} spikes and no data file (see --format)` }
        : undefined),
    files: [...files, 'result.json'],
  };
  put('result.json', `${JSON.stringify(json, null, 1)}\n`);
  return files;
}
