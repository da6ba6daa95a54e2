// The showcase (npm start): sections run, skipped (model absent) or failed are all reported, the
// HTML report is self-contained, and its numbers are those of the JSON data and the printed line.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import * as nd from '../../dist/index.js';

const SHOWCASE = new URL('../../examples/node/showcase.mjs', import.meta.url).pathname;
const ROOT = new URL('../..', import.meta.url).pathname;
const run = (args: string[]) => spawnSync(process.execPath, [SHOWCASE, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });

test('ok, skipped and failed sections are all reported; the report is written; exit 1 because one failed', () => {
  const out = mkdtempSync(join(tmpdir(), 'showcase-'));
  const r = run(['--quick', '--out', out, '--sections', 'test/show/fixtures/sections']);
  expect(r.status).toBe(1);
  const data = JSON.parse(readFileSync(join(out, 'showcase.json'), 'utf8'));
  const by = Object.fromEntries(data.sections.map((s: { id: string }) => [s.id, s]));
  expect(by.ok.status).toBe('ok');
  expect(by.ok.summary).toEqual({ four: 4, nested: { half: 0.5 } });
  expect(by.missing.status).toBe('skipped');
  expect(by.missing.reason).toMatch(/missing export: ThisModelDoesNotExist/);
  expect(by.throws.status).toBe('failed');
  expect(by.throws.error).toBe('deliberate failure');
  const html = readFileSync(join(out, 'report.html'), 'utf8');
  expect(html).toMatch(/skipped: model not in this build/);
  expect(html).toMatch(/FAILED: deliberate failure/);
  expect(html).toContain('fixture-figure'); // the SVG is inline
  expect(html).not.toMatch(/<script|<link|src="http/); // self-contained, no external resources
  expect(existsSync(join(out, 'figures/ok-line.svg'))).toBe(true);
  const last = JSON.parse(r.stdout.trim().split('\n').pop()!);
  expect(last.sections.ok).toEqual({ four: 4, nested: { half: 0.5 } });
  expect(last.sections.missing).toEqual({ status: 'skipped' });
  expect(r.stderr).toMatch(/\[#+\.*\] +\d+%/); // the progress bar
});

test('the RNG section: report numbers equal the printed ones and an independent computation', async () => {
  const out = mkdtempSync(join(tmpdir(), 'showcase-'));
  const r = run(['--quick', '--only', 'rng', '--out', out]);
  expect(r.status, r.stderr).toBe(0);
  const data = JSON.parse(readFileSync(join(out, 'showcase.json'), 'utf8'));
  const s = data.sections[0];
  expect(s.status).toBe('ok');
  const last = JSON.parse(r.stdout.trim().split('\n').pop()!);
  expect(last.sections.rng).toEqual(s.summary);
  expect(s.summary.identicalAcrossWorkerCounts).toBe(true);
  expect(s.summary.shardsMergeExactly).toBe(true);
  // Recompute the first 200 000 normals of the same seed here: same mean and variance bit for bit.
  await nd.init();
  const g = new nd.NormalGenerator('showcase');
  const z = g.next(200_000);
  g.dispose();
  let m = 0;
  let q = 0;
  for (const x of z) {
    m += x;
    q += x * x;
  }
  m /= z.length;
  q /= z.length;
  expect(s.summary.mean).toBe(m);
  expect(s.summary.variance).toBe(q - m * m);
  // The trial fingerprints in the table are those of the core.normals task run inline here.
  const t = await nd.runTrials<{ fingerprint: string }>('core.normals', {
    seed: 'showcase',
    range: [0, 4],
    params: { n: 50_000 },
    workers: 0,
  });
  expect(s.tables[0].rows.map((row: string[]) => row[1])).toEqual(t.rows.map((x) => (x.ok ? x.value.fingerprint : null)));
  const html = readFileSync(join(out, 'report.html'), 'utf8');
  expect(html).toContain(t.rows[0].ok ? t.rows[0].value.fingerprint : 'x');
});

// The report's numbers are the examples' printed numbers (sections run the examples).
const EXAMPLES: [string, string, string[], (s: Record<string, unknown>) => unknown][] = [
  ['ltn', 'examples/node/ltn-timescales.mjs', ['--quick'], (s) => ({ ...s, gammaGapSlope: undefined })],
  ['lif', 'examples/node/cuba.mjs', ['--quick'], (s) => s.cuba],
];
test.each(EXAMPLES)('section %s reports exactly what %s prints', (id, file, args, pick) => {
  if (!existsSync(join(ROOT, file))) return; // the model is not in this build (the section is skipped)
  const out = mkdtempSync(join(tmpdir(), 'showcase-'));
  const r = run(['--quick', '--only', id, '--out', out]);
  expect(r.status, r.stderr).toBe(0);
  const section = JSON.parse(readFileSync(join(out, 'showcase.json'), 'utf8')).sections[0];
  const ex = spawnSync(process.execPath, [join(ROOT, file), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  const printed = JSON.parse(ex.stdout.trim().split('\n').pop()!);
  const mine = JSON.parse(JSON.stringify(pick(section.summary))) as Record<string, unknown>;
  // Wall-clock fields differ between runs; everything else must be identical.
  delete mine.wallSeconds;
  delete printed.wallSeconds;
  expect(mine).toEqual(printed);
});
