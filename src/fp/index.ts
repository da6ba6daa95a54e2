/**
 * fp: the weight-structured noisy leaky integrate-and-fire Fokker–Planck equation with learning
 * (Perthame, Salort, Wainrib 2017 — seed 001): a time-dependent (v, w) solver with hot loops in
 * the kernel, the semi-explicit stationary theory (Sections 3–7), a particle network for
 * cross-checks, and the Section 8 learn/test pattern-recognition experiment (examples/node).
 * @packageDocumentation
 */
export { type FpGrid, type FpSigma, fpSigma } from './common.js';
export { FpParticleNetwork, type FpParticleOptions } from './particles.js';
export {
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
  type FpInput,
  type FpLearning,
  type FpRunOptions,
  type FpRunResult,
  type FpWeightFunction,
  fpGaussianDensity,
} from './solver.js';
export {
  type FpDiscriminationOptions,
  type FpInverseOptions,
  type FpLearningEquilibrium,
  type FpLearningEquilibriumOptions,
  type FpModelConstants,
  type FpReducedSlowEvolveOptions,
  type FpReducedSlowOptions,
  type FpStationaryOptions,
  type FpStationaryState,
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
