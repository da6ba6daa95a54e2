/**
 * User trial modules: resolving a module reference to a URL, importing it (once per thread), and
 * the two rules that make a trial's row the same wherever it runs: errors travel as
 * `{ name, message }`, values as structured clones (a result object with `toJSON()` travels as
 * its JSON form).
 * @packageDocumentation
 */
import { ValidationError } from '../kernel/errors.js';
import type { TaskFn } from './types.js';

declare const Deno: { cwd(): string } | undefined;

/** A task reference checked and resolved: the function name and, for a user module, its URL. */
export interface ResolvedTask {
  /** Name of the task (a table entry or the module's export). */
  name: string;
  /** Absolute URL of the user module, or undefined for the package's tables. */
  module?: string;
  /** How messages name it: `'core.normals'` or `'rate' of file:///…/trials.mjs`. */
  label: string;
}

function isUrlLike(v: unknown): v is URL {
  return typeof v === 'object' && v !== null && typeof (v as URL).href === 'string' && typeof (v as URL).protocol === 'string';
}

/** The current directory as a `file:` URL ending in `/` (Node, Deno), or undefined (browsers). */
function cwdUrl(): string | undefined {
  let cwd: string | undefined;
  if (typeof Deno !== 'undefined' && typeof Deno.cwd === 'function') cwd = Deno.cwd();
  else if (typeof process !== 'undefined' && typeof process.cwd === 'function') cwd = process.cwd();
  if (cwd === undefined) return undefined;
  let p = cwd.replace(/\\/g, '/');
  if (!p.startsWith('/')) p = `/${p}`; // Windows drive letters
  if (!p.endsWith('/')) p += '/';
  // Percent-encode what a URL parser would read as syntax, keep the separators.
  return `file://${p.split('/').map(encodeURIComponent).join('/')}`;
}

/** The absolute URL of a user module given as a URL or a path. */
export function moduleHref(name: string, m: unknown): string {
  if (isUrlLike(m)) return m.href;
  if (typeof m !== 'string' || m.length === 0) throw new ValidationError(name, 'a URL or a path of an ES module', m);
  // An absolute URL (but not a Windows path such as C:\trials.mjs).
  if (/^[a-z][a-z0-9+.-]+:/i.test(m) && !/^[a-z]:[\\/]/i.test(m)) {
    try {
      return new URL(m).href;
    } catch {
      throw new ValidationError(name, 'a URL or a path of an ES module', m);
    }
  }
  const loc = (globalThis as { location?: { href: string } }).location;
  const base = loc?.href ?? cwdUrl();
  if (!base) throw new ValidationError(name, 'an absolute URL (no current directory or page address to resolve a path against)', m);
  if (/^[a-z]:[\\/]/i.test(m)) return `file:///${m.replace(/\\/g, '/').split('/').map(encodeURIComponent).join('/')}`.replace('%3A', ':');
  const path = m
    .replace(/\\/g, '/')
    .split('/')
    .map((s) => (s === '.' || s === '..' ? s : encodeURIComponent(s)))
    .join('/');
  return new URL(path, base).href;
}

const TASK_REF_KEYS = ['module', 'task'];

/** Checks a task reference (a table name or `{ module, task }`) and resolves a module's URL. */
export function resolveTaskRef(name: string, task: unknown): ResolvedTask {
  if (typeof task === 'string') {
    if (task.length === 0) throw new ValidationError(name, 'a task name or { module, task }', task);
    return { name: task, label: `'${task}'` };
  }
  if (task === null || typeof task !== 'object' || Array.isArray(task))
    throw new ValidationError(name, "a task name (e.g. 'core.normals') or a user module { module, task }", task);
  for (const k of Object.keys(task)) {
    if (!TASK_REF_KEYS.includes(k))
      throw new ValidationError(`${name}.${k}`, 'a key of { module, task }', k, `unknown key '${k}' in ${name}; expected { module, task }`);
  }
  const t = task as { module?: unknown; task?: unknown };
  const href = moduleHref(`${name}.module`, t.module);
  const fn = t.task ?? 'default';
  if (typeof fn !== 'string' || fn.length === 0) throw new ValidationError(`${name}.task`, 'the name of an exported function', fn);
  return { name: fn, module: href, label: `'${fn}' of ${href}` };
}

/** Names of the functions a module exports, sorted. */
export function exportedFunctions(mod: Record<string, unknown>): string[] {
  return Object.keys(mod)
    .filter((k) => typeof mod[k] === 'function')
    .sort();
}

const cache = new Map<string, Promise<Record<string, unknown>>>();

/** Imports a module once per thread (a failed import is retried next time). */
export function importModule(href: string): Promise<Record<string, unknown>> {
  let p = cache.get(href);
  if (!p) {
    p = import(/* @vite-ignore */ /* webpackIgnore: true */ href) as Promise<Record<string, unknown>>;
    cache.set(href, p);
    p.catch(() => cache.delete(href));
  }
  return p;
}

/** The function `task` names in its module (or throws a ValidationError listing the exports). */
export async function moduleFunction(name: string, task: ResolvedTask): Promise<TaskFn> {
  let mod: Record<string, unknown>;
  try {
    mod = await importModule(task.module as string);
  } catch (e) {
    throw new ValidationError(
      `${name}.module`,
      'an ES module that can be imported',
      task.module,
      `cannot import trial module ${task.module}: ${(e as Error)?.message ?? String(e)}`,
    );
  }
  const fn = mod[task.name];
  if (typeof fn !== 'function') {
    const names = exportedFunctions(mod);
    throw new ValidationError(
      `${name}.task`,
      `a function exported by ${task.module} (${names.join(', ') || 'it exports none'})`,
      task.name,
    );
  }
  return fn as TaskFn;
}

/**
 * The form in which a trial's value leaves the trial: a result object with `toJSON()` (a
 * `Table`, a `Result`) becomes its JSON form; everything else is kept and structured-cloned.
 */
export function portable(v: unknown): unknown {
  if (v !== null && typeof v === 'object' && !Array.isArray(v) && !ArrayBuffer.isView(v)) {
    const proto = Object.getPrototypeOf(v);
    const toJSON = (v as { toJSON?: unknown }).toJSON;
    if (proto !== Object.prototype && proto !== null && typeof toJSON === 'function') return (v as { toJSON(): unknown }).toJSON();
  }
  return v;
}

/** An error as it travels between threads. */
export function errorRecord(e: unknown): { name: string; message: string } {
  if (e !== null && typeof e === 'object') {
    const x = e as { name?: unknown; message?: unknown };
    return { name: typeof x.name === 'string' ? x.name : 'Error', message: typeof x.message === 'string' ? x.message : String(e) };
  }
  return { name: 'Error', message: String(e) };
}
