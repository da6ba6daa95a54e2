/**
 * HDF5 through `h5wasm` (the HDF5 C library compiled to WebAssembly), loaded lazily on the first
 * HDF5 call so that users who never write SONATA, NWB or NIR never load it. In Node the
 * `h5wasm/node` build works on real files (Emscripten NODERAWFS); in Deno and browsers the
 * default ESM build works in an in-memory file system, and the bytes are read back at close (a
 * file is then written with `node:fs` in Deno, or returned for a download in a browser).
 * `h5wasm` is a dependency of the package, not bundled: a browser page without a bundler needs an
 * import map entry `"h5wasm": ".../node_modules/h5wasm/dist/esm/hdf5_hl.js"`.
 * @packageDocumentation
 */
import { NeurodynError, ValidationError } from '../kernel/errors.js';
import { loadFs, readBytes } from './bytes.js';

/** The parts of h5wasm's API neurodyn uses (see h5wasm's `hdf5_hl.d.ts`). */
export interface H5Attr {
  value: unknown;
  dtype: unknown;
  shape: number[] | null;
}
/** An h5wasm group or file. */
export interface H5Group {
  path: string;
  keys(): string[];
  get(name: string): H5Group | H5Dataset | null;
  create_group(name: string): H5Group;
  create_dataset(args: {
    name: string;
    data: unknown;
    shape?: number[] | null;
    dtype?: string | null;
    maxshape?: (number | null)[] | null;
    chunks?: number[] | null;
  }): H5Dataset;
  create_attribute(name: string, data: unknown, shape?: number[] | null, dtype?: string | null): void;
  create_reference(): unknown;
  get attrs(): Record<string, H5Attr>;
}
/** An h5wasm dataset. */
export interface H5Dataset {
  path: string;
  get value(): unknown;
  get shape(): number[] | null;
  get dtype(): unknown;
  get attrs(): Record<string, H5Attr>;
  create_attribute(name: string, data: unknown, shape?: number[] | null, dtype?: string | null): void;
  create_reference(): unknown;
  resize(shape: number[]): number;
  write_slice(ranges: [number, number][], data: unknown): void;
}
/** An open h5wasm file. */
export interface H5File extends H5Group {
  flush(): void;
  close(): number;
}
interface H5Module {
  File: new (name: string, mode: string) => H5File;
  Dataset: new (...a: never[]) => H5Dataset;
  Group: new (...a: never[]) => H5Group;
  ready: Promise<{ FS: { readFile(p: string): Uint8Array; writeFile(p: string, b: Uint8Array): void; unlink(p: string): void } }>;
}

interface Loaded {
  h5: H5Module;
  fs: { readFile(p: string): Uint8Array; writeFile(p: string, b: Uint8Array): void; unlink(p: string): void };
  /** true: files are real files (Node); false: an in-memory file system. */
  real: boolean;
}

let loading: Promise<Loaded> | null = null;

/** True in Node itself (not Deno, which also defines `process`). */
function isNode(): boolean {
  const g = globalThis as { process?: { versions?: { node?: string } }; Deno?: unknown };
  return !!g.process?.versions?.node && g.Deno === undefined;
}

/** Loads h5wasm once (the Node build in Node, the ESM build elsewhere). */
export function loadH5(): Promise<Loaded> {
  loading ??= (async () => {
    const real = isNode();
    // The Node build's specifier sits in a variable so that browser bundlers never try to bundle
    // it; the ESM build is a literal so that they resolve it (rollup keeps both external).
    const nodeSpec = 'h5wasm/node';
    const spec = real ? nodeSpec : 'h5wasm';
    let mod: { default?: H5Module } & H5Module;
    try {
      mod = real ? await import(/* @vite-ignore */ nodeSpec) : await import('h5wasm');
    } catch (e) {
      loading = null;
      throw new ValidationError('h5wasm', `the h5wasm package importable as '${spec}' (a dependency of neurodyn)`, String(e));
    }
    const h5 = (mod.File ? mod : mod.default) as H5Module;
    const { FS } = await h5.ready;
    return { h5, fs: FS, real };
  })();
  return loading;
}

let counter = 0;

/** A file being written: `close()` finishes it and returns its bytes when it lives in memory. */
export interface H5Writer {
  /** The open file. */
  file: H5File;
  /** Closes the file; writes it to `path` (Deno) or returns its bytes (no path). */
  close(): Uint8Array | undefined;
}

