// Computations of the playground pages, run inside the Web Worker (worker.js). Each returns plain
// data (typed arrays or arrays) ready for uPlot, plus the numbers the page shows.

function need(nd, names, what) {
  const missing = names.filter((n) => !(n in nd));
  if (missing.length) throw new Error(`${what} is not in this build of neurodyn (missing: ${missing.join(', ')})`);
}

export const tasks = {
  /** Normals histogram and Poisson spike trains from the counter-based RNG. */
  random(nd, p, progress) {
    need(nd, ['NormalGenerator', 'uniforms', 'seedToKey'], 'The RNG');
    const seed = /^\d+$/.test(String(p.seed)) ? Number(p.seed) : String(p.seed);
    const g = new nd.NormalGenerator(seed);
    const z = g.next(p.draws);
    g.dispose();
    const bins = 50;
    const lo = -4;
    const w = 8 / bins;
    const counts = new Float64Array(bins);
    let mean = 0;
    let sq = 0;
    for (const x of z) {
      mean += x;
      sq += x * x;
      const b = Math.floor((x - lo) / w);
      if (b >= 0 && b < bins) counts[b]++;
    }
    mean /= z.length;
    const variance = sq / z.length - mean * mean;
    const x = Array.from({ length: bins }, (_, b) => lo + (b + 0.5) * w);
    const density = Array.from(counts, (c) => c / (z.length * w));
    const pdf = x.map((v) => Math.exp(-0.5 * v * v) / Math.sqrt(2 * Math.PI));
    progress(0.5);

    // Poisson trains on the dt grid (stream "input"), the same rule as the CLI's "poisson" kind.
    const key = nd.seedToKey(seed);
    const dt = 0.5;
    const steps = Math.round(p.duration / dt);
    const prob = 1 - Math.exp((-p.rate * dt) / 1000);
    const times = [];
    const neurons = [];
    for (let s = 0; s < steps; s++) {
      const u = nd.uniforms(key, s, p.neurons, { stream: nd.Streams.input });
      for (let i = 0; i < p.neurons; i++) {
        if (u[i] < prob) {
          times.push(s * dt);
          neurons.push(i);
        }
      }
    }
    return {
      histogram: { x, density, pdf },
      raster: { times, neurons },
      mean,
      variance,
      spikes: times.length,
      rateHz: (times.length / p.neurons / p.duration) * 1000,
      fingerprint: nd.fingerprint(z),
    };
  },
};

/** A recurrent noisy LIF population (LifNetwork): raster, population rate, mean rate. */
tasks.lif = (nd, p, progress) => {
  need(nd, ['LifNetwork'], 'The LIF engine');
  const net = new nd.LifNetwork({ dt: p.dt, integrator: p.integrator, spikeRule: p.spikeRule, seed: p.seed });
  try {
    net.addPopulation('pop', p.neurons, {
      tauMem: 20,
      tauSyn: 5,
      vThreshold: 1,
      vReset: 0,
      mu: p.mu,
      sigma: p.sigma,
      tRef: p.tRef,
      v0: { uniform: [0, 1] },
    });
    if (p.weight !== 0 && p.p > 0)
      net.connect('pop', 'pop', { connector: { type: 'fixedProbability', p: p.p, autapses: false }, weight: p.weight, delay: p.delay });
    const spikes = net.addSpikeMonitor();
    // The bin is in ms and must be a whole number of steps: round it to one.
    const binSize = Math.max(1, Math.round(p.binSize / p.dt)) * p.dt;
    const rate = net.addRateMonitor({ binSize });
    // The library's Progress (done/total steps, fraction, ETA), as a plain object for postMessage.
    net.run(p.duration, {
      onProgress: (q) => progress({ fraction: q.fraction, done: q.done, total: q.total, unit: q.unit, etaMs: q.etaMs }),
    });
    const s = spikes.spikes(); // Table: s.neuron, s.time (ms), ...
    const t = Array.from(s.time);
    // uPlot wants ascending x: order the spikes by time (within a step they come by neuron).
    const order = t.map((_, k) => k).sort((a, b) => t[a] - t[b] || s.neuron[a] - s.neuron[b]);
    const times = order.map((k) => t[k]);
    const r = rate.rates(); // Table: r.time (bin start, ms), r.count, r.rate (Hz)
    const hz = Array.from(r.rate);
    return {
      raster: { times, neurons: order.map((k) => s.neuron[k]) },
      rate: { t: Array.from(r.time, (x) => x + binSize / 2), hz, binSize },
      spikes: times.length,
      meanRateHz: (times.length / p.neurons / p.duration) * 1000,
    };
  } finally {
    net.dispose();
  }
};

/**
 * A BRF neuron: subthreshold resonance (peak |u| against the input frequency, threshold out of
 * reach), a driven trace with spikes, and where (ω, b) sits relative to the divergence boundary.
 */
