/**
 * Parameter sweeps on the worker pool. A sweep runs `trials` trials of one task at every point of
 * a parameter grid (or list); every (point, trial) pair has one flat index
 * `i = point · trials + trial`, so any index range [a, b) can run anywhere — another worker
 * count, another machine, a Slurm array task — and the shards merge exactly
 * ({@link mergeTrials}). The result is a {@link Table} with one row per (point, trial).
 *
 * Trial `k` of every point draws from `trialKey(seed, k)`: the points of a sweep share their
 * random numbers trial by trial (common random numbers), so a difference between two points is
 * not blurred by different noise. Give each point its own seed parameter when that is not wanted.
 * @packageDocumentation
 */
import { optionKeys, strictOptions } from '../contract/options.js';
import { type Column, type ColumnArray, makeTable, type Table } from '../contract/results.js';
import { AbortedError, ValidationError } from '../kernel/errors.js';
import { checkInteger } from '../kernel/validate.js';
import { seedToKey } from '../rng/seed.js';
import { resolveTaskRef } from './modules.js';
import { checkCollected, type MapOptions, type PoolOptions, streamTrials, type TrialsLike, TrialsResult, type WorkerPool } from './pool.js';
import type { Settled, TaskRef, TrialInput } from './types.js';

/**
 * A grid: every key lists its values; the sweep runs every combination (the first key varies
 * slowest, the last fastest, as in nested loops over the keys in order).
 */
export type SweepGrid = Record<string, readonly unknown[]>;
/** A list of parameter points (objects), run in order. */
export type SweepList = readonly Record<string, unknown>[];

/** A trial's result in a sweep, flattened to named numbers (see {@link sweepTrials}). */
export type SweepValues = Record<string, number>;

/** Options of {@link sweep}, {@link sweepTrials} and {@link sweepTable}. */
export interface SweepOptions extends PoolOptions, MapOptions {
  /** The trial task: a task name of the package's tables or a user module's function `{ module, task }`. */
  task: TaskRef;
  /**
   * The parameter points: a grid `{ mu: [1, 1.2], sigma: [0, 0.5] }` (every combination, first
   * key slowest) or a list `[{ mu: 1, sigma: 0 }, …]`. A trial receives one point as `params`.
   */
  params: SweepGrid | SweepList;
  /** Trials per point; trial k of every point uses `trialKey(seed, k)`. @default 1 */
  trials?: number;
  /** Study seed (number or string). @default 0 */
  seed?: number | string;
  /**
   * Range [a, b) of flat indices `point · trials + trial` to run (a shard). @default all:
   * [0, points · trials)
   */
  range?: [number, number];
  /** Units of table columns by name (parameters and results), e.g. `{ mu: 'mV', rate: 'Hz' }`. @default '' (none) */
  units?: Record<string, string>;
  /** An existing pool to use (left open; `workers`, `workerUrl` are then ignored). */
  pool?: WorkerPool;
}

const SWEEP_KEYS = optionKeys<SweepOptions>()([
  'task',
  'params',
  'trials',
  'seed',
  'range',
  'units',
  'workers',
  'workerUrl',
  'tasks',
  'pool',
  'signal',
  'onProgress',
  'sliceMs',
]);

