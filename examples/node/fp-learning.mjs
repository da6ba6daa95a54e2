// Section 8 of Perthame–Salort–Wainrib 2017 (seed 001): learn a signal with the Hebbian rule
// K(w) = −1 (w ≤ 0), then test the frozen network with the learned and with another signal.
// The network "recognises" a test input when its output has the input-independent shape
// N(w) ∝ −w on the learned support (Proposition 6.2: N(w) = −w/N̄ on [−√2N̄, 0]).
//
//   node examples/node/fp-learning.mjs [--quick]
//
// Writes Figures 1–4 (and a density heatmap) as SVG under out/fp/ and prints, as its last line,
// {"Nbar", "support", "recognised": {"I→I", "I→J", "J→J", "J→I"}, "discrimination"}.
// The paper does not give a, V_R, V_F, ε or the grids; the values below are ours (docs/fp.md).
import { mkdirSync, writeFileSync } from 'node:fs';
import * as nd from 'neurodyn';

const quick = process.argv.includes('--quick');
const t0 = performance.now();
await nd.init();

const I = (w) => 1.5 * Math.exp(-((w + 0.5) ** 2) / 0.01);
const J = (w) => 0.5 * Math.exp(-((w + 0.2) ** 2) / 0.01) + 0.5 * Math.exp(-((w + 0.6) ** 2) / 0.01);
const model = { a: 1, vReset: 0, vThreshold: 1 };
const grid = quick
  ? { vMin: -4, vReset: 0, vThreshold: 1, nv: 100, wMin: -1.2, wMax: 0, nw: 48 }
  : { vMin: -4, vReset: 0, vThreshold: 1, nv: 200, wMin: -1.2, wMax: 0, nw: 96 };
const dt = quick ? 0.02 : 0.01;
const epsilon = 0.5;
const tLearn = quick ? 50 : 80;
const tTest = quick ? 15 : 25;
const RESIDUAL_THRESHOLD = 0.25; // recognised ⇔ relative L¹ distance to the shape −w·1_supp below this (measured: ~0.05–0.16 same signal, ~0.4–0.5 other)

// Initial data: weights uniform on [−1, 0] (inhibitory, as in Section 8), v ~ N(0, 0.5²).
const p0 = nd.fpGaussianDensity(grid, { H: (w) => (w > -1 && w < 0 ? 1 : 0), mean: 0, sd: 0.5 });

function learn(input) {
  const fp = new nd.FokkerPlanckSolver({
    grid,
    a: model.a,
    dt,
    input: (_t, w) => w.map(input),
    initial: p0,
    learning: { rule: 'hebbian', epsilon },
    wScheme: 'implicit', // no CFL restriction on dt from the fast initial transient
    recordEverySteps: 50,
  });
  fp.run(tLearn);
  return fp;
}

/** Test phase: learning off, the given input, run to equilibrium; returns N(w) and N̄. */
function test(fp, input) {
  const fresh = new nd.FokkerPlanckSolver({ grid, a: model.a, dt, input: fp.grid.w.map(input), initial: fp.density() });
  fresh.run(tTest);
  const out = { N: fresh.rates(), nbar: fresh.nbar, mass: fresh.mass() };
  fresh.dispose();
  return out;
}

const w = Array.from({ length: grid.nw }, (_, k) => grid.wMin + (k + 0.5) * ((grid.wMax - grid.wMin) / grid.nw));
const dw = (grid.wMax - grid.wMin) / grid.nw;

/** Left edge of the learned support: where H first reaches half its maximum (the shock of H). */
function supportOf(H) {
  let mx = 0;
  for (const h of H) mx = Math.max(mx, h);
  for (let k = 1; k < H.length; k++) {
    if (H[k] >= 0.5 * mx) {
      const f = (0.5 * mx - H[k - 1]) / (H[k] - H[k - 1]);
      return [w[k - 1] + f * dw, 0];
    }
  }
  return [w[0], 0];
}

/**
 * Relative L¹ distance of N to the recognition shape c·(−w)·1_[lo,0] (lo: the learned support's
 * edge, c matching the mass of N): 0 for Proposition 6.2's output N(w) = −w/N̄.
 */
function shapeResidual(N, H) {
  const [lo] = supportOf(H);
  let mass = 0;
  let ref = 0;
  for (let k = 0; k < N.length; k++) {
    mass += N[k];
    if (w[k] >= lo) ref += -w[k];
  }
  const c = mass / ref;
  let dist = 0;
  for (let k = 0; k < N.length; k++) dist += Math.abs(N[k] - (w[k] >= lo ? -c * w[k] : 0));
  return dist / mass;
}

const learned = { I: learn(I), J: learn(J) };
const H = { I: learned.I.weightDistribution(), J: learned.J.weightDistribution() };
const nbarLearn = { I: learned.I.nbar, J: learned.J.nbar };
const outs = {
  'I→I': test(learned.I, I),
  'I→J': test(learned.I, J),
  'J→J': test(learned.J, J),
  'J→I': test(learned.J, I),
};
const residual = Object.fromEntries(Object.entries(outs).map(([k, o]) => [k, shapeResidual(o.N, H[k[0]])]));
const recognised = Object.fromEntries(Object.entries(residual).map(([k, r]) => [k, r < RESIDUAL_THRESHOLD]));
let discrimination = 0;
for (let k = 0; k < grid.nw; k++) discrimination += Math.abs(outs['I→I'].N[k] - outs['I→J'].N[k]) * dw;

