// `npm start`: the neurodyn showcase. For each seed paper a short, real computation reproducing its
// headline result, with a progress bar on stderr, a self-contained HTML report (figures inline,
// numbers in tables, the parameters used) and its data written to --out DIR (default out/), and a
// printed summary whose last line is JSON.
//
//   node examples/node/showcase.mjs [--quick] [--out DIR] [--only id,id] [--list] [--no-progress] [--sections DIR]
//
// Sections are the files examples/showcase/<id>.mjs. A section whose model is not in this build
// (missing export or example) is reported as skipped; a section that throws is reported as failed
// (the report is still written; the exit code is then 1).
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import * as nd from 'neurodyn';
import { loadSections, missingFor, ProgressBar, renderReport, runExample } from '../showcase/_framework.mjs';

const argv = process.argv.slice(2);
const flag = (name) => argv.includes(name);
const option = (name, dflt) => {
  const i = argv.indexOf(name);
  if (i >= 0 && i + 1 < argv.length) return argv[i + 1];
  const eq = argv.find((a) => a.startsWith(`${name}=`));
  return eq ? eq.slice(name.length + 1) : dflt;
};
if (flag('--help') || flag('-h')) {
  console.log('usage: npm start -- [--quick] [--out DIR] [--only id,id] [--list] [--no-progress]');
  process.exit(0);
}
const quick = flag('--quick');
const outDir = resolve(option('--out', 'out'));
const only = option('--only', '')
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);

await nd.init();
// --sections DIR: another folder of section files (tests use it).
const sectionsDir = option('--sections', '');
const sections = await loadSections(sectionsDir ? resolve(sectionsDir) : undefined);
if (flag('--list')) {
  for (const s of sections) console.log(`${s.id.padEnd(10)} ${s.title}${s.loadError ? ` (load error: ${s.loadError})` : ''}`);
  process.exit(0);
}
const chosen = only.length ? sections.filter((s) => only.includes(s.id)) : sections;
mkdirSync(join(outDir, 'figures'), { recursive: true });

const bar = new ProgressBar(process.stderr, { enabled: !flag('--no-progress') });
const t0 = performance.now();
const results = [];
let interrupted = false;
process.once('SIGINT', () => {
  interrupted = true;
  bar.log('interrupted: finishing the report with the sections done so far');
});

for (let i = 0; i < chosen.length; i++) {
  const s = chosen[i];
  bar.section(i, chosen.length, s.id);
  const base = { id: s.id, title: s.title, description: s.description };
  if (interrupted) {
    results.push({ ...base, status: 'skipped', reason: 'interrupted' });
    continue;
  }
  if (s.loadError) {
    results.push({ ...base, status: 'failed', error: `could not load: ${s.loadError}` });
    continue;
  }
  const why = missingFor(s, nd);
  if (why) {
    results.push({ ...base, status: 'skipped', reason: why });
    bar.log(`${s.id}: skipped (${why})`);
    continue;
  }
  const ts = performance.now();
  try {
    const r = await s.run({
      quick,
      outDir,
      nd,
      progress: (frac, label) => bar.update(frac, label),
      runExample: (file, args, o = {}) => runExample(file, args, { progress: (f, l) => bar.update(f, l), ...o }),
    });
    const seconds = (performance.now() - ts) / 1000;
    results.push({ ...base, status: 'ok', seconds, ...r });
    bar.log(`${s.id}: done in ${seconds.toFixed(1)} s`);
  } catch (e) {
    const seconds = (performance.now() - ts) / 1000;
    results.push({ ...base, status: 'failed', seconds, error: e?.message ?? String(e) });
    bar.log(`${s.id}: FAILED: ${e?.message ?? e}`);
  }
}
bar.update(1, 'writing report');
bar.done();

const seconds = (performance.now() - t0) / 1000;
const meta = {
  mode: quick ? 'quick' : 'full',
  date: new Date().toISOString(),
  node: process.versions.node,
  cores: availableParallelism(),
  seconds,
};
// Figures go inline in the HTML and as files; the JSON keeps everything but the SVG text.
for (const r of results) {
  for (const f of r.figures ?? []) {
    f.file = `figures/${r.id}-${f.name}.svg`;
    writeFileSync(join(outDir, f.file), f.svg);
  }
}
writeFileSync(join(outDir, 'report.html'), renderReport({ results, meta }));
const data = {
  meta,
  sections: results.map(({ figures, ...r }) => ({ ...r, figures: (figures ?? []).map(({ svg, ...f }) => f) })),
};
writeFileSync(join(outDir, 'showcase.json'), `${JSON.stringify(data, null, 1)}\n`);

// Printed summary: one block per section, then the machine-readable last line.
console.log(`\nneurodyn showcase (${meta.mode}, ${seconds.toFixed(1)} s) — report: ${join(outDir, 'report.html')}`);
for (const r of results) {
  const head = `${r.status === 'ok' ? 'ok     ' : r.status === 'skipped' ? 'skipped' : 'FAILED '} ${r.title}`;
  console.log(`  ${head}${r.status === 'ok' ? ` (${r.seconds.toFixed(1)} s)` : ` — ${r.reason ?? r.error}`}`);
  if (r.status === 'ok') {
    for (const [k, v] of Object.entries(r.headline ?? r.summary ?? {})) {
      console.log(`      ${k}: ${typeof v === 'object' ? JSON.stringify(v) : v}`);
    }
  }
}
const failed = results.filter((r) => r.status === 'failed').length;
console.log(
  JSON.stringify({
    report: join(outDir, 'report.html'),
    seconds: Number(seconds.toFixed(2)),
    quick,
    sections: Object.fromEntries(results.map((r) => [r.id, r.status === 'ok' ? r.summary : { status: r.status }])),
  }),
);
process.exit(failed > 0 || interrupted ? 1 : 0);
