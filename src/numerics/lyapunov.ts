/**
 * Lyapunov exponents of LIF networks with resets (seed 000_a5327dcba9ecafc1, abstract: "a
 * Lyapunov exponent formula coupling stationary threshold flux to the reset saltation factor";
 * reconstruction in research/lif-ltn.md §1.6). Three estimators from one path:
 * 1. tangent dynamics with saltation (kernel), QR re-orthonormalised: the top K exponents;
 *    per neuron, the V-direction exponent of the block-triangular (feedforward) cocycle is
 *    λ_V,i = −g_L + (1/T) Σ_k ln s(A_k), s(A) = 1 + g_L (V_th − V_r)/A;
 * 2. finite differences of the scheme itself (a replica started ε away, same noise,
 *    renormalised) — meaningful for `linear`/`hermite`, not for `grid`;
 * 3. the flux formula λ_V = −g_L + ∫ ln s(a) a p(V_th, I_th + a) da with the threshold density
 *    estimated from state samples in a strip below V_th (independent of the spike records).
 * @packageDocumentation
 */
import { ValidationError } from '../kernel/errors.js';
import { checkInteger, checkOptions, checkPositive, checkRange } from '../kernel/validate.js';
import { type Key, type Seed, trialKey } from '../rng/index.js';
import { ThresholdFluxAccumulator } from '../stats/crossing.js';
import { kmath, type LabIntegrator, type LabRule, type LifLabNetwork, LifLabSimulation, resolveLabNetwork } from './sim.js';

/** Options of {@link lyapunovTrial}. */
export interface LyapunovOptions {
  /** The network whose Lyapunov spectrum is estimated. */
  network: LifLabNetwork;

  /** Step (ms). @default 0.05 */
  h?: number;
  /** @default "euler-maruyama" */
  integrator?: LabIntegrator;
  /** "linear" or "hermite" ("grid" is refused: its tangent through a reset is 0). @default "linear" */
  rule?: LabRule;
  /** Measured duration after the burn-in (ms). */
  T: number;
  /** Burn-in (ms). @default 200 */
  burnIn?: number;
  /** Study seed and trial index (key = trialKey(seed, trial)), or a key. */
  seed: Seed | Key;
  /** @default 0 */
  trial?: number;
  /** Tangent vectors (top K exponents). @default n (the V-directions of a feedforward net) */
  tangents?: number;
  /** Initial separation of the finite-difference replica (in V). @default 1e-8 */
  fdEpsilon?: number;
  /** Steps between finite-difference renormalisations and state samples. @default 10 */
  every?: number;
  /** Steps between QR re-orthonormalisations of the tangent vectors. @default 50 */
  qrEvery?: number;
  /** Strip width w below V_th for the flux formula. @default 0.02 */
  stripWidth?: number;
}

/** Per-trial result of {@link lyapunovTrial} (all exponents in 1/ms). */
export interface LyapunovTrial {
  /** Top K exponents from the tangent dynamics (QR), descending. */
  spectrum: number[];
  /** Per neuron λ_V,i = −g_L + (1/T) Σ ln s(A_k) over its spikes in the window (diagonal of the cocycle). */
  vExponent: number[];
  /** Per layer, the flux formula from state samples (pooled over the layer's neurons). */
  fluxFormula: number[];
  /** Per layer, the threshold-flux (Rice) rate from the same samples (Hz). */
  fluxRateHz: number[];
  /** Per layer, mean λ_V over the layer's neurons. */
  vExponentLayer: number[];
  /** Finite-difference top exponent of the whole state (same noise, renormalised). */
  fdTop: number;
  /** Per-neuron finite-difference V exponent (uncoupled networks only, else empty). */
  fdNeuron: number[];
  /** Per layer firing rate (Hz) in the window. */
  rateHz: number[];
  /** Crossing speeds of the spikes in the window. */
  A: number[];
  /** Layer of each crossing speed in A. */
  ALayer: number[];
}

/**
 * One trial of the Lyapunov estimators on a network (see the module doc). Refuses the `grid` rule
 * with a {@link ValidationError}: V^{n+1} = V_r whatever V^n was, so the tangent (and any finite
 * difference) through a spike is exactly 0 and the exponent would be −∞-biased nonsense.
 */
