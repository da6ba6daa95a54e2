// Memory soak (issue #16): 2·10^4 create / run / dispose cycles (after 5000 of warm-up) of the kernel-backed brf objects —
// shard runners in f64 and f32 (sync and sliced), trainers, and checkpoints that fail validation —
// leave the kernel's live regions and bytes where they started, and the process's resident memory
// stops growing after warm-up.
import v8 from 'node:v8';
import vm from 'node:vm';
import { expect, test } from 'vitest';
import { BrfShardRunner, BrfTrainer, frequencyTask, initBrfParams, kernelMemory } from '../../src/index.js';

test('2·10^4 brf cycles: kernel bytes back to the start, no JS heap growth, RSS growth < 1 MB per 1000 cycles', async () => {
  const network = { inputSize: 1, hiddenSize: 6, outputSize: 2, loss: 'sequence', lossStartStep: 5 } as const;
  const { train } = frequencyTask({ seed: 1, trainSize: 4, testSize: 1, steps: 10, classes: 2 });
  const p = initBrfParams(network, { seed: 1 });
  const cp = (() => {
    const t = new BrfTrainer({ network, steps: 10, batchSize: 4 });
    const j = t.toJSON();
    t.dispose();
    return j;
  })();
  const labels = train.labels.subarray(0, 2);
  const x = train.x.subarray(0, 20);
  const cycle = async (k: number) => {
    const r = new BrfShardRunner({ network, steps: 10, shardSize: 2, checkpointSteps: k % 4, precision: k % 2 ? 'f32' : 'f64' });
    if (k % 8 === 0) await r.runAsync(p, x, labels, { backward: true });
    else r.run(p, x, labels, { backward: true, finalState: k % 3 === 0 });
    r.dispose();
    if (k % 10 === 0) {
      const t = new BrfTrainer({ network, steps: 10, batchSize: 4, seed: k, precision: k % 20 ? 'f64' : 'f32' });
      await t.train(train, { epochs: 1 });
      t.dispose();
      expect(() => BrfTrainer.fromJSON({ ...cp, step: -1 })).toThrow(/checkpoint.step/);
    }
  };
  // a full collection before each RSS reading, so the figure is what stays allocated
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  const heap: number[] = [];
  const rss = () => {
    gc();
    gc();
    heap.push(process.memoryUsage().heapUsed);
    return process.memoryUsage().rss;
  };
  const start = kernelMemory();
  for (let k = 0; k < 5000; k++) await cycle(k); // warm-up (JIT tiers, allocator pools)
  const rss0 = rss();
  const N = 20_000;
  for (let k = 0; k < N; k++) await cycle(k);
  const rss1 = rss();
  const end = kernelMemory();
  console.log(
    `brf soak: regions ${start.regions} → ${end.regions}, bytes ${start.bytes} → ${end.bytes}; after GC: heap ${(heap[0] / 1e6).toFixed(2)} → ${(heap[1] / 1e6).toFixed(2)} MB, RSS +${((rss1 - rss0) / 1e6).toFixed(2)} MB over ${N} cycles`,
  );
  expect(end.regions).toBe(start.regions);
  expect(end.bytes).toBe(start.bytes);
  // JS objects: nothing retained (the V8 heap after a full collection does not grow)
  expect((heap[1] - heap[0]) / 1e6).toBeLessThan(1);
  // resident memory: under 1 MB per 1000 cycles (the allocator keeps freed typed-array stores
  // for reuse, so a single reading moves by a few MB either way; 2·10^4 cycles keep that small)
  expect((rss1 - rss0) / 1e6 / (N / 1000)).toBeLessThan(1);
}, 300_000);
