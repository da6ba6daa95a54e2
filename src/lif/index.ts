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
export { LifNoiseWindow, type LifNoiseWindowOptions } from './coupling.js';
export { createLifCuba, type LifCubaOptions } from './cuba.js';
export { LifStreams } from './layout.js';
export {
  type LifIntegratorName,
  LifNetwork,
  type LifNetworkOptions,
  type LifPopulationParams,
  type LifProgress,
  type LifProjectionOptions,
  LifRateMonitor,
  type LifSnapshot,
  LifSpikeMonitor,
  type LifSpikeRuleName,
  type LifSpikes,
  type LifState,
  LifStateMonitor,
  type LifWeightUnit,
  lifIntegrators,
  lifSpikeRules,
  type PerNeuron,
} from './network.js';
export { type LifPropagator, lifCurrentResponse, lifPropagator, lifVoltageAt } from './propagator.js';
export { type LifReferenceParamArrays, type LifReferenceParams, lifReferenceRun } from './reference.js';
export {
  type BuildLifNetworkOptions,
  buildLifNetwork,
  type LifNetworkSpec,
  type LifPopulationSpec,
  type LifProjectionSpec,
  type PopulationConstants,
  populationConstants,
} from './spec.js';
export { type LifArrays, type LifStepsOptions, lifSteps } from './step.js';
export { type LifTangentOptions, LifTangents } from './tangent.js';
export type { LifPopulationTaskParams } from './tasks.js';
