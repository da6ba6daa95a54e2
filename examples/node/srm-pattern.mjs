// Learning to generate a spatio-temporal spike pattern (the setting of Jimenez Rezende &
// Gerstner 2014), with visible neurons only and then with hidden neurons helping.
// Target (4 visible neurons, 260 ms): six synchronous volleys (all 4 neurons in the same 1-ms
// step) at irregular times, each followed 15 ms later by the sequence 0 → 1 → 2 → 3 (3 ms apart).
// Spikes of one step are conditionally independent given the past, so a visible-only network
// pays the unpredictable onset of a volley four times; one hidden spike just before the volley
// can explain all four (a common cause), paying the onset once.
// Learners, same number of updates, one Q sample per update:
// (1) visible only: batch M rule on the exact log-likelihood;
// (2) + hidden, causal Q (the seed's scheme: Q sees the visible spikes up to t − 1);
// (3) + hidden, look-ahead Q (Q sees the visible spikes up to t + 1: lookaheadSteps = 2).
// The hidden learners are scored by the importance-weighted bound with K Q samples, a lower
// bound on log p(X_V). Curves: out/srm/pattern-loglik.svg, out/srm/pattern-distance.svg (van
// Rossum distance of trains generated after a cue of the first volley).
// Usage: node examples/node/srm-pattern.mjs [--quick]
import { mkdirSync, writeFileSync } from 'node:fs';
import * as nd from 'neurodyn';

await nd.init();
const quick = process.argv.includes('--quick');
const epochs = quick ? 1500 : 8000;
const every = quick ? 250 : 1000;
const K = 64;
const nv = 4;
const nh = 4;
const onsets = [5, 42, 87, 118, 170, 210];
const steps = 245;
const cueSteps = 30; // the first volley and its sequence
const target = { n: nv, steps, spikes: new Uint8Array(steps * nv) };
for (const t0 of onsets) {
  for (let k = 0; k < nv; k++) target.spikes[t0 * nv + k] = 1;
  for (let k = 0; k < nv; k++) target.spikes[(t0 + 15 + 3 * k) * nv + k] = 1;
}
// Times in ms, rho0 in Hz; dt = 1 ms, so a duration in ms is also a number of steps.
const params = { tauMem: 3, tauAdapt: 3, eta0: 2, rho0: 20, vThreshold: 0, deltaU: 0.5, dt: 1, silence: ['srm.saturation'] };
const lrM = 0.02;
const lrQ = 3e-3;

/**
 * Mean van Rossum distance (τ_R = 5 ms) of 8 generated trains after the cue, and (in
 * `lastVolleys`) their mean number of volleys (steps where all 4 visible neurons fire; the
 * target has 5 after the cue).
 */
let lastVolleys = 0;
function generationDistance(net, visibleIndex) {
  const n = net.n;
  const cue = { n, steps, spikes: new Uint8Array(steps * n) };
  for (let t = 0; t < steps; t++) for (let k = 0; k < nv; k++) cue.spikes[t * n + visibleIndex[k]] = target.spikes[t * nv + k];
  const len = steps - cueSteps;
  const tail = { n: nv, steps: len, spikes: target.spikes.slice(cueSteps * nv) };
  let d = 0;
  lastVolleys = 0;
  for (let trial = 0; trial < 8; trial++) {
    const s = net.sample(steps * params.dt, { clamp: cue, clampSteps: cueSteps, seed: 'generate', trial });
    const gen = { n: nv, steps: len, spikes: new Uint8Array(len * nv) };
    for (let t = cueSteps; t < steps; t++)
      for (let k = 0; k < nv; k++) gen.spikes[(t - cueSteps) * nv + k] = s.train.spikes[t * n + visibleIndex[k]];
    d += nd.vanRossumDistance(gen, tail, { tau: 5, dt: 1 });
    for (let t = 0; t < len; t++) if (gen.spikes.subarray(t * nv, (t + 1) * nv).every((x) => x === 1)) lastVolleys += 1 / 8;
  }
  return d / 8;
}

const t0 = performance.now();
// (1) visible only
const vis = new nd.SrmNetwork({ n: nv, ...params, bias: -2 });
const cV = { epoch: [], logLik: [], dEpoch: [], distance: [] };
for (let e = 0; e < epochs; e++) {
  const g = vis.gradient(target);
  cV.epoch.push(e);
  cV.logLik.push(g.logLik);
  if (e % every === 0) {
    cV.dEpoch.push(e);
    cV.distance.push(generationDistance(vis, [0, 1, 2, 3]));
  }
  vis.addToParameters(g, { scale: lrM });
}
cV.dEpoch.push(epochs);
cV.distance.push(generationDistance(vis, [0, 1, 2, 3]));
cV.volleys = lastVolleys;

