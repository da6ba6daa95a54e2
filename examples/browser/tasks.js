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
