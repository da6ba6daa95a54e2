// The export registry: one description per public export of the built package (dist/index.js),
// used by the contract test (test/contract/exports.test.ts), the fuzz suite (test/fuzz/) and the
// memory soak. A new export that is not described here fails the contract test.
//
// Every top-level export (and every member of an exported namespace object) is one of:
// - a callable entry: a function or a constructible class, with a valid call (small sizes, fixed
//   seed); a class also describes each public method;
// - a result class (`result`): constructed by the library; its instances are checked as the
//   results of the calls that return them, and `instance()` gives one for its methods;
// - an error class (`error`), an abstract base (`abstract`), or a constant (`constant`: a
//   non-callable value), each with a one-line reason.
//
// A class spec may also carry `statics` (static methods, e.g. WorkerPool.create, described like
// functions), `noConstructor` (reason: the constructor is private), and per method `internal`
// (reason: a method public only for the library's own modules; enumerated, not fuzzed).
//
// Fields of a callable spec (a function, a constructor, or a method under `methods`):
//   args()       a valid argument list, fresh values on every call
//   options      index of the strict options argument (unknown keys → ValidationError)
//   typo         [misspelt key, expected suggestion] (default: derived from a key of the valid call)
//   long         'sync' | 'async': a long-running call taking { signal, onProgress } (async also sliceMs)
//   runOptions   index of the argument that carries signal/onProgress (default: `options`)
//   unit         the Progress unit the call reports
//   longArgs()   arguments for a call that runs for seconds: the timer-abort check of async calls
//                and the dispose-during-run check of methods (default: args)
//   longSetup()  methods: the object for that long call (default: setup)
//   progressArgs() arguments for a call that reports progress at least twice (default: args)
//   anyType      positional arguments that accept any value (e.g. toJSONValue's)
//   setup()      methods: the object the method is called on (default: a new instance from the class's args;
//                may return a promise)
//   noFuzz       reason not to fuzz this call (it is still enumerated and contract-checked)
//   maxMs        wall-clock bound of one call in the fuzz suite (default DEFAULT_MAX_MS)
//   nonFinite    reason when a documented result may hold NaN (no data); ±∞ still fails
//   infinite     { 'path.suffix': reason } for result fields documented to be ±∞ (checked by path)
//   anyValue     reason when the result holds the caller's own values (containers, task results)
//   soak(k)      one create/run/dispose cycle for the memory soak (classes holding kernel memory)
//   seedless     the call ignores `seed` (no seed convention to check)
//   fixed        positional arguments the fuzz suite leaves alone, e.g. the caller's own argument
//                name given to the validate helpers (named in their messages), or a file path
//   seeds        positional arguments that take a seed (a number or a string): the wrong-type check
//                passes a boolean there, not a string
//   handle       reason when the call returns a handle (a writer, a sink, a stream), not a result:
//                it needs no toJSON
import { rmSync } from 'node:fs';
import * as nd from '../../dist/index.js';

/** Default bound on one fuzzed call (ms): the registry's valid calls take milliseconds. */
export const DEFAULT_MAX_MS = 20_000;

/** The families, in the order the fuzz suite runs them. */
export const FAMILIES = ['core', 'fp', 'ltn', 'io', 'lif', 'numerics', 'brf', 'srm', 'stats', 'rng', 'parallel'];

// ---------------------------------------------------------------------------------------------
// fp: small valid inputs
const fpGrid = () => ({ vMin: -4, vReset: 0, vThreshold: 1, nv: 60, wMin: -1, wMax: 0, nw: 8 });
const fpSolverOptions = () => {
  const grid = fpGrid();
  return { grid, a: 1, dt: 0.01, input: 0.8, initial: nd.fpGaussianDensity(grid, { mean: 0, sd: 0.5 }) };
};
const fpBigSolver = () => {
  const grid = { ...fpGrid(), nv: 400, nw: 64 };
  return new nd.FokkerPlanckSolver({ grid, a: 1, dt: 0.01, input: 0.8, initial: nd.fpGaussianDensity(grid, { mean: 0, sd: 0.5 }) });
};
const fpParticleOptions = () => ({ weights: [-0.5, -0.2, 0, 0.1], input: 1.2, a: 1, vReset: 0, vThreshold: 1, dt: 0.01, seed: 3 });
const fpModel = () => ({ a: 1, vReset: 1, vThreshold: 2 });
const fpRefGrid = () => ({ nv: 10, nw: 3, iR: 5, vMin: -3, h: 0.4, w: new Float64Array([-0.5, -0.3, -0.1]), dw: 0.2 });

// ltn: the LDS example of the docs
const ltnNet = () => ({
  d: [1, 3],
  W: [
    [0.2, -1.5],
    [1, 0.5],
  ],
  u: [1, -2],
});
const ltnM = () => nd.ltnMatrix(ltnNet());
const ltnCyclic = () => ({
  d: [1, 1.2, 0.9],
  W: [
    [0, 0, -3],
    [-3, 0.2, 0],
    [0, -3, -0.1],
  ],
  u: [1, 1, 1],
});
const ltnBig = (n) => ({
  d: Array(n).fill(1),
  W: Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 0 : Math.sin(i * 7 + j * 3) / n))),
  u: Array(n).fill(1),
});
const x2 = () => [0.2, 1.5];

/** `f(obj)` on a fresh kernel object, disposed afterwards (results are copies and outlive it). */
const withObj = (make, f) => {
  const o = make();
  try {
    return f(o);
  } finally {
    o.dispose();
  }
};

/** One cycle of the lifetime test and the soak: make, run a little, dispose. */
const cycle = (make, run) => (k) => {
  const o = make(k);
  try {
    run(o, k);
  } finally {
    o.dispose();
  }
};

