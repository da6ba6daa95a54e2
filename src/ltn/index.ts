/**
 * ltn: linear-threshold networks ẋ = −Dx + [Wx + u]_+ with heterogeneous dissipation (seed 004):
 * simulation (Euler, RK4, Dormand–Prince 5(4), exact piecewise-linear), the one-parameter family
 * LTN_γ and its fast (projected dynamical system) and slow (linear complementarity system) limits —
 * the family and both limits are our reconstruction (lif-ltn.md §2.3 [R]) — equilibria via the LCP,
 * P/M/H-matrix and Lyapunov-diagonal-stability tests, and a stability report.
 * @packageDocumentation
 */
export {
  type LtnEquilibria,
  type LtnEquilibriaOptions,
  type LtnGammaGap,
  type LtnGammaGapOptions,
  type LtnStabilityReport,
  type LtnStabilityReportOptions,
  ltnEquilibria,
  ltnFamilyMember,
  ltnGammaGap,
  ltnMatrix,
  ltnStabilityReport,
} from './analysis.js';
export { LtnBatch, type LtnBatchOptions } from './batch.js';
export {
  type LcsSimulateOptions,
  type LtnRunOptions,
  type LtnSimulateOptions,
  type LtnTrajectory,
  lcsSimulate,
  ltnMaxStableStep,
  ltnMinForm,
  ltnSimulate,
  ltnVectorField,
  type PdsSimulateOptions,
  pdsSimulate,
  pdsVectorField,
} from './dynamics.js';
export {
  type HMatrixResult,
  isHMatrix,
  isMMatrix,
  isPMatrix,
  type Lds2x2Result,
  type LdsTestOptions,
  type LdsTestResult,
  type LtnMatrix,
  ldsTest,
  ldsTwoByTwo,
  type MMatrixResult,
  type PdsBestRate,
  type PMatrixResult,
  pdsBestRate,
  pdsRateBound,
} from './matrix.js';
export type { LtnInputFn, LtnNetworkSpec } from './network.js';
export * as ltnReference from './reference.js';
