/**
 * SONATA spike reports (AllenInstitute/sonata, docs/SONATA_DEVELOPER_GUIDE.md, "Spike file"):
 *
 *   /spikes/<population>               group, attribute `sorting` ∈ none | by_id | by_time
 *   /spikes/<population>/timestamps    f64, one per spike, attribute `units` = "ms"
 *   /spikes/<population>/node_ids      u64, one per spike (node index within the population)
 *
 * The `sorting` attribute is written as a string, as the SONATA repository's example outputs and
 * the Allen Institute's bmtk write it (the guide names its type "enum"; libsonata writes an HDF5
 * enum, which h5wasm cannot create).
 * @packageDocumentation
 */
import { optionKeys, strictOptions } from '../contract/options.js';
import { makeTable, type Table, type TableOf } from '../contract/results.js';
import { ValidationError } from '../kernel/errors.js';
import { checkChoice, checkInteger } from '../kernel/validate.js';
import type { LifNetwork } from '../lif/network.js';
import { ensureGroup, type H5Dataset, type H5Group, h5String, openH5Writer, withH5Reader } from './hdf5.js';
import { checkPopulations, type PopulationRange, populationsOf, spikeColumns, splitByPopulation } from './spikes.js';
import type { SinkResult } from './tables.js';

/** The orders SONATA names for a population's spikes. */
export type SonataSorting = 'none' | 'by_id' | 'by_time';

/** Options of {@link writeSonata}. */
export interface WriteSonataOptions {
  /** Population layout (`net.populations()`). @default `spikes.meta.populations`, else one population 'all' */
  populations?: PopulationRange[];
  /**
   * Order of each population's spikes: `by_time` (time, then node id), `by_id` (node id, then
   * time) or `none` (the table's order). @default 'by_time'
   */
  sorting?: SonataSorting;
}

const WRITE_KEYS = optionKeys<WriteSonataOptions>()(['populations', 'sorting']);

/** Indices that sort (primary, secondary) ascending; ties keep record order. */
function order(primary: ArrayLike<number>, secondary: ArrayLike<number>): Uint32Array {
  const idx = new Uint32Array(primary.length);
  for (let k = 0; k < idx.length; k++) idx[k] = k;
  return idx.sort((a, b) => primary[a] - primary[b] || secondary[a] - secondary[b] || a - b);
}

function toU64(a: Uint32Array): BigUint64Array {
  const out = new BigUint64Array(a.length);
  for (let k = 0; k < a.length; k++) out[k] = BigInt(a[k]);
  return out;
}

function writePopulation(root: H5Group, name: string, ids: Uint32Array, times: Float64Array, sorting: SonataSorting, growable: boolean) {
  const g = ensureGroup(root, `spikes/${name}`);
  g.create_attribute('sorting', sorting);
  const extra = growable ? { maxshape: [null], chunks: [65536] } : {};
  const ts = g.create_dataset({ name: 'timestamps', data: times, dtype: '<d', ...extra });
  ts.create_attribute('units', 'ms');
  const ns = g.create_dataset({ name: 'node_ids', data: toU64(ids), dtype: '<Q', ...extra });
  return { ts, ns };
}

/**
 * Writes spike records as a SONATA spike file, one group per population with node ids local to
 * the population; to `path` (Node, Deno) or, without a path, returns the file's bytes (every
 * runtime; offer them as a download in a browser).
 *
 * @example
 * ```ts
 * await writeSonata(spikes, 'spikes.h5', { populations: net.populations() });
 * const bytes = await writeSonata(spikes); // in memory
 * ```
 */
export async function writeSonata(spikes: Table, path?: string, options: WriteSonataOptions = {}): Promise<Uint8Array | undefined> {
  spikeColumns(spikes);
  const o = strictOptions('writeSonata', 'options', options, WRITE_KEYS);
  const sorting = checkChoice('options.sorting', o.sorting ?? 'by_time', ['none', 'by_id', 'by_time'] as const);
  const parts = splitByPopulation(spikes, populationsOf(spikes, o.populations));
  const w = await openH5Writer(path);
  try {
    for (const p of parts) {
      let ids = p.nodeIds;
      let times = p.times;
      if (sorting !== 'none') {
        const idx = sorting === 'by_time' ? order(times, ids) : order(ids, times);
        ids = Uint32Array.from(idx, (k) => p.nodeIds[k]);
        times = Float64Array.from(idx, (k) => p.times[k]);
      }
      writePopulation(w.file, p.name, ids, times, sorting, false);
    }
  } catch (e) {
    w.close();
    throw e;
  }
  return w.close();
}

