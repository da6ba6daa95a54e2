// RNG throughput: normals/s of the WASM kernel vs the plain TS implementation of the same
// generator (Philox4x32-10 + 256-layer ziggurat, identical output), measured in one run.
import * as nd from '../dist/index.js';
import { runSuite } from './util.mjs';

await nd.init();
const N = 100_000;
const key = nd.seedToKey(1);
const gen = new nd.NormalGenerator(key, { capacity: N });
let sink = 0;
const rows = await runSuite(
  `standard normals, ${N} per call`,
  {
    'wasm (kernel fillNormals)': {
      units: N,
      fn: () => {
        sink += gen.next(N)[7];
      },
    },
    'plain TS (same generator)': {
      units: N,
      fn: () => {
        let s = 0;
        for (let i = 0; i < N; i++) s += nd.rngReference.normalAt(key.k0, key.k1, 0, i, 0);
        sink += s;
      },
    },
  },
  'plain TS (same generator)',
);
gen.dispose();
console.log(
  JSON.stringify({
    normalsPerSecond: Object.fromEntries(Object.entries(rows).map(([k, v]) => [k, Math.round(v.perSecond)])),
    sink: sink !== 0,
  }),
);
