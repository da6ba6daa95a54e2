// `npm start`: the showcase. (Grows with the model issues into the full report.)
// For now: reproducible random numbers across workers, the foundation every model stands on.
import { writeFileSync, mkdirSync } from 'node:fs';
import * as nd from 'neurodyn';

await nd.init();
const t0 = performance.now();
const r = await nd.runTrials('core.normals', { seed: 'showcase', range: [0, 8], params: { n: 250_000 }, workers: 2 });
const rows = r.rows.map((x) => (x.ok ? x.value : null));
const inline = await nd.runTrials('core.normals', { seed: 'showcase', range: [0, 8], params: { n: 250_000 }, workers: 0 });
const same = JSON.stringify(inline.rows) === JSON.stringify(r.rows);
mkdirSync('out', { recursive: true });
writeFileSync('out/showcase.json', JSON.stringify({ rows, identicalAcrossWorkerCounts: same }, null, 1));
console.log(JSON.stringify({ trials: rows.length, identicalAcrossWorkerCounts: same, seconds: (performance.now() - t0) / 1000 }));
