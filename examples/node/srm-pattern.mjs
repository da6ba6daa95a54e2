// Learning to generate a spatio-temporal spike pattern (the setting of Jimenez Rezende &
// Gerstner 2014): three visible neurons repeat A B . . A C . . (period 80 ms), so what follows A
// depends on an event ~40 ms earlier, longer than the PSP time constant (3 ms).
// (1) visible neurons only: batch M rule on the exact log-likelihood;
// (2) visible + hidden neurons: variational learning (Q samples hidden spikes given the data,
//     M learns from the completed trains, Q follows the free-energy gradient with a baseline).
// Curves: log p(X_V) (exact, visible-only) vs the ELBO −F (a lower bound on log p(X_V), with
// hidden), and the van Rossum distance between freely generated trains (after a one-period cue)
// and the target. Writes out/srm/pattern-*.svg. Usage: node examples/node/srm-pattern.mjs [--quick]
import { mkdirSync, writeFileSync } from 'node:fs';
import * as nd from 'neurodyn';

await nd.init();
const quick = process.argv.includes('--quick');
const epochs = quick ? 800 : 4000;
const every = quick ? 100 : 250;
const nv = 3;
const nh = 8;
const period = 80;
const reps = 6;
const steps = period * reps;
const target = { n: nv, steps, spikes: new Uint8Array(steps * nv) };
for (let r = 0; r < reps; r++) {
  for (const [t, k] of [
    [5, 0],
    [15, 1],
    [45, 0],
    [55, 2],
  ])
    target.spikes[(r * period + t) * nv + k] = 1;
}
const params = { tau: 3, tauAdapt: 3, eta0: 2, rho0: 0.02, theta: 0, deltaU: 0.5, dt: 1, silence: ['srm.saturation'] };
const lrM = 0.02;

/** Mean van Rossum distance (τ_R = 5 ms) of 8 generated trains after a one-period cue. */
function generationDistance(net, visibleIndex) {
  const n = net.n;
  const cue = { n, steps, spikes: new Uint8Array(steps * n) };
  for (let t = 0; t < steps; t++) for (let k = 0; k < nv; k++) cue.spikes[t * n + visibleIndex[k]] = target.spikes[t * nv + k];
  const tail = { n: nv, steps: steps - period, spikes: target.spikes.slice(period * nv) };
  let d = 0;
  for (let trial = 0; trial < 8; trial++) {
    const s = net.sample(steps, { clamp: cue, clampSteps: period, seed: 'generate', trial });
    const gen = { n: nv, steps: steps - period, spikes: new Uint8Array((steps - period) * nv) };
    for (let t = period; t < steps; t++)
      for (let k = 0; k < nv; k++) gen.spikes[(t - period) * nv + k] = s.train.spikes[t * n + visibleIndex[k]];
    d += nd.vanRossumDistance(gen, tail, { tau: 5, dt: 1 });
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
    cV.distance.push(generationDistance(vis, [0, 1, 2]));
  }
  vis.addToParameters(lrM, g.dW, g.dBias);
}
// (2) with hidden neurons
const n = nv + nh;
const visible = Array.from({ length: n }, (_, i) => (i < nv ? 1 : 0));
const init = nd.uniforms('init', 0, n * n, { stream: nd.Streams.init });
const w0 = Array.from(init, (x) => 0.5 * (x - 0.5));
const bias0 = visible.map((v) => (v ? -2 : -1));
const vh = new nd.SrmVariational({ n, visible, ...params, weightsM: w0, weightsQ: w0, biasM: bias0, biasQ: bias0 });
const cH = { epoch: [], elbo: [], dEpoch: [], distance: [] };
let acc = 0;
for (let e = 0; e < epochs; e++) {
  if (e % every === 0) {
    cH.dEpoch.push(e);
    cH.distance.push(generationDistance(vh.model, vh.visibleIndex));
  }
  const r = vh.learnStep(target, { learningRateM: lrM, learningRateQ: 3e-3, tauBaseline: 20, normalize: true, seed: 'q', trial: e });
  acc += -r.freeEnergy;
  if ((e + 1) % 20 === 0) {
    cH.epoch.push(e - 9.5);
    cH.elbo.push(acc / 20);
    acc = 0;
  }
}
const finalV = vis.logLikelihood(target).total;
const bound = vh.bound(target, { samples: 32, seed: 'bound' });
cV.dEpoch.push(epochs);
cV.distance.push(generationDistance(vis, [0, 1, 2]));
cH.dEpoch.push(epochs);
cH.distance.push(generationDistance(vh.model, vh.visibleIndex));
const seconds = (performance.now() - t0) / 1000;

mkdirSync('out/srm', { recursive: true });
writeFileSync(
  'out/srm/pattern-loglik.svg',
  nd.plot.lineChart(
    [
      { x: cV.epoch, y: cV.logLik, label: 'visible only: log p(X_V)' },
      { x: cH.epoch, y: cH.elbo, label: `+${nh} hidden: ELBO −F` },
    ],
    { title: 'Learning a spike pattern: likelihood', xlabel: 'update', ylabel: 'nats per presentation', yrange: [-200, -80] },
  ),
);
writeFileSync(
  'out/srm/pattern-distance.svg',
  nd.plot.lineChart(
    [
      { x: cV.dEpoch, y: cV.distance, label: 'visible only', mode: 'both' },
      { x: cH.dEpoch, y: cH.distance, label: `+${nh} hidden`, mode: 'both' },
    ],
    { title: 'Generated vs target (after a one-period cue)', xlabel: 'update', ylabel: 'van Rossum distance (τ = 5 ms)' },
  ),
);
vis.dispose();
vh.dispose();
console.log(`pattern task: ${epochs} updates each, ${seconds.toFixed(1)} s; plots in out/srm/pattern-*.svg`);
console.log(
  JSON.stringify({
    visibleOnly: { initialLogLik: cV.logLik[0], finalLogLik: finalV, initialDistance: cV.distance[0], finalDistance: cV.distance.at(-1) },
    withHidden: {
      initialElbo: cH.elbo[0],
      finalElbo: bound.elbo,
      finalImportanceWeighted: bound.importanceWeighted,
      initialDistance: cH.distance[0],
      finalDistance: cH.distance.at(-1),
    },
  }),
);
