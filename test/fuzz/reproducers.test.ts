// Regression tests for the reproducers of issue #16 that no family test covers (the others: see
// docs/guides/hardening.md, "Reproducers"). Each asserts the documented outcome — a typed error
// naming the argument, or a finite result — on the issue's own input. The two memory cases that
// need gigabytes of kernel memory run in a child process, so that this worker's heap stays small.
import { spawnSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import {
  convergenceStudy,
  feedforwardNetwork,
  kernelMemory,
  LIF_MAX_NEURONS,
  LifNetwork,
  lifPropagator,
  MAX_REGION_BYTES,
  OutOfMemoryError,
  Region,
  runTrials,
  ValidationError,
} from '../../src/index.js';

/** The error `f` throws (or the rejection of the promise it returns). */
async function errorOf(f: () => unknown): Promise<unknown> {
  try {
    await f();
  } catch (e) {
    return e;
  }
  return undefined;
}

describe('issue #16 reproducers', () => {
  test('new Region(NaN) is a ValidationError and leaves kernelMemory() finite and unchanged', () => {
    const before = kernelMemory();
    expect(() => new Region(Number.NaN, 'test.nan')).toThrow(ValidationError);
    expect(() => new Region(Number.NaN, 'test.nan')).toThrow(/bytes/);
    const after = kernelMemory();
    expect(Number.isFinite(after.bytes)).toBe(true);
    expect(after.bytes).toBe(before.bytes);
    expect(after.regions).toBe(before.regions);
    // the kernel still allocates: a 64-byte region reports 64 bytes
    const r = new Region(64, 'test.after-nan');
    expect(kernelMemory().bytes - before.bytes).toBeGreaterThanOrEqual(64);
    r.free();
    expect(kernelMemory().bytes).toBe(before.bytes);
  });

  test('new Region(2**32 + 16) is refused up front (no 16-byte region reporting 4 GiB)', () => {
    const before = kernelMemory();
    const e = (() => {
      try {
        new Region(2 ** 32 + 16, 'test.huge');
      } catch (err) {
        return err;
      }
    })();
    expect(e).toBeInstanceOf(OutOfMemoryError);
    const oom = e as OutOfMemoryError;
    // the request is what was asked for (≥ 2^32 + 16), not its 32-bit wrap (16)
    expect(oom.requestedBytes).toBeGreaterThanOrEqual(2 ** 32 + 16);
    expect(oom.limitBytes).toBe(MAX_REGION_BYTES);
    expect(oom.liveBytes).toBe(before.bytes);
    expect(kernelMemory().regions).toBe(before.regions);
  });

  test('lifPropagator with a NaN time constant is a ValidationError naming it (was NaN coefficients)', () => {
    // the lifPropagator(0.05, NaN, 0.02, 0.1): g_L = 0.05 /ms, b = NaN, σ = 0.02, h = 0.1 ms
    expect(() => lifPropagator({ tauMem: 20, tauSyn: Number.NaN, sigma: 0.02, dt: 0.1 })).toThrow(ValidationError);
    expect(() => lifPropagator({ tauMem: 20, tauSyn: Number.NaN, sigma: 0.02, dt: 0.1 })).toThrow(/tauSyn/);
  });

  test('convergenceStudy with a NaN reference step is a ValidationError (was a silent fallback to 0.0125 ms)', async () => {
    const e = await errorOf(() =>
      convergenceStudy({
        network: feedforwardNetwork({ sizes: [2] }),
        duration: 4,
        dts: [0.4, 0.2],
        reference: { dt: Number.NaN },
        trials: 1,
        workers: 0,
      }),
    );
    expect(e).toBeInstanceOf(ValidationError);
    expect((e as ValidationError).argument).toBe('options.reference.dt');
  });

  test('restore() refuses NaN in v and a step of 2^53', () => {
    const net = new LifNetwork({ dt: 0.1, seed: 1 });
    try {
      net.addPopulation('p', 3, { mu: 0.06, sigma: 0.02 });
      net.run(1);
      const s = net.snapshot().toJSON();
      const v = Array.from(s.v as ArrayLike<number>);
      v[1] = Number.NaN;
      const eNaN = (() => {
        try {
          net.restore({ ...s, v });
        } catch (err) {
          return err;
        }
      })();
      expect(eNaN).toBeInstanceOf(ValidationError);
      expect((eNaN as ValidationError).argument).toMatch(/v/);
      const eStep = (() => {
        try {
          net.restore({ ...s, step: 2 ** 53 });
        } catch (err) {
          return err;
        }
      })();
      expect(eStep).toBeInstanceOf(ValidationError);
      expect((eStep as ValidationError).argument).toMatch(/step/);
      // the network is unchanged and still runs
      net.restore(s);
      net.run(1);
      expect(net.state().v.every(Number.isFinite)).toBe(true);
    } finally {
      net.dispose();
    }
  });

  test('runTrials with range [0, 2^32 − 1] is refused before any trial runs (was an OOM after 40 s)', async () => {
    let progress = 0;
    const e = await errorOf(() =>
      runTrials('core.normals', { range: [0, 2 ** 32 - 1], workers: 0, params: { n: 4 }, onProgress: () => progress++ }),
    );
    expect(e).toBeInstanceOf(ValidationError);
    expect((e as ValidationError).message).toMatch(/range/);
    expect(progress).toBe(0);
  });

  test('a population above LIF_MAX_NEURONS (the issue: 67,108,864) is refused when added, naming the limit', () => {
    const net = new LifNetwork({ dt: 0.1 });
    try {
      const e = (() => {
        try {
          net.addPopulation('p', 67_108_864, { mu: 0.05 });
        } catch (err) {
          return err;
        }
      })();
      expect(e).toBeInstanceOf(ValidationError);
      expect((e as ValidationError).message).toContain(String(LIF_MAX_NEURONS));
    } finally {
      net.dispose();
    }
  });

  // The two gigabyte cases: each in a child process on the built package (dist/).
  const child = (code: string) =>
    spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8', timeout: 300_000, cwd: process.cwd() });

  test('two networks with 0.9 GB delay rings both build and run (was a raw RuntimeError at 0.84 GiB live)', () => {
    // ring = 3 f64 per slot and neuron: 100,000 neurons × 375 slots (a 37.4 ms delay at dt 0.1) = 0.9 GB
    const r = child(`
      import * as nd from './dist/index.js';
      const nets = [];
      for (let k = 0; k < 2; k++) {
        const n = new nd.LifNetwork({ dt: 0.1, seed: k });
        n.addPopulation('p', 100000, { mu: 0.04 });
        n.connect('p', 'p', { connector: { type: 'fixedProbability', p: 1e-5 }, weight: 0.001, delay: 37.4 });
        n.build();
        n.run(0.5);
        nets.push(n);
      }
      const m = nd.kernelMemory();
      const ring = m.byLabel['lif.ring'] ?? 0;
      for (const n of nets) n.dispose();
      console.log(JSON.stringify({ ring, bytes: m.bytes, after: nd.kernelMemory().regions }));
    `);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout.trim().split('\n').pop() as string);
    expect(out.ring).toBeGreaterThan(1.79e9); // both rings live at once: 2 × 100,000 × 375 × 24 bytes
    expect(out.after).toBe(0);
  });

  test('an all-to-all projection on 11,600 neurons builds and runs, or is a typed OutOfMemoryError (was a process abort)', () => {
    const r = child(`
      import * as nd from './dist/index.js';
      const n = new nd.LifNetwork({ dt: 0.1, seed: 1 });
      try {
        n.addPopulation('p', 11600, { mu: 0.04 });
        n.connect('p', 'p', { connector: { type: 'allToAll' }, weight: 1e-5 });
        n.run(0.5);
        console.log(JSON.stringify({ ok: true, synapses: n.getProjection(0).cols.length }));
      } catch (e) {
        console.log(JSON.stringify({ ok: false, error: e.constructor.name, message: e.message }));
      } finally {
        n.dispose();
      }
    `);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout.trim().split('\n').pop() as string);
    if (!out.ok) expect(out.error).toBe('OutOfMemoryError');
  });
});
