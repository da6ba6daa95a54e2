/**
 * neurodyn: neural dynamics in TypeScript with WebAssembly kernels.
 *
 * Two API levels: pure step functions on typed arrays, and stateful objects (networks, monitors,
 * solvers) with `run(duration, { onProgress, signal })`. Every kernel-backed object has
 * `dispose()`. Every random result is a pure function of the seed (see the `rng` module).
 * @packageDocumentation
 */

export * from './brf/index.js';
export {
  type AsyncRunOptions,
  type Column,
  type ColumnArray,
  makeTable,
  type Progress,
  type ProgressCallback,
  type ProgressUnit,
  Result,
  type RunOptions,
  Table,
  type TableJSON,
  type TableOf,
  toJSONValue,
} from './contract/index.js';
export * from './fp/index.js';
export * as io from './io/index.js';
export {
  AbortedError,
  DisposedError,
  KernelAbortError,
  NeurodynError,
  NumericalError,
  type NumericalFailure,
  OutOfMemoryError,
  ValidationError,
} from './kernel/errors.js';
export { fingerprint } from './kernel/hash.js';
export { type InitOptions, init, initSync, isInitialised } from './kernel/load.js';
export {
  type AllocationRequest,
  checkAllocations,
  type KernelMemoryReport,
  KernelObject,
  kernelMemory,
  MAX_KERNEL_BYTES,
  MAX_REGION_BYTES,
  Region,
} from './kernel/region.js';
export { checkStatus, Status } from './kernel/status.js';
export * as validate from './kernel/validate.js';
export * from './lif/index.js';
export * from './ltn/index.js';
export * from './numerics/index.js';
export {
  defaultWorkers,
  type IterateTrialsOptions,
  MAX_COLLECTED_TRIALS,
  type MapOptions,
  mergeTrials,
  type PoolOptions,
  type TrialsJSON,
  type TrialsLike,
  type TrialsOptions,
  TrialsResult,
  WorkerPool,
} from './parallel/pool.js';
export type { StudyRunOptions } from './parallel/study.js';
export { type SweepGrid, type SweepList, type SweepOptions, type SweepValues, sweepPoints, sweepTable } from './parallel/sweep.js';
export type { Settled, TaskFn, TaskRef, TaskTable, TrialFn, TrialInput, TrialModule } from './parallel/types.js';
export * as plot from './plot/svg.js';
export {
  type DrawOptions,
  deriveKey,
  type GeneratorState,
  type Key,
  keyOfSeed,
  NormalGenerator,
  type NormalGeneratorOptions,
  normals,
  reference as rngReference,
  type Seed,
  type SeedOptions,
  Streams,
  seedToKey,
  trialKey,
  uniforms,
} from './rng/index.js';
export * from './srm/index.js';
export * from './stats/index.js';
export { iterateTrials, runTrials, sweep, sweepTrials } from './tasks.js';
