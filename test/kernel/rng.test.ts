import { describe, expect, test } from 'vitest';
import {
  deriveKey,
  keyOfSeed,
  NormalGenerator,
  normals,
  rngReference,
  Streams,
  seedToKey,
  trialKey,
  uniforms,
  ValidationError,
} from '../../src/index.js';
import { normalCdf } from '../../src/stats/special.js';

const hex = (w: Uint32Array) => [...w].map((x) => x.toString(16).padStart(8, '0')).join(' ');

describe('Philox4x32-10 known-answer vectors (Random123 kat_vectors)', () => {
  const kats: [number[], number[], string][] = [
    [[0, 0, 0, 0], [0, 0], '6627e8d5 e169c58d bc57ac4c 9b00dbd8'],
    [[0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff], [0xffffffff, 0xffffffff], '408f276d 41c83b0e a20bc7c6 6d5451fd'],
    [[0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344], [0xa4093822, 0x299f31d0], 'd16cfe09 94fdcceb 5001e420 24126ea1'],
  ];
  test.each(kats)('TS reference: ctr %j key %j', (c, k, want) => {
    expect(hex(rngReference.philox4x32(c[0], c[1], c[2], c[3], k[0], k[1]))).toBe(want);
  });
  test('kernel agrees with the reference on the vectors and on 10^4 random counters', async () => {
    const { kernel } = await import('../../src/kernel/load.js');
    const k = kernel();
    const p = k.alloc(16) >>> 0;
    for (const [c, key, want] of kats) {
      k.philox4x32(c[0], c[1], c[2], c[3], key[0], key[1], p);
      expect(hex(new Uint32Array(k.memory.buffer, p, 4).slice())).toBe(want);
    }
    let x = 12345;
    for (let n = 0; n < 10_000; n++) {
      const w = rngReference.philox4x32(x, n, (x ^ n) >>> 0, 7, 0xdeadbeef, n * 31);
      k.philox4x32(x, n, x ^ n, 7, 0xdeadbeef, n * 31, p);
      expect(new Uint32Array(k.memory.buffer, p, 4).slice()).toEqual(w);
      x = w[0];
    }
    k.free(p);
  });
});

