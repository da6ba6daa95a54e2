// `npm start`: the neurodyn showcase, a verification report. For each seed paper a short, real
// computation reproducing its headline results, every claim checked against a reference (an
// analytic result, a peer simulator or the paper) with a stated tolerance. Writes to --out DIR
// (default out/): report.html (self-contained: figures and styles inline), showcase.json (the
// same check rows, the summaries, tables and parameters) and figures/*.svg; prints a progress bar
// on stderr and a summary whose last line is JSON.
//
//   node examples/node/showcase.mjs [--quick] [--out DIR] [--only id,id] [--list] [--no-progress] [--sections DIR]
//
// Sections are the files examples/showcase/<id>.mjs. A section whose model is not in this build
// (missing export or example) is reported as skipped; a section that throws is an error. Exit code
// 0 when every check of every section that ran passes, else 1 (the report is written either way).
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import * as nd from 'neurodyn';
import { loadSections, missingFor, ProgressBar, renderReport, runExample, sectionVerdict, verdictTotals } from '../showcase/_framework.mjs';

const USAGE = `usage: npm start -- [options]   (or node examples/node/showcase.mjs [options])

options:
  --quick          reduced computations (about a minute); the full run reproduces the examples' settings
  --out DIR        output directory (default: out)
  --only ID,ID     run only these sections (see --list)
  --list           list the sections and exit
  --no-progress    no progress bar on stderr
  --sections DIR   another folder of section files (tests use it)
  -h, --help       this help

exit code: 0 when every check passes, 1 when a check fails or a section could not run, 2 on a usage error`;

let args;
try {
  args = parseArgs({
    options: {
      quick: { type: 'boolean' },
      out: { type: 'string' },
      only: { type: 'string' },
      list: { type: 'boolean' },
      'no-progress': { type: 'boolean' },
      sections: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  }).values;
} catch (e) {
  process.stderr.write(`showcase: ${e.message}\n${USAGE}\n`);
  process.exit(2);
}
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}
const quick = !!args.quick;
const outDir = resolve(args.out ?? 'out');
const only = (args.only ?? '')
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);

await nd.init();
const sections = await loadSections(args.sections ? resolve(args.sections) : undefined);
if (args.list) {
  for (const s of sections) console.log(`${s.id.padEnd(10)} ${s.title}${s.loadError ? ` (load error: ${s.loadError})` : ''}`);
  process.exit(0);
}
const unknown = only.filter((id) => !sections.some((s) => s.id === id));
if (unknown.length) {
  process.stderr.write(`showcase: --only: unknown section ${unknown.join(', ')} (sections: ${sections.map((s) => s.id).join(', ')})\n`);
  process.exit(2);
}
const chosen = only.length ? sections.filter((s) => only.includes(s.id)) : sections;
mkdirSync(join(outDir, 'figures'), { recursive: true });

const bar = new ProgressBar(process.stderr, { enabled: !args['no-progress'] });
const t0 = performance.now();
const results = [];
let interrupted = false;
process.once('SIGINT', () => {
  interrupted = true;
  bar.log('interrupted: finishing the report with the sections done so far (Ctrl-C again to exit at once)');
});

for (let i = 0; i < chosen.length; i++) {
  const s = chosen[i];
  bar.section(i, chosen.length, s.id);
  const base = { id: s.id, title: s.title, paper: s.paper, description: s.description };
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
      runExample: (file, a, o = {}) => runExample(file, a, { progress: (f, l) => bar.update(f, l), ...o }),
    });
    const seconds = (performance.now() - ts) / 1000;
    // Figures by name once (an example may be collected by two runs).
    const seen = new Set();
    const figures = (r.figures ?? []).filter((f) => !seen.has(f.name) && seen.add(f.name));
    results.push({ ...base, status: 'ok', seconds, ...r, checks: r.checks ?? [], figures });
    const failedChecks = (r.checks ?? []).filter((c) => !c.pass).length;
    bar.log(`${s.id}: done in ${seconds.toFixed(1)} s, ${(r.checks ?? []).length} checks, ${failedChecks} failed`);
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
const totals = verdictTotals(results);
writeFileSync(join(outDir, 'report.html'), renderReport({ results, meta }));
const data = {
  meta,
  verdict: totals,
  sections: results.map(({ figures, ...r }) => ({ ...r, verdict: sectionVerdict(r), figures: (figures ?? []).map(({ svg, ...f }) => f) })),
};
writeFileSync(join(outDir, 'showcase.json'), `${JSON.stringify(data, null, 1)}\n`);

// Printed summary: the verdict, one block per section with its checks, then the JSON last line.
console.log(
  `\nneurodyn verification report (${meta.mode}, ${seconds.toFixed(1)} s): ${totals.passed} of ${totals.checks} checks pass — ${join(outDir, 'report.html')}`,
);
for (const r of results) {
  const v = sectionVerdict(r);
  console.log(
    `  ${v.toUpperCase().padEnd(9)} ${r.title}${r.status === 'ok' ? ` (${r.seconds.toFixed(1)} s)` : ` — ${r.reason ?? r.error}`}`,
  );
  for (const c of r.checks ?? [])
    console.log(
      `      ${c.pass ? 'pass' : 'FAIL'}  ${c.quantity}: ${c.measured} (reference ${c.referenceValue ?? c.reference}, tolerance ${c.tolerance})`,
    );
}
console.log(
  JSON.stringify({
    report: join(outDir, 'report.html'),
    seconds: Number(seconds.toFixed(2)),
    quick,
    verdict: totals,
    sections: Object.fromEntries(results.map((r) => [r.id, r.status === 'ok' ? r.summary : { status: r.status }])),
  }),
);
process.exit(totals.pass && !interrupted ? 0 : 1);
