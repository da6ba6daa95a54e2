/**
 * Bit-exact fingerprints of numeric results, for reproducibility checks across runtimes,
 * worker counts and chunkings.
 * @packageDocumentation
 */

import { ValidationError } from './errors.js';

/**
 * 64-bit FNV-1a over the IEEE-754 bytes of the given arrays (little-endian), as 16 hex digits.
 * Two results have the same fingerprint only if they are bit-identical (up to hash collisions).
 */
export function fingerprint(...arrays: ArrayLike<number>[]): string {
  // Two 32-bit halves of a 64-bit FNV-1a state, multiplied with 16-bit limbs via Math.imul.
  let h0 = 0x84222325;
  let h1 = 0xcbf29ce4;
  const f = new Float64Array(1);
  const b = new Uint8Array(f.buffer);
  arrays.forEach((a, j) => {
    if (!(Array.isArray(a) || (ArrayBuffer.isView(a) && !(a instanceof DataView))))
      throw new ValidationError(`arrays[${j}]`, 'an array or typed array of numbers', a);
  });
  for (const a of arrays) {
    const bytes =
      a instanceof Float64Array ||
      a instanceof Float32Array ||
      a instanceof Int32Array ||
      a instanceof Uint32Array ||
      a instanceof Uint8Array
        ? new Uint8Array(a.buffer, a.byteOffset, a.byteLength)
        : null;
    const n = bytes ? bytes.length : a.length * 8;
    for (let i = 0; i < n; i++) {
      let byte: number;
      if (bytes) byte = bytes[i];
      else {
        if ((i & 7) === 0) f[0] = a[i >> 3];
        byte = b[i & 7];
      }
      h0 ^= byte;
      // (h1:h0) *= 0x100000001b3
      const lo = h0 & 0xffff;
      const hi = h0 >>> 16;
      const t0 = lo * 0x1b3;
      const t1 = hi * 0x1b3 + (t0 >>> 16);
      const n1 = Math.imul(h1, 0x1b3) + (t1 >>> 16) + (h0 << 8);
      h0 = ((t1 & 0xffff) << 16) | (t0 & 0xffff);
      h1 = n1 >>> 0;
      h0 >>>= 0;
    }
  }
  return h1.toString(16).padStart(8, '0') + h0.toString(16).padStart(8, '0');
}
