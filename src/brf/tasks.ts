/** Worker-pool tasks of the brf module (listed in src/tasks.ts). */
import type { TaskTable } from '../parallel/types.js';
import { type BrfNetworkOptions, type BrfPrecision, BrfShardRunner, type BrfShardRunOptions } from './model.js';

/** @internal Input of `'brf.shard'`: one shard of a batch (forward, and BPTT with `run.backward`). */
export interface BrfShardTaskParams {
  network: BrfNetworkOptions;
  steps: number;
  shardSize: number;
  checkpointSteps: number;
  precision: BrfPrecision;
  params: Float64Array;
  x: Float64Array;
  labels: Int32Array;
  run: BrfShardRunOptions;
}

// One workspace per worker, re-used while the shape stays the same.
let cached: { key: string; runner: BrfShardRunner } | null = null;

/** @internal Runs one shard with a worker-local runner (the same kernel arithmetic as the inline path). */
export function runBrfShardCached(p: BrfShardTaskParams) {
  const key = JSON.stringify([p.network, p.steps, p.shardSize, p.checkpointSteps, p.precision]);
  if (!cached || cached.key !== key) {
    cached?.runner.dispose();
    cached = null;
    cached = {
      key,
      runner: new BrfShardRunner({
        network: p.network,
        steps: p.steps,
        shardSize: p.shardSize,
        checkpointSteps: p.checkpointSteps,
        precision: p.precision,
      }),
    };
  }
  const r = cached.runner.run(p.params, p.x, p.labels, p.run);
  return { loss: r.loss, prediction: r.prediction, spikes: r.spikes, correct: r.correct, grad: r.grad, state: r.state };
}

/** @internal */
export const tasks: TaskTable = {
  'brf.shard': (input: { params: BrfShardTaskParams }) => runBrfShardCached(input.params),
};