/** @type {Record<string, any>} */
export const registry = {
  // ------------------------------------------------------------------------------- core
  init: { family: 'core', args: () => [{}], options: 0, seedless: true },
  initSync: { family: 'core', args: () => [], seedless: true },
  isInitialised: { family: 'core', args: () => [] },
  kernelMemory: { family: 'core', args: () => [] },
  checkAllocations: { family: 'core', args: () => [[{ bytes: 64, label: 'x' }], 'test'] },
  MAX_REGION_BYTES: { family: 'core', constant: 'the largest single kernel region (bytes)' },
  MAX_KERNEL_BYTES: { family: 'core', constant: 'the size of a 32-bit WebAssembly memory (bytes)' },
  Region: {
    family: 'core',
    args: () => [64, 'fuzz'],
    dispose: (r) => r.free(),
    methods: {
      f64: { args: () => [0, 2] },
      i32: { args: () => [0, 2] },
      u32: { args: () => [0, 2] },
      u8: { args: () => [0, 2] },
      free: { args: () => [] },
    },
    soak: (k) => {
      const r = new nd.Region(64 + (k % 7) * 16, 'soak');
      r.f64().fill(k);
      r.free();
    },
  },
  KernelObject: { family: 'core', abstract: 'base class of kernel-backed objects (its subclasses are checked)' },
  Result: { family: 'core', abstract: 'base class of result objects (its subclasses are checked)' },
  Table: {
    family: 'core',
    anyValue: "a container: its columns hold the caller's numbers unchanged",
    args: () => ['fuzz.table', { x: { data: new Float64Array([1, 2]), unit: 'ms', description: 'x' } }, { dt: 0.1 }],
    methods: {
      columnNames: { args: () => [] },
      column: { args: () => ['x'], anyValue: "returns the caller's column" },
      rows: { args: () => [] },
    },
  },
  makeTable: {
    family: 'core',
    anyValue: "a container: its columns hold the caller's numbers unchanged",
    args: () => [
      'fuzz.table',
      {
        t: { data: new Float64Array([0.5, 1]), unit: 'ms', description: 't' },
        n: { data: new Int32Array([1, 2]), unit: '', description: 'n' },
      },
      { dt: 0.1 },
    ],
  },
  toJSONValue: {
    family: 'core',
    anyType: [0],
    args: () => [{ a: new Float64Array([1, 2]), b: 3 }],
    anyValue: "returns the caller's values (non-finite numbers become null only where JSON needs it)",
  },
  fingerprint: { family: 'core', args: () => [new Float64Array([1, 2, 3])] },
  checkStatus: { family: 'core', args: () => [0, 'fuzz'] },
  Status: { family: 'core', constant: 'kernel status codes' },
  NeurodynError: { family: 'core', error: 'base error class' },
  ValidationError: { family: 'core', error: 'bad input' },
  NumericalError: { family: 'core', error: 'numerical failure' },
  AbortedError: { family: 'core', error: 'cancelled' },
  DisposedError: { family: 'core', error: 'used after dispose' },
  KernelAbortError: { family: 'core', error: 'kernel invariant (a bug)' },
  OutOfMemoryError: { family: 'core', error: 'kernel memory exhausted' },
  validate: {
    family: 'core',
    namespace: 'the argument checks every family uses, public for user task modules',
    members: {
      checkFinite: { fixed: [0, 2], args: () => ['x', 1, 'ms'] },
      checkPositive: { fixed: [0, 2], args: () => ['x', 1, 'ms'] },
      checkNonNegative: { fixed: [0, 2], args: () => ['x', 0, 'ms'] },
      checkRange: { fixed: [0, 2, 3, 4], args: () => ['x', 0.5, 0, 1, {}] },
      checkInteger: { fixed: [0, 2, 3], args: () => ['x', 3, 0, 10] },
      checkBoolean: { fixed: [0], args: () => ['x', true] },
      checkChoice: { fixed: [0, 2], args: () => ['x', 'a', ['a', 'b']] },
      isNumericArray: { anyType: [0], args: () => [[1, 2]] },
      checkFiniteArray: { fixed: [0, 2], args: () => ['x', [1, 2], 2] },
      scalarOrArray: { fixed: [0, 2], args: () => ['x', 1, 3] },
      checkOptions: { fixed: [0], args: () => ['options', {}] },
      checkSignal: { fixed: [0], args: () => ['signal', new AbortController().signal] },
    },
  },

  // ------------------------------------------------------------------------------- fp
  FP_LIMITS: { family: 'fp', constant: 'documented work and size limits of the fp family' },
  FP_UNITS: { family: 'fp', constant: 'units of the dimensionless fp model' },
  fpResponse: { family: 'fp', args: () => [{ kind: 'tanh', max: 2 }, 1] },
  fpGaussianDensity: { family: 'fp', args: () => [fpGrid(), { mean: 0, sd: 0.5 }], options: 1 },
  FokkerPlanckSolver: {
    family: 'fp',
    args: () => [fpSolverOptions()],
    options: 0,
    typo: ['dT', 'dt'],
    methods: {
      setLearning: {
        args: () => [false],
        setup: () => new nd.FokkerPlanckSolver({ ...fpSolverOptions(), learning: { rule: 'hebbian', epsilon: 0.5 } }),
      },
      setInput: { args: () => [0.5] },
      run: { args: () => [0.05], options: 1, long: 'sync', unit: 'step', longSetup: fpBigSolver, longArgs: () => [1000] },
      runAsync: { args: () => [0.05], options: 1, long: 'async', unit: 'step', longSetup: fpBigSolver, longArgs: () => [1000] },
      density: { args: () => [] },
      rates: { args: () => [] },
      learningField: { args: () => [] },
      weightDistribution: { args: () => [] },
      mass: { args: () => [] },
      minDensity: { args: () => [] },
      state: { args: () => [] },
      trace: { args: () => [] },
    },
    soak: cycle(
      () => new nd.FokkerPlanckSolver(fpSolverOptions()),
      (s) => s.run(0.02),
    ),
  },
  FpParticleNetwork: {
    family: 'fp',
    args: () => [fpParticleOptions()],
    options: 0,
    typo: ['sed', 'seed'],
    methods: {
      run: {
        args: () => [0.05],
        options: 1,
        long: 'sync',
        unit: 'step',
        longSetup: () => new nd.FpParticleNetwork({ ...fpParticleOptions(), weights: new Float64Array(20000).fill(-0.1) }),
        longArgs: () => [1000],
      },
      runAsync: {
        args: () => [0.05],
        options: 1,
        long: 'async',
        unit: 'step',
        longSetup: () => new nd.FpParticleNetwork({ ...fpParticleOptions(), weights: new Float64Array(20000).fill(-0.1) }),
        longArgs: () => [1000],
      },
      resetCounters: { args: () => [] },
      counts: { args: () => [] },
      rates: { args: () => [] },
      meanNbar: { args: () => [], nonFinite: 'NaN before any step (no time has passed)' },
      potentials: { args: () => [] },
      neurons: { args: () => [] },
    },
    soak: cycle(
      (k) => new nd.FpParticleNetwork({ ...fpParticleOptions(), seed: k }),
      (n) => n.run(0.05),
    ),
  },
  fpReferenceWork: { family: 'fp', args: () => [{ nv: 10, h: 0.4, a: 1 }], options: 0 },
  fpReferenceWorkW: { family: 'fp', args: () => [{ nv: 10, nw: 3 }], options: 0 },
  fpReferenceStep: {
    family: 'fp',
    args: () => [
      new Float64Array(30).fill(0.1),
      new Float64Array(3).fill(0.2),
      [0, 0, 0],
      { grid: fpRefGrid(), a: 1, dt: 0.01, work: nd.fpReferenceWork({ nv: 10, h: 0.4, a: 1 }) },
    ],
    options: 3,
  },
  fpReferenceStepW: {
    family: 'fp',
    args: () => [
      new Float64Array(30).fill(0.1),
      new Float64Array(3).fill(0.2),
      [-1, -1, -1],
      { nbar: 0.1, grid: fpRefGrid(), epsilon: 0.5, nu: 0, dt: 0.01, work: nd.fpReferenceWorkW({ nv: 10, nw: 3 }) },
    ],
    options: 3,
  },
  fpLogZ: { family: 'fp', args: () => [0.5, fpModel()], options: 1 },
  fpStationaryRate: { family: 'fp', args: () => [0.5, fpModel()], options: 1 },
  fpStationaryProfile: { family: 'fp', args: () => [1.5, [0, 0.5, 1, 1.5], fpModel()], options: 2 },
  fpStationaryStates: {
    family: 'fp',
    args: () => [{ ...fpModel(), w: [-0.75, -0.25], dw: 0.5, H: [1, 1] }],
    progressArgs: () => [{ ...fpModel(), w: [1], dw: 1, H: [1], nbarMax: 1e6, maxEvaluations: 2000 }],
    options: 0,
    long: 'sync',
    unit: 'iteration',
  },
  fpInverseProblem: {
    family: 'fp',
    args: () => [{ ...fpModel(), w: [-0.75, -0.25], dw: 0.5, S: [1, 1] }],
    options: 0,
    long: 'sync',
    unit: 'iteration',
  },
  fpDiscrimination: {
    family: 'fp',
    args: () => [{ ...fpModel(), w: [-0.75, -0.25], dw: 0.5, H: [1, 1], I: [0, 0], J: [1, 1] }],
    progressArgs: () => [{ ...fpModel(), w: [1], dw: 1, H: [1], I: [0], J: [0.5], nbarMax: 1e6, maxEvaluations: 2000 }],
    options: 0,
    long: 'sync',
    unit: 'iteration',
  },
  fpLearningEquilibrium: {
    family: 'fp',
    args: () => [{ a: 1, vReset: 0, vThreshold: 1, input: (w) => 1 + w, nbarMax: 5 }],
    options: 0,
    long: 'sync',
    unit: 'iteration',
  },
  fpReducedSlowStationary: {
    family: 'fp',
    args: () => [{ a: 1, vReset: 0, vThreshold: 1, input: (w) => 1 + w, nu: 0.05, points: 21, wMin: -1.5 }],
    options: 0,
    long: 'sync',
    unit: 'iteration',
  },
  fpReducedSlowEvolve: {
    family: 'fp',
    args: () => [{ ...fpModel(), input: () => 0.5, nu: 0.01, H0: [1, 1, 1], wMin: -1, dt: 0.01, duration: 0.1 }],
    options: 0,
    long: 'sync',
    unit: 'step',
  },
  FpRunResult: {
    family: 'fp',
    result: () =>
      withObj(
        () => new nd.FokkerPlanckSolver(fpSolverOptions()),
        (s) => s.run(0.01),
      ),
  },
  FpState: {
    family: 'fp',
    result: () =>
      withObj(
        () => new nd.FokkerPlanckSolver(fpSolverOptions()),
        (s) => s.state(),
      ),
  },
  FpParticleRunResult: {
    family: 'fp',
    result: () =>
      withObj(
        () => new nd.FpParticleNetwork(fpParticleOptions()),
        (n) => n.run(0.01),
      ),
  },
  FpStationaryResult: { family: 'fp', result: () => nd.fpStationaryStates({ ...fpModel(), w: [-0.75, -0.25], dw: 0.5, H: [1, 1] }) },
  FpStationaryState: {
    family: 'fp',
    result: () => nd.fpStationaryStates({ ...fpModel(), w: [-0.75, -0.25], dw: 0.5, H: [1, 1] }).states[0],
    methods: { table: { args: () => [] } },
  },
  FpInverseResult: { family: 'fp', result: () => nd.fpInverseProblem({ ...fpModel(), w: [-0.75, -0.25], dw: 0.5, S: [1, 1] }) },
  FpDiscriminationResult: {
    family: 'fp',
    result: () => nd.fpDiscrimination({ ...fpModel(), w: [-0.75, -0.25], dw: 0.5, H: [1, 1], I: [0, 0], J: [1, 1] }),
  },
  FpLearningEquilibriumResult: {
    family: 'fp',
    result: () => nd.fpLearningEquilibrium({ a: 1, vReset: 0, vThreshold: 1, input: (w) => 1.5 * Math.exp(-((w + 0.5) ** 2) / 0.01) }),
  },
  FpReducedSlowResult: {
    family: 'fp',
    result: () =>
      nd.fpReducedSlowStationary({
        a: 1,
        vReset: 0,
        vThreshold: 1,
        input: (w) => 1.5 * Math.exp(-((w + 0.5) ** 2) / 0.01),
        nu: 0.05,
        points: 101,
        wMin: -1.5,
      }),
  },
  FpReducedSlowEvolution: {
    family: 'fp',
    result: () => nd.fpReducedSlowEvolve({ ...fpModel(), input: () => 0.5, nu: 0.01, H0: [1, 1, 1], wMin: -1, dt: 0.01, duration: 0.1 }),
  },

  // ------------------------------------------------------------------------------- ltn
  LTN_BATCH_MAX_BYTES: { family: 'ltn', constant: 'documented memory limit of LtnBatch' },
  LTN_MAX_SAMPLE_VALUES: { family: 'ltn', constant: 'documented limit on stored samples' },
  LTN_MAX_WORK: { family: 'ltn', constant: 'documented work limit' },
  ltnReference: {
    family: 'ltn',
    namespace: 'plain TypeScript twins of the ltn kernels',
    members: {
      LtnBatchMethod: { constant: 'method codes of the batch kernel' },
      ltnBatchRunReference: {
        args: () => [
          {
            n: 2,
            m: 1,
            d: new Float64Array([1, 3]),
            w: new Float64Array([0.2, -1.5, 1, 0.5]),
            u: new Float64Array([1, -2]),
            gammas: new Float64Array([1]),
            x: new Float64Array([0.2, 1.5]),
            dt: 0.01,
            steps: 10,
            method: 'rk4',
          },
        ],
        options: 0,
      },
      ltnLdsAscentReference: {
        args: () => [
          {
            n: 2,
            matrix: new Float64Array(ltnM().flat()),
            iterations: 20,
            eta0: 0.5,
            p: new Float64Array([1, 1]),
            xbar: new Float64Array(4),
          },
        ],
        options: 0,
      },
    },
  },
  ltnMatrix: { family: 'ltn', args: () => [ltnNet(), {}], options: 1, typo: ['zz', undefined] },
  ltnFamilyMember: { family: 'ltn', args: () => [ltnNet(), { gamma: 2 }], options: 1 },
  ltnVectorField: { family: 'ltn', args: () => [ltnNet(), x2(), { gamma: 2 }], options: 2 },
  ltnMinForm: { family: 'ltn', args: () => [ltnNet(), x2(), { time: 0 }], options: 2 },
  pdsVectorField: { family: 'ltn', args: () => [ltnNet(), x2(), { time: 0 }], options: 2 },
  ltnMaxStableStep: { family: 'ltn', args: () => [ltnNet(), { method: 'rk4' }], options: 1 },
  ltnMaxEvents: { family: 'ltn', args: () => [2, {}], options: 1, typo: ['zz', undefined] },
  ltnEquilibria: { family: 'ltn', args: () => [ltnNet(), {}], options: 1, typo: ['methd', 'method'] },
  ltnSimulate: { family: 'ltn', args: () => [ltnNet(), x2(), { duration: 1 }], options: 2, long: 'sync', unit: 'sample' },
  ltnSimulateAsync: {
    family: 'ltn',
    args: () => [ltnNet(), x2(), { duration: 1 }],
    options: 2,
    long: 'async',
    unit: 'sample',
    longArgs: () => [ltnNet(), x2(), { duration: 2e5, dt: 1e-3, method: 'rk4' }],
  },
  pdsSimulate: { family: 'ltn', args: () => [ltnNet(), x2(), { duration: 1 }], options: 2, long: 'sync', unit: 'sample' },
  pdsSimulateAsync: {
    family: 'ltn',
    args: () => [ltnNet(), x2(), { duration: 1 }],
    options: 2,
    long: 'async',
    unit: 'sample',
    longArgs: () => [ltnCyclic(), [0.3, 0.2, 0.25], { duration: 2e5 }],
  },
  lcsSimulate: { family: 'ltn', args: () => [ltnNet(), x2(), { duration: 1 }], options: 2, long: 'sync', unit: 'step' },
  lcsSimulateAsync: {
    family: 'ltn',
    args: () => [ltnNet(), x2(), { duration: 1 }],
    options: 2,
    long: 'async',
    unit: 'step',
    longArgs: () => [ltnNet(), x2(), { duration: 1e4, dt: 1e-3 }],
  },
  LtnBatch: {
    family: 'ltn',
    args: () => [ltnNet(), [x2(), [1, 1]], { dt: 0.01 }],
    options: 2,
    typo: ['gama', 'gamma'],
    methods: {
      run: {
        args: () => [0.1],
        options: 1,
        long: 'sync',
        unit: 'step',
        longSetup: () => new nd.LtnBatch(ltnNet(), Array.from({ length: 64 }, x2), { dt: 1e-3 }),
        longArgs: () => [3000],
      },
      runAsync: {
        args: () => [0.1],
        options: 1,
        long: 'async',
        unit: 'step',
        longSetup: () => new nd.LtnBatch(ltnNet(), Array.from({ length: 64 }, x2), { dt: 1e-3 }),
        longArgs: () => [3000],
      },
      stateArray: { args: () => [] },
      states: { args: () => [] },
    },
    soak: cycle(
      (k) => new nd.LtnBatch(ltnNet(), [x2(), [k % 3, 1]], { dt: 0.01, method: k % 2 ? 'rk4' : 'pds' }),
      (b) => b.run(0.1),
    ),
  },
  ltnGammaGap: {
    family: 'ltn',
    args: () => [ltnNet(), x2(), [10], { duration: 1 }],
    options: 3,
    long: 'sync',
    typo: ['duraton', 'duration'],
  },
  ltnGammaGapAsync: {
    family: 'ltn',
    args: () => [ltnNet(), x2(), [10], { duration: 1 }],
    options: 3,
    long: 'async',
    typo: ['duraton', 'duration'],
    longArgs: () => [ltnNet(), x2(), [10, 300], { duration: 100 }],
  },
  ltnStabilityReport: { family: 'ltn', args: () => [ltnNet(), { trials: 1, duration: 2 }], options: 1, long: 'sync' },
  ltnStabilityReportAsync: {
    family: 'ltn',
    args: () => [ltnNet(), { trials: 1, duration: 2 }],
    options: 1,
    long: 'async',
    longArgs: () => [ltnCyclic(), { trials: 400, duration: 200 }],
  },
  isPMatrix: { family: 'ltn', args: () => [ltnM(), {}], options: 1, typo: ['zz', undefined] },
  isMMatrix: { family: 'ltn', args: () => [ltnM(), {}], options: 1, typo: ['zz', undefined] },
  isHMatrix: { family: 'ltn', args: () => [ltnM(), {}], options: 1, typo: ['zz', undefined] },
  ldsTwoByTwo: { family: 'ltn', args: () => [ltnM(), {}], options: 1, typo: ['zz', undefined] },
  ldsTest: { family: 'ltn', args: () => [ltnM(), { iterations: 50 }], options: 1, long: 'sync', unit: 'iteration' },
  ldsTestAsync: {
    family: 'ltn',
    args: () => [ltnM(), { iterations: 50 }],
    options: 1,
    long: 'async',
    unit: 'iteration',
    longArgs: () => [nd.ltnMatrix(ltnBig(24)), { iterations: 100_000 }],
  },
  pdsRateBound: { family: 'ltn', args: () => [ltnM(), [1, 1], {}], options: 2, typo: ['zz', undefined] },
  pdsBestRate: { family: 'ltn', args: () => [ltnM(), {}], options: 1, long: 'sync', typo: ['strat', 'start'] },
  pdsBestRateAsync: {
    family: 'ltn',
    args: () => [ltnM(), {}],
    options: 1,
    long: 'async',
    typo: ['strat', 'start'],
    longArgs: () => [nd.ltnMatrix(ltnBig(24)), { iterations: 100_000, start: Array(24).fill(1) }],
  },
  LtnTrajectory: { family: 'ltn', result: () => nd.ltnSimulate(ltnNet(), x2(), { duration: 1 }), methods: { table: { args: () => [] } } },
  LtnEquilibria: { family: 'ltn', result: () => nd.ltnEquilibria(ltnNet()) },
  LtnGammaGap: { family: 'ltn', result: () => nd.ltnGammaGap(ltnNet(), x2(), [10]) },
  LtnStabilityReport: { family: 'ltn', result: () => nd.ltnStabilityReport(ltnNet(), { trials: 4 }) },
  PMatrixResult: { family: 'ltn', result: () => nd.isPMatrix(ltnM()) },
  MMatrixResult: { family: 'ltn', result: () => nd.isMMatrix(ltnM()) },
  HMatrixResult: { family: 'ltn', result: () => nd.isHMatrix(ltnM()) },
  Lds2x2Result: { family: 'ltn', result: () => nd.ldsTwoByTwo(ltnM()) },
  LdsTestResult: { family: 'ltn', result: () => nd.ldsTest(ltnM(), { iterations: 50 }) },
  PdsBestRate: { family: 'ltn', result: () => nd.pdsBestRate(ltnM()) },
};

