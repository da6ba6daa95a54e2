// The contract test (issue #15): every export of the built package (dist/index.js) is described in
// the export registry (test/contract/registry.mjs), so a new export cannot escape; and every public
// class and function keeps the contract of docs/guides/conventions.md:
// - an unknown option is a ValidationError that names it and suggests the nearest valid name;
// - a value of the wrong type is a ValidationError (never a TypeError or RangeError);
// - long-running calls take `signal` and `onProgress` and report the one Progress type; an abort
//   is seen (before the start, from onProgress, and — async variants — from a timer within 50 ms
//   of firing, in the calling thread);
// - results have toJSON;
// - dispose() during a run stops it with DisposedError before it touches freed memory.
import { describe, expect, test } from 'vitest';
import * as nd from '../../dist/index.js';
import { entries, exportPaths, invoke, isClass, methodNames, registry, resolve, specOf } from './registry.mjs';

type Entry = ReturnType<typeof entries>[number];

const all: Entry[] = entries();
const withOptions = all.filter((e) => e.spec.options !== undefined);
const long = all.filter((e) => e.spec.long);
const asyncLong = long.filter((e) => e.spec.long === 'async');
const name = (e: Entry) => e.name;

/** Calls an entry with `args`, awaiting promises; returns [error, result]. */
async function attempt(e: Entry, args: unknown[], obj?: unknown): Promise<[unknown, unknown]> {
  let o = obj;
  try {
    if (o === undefined && e.setup) o = await e.setup();
    let r = invoke(e, o, args);
    if (r && typeof (r as Promise<unknown>).then === 'function') r = await r;
    if (r !== o) {
      if (typeof e.spec.dispose === 'function' && e.kind === 'function') e.spec.dispose(r);
      else release(r);
    }
    return [undefined, r];
  } catch (err) {
    return [err, undefined];
  } finally {
    if (obj === undefined) release(o);
  }
}

function release(v: unknown): void {
  if (v && typeof v === 'object') {
    try {
      if (typeof (v as { dispose?: () => void }).dispose === 'function') (v as { dispose(): void }).dispose();
      else if (v instanceof nd.Region) v.free();
      else if (v instanceof nd.WorkerPool) v.close();
    } catch {}
  }
}

/** The argument list with run options merged into the argument at `index`. */
function withRunOptions(e: Entry, extra: Record<string, unknown>, args = e.spec.args()): unknown[] {
  const i = e.spec.runOptions ?? e.spec.options;
  const out = args.slice();
  out[i] = { ...(out[i] ?? {}), ...extra };
  return out;
}

/** A misspelling of `key` that the suggestion must map back to it (adjacent letters swapped). */
function misspell(key: string): string {
  if (key.length < 3) return `${key}${key}`;
  const swapped = key.slice(0, 1) + key[2] + key[1] + key.slice(3);
  // a swap of equal letters changes nothing: drop the second letter instead ('seed' → 'sed')
  return swapped !== key ? swapped : key.slice(0, 1) + key.slice(2);
}

describe('every export is described', () => {
  test('each export of dist/index.js (and of its namespace objects) has a registry entry', () => {
    const missing = exportPaths().filter((p: string) => !specOf(p));
    expect(missing, 'describe these in test/contract/registry.mjs').toEqual([]);
  });
  test('the registry names no export that is gone', () => {
    const gone: string[] = [];
    for (const [k, s] of Object.entries(registry as Record<string, { members?: Record<string, unknown> }>)) {
      if (!(k in nd)) gone.push(k);
      for (const m of Object.keys(s.members ?? {})) if (resolve(`${k}.${m}`) === undefined) gone.push(`${k}.${m}`);
    }
    expect(gone).toEqual([]);
  });
  test('each public method of each class is described (or is a getter)', () => {
    const missing: string[] = [];
    for (const p of exportPaths()) {
      const v = resolve(p);
      const s = specOf(p);
      if (!isClass(v) || !s || s.error || s.abstract) continue;
      for (const m of methodNames(v))
        if (m.startsWith('.') ? !s.statics?.[m.slice(1)] : !s.methods?.[m]) missing.push(m.startsWith('.') ? `${p}${m}` : `${p}#${m}`);
    }
    expect(missing).toEqual([]);
  });
  test('each result class is what some call returns', async () => {
    const bad: string[] = [];
    for (const p of exportPaths()) {
      const s = specOf(p);
      if (!s?.result) continue;
      const r = await s.result();
      if (!(r instanceof (resolve(p) as new (...a: never[]) => unknown))) bad.push(p);
      if (typeof r?.toJSON !== 'function') bad.push(`${p} (no toJSON)`);
    }
    expect(bad).toEqual([]);
  });
});

