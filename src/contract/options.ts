/**
 * Strict options objects: the first rule of the public contract (docs/guides/conventions.md).
 * Every options object a public entry point takes is checked here before any value is read: an
 * unknown key is a {@link ValidationError} that names it, names the entry point, and suggests the
 * nearest valid name (`unknown option 'tau_m' for addPopulation; did you mean 'tauMem'?`).
 * @packageDocumentation
 */
import { ValidationError } from '../kernel/errors.js';

/**
 * Names other simulators and papers use for our options (Brian2, NEST, NIR, the seeds), by the
 * name a user would type, lower-cased with `_` and `-` removed. Used only to suggest a name.
 */
const ALIASES: Record<string, readonly string[]> = {
  taum: ['tauMem'],
  taumem: ['tauMem'],
  tau: ['tauMem', 'tauSyn', 'tau'],
  taus: ['tauSyn'],
  tausyn: ['tauSyn'],
  taue: ['tauSyn'],
  taui: ['tauSyn2'],
  vth: ['vThreshold'],
  vt: ['vThreshold'],
  vthresh: ['vThreshold'],
  vthreshold: ['vThreshold'],
  theta: ['vThreshold'],
  thresh: ['vThreshold'],
  threshold: ['vThreshold'],
  vf: ['vThreshold'],
  vr: ['vReset'],
  vreset: ['vReset'],
  el: ['vLeak'],
  vl: ['vLeak'],
  eleak: ['vLeak'],
  vleak: ['vLeak'],
  vrest: ['vLeak'],
  refractory: ['tRef'],
  tref: ['tRef'],
  trefractory: ['tRef'],
  bin: ['binSize', 'bin'],
  binms: ['binSize'],
  binsize: ['binSize'],
  binwidth: ['binSize'],
  binsteps: ['binSize'],
  every: ['interval'],
  everysteps: ['interval'],
  sampleevery: ['interval'],
  progress: ['onProgress'],
  callback: ['onProgress'],
  abort: ['signal'],
  abortsignal: ['signal'],
  rng: ['seed'],
  randomseed: ['seed'],
  timestep: ['dt'],
  h: ['dt'],
  step: ['dt'],
  t: ['duration'],
  tmax: ['duration'],
  runtime: ['duration'],
  nworkers: ['workers'],
  threads: ['workers', 'threads'],
};

function normalise(s: string): string {
  return s.toLowerCase().replace(/[_\-\s.]/g, '');
}

/** Optimal string alignment distance (Damerau–Levenshtein with adjacent transpositions). */
function editDistance(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  const d: number[][] = Array.from({ length: m + 1 }, (_, i) => {
    const row = new Array<number>(n + 1).fill(0);
    row[0] = i;
    return row;
  });
  for (let j = 0; j <= n; j++) d[0][j] = j;
  for (let i = 1; i <= m; i++) {
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2][j - 2] + 1);
      d[i][j] = v;
    }
  }
  return d[m][n];
}

/**
 * The valid name nearest to `key`, or undefined when none is near: a known alias first (Brian2's
 * `tau_m`, NEST's `V_th`...), then the smallest edit distance between the names with case and
 * separators ignored, accepted when it is at most a third of the longer name (at least 1), or
 * when one name contains the other.
 */
export function suggestName(key: string, valid: readonly string[]): string | undefined {
  const nk = normalise(key);
  for (const a of ALIASES[nk] ?? []) if (valid.includes(a)) return a;
  let best: string | undefined;
  let bestD = Number.POSITIVE_INFINITY;
  for (const v of valid) {
    const nv = normalise(v);
    if (nv === nk) return v;
    const d = editDistance(nk, nv);
    if (d < bestD) {
      bestD = d;
      best = v;
    }
  }
  if (best === undefined) return undefined;
  const nb = normalise(best);
  const limit = Math.max(1, Math.floor(Math.max(nk.length, nb.length) / 3));
  if (bestD <= limit) return best;
  for (const v of valid) {
    const nv = normalise(v);
    if (nk.length >= 3 && nv.length >= 3 && (nv.includes(nk) || nk.includes(nv))) return v;
  }
  return undefined;
}