describe('normals', () => {
  const N = 200_000;
  const z = normals(2026, 0, N);

  test('kernel normals equal the TS reference: bit for bit on the fast path, to 1 ulp-scale on the slow path', () => {
    // The slow path's exp/log are the kernel's own in WASM and the engine's in TS, so the two
    // may differ in the last bit there (the WASM results are the same in every engine).
    const key = seedToKey(2026);
    let slow = 0;
    for (let i = 0; i < N; i++) {
      const r = rngReference.normalAt(key.k0, key.k1, 0, i, 0);
      if (rngReference.isFastPath(key.k0, key.k1, 0, i, 0)) expect(r).toBe(z[i]);
      else {
        slow++;
        expect(Math.abs(r - z[i])).toBeLessThanOrEqual(4e-16 * Math.abs(z[i]));
      }
    }
    // The ziggurat slow path is taken ~1.5% of the time (rejection area of 256 layers).
    expect(slow / N).toBeGreaterThan(0.005);
    expect(slow / N).toBeLessThan(0.03);
  });

  test('moments of N(0,1) within 4 standard errors', () => {
    let m1 = 0;
    for (const x of z) m1 += x;
    m1 /= N;
    let m2 = 0;
    let m3 = 0;
    let m4 = 0;
    for (const x of z) {
      const d = x - m1;
      m2 += d * d;
      m3 += d * d * d;
      m4 += d * d * d * d;
    }
    m2 /= N;
    m3 /= N;
    m4 /= N;
    expect(Math.abs(m1)).toBeLessThan(4 / Math.sqrt(N));
    expect(Math.abs(m2 - 1)).toBeLessThan(4 * Math.sqrt(2 / N));
    expect(Math.abs(m3 / m2 ** 1.5)).toBeLessThan(4 * Math.sqrt(6 / N));
    expect(Math.abs(m4 / (m2 * m2) - 3)).toBeLessThan(4 * Math.sqrt(24 / N));
  });

  test('Kolmogorov–Smirnov against Φ: D below the 0.1% critical value 1.95/√n', () => {
    const s = Float64Array.from(z).sort();
    let d = 0;
    for (let i = 0; i < N; i++) {
      const f = normalCdf(s[i]);
      d = Math.max(d, Math.abs(f - i / N), Math.abs((i + 1) / N - f));
    }
    expect(d).toBeLessThan(1.95 / Math.sqrt(N));
  });

  test('tails: P(|Z| > 3) matches 2Φ(−3) within 4 SE', () => {
    let c = 0;
    for (const x of z) if (Math.abs(x) > 3) c++;
    const p = 2 * normalCdf(-3);
    expect(Math.abs(c / N - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / N));
  });

  test('streams, keys and neighbouring elements are uncorrelated (|r| < 4/√n)', () => {
    const n = 50_000;
    const corr = (a: Float64Array, b: Float64Array) => {
      let s = 0;
      for (let i = 0; i < a.length; i++) s += a[i] * b[i];
      return s / a.length;
    };
    const a = normals(1, 0, n, { stream: Streams.noise });
    const b = normals(1, 0, n, { stream: Streams.input });
    const c = normals(trialKey(1, 1), 0, n);
    const d = normals(1, 1, n); // next step
    const lim = 4 / Math.sqrt(n);
    expect(Math.abs(corr(a, b))).toBeLessThan(lim);
    expect(Math.abs(corr(a, c))).toBeLessThan(lim);
    expect(Math.abs(corr(a, d))).toBeLessThan(lim);
    // elements 2p and 2p+1 share a Philox block (different words)
    const even = a.filter((_, i) => i % 2 === 0);
    const odd = a.filter((_, i) => i % 2 === 1);
    expect(Math.abs(corr(even, odd))).toBeLessThan(4 / Math.sqrt(n / 2));
  });

  test('uniforms are in [0,1) with mean 1/2 and variance 1/12', () => {
    const u = uniforms(5, 3, 100_000);
    let m = 0;
    let v = 0;
    for (const x of u) {
      expect(x >= 0 && x < 1).toBe(true);
      m += x;
    }
    m /= u.length;
    for (const x of u) v += (x - m) ** 2;
    v /= u.length;
    expect(Math.abs(m - 0.5)).toBeLessThan(4 * Math.sqrt(1 / 12 / u.length));
    expect(Math.abs(v - 1 / 12)).toBeLessThan(4 * Math.sqrt(1 / 180 / u.length));
    expect(u[17]).toBe(rngReference.uniformAt(seedToKey(5).k0, seedToKey(5).k1, 0, 17, 3));
  });
});

