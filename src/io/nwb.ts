/**
 * NWB 2.x files (NeurodataWithoutBorders/nwb-schema, core/nwb.file.yaml, nwb.misc.yaml,
 * nwb.base.yaml; hdmf-dev/hdmf-common-schema for DynamicTable, VectorData, VectorIndex,
 * ElementIdentifiers) holding a simulated session:
 *
 *   /                      attributes nwb_version "2.7.0", neurodata_type "NWBFile", namespace "core", object_id
 *   /identifier, /session_description, /session_start_time, /timestamps_reference_time, /file_create_date
 *   /acquisition /analysis /processing /stimulus/presentation /stimulus/templates /general
 *   /units                 Units (DynamicTable): id (ElementIdentifiers), spike_times (VectorData, s),
 *                          spike_times_index (VectorIndex → spike_times), population (VectorData, text)
 *   /acquisition/<name>    TimeSeries: data (time × neurons), starting_time + rate or timestamps (s)
 *
 * NWB measures time in seconds: spike times are the library's ms times divided by 1000.
 * Every typed group and dataset carries `neurodata_type`, `namespace` and `object_id`.
 * @packageDocumentation
 */
import { optionKeys, strictOptions } from '../contract/options.js';
import type { Table } from '../contract/results.js';
import { ValidationError } from '../kernel/errors.js';
import { fingerprint } from '../kernel/hash.js';
import { checkFiniteArray } from '../kernel/validate.js';
import { utf8 } from './bytes.js';
import { ensureGroup, type H5Dataset, type H5Group, openH5Writer } from './hdf5.js';
import { MAX_NEURON_INDEX, type PopulationRange, populationsOf, spikeColumns } from './spikes.js';

/** The NWB schema version the files follow (nwb-schema core/nwb.file.yaml). */
export const NWB_VERSION = '2.7.0';

/** A state recording to store as an NWB `TimeSeries` under /acquisition. */
export interface NwbTimeSeries {
  /** Name of the TimeSeries (a group under /acquisition). */
  name: string;
  /** Values, time-major: data[k·columns + m] = value of column m at sample k. */
  data: Float64Array;
  /** Number of columns (recorded neurons). */
  columns: number;
  /** Unit of the values (e.g. 'mV', or 'dimensionless' for the seed's units). */
  unit: string;
  /** Sample times (ms); or give `startTime` and `interval`. */
  times?: ArrayLike<number>;
  /** Time of the first sample (ms), with `interval`. */
  startTime?: number;
  /** Sampling interval (ms), with `startTime`. */
  interval?: number;
  /** One-line description. */
  description?: string;
}

/** Options of {@link writeNwb}. */
export interface WriteNwbOptions {
  /** Population layout (`net.populations()`): each unit's `population` column. @default `spikes.meta.populations` or one population 'all' */
  populations?: PopulationRange[];
  /** Unique identifier of the file (NWB `identifier`). @default a random UUID */
  identifier?: string;
  /** NWB `session_description`. @default 'neurodyn simulation' */
  sessionDescription?: string;
  /** Session start (NWB `session_start_time`, also the timestamps reference time). @default now */
  sessionStartTime?: Date | string;
  /** Creation date written to `file_create_date`. @default now */
  fileCreateDate?: Date | string;
  /** Number of units (neurons) in the Units table; units without spikes get empty rows. @default the populations' total size */
  units?: number;
  /** Step (ms) written as `spike_times.resolution` (s). @default `spikes.meta.dt` when present */
  dt?: number;
  /** State samples stored as TimeSeries under /acquisition. */
  timeSeries?: NwbTimeSeries[];
}

const KEYS = optionKeys<WriteNwbOptions>()([
  'populations',
  'identifier',
  'sessionDescription',
  'sessionStartTime',
  'fileCreateDate',
  'units',
  'dt',
  'timeSeries',
]);
const TS_KEYS = optionKeys<NwbTimeSeries>()(['name', 'data', 'columns', 'unit', 'times', 'startTime', 'interval', 'description']);

function isoDate(name: string, v: Date | string | undefined): string {
  if (v === undefined) return new Date().toISOString();
  const d = v instanceof Date ? v : new Date(v);
  if (Number.isNaN(d.getTime())) throw new ValidationError(name, 'a Date or an ISO 8601 date string', v);
  return d.toISOString();
}

let idCounter = 0;

