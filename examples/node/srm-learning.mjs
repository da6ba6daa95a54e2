// Teacher–student learning in an escape-noise SRM network (seed 003, Jimenez Rezende & Gerstner
// 2014): a teacher network with known weights generates spike trains; a student starting from
// zero weights ascends the exact log-likelihood of those trains (batch M rule) and recovers the
// teacher's weights. Also checks the gradient against central finite differences.
// Usage: node examples/node/srm-learning.mjs [--quick]
// Writes out/srm/teacher-student.svg; last line: {"initialLogLik", "finalLogLik", "weightError", "gradCheckRelErr"}.
import { mkdirSync, writeFileSync } from 'node:fs';
import * as nd from 'neurodyn';

await nd.init();
const quick = process.argv.includes('--quick');
const n = 10;
const steps = quick ? 40_000 : 150_000;
const epochs = quick ? 100 : 250;
// Times in ms, rho0 (the escape rate at threshold) in Hz.
const params = { tauMem: 10, tauAdapt: 20, eta0: 5, rho0: 50, vThreshold: 0, deltaU: 0.7, dt: 1, silence: ['srm.saturation'] };

// Teacher weights: uniform in [-1, 1), no self-connections (adaptation plays that role).
const u = nd.uniforms('teacher', 0, n * n, { stream: nd.Streams.init });
const wTrue = Array.from(u, (x, k) => (Math.floor(k / n) === k % n ? 0 : 2 * (x - 0.5)));
const teacher = new nd.SrmNetwork({ n, weights: wTrue, bias: 0, ...params });
const data = teacher.sample(steps * params.dt, { seed: 'data' }).train;
const teacherLogLik = teacher.logLikelihood(data).logLik;

// Gradient check on a 5 s slice at the teacher's weights: five-point central differences.
const slice = { n, steps: 5000, spikes: data.spikes.slice(0, 5000 * n) };
const g0 = teacher.gradient(slice);
let gradCheckRelErr = 0;
const h = 1e-3;
for (let k = 0; k < n * n; k++) {
  const at = (d) => {
    const w = wTrue.slice();
    w[k] += d;
    teacher.setWeights(w);
    return teacher.logLikelihood(slice).logLik;
  };
  const fd = (8 * (at(h) - at(-h)) - (at(2 * h) - at(-2 * h))) / (12 * h);
  gradCheckRelErr = Math.max(gradCheckRelErr, Math.abs(g0.dW[k] - fd) / Math.abs(fd));
}
teacher.setWeights(wTrue);

const student = new nd.SrmNetwork({ n, bias: 0, ...params });
const weightError = () => {
  const w = student.weights();
  let a = 0;
  let b = 0;
  for (let k = 0; k < n * n; k++) {
    a += (w[k] - wTrue[k]) ** 2;
    b += wTrue[k] ** 2;
  }
  return Math.sqrt(a / b);
};
const curve = { epoch: [], logLik: [], weightError: [] };
const t0 = performance.now();
let g;
for (let e = 0; e <= epochs; e++) {
  g = student.gradient(data);
  curve.epoch.push(e);
  curve.logLik.push(g.logLik / steps);
  curve.weightError.push(weightError());
  if (e < epochs) student.addToParameters(g, { scale: 20 / steps });
}
const seconds = (performance.now() - t0) / 1000;

mkdirSync('out/srm', { recursive: true });
const ll = nd.plot.lineChart(
  [
    { x: curve.epoch, y: curve.logLik, label: 'student' },
    { x: [0, epochs], y: [teacherLogLik / steps, teacherLogLik / steps], label: 'teacher', dash: '4 3' },
  ],
  { title: 'Teacher–student: log-likelihood of the data', xlabel: 'epoch (batch gradient steps)', ylabel: 'log p per step (nats)' },
);
const we = nd.plot.lineChart([{ x: curve.epoch, y: curve.weightError, label: '‖W − W*‖ / ‖W*‖' }], {
  title: 'Teacher–student: weight error',
  xlabel: 'epoch',
  ylabel: 'relative Frobenius error',
  logy: true,
});
writeFileSync('out/srm/teacher-student.svg', ll);
writeFileSync('out/srm/teacher-student-weights.svg', we);
teacher.dispose();
student.dispose();
console.log(
  `teacher–student: n=${n}, ${steps} steps of data (${((data.spikes.reduce((a, b) => a + b, 0) / n / steps) * 1000).toFixed(1)} Hz), ${epochs} epochs in ${seconds.toFixed(1)} s; teacher log p ${teacherLogLik.toFixed(1)}`,
);
console.log(
  JSON.stringify({
    initialLogLik: curve.logLik[0] * steps,
    finalLogLik: g.logLik,
    weightError: curve.weightError[epochs],
    gradCheckRelErr,
    teacherLogLik,
    neurons: n,
    dataSteps: steps,
    epochs,
  }),
);
