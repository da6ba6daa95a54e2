/**
 * Kernel table layouts, mirrored from assembly/lif/index.ts (change both together), and the
 * RNG streams the LIF engine uses.
 * @packageDocumentation
 */

/** @internal header fields (f64 index) */
export const H = {
  N: 0,
  NPOP: 1,
  NPROJ: 2,
  POP: 3,
  PROJ: 4,
  V: 5,
  I: 6,
  I2: 7,
  REF: 8,
  RING: 9,
  R: 10,
  REC_N: 11,
  REC_S: 12,
  REC_O: 13,
  REC_A: 14,
  REC_CAP: 15,
  REC_COUNT: 16,
  STEP: 17,
  K0: 18,
  K1: 19,
  H: 20,
  F: 21,
  INTEG: 22,
  RULE: 23,
  DONE: 24,
  FAST: 25,
  CATCH: 26,
  RLIST: 27,
  RLN: 28,
  // Analysis block (numerics: src/lif/coupling.ts, src/lif/tangent.ts), kept apart from the
  // engine's own fields: noise-window descriptor address, tangent vectors, their count, scratch,
  // secant slope per spike record, saltation log-sum per neuron, components per neuron (2 or 3).
  ZWIN: 29,
  TAN: 30,
  TANK: 31,
  TANS: 32,
  TANSEC: 33,
  TANLOG: 34,
  TANC: 35,
  SIZE: 36,
} as const;

/**
 * @internal noise-window descriptor (f64 index; analysis block, see src/lif/coupling.ts): key,
 * neurons per fine step, first fine step and number held, addresses of the `noise` and `noise2`
 * normals (0 when the second stream is not held).
 */
export const W = {
  K0: 0,
  K1: 1,
  N: 2,
  T0: 3,
  LEN: 4,
  Z1: 5,
  Z2: 6,
  SIZE: 7,
} as const;

/** @internal population table entry */
export const P = {
  SIZE: 16,
  START: 0,
  COUNT: 1,
  COEF: 2,
  STRIDE: 3,
  NOISE: 4,
  SIND: 5,
  SSH: 6,
  SHPTR: 7,
  INDEX: 8,
  PLAMBDA: 9,
  PEXP: 10,
  PW: 11,
  PCH: 12,
  SOA: 13,
  NR: 14,
  QS: 15,
} as const;

/**
 * @internal pair-blocked parameters of a heterogeneous population on the SIMD path (f64 index
 * within a pair block; each field is an f64x2 lane pair, lane 0 = even neuron). Q.SIZE_EM,
 * Q.SIZE_EXACT or (fineSteps > 1) Q.SIZE_EXACT_FINE f64 per pair; the first block holds the pair of the even neuron at or below the population start.
 */
export const Q = {
  MU: 0,
  VTH: 2,
  VR: 4,
  // euler-maruyama
  NA: 6,
  VL: 8,
  HB: 10,
  HB2: 12,
  SEM: 14,
  SIZE_EM: 16,
  // exact
  VINF: 6,
  EA: 8,
  P21: 10,
  P21B: 12,
  EB: 14,
  EB2: 16,
  CI: 18,
  CVI: 20,
  CVV: 22,
  SIZE_EXACT: 24,
  // exact with fineSteps > 1: the fine propagator that composes the fine increments
  EAF: 24,
  EBF: 26,
  P21F: 28,
  SIZE_EXACT_FINE: 30,
} as const;

/** @internal coefficient block */
export const C = {
  SIZE: 22,
  A: 0,
  VL: 1,
  VTH: 2,
  VR: 3,
  MU: 4,
  B: 5,
  B2: 6,
  TREF: 7,
  EA: 8,
  EB: 9,
  EB2: 10,
  P21: 11,
  P21B: 12,
  VINF: 13,
  CI: 14,
  CVI: 15,
  CVV: 16,
  SEM: 17,
  EAF: 18,
  EBF: 19,
  P21F: 20,
  ITH: 21,
} as const;

/** @internal projection table entry */
export const J = {
  SIZE: 12,
  PRE: 0,
  NPRE: 1,
  POST: 2,
  POP: 3,
  ROW: 4,
  COL: 5,
  W: 6,
  WS: 7,
  CH: 8,
  DINT: 9,
  DFRAC: 10,
} as const;

/**
 * Random streams of the LIF engine (counter contract of `src/rng`: element = neuron index,
 * step = FINE step index `n·fineSteps + j`).
 * - `noise` (0 = `Streams.noise`): the first normal z1 of each neuron and fine step;
 * - `noise2` ("lif\x01"): the second normal z2, used only by the `exact` integrator (the 2-D
 *   Ornstein–Uhlenbeck increment needs two);
 * - `shared` / `shared2`: common noise, element = population index;
 * - `input` (1 = `Streams.input`): Poisson drive: sub-draw 0 = event count (inversion), sub-draws
 *   1..k = positions of the events inside the fine step;
 * - `init` (3 = `Streams.init`): random initial voltages, step 0;
 * - connectivity (`Streams.connectivity`) under a key derived from the network seed and the
 *   projection index, so the wiring does not depend on the trial or on dt.
 */
export const LifStreams = {
  /** First normal z₁ per neuron and fine step (= `Streams.noise`). */
  noise: 0,
  /** Second normal z₂ per neuron and fine step (`exact` integrator only); "lif\x01". */
  noise2: 0x6c696601,
  /** Common noise z₁ of a population (element = population index); "lif\x02". */
  shared: 0x6c696602,
  /** Common noise z₂ of a population (`exact` integrator); "lif\x03". */
  shared2: 0x6c696603,
  /** Poisson drive (= `Streams.input`): sub-draw 0 = event count, 1..k = event positions. */
  input: 1,
  /** Random initial voltages, step 0 (= `Streams.init`). */
  init: 3,
  /** Wiring (= `Streams.connectivity`), under a key derived from the network seed and projection index. */
  connectivity: 2,
} as const;