describe('reproducibility', () => {
  test('chunk invariance: 1000 draws at once equal 10 × 100 and odd chunkings', () => {
    const g1 = new NormalGenerator('chunks', { capacity: 64 });
    const g2 = new NormalGenerator('chunks', { capacity: 7 });
    const g3 = new NormalGenerator('chunks');
    const all = g1.next(1000);
    const parts = Array.from({ length: 10 }, () => g2.next(100));
    const odd = [g3.next(1), g3.next(333), g3.next(2), g3.next(664)];
    const cat = (xs: Float64Array[]) => Float64Array.from(xs.flatMap((x) => [...x]));
    expect(cat(parts)).toEqual(all);
    expect(cat(odd)).toEqual(all);
    for (const g of [g1, g2, g3]) g.dispose();
  });

  test('state() / restore() resumes the sequence exactly', () => {
    const g = new NormalGenerator(9);
    g.next(123);
    const s = JSON.parse(JSON.stringify(g.state()));
    const a = g.next(50);
    const h = new NormalGenerator(9);
    h.restore(s);
    expect(h.next(50)).toEqual(a);
    expect(() => new NormalGenerator(10).restore(s)).toThrow(ValidationError);
    g.dispose();
    h.dispose();
  });

  test('seeds: numbers and their decimal strings give the same key; different seeds differ', () => {
    expect(seedToKey(7)).toEqual(seedToKey('7'));
    expect(seedToKey(7)).not.toEqual(seedToKey(8));
    expect(trialKey(7, 0)).not.toEqual(trialKey(7, 1));
  });

  test('no Math.random anywhere in src/ or assembly/', async () => {
    const { readdirSync, readFileSync, statSync } = await import('node:fs');
    const walk = (d: string): string[] =>
      readdirSync(d).flatMap((f) => (statSync(`${d}/${f}`).isDirectory() ? walk(`${d}/${f}`) : [`${d}/${f}`]));
    const offenders = [...walk('src'), ...walk('assembly')].filter(
      (f) => /\.ts$/.test(f) && /Math\.random\s*\(/.test(readFileSync(f, 'utf8')),
    );
    expect(offenders).toEqual([]);
  });
});

describe('validation', () => {
  test("#16: normals('s', 0, 4, null) and normals({}, 0, 4) are ValidationErrors (not a TypeError, not key (0, 0))", () => {
    expect(() => normals('s', 0, 4, null as never)).toThrow(ValidationError);
    expect(() => normals({} as never, 0, 4)).toThrow(/seed.k0: expected an integer in \[0, 4294967295\] \(a Key word\), got undefined/);
    // a valid raw key is accepted and equals the seed path
    expect(normals(seedToKey(3), 0, 4)).toEqual(normals(3, 0, 4));
  });

  test('strict options with suggestions; trial means trialKey(seed, trial) (the one seed convention)', () => {
    expect(() => normals(1, 0, 4, { steam: 2 } as never)).toThrow(/unknown option 'steam' for normals; did you mean 'stream'\?/);
    expect(() => uniforms(1, 0, 4, { strat: 2 } as never)).toThrow(/did you mean 'start'\?/);
    expect(() => new NormalGenerator(1, { capcity: 8 } as never)).toThrow(
      /unknown option 'capcity' for NormalGenerator; did you mean 'capacity'\?/,
    );
    expect(normals('t', 2, 8, { trial: 5, stream: 3 })).toEqual(normals(trialKey('t', 5), 2, 8, { stream: 3 }));
    expect(uniforms('t', 2, 8, { trial: 5 })).toEqual(uniforms(keyOfSeed({ seed: 't', trial: 5 }), 2, 8));
    const a = new NormalGenerator('g', { trial: 1 });
    const b = new NormalGenerator(trialKey('g', 1));
    expect(a.next(10)).toEqual(b.next(10));
    a.dispose();
    b.dispose();
  });

  test.each([
    ['seed', () => seedToKey(Number.NaN)],
    ['count', () => normals(1, 0, -1)],
    ['step', () => normals(1, 0.5, 10)],
    ['options.stream', () => normals(1, 0, 10, { stream: -2 })],
    ['options.start', () => uniforms(1, 0, 10, { start: 2 ** 32 - 5 })],
    ['options', () => normals('s', 0, 4, null as never)],
    ['seed.k0', () => normals({} as never, 0, 4)],
    ['seed.k0', () => normals({ k0: -1, k1: 0 }, 0, 4)],
    ['seed.k1', () => uniforms({ k0: 1, k1: 2 ** 32 }, 0, 4)],
    ['seed', () => normals(null as never, 0, 4)],
    ['seed', () => normals(Number.POSITIVE_INFINITY, 0, 4)],
    ['options.trial', () => normals(1, 0, 4, { trial: 0.5 })],
    ['options.trial', () => normals(seedToKey(1), 0, 4, { trial: 2 })],
    ['options.trial', () => new NormalGenerator(seedToKey(1), { trial: 2 })],
    ['options', () => new NormalGenerator(1, 5 as never)],
    ['key.k0', () => deriveKey({} as never, 1)],
    ['a', () => deriveKey(seedToKey(1), -1)],
    ['state', () => new NormalGenerator(1).restore(null as never)],
    ['options.capacity', () => new NormalGenerator(1, { capacity: 0 })],
    ['trial', () => trialKey(1, -1)],
  ])('%s is named in the error', (arg, f) => {
    expect(f).toThrow(ValidationError);
    try {
      f();
    } catch (e) {
      expect((e as ValidationError).argument).toBe(arg);
      expect((e as Error).message).toMatch(/expected .*got/);
    }
  });
});
