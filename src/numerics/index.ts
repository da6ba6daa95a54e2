/**
 * numerics: the numerical-analysis lab for stochastic LIF networks (seed 000_a5327dcba9ecafc1):
 * coupled paths across step sizes ({@link LifLabSimulation}, {@link CoupledNoise}), convergence
 * studies with strong and weak errors and fitted orders, crossing-speed statistics, Lyapunov
 * exponents by tangent dynamics with reset saltation, finite differences and the flux formula,
 * and rates / synchrony of recurrent networks. See docs/numerics.md.
 * @packageDocumentation
 */

export {
  type ConvergenceLevel,
  type ConvergenceLevelRow,
  type ConvergenceOptions,
  type ConvergenceOrders,
  type ConvergenceParams,
  type ConvergenceResult,
  type ConvergenceTrialRow,
  convergenceStudy,
  convergenceTrial,
  DEFAULT_SCHEMES,
  type LabScheme,
  mergeConvergenceShards,
  schemeName,
  summariseConvergence,
} from './convergence.js';
export { type LyapunovOptions, type LyapunovTrial, lyapunovTrial } from './lyapunov.js';
export {
  type RandomLabOptions,
  type RateSynchronyOptions,
  type RateSynchronyParams,
  type RateSynchronyResult,
  type RateSynchronyTrial,
  randomLabNetwork,
  rateSynchronyStudy,
  rateSynchronyTrial,
} from './recurrent.js';
export { type LabReferenceRun, labRunReference } from './reference.js';
export {
  CoupledNoise,
  CoupledPoisson,
  type FeedforwardLabOptions,
  type FinePoissonEvents,
  feedforwardLabNetwork,
  LAB_INTEGRATORS,
  LAB_RULES,
  type LabIntegrator,
  type LabRule,
  type LabSimulationOptions,
  type LabSpikes,
  type LifLabNetwork,
  LifLabSimulation,
  type ResolvedLabNetwork,
  resolveLabNetwork,
} from './sim.js';