const trialsOptions = () => ({ range: [0, 3], workers: 0, params: { n: 4 }, seed: 5 });
const sweepOptions = () => ({ task: 'core.sleep', params: { ms: [0, 1] }, workers: 0, seed: 5 });
const inlinePool = () => nd.WorkerPool.create({ workers: 0, tasks: { double: (x) => 2 * x } });

Object.assign(registry, {
  // ------------------------------------------------------------------------------- parallel
  defaultWorkers: { family: 'parallel', args: () => [] },
  MAX_COLLECTED_TRIALS: { family: 'parallel', constant: 'most trials one runTrials/sweepTrials call collects' },
  runTrials: {
    family: 'parallel',
    args: () => ['core.normals', trialsOptions()],
    options: 1,
    long: 'async',
    unit: 'trial',
    anyValue: 'rows hold what the task returned',
    longArgs: () => ['core.normals', { range: [0, 4e6], workers: 0, params: { n: 64 } }],
    typo: ['rnage', 'range'],
    soak: (k) => nd.runTrials('core.normals', { range: [0, 2], workers: 0, params: { n: 16 }, seed: k }),
  },
  iterateTrials: {
    family: 'parallel',
    args: () => ['core.normals', trialsOptions()],
    options: 1,
    call: async (gen) => {
      const rows = [];
      for await (const r of gen) rows.push(r);
      return rows;
    },
    typo: ['lookahed', 'lookahead'],
    anyValue: 'rows hold what the task returned',
  },
  mergeTrials: {
    family: 'parallel',
    anyValue: 'rows hold what the tasks returned',
    args: () => [
      [
        {
          range: [0, 2],
          rows: [
            { index: 0, ok: true, value: 1 },
            { index: 1, ok: true, value: 2 },
          ],
        },
        { range: [2, 3], rows: [{ index: 2, ok: true, value: 3 }] },
      ],
    ],
  },
  sweepPoints: { family: 'parallel', anyValue: "the caller's parameter values, expanded", args: () => [{ a: [1, 2], b: [0.5] }] },
  sweepTrials: {
    family: 'parallel',
    args: () => [sweepOptions()],
    options: 0,
    long: 'async',
    unit: 'trial',
    typo: ['trails', 'trials'],
    longArgs: () => [{ task: 'core.normals', params: { n: [64] }, trials: 1e6, workers: 0 }],
  },
  sweep: {
    family: 'parallel',
    args: () => [sweepOptions()],
    options: 0,
    long: 'async',
    unit: 'trial',
    typo: ['trails', 'trials'],
    anyValue: 'a value a trial did not return is NaN in its column (documented)',
    longArgs: () => [{ task: 'core.normals', params: { n: [64] }, trials: 1e6, workers: 0 }],
  },
  sweepTable: {
    family: 'parallel',
    args: () => [
      {
        range: [0, 2],
        rows: [
          { index: 0, ok: true, value: { x: 1 } },
          { index: 1, ok: true, value: { x: 2 } },
        ],
      },
      { task: 'core.sleep', params: { ms: [0, 1] } },
    ],
    options: 1,
    anyValue: 'a value a trial did not return is NaN in its column (documented)',
  },
  WorkerPool: {
    family: 'parallel',
    noConstructor: 'private: pools are made by WorkerPool.create (workers start asynchronously)',
    statics: { create: { args: () => [{ workers: 0 }], options: 0, typo: ['worker', 'workers'] } },
    dispose: (p) => p.close(),
    methods: {
      map: {
        setup: inlinePool,
        args: () => ['double', [1, 2, 3], {}],
        options: 2,
        long: 'async',
        unit: 'trial',
        anyValue: 'rows hold what the task returned',
        longArgs: () => ['double', Array.from({ length: 3e6 }, (_, i) => i), {}],
      },
      close: { setup: inlinePool, args: () => [] },
      stream: { internal: 'the row stream behind runTrials, iterateTrials and sweep (checked through them)' },
    },
  },
  TrialsResult: {
    family: 'parallel',
    result: () => nd.mergeTrials([{ range: [0, 1], rows: [{ index: 0, ok: true, value: 1 }] }]),
    anyValue: 'rows hold what the tasks returned',
    methods: { values: { args: () => [] }, errors: { args: () => [] } },
  },
});