/** A `ValidationError` for an unknown option name, with the nearest valid name when there is one. */
export function unknownOptionError(where: string, key: string, valid: readonly string[], path = key): ValidationError {
  const s = suggestName(key, valid);
  const hint = s ? `did you mean '${s}'?` : `valid options: ${valid.map((v) => `'${v}'`).join(', ')}`;
  return new ValidationError(path, `${hint}`, key, `unknown option '${key}' for ${where}; ${hint}`, s);
}

/**
 * The complete list of keys of an options type `T`, checked by the compiler: a key of `T`
 * missing from the list is a type error, so the runtime list cannot drift from the interface.
 *
 * @example
 * ```ts
 * const KEYS = optionKeys<LifNetworkOptions>()(['dt', 'integrator', 'spikeRule', 'seed', 'trial']);
 * ```
 */
export function optionKeys<T extends object>() {
  return <const K extends readonly (keyof T & string)[]>(
    keys: K & ([Exclude<keyof T & string, K[number]>] extends [never] ? unknown : { missingKeys: Exclude<keyof T & string, K[number]> }),
  ): readonly (keyof T & string)[] => keys;
}

/**
 * Options renamed in an earlier version of an entry point: old name → the name now, or
 * `{ to, note }` where `note` says what else changed (`'times are in ms'`) or where the option
 * moved when `to` is not an option of this call.
 */
export type RenamedOptions = Readonly<Record<string, string | { readonly to: string; readonly note?: string }>>;

/**
 * Checks an options object strictly and returns it typed: `undefined` becomes `{}`; anything that
 * is not a plain object (an array, a number, `null`, a class instance other than a plain object)
 * is a {@link ValidationError} naming `name`; a key not in `keys` is a {@link ValidationError}
 * that names it and suggests the nearest valid key. Keys whose value is `undefined` are accepted
 * (they mean "use the default"). Values are not checked here: each entry point checks its own.
 *
 * @param where - the entry point, as a user calls it (`'addPopulation'`, `'LifNetwork'`)
 * @param name - the argument's name in messages (`'options'`, `'params'`)
 * @param value - what the user passed
 * @param keys - every valid key (use {@link optionKeys} to keep it in step with the type)
 * @param renamed - names of earlier versions, answered with the name now
 */
export function strictOptions<T extends object>(
  where: string,
  name: string,
  value: T | undefined | null,
  keys: readonly string[],
  renamed?: RenamedOptions,
): T {
  if (value === undefined) return {} as T;
  if (value === null || typeof value !== 'object' || Array.isArray(value) || ArrayBuffer.isView(value))
    throw new ValidationError(name, `an options object for ${where}`, value);
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) throw new ValidationError(name, `a plain options object for ${where}`, value);
  for (const k of Object.keys(value)) {
    if (keys.includes(k)) continue;
    const path = name === 'options' ? k : `${name}.${k}`;
    const r = renamed?.[k];
    const to = r === undefined ? undefined : typeof r === 'string' ? r : r.to;
    const note = r === undefined || typeof r === 'string' ? undefined : r.note;
    if (to !== undefined && (keys.includes(to) || note !== undefined)) {
      const here = keys.includes(to);
      const hint = here ? `did you mean '${to}'? (renamed${note ? `; ${note}` : ''})` : `it is now ${note}`;
      throw new ValidationError(path, hint, k, `unknown option '${k}' for ${where}; ${hint}`, here ? to : undefined);
    }
    throw unknownOptionError(where, k, keys, path);
  }
  return value;
}

/** A function or undefined (callbacks such as `onProgress`). */
export function checkCallback<F extends (...args: never[]) => unknown>(name: string, v: unknown): F | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'function') throw new ValidationError(name, 'a function', v);
  return v as F;
}