tasks.brf = (nd, p, progress) => {
  need(nd, ['simulateResonators', 'brfDivergenceBoundary', 'brfTransitionMatrix', 'spectralRadius2x2'], 'The BRF neuron');
  const dt = p.dt; // ms
  const step = { dt };
  const omegaMax = 1000 / dt; // rad/s: |ω| < 1/δ with δ in s
  // Resonance curve: one uncoupled neuron per input frequency, same ω and b′.
  const nf = 60;
  const T = Math.round(p.duration / dt);
  const freqs = Array.from({ length: nf }, (_, k) => (0.02 + (0.96 * k) / (nf - 1)) * omegaMax);
  const input = new Float64Array(T * nf);
  // input ω in rad/s, time in s
  for (let t = 0; t < T; t++) for (let k = 0; k < nf; k++) input[t * nf + k] = p.amplitude * Math.sin((freqs[k] * t * dt) / 1000);
  const quiet = nd.simulateResonators(new Float64Array(nf).fill(p.omega), new Float64Array(nf).fill(p.bOffset), input, {
    dt,
    vThreshold: 1e12,
  });
  progress(0.5);
  const gain = freqs.map((_, k) => {
    let m = 0;
    for (let t = Math.floor(T / 2); t < T; t++) m = Math.max(m, Math.abs(quiet.u[t * nf + k]));
    return m;
  });
  let peak = 0;
  for (let k = 1; k < nf; k++) if (gain[k] > gain[peak]) peak = k;
  // Driven trace with the real threshold.
  const drive = new Float64Array(T);
  for (let t = 0; t < T; t++) drive[t] = p.amplitude * Math.sin((p.drive * t * dt) / 1000);
  const tr = nd.simulateResonators([p.omega], [p.bOffset], drive, { dt, vThreshold: p.vThreshold });
  const time = Array.from({ length: T }, (_, t) => t * dt);
  const spikeTimes = [];
  for (let t = 0; t < T; t++) if (tr.spikes[t] > 0) spikeTimes.push(t * dt);
  // Divergence boundary p(ω) on (−1/δ, 1/δ) and this neuron's damping b = p(ω) − b′ (1/s).
  const ws = Array.from({ length: 201 }, (_, k) => (-0.999 + (1.998 * k) / 200) * omegaMax);
  if (!ws.includes(p.omega)) ws.push(p.omega);
  ws.sort((x, y) => x - y);
  const boundary = ws.map((w) => nd.brfDivergenceBoundary(w, step));
  const b = nd.brfDivergenceBoundary(p.omega, step) - p.bOffset;
  const radius = nd.spectralRadius2x2(nd.brfTransitionMatrix(p.omega, b, step));
  return {
    resonance: { freqs, gain, peakFrequency: freqs[peak] },
    trace: { time, u: Array.from(tr.u), v: Array.from(tr.v), spikeTimes },
    boundary: { omega: ws, p: boundary, b, radius },
    spikes: spikeTimes.length,
    points: freqs.length + time.length,
  };
};

/**
 * A 2-D linear-threshold network: LTN_γ trajectories from a grid of initial conditions, the
 * projected dynamical system (fast limit) from one of them, the equilibria (LCP) and the n = 2
 * LDS test of M = D − W.
 */
tasks.ltn = (nd, p, progress) => {
  need(nd, ['ltnSimulate', 'pdsSimulate', 'ltnEquilibria', 'ldsTwoByTwo'], 'The linear-threshold network module');
  const spec = {
    d: [p.d1, p.d2],
    W: [
      [p.w11, p.w12],
      [p.w21, p.w22],
    ],
    u: [p.u1, p.u2],
  };
  const k = p.grid;
  const trajectories = [];
  const opts = { duration: p.duration, sampleInterval: p.duration / 150, gamma: p.gamma, method: 'dopri5' };
  for (let a = 0; a < k; a++) {
    for (let b = 0; b < k; b++) {
      const x0 = [(p.xmax * a) / (k - 1), (p.xmax * b) / (k - 1)];
      const tr = nd.ltnSimulate(spec, x0, opts);
      const x1 = [];
      const x2 = [];
      for (let s = 0; s < tr.time.length; s++) {
        x1.push(tr.x[2 * s]);
        x2.push(tr.x[2 * s + 1]);
      }
      trajectories.push({ t: Array.from(tr.time), x1, x2 });
    }
    progress((a + 1) / (k + 1));
  }
  // Fast limit (PDS) and LTN_γ from the same point, sampled at the same times. They differ only
  // where the argument of [·]₊ in LTN_γ is negative, i.e. near the x₂ axis here.
  const x0 = [0.1 * p.xmax, p.xmax];
  const pds = nd.pdsSimulate(spec, x0, { duration: p.duration, sampleInterval: p.duration / 150 });
  const ltn = nd.ltnSimulate(spec, x0, opts);
  let gap = 0;
  const m = Math.min(pds.time.length, ltn.time.length);
  for (let s = 0; s < m; s++) gap = Math.max(gap, Math.hypot(pds.x[2 * s] - ltn.x[2 * s], pds.x[2 * s + 1] - ltn.x[2 * s + 1]));
  const pick = (tr) => ({
    t: Array.from(tr.time),
    x1: Array.from({ length: tr.time.length }, (_, s) => tr.x[2 * s]),
    x2: Array.from({ length: tr.time.length }, (_, s) => tr.x[2 * s + 1]),
  });
  const eq = nd.ltnEquilibria(spec);
  const M = [
    [p.d1 - p.w11, -p.w12],
    [-p.w21, p.d2 - p.w22],
  ];
  const lds = nd.ldsTwoByTwo(M);
  return {
    trajectories,
    pds: pick(pds),
    equilibria: eq.equilibria.map((e) => Array.from(e)),
    isLds: lds.isLds,
    gap,
    finals: trajectories.map((t) => [t.x1[t.x1.length - 1], t.x2[t.x2.length - 1]]),
  };
};