// brf: a tiny network and task
const brfNet = () => ({ inputSize: 1, hiddenSize: 6, outputSize: 2, loss: 'sequence', lossStartStep: 5 });
const brfTask = () => nd.frequencyTask({ seed: 1, trainSize: 4, testSize: 2, steps: 10, classes: 2 });
const brfParams = () => nd.initBrfParams(brfNet(), { seed: 1 });
const brfShard = () => {
  const { train } = brfTask();
  return [brfParams(), train.x.slice(0, 20), train.labels.slice(0, 2)];
};
const brfRunner = () => new nd.BrfShardRunner({ network: brfNet(), steps: 10, shardSize: 2 });
const brfTrainer = () => new nd.BrfTrainer({ network: brfNet(), steps: 10, batchSize: 4, seed: 1 });
const brfBigTrainer = () => new nd.BrfTrainer({ network: { ...brfNet(), hiddenSize: 64 }, steps: 100, batchSize: 64, seed: 1 });
const brfBigTask = () => nd.frequencyTask({ seed: 1, trainSize: 4096, testSize: 2, steps: 100, classes: 2 });

Object.assign(registry, {
  // ------------------------------------------------------------------------------- brf
  BRF_MAX_DATASET_VALUES: { family: 'brf', constant: 'documented size limit of a dataset' },
  BRF_MAX_WORKSPACE_BYTES: { family: 'brf', constant: 'documented kernel workspace limit' },
  brfDeterministicSin: { family: 'brf', args: () => [0.5] },
  brfPermutation: { family: 'brf', args: () => [10, { seed: 1 }], options: 1 },
  brfSubset: { family: 'brf', args: () => [brfTask().train, [0, 2]] },
  smnistDataset: {
    family: 'brf',
    args: () => [Array.from({ length: 10 }, (_, k) => Array.from({ length: 784 }, (_, i) => ((i * 7 + k * 13) % 256) / 255)), { seed: 1 }],
    options: 1,
    typo: ['sed', 'seed'],
  },
  frequencyTask: { family: 'brf', args: () => [{ seed: 1, trainSize: 4, testSize: 2, steps: 10, classes: 2 }], options: 0 },
  brfFilterNormalizedDirection: {
    family: 'brf',
    args: () => [brfParams(), { inputSize: 1, hiddenSize: 6, outputSize: 2, seed: 7 }],
    options: 1,
    typo: ['sed', 'seed'],
  },
  brfLossLandscape: {
    family: 'brf',
    args: () => [brfTrainer(), brfTask().test, { alphas: [-0.5, 0.5], betas: [0] }],
    options: 2,
    long: 'async',
    longArgs: () => [brfBigTrainer(), brfBigTask().train, { alphas: Array.from({ length: 20 }, (_, i) => i / 20), betas: [0, 1] }],
  },
  brfLandscapeRoughness: {
    family: 'brf',
    args: () => [
      { alphas: new Float64Array([0, 1, 2]), betas: new Float64Array([0, 1, 2]), loss: new Float64Array([1, 2, 1, 2, 3, 2, 1, 2, 1]) },
    ],
  },
  resolveBrfOptions: { family: 'brf', args: () => [brfNet()], options: 0, typo: ['hiddenSze', 'hiddenSize'] },
  brfParamLayout: {
    family: 'brf',
    args: () => [{ inputSize: 1, hiddenSize: 6, outputSize: 2 }],
    options: 0,
    typo: ['hiddenSze', 'hiddenSize'],
  },
  brfOmegaMax: { family: 'brf', args: () => [{ boundaryDt: 4 }], options: 0 },
  initBrfParams: { family: 'brf', args: () => [brfNet(), { seed: 1 }], options: 1 },
  brfNetworkParameters: { family: 'brf', args: () => [brfParams(), brfNet()], options: 1, typo: ['hiddenSze', 'hiddenSize'] },
  brfSurrogate: { family: 'brf', args: () => [0.5] },
  brfStateSize: { family: 'brf', args: () => [{ hiddenSize: 4, outputSize: 3 }], options: 0, typo: ['hiddenSze', 'hiddenSize'] },
  brfDivergenceBoundary: { family: 'brf', args: () => [30, { dt: 1 }], options: 1 },
  brfTransitionMatrix: { family: 'brf', args: () => [30, -2, { dt: 10 }], options: 2 },
  spectralRadius2x2: { family: 'brf', args: () => [[0.5, 0.1, -0.1, 0.5]] },
  brfSpectralRadiusGrid: { family: 'brf', args: () => [[10, 50], [-20, -1], { dt: 10 }], options: 2 },
  simulateResonators: { family: 'brf', args: () => [[10], [0.5], new Float64Array(20).fill(1), {}], options: 3, typo: ['modl', 'model'] },
  brfShardReference: { family: 'brf', args: () => [...brfShard(), { network: brfNet(), backward: true }], options: 3 },
  BrfShardRunner: {
    family: 'brf',
    args: () => [{ network: brfNet(), steps: 10, shardSize: 2 }],
    options: 0,
    typo: ['shardSze', 'shardSize'],
    methods: {
      run: { setup: brfRunner, args: () => [...brfShard(), { backward: true }], options: 3 },
      runAsync: {
        setup: brfRunner,
        args: () => [...brfShard(), { backward: true }],
        options: 3,
        long: 'async',
        longSetup: () => new nd.BrfShardRunner({ network: { ...brfNet(), hiddenSize: 256 }, steps: 400, shardSize: 64 }),
        longArgs: () => {
          const net = { ...brfNet(), hiddenSize: 256 };
          const { train } = nd.frequencyTask({ seed: 1, trainSize: 64, testSize: 1, steps: 400, classes: 2 });
          return [nd.initBrfParams(net, { seed: 1 }), train.x, train.labels, { backward: true }];
        },
      },
      benchAdjoint: { internal: 'bench support (bench/brf.bench.mjs)' },
      runSliced: { internal: "the trainer's sliced run under its own ProgressTracker (checked through BrfTrainer)" },
    },
    soak: async (k) => {
      const r = new nd.BrfShardRunner({
        network: brfNet(),
        steps: 10,
        shardSize: 2,
        checkpointSteps: k % 4,
        precision: k % 2 ? 'f32' : 'f64',
      });
      try {
        const [p, x, l] = brfShard();
        if (k % 8 === 0) await r.runAsync(p, x, l, { backward: true });
        else r.run(p, x, l, { backward: true });
      } finally {
        r.dispose();
      }
    },
  },
  BrfTrainer: {
    family: 'brf',
    args: () => [{ network: brfNet(), steps: 10, batchSize: 4, seed: 1 }],
    options: 0,
    typo: ['batchSze', 'batchSize'],
    statics: {
      fromJSON: {
        args: () => {
          const t = brfTrainer();
          const j = t.toJSON();
          t.dispose();
          return [j, {}];
        },
        options: 1,
        typo: ['worker', 'workers'],
      },
    },
    methods: {
      lrAt: { setup: brfTrainer, args: () => [2] },
      evaluate: {
        setup: brfTrainer,
        args: () => [brfTask().test, {}],
        options: 1,
        long: 'async',
        longSetup: brfBigTrainer,
        longArgs: () => [brfBigTask().train, {}],
      },
      gradient: {
        setup: brfTrainer,
        args: () => [brfTask().train, [0, 1], {}],
        options: 2,
        long: 'async',
        longSetup: brfBigTrainer,
        longArgs: () => [brfBigTask().train, Array.from({ length: 512 }, (_, i) => i), {}],
      },
      train: {
        setup: brfTrainer,
        nonFinite: 'the history table has testLoss/testAccuracy NaN without a test set (documented in its column)',
        args: () => [brfTask().train, { epochs: 1 }],
        options: 1,
        long: 'async',
        longSetup: brfBigTrainer,
        longArgs: () => [brfBigTask().train, { epochs: 50 }],
      },
    },
    soak: async (k) => {
      if (k % 10 !== 0) return;
      const t = new nd.BrfTrainer({ network: brfNet(), steps: 10, batchSize: 4, seed: k, precision: k % 20 ? 'f64' : 'f32' });
      try {
        await t.train(brfTask().train, { epochs: 1 });
      } finally {
        t.dispose();
      }
    },
  },
  BrfData: { family: 'brf', result: () => brfTask().train },
  BrfSplit: { family: 'brf', result: brfTask },
  BrfLandscape: {
    family: 'brf',
    result: async () => {
      const t = brfTrainer();
      try {
        return await nd.brfLossLandscape(t, brfTask().test, { alphas: [0], betas: [0] });
      } finally {
        t.dispose();
      }
    },
  },
  BrfNetworkParameters: { family: 'brf', result: () => nd.brfNetworkParameters(brfParams(), brfNet()) },
  BrfShardResult: { family: 'brf', result: () => nd.brfShardReference(...brfShard(), { network: brfNet() }) },
  ResonatorTrace: {
    family: 'brf',
    result: () => nd.simulateResonators([10], [0.5], new Float64Array(20).fill(1)),
    methods: { spikeTable: { args: () => [] } },
  },
  BrfEvaluation: {
    family: 'brf',
    result: async () => {
      const t = brfTrainer();
      try {
        return await t.evaluate(brfTask().test);
      } finally {
        t.dispose();
      }
    },
  },
  BrfGradient: {
    family: 'brf',
    result: async () => {
      const t = brfTrainer();
      try {
        return await t.gradient(brfTask().train, [0, 1]);
      } finally {
        t.dispose();
      }
    },
  },
});

