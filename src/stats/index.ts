/**
 * stats: statistics on plain typed arrays used by the numerical-analysis lab and by users of any
 * model: Student-t inference and convergence-order fits ({@link fitOrder}), spike matching and
 * spike-train statistics ({@link matchSpikeTrains}, {@link golombChi}), crossing-speed / threshold
 * flux estimators ({@link crossingSpeedStatistics}, {@link riceRate}, {@link fluxLyapunov}) and
 * mean-field LIF rates ({@link lifRateColouredNoise}, {@link loopTruncatedRates}).
 * @packageDocumentation
 */

export {
  type LoopCovarianceEstimate,
  type LoopCovarianceOptions,
  lifCvColouredNoise,
  loopTruncatedCovariance,
} from './covariance.js';
export {
  type ColouredLifParams,
  type CrossingSpeedRow,
  crossingSpeedStatistics,
  fluxLyapunov,
  lifRateColouredNoise,
  loopTruncatedRates,
  palmDensity,
  riceRate,
  saltationFactor,
  ThresholdFluxAccumulator,
  type ThresholdParams,
} from './crossing.js';
export {
  type Estimate,
  fitOrder,
  type LinearFit,
  linearFit,
  meanConfidence,
  median,
  quantile,
  studentTCdf,
  studentTQuantile,
} from './regression.js';
export {
  golombChi,
  isiStatistics,
  matchSpikeTrains,
  populationRate,
  type SpikeList,
  type SpikeMatch,
  spikeCountCorrelations,
  spikeTrainsByNeuron,
} from './spikes.js';