/** The points of a sweep, addressed by index (computed on demand: a grid is never expanded). */
export interface SweepPlan {
  /** Number of parameter points. */
  points: number;
  /** Trials per point. */
  trials: number;
  /** points · trials: the number of flat indices. */
  total: number;
  /** Parameter names (grid keys, or every key of the list's points in first-seen order). */
  keys: string[];
  /** Whether `params` was a grid (or a list). */
  grid: boolean;
  /** The parameters of point `p`. */
  pointAt(p: number): Record<string, unknown>;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/**
 * The plan of a sweep: its points (grid or list) and trials per point. Checks `params` and the
 * size (at most 2^32 − 1 flat indices).
 */
export function sweepPlan(params: SweepGrid | SweepList, trials = 1, prefix = 'options.'): SweepPlan {
  const name = prefix.replace(/\.$/, '');
  const at = (k: string) => (name ? `${name}.${k}` : k);
  const t = checkInteger(at('trials'), trials, 1, 0xffffffff);
  let points: number;
  let keys: string[];
  let pointAt: (p: number) => Record<string, unknown>;
  let grid: boolean;
  if (Array.isArray(params)) {
    grid = false;
    if (params.length === 0)
      throw new ValidationError(at('params'), 'a non-empty list of parameter points, or a grid { name: [values] }', params);
    const seen = new Set<string>();
    params.forEach((p, i) => {
      if (!isPlainObject(p)) throw new ValidationError(at(`params[${i}]`), 'a plain object of parameter values', p);
      for (const k of Object.keys(p)) seen.add(k);
    });
    keys = [...seen];
    points = params.length;
    pointAt = (p) => params[p] as Record<string, unknown>;
  } else {
    grid = true;
    if (!isPlainObject(params))
      throw new ValidationError(at('params'), 'a grid { name: [values] } or a list of parameter points [{ … }]', params);
    keys = Object.keys(params);
    if (keys.length === 0) throw new ValidationError(at('params'), 'a grid with at least one parameter', params);
    const values = keys.map((k) => {
      const v = (params as SweepGrid)[k];
      if (!Array.isArray(v) || v.length === 0)
        throw new ValidationError(at(`params.${k}`), `a non-empty array of the values of '${k}' (write [x] for a fixed value)`, v);
      return v as readonly unknown[];
    });
    points = values.reduce((n, v) => n * v.length, 1);
    pointAt = (p) => {
      const out: Record<string, unknown> = {};
      for (let j = keys.length - 1; j >= 0; j--) {
        const n = values[j].length;
        out[keys[j]] = values[j][p % n];
        p = Math.floor(p / n);
      }
      // Keys in grid order (the loop filled them last to first).
      const ordered: Record<string, unknown> = {};
      for (const k of keys) ordered[k] = out[k];
      return ordered;
    };
  }
  const total = points * t;
  if (total > 0xffffffff)
    throw new ValidationError(
      at('params'),
      `at most 4294967295 (point, trial) pairs`,
      total,
      `${name || 'sweep'}: ${points} points × ${t} trials = ${total} exceeds 4294967295 (point, trial) pairs`,
    );
  return { points, trials: t, total, keys, grid, pointAt };
}

/**
 * The parameter points of a sweep in index order (a grid expanded, first key slowest).
 * @example
 * ```ts
 * sweepPoints({ a: [1, 2], b: ['x', 'y'] }); // [{a:1,b:'x'}, {a:1,b:'y'}, {a:2,b:'x'}, {a:2,b:'y'}]
 * ```
 */
export function sweepPoints(params: SweepGrid | SweepList): Record<string, unknown>[] {
  const plan = sweepPlan(params, 1, '');
  if (plan.points > 1e7) throw new ValidationError('params', 'at most 10^7 points to expand', plan.points);
  return Array.from({ length: plan.points }, (_, p) => plan.pointAt(p));
}

const MAX_VALUES = 100_000;

/**
 * A trial's result as named numbers: a number is `value`; an object's numbers keep their names;
 * nested objects and arrays (typed or not) are named by path (`rates.0`, `stats.mean`); booleans
 * are 1/0 and `null` is NaN; `undefined` entries are left out. A result object with `toJSON()`
 * arrives as its JSON form. Anything else (a string…) is an error of that trial.
 */
export function flattenValue(v: unknown, out: SweepValues = {}, path = ''): SweepValues {
  const name = path || 'value';
  if (typeof v === 'number') out[name] = v;
  else if (typeof v === 'boolean') out[name] = v ? 1 : 0;
  else if (v === null) out[name] = Number.NaN;
  else if (v === undefined) return out;
  else if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
    const a = v as unknown as ArrayLike<number | bigint>;
    for (let i = 0; i < a.length; i++) flattenValue(typeof a[i] === 'bigint' ? Number(a[i]) : a[i], out, path ? `${path}.${i}` : String(i));
  } else if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) flattenValue(v[i], out, path ? `${path}.${i}` : String(i));
  } else if (isPlainObject(v)) for (const [k, x] of Object.entries(v)) flattenValue(x, out, path ? `${path}.${k}` : k);
  else {
    throw new ValidationError(
      `result${path ? ` '${path}'` : ''}`,
      'numbers, booleans, or arrays and plain objects of them (a sweep records numbers)',
      v,
      `a sweep records numbers: the trial's result${path ? ` '${path}'` : ''} is ${typeof v === 'string' ? `the string ${JSON.stringify(v).slice(0, 40)}` : `a ${typeof v}`}; return numbers, booleans, or arrays and plain objects of them`,
    );
  }
  if (Object.keys(out).length > MAX_VALUES) throw new ValidationError('result', `at most ${MAX_VALUES} numbers per trial`, 'more');
  return out;
}

