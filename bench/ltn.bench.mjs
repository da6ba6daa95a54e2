// LTN batch integration: trajectory-steps/s of the WASM kernel (ltnBatchRun, RK4) vs the plain TS
// loop of the same algorithm (ltnReference.ltnBatchRunReference), side by side in one run, plus a
// numpy peer (bench/peers/ltn_batch_rk4.py, vectorised over trajectories) and the LDS ascent
// (ltnLdsAscent vs its TS twin). Noisy shared machine: read ratios, not absolute numbers.
import { spawnSync } from 'node:child_process';
import * as nd from '../dist/index.js';
import { runSuite } from './util.mjs';

await nd.init();
const n = 8;
const m = 256;
const steps = 100;
const dt = 0.01;
// strictly diagonally dominant (LDS) random network, from the library's own RNG
const z = nd.normals('ltn-bench', 0, n * n + 2 * n);
const d = Array.from({ length: n }, (_, i) => 1 + 0.5 * Math.abs(z[n * n + i]));
const W = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 0 : (0.8 * z[i * n + j]) / n)));
const u = Array.from({ length: n }, (_, i) => z[n * n + n + i]);
const x0 = Array.from({ length: m }, (_, k) => Array.from({ length: n }, (_, i) => ((k * 7 + i * 3) % 11) / 5));
const net = { d, W, u };

const batch = new nd.LtnBatch(net, x0, { dt, method: 'rk4' });
const dF = Float64Array.from(d);
const wF = Float64Array.from(W.flat());
const uF = Float64Array.from(u);
const gF = new Float64Array(m).fill(1);
const xF = Float64Array.from(x0.flat());
let sink = 0;
const rows = await runSuite(
  `LTN batch RK4, n = ${n}, ${m} trajectories × ${steps} steps per call (units: trajectory-steps)`,
  {
    'wasm (ltnBatchRun)': {
      units: m * steps,
      fn: () => {
        batch.run(steps * dt);
        sink += batch.step;
      },
    },
    'plain TS (same loop)': {
      units: m * steps,
      fn: () => {
        nd.ltnReference.ltnBatchRunReference({ n, m, d: dF, w: wF, u: uF, gammas: gF, x: xF, dt, steps, method: 'rk4' });
        sink += xF[0];
      },
    },
  },
  'plain TS (same loop)',
);
batch.dispose();

const M = W.map((r, i) => r.map((w, j) => (i === j ? d[i] : 0) - w));
const iters = 200;
const ldsRows = await runSuite(
  `LDS ascent, n = ${n}, ${iters} iterations per call (units: iterations)`,
  {
    'wasm (ltnLdsAscent)': { units: iters, fn: () => (sink += nd.ldsTest(M, { iterations: iters }).margin) },
    'plain TS (same algorithm)': { units: iters, fn: () => (sink += nd.ldsTest(M, { iterations: iters, backend: 'ts' }).margin) },
  },
  'plain TS (same algorithm)',
);

// numpy peer (vectorised over trajectories), same network and step
let peer = null;
const py = spawnSync('/usr/bin/python3', ['bench/peers/ltn_batch_rk4.py'], {
  input: JSON.stringify({ d, W, u, gamma: 1, dt, steps, x0 }),
  encoding: 'utf8',
});
if (py.status === 0) {
  peer = JSON.parse(py.stdout.trim().split('\n').pop());
  const wasm = rows['wasm (ltnBatchRun)'].perSecond;
  console.log(
    `  numpy peer (vectorised)              ${(peer.trajStepsPerSecond / 1e6).toFixed(2).padStart(9)} M/s  ×${(peer.trajStepsPerSecond / rows['plain TS (same loop)'].perSecond).toFixed(2)} vs plain TS; wasm/numpy ×${(wasm / peer.trajStepsPerSecond).toFixed(2)}`,
  );
} else console.log(`  numpy peer failed: ${py.stderr.slice(0, 200)}`);

console.log(
  JSON.stringify({
    trajStepsPerSecond: Object.fromEntries(Object.entries(rows).map(([k, v]) => [k, Math.round(v.perSecond)])),
    numpyPeer: peer ? Math.round(peer.trajStepsPerSecond) : null,
    ldsIterationsPerSecond: Object.fromEntries(Object.entries(ldsRows).map(([k, v]) => [k, Math.round(v.perSecond)])),
    sink: sink !== 0,
  }),
);
