/**
 * lif: networks of current-based leaky integrate-and-fire neurons with exponential synapses and
 * noise in the synaptic current (seed 000), simulated on a time grid with a choice of
 * subthreshold integrator (`euler-maruyama`, `exact`) and spike-time rule (`grid`, `linear`,
 * `hermite`). See docs/lif.md.
 * @packageDocumentation
 */
export type {
  AllToAllConnector,
  CsrConnector,
  DenseConnector,
  FixedInDegreeConnector,
  FixedProbabilityConnector,
  LifConnector,
  LifCsr,
} from './connectors.js';
export { createLifCuba, type LifCubaOptions } from './cuba.js';
export { LifStreams } from './layout.js';
export {
  type LifRateColumns,
  LifRateMonitor,
  type LifRates,
  type LifSpikeColumns,
  LifSpikeMonitor,
  type LifSpikes,
  LifStateMonitor,
  type LifStateSample,
  type LifStateSampleColumns,
  type LifStateSamples,
} from './monitors.js';
export {
  type LifIntegratorName,
  type LifLayersOptions,
  LifNetwork,
  type LifNetworkOptions,
  type LifNoiseOptions,
  type LifPoissonDrive,
  type LifPopulationParams,
  LifProjection,
  type LifProjectionOptions,
  type LifRateMonitorOptions,
  LifSnapshot,
  type LifSnapshotJSON,
  type LifSpikeMonitorOptions,
  type LifSpikeRuleName,
  type LifState,
  type LifStateColumns,
  type LifStateMonitorOptions,
  type LifUniformInit,
  type LifWeightUnit,
  lifIntegrators,
  lifSpikeRules,
  type PerNeuron,
} from './network.js';
export {
  type LifPropagator,
  type LifPropagatorOptions,
  type LifTimeConstants,
  type LifVoltageOptions,
  lifCurrentResponse,
  lifPropagator,
  lifVoltageAt,
} from './propagator.js';
export {
  type LifReferenceOptions,
  type LifReferenceParamArrays,
  type LifReferenceParams,
  lifReferenceRun,
} from './reference.js';
export { type LifArrays, type LifStepsOptions, type LifStepsParams, LifStepsResult, lifSteps } from './step.js';
export type { LifPopulationTaskParams } from './tasks.js';
