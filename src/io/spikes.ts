/**
 * Spike records as tables, split by population, and streamed from a monitor into a sink.
 * The spike formats (SONATA, NWB) read a table with a `neuron` column (global index) and a `time`
 * column (ms); the population layout comes from an option or from `table.meta.populations`.
 * @packageDocumentation
 */
import { optionKeys, strictOptions } from '../contract/options.js';
import { type ColumnArray, makeTable, Table } from '../contract/results.js';
import { ValidationError } from '../kernel/errors.js';
import { checkInteger, checkPositive } from '../kernel/validate.js';
import type { SinkResult } from './tables.js';

/** A population's name and range of global neuron indices (as `LifNetwork.populations()` gives). */
export interface PopulationRange {
  /** Population name. */
  name: string;
  /** Global index of its first neuron. */
  start: number;
  /** Number of neurons. */
  size: number;
}

/** Spike records in the form `LifSpikeMonitor.spikes()` returned before spikes became a Table. */
export interface SpikeRecords {
  /** Global neuron index. */
  neuron: Int32Array;
  /** Integer step at whose start the spike time is measured. */
  step: Float64Array;
  /** Offset in [0, 1) of the step. */
  offset: Float64Array;
  /** Crossing speed dV/dt at the crossing (voltage units per ms). */
  A?: Float64Array;
}

/**
 * A spike table (`kind: 'lif.spikes'`) from raw records: `neuron`, `time` = (step + offset)·dt
 * (ms), `step`, `offset` and, when present, `A`. A Table is returned unchanged.
 */
const SPIKE_TABLE_KEYS = ['dt', 'populations'] as const;

export function spikeTable(records: Table | SpikeRecords, options: { dt: number; populations?: PopulationRange[] }): Table {
  const o = strictOptions('spikeTable', 'options', options, SPIKE_TABLE_KEYS);
  if (o.populations !== undefined) checkPopulations('options.populations', o.populations);
  if (records instanceof Table) return records;
  const dt = checkPositive('options.dt', o.dt, 'ms');
  const r = records;
  if (!r || !(r.neuron instanceof Int32Array) || !(r.step instanceof Float64Array) || !(r.offset instanceof Float64Array))
    throw new ValidationError('records', 'spike records { neuron: Int32Array, step: Float64Array, offset: Float64Array } or a Table', r);
  const time = new Float64Array(r.neuron.length);
  for (let k = 0; k < time.length; k++) time[k] = (r.step[k] + r.offset[k]) * dt;
  const cols: Record<string, { data: ColumnArray; unit: string; description: string }> = {
    neuron: { data: r.neuron, unit: '', description: 'global neuron index' },
    time: { data: time, unit: 'ms', description: 'spike time (step + offset)·dt' },
    step: { data: r.step, unit: '', description: 'step at whose start the spike time is measured' },
    offset: { data: r.offset, unit: '1', description: 'offset of the spike time within the step, in [0, 1)' },
  };
  if (r.A !== undefined && (!(r.A instanceof Float64Array) || r.A.length !== r.neuron.length))
    throw new ValidationError('records.A', `a Float64Array of length ${r.neuron.length}`, r.A);
  if (r.step.length !== r.neuron.length || r.offset.length !== r.neuron.length)
    throw new ValidationError('records.step.length', `${r.neuron.length} (one per record, as neuron and offset)`, r.step.length);
  if (r.A) cols.A = { data: r.A, unit: 'voltage/ms', description: 'crossing speed dV/dt at threshold (voltage units per ms)' };
  return makeTable('lif.spikes', cols, { dt, ...(o.populations ? { populations: o.populations } : {}) });
}

/** The `neuron` and `time` (ms) columns of a spike table, checked. */
export function spikeColumns(t: Table, name = 'spikes'): { neuron: ColumnArray; time: Float64Array } {
  if (!(t instanceof Table)) throw new ValidationError(name, 'a spike Table with columns neuron and time (ms)', t);
  const names = t.columnNames();
  if (!names.includes('neuron') || !names.includes('time'))
    throw new ValidationError(name, "a spike Table with columns 'neuron' and 'time' (ms)", names.join(', '));
  const time = t.column('time');
  if (!(time.data instanceof Float64Array)) throw new ValidationError(`${name}.time`, 'a Float64Array', time.data.constructor.name);
  if (time.unit !== 'ms') throw new ValidationError(`${name}.time.unit`, "'ms'", time.unit);
  const neuron = t.column('neuron').data;
  if (neuron instanceof Float64Array || neuron instanceof Float32Array)
    throw new ValidationError(`${name}.neuron`, 'an integer typed array', neuron.constructor.name);
  return { neuron, time: time.data };
}