describe('the valid call of each entry works and its result has toJSON', () => {
  test.each(all.map((e) => [name(e), e]))('%s', async (_n, e) => {
    const args = e.spec.args();
    const [err, r] = await attempt(e, args);
    expect(err).toBeUndefined();
    // results that are the caller's own value (validate.checkSignal), kernel objects and iterators are not results
    const passThrough =
      e.spec.handle !== undefined || args.includes(r) || (r !== null && typeof r === 'object' && Symbol.iterator in r && !Array.isArray(r));
    if (
      r !== null &&
      typeof r === 'object' &&
      !passThrough &&
      !ArrayBuffer.isView(r) &&
      !Array.isArray(r) &&
      !(r instanceof nd.KernelObject) &&
      !(r instanceof nd.WorkerPool)
    ) {
      if (!(r instanceof nd.Region) && Object.getPrototypeOf(r) !== Object.prototype)
        expect(typeof (r as { toJSON?: unknown }).toJSON, `${e.name} returns a ${r.constructor.name} without toJSON`).toBe('function');
      expect(() => JSON.stringify(r)).not.toThrow();
    }
  });
});

describe('strict options: an unknown key is a ValidationError naming it, with a suggestion', () => {
  test.each(withOptions.map((e) => [name(e), e]))('%s', async (_n, e) => {
    const args = e.spec.args();
    const i = e.spec.options;
    const valid = Object.keys(args[i] ?? {}).filter((k) => k.length >= 4);
    const [typo, want] = e.spec.typo ?? [misspell(valid[0] ?? 'zzzz'), valid[0]];
    const bad = args.slice();
    bad[i] = { ...(args[i] ?? {}), [typo]: 1 };
    const [err] = await attempt(e, bad);
    expect(err, `${e.name}({ ${typo} })`).toBeInstanceOf(nd.ValidationError);
    const v = err as nd.ValidationError;
    expect(v.message).toContain(`unknown option '${typo}'`);
    if (want) {
      expect(v.suggestion).toBe(want);
      expect(v.message).toContain(`did you mean '${want}'?`);
    }
  });
  test.each(withOptions.map((e) => [name(e), e]))('%s: options of the wrong type', async (_n, e) => {
    for (const wrong of ['x', 42, [1]]) {
      const args = e.spec.args();
      args[e.spec.options] = wrong;
      const [err] = await attempt(e, args);
      expect(err, `${e.name} with options = ${JSON.stringify(wrong)}`).toBeInstanceOf(nd.ValidationError);
    }
  });
});

/** A value of another type than `v`. */
function wrongType(v: unknown): unknown {
  if (typeof v === 'number') return 'x';
  if (typeof v === 'string') return 42;
  if (typeof v === 'boolean') return 'x';
  if (typeof v === 'function') return 42;
  if (Array.isArray(v) || ArrayBuffer.isView(v)) return 'x';
  if (v && typeof v === 'object') return 42;
  return undefined;
}

describe('wrong types are ValidationErrors, never TypeError or RangeError', () => {
  // A seed argument takes a number or a string: it gets a boolean instead.
  const cases = all.flatMap((e) =>
    e.spec
      .args()
      .map((a: unknown, i: number) => [`${name(e)} argument ${i}`, e, i, e.spec.seeds?.includes(i) ? true : wrongType(a)] as const)
      .filter((c: readonly unknown[]) => c[3] !== undefined && ![...(e.spec.fixed ?? []), ...(e.spec.anyType ?? [])].includes(c[2])),
  );
  test.each(cases)('%s', async (_n, e, i, wrong) => {
    const args = e.spec.args();
    args[i] = wrong;
    const [err] = await attempt(e, args);
    expect(err, `${e.name}: argument ${i} = ${JSON.stringify(wrong)} was accepted`).toBeDefined();
    expect(err, String((err as Error)?.stack)).toBeInstanceOf(nd.ValidationError);
  });
});

const PROGRESS_KEYS = ['done', 'total', 'unit', 'fraction', 'elapsedMs', 'etaMs', 'time', 'metrics'];

