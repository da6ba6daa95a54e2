// Hostile values and argument mutations for the fuzz suite (issue #16). A valid call from the export
// registry (test/contract/registry.mjs) is taken apart into leaves (each positional argument, each
// options key, nested keys, arrays, rows, callbacks); a case replaces one or more leaves with a
// hostile value chosen for the leaf's type. Deterministic: the systematic cases are an ordered
// product, the random ones come from fast-check with a fixed seed.
import fc from 'fast-check';

/** The issue's list of hostile numbers, and a few more that sit on common boundaries. */
export const HOSTILE_NUMBERS = [
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  -0,
  0,
  -1,
  0.5,
  2 ** 31,
  2 ** 32 + 16,
  2 ** 53,
  1e308,
  -1e308,
  1e-320,
];

/** Values of the wrong type, tried on every leaf. */
export const HOSTILE_OTHER = [null, undefined, {}, [], 'x', '', true, () => 1];

/** What a leaf is, which decides the hostile values it gets. */
function leafType(v) {
  if (typeof v === 'number') return 'number';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'function') return 'function';
  if (ArrayBuffer.isView(v)) return 'typed';
  if (Array.isArray(v)) {
    if (v.length > 0 && v.every((x) => Array.isArray(x) || ArrayBuffer.isView(x))) return 'matrix';
    if (v.every((x) => typeof x === 'number')) return 'numbers';
    return 'array';
  }
  if (v !== null && typeof v === 'object') {
    const p = Object.getPrototypeOf(v);
    return p === Object.prototype || p === null ? 'object' : 'instance';
  }
  return 'other';
}

/** Hostile replacements for a leaf holding `v` (the valid value). */
export function hostileFor(v) {
  const t = leafType(v);
  const out = [];
  switch (t) {
    case 'number':
      out.push(...HOSTILE_NUMBERS.filter((x) => !Object.is(x, v)));
      break;
    case 'string':
      out.push('no-such-name', 42);
      break;
    case 'boolean':
      out.push('true', 1);
      break;
    case 'function':
      out.push(
        Object.assign(() => Number.NaN, { hostile: 'returns NaN' }),
        Object.assign(() => undefined, { hostile: 'returns undefined' }),
        Object.assign(() => [Number.NaN], { hostile: 'returns [NaN]' }),
        42,
      );
      break;
    case 'typed':
    case 'numbers': {
      const arr = Array.from(v);
      const make = (a) => (t === 'typed' ? new v.constructor(a) : a);
      if (arr.length > 0) {
        out.push(make(arr.slice(1)), make([...arr, arr[arr.length - 1]]));
        if (t === 'numbers' || v instanceof Float64Array || v instanceof Float32Array) {
          const nan = arr.slice();
          nan[0] = Number.NaN;
          const inf = arr.slice();
          inf[arr.length - 1] = Number.POSITIVE_INFINITY;
          out.push(make(nan), make(inf));
        }
        if (t === 'numbers') out.push(arr.map(() => 'x'));
      }
      out.push(make([]), { length: 2 ** 32 + 16 });
      break;
    }
    case 'matrix': {
      const rows = v.map((r) => Array.from(r));
      out.push(rows.slice(1), [...rows, rows[0]], [rows[0].slice(1), ...rows.slice(1)]);
      const nan = rows.map((r) => r.slice());
      nan[0][0] = Number.NaN;
      out.push(nan, [[]]);
      break;
    }
    case 'array':
      if (v.length > 0) out.push(v.slice(1), [...v, v[0]]);
      out.push([null]);
      break;
    case 'object':
      out.push({ zzUnknown: 1 });
      break;
    default:
      break;
  }
  for (const h of HOSTILE_OTHER) if (leafType(h) !== t || t === 'object' || t === 'number') out.push(h);
  return out;
}

/**
 * The leaves of an argument list: paths (arrays of keys) to every positional argument, options key
 * (recursively), array, matrix row and callback. The arguments themselves are not changed.
 * `fixed` lists positional arguments left alone (e.g. the caller's own argument name of the validate helpers).
 */