/**
 * Opens an HDF5 file for writing: a real file in Node, in memory elsewhere (written to `path`
 * with `node:fs` at close in Deno; returned as bytes when there is no path).
 */
export async function openH5Writer(path: string | undefined): Promise<H5Writer> {
  const { h5, fs, real } = await loadH5();
  if (path !== undefined && (typeof path !== 'string' || path === '')) throw new ValidationError('path', 'a non-empty file path', path);
  const nodeFs = path !== undefined && !real ? await loadFs() : null;
  let name = path !== undefined && real ? path : `/neurodyn-${++counter}.h5`;
  if (path === undefined && real) {
    // NODERAWFS: '/neurodyn-1.h5' would be a real file at the root (shared by every process, and
    // not writable for most users): an in-memory file goes through a temporary file of this process.
    const os = await import('node:os');
    const p = await import('node:path');
    name = p.join(os.tmpdir(), `neurodyn-${process.pid}-w${counter}.h5`);
  }
  const file = new h5.File(name, 'w');
  let done = false;
  return {
    file,
    close() {
      if (done) return undefined;
      done = true;
      file.close();
      if (path !== undefined && real) return undefined;
      const bytes = fs.readFile(name);
      fs.unlink(name);
      if (nodeFs && path !== undefined) {
        nodeFs.writeFileSync(path, bytes);
        return undefined;
      }
      return bytes;
    },
  };
}

/**
 * Opens an HDF5 file for reading from a path (Node, Deno) or from bytes (every runtime), calls
 * `f` and closes the file.
 */
export async function withH5Reader<T>(source: string | Uint8Array | ArrayBuffer, f: (file: H5File) => T): Promise<T> {
  const { h5, fs, real } = await loadH5();
  let name: string;
  let temp: string | null = null;
  let tempFs: Awaited<ReturnType<typeof loadFs>> | null = null;
  if (typeof source === 'string' && real) name = source;
  else {
    const bytes = await readBytes(source);
    if (real) {
      // NODERAWFS: bytes go through a temporary file.
      tempFs = await loadFs();
      const os = await import('node:os');
      const p = await import('node:path');
      name = p.join(os.tmpdir(), `neurodyn-${process.pid}-${++counter}.h5`);
      tempFs.writeFileSync(name, bytes);
      temp = name;
    } else {
      name = `/neurodyn-${++counter}.h5`;
      fs.writeFile(name, bytes);
      temp = name;
    }
  }
  if (real && tempFs === null) {
    const nfs = await loadFs();
    if (!nfs.existsSync(name)) throw new ValidationError('source', 'an existing HDF5 file', name);
  }
  let file: H5File;
  try {
    file = new h5.File(name, 'r');
  } catch (e) {
    throw new ValidationError('source', 'an HDF5 file', `${typeof source === 'string' ? source : 'bytes'} (${String(e)})`);
  }
  try {
    return f(file);
  } catch (e) {
    // h5wasm reports a malformed file as a plain Error from its C library
    if (e instanceof NeurodynError) throw e;
    throw new ValidationError('source', 'a readable HDF5 file', `${typeof source === 'string' ? source : 'bytes'} (${String(e)})`);
  } finally {
    file.close();
    if (temp !== null) {
      if (tempFs) tempFs.unlinkSync(temp);
      else fs.unlink(temp);
    }
  }
}

/** Creates (or returns) the group at a `/`-separated path, one level at a time. */
export function ensureGroup(root: H5Group, path: string): H5Group {
  let g = root;
  for (const part of path.split('/').filter((s) => s !== '')) {
    const next = g.keys().includes(part) ? g.get(part) : null;
    g = (next as H5Group | null) ?? g.create_group(part);
  }
  return g;
}

/** Reads a dataset at a path, or null when it is absent. */
export function getDataset(root: H5Group, path: string): H5Dataset | null {
  const parts = path.split('/').filter((s) => s !== '');
  let g: H5Group = root;
  for (let i = 0; i < parts.length - 1; i++) {
    if (!g.keys().includes(parts[i])) return null;
    g = g.get(parts[i]) as H5Group;
  }
  const last = parts[parts.length - 1];
  return g.keys().includes(last) ? (g.get(last) as H5Dataset) : null;
}

/** A string read from an HDF5 value (vlen or fixed string, or bytes). */
export function h5String(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v instanceof Uint8Array) return new TextDecoder().decode(v).replace(/\0+$/, '');
  if (Array.isArray(v) && v.length === 1) return h5String(v[0]);
  return String(v);
}
