// The fuzz driver: runs the cases of one family in this process and reports each on stdout, so that
// the parent (test/fuzz/run.mjs) can time every call, kill this process when a call hangs, and
// restart after a process abort (a V8 out-of-memory trap kills the process).
//
//   node test/fuzz/driver.mjs --family fp [--from K | --case K] [--runs R] [--systematic all|N] [--seed S]
//
// Protocol, one line each: `B k ms name` before case k (ms: its time bound), `E k outcome` after
// it, `S {json}` a sample worth reporting, `D` when the family is done. Outcomes: `ok` (finite
// result), `typed:<ErrorClass>`, `raw:<ErrorClass>`, `nonfinite`, `leak`, `broken` (the kernel
// canary changed), `badtyped` (a ValidationError without argument/expected), `baseline` (the
// registry's valid call failed), `setup` (the object for a method could not be made).
import { writeSync } from 'node:fs';
import * as nd from '../../dist/index.js';
import { canary, DEFAULT_MAX_MS, entries, invoke, release } from '../contract/registry.mjs';
import { randomCases, setPath, show, systematicCases } from './hostile.mjs';

const argv = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : dflt;
};
const family = opt('family');
const from = Number(opt('from', '0'));
const runs = Number(opt('runs', '4'));
const systematic = opt('systematic', '3');
const seed = Number(opt('seed', '16'));
const only = opt('entry');
const single = opt('case'); // run only this case index (to reproduce one)

// stdout is a pipe to the parent: when the parent is slow (a loaded machine) the pipe fills and a
// write fails with EAGAIN; wait a little and write the rest (a lost line would look like an abort)
const pause = new Int32Array(new SharedArrayBuffer(4));
const out = (s) => {
  const b = Buffer.from(`${s}\n`);
  for (let off = 0; off < b.length; ) {
    try {
      off += writeSync(1, b, off);
    } catch (e) {
      if (e?.code !== 'EAGAIN') throw e;
      Atomics.wait(pause, 0, 0, 5);
    }
  }
};

/** All cases of the family, in a fixed order: [entry, mutations | null (the valid call)]. */
function cases() {
  const list = [];
  let e = 0;
  for (const entry of entries(family)) {
    e++;
    if (only && entry.name !== only) continue;
    list.push([entry, null]);
    if (entry.spec.noFuzz) continue;
    const args = entry.spec.args();
    let sys = systematicCases(args, entry.spec.fixed);
    // In-suite budget: every N-th systematic case, rotating with the entry so that all are covered across entries.
    if (systematic !== 'all') {
      const n = Number(systematic);
      sys = sys.filter((_, i) => (i + e) % n === 0);
    }
    for (const m of sys) list.push([entry, m]);
    for (const m of randomCases(args, runs, seed * 7919 + e, entry.spec.fixed)) list.push([entry, m]);
    for (const a of args) release(a);
  }
  return list;
}

/**
 * The first non-finite number reachable in a result (typed arrays, arrays, objects, tables), up to a
 * budget. With `nanOk` (the entry documents NaN results: no data), NaN passes and only ±∞ counts.
 */
function nonFinitePath(v, path = 'result', seen = new Set(), depth = 0, nanOk = false, infOk = []) {
  const bad = (x) => !Number.isFinite(x) && !(nanOk && Number.isNaN(x));
  if (typeof v === 'number') return bad(v) && !(Math.abs(v) === Infinity && infOk.some((s) => path.endsWith(s))) ? `${path} = ${v}` : null;
  if (v === null || typeof v !== 'object' || seen.has(v) || depth > 6) return null;
  seen.add(v);
  if (ArrayBuffer.isView(v)) {
    if (v instanceof Float64Array || v instanceof Float32Array) {
      for (let i = 0; i < v.length; i++) if (bad(v[i])) return `${path}[${i}] = ${v[i]}`;
    }
    return null;
  }
  if (v instanceof nd.Table) {
    for (const c of v.columnNames()) {
      const r = nonFinitePath(v.column(c).data, `${path}.${c}`, seen, depth + 1, nanOk, infOk);
      if (r) return r;
    }
    return null;
  }
  if (v instanceof nd.KernelObject || v instanceof nd.Region || v instanceof nd.WorkerPool) return null;
  const items = Array.isArray(v) ? v.entries() : Object.entries(v);
  let n = 0;
  for (const [k, x] of items) {
    if (n++ > 10_000) break;
    const r = nonFinitePath(x, `${path}.${k}`, seen, depth + 1, nanOk, infOk);
    if (r) return r;
  }
  return null;
}

/**
 * Long-running calls accept work up to documented limits (steps × size, events, iterations) that
 * can take a minute; the fuzz suite does not wait for that. Unless the case itself replaces the
 * run options, a watchdog in `onProgress` aborts the call after WATCH_MS: a call that accepted
 * big work must report progress and stop on the abort (a typed AbortedError); one that does
 * neither runs into the parent's time bound and counts as a hang.
 */