// lif: a small network
const lifPopParams = () => ({ mu: 1.2, sigma: 0.5, tauMem: 20, tauSyn: 5 });
const lifNet = () => {
  const n = new nd.LifNetwork({ dt: 0.1, seed: 1 });
  n.addPopulation('p', 8, lifPopParams());
  n.connect('p', 'p', { connector: { type: 'fixedProbability', p: 0.5 }, weight: 0.05 });
  return n;
};
const lifBigNet = () => {
  const n = new nd.LifNetwork({ dt: 0.1, seed: 1 });
  n.addPopulation('p', 2000, lifPopParams());
  n.connect('p', 'p', { connector: { type: 'fixedProbability', p: 0.05 }, weight: 0.01 });
  return n;
};
/** lifNet on two threads (16 neurons: a thread takes at least 8): runAsync's threaded path. */
const lifThreadNet = () => {
  const n = new nd.LifNetwork({ dt: 0.1, seed: 1, threads: 2 });
  n.addPopulation('p', 16, lifPopParams());
  n.connect('p', 'p', { connector: { type: 'fixedProbability', p: 0.5 }, weight: 0.05 });
  return n;
};
const lifBigThreadNet = () => {
  const n = new nd.LifNetwork({ dt: 0.1, seed: 1, threads: 2 });
  n.addPopulation('p', 2000, lifPopParams());
  n.connect('p', 'p', { connector: { type: 'fixedProbability', p: 0.05 }, weight: 0.01 });
  return n;
};
const lifRan = () => {
  const n = lifNet();
  n.run(5);
  return n;
};
/** A monitor of a network that ran 5 ms; the network is disposed (monitors keep their records). */
const lifMonitor = (add) => () => {
  const n = lifNet();
  try {
    const m = add(n);
    n.run(5);
    return m;
  } finally {
    n.dispose();
  }
};
/** A 4-neuron network without delays or refractoriness (tangents allowed). */
const lifTangentNet = () => {
  const n = new nd.LifNetwork({ dt: 0.1, seed: 1 });
  n.addPopulation('p', 4, { ...lifPopParams(), mu: 0.06, sigma: 0.02 });
  n.connect('p', 'p', { connector: { type: 'fixedProbability', p: 0.5 }, weight: 0.01 });
  return n;
};
const lifWindowNet = () => {
  const n = new nd.LifNetwork({ dt: 0.1, seed: 1 });
  n.addPopulation('p', 4, lifPopParams());
  return n;
};
const lifWindow = () => new nd.LifNoiseWindow({ neurons: 4, capacitySteps: 16, seed: 1 });
/** Tangents of a network that ran 2 ms; the network is disposed after the call (setup below). */
const lifTangentsOf = () => {
  const n = lifTangentNet();
  const t = n.addTangents({ count: 2 });
  n.run(2);
  // the tangents' memory belongs to the network: keep it alive until the driver disposes `t`
  t.dispose = () => n.dispose();
  return t;
};
const lifRef = () => ({ tauMem: 20, vLeak: 0, vThreshold: 1, vReset: 0, tauSyn: 5, mu: 0.06, sigma: 0 });

Object.assign(registry, {
  // ------------------------------------------------------------------------------- lif
  LifStreams: { family: 'lif', constant: 'the random streams of the LIF kernel' },
  LIF_MAX_NEURONS: { family: 'lif', constant: 'the most neurons one LifNetwork holds (its state fits one kernel region)' },
  lifIntegrators: { family: 'lif', constant: 'the integrator names and their descriptions' },
  lifSpikeRules: { family: 'lif', constant: 'the spike-rule names and their descriptions' },
  LifNetwork: {
    family: 'lif',
    args: () => [{ dt: 0.1, seed: 1, threads: 1 }],
    options: 0,
    typo: ['sead', 'seed'],
    methods: {
      addPopulation: { setup: () => new nd.LifNetwork({ dt: 0.1 }), args: () => ['p', 4, lifPopParams()], options: 2 },
      addSpikeSource: { setup: () => new nd.LifNetwork({ dt: 0.1 }), args: () => ['s', 3, { neuron: [0, 1], time: [1, 2] }] },
      addLayers: {
        setup: () => new nd.LifNetwork({ dt: 0.1 }),
        args: () => [[3, 2], { params: lifPopParams(), projection: { connector: { type: 'fixedProbability', p: 0.5 }, weight: 0.05 } }],
        options: 1,
      },
      connect: {
        setup: () => {
          const n = new nd.LifNetwork({ dt: 0.1 });
          n.addPopulation('p', 4, lifPopParams());
          return n;
        },
        args: () => ['p', 'p', { connector: { type: 'fixedProbability', p: 0.5 }, weight: 0.05, delay: 1 }],
        options: 2,
        typo: ['weigth', 'weight'],
      },
      addSpikeMonitor: { setup: lifNet, args: () => [{ population: 'p' }], options: 0 },
      addStateMonitor: { setup: lifNet, args: () => [{ neurons: [0, 1], interval: 1 }], options: 0 },
      addRateMonitor: { setup: lifNet, args: () => [{ binSize: 1 }], options: 0 },
      build: { setup: lifNet, args: () => [] },
      run: { setup: lifNet, args: () => [2, {}], options: 1, long: 'sync', unit: 'step', longSetup: lifBigNet, longArgs: () => [1e4, {}] },
      runAsync: {
        setup: lifThreadNet,
        args: () => [2, {}],
        options: 1,
        long: 'async',
        unit: 'step',
        longSetup: lifBigThreadNet,
        longArgs: () => [1e4, {}],
      },
      spikeCounts: { setup: lifRan, args: () => [] },
      state: { setup: lifRan, args: () => [] },
      setState: { setup: lifNet, args: () => [{ v: [0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5] }], options: 0, typo: ['V', 'v'] },
      snapshot: { setup: lifRan, args: () => [] },
      restore: {
        setup: lifRan,
        args: () => {
          const n = lifRan();
          try {
            return [n.snapshot().toJSON()];
          } finally {
            n.dispose();
          }
        },
        options: 0,
        typo: ['stepp', 'step'],
      },
      memory: { setup: lifNet, args: () => [] },
      getProjection: { setup: lifNet, args: () => [0] },
      populations: { setup: lifNet, args: () => [] },
      populationParams: { setup: lifNet, args: () => ['p'] },
      useNoiseWindow: { setup: lifWindowNet, args: () => [lifWindow()] },
      addTangents: {
        setup: lifTangentNet,
        args: () => [{ count: 2 }],
        options: 0,
        typo: ['cuont', 'count'],
        // the tangents' memory belongs to the network, which is disposed after the call: their JSON form is the result
        call: (t) => t.toJSON(),
      },
    },
    soak: cycle(
      (k) => {
        const n = new nd.LifNetwork({ dt: 0.1, seed: k });
        n.addPopulation('p', 8, lifPopParams());
        n.connect('p', 'p', { connector: { type: 'fixedProbability', p: 0.5 }, weight: 0.05, delay: k % 3 });
        n.addSpikeMonitor();
        return n;
      },
      (n) => n.run(2),
    ),
  },
  LifNoiseWindow: {
    family: 'lif',
    args: () => [{ neurons: 4, capacitySteps: 16, seed: 1, trial: 0 }],
    options: 0,
    typo: ['capacitySteps'.replace('ty', 'yt'), 'capacitySteps'],
    methods: {
      fill: { setup: lifWindow, args: () => [{ start: 0, steps: 8 }], options: 0, typo: ['strat', 'start'] },
      attach: { internal: 'called by LifNetwork.useNoiseWindow (checked through it)' },
    },
    soak: cycle(
      (k) => new nd.LifNoiseWindow({ neurons: 4, capacitySteps: 16, seed: k }),
      (w, k) => w.fill({ start: k, steps: 8 }),
    ),
  },
  LifTangents: {
    family: 'lif',
    result: lifTangentsOf,
    methods: {
      vectors: { args: () => [] },
      setVectors: { args: () => [new Float64Array(16).fill(0.25)] },
      saltation: { args: () => [] },
      clearSaltation: { args: () => [] },
      orthonormalise: { args: () => [] },
    },
  },
  buildLifNetwork: {
    family: 'lif',
    args: () => [nd.feedforwardNetwork({ sizes: [3, 3] }), { dt: 0.1, seed: 1, trial: 2 }],
    options: 1,
    typo: ['fineStesp', 'fineSteps'],
  },
  populationConstants: { family: 'lif', fixed: [1], args: () => [nd.feedforwardNetwork({ sizes: [3, 3] }), 'network'] },
  createLifCuba: { family: 'lif', args: () => [{ neurons: 40, p: 0.1, seed: 5 }], options: 0, dispose: (n) => n.dispose() },
  lifPropagator: { family: 'lif', args: () => [{ tauMem: 10, tauSyn: 5, sigma: 0.2, dt: 0.5 }], options: 0 },
  lifVoltageAt: { family: 'lif', args: () => [1, { tauMem: 20, tauSyn: 5, mu: 0.06, v0: 0.5, i0: 0.1 }], options: 1 },
  lifCurrentResponse: { family: 'lif', args: () => [1, { tauMem: 20, tauSyn: 5 }], options: 1 },
  lifReferenceRun: {
    family: 'lif',
    args: () => [{ v: new Float64Array([0.2, 0.9]), i: new Float64Array([0.06, 0.07]) }, lifRef(), { dt: 0.1, duration: 5, seed: 9 }],
    options: 2,
  },
  lifSteps: { family: 'lif', args: () => [{ v: [0.9, 0.95], i: [0.06, 0.07] }, { mu: 0.06 }, { dt: 0.1, duration: 10 }], options: 2 },
  LifSpikeMonitor: {
    family: 'lif',
    result: lifMonitor((n) => n.addSpikeMonitor()),
    methods: {
      spikes: { args: () => [] },
      timesOf: { args: () => [0] },
      clear: { args: () => [] },
      receive: { internal: 'fed by LifNetwork.run with the chunk records' },
    },
  },
  LifRateMonitor: {
    family: 'lif',
    result: lifMonitor((n) => n.addRateMonitor({ binSize: 1 })),
    methods: { rates: { args: () => [] }, receive: { internal: 'fed by LifNetwork.run with the chunk records' } },
  },
  LifStateMonitor: {
    family: 'lif',
    result: lifMonitor((n) => n.addStateMonitor({ neurons: [0, 1], interval: 1 })),
    methods: {
      samples: { args: () => [] },
      clear: { args: () => [] },
      sample: { internal: 'fed by LifNetwork.run from the state arrays' },
    },
  },
  LifProjection: { family: 'lif', result: () => withObj(lifNet, (n) => n.getProjection(0)) },
  LifSnapshot: { family: 'lif', result: () => withObj(lifRan, (n) => n.snapshot()) },
  LifStepsResult: {
    family: 'lif',
    result: () => nd.lifSteps({ v: [0.9, 0.95], i: [0.06, 0.07] }, { mu: 0.06 }, { dt: 0.1, duration: 10 }),
  },
});