/**
 * Largest neuron index of a population layout (2^26 − 1, as the largest population of a network
 * spec): files are sized per unit, so a layout is a work and memory bound. @internal
 */
export const MAX_NEURON_INDEX = 2 ** 26 - 1;

/** Checks a population layout: names unique and non-empty, ranges disjoint, indices below 2^26. */
export function checkPopulations(name: string, pops: unknown): PopulationRange[] {
  if (!Array.isArray(pops) || pops.length === 0) throw new ValidationError(name, 'a non-empty array of { name, start, size }', pops);
  const seen = new Set<string>();
  const out = pops.map((p, i) => {
    if (!p || typeof p !== 'object') throw new ValidationError(`${name}[${i}]`, 'an object { name, start, size }', p);
    const q = p as PopulationRange;
    if (typeof q.name !== 'string' || q.name === '' || q.name.includes('/'))
      throw new ValidationError(`${name}[${i}].name`, 'a non-empty name without "/"', q.name);
    if (seen.has(q.name)) throw new ValidationError(`${name}[${i}].name`, 'a name not used by another population', q.name);
    seen.add(q.name);
    const start = checkInteger(`${name}[${i}].start`, q.start, 0, MAX_NEURON_INDEX);
    return { name: q.name, start, size: checkInteger(`${name}[${i}].size`, q.size, 1, MAX_NEURON_INDEX + 1 - start) };
  });
  const sorted = [...out].sort((a, b) => a.start - b.start);
  for (let i = 1; i < sorted.length; i++)
    if (sorted[i].start < sorted[i - 1].start + sorted[i - 1].size)
      throw new ValidationError(name, 'disjoint index ranges', `${sorted[i - 1].name} and ${sorted[i].name} overlap`);
  return out;
}

/**
 * The populations of a spike table: `explicit`, else `table.meta.populations`, else one
 * population `name` covering neurons 0 … max(neuron).
 */
export function populationsOf(t: Table, explicit: unknown, fallbackName = 'all'): PopulationRange[] {
  if (explicit !== undefined) return checkPopulations('options.populations', explicit);
  const m = t.meta.populations;
  if (m !== undefined) return checkPopulations('spikes.meta.populations', m);
  const { neuron } = spikeColumns(t);
  let max = -1;
  for (let k = 0; k < neuron.length; k++) if (neuron[k] > max) max = neuron[k];
  return [{ name: fallbackName, start: 0, size: Math.max(1, max + 1) }];
}

/** One population's spikes: local node ids (neuron − start) and times (ms), in record order. */
export interface PopulationSpikes extends PopulationRange {
  /** Local index of each spike's neuron (0 … size − 1). */
  nodeIds: Uint32Array;
  /** Spike times (ms), as in the table. */
  times: Float64Array;
}

/** Splits spike records by population; a neuron outside every population is an error. */
export function splitByPopulation(t: Table, pops: PopulationRange[]): PopulationSpikes[] {
  const { neuron, time } = spikeColumns(t);
  const counts = new Array<number>(pops.length).fill(0);
  const which = new Int32Array(neuron.length);
  for (let k = 0; k < neuron.length; k++) {
    const j = neuron[k];
    let p = -1;
    for (let q = 0; q < pops.length; q++) if (j >= pops[q].start && j < pops[q].start + pops[q].size) p = q;
    if (p < 0) throw new ValidationError(`spikes.neuron[${k}]`, 'a neuron inside one of the populations', j);
    which[k] = p;
    counts[p]++;
  }
  const out = pops.map((p, q) => ({ ...p, nodeIds: new Uint32Array(counts[q]), times: new Float64Array(counts[q]) }));
  const fill = new Array<number>(pops.length).fill(0);
  for (let k = 0; k < neuron.length; k++) {
    const p = which[k];
    const o = out[p];
    o.nodeIds[fill[p]] = neuron[k] - o.start;
    o.times[fill[p]++] = time[k];
  }
  return out;
}

