/**
 * One result convention (docs/guides/conventions.md): results are plain typed arrays plus
 * metadata, every result has `toJSON()`, and tabular results are {@link Table}s whose columns
 * carry their unit and meaning, so that the exporters (CSV, NPY/NPZ, JSON) need nothing else.
 * @packageDocumentation
 */
import { ValidationError } from '../kernel/errors.js';

/** The typed arrays a column may hold (exporters map them to NumPy dtypes f8, f4, i4, u4, i2, u2, i1, u1). */
export type ColumnArray = Float64Array | Float32Array | Int32Array | Uint32Array | Int16Array | Uint16Array | Int8Array | Uint8Array;

/** One column of a {@link Table}: its data, unit and meaning. */
export interface Column<A extends ColumnArray = ColumnArray> {
  /** The values, one per row. */
  data: A;
  /** Unit of the values (`'ms'`, `'Hz'`, `'1'` for dimensionless, `''` for an index or a count). */
  unit: string;
  /** What the column holds, in one line. */
  description: string;
}

/** JSON form of a {@link Table}. */
export interface TableJSON {
  /** Result type, e.g. `'lif.spikes'`. */
  kind: string;
  /** Number of rows. */
  length: number;
  /** Column values as plain arrays. */
  columns: Record<string, number[]>;
  /** Column units. */
  units: Record<string, string>;
  /** Column descriptions. */
  descriptions: Record<string, string>;
  /** Metadata (dt, seed, population names...). */
  meta: Record<string, unknown>;
}

const COLUMN_TYPES = [Float64Array, Float32Array, Int32Array, Uint32Array, Int16Array, Uint16Array, Int8Array, Uint8Array];

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object') return false;
  const p = Object.getPrototypeOf(v);
  return p === Object.prototype || p === null;
}

const RESERVED = new Set(['kind', 'length', 'meta', 'columnNames', 'column', 'toJSON', 'rows', 'constructor']);

/**
 * A table of equally long typed-array columns, each with a unit and a description, plus metadata.
 * Columns are also readable as properties (`spikes.time`, `spikes.neuron`): see {@link makeTable}.
 */
export class Table {
  /** Result type, e.g. `'lif.spikes'`; exporters use it to name files and datasets. */
  readonly kind: string;
  /** Number of rows. */
  readonly length: number;
  /** Metadata that applies to every row (step size, seed, population names...). */
  readonly meta: Readonly<Record<string, unknown>>;
  readonly #cols: Record<string, Column>;

  /**
   * @param kind - result type, e.g. `'lif.spikes'`
   * @param columns - the columns, in display order; all of the same length
   * @param meta - metadata (JSON-serialisable)
   */
  constructor(kind: string, columns: Record<string, Column>, meta: Record<string, unknown> = {}) {
    if (typeof kind !== 'string') throw new ValidationError('kind', "a string naming the result type (e.g. 'lif.spikes')", kind);
    if (!isPlainObject(columns)) throw new ValidationError('columns', 'an object of columns { data, unit, description }', columns);
    if (!isPlainObject(meta)) throw new ValidationError('meta', 'a plain object of metadata', meta);
    const names = Object.keys(columns);
    let length = 0;
    names.forEach((name, i) => {
      if (RESERVED.has(name)) throw new ValidationError(`columns.${name}`, 'a column name that is not a Table member', name);
      const c = columns[name];
      if (!isPlainObject(c)) throw new ValidationError(`columns.${name}`, 'a column { data, unit, description }', c);
      if (!COLUMN_TYPES.some((T) => c.data instanceof T))
        throw new ValidationError(
          `columns.${name}.data`,
          'a typed array (Float64Array, Float32Array, Int32Array, Uint32Array, Int16Array, Uint16Array, Int8Array or Uint8Array)',
          c.data,
        );
      if (typeof c.unit !== 'string')
        throw new ValidationError(`columns.${name}.unit`, "a string ('ms', 'Hz', '1', '' for an index)", c.unit);
      if (typeof c.description !== 'string') throw new ValidationError(`columns.${name}.description`, 'a string', c.description);
      if (i === 0) length = c.data.length;
      else if (c.data.length !== length)
        throw new ValidationError(`columns.${name}.length`, `${length} (the first column's length)`, c.data.length);
    });
    this.kind = kind;
    this.length = length;
    this.meta = meta;
    this.#cols = columns;
  }

