/**
 * A minimal ZIP writer (PKWARE APPNOTE 6.3: local file headers, stored data, central directory,
 * end-of-central-directory record), enough for NumPy's NPZ: members are stored (method 0), with
 * their CRC-32, and a fixed timestamp (1980-01-01 00:00) so equal inputs give equal bytes.
 * Archives and members up to 4 GiB − 1 (no ZIP64).
 * @packageDocumentation
 */
import { ValidationError } from '../kernel/errors.js';
import { checkInteger } from '../kernel/validate.js';
import { utf8 } from './bytes.js';

let table: Uint32Array | null = null;

/** CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320) of `data`, continuing from `crc`. */
export function crc32(data: Uint8Array, crc = 0): number {
  if (!(data instanceof Uint8Array)) throw new ValidationError('data', 'a Uint8Array', data);
  checkInteger('crc', crc, 0, 0xffffffff);
  if (!table) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  let c = ~crc >>> 0;
  for (let i = 0; i < data.length; i++) c = table[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}

const DOS_DATE = (0 << 9) | (1 << 5) | 1; // 1980-01-01

/** A ZIP archive of `members`, each stored uncompressed. */
export function zipStored(members: readonly { name: string; data: Uint8Array }[]): Uint8Array {
  const parts: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const m of members) {
    const name = utf8(m.name);
    const crc = crc32(m.data);
    const size = m.data.length;
    if (size > 0xfffffffe || offset > 0xfffffffe)
      throw new ValidationError(`members.${m.name}`, 'a member and archive under 4 GiB (no ZIP64)', `${size} bytes`);
    const lh = new DataView(new ArrayBuffer(30));
    lh.setUint32(0, 0x04034b50, true);
    lh.setUint16(4, 20, true); // version needed: 2.0
    lh.setUint16(6, 0x0800, true); // UTF-8 names
    lh.setUint16(8, 0, true); // stored
    lh.setUint16(10, 0, true);
    lh.setUint16(12, DOS_DATE, true);
    lh.setUint32(14, crc, true);
    lh.setUint32(18, size, true);
    lh.setUint32(22, size, true);
    lh.setUint16(26, name.length, true);
    lh.setUint16(28, 0, true);
    const cd = new DataView(new ArrayBuffer(46));
    cd.setUint32(0, 0x02014b50, true);
    cd.setUint16(4, 20, true); // made by
    cd.setUint16(6, 20, true);
    cd.setUint16(8, 0x0800, true);
    cd.setUint16(10, 0, true);
    cd.setUint16(12, 0, true);
    cd.setUint16(14, DOS_DATE, true);
    cd.setUint32(16, crc, true);
    cd.setUint32(20, size, true);
    cd.setUint32(24, size, true);
    cd.setUint16(28, name.length, true);
    cd.setUint32(42, offset, true);
    parts.push(new Uint8Array(lh.buffer), name, m.data);
    central.push(new Uint8Array(cd.buffer), name);
    offset += 30 + name.length + size;
  }
  const cdSize = central.reduce((s, p) => s + p.length, 0);
  const end = new DataView(new ArrayBuffer(22));
  end.setUint32(0, 0x06054b50, true);
  end.setUint16(8, members.length, true);
  end.setUint16(10, members.length, true);
  end.setUint32(12, cdSize, true);
  end.setUint32(16, offset, true);
  const all = [...parts, ...central, new Uint8Array(end.buffer)];
  const out = new Uint8Array(all.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of all) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Members of a stored (method 0) ZIP archive such as an NPZ written by {@link zipStored} or `numpy.savez`. */
export function unzipStored(zip: Uint8Array): Map<string, Uint8Array> {
  if (!(zip instanceof Uint8Array)) throw new ValidationError('zip', 'a Uint8Array (the bytes of a ZIP archive)', zip);
  try {
    return unzipMembers(zip);
  } catch (e) {
    // a directory entry pointing outside the bytes: a truncated or corrupted archive
    if (e instanceof RangeError)
      throw new ValidationError('zip', 'a well-formed ZIP archive (an entry points outside the data)', `${zip.length} bytes`);
    throw e;
  }
}

function unzipMembers(zip: Uint8Array): Map<string, Uint8Array> {
  const dv = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  let e = zip.length - 22;
  while (e >= 0 && dv.getUint32(e, true) !== 0x06054b50) e--;
  if (e < 0) throw new ValidationError('zip', 'a ZIP archive (end of central directory record)', `${zip.length} bytes without one`);
  const n = dv.getUint16(e + 10, true);
  let p = dv.getUint32(e + 16, true);
  const out = new Map<string, Uint8Array>();
  const dec = new TextDecoder();
  for (let k = 0; k < n; k++) {
    const method = dv.getUint16(p + 10, true);
    const size = dv.getUint32(p + 20, true);
    const nl = dv.getUint16(p + 28, true);
    const xl = dv.getUint16(p + 30, true);
    const cl = dv.getUint16(p + 32, true);
    const lo = dv.getUint32(p + 42, true);
    const name = dec.decode(zip.subarray(p + 46, p + 46 + nl));
    if (method !== 0) throw new ValidationError(`zip.${name}`, 'a stored member (numpy.savez, not savez_compressed)', `method ${method}`);
    const start = lo + 30 + dv.getUint16(lo + 26, true) + dv.getUint16(lo + 28, true);
    out.set(name, zip.subarray(start, start + size));
    p += 46 + nl + xl + cl;
  }
  return out;
}