/** Options of {@link createSonataSink}. */
export interface SonataSinkOptions {
  /** File path (Node, Deno); omit to keep the file in memory (`close()` returns its bytes). */
  path?: string;
  /** Population layout (`net.populations()`): one group per population. */
  populations: PopulationRange[];
  /** Flush the HDF5 file after every chunk, so that a process killed mid-run leaves a readable file. @default true */
  flush?: boolean;
}

const SINK_KEYS = optionKeys<SonataSinkOptions>()(['path', 'populations', 'flush']);

/**
 * A streaming SONATA spike file: each `write(chunk)` appends the chunk's spikes to the resizable
 * (chunked) datasets of their population, so a monitor can hand over its records as a run goes
 * and keep only one chunk in memory. The spikes are stored in record order (`sorting: none`).
 */
export async function createSonataSink(options: SonataSinkOptions): Promise<{
  /** Spikes written so far. */
  readonly rows: number;
  /** Appends a spike table chunk (columns `neuron`, `time` in ms). */
  write(chunk: Table): void;
  /** Finishes the file; returns its bytes when it lives in memory. */
  close(): SinkResult;
}> {
  const o = strictOptions('createSonataSink', 'options', options, SINK_KEYS);
  const pops = checkPopulations('options.populations', o.populations);
  const w = await openH5Writer(o.path);
  const flush = o.flush ?? true;
  const sets = pops.map((p) => writePopulation(w.file, p.name, new Uint32Array(0), new Float64Array(0), 'none', true));
  const sizes = pops.map(() => 0);
  let rows = 0;
  let closed = false;
  return {
    get rows() {
      return rows;
    },
    write(chunk: Table) {
      if (closed) throw new ValidationError('sink', 'an open sink', 'a closed sink');
      const parts = splitByPopulation(chunk, pops);
      parts.forEach((p, q) => {
        const n = p.times.length;
        if (n === 0) return;
        const { ts, ns } = sets[q];
        const end = sizes[q] + n;
        ts.resize([end]);
        ts.write_slice([[sizes[q], end]], p.times);
        ns.resize([end]);
        ns.write_slice([[sizes[q], end]], toU64(p.nodeIds));
        sizes[q] = end;
      });
      rows += chunk.length;
      if (flush) w.file.flush();
    },
    close() {
      closed = true;
      const bytes = w.close();
      return { rows, files: o.path ? [o.path] : [], ...(bytes ? { bytes } : {}) };
    },
  };
}

/** One population of a SONATA spike file. */
export type SonataPopulationTable = TableOf<{ node_id: Uint32Array; time: Float64Array }>;

/** Options of {@link readSonata}. */
export interface ReadSonataOptions {
  /** Read only these populations. @default every population under /spikes */
  populations?: string[];
}

const READ_KEYS = optionKeys<ReadSonataOptions>()(['populations']);

function numeric(v: unknown, name: string): Float64Array {
  if (v instanceof Float64Array) return v;
  if (v instanceof BigUint64Array || v instanceof BigInt64Array) return Float64Array.from(v, (x) => Number(x));
  if (ArrayBuffer.isView(v)) return Float64Array.from(v as unknown as ArrayLike<number>);
  throw new ValidationError(name, 'a numeric dataset', v);
}

/**
 * Reads a SONATA spike file (path in Node/Deno, or bytes anywhere): one table per population
 * with `node_id` (u32, index within the population) and `time` (ms; a `units` of `s` is
 * converted), in the file's order; `meta` holds the population name and its `sorting`.
 */