/** A monitor a spike stream can drain: what `LifNetwork.addSpikeMonitor()` returns. */
export interface DrainableMonitor {
  /** Records held. */
  readonly count: number;
  /** The records held (a Table, or raw records). */
  spikes(): Table | SpikeRecords;
  /** Forgets the records held. */
  clear(): void;
}

/** Anything spike tables can be streamed into: a {@link TableSink} or a SONATA sink. */
export interface ChunkSink {
  /** Appends a chunk of rows. */
  write(chunk: Table): void;
  /** Finishes the destination. */
  close(): SinkResult;
}

/** Options of {@link streamSpikes}. */
export interface StreamSpikesOptions {
  /**
   * Records the monitor may hold before they are handed to the sink: the monitor's memory bound
   * (plus the spikes of one kernel chunk, at most 100 steps × neurons). @default 65536
   */
  maxRecords?: number;
  /** Step (ms), to compute times from raw records (not needed when the monitor gives Tables). */
  dt?: number;
  /** Population layout written into each chunk's metadata (for SONATA/NWB). */
  populations?: PopulationRange[];
}

const STREAM_KEYS = optionKeys<StreamSpikesOptions>()(['maxRecords', 'dt', 'populations']);

/** A running spike stream: pass `onProgress` to `run`, call `close()` at the end (or on abort). */
export interface SpikeStream {
  /** Drains the monitor into the sink when it holds `maxRecords` or more; use as `run`'s `onProgress`. */
  onProgress: () => void;
  /** Drains the monitor now. */
  flush(): void;
  /** Drains the monitor and finishes the sink. */
  close(): SinkResult;
  /** Largest number of records the monitor held at a drain (the measured memory bound). */
  readonly maxHeld: number;
  /** Records handed to the sink so far. */
  readonly written: number;
}

/**
 * Streams a spike monitor into a sink as a run goes: whenever the monitor holds `maxRecords`
 * or more, its records are written as one chunk and the monitor is cleared, so its memory stays
 * bounded (24–32 bytes per record held). A cancelled run (`AbortedError`) keeps what was
 * written; call `close()` in `finally` to add the last records and finish the file.
 *
 * @example
 * ```ts
 * const mon = net.addSpikeMonitor();
 * const stream = streamSpikes(mon, await createSonataSink({ path: 'spikes.h5', populations: net.populations() }), { dt: net.dt });
 * try { net.run(60_000, { onProgress: stream.onProgress }); } finally { stream.close(); }
 * ```
 */
export function streamSpikes(monitor: DrainableMonitor, sink: ChunkSink, options: StreamSpikesOptions = {}): SpikeStream {
  if (!monitor || typeof monitor.spikes !== 'function' || typeof monitor.clear !== 'function')
    throw new ValidationError('monitor', 'a spike monitor (count, spikes(), clear())', monitor);
  if (!sink || typeof sink.write !== 'function' || typeof sink.close !== 'function')
    throw new ValidationError('sink', 'a sink (write(chunk), close())', sink);
  const o = strictOptions('streamSpikes', 'options', options, STREAM_KEYS);
  const max = checkInteger('options.maxRecords', o.maxRecords ?? 65536, 1);
  const pops = o.populations === undefined ? undefined : checkPopulations('options.populations', o.populations);
  let maxHeld = 0;
  let written = 0;
  let closed = false;
  const flush = () => {
    const n = monitor.count;
    if (n > maxHeld) maxHeld = n;
    if (n === 0) return;
    const raw = monitor.spikes();
    const t = spikeTable(raw, { dt: raw instanceof Table ? 1 : (o.dt as number), populations: pops });
    monitor.clear();
    sink.write(t);
    written += t.length;
  };
  return {
    onProgress: () => {
      if (monitor.count >= max) flush();
    },
    flush,
    close: () => {
      if (closed) throw new ValidationError('stream', 'an open stream', 'a closed stream');
      flush();
      closed = true;
      return sink.close();
    },
    get maxHeld() {
      return maxHeld;
    },
    get written() {
      return written;
    },
  };
}