// (2), (3) with hidden neurons: same initial M; Q = M on M's neurons, and the look-ahead
// copies excite Q's hidden neurons with random weights in [0, 1) (a zero or sign-symmetric start
// collapses: see docs/srm.md).
const n = nv + nh;
const visible = Array.from({ length: n }, (_, i) => (i < nv ? 1 : 0));
const bias0 = visible.map((v) => (v ? -2 : -1));
function hiddenLearner(lookahead) {
  const nQ = lookahead > 0 ? n + nv : n;
  const wM = Array.from(nd.uniforms('init', 0, n * n, { stream: nd.Streams.init }), (x) => 0.5 * (x - 0.5));
  const u = nd.uniforms('init-q', 0, nQ * nQ, { stream: nd.Streams.init });
  const wQ = Array.from({ length: nQ * nQ }, (_, k) => {
    const i = (k / nQ) | 0;
    const j = k % nQ;
    if (i < n && j < n) return wM[i * n + j];
    return i < n && !visible[i] ? u[k] : 0;
  });
  const biasQ = Array.from({ length: nQ }, (_, i) => (i < n ? bias0[i] : -2));
  const vh = new nd.SrmVariational({ n, visible, ...params, lookaheadSteps: lookahead, weightsM: wM, weightsQ: wQ, biasM: bias0, biasQ });
  const c = { epoch: [], elbo: [], dEpoch: [], distance: [] };
  let acc = 0;
  for (let e = 0; e < epochs; e++) {
    if (e % every === 0) {
      c.dEpoch.push(e);
      c.distance.push(generationDistance(vh.model, vh.visibleIndex));
    }
    const r = vh.learnStep(target, { learningRateM: lrM, learningRateQ: lrQ, baselineUpdates: 20, normalize: true, seed: 'q', trial: e });
    acc += -r.freeEnergy;
    if ((e + 1) % 20 === 0) {
      c.epoch.push(e - 9.5);
      c.elbo.push(acc / 20);
      acc = 0;
    }
  }
  c.dEpoch.push(epochs);
  c.distance.push(generationDistance(vh.model, vh.visibleIndex));
  c.volleys = lastVolleys;
  c.bound = vh.bound(target, { samples: K, seed: 'bound' });
  const w = vh.model.weights();
  c.maxHiddenToVisible = 0;
  for (let i = 0; i < nv; i++) for (let j = nv; j < n; j++) c.maxHiddenToVisible = Math.max(c.maxHiddenToVisible, Math.abs(w[i * n + j]));
  vh.dispose();
  return c;
}
const cC = hiddenLearner(0);
const cL = hiddenLearner(2);
const finalV = vis.logLikelihood(target).logLik;
const seconds = (performance.now() - t0) / 1000;

mkdirSync('out/srm', { recursive: true });
writeFileSync(
  'out/srm/pattern-loglik.svg',
  nd.plot.lineChart(
    [
      { x: cV.epoch, y: cV.logLik, label: 'visible only: log p(X_V)' },
      { x: cC.epoch, y: cC.elbo, label: `+${nh} hidden, causal Q: ELBO` },
      { x: cL.epoch, y: cL.elbo, label: `+${nh} hidden, look-ahead Q: ELBO` },
    ],
    { title: 'Learning a spike pattern: likelihood', xlabel: 'update', ylabel: 'nats per presentation', yrange: [-260, -80] },
  ),
);
writeFileSync(
  'out/srm/pattern-distance.svg',
  nd.plot.lineChart(
    [
      { x: cV.dEpoch, y: cV.distance, label: 'visible only', mode: 'both' },
      { x: cC.dEpoch, y: cC.distance, label: `+${nh} hidden, causal Q`, mode: 'both' },
      { x: cL.dEpoch, y: cL.distance, label: `+${nh} hidden, look-ahead Q`, mode: 'both' },
    ],
    { title: 'Generated vs target (after a cue of the first volley)', xlabel: 'update', ylabel: 'van Rossum distance (τ = 5 ms)' },
  ),
);
vis.dispose();
console.log(`pattern task: ${epochs} updates per learner, ${seconds.toFixed(1)} s; plots in out/srm/pattern-*.svg`);
const hidden = (c) => ({
  initialElbo: c.elbo[0],
  finalElbo: c.bound.elbo,
  finalLogLikIW: c.bound.importanceWeighted,
  maxHiddenToVisible: c.maxHiddenToVisible,
  initialDistance: c.distance[0],
  finalDistance: c.distance.at(-1),
  generatedVolleys: c.volleys,
});
console.log(
  JSON.stringify({
    updates: epochs,
    samplesIW: K,
    visibleOnly: {
      initialLogLik: cV.logLik[0],
      finalLogLik: finalV,
      initialDistance: cV.distance[0],
      finalDistance: cV.distance.at(-1),
      generatedVolleys: cV.volleys,
    },
    hiddenCausalQ: hidden(cC),
    hiddenLookaheadQ: hidden(cL),
  }),
);
