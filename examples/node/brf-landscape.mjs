// Error landscapes f(α, β) = L(θ* + αη + βξ) (seed Eq. 10, filter-normalised directions) of BRF,
// RF and ALIF networks trained on an S-MNIST subset to a checkpoint (first epoch with test
// accuracy ≥ --target, as the seed's ~50% checkpoint, or the last epoch), their learning curves,
// and the spectral radius of ∂s^t/∂s^{t−1} over (ω, b) whose radius-1 contour is the divergence
// boundary. Writes SVGs and checkpoints under out/brf/; last line: result JSON.
//   node examples/node/brf-landscape.mjs --quick
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import {
  BrfTrainer,
  brfDivergenceBoundary,
  brfLandscapeRoughness,
  brfLossLandscape,
  brfSpectralRadiusGrid,
  brfTransitionMatrix,
  init,
  plot,
  smnistDataset,
  spectralRadius2x2,
} from 'neurodyn';

const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const opt = (name, def) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < argv.length ? argv[i + 1] : def;
};
const hidden = Number(opt('hidden', quick ? 32 : 64));
const maxEpochs = Number(opt('epochs', quick ? 3 : 10));
const trainN = Number(opt('train', quick ? 768 : 2000));
const evalN = Number(opt('eval', quick ? 100 : 256));
const grid = Number(opt('grid', quick ? 7 : 21));
const target = Number(opt('target', 0.5));
const models = opt('models', 'brf,rf,alif').split(',');
// --loss-start N: mean cross-entropy over every step t ≥ N (default: label-last);
// --alif-sigma s: ALIF double-Gaussian surrogate of width s and gain s (same peak σ'(0))
const lossStart = opt('loss-start', undefined);
const alifSigma = opt('alif-sigma', undefined);
const netOptions = (model) => ({
  model,
  inputSize: 1,
  hiddenSize: hidden,
  outputSize: 10,
  ...(lossStart ? { loss: 'sequence', lossStartStep: Number(lossStart), lossReduction: 'mean' } : {}),
  ...(model === 'alif' && alifSigma ? { surrogate: { kind: 'dgauss', sigma: Number(alifSigma), gain: Number(alifSigma) } } : {}),
});
mkdirSync('out/brf', { recursive: true });

await init();
const require = createRequire(import.meta.url);
const digitsDir = join(dirname(require.resolve('mnist/package.json')), 'src', 'digits');
const digits = Array.from({ length: 10 }, (_, d) => JSON.parse(readFileSync(join(digitsDir, `${d}.json`), 'utf8')).data);
const { train, test } = smnistDataset(digits, { seed: 1, trainLimit: trainN, testLimit: evalN });

const alphas = Array.from({ length: grid }, (_, k) => -1 + (2 * k) / (grid - 1));
const result = { hidden, trainN, evalN, grid, models: {}, files: [] };
const curves = [];
for (const model of models) {
  const tr = new BrfTrainer({ network: netOptions(model), steps: 784, seed: 1, batchSize: 16 });
  try {
    for (let e = 1; e <= maxEpochs; e++) {
      const h = await tr.train(train, { epochs: e, test });
      if (h.testAccuracy[e - 1] >= target) break;
    }
    const h = tr.history;
    curves.push({ label: model.toUpperCase(), x: Array.from(h.epoch, (e) => e + 1), y: Array.from(h.testAccuracy) });
    writeFileSync(`out/brf/landscape-${model}-checkpoint.json`, JSON.stringify(tr.toJSON()));
    const l = await brfLossLandscape(tr, test, { alphas, seed: 3 });
    const svg = plot.heatmap(l.loss, grid, grid, [-1, 1], [-1, 1], {
      title: `${model.toUpperCase()} error landscape f(α, β), S-MNIST (H=${hidden}, test acc ${(100 * h.testAccuracy[h.length - 1]).toFixed(0)}%)`,
      xlabel: 'α',
      ylabel: 'β',
    });
    const file = `out/brf/landscape-${model}.svg`;
    writeFileSync(file, svg);
    result.files.push(file);
    const c = l.loss[(grid * grid - 1) / 2];
    result.models[model] = {
      epochs: h.length,
      testAccuracy: h.testAccuracy[h.length - 1],
      centerLoss: c,
      minLoss: Math.min(...l.loss),
      maxLoss: Math.max(...l.loss),
      roughness: brfLandscapeRoughness(l),
    };
    console.log(`${model}: ${JSON.stringify(result.models[model])}`);
  } finally {
    tr.dispose();
  }
}
writeFileSync(
  'out/brf/learning-curves.svg',
  plot.lineChart(curves, { title: 'S-MNIST subset: test accuracy per epoch', xlabel: 'epoch', ylabel: 'test accuracy' }),
);
result.files.push('out/brf/learning-curves.svg');

// spectral radius of the one-step state transition over (ω, b), δ = 10 ms
const dt = { dt: 10 };
const omegas = Array.from({ length: 60 }, (_, i) => (i + 0.5) * (100 / 60));
const bs = Array.from({ length: 60 }, (_, j) => -100 + (j + 0.5) * (100 / 60));
const rho = brfSpectralRadiusGrid(omegas, bs, dt);
writeFileSync(
  'out/brf/spectral-radius.svg',
  plot.heatmap(rho, omegas.length, bs.length, [0, 100], [-100, 0], {
    title: 'spectral radius of ∂s^t/∂s^{t−1} (δ = 10 ms); colour range 0.8–1.2, 1 = middle',
    xlabel: 'ω (rad/s)',
    ylabel: 'b (1/s)',
    zrange: [0.8, 1.2],
  }),
);
// the radius-1 contour found numerically (bisection on the kernel's step) vs p(ω)
const contour = omegas.map((w) => {
  let lo = -100;
  let hi = 0;
  for (let k = 0; k < 60; k++) {
    const m = (lo + hi) / 2;
    if (spectralRadius2x2(brfTransitionMatrix(w, m, dt)) < 1) lo = m;
    else hi = m;
  }
  return (lo + hi) / 2;
});
const pw = omegas.map((w) => brfDivergenceBoundary(w, dt));
writeFileSync(
  'out/brf/divergence-boundary.svg',
  plot.lineChart(
    [
      { label: 'radius-1 contour (bisection)', x: omegas, y: contour },
      { label: 'p(ω) (Eq. 8)', x: omegas, y: pw },
    ],
    { title: 'divergence boundary', xlabel: 'ω (rad/s)', ylabel: 'b (1/s)' },
  ),
);
result.files.push('out/brf/spectral-radius.svg', 'out/brf/divergence-boundary.svg');
result.boundaryMaxDeviation = Math.max(...contour.map((c, i) => Math.abs(c - pw[i])));
console.log(JSON.stringify(result));