/** A fresh identifier: a random UUID where Web Crypto has one, else one derived from the clock. */
function randomId(): string {
  const c = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  if (c?.randomUUID) return c.randomUUID();
  return uuidOf(`${Date.now()}-${performance.now()}-${++idCounter}`, 'generated');
}

/** A version-4-formatted UUID derived from (identifier, path): equal inputs give equal files. */
function uuidOf(identifier: string, path: string): string {
  const h = fingerprint(utf8(`${identifier}\u0000${path}\u0000a`)) + fingerprint(utf8(`${identifier}\u0000${path}\u0000b`));
  const v = `${h.slice(0, 12)}4${h.slice(13, 16)}${((Number.parseInt(h[16], 16) & 3) | 8).toString(16)}${h.slice(17, 32)}`;
  return `${v.slice(0, 8)}-${v.slice(8, 12)}-${v.slice(12, 16)}-${v.slice(16, 20)}-${v.slice(20, 32)}`;
}

function typed(o: H5Group | H5Dataset, type: string, namespace: string, id: string): void {
  o.create_attribute('namespace', namespace);
  o.create_attribute('neurodata_type', type);
  o.create_attribute('object_id', uuidOf(id, o.path));
}

function checkSeries(ts: unknown, i: number): NwbTimeSeries {
  const s = strictOptions('writeNwb', `options.timeSeries[${i}]`, ts as NwbTimeSeries, TS_KEYS);
  const at = `options.timeSeries[${i}]`;
  if (typeof s.name !== 'string' || s.name === '' || s.name.includes('/'))
    throw new ValidationError(`${at}.name`, 'a non-empty name without "/"', s.name);
  if (!(s.data instanceof Float64Array)) throw new ValidationError(`${at}.data`, 'a Float64Array (time-major)', s.data);
  if (!Number.isInteger(s.columns) || s.columns < 1 || s.data.length % s.columns !== 0)
    throw new ValidationError(`${at}.columns`, `a positive integer dividing data.length (${s.data.length})`, s.columns);
  if (typeof s.unit !== 'string' || s.unit === '')
    throw new ValidationError(`${at}.unit`, "a unit string ('mV', 'dimensionless'…)", s.unit);
  const samples = s.data.length / s.columns;
  if (s.times !== undefined) checkFiniteArray(`${at}.times`, s.times, samples);
  else if (!(typeof s.startTime === 'number' && Number.isFinite(s.startTime) && typeof s.interval === 'number' && s.interval > 0))
    throw new ValidationError(`${at}`, 'times (ms), or startTime and interval > 0 (ms)', { startTime: s.startTime, interval: s.interval });
  return s;
}

/**
 * Writes a simulated session as an NWB 2.x file: the Units table with every neuron's spike
 * times (s), the required session metadata, and optional state recordings as TimeSeries. To
 * `path` (Node, Deno) or, without a path, returns the bytes (every runtime).
 *
 * @example
 * ```ts
 * await writeNwb(spikes, 'session.nwb', { populations: net.populations(), sessionStartTime: '2026-01-01T00:00:00Z' });
 * ```
 */
