// The contract's building blocks (src/contract): strict options with suggestions, the progress
// protocol and the table result. The per-export contract test builds on these.
import { describe, expect, it } from 'vitest';
import { optionKeys, ProgressTracker, strictOptions, suggestName, yieldToEventLoop } from '../../src/contract/index.js';
import { makeTable, Table, ValidationError } from '../../src/index.js';

describe('strict options', () => {
  const keys = ['tauMem', 'tauSyn', 'vThreshold', 'vReset', 'mu', 'sigma', 'tRef', 'binSize'];
  it('suggests our name for typos and for names other simulators use', () => {
    expect(suggestName('tau_m', keys)).toBe('tauMem');
    expect(suggestName('tauMme', keys)).toBe('tauMem');
    expect(suggestName('V_th', keys)).toBe('vThreshold');
    expect(suggestName('refractory', keys)).toBe('tRef');
    expect(suggestName('bin', keys)).toBe('binSize');
    expect(suggestName('sgima', keys)).toBe('sigma');
    expect(suggestName('completelyUnrelated', keys)).toBeUndefined();
  });
  it('rejects an unknown key with a ValidationError naming it, the entry point and the suggestion', () => {
    let err: unknown;
    try {
      strictOptions('addPopulation', 'params', { tau_m: 20 }, keys);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ValidationError);
    const v = err as ValidationError;
    expect(v.message).toBe("unknown option 'tau_m' for addPopulation; did you mean 'tauMem'?");
    expect(v.argument).toBe('params.tau_m');
    expect(v.suggestion).toBe('tauMem');
  });
  it('lists the valid keys when nothing is near', () => {
    expect(() => strictOptions('f', 'options', { zzzzzzzz: 1 }, ['dt', 'seed'])).toThrow("valid options: 'dt', 'seed'");
  });
  it('accepts undefined values, rejects non-plain objects', () => {
    expect(strictOptions('f', 'options', { dt: undefined }, ['dt'])).toEqual({ dt: undefined });
    expect(strictOptions('f', 'options', undefined, ['dt'])).toEqual({});
    for (const bad of [null, 3, 'x', [1], new Float64Array(2), new Map()])
      expect(() => strictOptions('f', 'options', bad as never, ['dt'])).toThrow(ValidationError);
  });
  it('optionKeys is checked by the compiler', () => {
    interface O {
      a?: number;
      b?: string;
    }
    expect(optionKeys<O>()(['a', 'b'])).toEqual(['a', 'b']);
    // @ts-expect-error 'b' is missing from the list
    optionKeys<O>()(['a']);
  });
});

describe('progress protocol', () => {
  it('reports done/total/fraction and an ETA proportional to the work left', async () => {
    const seen: { done: number; fraction: number; etaMs: number | undefined; elapsedMs: number }[] = [];
    const pr = new ProgressTracker('test', 4, 'step', { onProgress: (p) => seen.push(p) });
    expect(pr.progress(0).etaMs).toBeUndefined();
    const t0 = performance.now();
    while (performance.now() - t0 < 20);
    pr.report(1);
    const p = seen[0];
    expect(p.fraction).toBe(0.25);
    expect(p.etaMs).toBeCloseTo(3 * p.elapsedMs, 6);
  });
  it('a timer-fired abort is seen through maybeYield within a slice', { retry: 2 }, async () => {
    const ac = new AbortController();
    const pr = new ProgressTracker('test', 1e9, 'step', { signal: ac.signal, sliceMs: 5 });
    // Latency is measured from the moment the timer callback ran (on a loaded machine the timer
    // itself may run late; what the protocol promises is the time from abort() to the stop).
    let fired = Number.POSITIVE_INFINITY;
    setTimeout(() => {
      fired = performance.now();
      ac.abort();
    }, 30);
    let stopped = 0;
    try {
      for (;;) {
        const t = performance.now();
        while (performance.now() - t < 1);
        await pr.maybeYield({ at: 'x' });
      }
    } catch (e) {
      stopped = performance.now();
      expect((e as Error).name).toBe('AbortedError');
    }
    expect(stopped - fired).toBeLessThan(50);
  });
  it('rejects a bad signal, callback or slice', () => {
    expect(() => new ProgressTracker('t', 1, 'step', { signal: {} as never })).toThrow('options.signal');
    expect(() => new ProgressTracker('t', 1, 'step', { onProgress: 3 as never })).toThrow('options.onProgress');
    expect(() => new ProgressTracker('t', 1, 'step', { sliceMs: 1e-320 })).toThrow('options.sliceMs');
  });
  it('yieldToEventLoop lets a pending timer run', async () => {
    let ran = false;
    setTimeout(() => {
      ran = true;
    }, 0);
    // A 0 ms timer is due after at least 1 ms (Node clamps it), and a loop of yields can be faster
    // than that: yield for up to 200 ms of wall time. A yield that never reached the timers phase
    // (a microtask, say) would spin here until the deadline and fail.
    const t0 = performance.now();
    let yields = 0;
    while (!ran && performance.now() - t0 < 200) {
      await yieldToEventLoop();
      yields++;
    }
    expect(ran).toBe(true);
    expect(yields).toBeGreaterThan(0);
  });
});

describe('tables', () => {
  it('columns carry units, are readable as properties and serialise to JSON', () => {
    const t = makeTable(
      'test.spikes',
      {
        neuron: { data: Int32Array.of(2, 0), unit: '', description: 'neuron index' },
        time: { data: Float64Array.of(0.5, 1.25), unit: 'ms', description: 'spike time' },
      },
      { dt: 0.25 },
    );
    expect(t).toBeInstanceOf(Table);
    expect(t.length).toBe(2);
    expect(t.time[1]).toBe(1.25);
    expect(t.column('time').unit).toBe('ms');
    expect([...t.rows()]).toEqual([
      { neuron: 2, time: 0.5 },
      { neuron: 0, time: 1.25 },
    ]);
    expect(JSON.parse(JSON.stringify(t))).toEqual({
      kind: 'test.spikes',
      length: 2,
      columns: { neuron: [2, 0], time: [0.5, 1.25] },
      units: { neuron: '', time: 'ms' },
      descriptions: { neuron: 'neuron index', time: 'spike time' },
      meta: { dt: 0.25 },
    });
  });
  it('rejects columns of different lengths and reserved names', () => {
    expect(() =>
      makeTable('x', {
        a: { data: new Float64Array(2), unit: '', description: '' },
        b: { data: new Float64Array(3), unit: '', description: '' },
      }),
    ).toThrow('columns.b.length');
    expect(() => makeTable('x', { length: { data: new Float64Array(2), unit: '', description: '' } })).toThrow(ValidationError);
  });
});
