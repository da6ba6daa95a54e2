import { expect, test } from 'vitest';
import { Streams, seedToKey, trialKey } from '../../src/index.js';
import { kernel } from '../../src/kernel/load.js';

test('SIMD fine-normal fill is bit-identical to the shared fillNormalSteps (every n mod 8, slow paths included)', () => {
  const k = kernel();
  const cases: [number, number, number][] = [];
  for (const n of [1, 2, 7, 8, 9, 15, 16, 17, 63, 200, 1001]) cases.push([n, 0, 40]);
  cases.push([24, 4294967000, 200]); // steps near the u32 wrap of the counter
  let slow = 0;
  for (const key of [seedToKey(1), trialKey('x', 7), { k0: 0xffffffff, k1: 0 }]) {
    for (const stream of [Streams.noise, 0x7fffffff]) {
      for (const [n, t0, steps] of cases) {
        const bytes = n * steps * 8;
        const a = k.alloc(bytes) >>> 0;
        const b = k.alloc(bytes) >>> 0;
        try {
          k.fillNormalSteps(key.k0, key.k1, stream, t0, steps, 0, n, a);
          k.numFillNormalSteps(key.k0, key.k1, stream, t0, steps, n, b);
          const x = new Float64Array(k.memory.buffer, a, n * steps);
          const y = new Float64Array(k.memory.buffer, b, n * steps);
          expect(new BigUint64Array(y.buffer, y.byteOffset, y.length)).toEqual(new BigUint64Array(x.buffer, x.byteOffset, x.length));
          for (const v of x) if (Math.abs(v) > 3.44) slow++; // ziggurat tail (beyond R ≈ 3.44)
        } finally {
          k.free(a);
          k.free(b);
        }
      }
    }
  }
  expect(slow).toBeGreaterThan(10);
});