// srm / stats / rng
const srmNet = () => new nd.SrmNetwork({ n: 3, weights: [0, 1, -1, 0.5, 0, 0.3, 0, 1, 0], rho0: 50, seed: 3 });
const srmTrain = () => withObj(srmNet, (n) => n.sample(20).train);
const srmVar = () => new nd.SrmVariational({ n: 3, visible: [1, 1, 0], rho0: 50 });
const srmData = () => ({ n: 2, steps: 30, spikes: new Uint8Array(60).map((_, k) => (k % 7 === 0 ? 1 : 0)) });
const srmRefCase = (n = 3, steps = 20) => {
  const p = {
    n,
    kPsp: Math.exp(-0.05),
    kAdapt: Math.exp(-0.01),
    eta0: 0.5,
    invDu: 2,
    logC: Math.log(0.05) - 2,
    form: 0,
    k0: 1,
    k1: 2,
    stream: 4,
  };
  const st = {
    wT: new Float64Array(n * n).fill(0.2),
    bias: new Float64Array(n).fill(-0.5),
    phi: new Float64Array(n),
    adapt: new Float64Array(n),
    usyn: new Float64Array(n),
  };
  const b = {
    clamp: null,
    data: null,
    spikes: new Uint8Array(steps * n),
    score: new Float64Array(steps * n),
    sbuf: new Float64Array(n),
    ll: new Float64Array(n),
    gb: new Float64Array(n),
    elig: null,
    kElig: 0,
  };
  return { p, st, b, steps };
};
const lifColoured = () => ({ tauMem: 20, vThreshold: 1, vReset: 0, tauSyn: 5, mu: 0.05, sigma: 0.02 });
const lifColouredNet = () => ({
  tauMem: 20,
  vThreshold: 1,
  vReset: 0,
  tauSyn: 5,
  mu: [0.05, 0.045],
  sigma: [0.02, 0.02],
  J: [0, 0.01, 0.01, 0],
});
const thresholdParams = () => ({ tauMem: 20, vThreshold: 1, width: 0.02 });
const crossingSeries = () => Float64Array.from({ length: 200 }, (_, k) => 0.9 + 0.2 * Math.sin(k / 7) + 0.01 * Math.cos(k));

Object.assign(registry, {
  // ------------------------------------------------------------------------------- srm
  SRM_DEFAULTS: { family: 'srm', constant: 'documented default parameters of the SRM' },
  SRM_LIMITS: { family: 'srm', constant: 'documented size and work limits of the srm family' },
  srmReference: {
    family: 'srm',
    namespace: 'plain TypeScript twins of the srm kernels (tests, benchmarks)',
    members: {
      srmRunRef: {
        args: () => {
          const c = srmRefCase();
          return [c.p, c.st, c.b, c.steps, 0];
        },
      },
      srmSyncInputRef: { args: () => [3, srmRefCase().st] },
      srmBackwardRef: {
        args: () => {
          const c = srmRefCase();
          return [3, c.steps, c.b.spikes.fill(1, 0, 5), c.b.score.fill(0.1), 0.9, new Float64Array(3), new Float64Array(9)];
        },
      },
      srmOnlineRef: {
        args: () => {
          const c = srmRefCase();
          return [c.p, c.st, { ...c.b, score: null, gb: null, elig: new Float64Array(9), kElig: 0.9 }, c.steps, 0, 0.01, null];
        },
      },
    },
  },
  vanRossumDistance: { family: 'srm', args: () => [srmData(), srmData(), {}], options: 2, typo: ['tauu', 'tau'] },
  SrmNetwork: {
    family: 'srm',
    args: () => [{ n: 3, weights: [0, 1, -1, 0.5, 0, 0.3, 0, 1, 0], rho0: 50, seed: 3 }],
    options: 0,
    typo: ['sed', 'seed'],
    methods: {
      weights: { setup: srmNet, args: () => [] },
      setWeights: { setup: srmNet, args: () => [[0, 0.5, 0, 0, 0, 0.5, 0.5, 0, 0]] },
      bias: { setup: srmNet, args: () => [] },
      setBias: { setup: srmNet, args: () => [[-0.5, -0.4, -0.3]] },
      addToParameters: {
        setup: srmNet,
        args: () => [{ dW: new Float64Array(9).fill(0.01), dBias: new Float64Array(3).fill(0.01) }, { scale: 0.1 }],
        options: 1,
      },
      sample: { setup: srmNet, args: () => [10, {}], options: 1 },
      logLikelihood: { setup: srmNet, args: () => [srmTrain(), {}], options: 1 },
      gradient: { setup: srmNet, args: () => [srmTrain(), {}], options: 1 },
      learnOnline: { setup: srmNet, args: () => [srmTrain(), { learningRate: 0.01 }], options: 1 },
      reset: { setup: srmNet, args: () => [] },
      run: {
        setup: srmNet,
        args: () => [10, {}],
        options: 1,
        long: 'sync',
        unit: 'step',
        longSetup: () => new nd.SrmNetwork({ n: 200, rho0: 20, seed: 1 }),
        longArgs: () => [2e5, {}],
      },
      runAsync: {
        setup: srmNet,
        args: () => [10, {}],
        options: 1,
        long: 'async',
        unit: 'step',
        longSetup: () => new nd.SrmNetwork({ n: 200, rho0: 20, seed: 1 }),
        longArgs: () => [2e5, {}],
      },
    },
    soak: cycle(
      (k) => new nd.SrmNetwork({ n: 3, rho0: 50, seed: k }),
      (n) => n.gradient(n.sample(20).train),
    ),
  },
  SrmVariational: {
    family: 'srm',
    args: () => [{ n: 3, visible: [1, 1, 0], rho0: 50 }],
    options: 0,
    typo: ['visibel', 'visible'],
    methods: {
      expand: { setup: srmVar, args: () => [srmData()] },
      expandQ: { setup: srmVar, args: () => [srmData()] },
      visiblePart: { setup: srmVar, args: () => [{ n: 3, steps: 4, spikes: new Uint8Array(12).fill(1) }] },
      estimate: { setup: srmVar, args: () => [srmData(), { seed: 1 }], options: 1 },
      learnStep: { setup: srmVar, args: () => [srmData(), { learningRateM: 0.005, learningRateQ: 1e-3, seed: 's' }], options: 1 },
      bound: { setup: srmVar, args: () => [srmData(), { seed: 1 }], options: 1, typo: ['sed', 'seed'] },
    },
    soak: cycle(
      () => new nd.SrmVariational({ n: 3, visible: [1, 1, 0], rho0: 50 }),
      (v, k) => v.learnStep(srmData(), { learningRateM: 0.005, learningRateQ: 1e-3, seed: k }),
    ),
  },
  // ------------------------------------------------------------------------------- stats
  STATS_MAX_BINS: { family: 'stats', constant: 'documented limit on bins of one call' },
  studentTCdf: { family: 'stats', args: () => [1.5, 4] },
  studentTQuantile: { family: 'stats', args: () => [0.975, 4] },
  meanConfidence: {
    family: 'stats',
    nonFinite: 'se and ci are NaN with one sample (documented: no spread to estimate)',
    args: () => [[1, 2, 3, 4], { level: 0.95 }],
    options: 1,
  },
  linearFit: {
    family: 'stats',
    nonFinite: 'se and ci are NaN with exactly 2 points (documented: the fit is exact)',
    args: () => [[1, 2, 3, 4], [2.1, 3.9, 6.2, 7.8], {}],
    options: 2,
    typo: ['levle', 'level'],
  },
  fitOrder: {
    family: 'stats',
    nonFinite: 'se and ci are NaN with exactly 2 usable points (documented: the fit is exact)',
    args: () => [[0.1, 0.05, 0.025, 0.0125], [0.01, 0.0026, 0.00062, 0.00016], {}],
    options: 2,
    typo: ['levle', 'level'],
  },
  median: { family: 'stats', nonFinite: 'NaN when no value is finite (documented, as NumPy nanmedian)', args: () => [[3, 1, 2]] },
  quantile: { family: 'stats', nonFinite: 'NaN when no value is finite (documented)', args: () => [[1, 2, 3, 4], 0.25] },
  matchSpikeTrains: { family: 'stats', args: () => [[1, 5, 9], [1.1, 9.2, 20], { window: 1 }], options: 2 },
  spikeTrainsByNeuron: { family: 'stats', args: () => [{ neuron: [0, 1, 0], time: [1, 2, 3] }, { n: 2 }], options: 1 },
  isiStatistics: {
    family: 'stats',
    nonFinite: 'meanIsi NaN with fewer than 2 spikes, cv NaN with at most ddof intervals (documented)',
    args: () => [[0, 4, 11, 15, 22], {}],
    options: 1,
    typo: ['ddfo', 'ddof'],
  },
  populationRate: { family: 'stats', args: () => [[1, 12, 19, 24, 27], { n: 2, tStart: 0, tStop: 25, binSize: 10 }], options: 1 },
  spikeCountCorrelations: {
    family: 'stats',
    nonFinite: 'ρ_ij is NaN where a neuron has zero count variance (documented)',
    args: () => [
      { neuron: [0, 1, 0, 1, 0, 1], time: [1, 2, 15, 16, 31, 35] },
      { n: 2, tStop: 40, binSize: 10 },
    ],
    options: 1,
  },
  golombChi: {
    family: 'stats',
    nonFinite: 'NaN when no neuron’s voltage varies (documented: χ undefined)',
    args: () => [[1, 2, 1.5, 2.5, 1.2, 2.2], { n: 2 }],
    options: 1,
  },
  lifRateColouredNoise: { family: 'stats', args: () => [lifColoured()], options: 0, typo: ['vTh', 'vThreshold'] },
  lifCvColouredNoise: {
    family: 'stats',
    nonFinite: 'NaN for a silent neuron (documented: no ISI distribution)',
    args: () => [lifColoured()],
    options: 0,
    typo: ['vTh', 'vThreshold'],
  },
  loopTruncatedRates: { family: 'stats', args: () => [lifColouredNet(), { order: 2 }], options: 1 },
  loopTruncatedCovariance: {
    family: 'stats',
    nonFinite: 'cv is NaN for a silent neuron, meanCorrelation/countChi NaN without firing pairs (documented)',
    infinite: { jumpOverSigma: 'max |J|/min σ_eff is documented as ∞ when some σ_eff is 0 (here it overflows for σ_eff ≈ 1e-180)' },
    args: () => [lifColouredNet(), { order: 1 }],
    options: 1,
  },
  crossingSpeedStatistics: {
    family: 'stats',
    nonFinite: 'per-spike figures NaN with no spikes, inverseSquarePerTime NaN without duration (documented)',
    args: () => [crossingSeries(), { alphas: [0.4, 0.2, 0.1], duration: 100 }],
    options: 1,
  },
  palmDensity: { family: 'stats', args: () => [crossingSeries(), { bins: 10 }], options: 1 },
  riceRate: { family: 'stats', args: () => [[0.99, 0.995, 0.98], [0.05, 0.06, 0.04], thresholdParams()], options: 2 },
  fluxLyapunov: {
    family: 'stats',
    nonFinite: 'NaN when no sample lies in the strip (documented: no data)',
    args: () => [[0.99, 0.995, 0.98], [0.05, 0.06, 0.04], { ...thresholdParams(), vReset: 0 }],
    options: 2,
  },
  saltationFactor: { family: 'stats', args: () => [0.05, { tauMem: 20, vThreshold: 1, vReset: 0 }], options: 1 },
  ThresholdFluxAccumulator: {
    family: 'stats',
    args: () => [thresholdParams()],
    options: 0,
    typo: ['widht', 'width'],
    methods: {
      add: { setup: () => new nd.ThresholdFluxAccumulator(thresholdParams()), args: () => [0.99, 0.05] },
      merge: {
        setup: () => new nd.ThresholdFluxAccumulator(thresholdParams()),
        args: () => [new nd.ThresholdFluxAccumulator(thresholdParams())],
      },
      rate: {
        nonFinite: 'NaN before the first sample (documented: no data)',
        setup: () => {
          const a = new nd.ThresholdFluxAccumulator(thresholdParams());
          a.add(0.99, 0.05);
          return a;
        },
        args: () => [],
      },
      lyapunov: {
        nonFinite: 'NaN while no sample lies in the strip (documented: no data)',
        setup: () => {
          const a = new nd.ThresholdFluxAccumulator({ ...thresholdParams(), vReset: 0 });
          a.add(0.99, 0.05);
          return a;
        },
        args: () => [{}],
        options: 0,
      },
    },
  },
  // ------------------------------------------------------------------------------- rng
  Streams: { family: 'rng', constant: 'the random stream ids' },
  seedToKey: { family: 'rng', seeds: [0], args: () => [7] },
  trialKey: { family: 'rng', seeds: [0], args: () => [7, 2] },
  deriveKey: { family: 'rng', args: () => [{ k0: 1, k1: 2 }, 3, 4] },
  keyOfSeed: { family: 'rng', args: () => [{ seed: 7, trial: 1 }], options: 0, typo: ['sed', 'seed'] },
  normals: { family: 'rng', seeds: [0], args: () => [7, 0, 8, { stream: 1 }], options: 3 },
  uniforms: { family: 'rng', seeds: [0], args: () => [7, 0, 8, { stream: 1 }], options: 3 },
  NormalGenerator: {
    family: 'rng',
    seeds: [0],
    args: () => [7, {}],
    options: 1,
    typo: ['strem', 'stream'],
    methods: {
      next: { setup: () => new nd.NormalGenerator(7), args: () => [5] },
      state: { setup: () => new nd.NormalGenerator(7), args: () => [] },
      restore: {
        setup: () => new nd.NormalGenerator(7),
        args: () =>
          withObj(
            () => new nd.NormalGenerator(7),
            (g) => [g.state()],
          ),
      },
    },
    soak: cycle(
      (k) => new nd.NormalGenerator(k),
      (g) => g.next(64),
    ),
  },
  rngReference: {
    family: 'rng',
    namespace: 'plain TypeScript twins of the kernel generator (32-bit words checked)',
    members: {
      philox4x32: { args: () => [1, 2, 3, 4, 5, 6] },
      uniformAt: { args: () => [1, 2, 3, 4, 5, 0] },
      normalAt: { args: () => [1, 2, 3, 4, 5] },
      isFastPath: { args: () => [1, 2, 3, 4, 5] },
    },
  },
});

