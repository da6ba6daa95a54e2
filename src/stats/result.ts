/**
 * Result objects of the stats module: plain fields plus `kind` and `toJSON()` (the result
 * convention of docs/guides/conventions.md §6).
 * @packageDocumentation
 */
import { Result } from '../contract/index.js';

/** A result of the stats module: its fields, `kind` and `toJSON()` (typed arrays become plain arrays). */
export type StatsResult<K extends string, T> = T & {
  /** Result type, e.g. `'stats.isi'`. */
  readonly kind: K;
  /** JSON form: the fields with typed arrays as plain arrays and non-finite numbers as null. */
  toJSON(): Record<string, unknown>;
};

class FieldsResult extends Result {
  readonly kind: string;
  constructor(kind: string) {
    super();
    this.kind = kind;
  }
}

/** Builds a {@link StatsResult} from its fields (fields set to undefined are left out). */
export function statsResult<K extends string, T extends object>(kind: K, fields: T): StatsResult<K, T> {
  const r = new FieldsResult(kind);
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) (r as unknown as Record<string, unknown>)[k] = v;
  return r as unknown as StatsResult<K, T>;
}
