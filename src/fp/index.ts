/**
 * fp: the weight-structured noisy leaky integrate-and-fire Fokker–Planck equation with learning
 * (Perthame, Salort, Wainrib 2017 — seed 001): a time-dependent (v, w) solver with hot loops in
 * the kernel, the semi-explicit stationary theory (Sections 3–7), a particle network for
 * cross-checks, and the Section 8 learn/test pattern-recognition experiment (examples/node).
 * The model is dimensionless: time in membrane time constants τ_m, rates in spikes per τ_m
 * ({@link FP_UNITS}).
 * @packageDocumentation
 */
export { FP_LIMITS, FP_UNITS, type FpGrid, type FpResponse, fpResponse } from './common.js';
export { type FpNeuronColumns, FpParticleNetwork, type FpParticleOptions, FpParticleRunResult } from './particles.js';
export {
  type FpReferenceStepOptions,
  type FpReferenceStepWOptions,
  type FpReferenceWork,
  type FpReferenceWorkW,
  fpReferenceStep,
  fpReferenceStepW,
  fpReferenceWork,
  fpReferenceWorkW,
} from './reference.js';
export {
  type FokkerPlanckOptions,
  FokkerPlanckSolver,
  type FpBlowUp,
  type FpGaussianDensityOptions,
  type FpInput,
  type FpLearning,
  FpRunResult,
  FpState,
  type FpWeightColumns,
  type FpWeightFunction,
  fpGaussianDensity,
} from './solver.js';
export {
  type FpDiscriminationOptions,
  FpDiscriminationResult,
  type FpInverseOptions,
  FpInverseResult,
  type FpInverseSolution,
  type FpLearningEquilibrium,
  type FpLearningEquilibriumOptions,
  FpLearningEquilibriumResult,
  type FpLogZOptions,
  type FpModelConstants,
  FpReducedSlowEvolution,
  type FpReducedSlowEvolveOptions,
  type FpReducedSlowOptions,
  FpReducedSlowResult,
  type FpRootSearch,
  type FpSearchRunOptions,
  type FpStationaryColumns,
  type FpStationaryOptions,
  FpStationaryResult,
  FpStationaryState,
  type FpWeightGrid,
  fpDiscrimination,
  fpInverseProblem,
  fpLearningEquilibrium,
  fpLogZ,
  fpReducedSlowEvolve,
  fpReducedSlowStationary,
  fpStationaryProfile,
  fpStationaryRate,
  fpStationaryStates,
} from './stationary.js';
