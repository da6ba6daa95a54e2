/**
 * numerics: numerical analysis of the LIF engine (seed 000_a5327dcba9ecafc1), all on
 * {@link LifNetwork}: coupled paths across step sizes ({@link coupledPaths}), convergence studies
 * with strong and weak errors and fitted orders ({@link convergenceStudy}), crossing-speed
 * statistics, Lyapunov exponents by the engine's tangent pass with reset saltation, finite
 * differences and the flux formula ({@link lyapunovTrial}, {@link lyapunovStudy}), and rates /
 * synchrony of recurrent networks ({@link rateSynchronyStudy}). Networks are data
 * ({@link LifNetworkSpec}). See docs/numerics.md.
 * @packageDocumentation
 */

export {
  type ConvergenceLevel,
  type ConvergenceLevelRow,
  type ConvergenceOptions,
  type ConvergenceOrders,
  type ConvergenceParams,
  ConvergenceResult,
  type ConvergenceScheme,
  type ConvergenceSchemeResult,
  type ConvergenceTrialRow,
  type CoupledPathsOptions,
  type CoupledPathsResult,
  type CoupledRun,
  convergenceStudy,
  coupledPaths,
  DEFAULT_SCHEMES,
  mergeConvergenceShards,
  type PopulationCounts,
  type SummariseConvergenceOptions,
  schemeName,
  summariseConvergence,
} from './convergence.js';
export {
  type LyapunovOptions,
  type LyapunovParams,
  type LyapunovStudyFields,
  type LyapunovStudyOptions,
  type LyapunovStudyResult,
  type LyapunovTrialResult,
  type LyapunovTrialRow,
  lyapunovStudy,
  lyapunovTrial,
} from './lyapunov.js';
export { type FeedforwardNetworkOptions, feedforwardNetwork, type RandomNetworkOptions, randomNetwork } from './network.js';
export {
  type RateSynchronyFields,
  type RateSynchronyOptions,
  type RateSynchronyParams,
  type RateSynchronyResult,
  type RateSynchronyTrial,
  rateSynchronyStudy,
} from './recurrent.js';
