// Higuchi & Bohté: the BRF neuron's divergence boundary (the radius-1 contour of the step's spectral
// radius) computed in-process, learning curves of BRF, RF and ALIF on a synthetic task with the same
// budget, and BRF vs ALIF on sequential MNIST with the same hidden size and budget, from
// examples/node/brf-smnist.mjs (two child processes, run side by side; full mode only).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { bound, holds, ROOT, wilson } from './_framework.mjs';

const EXAMPLE = 'examples/node/brf-smnist.mjs';

export const section = {
  id: 'brf',
  order: 40,
  title: 'Balanced resonate-and-fire neurons: divergence boundary and BRF vs ALIF learning',
  paper:
    'Higuchi & Bohté, Understanding the convergence in balanced resonate-and-fire neurons; the BRF neuron of Higuchi et al., Balanced resonate-and-fire neurons (2024)',
  description:
    'The spectral radius of the BRF step over (ω, b) with the divergence boundary p(ω) = (−1 + √(1 − (δω)²))/δ as its radius-1 contour; learning curves of BRF, RF and ALIF recurrent networks trained by BPTT on a synthetic frequency-discrimination task with the same budget; and (full mode) BRF vs ALIF on sequential MNIST (the mnist package digits) with the same hidden size, data and epochs.',
  requires: ['BrfTrainer', 'frequencyTask', 'brfSpectralRadiusGrid', 'brfDivergenceBoundary'],
  async run({ quick, progress, runExample, nd }) {
    const dt = 10; // ms (δ = 0.01 s)
    const nw = quick ? 41 : 81;
    const nb = quick ? 31 : 61;
    const omegas = Array.from({ length: nw }, (_, i) => (i / (nw - 1)) * 99);
    const bs = Array.from({ length: nb }, (_, j) => -30 + (j / (nb - 1)) * 30);
    const dW = omegas[1] - omegas[0];
    const dB = bs[1] - bs[0];
    progress(0.02, 'spectral radius grid');
    const z = nd.brfSpectralRadiusGrid(omegas, bs, { dt });
    // Boundary check: |1 + δ(p(ω) + iω)| = 1 to machine precision (δ in s).
    let maxDev = 0;
    for (const w of omegas) {
      const p = nd.brfDivergenceBoundary(w, { dt });
      maxDev = Math.max(maxDev, Math.abs(Math.hypot(1 + (dt / 1000) * p, (dt / 1000) * w) - 1));
    }
    // Below the boundary the radius is < 1, above it > 1.
    let agree = 0;
    for (let j = 0; j < nb; j++)
      for (let i = 0; i < nw; i++) {
        const p = nd.brfDivergenceBoundary(omegas[i], { dt });
        const r = z[j * nw + i];
        if (Math.abs(bs[j] - p) < 1e-9 || bs[j] < p === r < 1) agree++;
      }
    const figures = [
      {
        name: 'spectral-radius',
        // heatmap() takes cell edges: half a grid step beyond the first and last grid points.
        svg: nd.plot.heatmap(z, nw, nb, [omegas[0] - dW / 2, omegas[nw - 1] + dW / 2], [bs[0] - dB / 2, bs[nb - 1] + dB / 2], {
          title: 'Spectral radius of the BRF step (δ = 10 ms)',
          xlabel: 'angular frequency ω (rad/s)',
          ylabel: 'damping b (1/s)',
          zlabel: 'spectral radius of the step',
          zrange: [0.7, 1.3],
        }),
        caption: `Spectral radius of the Euler step of u̇ = (b + iω)u over a ${nw} × ${nb} grid of (ω, b) at δ = 10 ms (colour clipped to [0.7, 1.3]): below the divergence boundary b = p(ω) the radius is under 1 (the discrete resonator is stable), above it over 1.`,
      },
      {
        name: 'divergence-boundary',
        svg: nd.plot.lineChart([{ x: omegas, y: omegas.map((w) => nd.brfDivergenceBoundary(w, { dt })), label: 'p(ω)' }], {
          title: 'Divergence boundary p(ω)',
          xlabel: 'angular frequency ω (rad/s)',
          ylabel: 'damping b at the boundary (1/s)',
        }),
        caption:
          'The divergence boundary p(ω) = (−1 + √(1 − (δω)²))/δ at δ = 10 ms: the damping at which the spectral radius of the Euler step is exactly 1.',
      },
    ];
    const summary = { boundaryMaxDeviation: maxDev, gridPointsAgreeingWithBoundary: agree / (nw * nb) };
    const tables = [];
    const commands = [];
    const notes = [];

    // Learning curves on the synthetic frequency-discrimination task (no data needed): BRF, RF and
    // ALIF with the same hidden size, data, batch size and epochs (the setting of test/brf).
    const task = nd.frequencyTask({ seed: 3, trainSize: 320, testSize: 400, classes: 5, noise: 0.3 });
    const net = { inputSize: 1, hiddenSize: 32, outputSize: 5, loss: 'sequence', lossStartStep: 50 };
    const epochs = 4;
    const curves = {};
    const models = ['brf', 'rf', 'alif'];
    for (let m = 0; m < models.length; m++) {
      progress(0.05 + (0.25 * m) / models.length, `frequency task: ${models[m]}`);
      const tr = new nd.BrfTrainer({ network: { ...net, model: models[m] }, steps: task.train.steps, seed: 1, batchSize: 16 });
      try {
        const h = await tr.train(task.train, { epochs, test: task.test });
        curves[models[m]] = Array.from(h.testAccuracy);
      } finally {
        tr.dispose();
      }
    }
    summary.frequencyTask = Object.fromEntries(models.map((m) => [m, { finalTestAccuracy: curves[m][epochs - 1] }]));
    tables.push({
      title: `Frequency discrimination (5 classes, noise 0.3): test accuracy per epoch, hidden size ${net.hiddenSize}, batch 16`,
      columns: ['model', ...Array.from({ length: epochs }, (_, e) => `epoch ${e + 1}`)],
      rows: models.map((m) => [m, ...curves[m]]),
    });
    figures.push({
      name: 'frequency-task-curves',
      svg: nd.plot.lineChart(
        models.map((m) => ({ x: Array.from({ length: epochs }, (_, e) => e + 1), y: curves[m], label: m.toUpperCase(), mode: 'both' })),
        {
          title: 'Learning curves on the frequency task (same budget)',
          xlabel: 'epoch',
          ylabel: 'test accuracy (fraction correct)',
          yrange: [0, 1],
        },
      ),
      caption: `Test accuracy after each epoch on the 5-class frequency-discrimination task (${task.test.n} test sequences, chance 0.2) for BRF, RF and ALIF networks of ${net.hiddenSize} hidden neurons with the same data, batch size and learning rate.`,
    });
    notes.push("Every model uses the trainer's default learning rate (Adam, 0.1), the same data, batch size and epochs.");

    if (quick) notes.push(`Quick mode: the S-MNIST comparison (${EXAMPLE}) runs only in the full showcase.`);
    else if (existsSync(join(ROOT, EXAMPLE))) {
      // Same budget for both models: the example's own --quick configuration, run side by side.
      const runs = await Promise.all(
        ['brf', 'alif'].map((model, k) =>
          runExample(EXAMPLE, ['--quick', '--model', model], {
            expectSeconds: 45,
            svgDir: 'out/brf',
            progress: k === 0 ? (f, l) => progress(0.3 + 0.7 * f, l) : undefined,
          }),
        ),
      );
      summary.smnist = {};
      for (const r of runs) {
        summary.smnist[r.json.model] = r.json;
        commands.push(r.command);
        figures.push(
          ...r.svgs
            .filter((sv) => sv.name === `smnist-${r.json.model}-curve`)
            .map((sv) => ({
              ...sv,
              caption: `Train and test accuracy per epoch of the ${r.json.model.toUpperCase()} network on sequential MNIST (784 steps, ${r.json.hidden} hidden neurons, ${r.json.trainSize} training and ${r.json.testSize} test sequences from the mnist package digits).`,
            })),
        );
      }
      tables.push({
        title: 'S-MNIST (mnist package digits), same hidden size, data and epochs',
        columns: ['model', 'epochs', 'train sequences', 'test sequences', 'test accuracy', '95% CI (Wilson)', 'seconds per epoch'],
        rows: runs.map((r) => {
          const e = wilson(Math.round(r.json.testAccuracy * r.json.testSize), r.json.testSize);
          return [
            r.json.model,
            r.json.epochs,
            r.json.trainSize,
            r.json.testSize,
            r.json.testAccuracy,
            `[${e.ci.map((x) => x.toFixed(3)).join(', ')}]`,
            r.json.secondsPerEpoch,
          ];
        }),
      });
    } else notes.push(`${EXAMPLE} is not in this build: the S-MNIST comparison is skipped.`);
    // Checks. Accuracies are counts over the test set: Wilson 95% intervals.
    const nTest = task.test.n;
    const acc = Object.fromEntries(models.map((m) => [m, wilson(Math.round(curves[m][epochs - 1] * nTest), nTest)]));
    const checks = [
      bound({
        quantity: `max over ${nw} values of ω of ||1 + δ(p(ω) + iω)| − 1|`,
        measured: maxDev,
        op: '<=',
        limit: 1e-12,
        reference: '0 (≤ 1e-12)',
        source: 'definition of the divergence boundary: spectral radius of the Euler step exactly 1 (the paper, Eq. 8)',
      }),
      holds({
        quantity: `grid points (${nw} × ${nb}) whose spectral radius is < 1 exactly when b lies below p(ω)`,
        ok: agree === nw * nb,
        reference: `all ${nw * nb}`,
        source: 'the boundary is the radius-1 contour (the paper, Section 4)',
        measured: `${agree} of ${nw * nb}`,
      }),
      bound({
        quantity: `BRF test accuracy after ${epochs} epochs, frequency task (5 classes)`,
        measured: acc.brf.value,
        op: '>',
        limit: 0.2,
        ci: acc.brf.ci,
        n: `${nTest} test sequences`,
        reference: 'above chance (0.2)',
        source: 'the BRF network learns within a few epochs (the paper, Section 3)',
        strict: 'ci',
      }),
      holds({
        quantity: `BRF vs ALIF test accuracy after ${epochs} epochs, same budget`,
        ok: acc.brf.ci[0] > acc.alif.ci[1],
        reference: 'BRF higher',
        source: 'BRF converges faster than ALIF with the same training budget (the paper, Section 3 and Figure 3)',
        measured: `BRF ${acc.brf.value.toFixed(3)} [${acc.brf.ci.map((x) => x.toFixed(3)).join(', ')}], ALIF ${acc.alif.value.toFixed(3)} [${acc.alif.ci.map((x) => x.toFixed(3)).join(', ')}]`,
        tolerance: 'disjoint 95% intervals',
        n: `${nTest} test sequences each`,
      }),
    ];
    if (summary.smnist) {
      const b = summary.smnist.brf;
      const e = wilson(Math.round(b.testAccuracy * b.testSize), b.testSize);
      checks.push(
        bound({
          quantity: `BRF test accuracy on S-MNIST after ${b.epochs} epochs (${b.hidden} hidden neurons, ${b.trainSize} training sequences)`,
          measured: e.value,
          op: '>',
          limit: 0.1,
          ci: e.ci,
          n: `${b.testSize} test sequences`,
          reference: 'above chance (0.1)',
          source: 'BRF reaches 95% on S-MNIST within 10 epochs at full size (the paper, Section 3); here a reduced budget',
          strict: 'ci',
        }),
      );
    }
    return {
      checks,
      summary: { ...summary, frequencyTaskTestSize: nTest },
      headline: {
        boundaryMaxDeviation: maxDev,
        frequencyTaskAccuracy: Object.fromEntries(models.map((m) => [m, curves[m][epochs - 1]])),
        ...(summary.smnist ? { smnistTestAccuracy: { brf: summary.smnist.brf.testAccuracy, alif: summary.smnist.alif.testAccuracy } } : {}),
      },
      tables,
      figures,
      params: {
        dt,
        omegas: [omegas[0], omegas[nw - 1], nw],
        bs: [bs[0], bs[nb - 1], nb],
        frequencyTask: {
          seed: 3,
          trainSize: 320,
          testSize: 400,
          classes: 5,
          noise: 0.3,
          network: net,
          epochs,
          batchSize: 16,
          trainSeed: 1,
        },
        commands,
      },
      commands,
      notes,
    };
  },
};
