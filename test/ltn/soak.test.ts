// Memory soak (issue #16): 10^4 create / run / dispose cycles of the kernel-backed ltn objects —
// the batch, and the LDS test whose ascent holds a region while it runs — leave the kernel's
// live bytes where they started, and the process's resident memory stops growing after warm-up.
import { expect, test } from 'vitest';
import { kernelMemory, LtnBatch, ldsTest } from '../../src/index.js';
import { LDS_NET } from './helpers.js';

test('10^4 LtnBatch and ldsTest cycles: kernel bytes back to the start, RSS growth < 1 MB per 1000 cycles', () => {
  const M = [
    [0.8, 1.5],
    [-1, 2.5],
  ];
  const cycle = (k: number) => {
    const b = new LtnBatch(
      LDS_NET,
      [
        [0.2, 1.5],
        [k % 3, 1],
      ],
      { dt: 0.01, method: k % 2 ? 'rk4' : 'pds' },
    );
    b.run(0.1);
    b.dispose();
    ldsTest(M, { iterations: 5 });
  };
  const start = kernelMemory();
  for (let k = 0; k < 2000; k++) cycle(k); // warm-up
  const rss0 = process.memoryUsage().rss;
  for (let k = 0; k < 10_000; k++) cycle(k);
  const rss1 = process.memoryUsage().rss;
  const end = kernelMemory();
  expect(end.regions).toBe(start.regions);
  expect(end.bytes).toBe(start.bytes);
  // 10^4 cycles after warm-up: under 1 MB per 1000 cycles
  expect((rss1 - rss0) / 1e6).toBeLessThan(10);
});
