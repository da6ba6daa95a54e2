import { describe, expect, test } from 'vitest';
import { DisposedError, kernelMemory, NormalGenerator, NumericalError, Region, ValidationError } from '../../src/index.js';
import { kernel } from '../../src/kernel/load.js';
import { checkStatus, readFailure } from '../../src/kernel/status.js';
import { checkFiniteArray, checkPositive, checkRange, scalarOrArray } from '../../src/kernel/validate.js';

describe('memory regions', () => {
  test('creating and disposing 10 000 kernel-backed objects leaves kernelMemory() where it started', () => {
    // Warm up the allocator so the heap has reached its working size.
    for (let i = 0; i < 100; i++) new NormalGenerator(i, { capacity: 256 }).dispose();
    const before = kernelMemory();
    for (let i = 0; i < 10_000; i++) {
      const g = new NormalGenerator(i, { capacity: 256 });
      g.next(10);
      g.dispose();
    }
    const after = kernelMemory();
    expect(after.regions).toBe(before.regions);
    expect(after.bytes).toBe(before.bytes);
    expect(after.memoryBytes).toBe(before.memoryBytes);
  });

  test('live objects are reported by label; dispose is idempotent and Symbol.dispose works', () => {
    const before = kernelMemory();
    const g = new NormalGenerator(1, { capacity: 1000 });
    expect(kernelMemory().byLabel['rng.buffer']).toBeGreaterThanOrEqual(8000);
    expect(kernelMemory().regions).toBe(before.regions + 1);
    g.dispose();
    g.dispose();
    expect(() => g.next(1)).toThrow(DisposedError);
    {
      using h = new NormalGenerator(2);
      h.next(1);
    }
    expect(kernelMemory().regions).toBe(before.regions);
  });

  test('views are re-created after memory.grow; data survives', () => {
    const r = new Region(64, 'test.region');
    r.f64().set([1, 2, 3, 4, 5, 6, 7, 8]);
    const old = r.f64();
    const big = new Region(64 * 1024 * 1024, 'test.big'); // forces memory.grow
    expect(old.length).toBe(0); // detached: the old buffer is gone
    expect([...r.f64()]).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    big.free();
    r.free();
    expect(() => r.f64()).toThrow(DisposedError);
  });
});

describe('status codes and errors', () => {
  test('a kernel failure record becomes a NumericalError with step, index and time', () => {
    const k = kernel();
    const p = k.statusPtr() >>> 0;
    new Int32Array(k.memory.buffer, p, 2).set([1, 17]);
    new Float64Array(k.memory.buffer, p + 8, 3).set([250, 25.0, Number.POSITIVE_INFINITY]);
    expect(readFailure(1)).toEqual({ kind: 'non-finite', index: 17, step: 250, time: 25, value: Number.POSITIVE_INFINITY });
    try {
      checkStatus(1, 'test.run');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(NumericalError);
      expect((e as NumericalError).step).toBe(250);
      expect((e as NumericalError).index).toBe(17);
      expect((e as Error).message).toContain('step 250');
    }
    expect(() => checkStatus(0, 'ok')).not.toThrow();
  });

  test('validation messages name the argument, the expected range with units and the value', () => {
    expect(() => checkPositive('dt', -0.1, 'ms')).toThrow('dt: expected a finite number > 0 ms, got -0.1');
    expect(() => checkRange('p', 2, 0, 1)).toThrow('p: expected a finite number in [0, 1], got 2');
    expect(() => checkFiniteArray('w', [1, Number.NaN])).toThrow('w[1]: expected a finite number, got NaN');
    expect(() => checkFiniteArray('w', [1, 2], 3)).toThrow(ValidationError);
    expect(() => scalarOrArray('tauMem', 'x', 3)).toThrow(ValidationError);
    expect([...scalarOrArray('tauMem', 20, 3, checkPositive)]).toEqual([20, 20, 20]);
  });
});