export function leaves(args, fixed = []) {
  const out = [];
  const walk = (v, path, depth) => {
    out.push(path);
    if (depth > 3) return;
    const t = leafType(v);
    if (t === 'object') for (const k of Object.keys(v)) walk(v[k], [...path, k], depth + 1);
    else if (t === 'matrix') walk(v[0], [...path, 0], depth + 1);
    else if (t === 'array' && v.length > 0 && leafType(v[0]) === 'object') walk(v[0], [...path, 0], depth + 1);
  };
  args.forEach((a, i) => {
    if (!fixed.includes(i)) walk(a, [i], 0);
  });
  return out;
}

/** The value at `path` in `args`. */
export function getPath(args, path) {
  let v = args;
  for (const k of path) v = v?.[k];
  return v;
}

/** Replaces the value at `path` in `args` (in place; args are fresh for every call). */
export function setPath(args, path, value) {
  let v = args;
  for (let i = 0; i < path.length - 1; i++) {
    const k = path[i];
    if (ArrayBuffer.isView(v[k])) v[k] = Array.from(v[k]);
    else if (Array.isArray(v[k])) v[k] = v[k].slice();
    else v[k] = { ...v[k] };
    v = v[k];
  }
  v[path[path.length - 1]] = value;
}

/** Short printable form of a hostile value (for reports). */
export function show(v) {
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'function') return v.hostile ? `fn ${v.hostile}` : 'fn';
  if (v === null || v === undefined) return String(v);
  if (ArrayBuffer.isView(v)) return `${v.constructor.name}(${v.length})`;
  if (Array.isArray(v)) return `[${v.length <= 4 ? v.map(show).join(',') : `…${v.length}`}]`;
  if (typeof v === 'object') {
    const k = Object.keys(v);
    return `{${k.slice(0, 3).join(',')}${k.length > 3 ? ',…' : ''}}`;
  }
  return typeof v;
}

/** fast-check arbitrary of a value to put in a leaf whose valid value is `v`: a listed hostile value, or a random one of a related type. */
function randomValue(v) {
  const listed = fc.constantFrom(...hostileFor(v));
  const nums = fc.oneof(
    fc.double(),
    fc.integer({ min: -(2 ** 33), max: 2 ** 33 }),
    fc.double({ min: -1e6, max: 1e6, noNaN: true }),
    fc.integer({ min: -3, max: 3 }),
  );
  const t = leafType(v);
  if (t === 'number') return fc.oneof(listed, nums, nums);
  if (t === 'numbers' || t === 'typed') {
    const n = v.length;
    const arr = fc.array(nums, { minLength: Math.max(0, n - 1), maxLength: n + 1 });
    return fc.oneof(listed, t === 'typed' ? arr.map((a) => new v.constructor(a.map((x) => (ArrayBuffer.isView(v) ? x : x)))) : arr);
  }
  if (t === 'string') return fc.oneof(listed, fc.string({ maxLength: 6 }));
  return listed;
}

/**
 * Random cases for one entry: each replaces 1 to 3 leaves of the valid call with values from
 * {@link randomValue}. `count` cases, reproducible from `seed`.
 */
export function randomCases(args, count, seed, fixed = []) {
  const ls = leaves(args, fixed);
  if (ls.length === 0 || count <= 0) return [];
  const one = fc
    .integer({ min: 0, max: ls.length - 1 })
    .chain((i) => randomValue(getPath(args, ls[i])).map((value) => ({ path: ls[i], value })));
  return fc.sample(fc.array(one, { minLength: 1, maxLength: Math.min(3, ls.length) }), { seed, numRuns: count });
}

/** Systematic cases: every leaf × every hostile value for its type, one change per case. */
export function systematicCases(args, fixed = []) {
  const out = [];
  for (const path of leaves(args, fixed)) for (const value of hostileFor(getPath(args, path))) out.push([{ path, value }]);
  return out;
}