export function lyapunovTrial(options: LyapunovOptions): LyapunovTrial {
  const o = checkOptions('options', options);
  const net = resolveLabNetwork(o.network, 'options.network');
  const h = checkPositive('options.h', o.h ?? 0.05, 'ms');
  const T = checkPositive('options.T', o.T, 'ms');
  const burnIn = checkRange('options.burnIn', o.burnIn ?? 200, 0, Number.MAX_VALUE, { unit: 'ms' });
  const rule = o.rule ?? 'linear';
  if (rule === 'grid') {
    throw new ValidationError(
      'options.rule',
      '"linear" or "hermite": the grid rule sets V = V_r at a spike whatever V was, so its tangent (and finite difference) through every reset is 0 and λ cannot be computed from it',
      rule,
    );
  }
  const every = checkInteger('options.every', o.every ?? 10, 1, 100);
  const eps = checkPositive('options.fdEpsilon', o.fdEpsilon ?? 1e-8);
  const w = checkPositive('options.stripWidth', o.stripWidth ?? 0.02);
  const K = checkInteger('options.tangents', o.tangents ?? net.n, 0, 2 * net.n);
  const key =
    typeof o.seed === 'object' && o.seed !== null
      ? o.seed
      : trialKey(o.seed as Seed, checkInteger('options.trial', o.trial ?? 0, 0, 0xffffffff));
  const n = net.n;
  const qrEvery = checkInteger('options.qrEvery', o.qrEvery ?? 50, 1, 100000);
  const sim = new LifLabSimulation(net, { h, integrator: o.integrator, rule, seed: key, replicas: 2, tangents: K, chunk: every, qrEvery });
  try {
    const burnSteps = Math.round(burnIn / h);
    const steps = Math.round(T / h);
    const { gL, vTh, vReset, vL } = net;
    const gd = gL * (vTh - vReset);
    // Burn-in: both replicas identical.
    sim.accumulate = false;
    sim.advance(burnSteps);
    sim.clearSpikes();
    sim.resetGrowth();
    sim.accumulate = true;
    const uncoupled = net.J === null || net.J.every((x) => x === 0);
    const perturb = () => {
      const s = sim.state;
      for (let i = 0; i < n; i++) s.V[n + i] = s.V[i] + (uncoupled ? eps : eps / Math.sqrt(n));
      s.I.set(s.I.subarray(0, n), n);
      sim.setState(s.V, s.I);
    };
    perturb();
    let fdLog = 0;
    const fdN = new Float64Array(n);
    let fdTime = 0;
    const flux = Array.from(
      { length: net.layers },
      () => new ThresholdFluxAccumulator({ tauMem: 1 / gL, vLeak: vL, vThreshold: vTh, vReset, width: w }),
    );
    let seen = 0;
    for (let done = 0; done < steps; done += every) {
      const m = Math.min(every, steps - done);
      sim.advance(m);
      const s = sim.state;
      // Flux formula samples (replica 0).
      for (let i = 0; i < n; i++) flux[net.layer[i]].add(s.V[i], s.I[i]);
      // Finite differences: renormalise when both replicas fired the same spikes in this chunk.
      const sp = sim.spikes(seen);
      const c0 = new Int32Array(n);
      const c1 = new Int32Array(n);
      for (let q = 0; q < sp.neuron.length; q++) {
        const g = sp.neuron[q];
        if (g < n) c0[g]++;
        else c1[g - n]++;
      }
      let same = true;
      for (let i = 0; i < n; i++) if (c0[i] !== c1[i]) same = false;
      if (!same) continue;
      seen = sim.spikeCount;
      let d2 = 0;
      for (let i = 0; i < n; i++) d2 += (s.V[n + i] - s.V[i]) ** 2 + (s.I[n + i] - s.I[i]) ** 2;
      const d = Math.sqrt(d2);
      const e0 = uncoupled ? eps * Math.sqrt(n) : eps;
      fdLog += kmath.log(d / e0);
      for (let i = 0; i < n; i++) {
        // Uncoupled: each neuron is its own system, renormalised to eps separately.
        const di = uncoupled ? Math.hypot(s.V[n + i] - s.V[i], s.I[n + i] - s.I[i]) : d;
        const e = uncoupled ? eps : e0;
        if (uncoupled) fdN[i] += kmath.log(di / eps);
        s.V[n + i] = s.V[i] + ((s.V[n + i] - s.V[i]) * e) / di;
        s.I[n + i] = s.I[i] + ((s.I[n + i] - s.I[i]) * e) / di;
      }
      fdTime = (done + m) * h;
      sim.setState(s.V, s.I);
    }
    const sp = sim.spikes();
    const lnS = new Float64Array(n);
    const cnt = new Float64Array(n);
    const A: number[] = [];
    const AL: number[] = [];
    for (let q = 0; q < sp.neuron.length; q++) {
      const g = sp.neuron[q];
      if (g >= n) continue;
      lnS[g] += kmath.log1p(gd / sp.A[q]);
      cnt[g]++;
      A.push(sp.A[q]);
      AL.push(net.layer[g]);
    }
    const Tm = steps * h;
    const vExp = Array.from(lnS, (x) => -gL + x / Tm);
    const layerMean = (v: ArrayLike<number>) =>
      Array.from({ length: net.layers }, (_, l) => {
        let s = 0;
        let c = 0;
        for (let i = 0; i < n; i++) {
          if (net.layer[i] !== l) continue;
          s += v[i];
          c++;
        }
        return s / c;
      });
    const spec = Array.from(sim.lyapunovSpectrum());
    return {
      spectrum: spec,
      vExponent: vExp,
      fluxFormula: flux.map((f) => f.lyapunov()),
      fluxRateHz: flux.map((f) => f.rate()),
      vExponentLayer: layerMean(vExp),
      fdTop: fdLog / fdTime,
      fdNeuron: uncoupled ? Array.from(fdN, (x) => x / fdTime) : [],
      rateHz: layerMean(Array.from(cnt, (c) => (1000 * c) / Tm)),
      A,
      ALayer: AL,
    };
  } finally {
    sim.dispose();
  }
}
