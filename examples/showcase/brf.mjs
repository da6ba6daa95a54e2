// Seed 002: the BRF neuron's divergence boundary (the radius-1 contour of the step's spectral
// radius) computed in-process, and BRF vs ALIF learning on sequential MNIST with the same hidden
// size and budget, from examples/node/brf-smnist.mjs (two child processes, run side by side).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { kvRows, ROOT } from './_framework.mjs';

const EXAMPLE = 'examples/node/brf-smnist.mjs';

export const section = {
  id: 'brf',
  order: 40,
  title: 'Balanced resonate-and-fire neurons: divergence boundary and BRF vs ALIF learning (seed 002)',
  description:
    'The spectral radius of the BRF step over (ω, b) with the divergence boundary p(ω) = (−1 + √(1 − (δω)²))/δ as its radius-1 contour; then a BRF and an ALIF recurrent network trained by BPTT on sequential MNIST (the mnist package digits) with the same hidden size, data and epochs.',
  requires: ['BrfTrainer', 'brfSpectralRadiusGrid', 'brfDivergenceBoundary'],
  async run({ quick, progress, runExample, nd }) {
    const dt = 0.01;
    const nw = quick ? 41 : 81;
    const nb = quick ? 31 : 61;
    const omegas = Array.from({ length: nw }, (_, i) => (i / (nw - 1)) * 99);
    const bs = Array.from({ length: nb }, (_, j) => -30 + (j / (nb - 1)) * 30);
    progress(0.02, 'spectral radius grid');
    const z = nd.brfSpectralRadiusGrid(omegas, bs, dt);
    // Boundary check: |1 + δ(p(ω) + iω)| = 1 to machine precision.
    let maxDev = 0;
    for (const w of omegas) {
      const p = nd.brfDivergenceBoundary(w, dt);
      maxDev = Math.max(maxDev, Math.abs(Math.hypot(1 + dt * p, dt * w) - 1));
    }
    // Below the boundary the radius is < 1, above it > 1.
    let agree = 0;
    for (let j = 0; j < nb; j++)
      for (let i = 0; i < nw; i++) {
        const p = nd.brfDivergenceBoundary(omegas[i], dt);
        const r = z[j * nw + i];
        if (Math.abs(bs[j] - p) < 1e-9 || bs[j] < p === r < 1) agree++;
      }
    const figures = [
      {
        name: 'spectral-radius',
        svg: nd.plot.heatmap(z, nw, nb, [omegas[0], omegas[nw - 1]], [bs[0], bs[nb - 1]], {
          title: 'Spectral radius of the BRF step (δ = 0.01 s)',
          xlabel: 'ω (rad/s)',
          ylabel: 'b',
          zrange: [0.7, 1.3],
        }),
        caption: 'Spectral radius over (ω, b); the divergence boundary b = p(ω) is its radius-1 contour',
      },
      {
        name: 'divergence-boundary',
        svg: nd.plot.lineChart([{ x: omegas, y: omegas.map((w) => nd.brfDivergenceBoundary(w, dt)), label: 'p(ω)' }], {
          title: 'Divergence boundary p(ω)',
          xlabel: 'ω (rad/s)',
          ylabel: 'b',
        }),
      },
    ];
    const summary = { boundaryMaxDeviation: maxDev, gridPointsAgreeingWithBoundary: agree / (nw * nb) };
    const tables = [];
    const commands = [];
    const notes = [];
    if (existsSync(join(ROOT, EXAMPLE))) {
      // Same budget for both models; quick mode trims the example's own --quick budget further.
      const budget = quick ? ['--quick', '--epochs', '2', '--train', '256', '--test', '128'] : ['--quick'];
      const runs = await Promise.all(
        ['brf', 'alif'].map((model, k) =>
          runExample(EXAMPLE, [...budget, '--model', model], {
            expectSeconds: quick ? 15 : 60,
            svgDir: 'out/brf',
            progress: k === 0 ? (f, l) => progress(0.05 + 0.95 * f, l) : undefined,
          }),
        ),
      );
      for (const r of runs) {
        summary[r.json.model] = r.json;
        commands.push(r.command);
        figures.push(...r.svgs.filter((s) => s.name.includes(`-${r.json.model}-`) || s.name.endsWith(r.json.model)));
      }
      tables.push({
        title: 'S-MNIST, same hidden size, data and epochs',
        columns: ['model', 'epochs', 'test accuracy', 'seconds per epoch'],
        rows: runs.map((r) => [r.json.model, r.json.epochs, r.json.testAccuracy, r.json.secondsPerEpoch]),
      });
    } else notes.push(`${EXAMPLE} is not in this build: the learning comparison is skipped.`);
    tables.unshift({
      title: 'Divergence boundary checks',
      columns: ['check', 'value'],
      rows: kvRows(summary).filter(([k]) => !['brf', 'alif'].includes(k)),
    });
    return {
      summary,
      headline: {
        boundaryMaxDeviation: maxDev,
        ...(summary.brf ? { brfTestAccuracy: summary.brf.testAccuracy, alifTestAccuracy: summary.alif.testAccuracy } : {}),
      },
      tables,
      figures,
      params: { dt, omegas: [omegas[0], omegas[nw - 1], nw], bs: [bs[0], bs[nb - 1], nb], commands },
      commands,
      notes,
    };
  },
};