const WATCH_MS = Number(process.env.NEURODYN_FUZZ_WATCH_MS ?? (process.env.NEURODYN_FUZZ_RUNS ? 2000 : 500));
// Async calls are also aborted from a timer (the contract: a timer-fired abort stops them): a study
// whose progress counts trials reports nothing while one long trial runs.
let watchTimer;
function watch(entry, args, muts) {
  // the registry's valid call is small: no watchdog (a loaded machine must not fail it)
  if (!entry.spec.long || !muts) return;
  const i = entry.spec.runOptions ?? entry.spec.options;
  const o = args[i];
  if (o !== undefined && (o === null || typeof o !== 'object' || Array.isArray(o))) return;
  if (muts?.some((m) => m.path[0] === i && (m.path.length === 1 || m.path[1] === 'signal' || m.path[1] === 'onProgress'))) return;
  const ac = new AbortController();
  const t0 = performance.now();
  if (entry.spec.long === 'async') watchTimer = setTimeout(() => ac.abort(), WATCH_MS);
  const user = o?.onProgress;
  args[i] = {
    ...o,
    signal: ac.signal,
    onProgress: (p) => {
      user?.(p);
      if (performance.now() - t0 > WATCH_MS) ac.abort();
    },
  };
}

const expectedCanary = canary();
const list = cases();
out(`N ${list.length}`);
for (let k = single ? Number(single) : from; k < (single ? Number(single) + 1 : list.length); k++) {
  const [entry, muts] = list[k];
  const bound = entry.spec.maxMs ?? DEFAULT_MAX_MS;
  out(`B ${k} ${bound} ${entry.name} ${muts ? muts.map((m) => `${m.path.join('.')}=${show(m.value)}`).join(' ') : 'valid call'}`);
  const before = nd.kernelMemory();
  let obj;
  let args;
  let original = [];
  let outcome;
  let sample;
  const what = () => (muts ? muts.map((m) => `${m.path.join('.')}=${show(m.value)}`).join(' ') : 'valid call');
  try {
    obj = await entry.setup?.();
  } catch (e) {
    outcome = 'setup';
    sample = { entry: entry.name, error: `${e?.constructor?.name}: ${e?.message}` };
  }
  if (!outcome) {
    let result;
    try {
      args = entry.spec.args();
      original = [...args]; // kernel objects a mutation replaces are released too
      if (muts) for (const m of muts) setPath(args, m.path, m.value);
      watch(entry, args, muts);
      result = invoke(entry, obj, args);
      if (result && typeof result.then === 'function') result = await result;
      const nf = entry.spec.anyValue
        ? null
        : nonFinitePath(result, 'result', new Set(), 0, Boolean(entry.spec.nonFinite), Object.keys(entry.spec.infinite ?? {}));
      if (nf) {
        outcome = muts ? 'nonfinite' : 'baseline';
        sample = { entry: entry.name, case: what(), found: nf };
      } else outcome = 'ok';
    } catch (e) {
      const cls = e?.constructor?.name ?? typeof e;
      if (!muts) {
        outcome = 'baseline';
        sample = { entry: entry.name, error: `${cls}: ${e?.message}` };
      } else if (e instanceof nd.NeurodynError && !(e instanceof nd.KernelAbortError)) {
        outcome = `typed:${cls}`;
        if (e instanceof nd.ValidationError && (!e.argument || !e.expected || !('received' in e))) {
          outcome = 'badtyped';
          sample = { entry: entry.name, case: what(), error: e.message };
        }
      } else {
        outcome = `raw:${cls}`;
        sample = {
          entry: entry.name,
          case: what(),
          error: `${cls}: ${String(e?.message ?? e).slice(0, 300)}`,
          stack: String(e?.stack ?? '')
            .split('\n')
            .slice(1, 4)
            .join(' | '),
        };
      }
    }
    clearTimeout(watchTimer);
    if (result !== obj) release(result, entry.kind === 'constructor' ? entry.dispose : entry.spec.dispose);
  }
  release(obj, entry.dispose);
  if (args) for (const a of new Set([...args, ...original])) release(a);
  const after = nd.kernelMemory();
  if ((outcome === 'ok' || outcome.startsWith('typed')) && (after.regions !== before.regions || after.bytes !== before.bytes)) {
    outcome = 'leak';
    const grew = {};
    for (const [l, b] of Object.entries(after.byLabel)) if ((before.byLabel[l] ?? 0) !== b) grew[l] = b - (before.byLabel[l] ?? 0);
    sample = { entry: entry.name, case: what(), regions: after.regions - before.regions, bytes: after.bytes - before.bytes, byLabel: grew };
  }
  let c;
  try {
    c = canary();
  } catch (e) {
    c = `threw ${e?.constructor?.name}: ${e?.message}`;
  }
  if (c !== expectedCanary) {
    outcome = 'broken';
    sample = { entry: entry.name, case: what(), canary: c };
  }
  if (sample) out(`S ${JSON.stringify({ k, outcome, ...sample })}`);
  out(`E ${k} ${outcome}`);
  // A broken kernel makes every later case meaningless: let the parent restart the process.
  if (outcome === 'broken') process.exit(3);
}
out('D');
process.exit(0);