// Theory (Proposition 6.2) for comparison.
const theory = {
  I: nd.fpLearningEquilibrium({ ...model, input: I }).equilibria[0],
  J: nd.fpLearningEquilibrium({ ...model, input: J }).equilibria[0],
};
const supportPde = supportOf(H.I);

// Figures 1–4 (and the density after learning I).
mkdirSync('out/fp', { recursive: true });
const fine = Array.from({ length: 400 }, (_, j) => -1.2 + (1.2 * j) / 399);
const P = nd.plot;
writeFileSync(
  'out/fp/fig1-inputs.svg',
  P.lineChart(
    [
      { x: fine, y: fine.map(I), label: 'I(w)' },
      { x: fine, y: fine.map(J), label: 'J(w)' },
    ],
    { title: 'The two input signals (paper, Figure 1)', xlabel: 'synaptic weight w', ylabel: 'input I(w), J(w) (dimensionless)' },
  ),
);
writeFileSync(
  'out/fp/fig2-weights.svg',
  P.lineChart(
    [
      { x: w, y: H.I, label: 'H learned with I (PDE)' },
      { x: w, y: H.J, label: 'H learned with J (PDE)' },
      { x: fine, y: fine.map(theory.I.H), label: 'Prop. 6.2, I', dash: '4 3' },
      { x: fine, y: fine.map(theory.J.H), label: 'Prop. 6.2, J', dash: '4 3' },
    ],
    {
      title: 'Weight distributions after learning (paper, Figure 2)',
      xlabel: 'synaptic weight w',
      ylabel: 'density H(w) = ∫p dv (per unit w)',
    },
  ),
);
writeFileSync(
  'out/fp/fig3-outputs-learned.svg',
  P.lineChart(
    [
      { x: w, y: outs['I→I'].N, label: 'learned I, tested with I' },
      { x: w, y: outs['J→J'].N, label: 'learned J, tested with J' },
      { x: fine, y: fine.map(theory.I.N), label: '−w/N̄ (theory, I)', dash: '4 3' },
      { x: fine, y: fine.map(theory.J.N), label: '−w/N̄ (theory, J)', dash: '4 3' },
    ],
    {
      title: 'Output with the learned signal (paper, Figure 3)',
      xlabel: 'synaptic weight w',
      ylabel: 'output N(w) (rate per τ_m, per unit w)',
    },
  ),
);
writeFileSync(
  'out/fp/fig4-outputs-other.svg',
  P.lineChart(
    [
      { x: w, y: outs['I→J'].N, label: 'learned I, tested with J' },
      { x: w, y: outs['J→I'].N, label: 'learned J, tested with I' },
    ],
    {
      title: 'Output with the other signal (paper, Figure 4)',
      xlabel: 'synaptic weight w',
      ylabel: 'output N(w) (rate per τ_m, per unit w)',
    },
  ),
);
writeFileSync(
  'out/fp/density-learned-I.svg',
  P.heatmap(
    (() => {
      // transpose p[k*nv + i] to rows of v (y) × columns of w (x)
      const p = learned.I.density();
      const z = new Float64Array(grid.nv * grid.nw);
      for (let k = 0; k < grid.nw; k++) for (let i = 0; i < grid.nv; i++) z[i * grid.nw + k] = p[k * grid.nv + i];
      return z;
    })(),
    grid.nw,
    grid.nv,
    [grid.wMin, grid.wMax],
    [grid.vMin, grid.vThreshold],
    { title: 'p(v, w) after learning I', xlabel: 'synaptic weight w', ylabel: 'membrane potential v (V_F = 1)', zlabel: 'density p(v, w)' },
  ),
);
const tr = learned.I.trace();
writeFileSync(
  'out/fp/nbar-learning.svg',
  P.lineChart(
    [
      { x: tr.time, y: tr.nbar, label: 'N̄(t), learning I' },
      { x: learned.J.trace().time, y: learned.J.trace().nbar, label: 'N̄(t), learning J' },
    ],
    { title: 'Total activity during learning', xlabel: 'time t (τ_m)', ylabel: 'total firing rate N̄ (per τ_m)' },
  ),
);

const detail = {
  quick,
  grid,
  dt,
  epsilon,
  tLearn,
  tTest,
  seconds: (performance.now() - t0) / 1000,
  nbarLearned: nbarLearn,
  theory: { I: { nbar: theory.I.nbar, support: theory.I.support }, J: { nbar: theory.J.nbar, support: theory.J.support } },
  supportJ: supportOf(H.J),
  residual,
  threshold: RESIDUAL_THRESHOLD,
  massAfter: { learnI: learned.I.mass(), learnJ: learned.J.mass() },
};
console.log(JSON.stringify(detail));
learned.I.dispose();
learned.J.dispose();
console.log(JSON.stringify({ Nbar: nbarLearn.I, support: supportPde, recognised, discrimination }));