  /** Column names, in order. */
  columnNames(): string[] {
    return Object.keys(this.#cols);
  }

  /** One column (data, unit, description); throws a `ValidationError` for an unknown name. */
  column(name: string): Column {
    const c = this.#cols[name];
    if (!c) throw new ValidationError('name', `one of ${this.columnNames().join(', ')}`, name);
    return c;
  }

  /** Rows as plain objects (for small tables and printing). */
  *rows(): IterableIterator<Record<string, number>> {
    const names = this.columnNames();
    for (let i = 0; i < this.length; i++) {
      const r: Record<string, number> = {};
      for (const n of names) r[n] = this.#cols[n].data[i];
      yield r;
    }
  }

  /** JSON form: plain arrays, units, descriptions and metadata. */
  toJSON(): TableJSON {
    const columns: Record<string, number[]> = {};
    const units: Record<string, string> = {};
    const descriptions: Record<string, string> = {};
    for (const [n, c] of Object.entries(this.#cols)) {
      columns[n] = Array.from(c.data);
      units[n] = c.unit;
      descriptions[n] = c.description;
    }
    return { kind: this.kind, length: this.length, columns, units, descriptions, meta: toJSONValue(this.meta) as Record<string, unknown> };
  }
}

/** A {@link Table} whose columns are also typed properties. */
export type TableOf<C extends Record<string, ColumnArray>> = Table & { readonly [K in keyof C]: C[K] };

/**
 * Builds a {@link Table} whose columns are also readable as properties.
 *
 * @example
 * ```ts
 * const t = makeTable('lif.spikes', {
 *   neuron: { data: neurons, unit: '', description: 'global neuron index' },
 *   time: { data: times, unit: 'ms', description: 'spike time' },
 * }, { dt: 0.1 });
 * t.time[0]; t.column('time').unit; JSON.stringify(t);
 * ```
 */
export function makeTable<C extends Record<string, ColumnArray>>(
  kind: string,
  columns: { [K in keyof C]: Column<C[K]> },
  meta: Record<string, unknown> = {},
): TableOf<C> {
  const t = new Table(kind, columns as Record<string, Column>, meta);
  for (const [n, c] of Object.entries(columns as Record<string, Column>)) {
    Object.defineProperty(t, n, { value: c.data, enumerable: false });
  }
  return t as TableOf<C>;
}

/**
 * A JSON-ready copy of a result value: typed arrays become plain arrays, objects with `toJSON`
 * use it, non-finite numbers become `null` (as `JSON.stringify` does), other objects are walked.
 * Use it to implement `toJSON()` on result objects.
 */
export function toJSONValue(v: unknown): unknown {
  if (v === null || v === undefined) return v ?? null;
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v !== 'object') return v;
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as unknown as ArrayLike<number>);
  if (typeof (v as { toJSON?: unknown }).toJSON === 'function') return (v as { toJSON(): unknown }).toJSON();
  if (Array.isArray(v)) return v.map(toJSONValue);
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) if (typeof x !== 'function') out[k] = toJSONValue(x);
  return out;
}

/**
 * Base class of result objects that are not tables: `toJSON()` copies the own enumerable fields
 * through {@link toJSONValue}.
 */
export abstract class Result {
  /** Result type, e.g. `'fp.run'`. */
  abstract readonly kind: string;
  /** JSON form: own fields with typed arrays as plain arrays. */
  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = { kind: this.kind };
    for (const [k, x] of Object.entries(this)) if (typeof x !== 'function') out[k] = toJSONValue(x);
    return out;
  }
}
