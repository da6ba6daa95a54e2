/** Worker-pool tasks of the brf module (listed in src/tasks.ts). */
import type { TaskTable } from '../parallel/types.js';
import { type BrfChunkOptions, type BrfNetworkOptions, BrfShardRunner } from './model.js';

/** Input of `'brf.shard'`: one shard of a batch (forward, and BPTT when `backward`). */
export interface BrfShardTaskParams {
  options: BrfNetworkOptions;
  T: number;
  maxShard: number;
  params: Float64Array;
  x: Float64Array;
  labels: Int32Array;
  backward: boolean;
  recomputeEvery: number;
  /** TBPTT chunk (steps, offset, initial state, final state wanted); absent = whole sequence. */
  chunk?: BrfChunkOptions;
}

// One workspace per worker, re-used while the shape stays the same.
let cached: { key: string; runner: BrfShardRunner } | null = null;

/** Runs one shard with a worker-local runner (same kernel call as the inline path). */
export function runBrfShardCached(p: BrfShardTaskParams) {
  const key = JSON.stringify([p.options, p.T, p.maxShard, p.recomputeEvery]);
  if (!cached || cached.key !== key) {
    cached?.runner.dispose();
    cached = { key, runner: new BrfShardRunner(p.options, p.T, p.maxShard, p.recomputeEvery) };
  }
  return cached.runner.run(p.params, p.x, p.labels, p.backward, false, p.chunk);
}

/** @internal */
export const tasks: TaskTable = {
  'brf.shard': (input: { params: BrfShardTaskParams }) => runBrfShardCached(input.params),
};
