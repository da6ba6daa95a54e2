/**
 * ltn: linear-threshold networks ẋ = −Dx + [Wx + u]_+ with heterogeneous dissipation (seed 004):
 * simulation (Euler, RK4, Dormand–Prince 5(4), event-driven piecewise-linear), the one-parameter
 * family LTN_γ and its fast (projected dynamical system) and slow (linear complementarity system)
 * limits — the family and both limits are our reconstruction (lif-ltn.md §2.3 [R]) — equilibria
 * via the LCP, P/M/H-matrix and Lyapunov-diagonal-stability tests, and a stability report.
 * The model is dimensionless: time is in units of 1/d, never ms.
 * @packageDocumentation
 */
export {
  LtnEquilibria,
  type LtnEquilibriaOptions,
  type LtnFamilyMemberOptions,
  LtnGammaGap,
  type LtnGammaGapOptions,
  LtnStabilityReport,
  type LtnStabilityReportOptions,
  ltnEquilibria,
  ltnFamilyMember,
  ltnGammaGap,
  ltnGammaGapAsync,
  ltnMatrix,
  ltnStabilityReport,
  ltnStabilityReportAsync,
} from './analysis.js';
export { LTN_BATCH_MAX_BYTES, LtnBatch, type LtnBatchOptions } from './batch.js';
export {
  type LcsSimulateOptions,
  type LtnFieldOptions,
  type LtnMaxStableStepOptions,
  type LtnMethod,
  type LtnRunOptions,
  type LtnSimulateOptions,
  type LtnSystem,
  LtnTrajectory,
  lcsSimulate,
  lcsSimulateAsync,
  ltnMaxEvents,
  ltnMaxStableStep,
  ltnMinForm,
  ltnSimulate,
  ltnSimulateAsync,
  ltnVectorField,
  type PdsFieldOptions,
  type PdsMethod,
  type PdsSimulateOptions,
  pdsSimulate,
  pdsSimulateAsync,
  pdsVectorField,
} from './dynamics.js';
export {
  HMatrixResult,
  isHMatrix,
  isMMatrix,
  isPMatrix,
  Lds2x2Result,
  type LdsTestOptions,
  LdsTestResult,
  type LtnMatrix,
  type LtnNoOptions,
  ldsTest,
  ldsTestAsync,
  ldsTwoByTwo,
  MMatrixResult,
  PdsBestRate,
  type PdsBestRateOptions,
  PMatrixResult,
  pdsBestRate,
  pdsBestRateAsync,
  pdsRateBound,
} from './matrix.js';
export type { LtnInputFn, LtnNetworkSpec } from './network.js';
export type { LtnBatchRunParams, LtnLdsAscentParams } from './reference.js';

import { LtnBatchMethod, ltnBatchRunReference, ltnLdsAscentReference } from './reference.js';
/**
 * Plain TypeScript twins of the ltn kernels, line for line the same loops: `ltnBatchRunReference`
 * (the batch integrator, bit-identical to `LtnBatch`) and `ltnLdsAscentReference` (the LDS ascent,
 * `ldsTest({ backend: 'ts' })`); each takes one checked parameter object. The baselines of
 * `bench/ltn.bench.mjs`.
 */
export const ltnReference = { LtnBatchMethod, ltnBatchRunReference, ltnLdsAscentReference } as const;
export { LTN_MAX_SAMPLE_VALUES, LTN_MAX_WORK } from './work.js';