function checkSweep(where: string, options: SweepOptions) {
  const o = strictOptions<SweepOptions>(where, 'options', options, SWEEP_KEYS);
  if (o.task === undefined) throw new ValidationError('options.task', 'a task name or a user module { module, task }', o.task);
  const task = resolveTaskRef('options.task', o.task);
  if (o.params === undefined)
    throw new ValidationError('options.params', 'a grid { name: [values] } or a list of parameter points', o.params);
  const plan = sweepPlan(o.params, o.trials ?? 1);
  const seed = o.seed ?? 0;
  if (typeof seed === 'number' ? !Number.isFinite(seed) : typeof seed !== 'string')
    throw new ValidationError('options.seed', 'a finite number or a string', seed);
  seedToKey(seed);
  let range: [number, number] = [0, plan.total];
  if (o.range !== undefined) {
    if (!Array.isArray(o.range) || o.range.length !== 2)
      throw new ValidationError('options.range', 'a range [a, b) of flat indices', o.range);
    const a = checkInteger('options.range[0]', o.range[0], 0, plan.total);
    range = [a, checkInteger('options.range[1]', o.range[1], a, plan.total)];
  }
  if (o.units !== undefined) {
    if (!isPlainObject(o.units)) throw new ValidationError('options.units', 'an object { column: unit }', o.units);
    for (const [k, u] of Object.entries(o.units))
      if (typeof u !== 'string') throw new ValidationError(`options.units.${k}`, 'a unit string', u);
  }
  return { o, task, plan, seed, range };
}

/**
 * Runs flat indices [a, b) of a sweep (all of it by default) and returns their rows, each trial's
 * result flattened to named numbers ({@link flattenValue}). Shards of one sweep merge exactly with
 * {@link mergeTrials}; {@link sweepTable} turns the rows into the sweep's table. Progress reports
 * count `'trial'`s.
 */
export async function sweepTrials(options: SweepOptions): Promise<TrialsResult<SweepValues>> {
  const { o, task, plan, seed, range } = checkSweep('sweepTrials', options);
  const [a, b] = range;
  checkCollected('sweepTrials', a, b);
  const rows: Settled<SweepValues>[] = [];
  const input = (i: number): TrialInput => {
    const point = Math.floor(i / plan.trials);
    return { seed, trial: i - point * plan.trials, params: plan.pointAt(point), point, index: i };
  };
  const flat = (row: Settled<unknown>): Settled<SweepValues> => {
    if (!row.ok) return row;
    try {
      return { index: row.index, ok: true, value: flattenValue(row.value) };
    } catch (e) {
      return { index: row.index, ok: false, error: { name: (e as Error).name, message: (e as Error).message } };
    }
  };
  try {
    for await (const row of streamTrials<unknown>('sweep', task, o, {
      count: b - a,
      offset: a,
      inputAt: (k) => input(a + k),
      collect: true,
    }))
      rows.push(flat(row));
  } catch (e) {
    if (e instanceof AbortedError)
      throw new AbortedError(e.message, [...rows, ...(Array.isArray(e.partial) ? (e.partial as Settled<unknown>[]).map(flat) : [])]);
    throw e;
  }
  return new TrialsResult<SweepValues>([a, b], rows);
}

const RESERVED = new Set([
  'kind',
  'length',
  'meta',
  'columnNames',
  'column',
  'toJSON',
  'rows',
  'constructor',
  'index',
  'point',
  'trial',
  'ok',
]);

/**
 * The table of a sweep from its rows (one run, or shards merged with {@link mergeTrials}): one
 * row per (point, trial) of the rows' range, with columns
 * - `index`, `point`, `trial` (u32): the flat index `point · trials + trial` and its parts;
 * - one f64 column per parameter whose values are all numbers or booleans (others are in
 *   `meta.params` only);
 * - `ok` (u8): 1 when the trial returned, 0 when it threw (its error is in `meta.errors`);
 * - one f64 column per result name, in first-seen order (NaN where a trial lacks it or failed).
 *
 * A name that collides with another column or a `Table` member gets a prefix (`param.`, `result.`).
 * `meta` holds `task`, `seed`, `trials`, `points`, `range`, `params` and `errors`.
 */