describe('long-running calls: signal, onProgress and the one Progress type', () => {
  test.each(long.map((e) => [name(e), e]))('%s', async (_n, e) => {
    const args = () => e.spec.progressArgs?.() ?? e.spec.args();
    const seen: nd.Progress[] = [];
    const [err] = await attempt(
      e,
      withRunOptions(e, { onProgress: (p: nd.Progress) => seen.push(p), signal: new AbortController().signal }, args()),
    );
    expect(err).toBeUndefined();
    expect(seen.length, `${e.name} reported no progress`).toBeGreaterThan(0);
    for (const p of seen) {
      for (const k of Object.keys(p)) expect(PROGRESS_KEYS, `${e.name}: Progress has '${k}'`).toContain(k);
      expect(typeof p.done).toBe('number');
      expect(typeof p.total).toBe('number');
      expect(p.done).toBeLessThanOrEqual(p.total);
      expect(p.fraction).toBeGreaterThanOrEqual(0);
      expect(p.fraction).toBeLessThanOrEqual(1);
      expect(p.elapsedMs).toBeGreaterThanOrEqual(0);
      expect('etaMs' in p).toBe(true);
      if (e.spec.unit) expect(p.unit).toBe(e.spec.unit);
      else expect(typeof p.unit).toBe('string');
    }
    // an aborted signal stops the call before it starts
    const ac = new AbortController();
    ac.abort();
    const [err2] = await attempt(e, withRunOptions(e, { signal: ac.signal }, args()));
    expect(err2, `${e.name} with an aborted signal`).toBeInstanceOf(nd.AbortedError);
    // an abort fired from onProgress before the end is seen: the call either stops with
    // AbortedError or had no work left (it reports no further progress short of the total). Judged
    // on this run's own reports: how many a call makes can depend on time (at least every 100 ms).
    const ac3 = new AbortController();
    const seen3: nd.Progress[] = [];
    const [err3] = await attempt(
      e,
      withRunOptions(
        e,
        {
          signal: ac3.signal,
          onProgress: (p: nd.Progress) => {
            seen3.push(p);
            if (p.done < p.total) ac3.abort();
          },
        },
        args(),
      ),
    );
    const at = seen3.findIndex((p) => p.done < p.total);
    if (at >= 0 && !(err3 instanceof nd.AbortedError)) {
      expect(err3, `${e.name}: abort from onProgress`).toBeUndefined();
      expect(
        seen3.slice(at + 1).filter((p) => p.done < p.total),
        `${e.name}: went on working after an abort from onProgress`,
      ).toEqual([]);
    }
  });

  test.each(asyncLong.map((e) => [name(e), e]))('%s: an abort fired from a timer stops it within 50 ms (0 workers)', async (_n, e) => {
    expect(e.spec.longArgs, `${e.name} needs longArgs (a call that runs for seconds)`).toBeDefined();
    // Best of three: the figure is a property of the call; a loaded machine only adds to it.
    let best = Number.POSITIVE_INFINITY;
    for (let attemptNo = 0; attemptNo < 3 && best >= 50; attemptNo++) {
      const obj = e.kind === 'method' ? await (e.spec.longSetup ?? e.setup)() : undefined;
      const ac = new AbortController();
      let fired = 0;
      const timer = setTimeout(() => {
        fired = performance.now();
        ac.abort();
      }, 40);
      const [err] = await attempt(e, withRunOptions(e, { signal: ac.signal }, e.spec.longArgs()), obj);
      const stopped = performance.now();
      clearTimeout(timer);
      release(obj);
      expect(fired, `${e.name} finished before the abort fired: make longArgs longer`).toBeGreaterThan(0);
      expect(err).toBeInstanceOf(nd.AbortedError);
      best = Math.min(best, stopped - fired);
    }
    expect(best).toBeLessThan(50);
  });
});

describe('dispose() during a run stops it with DisposedError before it touches freed memory', () => {
  const lifetime = long.filter((e) => e.kind === 'method' && !e.spec.noLifetime && !e.name.startsWith('WorkerPool'));
  test.each(lifetime.map((e) => [name(e), e]))('%s', async (_n, e) => {
    const before = nd.kernelMemory();
    const obj = await (e.spec.longSetup ?? e.setup)();
    expect(obj).toBeInstanceOf(nd.KernelObject);
    let r: nd.Region | undefined;
    const [err] = await attempt(
      e,
      withRunOptions(
        e,
        {
          onProgress: () => {
            if (r) return;
            obj.dispose();
            r = new nd.Region(72_000, 'test.after-dispose');
            r.f64().fill(7);
          },
        },
        e.spec.longArgs?.() ?? e.spec.args(),
      ),
      obj,
    );
    expect(r, `${e.name} reported no progress`).toBeDefined();
    expect(err).toBeInstanceOf(nd.DisposedError);
    const reg = r as nd.Region;
    expect(reg.f64().every((x) => x === 7)).toBe(true);
    reg.free();
    expect(nd.kernelMemory().regions).toBe(before.regions);
    expect(nd.kernelMemory().bytes).toBe(before.bytes);
  });
});