export async function writeNwb(spikes: Table, path?: string, options: WriteNwbOptions = {}): Promise<Uint8Array | undefined> {
  const { neuron, time } = spikeColumns(spikes);
  const o = strictOptions('writeNwb', 'options', options, KEYS);
  const pops = populationsOf(spikes, o.populations);
  const nUnits = o.units ?? pops.reduce((m, p) => Math.max(m, p.start + p.size), 0);
  if (!Number.isInteger(nUnits) || nUnits < 1 || nUnits > MAX_NEURON_INDEX + 1)
    throw new ValidationError('options.units', `a positive integer ≤ ${MAX_NEURON_INDEX + 1}`, nUnits);
  const series = (o.timeSeries ?? []).map(checkSeries);
  const identifier = o.identifier ?? randomId();
  if (typeof identifier !== 'string' || identifier === '')
    throw new ValidationError('options.identifier', 'a non-empty string', identifier);
  const description = o.sessionDescription ?? 'neurodyn simulation';
  const start = isoDate('options.sessionStartTime', o.sessionStartTime);
  const created = isoDate('options.fileCreateDate', o.fileCreateDate);
  const dt = o.dt ?? (typeof spikes.meta.dt === 'number' ? spikes.meta.dt : undefined);

  // Ragged layout: spikes grouped by unit (neuron), each unit's spikes in time order.
  const counts = new Uint32Array(nUnits);
  for (let k = 0; k < neuron.length; k++) {
    const j = neuron[k];
    if (!(j >= 0 && j < nUnits)) throw new ValidationError(`spikes.neuron[${k}]`, `a neuron index in [0, ${nUnits - 1}]`, j);
    counts[j]++;
  }
  const index = new BigUint64Array(nUnits);
  let acc = 0;
  for (let j = 0; j < nUnits; j++) {
    acc += counts[j];
    index[j] = BigInt(acc);
  }
  const idx = new Uint32Array(neuron.length);
  for (let k = 0; k < idx.length; k++) idx[k] = k;
  idx.sort((a, b) => neuron[a] - neuron[b] || time[a] - time[b] || a - b);
  const spikeTimes = Float64Array.from(idx, (k) => time[k] / 1000);
  const popName: string[] = [];
  for (let j = 0; j < nUnits; j++) popName.push(pops.find((p) => j >= p.start && j < p.start + p.size)?.name ?? '');

  const w = await openH5Writer(path);
  try {
    const f = w.file;
    f.create_attribute('nwb_version', NWB_VERSION);
    typed(f, 'NWBFile', 'core', identifier);
    f.create_dataset({ name: 'file_create_date', data: [created], dtype: 'S' });
    f.create_dataset({ name: 'identifier', data: identifier, dtype: 'S' });
    f.create_dataset({ name: 'session_description', data: description, dtype: 'S' });
    f.create_dataset({ name: 'session_start_time', data: start, dtype: 'S' });
    f.create_dataset({ name: 'timestamps_reference_time', data: start, dtype: 'S' });
    for (const g of ['acquisition', 'analysis', 'processing', 'general', 'stimulus/presentation', 'stimulus/templates']) ensureGroup(f, g);

    const u = f.create_group('units');
    typed(u, 'Units', 'core', identifier);
    u.create_attribute('colnames', ['spike_times', 'population'], null, 'S');
    u.create_attribute('description', 'simulated neurons: spike times of every neuron (one unit per neuron, id = global neuron index)');
    const id = u.create_dataset({ name: 'id', data: BigInt64Array.from({ length: nUnits }, (_, j) => BigInt(j)), dtype: '<q' });
    typed(id, 'ElementIdentifiers', 'hdmf-common', identifier);
    const st = u.create_dataset({ name: 'spike_times', data: spikeTimes, dtype: '<d' });
    typed(st, 'VectorData', 'hdmf-common', identifier);
    st.create_attribute('description', 'the spike times for each unit in seconds');
    if (dt !== undefined) st.create_attribute('resolution', dt / 1000, null, '<d');
    const si = u.create_dataset({ name: 'spike_times_index', data: index, dtype: '<Q' });
    typed(si, 'VectorIndex', 'hdmf-common', identifier);
    si.create_attribute('description', 'Index for VectorData spike_times');
    si.create_attribute('target', st.create_reference());
    const pc = u.create_dataset({ name: 'population', data: popName, dtype: 'S' });
    typed(pc, 'VectorData', 'hdmf-common', identifier);
    pc.create_attribute('description', 'population of the neuron');

    const acq = f.get('acquisition') as H5Group;
    for (const s of series) {
      const g = acq.create_group(s.name);
      typed(g, 'TimeSeries', 'core', identifier);
      g.create_attribute('description', s.description ?? 'no description');
      g.create_attribute('comments', 'no comments');
      const samples = s.data.length / s.columns;
      const d = g.create_dataset({ name: 'data', data: s.data, shape: [samples, s.columns], dtype: '<d' });
      d.create_attribute('unit', s.unit);
      d.create_attribute('conversion', 1, null, '<f');
      d.create_attribute('offset', 0, null, '<f');
      d.create_attribute('resolution', -1, null, '<f');
      d.create_attribute('continuity', 'continuous');
      if (s.times !== undefined) {
        const t = g.create_dataset({ name: 'timestamps', data: Float64Array.from(s.times, (x) => x / 1000), dtype: '<d' });
        t.create_attribute('interval', 1, null, '<i');
        t.create_attribute('unit', 'seconds');
      } else {
        const t = g.create_dataset({ name: 'starting_time', data: (s.startTime as number) / 1000, dtype: '<d' });
        t.create_attribute('rate', 1000 / (s.interval as number), null, '<f');
        t.create_attribute('unit', 'seconds');
      }
    }
  } catch (e) {
    w.close();
    throw e;
  }
  return w.close();
}
