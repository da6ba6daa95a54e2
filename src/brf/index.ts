/**
 * brf: balanced resonate-and-fire (BRF), resonate-and-fire (RF) and ALIF recurrent spiking
 * networks trained by BPTT with surrogate gradients (seed 002), in f64 or f32. See docs/brf.md.
 * @packageDocumentation
 */
export {
  BRF_MAX_DATASET_VALUES,
  BrfData,
  type BrfDataset,
  type BrfPermutationOptions,
  BrfSplit,
  brfDeterministicSin,
  brfPermutation,
  brfSubset,
  type FrequencyTaskOptions,
  frequencyTask,
  type SmnistOptions,
  smnistDataset,
} from './data.js';
export {
  type BrfDirectionOptions,
  BrfLandscape,
  type BrfLandscapeOptions,
  brfFilterNormalizedDirection,
  brfLandscapeRoughness,
  brfLossLandscape,
} from './landscape.js';
export {
  BRF_MAX_WORKSPACE_BYTES,
  type BrfModelKind,
  type BrfNetworkOptions,
  BrfNetworkParameters,
  type BrfNormalInit,
  type BrfParamLayout,
  type BrfPrecision,
  type BrfResolvedOptions,
  BrfShardResult,
  type BrfShardRunAsyncOptions,
  BrfShardRunner,
  type BrfShardRunnerOptions,
  type BrfShardRunOptions,
  type BrfSizes,
  type BrfSurrogate,
  brfNetworkParameters,
  brfOmegaMax,
  brfParamLayout,
  brfStateSize,
  brfSurrogate,
  initBrfParams,
  resolveBrfOptions,
} from './model.js';
export {
  type BrfStepOptions,
  brfDivergenceBoundary,
  brfSpectralRadiusGrid,
  brfTransitionMatrix,
  type ResonatorSimOptions,
  ResonatorTrace,
  simulateResonators,
  spectralRadius2x2,
} from './neuron.js';
export { type BrfShardReferenceOptions, brfShardReference } from './reference.js';
export {
  type BrfAdamOptions,
  type BrfCheckpoint,
  type BrfEpochRecord,
  BrfEvaluation,
  BrfGradient,
  type BrfHistoryColumns,
  BrfTrainer,
  type BrfTrainerOptions,
  type BrfTrainOptions,
} from './train.js';