export function sweepTable(trials: TrialsLike<SweepValues>, options: SweepOptions): Table {
  const { o, task, plan, seed } = checkSweep('sweepTable', options);
  if (trials === null || typeof trials !== 'object' || !Array.isArray(trials.range) || !Array.isArray(trials.rows))
    throw new ValidationError('trials', 'the rows of a sweep { range, rows } (sweepTrials, mergeTrials)', trials);
  const [a, b] = trials.range;
  checkInteger('trials.range[0]', a, 0, plan.total);
  checkInteger('trials.range[1]', b, a, plan.total);
  const rows = trials.rows;
  if (rows.length !== b - a) throw new ValidationError('trials.rows.length', `${b - a} (one row per index of [${a}, ${b}))`, rows.length);
  const n = rows.length;
  const units = o.units ?? {};
  const columns: Record<string, Column<ColumnArray>> = {};
  const index = new Uint32Array(n);
  const point = new Uint32Array(n);
  const trial = new Uint32Array(n);
  const ok = new Uint8Array(n);
  for (let r = 0; r < n; r++) {
    const i = a + r;
    if (rows[r]?.index !== i) throw new ValidationError(`trials.rows[${r}].index`, `${i}`, rows[r]?.index);
    const row = rows[r] as { ok?: unknown; value?: unknown; error?: unknown };
    if (row.ok !== true && row.ok !== false) throw new ValidationError(`trials.rows[${r}].ok`, 'true or false (a settled row)', row.ok);
    if (!row.ok && (row.error === null || typeof row.error !== 'object'))
      throw new ValidationError(`trials.rows[${r}].error`, 'an error record { name, message } (a failed row)', row.error);
    index[r] = i;
    point[r] = Math.floor(i / plan.trials);
    trial[r] = i - point[r] * plan.trials;
    ok[r] = rows[r].ok ? 1 : 0;
  }
  columns.index = { data: index, unit: '', description: 'flat index point · trials + trial' };
  columns.point = { data: point, unit: '', description: 'parameter point (0-based, in sweep order)' };
  columns.trial = { data: trial, unit: '', description: 'trial of the point (its key is trialKey(seed, trial))' };
  const used = new Set(RESERVED);
  const named = new Map<string, string>(); // parameter or result name -> column name
  const unique = (prefix: string, k: string) => {
    let c = used.has(k) ? `${prefix}.${k}` : k;
    while (used.has(c)) c = `${prefix}.${c}`;
    used.add(c);
    return c;
  };
  // Parameter columns: numeric (or boolean) in every point of the rows.
  for (const k of plan.keys) {
    const data = new Float64Array(n);
    let numeric = true;
    for (let r = 0; r < n && numeric; r++) {
      const v = plan.pointAt(point[r])[k];
      if (typeof v === 'number') data[r] = v;
      else if (typeof v === 'boolean') data[r] = v ? 1 : 0;
      else numeric = false;
    }
    if (!numeric) continue;
    const c = unique('param', k);
    named.set(k, c);
    columns[c] = { data, unit: units[k] ?? '', description: `parameter '${k}'` };
  }
  columns.ok = { data: ok, unit: '', description: '1 when the trial returned, 0 when it threw (see meta.errors)' };
  // Result columns, in first-seen order.
  const results = new Map<string, Float64Array>();
  for (let r = 0; r < n; r++) {
    const row = rows[r];
    if (!row.ok) continue;
    const v = row.value;
    if (v === null || typeof v !== 'object')
      throw new ValidationError(`trials.rows[${r}].value`, 'named numbers (sweepTrials flattens results)', v);
    for (const [k, x] of Object.entries(v)) {
      let col = results.get(k);
      if (!col) {
        col = new Float64Array(n).fill(Number.NaN);
        results.set(k, col);
      }
      col[r] = typeof x === 'number' ? x : Number.NaN;
    }
  }
  for (const [k, data] of results) {
    const c = unique('result', k);
    named.set(k, c);
    columns[c] = { data, unit: units[k] ?? '', description: `trial result '${k}'` };
  }
  if (results.size > 0)
    for (const k of Object.keys(units))
      if (!named.has(k))
        throw new ValidationError(`options.units.${k}`, `the name of a parameter or result (${[...named.keys()].join(', ')})`, k);
  const errors = rows.flatMap((r) => (r.ok ? [] : [{ index: r.index, name: r.error.name, message: r.error.message }]));
  return makeTable('sweep', columns, {
    task: task.module ? { module: task.module, task: task.name } : task.name,
    seed,
    trials: plan.trials,
    points: plan.points,
    range: [a, b],
    params: o.params,
    errors,
  });
}

/**
 * Runs a parameter sweep and returns its table ({@link sweepTable}): `trials` trials of `task` at
 * every point of `params`, on the worker pool (or inline with `workers: 0`), identical for any
 * worker count and for any split into shards. Progress reports count `'trial'`s; an abort
 * rejects with {@link AbortedError} whose `partial` holds the settled rows.
 *
 * @example
 * ```ts
 * const t = await sweep({
 *   task: { module: new URL('./trials.mjs', import.meta.url), task: 'rate' },
 *   params: { mu: [1.1, 1.2, 1.3], sigma: [0, 0.5] }, trials: 8, seed: 'fig2', workers: 2,
 * });
 * t.column('rate').data; // one value per (point, trial)
 * ```
 */
export async function sweep(options: SweepOptions): Promise<Table> {
  return sweepTable(await sweepTrials(options), options);
}
