/**
 * NumPy's own file formats, written from typed arrays: NPY format version 1.0 (one array) and
 * NPZ (a ZIP archive of `.npy` members, stored uncompressed, as `numpy.savez` writes it).
 *
 * NPY layout (numpy/lib/format.py, "NEP 1"): the magic `\x93NUMPY`, version bytes 1 0, a
 * little-endian u16 header length, then an ASCII Python dict
 * `{'descr': '<f8', 'fortran_order': False, 'shape': (n,), }` padded with spaces and ended with
 * `\n` so that the data starts at a multiple of 64 bytes, then the data in C order.
 * @packageDocumentation
 */

import { optionKeys, strictOptions } from '../contract/options.js';
import type { ColumnArray } from '../contract/results.js';
import { ValidationError } from '../kernel/errors.js';
import { utf8 } from './bytes.js';
import { zipStored } from './zip.js';

/** NumPy dtype string (`descr`) of a typed array: little-endian, as NumPy names it. */
export function npyDescr(a: ColumnArray): string {
  if (a instanceof Float64Array) return '<f8';
  if (a instanceof Float32Array) return '<f4';
  if (a instanceof Int32Array) return '<i4';
  if (a instanceof Uint32Array) return '<u4';
  if (a instanceof Int16Array) return '<i2';
  if (a instanceof Uint16Array) return '<u2';
  if (a instanceof Int8Array) return '|i1';
  if (a instanceof Uint8Array) return '|u1';
  throw new ValidationError(
    'data',
    'a Float64Array, Float32Array, Int32Array, Uint32Array, Int16Array, Uint16Array, Int8Array or Uint8Array',
    a,
  );
}

const LITTLE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** The little-endian bytes of a typed array (a view when the platform is little-endian). */
export function littleEndianBytes(a: ColumnArray): Uint8Array {
  const view = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  if (LITTLE || a.BYTES_PER_ELEMENT === 1) return view;
  const out = new Uint8Array(a.byteLength);
  const w = a.BYTES_PER_ELEMENT;
  for (let i = 0; i < a.byteLength; i += w) for (let k = 0; k < w; k++) out[i + k] = view[i + w - 1 - k];
  return out;
}

function shapeText(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

/**
 * The NPY v1.0 header for an array of `descr` and `shape`. With `totalLength` the header is
 * padded to exactly that many bytes (so a streaming writer can rewrite it in place as the shape
 * grows); otherwise to the next multiple of 64.
 */
export function npyHeader(descr: string, shape: readonly number[], totalLength?: number): Uint8Array {
  const dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeText(shape)}, }`;
  const min = 10 + dict.length + 1;
  const total = totalLength ?? Math.ceil(min / 64) * 64;
  if (total < min || total - 10 > 0xffff) throw new ValidationError('shape', `a shape whose NPY header fits in ${total} bytes`, shape);
  const out = new Uint8Array(total);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  const hl = total - 10;
  out[8] = hl & 0xff;
  out[9] = hl >> 8;
  out.set(utf8(dict), 10);
  out.fill(0x20, 10 + dict.length, total - 1);
  out[total - 1] = 0x0a;
  return out;
}

/** Options of {@link toNPY}. */
export interface NpyOptions {
  /** Shape in C order (product = data length). @default [data.length] */
  shape?: readonly number[];
}

const NPY_KEYS = optionKeys<NpyOptions>()(['shape']);

function checkShape(shape: readonly number[] | undefined, n: number): readonly number[] {
  if (shape === undefined) return [n];
  if (!Array.isArray(shape) || shape.length === 0 || shape.some((d) => !Number.isInteger(d) || d < 0))
    throw new ValidationError('options.shape', 'an array of non-negative integers', shape);
  const p = shape.reduce((a, b) => a * b, 1);
  if (p !== n) throw new ValidationError('options.shape', `dimensions whose product is the data length ${n}`, shape);
  return shape;
}

/**
 * One typed array as an NPY (format 1.0) file: `numpy.load` reads it back bit for bit.
 *
 * @example
 * ```ts
 * const bytes = toNPY(spikes.time);            // <f8, shape (n,)
 * const m = toNPY(v, { shape: [steps, 10] });  // 2-D, C order
 * ```
 */
export function toNPY(data: ColumnArray, options: NpyOptions = {}): Uint8Array {
  const o = strictOptions('toNPY', 'options', options, NPY_KEYS);
  if (!ArrayBuffer.isView(data) || data instanceof DataView)
    throw new ValidationError('data', 'a typed array (Float64Array, Float32Array, Int32Array, Uint32Array, Uint8Array, …)', data);
  const shape = checkShape(o.shape, data.length);
  const h = npyHeader(npyDescr(data), shape);
  const out = new Uint8Array(h.length + data.byteLength);
  out.set(h);
  out.set(littleEndianBytes(data), h.length);
  return out;
}

/**
 * Several arrays as an NPZ archive (`numpy.load(f)[name]`), stored uncompressed like
 * `numpy.savez`. Extra non-array members (e.g. `meta.json`) can be added as bytes.
 */
export function toNPZArrays(arrays: Record<string, ColumnArray>, extra: Record<string, Uint8Array> = {}): Uint8Array {
  const members: { name: string; data: Uint8Array }[] = [];
  for (const [name, a] of Object.entries(arrays)) members.push({ name: `${name}.npy`, data: toNPY(a) });
  for (const [name, b] of Object.entries(extra)) members.push({ name, data: b });
  return zipStored(members);
}

/** An array read from NPY bytes: the typed array (a copy) and its shape. */
export interface NpyArray {
  /** The values in C order. */
  data: ColumnArray;
  /** The shape. */
  shape: number[];
}

const CTORS: Record<string, new (b: ArrayBuffer) => ColumnArray> = {
  '<f8': Float64Array,
  '<f4': Float32Array,
  '<i4': Int32Array,
  '<u4': Uint32Array,
  '<i2': Int16Array,
  '<u2': Uint16Array,
  '|i1': Int8Array,
  '|u1': Uint8Array,
  '<i1': Int8Array,
  '<u1': Uint8Array,
};

/** Reads an NPY file (versions 1.0–3.0, little-endian numeric dtypes of {@link npyDescr}, C order). */
export function fromNPY(bytes: Uint8Array): NpyArray {
  if (!(bytes instanceof Uint8Array) || bytes.length < 10 || bytes[0] !== 0x93 || String.fromCharCode(...bytes.subarray(1, 6)) !== 'NUMPY')
    throw new ValidationError('bytes', 'an NPY file (magic \\x93NUMPY)', bytes);
  const major = bytes[6];
  const hl = major === 1 ? bytes[8] | (bytes[9] << 8) : new DataView(bytes.buffer, bytes.byteOffset + 8, 4).getUint32(0, true);
  const start = major === 1 ? 10 : 12;
  const header = new TextDecoder().decode(bytes.subarray(start, start + hl));
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1] ?? '';
  const fortran = /'fortran_order':\s*True/.test(header);
  const shapeTxt = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1] ?? '';
  const shape = shapeTxt
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map(Number);
  const C = CTORS[descr];
  if (!C) throw new ValidationError('bytes', `an NPY array of dtype ${Object.keys(CTORS).join(', ')}`, descr);
  if (fortran && shape.length > 1) throw new ValidationError('bytes', 'an NPY array in C order', 'fortran_order: True');
  const n = shape.reduce((a, b) => a * b, 1);
  const off = start + hl;
  const data = new C(bytes.slice(off, off + n * new C(new ArrayBuffer(0)).BYTES_PER_ELEMENT).buffer);
  return { data, shape };
}