/**
 * The weight-structured Fokker–Planck equation under Hebbian learning (seed 001): p(v, w, t) on a
 * coarse grid, with frames of the density and of the weight distribution H(w) sent while it runs.
 * `wScheme` chooses the w-step: 'implicit' (the default, no step-size limit) or 'explicit'
 * (CFL-limited: Δt·max(α + β)/Δw ≤ 1, checked every step; the error names the largest Δt).
 */
tasks.fp = (nd, p, progress) => {
  need(nd, ['FokkerPlanckSolver', 'fpGaussianDensity'], 'The Fokker–Planck solver');
  const grid = { vMin: -4, vReset: 0, vThreshold: 1, nv: p.nv, wMin: -1.2, wMax: 0.1, nw: p.nw };
  const input = (w) => p.amplitude * Math.exp(-((w - p.center) ** 2) / 0.01);
  const p0 = nd.fpGaussianDensity(grid, { H: (w) => (w > -1 && w < 0 ? 1 : 0), mean: 0, sd: 0.5 });
  const fp = new nd.FokkerPlanckSolver({
    grid,
    a: 1,
    dt: p.dt,
    input: (_t, w) => w.map(input),
    initial: p0,
    learning: { rule: 'hebbian', epsilon: p.epsilon },
    wScheme: p.wScheme ?? 'implicit',
    recordEverySteps: 10,
  });
  try {
    const frames = p.frames;
    const { v, w } = fp.grid;
    let minDensity = Number.POSITIVE_INFINITY;
    let maxMassError = 0;
    const snapshot = () => ({ t: fp.time, density: Array.from(fp.density()), H: Array.from(fp.weightDistribution()), nbar: fp.nbar });
    for (let f = 1; f <= frames; f++) {
      fp.run(p.duration / frames);
      minDensity = Math.min(minDensity, fp.minDensity());
      maxMassError = Math.max(maxMassError, Math.abs(fp.mass() - 1));
      progress(f / frames, snapshot());
    }
    const tr = fp.trace();
    return {
      v: Array.from(v),
      w: Array.from(w),
      nv: v.length,
      nw: w.length,
      final: snapshot(),
      N: Array.from(fp.rates()),
      trace: { t: Array.from(tr.time), nbar: Array.from(tr.nbar) },
      mass: fp.mass(),
      maxMassError,
      minDensity,
      frames,
    };
  } finally {
    fp.dispose();
  }
};

/**
 * An escape-noise (SRM) network (seed 003): ρ_i = ρ0 exp((u_i − ϑ)/Δu), u_i = Σ_j w_ij φ_j + η_i,
 * spikes drawn with probability 1 − exp(−ρ dt). Random Gaussian weights of scale g/√n from the
 * seed; the sampled raster, population rate and the exact log-likelihood of the sample.
 */
tasks.srm = (nd, p, progress) => {
  need(nd, ['SrmNetwork', 'normals', 'populationRate'], 'The escape-noise network');
  const n = p.neurons;
  const z = nd.normals(p.seed, 0, n * n, { stream: nd.Streams.init });
  const weights = Array.from(z, (x, k) => (Math.floor(k / n) === k % n ? 0 : (p.g * x) / Math.sqrt(n)));
  const net = new nd.SrmNetwork({
    n,
    weights,
    rho0: p.rho0, // Hz
    vThreshold: 0,
    deltaU: p.deltaU,
    eta0: p.eta0,
    tauMem: 10, // ms
    tauAdapt: 20, // ms
    dt: 1, // ms
    seed: p.seed,
    silence: ['srm.saturation'],
  });
  try {
    progress(0.2);
    const s = net.sample(p.duration, { onProgress: (q) => progress(0.2 + 0.7 * q.fraction) });
    const spikes = s.train.toTable();
    const binSize = 10; // ms
    const r = nd.populationRate(spikes.time, { n, tStart: 0, tStop: p.duration, binSize });
    return {
      raster: { times: Array.from(spikes.time), neurons: Array.from(spikes.neuron) },
      rate: { t: Array.from(r.time), hz: Array.from(r.rate) },
      spikes: spikes.length,
      meanRateHz: r.meanRate,
      logLik: s.logLik,
      logLikPerSpikeStep: s.logLik / (n * s.train.steps),
      maxLambda: s.maxLambda,
    };
  } finally {
    net.dispose();
  }
};