// numerics: a 3+3 feedforward network, short runs
const nnet = () => nd.feedforwardNetwork({ sizes: [3, 3] });
const convOpts = () => ({ network: nnet(), duration: 4, dts: [0.4, 0.2], trials: 2, seed: 1, workers: 0 });
const convResult = () => nd.convergenceStudy(convOpts());
/** One finished study (computed once, when the registry loads): summariseConvergence and mergeConvergenceShards read it. */
const CONV = await convResult();
const convParams = () => ({
  network: nnet(),
  duration: 4,
  dts: [0.4, 0.2],
  referenceDt: 0.05,
  schemes: nd.DEFAULT_SCHEMES,
  matchWindow: 1,
});
const numericsNoData = 'estimates over trials are NaN when no trial has data (documented: e.g. no spike in a short run)';

Object.assign(registry, {
  // ------------------------------------------------------------------------------- numerics
  DEFAULT_SCHEMES: { family: 'numerics', constant: 'the schemes a convergence study compares by default' },
  schemeName: { family: 'numerics', args: () => [{ integrator: 'exact', spikeRule: 'linear' }] },
  feedforwardNetwork: { family: 'numerics', args: () => [{ sizes: [3, 3], sigma: 0.02 }], options: 0, typo: ['sigm', 'sigma'] },
  randomNetwork: { family: 'numerics', args: () => [{ size: 6, p: 0.3, weight: 0.01, mu: 0.05, sigma: 0.02 }], options: 0 },
  coupledPaths: {
    family: 'numerics',
    args: () => [{ network: nnet(), duration: 2, dts: [0.2, 0.1], seed: 1 }],
    options: 0,
    long: 'sync',
    unit: 'step',
    typo: ['sede', 'seed'],
    progressArgs: () => [{ network: nd.feedforwardNetwork({ sizes: [3] }), duration: 400, dts: [0.2, 0.1], seed: 1 }],
    // networks and a noise window per call, disposed by the call
    soak: (k) => nd.coupledPaths({ network: nnet(), duration: 0.4, dts: [0.2, 0.1], seed: k }),
  },
  convergenceStudy: {
    family: 'numerics',
    args: () => [convOpts()],
    options: 0,
    long: 'async',
    unit: 'trial',
    nonFinite: 'orders and errors are NaN where a level has no matched spike (documented: no data)',
    typo: ['matchWindw', 'matchWindow'],
    longArgs: () => [{ network: nd.feedforwardNetwork({ sizes: [6, 6] }), duration: 200, dts: [0.4, 0.2], trials: 1000, workers: 0 }],
  },
  summariseConvergence: {
    family: 'numerics',
    nonFinite: 'orders and errors are NaN where a level has no matched spike (documented: no data)',
    args: () => [CONV.rows, { params: convParams() }],
    options: 1,
    typo: ['alpha', 'alphas'],
  },
  mergeConvergenceShards: {
    family: 'numerics',
    nonFinite: 'orders and errors are NaN where a level has no matched spike (documented: no data)',
    args: () => [[CONV], { network: nnet(), duration: 4, dts: [0.4, 0.2], seed: 1 }],
    options: 1,
  },
  ConvergenceResult: {
    family: 'numerics',
    result: convResult,
    nonFinite: 'orders and errors are NaN where a level has no matched spike (documented: no data)',
    methods: {
      levelsTable: { setup: convResult, args: () => [], nonFinite: 'NaN where a level has no matched spike (documented: no data)' },
      ordersTable: { setup: convResult, args: () => [], nonFinite: 'NaN where an order cannot be fitted (documented: no data)' },
    },
  },
  lyapunovTrial: {
    family: 'numerics',
    args: () => [{ network: nnet(), duration: 5, burnIn: 1, seed: 2 }],
    options: 0,
    long: 'sync',
    unit: 'step',
    nonFinite: 'the flux estimates are NaN when no sample falls in the strip (documented: no data)',
    typo: ['spikeRul', 'spikeRule'],
    progressArgs: () => [{ network: nnet(), duration: 400, burnIn: 1, seed: 2 }],
  },
  lyapunovStudy: {
    family: 'numerics',
    args: () => [{ network: nnet(), duration: 5, burnIn: 1, trials: 2, seed: 2, workers: 0 }],
    options: 0,
    long: 'async',
    unit: 'trial',
    nonFinite: numericsNoData,
    typo: ['trails', 'trials'],
    longArgs: () => [{ network: nd.feedforwardNetwork({ sizes: [6, 6] }), duration: 1e5, trials: 1000, workers: 0 }],
  },
  rateSynchronyStudy: {
    family: 'numerics',
    args: () => [{ network: nnet(), duration: 5, burnIn: 1, binSize: 1, trials: 2, seed: 2, workers: 0 }],
    options: 0,
    long: 'async',
    unit: 'trial',
    nonFinite: numericsNoData,
    typo: ['binSze', 'binSize'],
    infinite: { 'synchronyEstimate.jumpOverSigma': 'max |J|/min σ_eff is documented as ∞ when a neuron has no noise (σ_eff = 0)' },
    longArgs: () => [{ network: nd.feedforwardNetwork({ sizes: [6, 6] }), duration: 1e5, trials: 1000, workers: 0 }],
  },
});

// io: a spike table of a small network, in-memory files
const ioNet = () => {
  const n = new nd.LifNetwork({ dt: 0.1, seed: 3 });
  n.addPopulation('E', 6, { mu: 0.08, sigma: 0.02, tauMem: 20, tauSyn: 5 });
  n.addPopulation('I', 2, { mu: 0.1, sigma: 0.02, tauMem: 10, tauSyn: 3 });
  n.connect('E', 'I', { connector: { type: 'fixedProbability', p: 0.5 }, weight: 0.02 });
  return n;
};
const ioSpikes = () =>
  withObj(ioNet, (n) => {
    const m = n.addSpikeMonitor();
    n.run(40);
    return m.spikes();
  });
const ioPops = () => [
  { name: 'E', start: 0, size: 6 },
  { name: 'I', start: 6, size: 2 },
];
const ioTable = () =>
  nd.makeTable(
    'fuzz.io',
    {
      t: { data: new Float64Array([0.5, 1, 1.5]), unit: 'ms', description: 't' },
      n: { data: new Int32Array([1, 2, 3]), unit: '', description: 'n' },
    },
    { dt: 0.1 },
  );
/** A SONATA file and a NIR graph in memory (made once, when the registry loads; each call gets a copy). */
const IO_FILES = {
  sonata: await nd.io.writeSonata(ioSpikes(), undefined, { populations: ioPops() }),
  nir: await withObj(
    () => {
      const n = new nd.LifNetwork({ dt: 0.1, seed: 3 });
      n.addPopulation('E', 4, { mu: 0.08, tauMem: 20, tauSyn: 5 });
      n.connect('E', 'E', { connector: { type: 'fixedProbability', p: 0.5 }, weight: 0.02 });
      return n;
    },
    (n) => nd.io.exportNir(n, undefined, { timeUnit: 'ms' }),
  ),
};
const ioNirNet = () => {
  const n = new nd.LifNetwork({ dt: 0.1, seed: 3 });
  n.addPopulation('E', 4, { mu: 0.08, tauMem: 20, tauSyn: 5 });
  n.connect('E', 'E', { connector: { type: 'fixedProbability', p: 0.5 }, weight: 0.02 });
  return n;
};
const ioTmp = () => `${process.env.TMPDIR ?? '/tmp'}/neurodyn-fuzz-${process.pid}`;
// writeTable's valid call writes this file: removed when the process ends
process.once('exit', () => rmSync(`${ioTmp()}.csv`, { force: true }));
const ioHandle = 'a writer / sink handle (write, close), not a result';