export async function readSonata(
  source: string | Uint8Array | ArrayBuffer,
  options: ReadSonataOptions = {},
): Promise<Record<string, SonataPopulationTable>> {
  const o = strictOptions('readSonata', 'options', options, READ_KEYS);
  if (o.populations !== undefined && (!Array.isArray(o.populations) || o.populations.some((p) => typeof p !== 'string')))
    throw new ValidationError('options.populations', 'an array of population names', o.populations);
  return withH5Reader(source, (f) => {
    if (!f.keys().includes('spikes')) throw new ValidationError('source', 'a SONATA spike file (a /spikes group)', f.keys().join(', '));
    const sp = f.get('spikes') as H5Group;
    const names = o.populations ?? sp.keys();
    const out: Record<string, SonataPopulationTable> = {};
    for (const name of names) {
      if (!sp.keys().includes(name))
        throw new ValidationError('options.populations', `populations of the file (${sp.keys().join(', ')})`, name);
      const g = sp.get(name) as H5Group;
      const ts = g.get('timestamps') as H5Dataset | null;
      const ns = g.get('node_ids') as H5Dataset | null;
      if (!ts || !ns) throw new ValidationError(`spikes/${name}`, 'datasets timestamps and node_ids', g.keys().join(', '));
      let times = numeric(ts.value, `spikes/${name}/timestamps`);
      const unit = ts.attrs.units ? h5String(ts.attrs.units.value) : 'ms';
      if (unit === 's') times = times.map((t) => t * 1000);
      else if (unit !== 'ms') throw new ValidationError(`spikes/${name}/timestamps.units`, "'ms' or 's'", unit);
      const idsF = numeric(ns.value, `spikes/${name}/node_ids`);
      if (idsF.length !== times.length)
        throw new ValidationError(`spikes/${name}/node_ids.length`, `${times.length} (as timestamps)`, idsF.length);
      const ids = new Uint32Array(idsF.length);
      for (let k = 0; k < ids.length; k++) ids[k] = checkInteger(`spikes/${name}/node_ids[${k}]`, idsF[k], 0, 0xffffffff);
      const sv = g.attrs.sorting?.value;
      // libsonata writes an enum {none: 0, by_id: 1, by_time: 2}; others a string.
      const sorting = sv === undefined ? 'none' : typeof sv === 'number' ? (['none', 'by_id', 'by_time'][sv] ?? String(sv)) : h5String(sv);
      out[name] = makeTable(
        'sonata.spikes',
        {
          node_id: { data: ids, unit: '', description: 'node index within the population' },
          time: { data: times, unit: 'ms', description: 'spike time' },
        },
        { population: name, sorting },
      );
    }
    return out;
  });
}

/** Options of {@link addSonataSources}. */
export interface SonataSourceOptions {
  /** Populations of the file to replay. @default every population under /spikes */
  populations?: string[];
  /** Size of each replayed population. @default its largest node id + 1 */
  sizes?: Record<string, number>;
}

const SOURCE_KEYS = optionKeys<SonataSourceOptions>()(['populations', 'sizes']);

/**
 * Replays a SONATA spike file into a network: each population of the file becomes a spike-source
 * population of the same name (`LifNetwork.addSpikeSource`) whose neurons spike at the file's
 * times; connect them like any population.
 *
 * @example
 * ```ts
 * await addSonataSources(net, 'input.h5');
 * net.connect('lgn', 'v1', { connector: { type: 'fixedProbability', p: 0.1 }, weight: 0.2 });
 * ```
 */
export async function addSonataSources(
  net: LifNetwork,
  source: string | Uint8Array | ArrayBuffer,
  options: SonataSourceOptions = {},
): Promise<PopulationRange[]> {
  if (!net || typeof (net as { addSpikeSource?: unknown }).addSpikeSource !== 'function')
    throw new ValidationError('net', 'a LifNetwork', net);
  const o = strictOptions('addSonataSources', 'options', options, SOURCE_KEYS);
  const tables = await readSonata(source, { populations: o.populations });
  return Object.entries(tables).map(([name, t]) => {
    let max = -1;
    for (const j of t.node_id) if (j > max) max = j;
    const size = o.sizes?.[name] ?? Math.max(1, max + 1);
    const r = net.addSpikeSource(name, size, { neuron: t.node_id, time: t.time });
    return { name, start: r.start, size: r.size };
  });
}
