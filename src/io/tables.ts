/**
 * Any {@link Table} out as CSV (header with units), NPY/NPZ (NumPy's formats) or JSON, whole or
 * streamed chunk by chunk through a {@link TableSink} so a long run's monitors stay small.
 * @packageDocumentation
 */
import { optionKeys, strictOptions } from '../contract/options.js';
import { type ColumnArray, Table, toJSONValue } from '../contract/results.js';
import { ValidationError } from '../kernel/errors.js';
import { checkChoice } from '../kernel/validate.js';
import { type ByteWriter, checkPath, FileWriter, loadFs, MemoryWriter, openFileWriter, utf8, writeFileBytes } from './bytes.js';
import { littleEndianBytes, npyDescr, npyHeader, toNPZArrays } from './npy.js';
import { zipStored } from './zip.js';

/** The formats a {@link Table} can be written in. */
export type TableFormat = 'csv' | 'npz' | 'json';

/** Checks that `t` is a {@link Table}. */
export function checkTable(name: string, t: unknown): Table {
  if (!(t instanceof Table)) throw new ValidationError(name, 'a Table (see makeTable)', t);
  return t;
}

/** CSV header cell of a column: `name (unit)`, or `name` for an index or count (unit ''). */
export function csvHeaderCell(name: string, unit: string): string {
  const cell = unit ? `${name} (${unit})` : name;
  return /[",\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

function csvRows(t: Table, cols: ColumnArray[], from = 0, to = t.length): string {
  const parts: string[] = [];
  for (let i = from; i < to; i++) {
    let row = '';
    for (let c = 0; c < cols.length; c++) row += (c ? ',' : '') + String(cols[c][i]);
    parts.push(row);
  }
  return parts.length ? `${parts.join('\n')}\n` : '';
}

/** Options of {@link toCSV}. */
export interface CsvOptions {
  /**
   * Start with `# key: value` comment lines holding the table's kind and metadata (read them with
   * `pandas.read_csv(f, comment='#')` or `numpy.loadtxt(..., comments='#')`). @default false
   */
  meta?: boolean;
}

const CSV_KEYS = optionKeys<CsvOptions>()(['meta']);

function csvMeta(t: Table): string {
  let s = `# kind: ${t.kind}\n`;
  for (const [k, v] of Object.entries(t.meta)) s += `# ${k}: ${JSON.stringify(toJSONValue(v))}\n`;
  return s;
}

/**
 * A table as CSV text: a header row `name (unit)` (e.g. `time (ms)`, `neuron`), then one row per
 * table row. Numbers are written in their shortest exact form (JavaScript `String(x)`), so
 * `numpy.loadtxt`/`pandas.read_csv` read back the same f64 values bit for bit.
 *
 * @example
 * ```ts
 * toCSV(spikes); // "neuron,time (ms),...\n3,0.4172...\n"
 * ```
 */
export function toCSV(table: Table, options: CsvOptions = {}): string {
  const t = checkTable('table', table);
  const o = strictOptions('toCSV', 'options', options, CSV_KEYS);
  const names = t.columnNames();
  const header = names.map((n) => csvHeaderCell(n, t.column(n).unit)).join(',');
  return `${o.meta ? csvMeta(t) : ''}${header}\n${csvRows(
    t,
    names.map((n) => t.column(n).data),
  )}`;
}

function metaJSON(t: Table): Uint8Array {
  const j = t.toJSON();
  return utf8(JSON.stringify({ kind: j.kind, length: j.length, units: j.units, descriptions: j.descriptions, meta: j.meta }, null, 1));
}

/**
 * A table as an NPZ archive: one `<column>.npy` per column with the column's own dtype (f64,
 * i32, u8…; little-endian), plus `meta.json` with the kind, units, descriptions and metadata.
 *
 * @example
 * ```python
 * z = numpy.load('spikes.npz'); z['time'], z['neuron']; json.loads(z['meta.json'])
 * ```
 */
export function toNPZ(table: Table): Uint8Array {
  const t = checkTable('table', table);
  const arrays: Record<string, ColumnArray> = {};
  for (const n of t.columnNames()) arrays[n] = t.column(n).data;
  return toNPZArrays(arrays, { 'meta.json': metaJSON(t) });
}

/** A table as JSON text (its `toJSON()` form: columns as arrays, units, descriptions, meta). */
export function toJSONText(table: Table): string {
  return JSON.stringify(checkTable('table', table));
}

/** Options of {@link writeTable}. */
export interface WriteTableOptions extends CsvOptions {
  /** File format. @default from the path's extension (.csv, .npz, .json) */
  format?: TableFormat;
}

const WRITE_KEYS = optionKeys<WriteTableOptions>()(['format', 'meta']);

function formatOf(path: string, f: unknown): TableFormat {
  if (f !== undefined) return checkChoice('options.format', f, ['csv', 'npz', 'json'] as const);
  const ext = /\.([a-z]+)$/i.exec(path)?.[1]?.toLowerCase();
  if (ext === 'csv' || ext === 'npz' || ext === 'json') return ext;
  throw new ValidationError('options.format', "'csv', 'npz' or 'json' (or a path ending in .csv, .npz, .json)", path);
}

/** The bytes of a table in one of the {@link TableFormat}s. */
export function tableBytes(table: Table, format: TableFormat, options: CsvOptions = {}): Uint8Array {
  checkChoice('format', format, ['csv', 'npz', 'json'] as const);
  if (format !== 'csv') strictOptions('tableBytes', 'options', options, CSV_KEYS);
  if (format === 'npz') return toNPZ(table);
  if (format === 'json') return utf8(toJSONText(table));
  return utf8(toCSV(table, options));
}

/**
 * Writes a table to a file (Node, Deno), in the format of the path's extension or `format`.
 * In a browser, use {@link tableBytes} (or {@link toCSV}, {@link toNPZ}) and offer a Blob.
 */
export async function writeTable(table: Table, path: string, options: WriteTableOptions = {}): Promise<void> {
  checkTable('table', table);
  checkPath('path', path);
  const o = strictOptions('writeTable', 'options', options, WRITE_KEYS);
  await writeFileBytes(path, tableBytes(table, formatOf(path, o.format), { meta: o.meta }));
}

// ---------------------------------------------------------------------------------------------
// Streaming

/** What a {@link TableSink} wrote, returned by `close()`. */
export interface SinkResult {
  /** Rows written. */
  rows: number;
  /** Files written (Node, Deno), or empty in memory. */
  files: string[];
  /** In memory: the bytes of the whole file (CSV text, an NPZ archive, an HDF5 file). */
  bytes?: Uint8Array;
}

/**
 * A destination that takes a result table chunk by chunk, so a monitor can hand over its
 * records as the run goes and forget them: memory stays bounded by one chunk. Every chunk must
 * have the columns (names and typed-array types) of the first. After every `write` the
 * destination is a valid file holding every row written so far, so a run that is cancelled
 * (`AbortedError`) or that fails leaves a readable file; `close()` finishes it.
 */
export interface TableSink {
  /** Rows written so far. */
  readonly rows: number;
  /** Appends the rows of `chunk`. */
  write(chunk: Table): void;
  /** Finishes the file(s); later writes throw. */
  close(): SinkResult;
}

/** The streaming formats of {@link createTableSink}. */
export type SinkFormat = 'csv' | 'npy';

/** Options of {@link createTableSink}. */
export interface TableSinkOptions {
  /** `csv`: one CSV file (rows appended); `npy`: one `.npy` file per column (header rewritten as rows grow). */
  format: SinkFormat;
  /**
   * Where to write: for `csv` a file path, for `npy` a path prefix (`out/spikes` →
   * `out/spikes.time.npy`, `out/spikes.neuron.npy`, …). Omit to keep the bytes in memory (every
   * runtime; the only choice in a browser): `close()` then returns the CSV text, or for `npy` an
   * NPZ archive of the columns, as `bytes`.
   */
  path?: string;
  /** CSV only: comment lines with the kind and metadata of the first chunk. @default false */
  meta?: boolean;
}

const SINK_KEYS = optionKeys<TableSinkOptions>()(['format', 'path', 'meta']);

/** Bytes reserved for a streamed NPY header: room for any 1-D shape up to 2^53. */
const NPY_STREAM_HEADER = 128;

interface Schema {
  names: string[];
  ctors: (new (n: number) => ColumnArray)[];
}

function schemaOf(t: Table): Schema {
  const names = t.columnNames();
  return { names, ctors: names.map((n) => t.column(n).data.constructor as new (n: number) => ColumnArray) };
}

/** Checks that a chunk has the sink's columns and typed-array types. */
export function checkChunk(s: Schema, t: Table): void {
  const names = t.columnNames();
  if (names.length !== s.names.length || names.some((n, i) => n !== s.names[i]))
    throw new ValidationError('chunk', `a table with columns ${s.names.join(', ')} (those of the first chunk)`, names.join(', '));
  names.forEach((n, i) => {
    const c = t.column(n).data;
    if (c.constructor !== s.ctors[i])
      throw new ValidationError(`chunk.${n}`, `a ${s.ctors[i].name} (as in the first chunk)`, c.constructor.name);
  });
}

class CsvSink implements TableSink {
  readonly #w: ByteWriter;
  readonly #path: string | undefined;
  readonly #meta: boolean;
  #schema: Schema | null = null;
  #rows = 0;

  constructor(w: ByteWriter, path: string | undefined, meta: boolean) {
    this.#w = w;
    this.#path = path;
    this.#meta = meta;
  }

  get rows(): number {
    return this.#rows;
  }

  write(chunk: Table): void {
    const t = checkTable('chunk', chunk);
    if (!this.#schema) {
      this.#schema = schemaOf(t);
      const header = this.#schema.names.map((n) => csvHeaderCell(n, t.column(n).unit)).join(',');
      this.#w.append(utf8(`${this.#meta ? csvMeta(t) : ''}${header}\n`));
    } else checkChunk(this.#schema, t);
    this.#w.append(
      utf8(
        csvRows(
          t,
          this.#schema.names.map((n) => t.column(n).data),
        ),
      ),
    );
    this.#rows += t.length;
  }

  close(): SinkResult {
    this.#w.close();
    if (this.#w instanceof MemoryWriter) return { rows: this.#rows, files: [], bytes: this.#w.bytes() };
    return { rows: this.#rows, files: this.#path ? [this.#path] : [] };
  }
}

class NpySink implements TableSink {
  readonly #open: (name: string) => ByteWriter;
  readonly #prefix: string | undefined;
  #schema: Schema | null = null;
  #descr: string[] = [];
  #writers: ByteWriter[] = [];
  #rows = 0;

  constructor(open: (name: string) => ByteWriter, prefix: string | undefined) {
    this.#open = open;
    this.#prefix = prefix;
  }

  get rows(): number {
    return this.#rows;
  }

  write(chunk: Table): void {
    const t = checkTable('chunk', chunk);
    if (!this.#schema) {
      this.#schema = schemaOf(t);
      this.#descr = this.#schema.names.map((n) => npyDescr(t.column(n).data));
      this.#writers = this.#schema.names.map((n, i) => {
        const w = this.#open(n);
        w.append(npyHeader(this.#descr[i], [0], NPY_STREAM_HEADER));
        return w;
      });
    } else checkChunk(this.#schema, t);
    const rows = this.#rows + t.length;
    this.#schema.names.forEach((n, i) => {
      const w = this.#writers[i];
      w.append(littleEndianBytes(t.column(n).data));
      // The header now names every row written: the file is valid after each chunk.
      w.writeAt(0, npyHeader(this.#descr[i], [rows], NPY_STREAM_HEADER));
    });
    this.#rows = rows;
  }

  close(): SinkResult {
    for (const w of this.#writers) w.close();
    const names = this.#schema?.names ?? [];
    if (this.#prefix !== undefined) return { rows: this.#rows, files: names.map((n) => `${this.#prefix}.${n}.npy`) };
    const members = names.map((n, i) => ({ name: `${n}.npy`, data: (this.#writers[i] as MemoryWriter).bytes() }));
    return { rows: this.#rows, files: [], bytes: zipStored(members) };
  }
}

/**
 * Opens a streaming destination for a result table (CSV or NPY), in a file (Node, Deno) or in
 * memory. Asynchronous because it may load `node:fs`; the sink's `write` and `close` are
 * synchronous, so they can be called from a synchronous `run`'s `onProgress`.
 *
 * @example
 * ```ts
 * const sink = await createTableSink({ format: 'csv', path: 'spikes.csv' });
 * const stream = streamSpikes(monitor, sink, { maxRecords: 65536 });
 * net.run(60_000, { onProgress: stream.onProgress });
 * stream.close(); // the last records, then the file is finished
 * ```
 */
export async function createTableSink(options: TableSinkOptions): Promise<TableSink> {
  const o = strictOptions('createTableSink', 'options', options, SINK_KEYS);
  const format = checkChoice('options.format', o.format, ['csv', 'npy'] as const);
  const path = o.path === undefined ? undefined : checkPath('options.path', o.path);
  if (format === 'csv') return new CsvSink(path === undefined ? new MemoryWriter() : await openFileWriter(path), path, o.meta === true);
  if (path === undefined) return new NpySink(() => new MemoryWriter(), undefined);
  const fs = await loadFs();
  return new NpySink((n) => new FileWriter(fs, `${path}.${n}.npy`), path);
}