Object.assign(registry, {
  // ------------------------------------------------------------------------------- io
  io: {
    family: 'io',
    namespace: 'exporters and importers: tables as CSV/NPY/NPZ/JSON, spikes as SONATA/NWB, networks as NIR',
    members: {
      NIR_SUPPORTED: { constant: 'the NIR node types importNir and exportNir handle' },
      NIR_VERSION: { constant: 'the NIR version written' },
      NWB_VERSION: { constant: 'the NWB version written' },
      MemoryWriter: {
        args: () => [],
        handle: ioHandle,
        methods: {
          append: { args: () => [new Uint8Array([1, 2, 3])] },
          writeAt: { args: () => [2, new Uint8Array([1, 2, 3])] },
          close: { args: () => [] },
          bytes: { args: () => [] },
          blob: { args: () => ['text/plain'], handle: 'a Blob (the bytes, for a browser download)' },
        },
      },
      crc32: { args: () => [new Uint8Array([1, 2, 3]), 0] },
      unzipStored: { args: () => [nd.io.toNPZ(ioTable())], handle: 'a Map of member name → bytes' },
      toNPY: { args: () => [new Float64Array([1, 2, 3, 4]), { shape: [2, 2] }], options: 1, typo: ['shap', 'shape'] },
      fromNPY: { args: () => [nd.io.toNPY(new Float64Array([1, 2, 3]))], anyValue: "the file's numbers" },
      toCSV: { args: () => [ioTable(), { meta: true }], options: 1, typo: ['mta', 'meta'] },
      toNPZ: { args: () => [ioTable()] },
      toJSONText: { args: () => [ioTable()] },
      tableBytes: { args: () => [ioTable(), 'csv', {}], options: 2, typo: ['mta', 'meta'] },
      writeTable: { fixed: [1], args: () => [ioTable(), `${ioTmp()}.csv`, { format: 'csv' }], options: 2, typo: ['formt', 'format'] },
      createTableSink: {
        args: () => [{ format: 'csv' }],
        options: 0,
        typo: ['formt', 'format'],
        handle: ioHandle,
        dispose: (s) => s.close(),
      },
      spikeTable: { args: () => [ioSpikes(), { dt: 0.1, populations: ioPops() }], options: 1 },
      streamSpikes: {
        args: () => {
          const n = ioNet();
          const m = n.addSpikeMonitor();
          n.run(5);
          n.dispose();
          return [m, { write: () => {}, close: () => ({ rows: 0 }) }, { dt: 0.1, maxRecords: 16 }];
        },
        options: 2,
        typo: ['maxRecrods', 'maxRecords'],
        handle: 'a stream handle (onProgress, flush, close)',
      },
      writeSonata: { fixed: [1], args: () => [ioSpikes(), undefined, { populations: ioPops() }], options: 2, typo: ['sortng', 'sorting'] },
      createSonataSink: {
        args: () => [{ populations: ioPops() }],
        options: 0,
        typo: ['flsuh', 'flush'],
        handle: ioHandle,
        dispose: (s) => s.close(), // an open sink holds a temporary file until it is closed
      },
      readSonata: { args: () => [IO_FILES.sonata.slice(), { populations: ['E'] }], options: 1, typo: ['populatoins', 'populations'] },
      addSonataSources: {
        args: () => [new nd.LifNetwork({ dt: 0.1 }), IO_FILES.sonata.slice(), { sizes: { E: 6, I: 2 } }],
        options: 2,
        typo: ['sizs', 'sizes'],
      },
      writeNwb: {
        fixed: [1],
        args: () => [ioSpikes(), undefined, { populations: ioPops(), identifier: 'fuzz', sessionStartTime: '2026-01-01T00:00:00Z' }],
        options: 2,
        typo: ['identifer', 'identifier'],
      },
      exportNir: { fixed: [1], args: () => [ioNirNet(), undefined, { timeUnit: 'ms' }], options: 2, typo: ['timeUint', 'timeUnit'] },
      importNir: {
        args: () => [IO_FILES.nir.slice(), { dt: 0.1, seed: 1 }],
        options: 1,
        typo: ['spikeRul', 'spikeRule'],
        dispose: (n) => n.dispose(),
        // a network made from a NIR graph, run and disposed
        soak: async (k) => {
          const n = await nd.io.importNir(IO_FILES.nir, { dt: 0.1, seed: k });
          try {
            n.run(1);
          } finally {
            n.dispose();
          }
        },
      },
    },
  },

  // ------------------------------------------------------------------------------- plot
  plot: {
    family: 'io',
    namespace: 'SVG charts (line, raster, heatmap) for the showcase and the playground',
    members: {
      PALETTE: { constant: 'the colour-blind-safe series colours' },
      viridis: { args: () => [0.5] },
      lineChart: {
        args: () => [[{ x: [1, 2, 3], y: [2, 1, 3], label: 'a' }], { title: 'fuzz', xlabel: 'x (ms)', logy: true }],
        options: 1,
        typo: ['xlable', 'xlabel'],
      },
      rasterPlot: { args: () => [[1, 2, 3], [0, 1, 0], { width: 300 }], options: 2, typo: ['widht', 'width'] },
      heatmap: { args: () => [[1, 2, 3, 4, 5, 6], 3, 2, [0, 3], [0, 2], { zlabel: 'z' }], options: 5, typo: ['zlable', 'zlabel'] },
    },
  },
});

// ---------------------------------------------------------------------------------------------
// Expansion into flat callable entries.

/** Methods every kernel object, result and error has, checked generally (not per class). */
const INHERITED = new Set(['constructor', 'dispose', 'toJSON', 'toString', 'allocate', 'planAllocations', 'adopt', 'assertLive']);

/** The value of an export path (`'io.toCSV'`). */
export function resolve(name) {
  let v = nd;
  for (const k of name.split('.')) v = v?.[k];
  return v;
}

/** Whether `f` is a class (constructible, not a plain function). */
export function isClass(f) {
  return typeof f === 'function' && /^class[\s{]/.test(Function.prototype.toString.call(f));
}

/** Public method names of a class (own and inherited, without the general ones), and its static methods as `.name`. */
export function methodNames(C) {
  const names = new Set();
  for (const n of Object.getOwnPropertyNames(C)) if (typeof C[n] === 'function' && n !== 'prototype') names.add(`.${n}`);
  for (let p = C.prototype; p && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
    for (const n of Object.getOwnPropertyNames(p)) {
      const d = Object.getOwnPropertyDescriptor(p, n);
      if (typeof d?.value === 'function' && !INHERITED.has(n) && !n.startsWith('#')) names.add(n);
    }
  }
  return [...names];
}

/** Every export path of the package: top-level names and members of namespace objects. */
export function exportPaths() {
  const out = [];
  for (const [k, v] of Object.entries(nd)) {
    out.push(k);
    const spec = registry[k];
    if (spec?.namespace && v && typeof v === 'object') for (const m of Object.keys(v)) out.push(`${k}.${m}`);
  }
  return out;
}

/** The spec of an export path, or undefined. */
export function specOf(path) {
  const [top, member] = path.split('.');
  const s = registry[top];
  if (!member) return s;
  return s?.members?.[member] ? { family: s.family, ...s.members[member] } : undefined;
}

/**
 * Flat list of callable entries: `{ name, family, kind, spec, call(obj, args), setup?, dispose? }`
 * for functions (`kind 'function'`), constructors (`'constructor'`) and methods (`'method'`,
 * name `Class#method`).
 */
export function entries(family) {
  const out = [];
  for (const path of exportPaths()) {
    const spec = specOf(path);
    if (!spec || (family && spec.family !== family)) continue;
    if (spec.constant || spec.error || spec.abstract || spec.namespace) continue;
    const value = resolve(path);
    if (spec.result) {
      for (const [m, ms] of Object.entries(spec.methods ?? {}))
        if (!ms.internal)
          out.push({ name: `${path}#${m}`, family: spec.family, kind: 'method', spec: ms, setup: ms.setup ?? spec.result, method: m });
      continue;
    }
    if (isClass(value)) {
      if (!spec.noConstructor) out.push({ name: path, family: spec.family, kind: 'constructor', spec, ctor: value, dispose: spec.dispose });
      for (const [m, ms] of Object.entries(spec.statics ?? {}))
        out.push({
          name: `${path}.${m}`,
          family: spec.family,
          kind: 'function',
          spec: ms,
          fn: (...a) => value[m](...a),
          dispose: spec.dispose,
        });
      for (const [m, ms] of Object.entries(spec.methods ?? {})) {
        if (ms.internal) continue;
        out.push({
          name: `${path}#${m}`,
          family: spec.family,
          kind: 'method',
          spec: ms,
          method: m,
          setup: ms.setup ?? (() => new value(...spec.args())),
          dispose: spec.dispose,
        });
      }
    } else if (typeof value === 'function') out.push({ name: path, family: spec.family, kind: 'function', spec, fn: value });
  }
  return out;
}

/**
 * Calls an entry: `obj` is the set-up object for methods. May return a promise. A spec's `call`
 * turns what the export returns into the result (e.g. drains an async iterator).
 */
export function invoke(entry, obj, args) {
  let r;
  if (entry.kind === 'function') r = entry.fn(...args);
  else if (entry.kind === 'constructor') r = new entry.ctor(...args);
  else r = obj[entry.method](...args);
  return entry.spec.call ? entry.spec.call(r) : r;
}

/** Frees whatever kernel memory a value holds (kernel objects, regions), ignoring errors. */
export function release(v, custom) {
  if (v === null || typeof v !== 'object') return;
  try {
    if (custom) custom(v);
    else if (typeof v.dispose === 'function') v.dispose();
    else if (v instanceof nd.Region) v.free();
    else if (v instanceof nd.WorkerPool) v.close();
  } catch {}
}

/**
 * A computation through the kernel whose bits are known: the fuzz suite runs it after every call
 * to check that the kernel is still usable (a trap or a corrupted heap changes it or throws).
 */
export function canary() {
  const r = new nd.Region(256, 'fuzz.canary');
  try {
    const v = r.f64();
    for (let i = 0; i < v.length; i++) v[i] = i * 0.5;
    let s = 0;
    for (const x of r.f64()) s += x;
    return `${s}:${nd.fingerprint(nd.normals(11, 0, 16))}`;
  } finally {
    r.free();
  }
}
