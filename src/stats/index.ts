/**
 * stats: statistics on plain typed arrays used by the numerical-analysis lab and by users of any
 * model: Student-t inference and convergence-order fits ({@link fitOrder}), spike matching and
 * spike-train statistics ({@link matchSpikeTrains}, {@link isiStatistics}, {@link populationRate},
 * {@link golombChi}), crossing-speed / threshold flux estimators ({@link crossingSpeedStatistics},
 * {@link riceRate}, {@link fluxLyapunov}) and mean-field LIF rates ({@link lifRateColouredNoise},
 * {@link loopTruncatedRates}). Times in ms, rates in Hz, ddof 0 unless stated: docs/stats.md.
 * @packageDocumentation
 */

export {
  type LoopCovarianceEstimate,
  type LoopCovarianceFields,
  type LoopCovarianceOptions,
  lifCvColouredNoise,
  loopTruncatedCovariance,
} from './covariance.js';
export {
  type ColouredLifNetwork,
  type ColouredLifParams,
  type CrossingSpeedOptions,
  type CrossingSpeedRow,
  crossingSpeedStatistics,
  type FluxLyapunovOptions,
  type FluxLyapunovParams,
  fluxLyapunov,
  type LoopRatesOptions,
  type LoopTruncatedRates,
  lifRateColouredNoise,
  loopTruncatedRates,
  type PalmDensity,
  type PalmDensityOptions,
  palmDensity,
  riceRate,
  type SaltationOptions,
  saltationFactor,
  ThresholdFluxAccumulator,
  type ThresholdParams,
} from './crossing.js';
export {
  type Estimate,
  type EstimateResult,
  fitOrder,
  type LevelOptions,
  type LinearFit,
  type LinearFitOptions,
  linearFit,
  meanConfidence,
  median,
  type OrderFit,
  quantile,
  studentTCdf,
  studentTQuantile,
} from './regression.js';
export type { StatsResult } from './result.js';
export {
  type BinOptions,
  golombChi,
  type IsiOptions,
  type IsiStatistics,
  isiStatistics,
  type MatchOptions,
  matchSpikeTrains,
  type NeuronCountOptions,
  type PopulationRate,
  type PopulationRateColumns,
  populationRate,
  type SpikeCountCorrelations,
  type SpikeList,
  type SpikeMatch,
  type SpikeTrainsByNeuron,
  STATS_MAX_BINS,
  spikeCountCorrelations,
  spikeTrainsByNeuron,
} from './spikes.js';
