/**
 * Where exported bytes go: a growable buffer in memory (every runtime; a `Blob` for a browser
 * download) or a file (Node and Deno, through `node:fs`, loaded only when a path is given).
 * Writers are synchronous once open, so a monitor can write from inside a synchronous `run`.
 * @packageDocumentation
 */
import { ValidationError } from '../kernel/errors.js';

/** A byte destination with random access (headers are rewritten in place as data grows). */
export interface ByteWriter {
  /** Bytes written so far (the end of the data). */
  readonly size: number;
  /** Appends bytes at the end. */
  append(bytes: Uint8Array): void;
  /** Overwrites bytes at `offset` (inside what was written, or growing it). */
  writeAt(offset: number, bytes: Uint8Array): void;
  /** Flushes and releases the destination; later writes throw. */
  close(): void;
}

/** Largest in-memory file of a {@link MemoryWriter} (bytes). */
const MAX_MEMORY_FILE = 2 ** 31 - 1;

/** A {@link ByteWriter} that keeps the bytes in memory. */
export class MemoryWriter implements ByteWriter {
  #buf = new Uint8Array(1024);
  #size = 0;
  #closed = false;

  get size(): number {
    return this.#size;
  }

  #reserve(end: number): void {
    if (end <= this.#buf.length) return;
    let cap = this.#buf.length;
    while (cap < end) cap *= 2;
    const b = new Uint8Array(cap);
    b.set(this.#buf.subarray(0, this.#size));
    this.#buf = b;
  }

  append(bytes: Uint8Array): void {
    this.writeAt(this.#size, bytes);
  }

  /** Writes `bytes` at byte `offset` (an integer in [0, 2^31 − bytes.length]: in-memory files stay below 2 GiB). */
  writeAt(offset: number, bytes: Uint8Array): void {
    if (this.#closed) throw new ValidationError('writer', 'an open writer', 'a closed writer');
    if (!(bytes instanceof Uint8Array)) throw new ValidationError('bytes', 'a Uint8Array', bytes);
    if (typeof offset !== 'number' || !Number.isInteger(offset) || offset < 0 || offset + bytes.length > MAX_MEMORY_FILE)
      throw new ValidationError(
        'offset',
        `an integer in [0, ${MAX_MEMORY_FILE - bytes.length}] (in-memory files stay below 2 GiB)`,
        offset,
      );
    this.#reserve(offset + bytes.length);
    this.#buf.set(bytes, offset);
    this.#size = Math.max(this.#size, offset + bytes.length);
  }

  close(): void {
    this.#closed = true;
  }

  /** A copy of the bytes written so far. */
  bytes(): Uint8Array {
    return this.#buf.slice(0, this.#size);
  }

  /** The bytes as a `Blob` (for a browser download: `URL.createObjectURL(w.blob(type))`). */
  blob(type = 'application/octet-stream'): Blob {
    if (typeof type !== 'string') throw new ValidationError('type', "a MIME type string (e.g. 'text/csv')", type);
    return new Blob([this.bytes() as Uint8Array<ArrayBuffer>], { type });
  }
}

type NodeFs = typeof import('node:fs');
let fsModule: NodeFs | null = null;

/** `node:fs` (Node, Deno); a clear error in a browser. */
export async function loadFs(): Promise<NodeFs> {
  if (fsModule) return fsModule;
  try {
    fsModule = (await import('node:fs')) as NodeFs;
  } catch {
    throw new ValidationError(
      'path',
      'no file path in a browser: pass no path to get the bytes in memory (a Blob for a download)',
      'a file path',
    );
  }
  return fsModule;
}

/** A {@link ByteWriter} on a file (Node, Deno with `--allow-write`); truncates an existing file. */
export class FileWriter implements ByteWriter {
  readonly path: string;
  readonly #fs: NodeFs;
  #fd: number;
  #size = 0;

  /** @internal use {@link openFileWriter} */
  constructor(fs: NodeFs, path: string) {
    this.#fs = fs;
    this.path = path;
    this.#fd = fs.openSync(path, 'w');
  }

  get size(): number {
    return this.#size;
  }

  append(bytes: Uint8Array): void {
    this.writeAt(this.#size, bytes);
  }

  writeAt(offset: number, bytes: Uint8Array): void {
    if (this.#fd < 0) throw new ValidationError('writer', 'an open writer', 'a closed writer');
    let done = 0;
    while (done < bytes.length) done += this.#fs.writeSync(this.#fd, bytes, done, bytes.length - done, offset + done);
    this.#size = Math.max(this.#size, offset + bytes.length);
  }

  close(): void {
    if (this.#fd < 0) return;
    this.#fs.closeSync(this.#fd);
    this.#fd = -1;
  }
}

/** Opens a {@link FileWriter} (loads `node:fs` on first use). */
export async function openFileWriter(path: string): Promise<FileWriter> {
  checkPath('path', path);
  return new FileWriter(await loadFs(), path);
}

/** A non-empty string path. */
export function checkPath(name: string, path: unknown): string {
  if (typeof path !== 'string' || path === '') throw new ValidationError(name, 'a non-empty file path', path);
  return path;
}

/** Writes bytes to a file (Node, Deno). */
export async function writeFileBytes(path: string, bytes: Uint8Array): Promise<void> {
  checkPath('path', path);
  (await loadFs()).writeFileSync(path, bytes);
}

/** Bytes of a file (Node, Deno), or the bytes themselves when given bytes. */
export async function readBytes(source: string | Uint8Array | ArrayBuffer, name = 'source'): Promise<Uint8Array> {
  if (source instanceof Uint8Array) return source;
  if (source instanceof ArrayBuffer) return new Uint8Array(source);
  checkPath(name, source);
  const fs = await loadFs();
  const b = fs.readFileSync(source);
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

/** UTF-8 bytes of a string. */
export function utf8(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}
