// The showcase (npm start) as a verification report: on a fresh clone `npm start -- --quick --out
// DIR` writes DIR/showcase.json whose every section has a non-empty list of checks with the five
// keys, and every check passes; the HTML report is self-contained (opened offline in Chromium, no
// request leaves file://), leads with the verdict summary, names the paper of every section, and
// gives every figure a caption that says what it shows, once. Sections run, skipped (model
// absent), failed, with a failing check or with no checks are all reported (exit 1 then); the
// numbers are those of the JSON data, the printed line and the examples. Screenshots of the report
// go to build/screenshots/ (test artifacts, not committed).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { expect, test } from 'vitest';
import * as nd from '../../dist/index.js';

const SHOWCASE = new URL('../../examples/node/showcase.mjs', import.meta.url).pathname;
const ROOT = new URL('../..', import.meta.url).pathname;
const run = (args: string[]) => spawnSync(process.execPath, [SHOWCASE, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });

test('ok, skipped, failed, failing-check and no-check sections are all reported; the report is written; exit 1', () => {
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
  // Verdicts: the failing claim is a failed check (measured 4, reference 5 ± 0.5); no checks is not a pass.
  expect(by.ok.verdict).toBe('pass');
  expect(by.wrong.verdict).toBe('fail');
  expect(by.wrong.checks.map((c: { pass: boolean }) => c.pass)).toEqual([false, true]);
  expect(by.wrong.checks[0]).toMatchObject({
    quantity: 'two plus two against five',
    reference: '5 — a wrong claim',
    measured: '4',
    tolerance: '± 0.5',
  });
  expect(by.unchecked.verdict).toBe('no checks');
  expect(data.verdict).toMatchObject({ checks: 3, passed: 2, failed: 1, skipped: 1, errors: 1, noChecks: 1, pass: false });
  const html = readFileSync(join(out, 'report.html'), 'utf8');
  expect(html).toMatch(/skipped: model not in this build/);
  expect(html).toMatch(/ERROR: deliberate failure/);
  expect(html).toMatch(/✘ 2 of 3 checks pass; 1 fail; 1 section did not run; 1 section has no checks/);
  expect(html).toMatch(/<h3>Failed checks<\/h3><ul class="failed"><li><a href="#wrong">/);
  expect(html).toMatch(/This section has no checks/);
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

// ---------------------------------------------------------------------------------------------
// The whole report, as a new user gets it.

const KEYS = ['quantity', 'reference', 'measured', 'tolerance', 'pass'];
const SHOTS = new URL('../../build/screenshots/', import.meta.url).pathname;

test('npm start -- --quick --out DIR: every section has checks with the five keys, and every check passes', async () => {
  const out = mkdtempSync(join(tmpdir(), 'showcase-quick-'));
  const r = spawnSync('npm', ['start', '--silent', '--', '--quick', '--out', out, '--no-progress'], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 600_000,
  });
  const data = JSON.parse(readFileSync(join(out, 'showcase.json'), 'utf8'));
  const failed = data.sections.flatMap((s: { id: string; checks?: { pass: boolean; quantity: string; measured: string }[] }) =>
    (s.checks ?? []).filter((c) => !c.pass).map((c) => `${s.id}: ${c.quantity}: ${c.measured}`),
  );
  expect(failed, r.stdout.slice(-3000)).toEqual([]);
  expect(r.status, r.stderr.slice(-2000)).toBe(0);
  expect(data.sections.length).toBeGreaterThanOrEqual(7);
  for (const s of data.sections) {
    expect(s.status, `${s.id}: ${s.reason ?? s.error}`).toBe('ok');
    expect(s.checks.length, s.id).toBeGreaterThan(0);
    for (const c of s.checks) {
      for (const k of KEYS) expect(c, `${s.id}: ${c.quantity}`).toHaveProperty(k);
      for (const k of ['quantity', 'reference', 'measured', 'tolerance']) expect(typeof c[k] === 'string' && c[k].length > 0).toBe(true);
      expect(c.pass).toBe(true);
      // The reference names its source.
      expect(c.reference, `${s.id}: ${c.quantity}`).toMatch(/ — \S/);
    }
    // A paper, not a seed number, in the title; every figure captioned (a sentence, not its file
    // name) and shown once.
    expect(s.title).not.toMatch(/seed \d/);
    expect(typeof s.paper === 'string' && s.paper.length > 10, s.id).toBe(true);
    const names = s.figures.map((f: { name: string }) => f.name);
    expect(new Set(names).size, s.id).toBe(names.length);
    for (const f of s.figures) {
      expect(typeof f.caption === 'string' && f.caption.length > 30, `${s.id}/${f.name}`).toBe(true);
      expect(f.caption).not.toBe(f.name);
      expect(f.caption).toMatch(/[a-z] [a-z]/);
    }
  }
  expect(data.verdict.pass).toBe(true);
  expect(data.verdict.failed).toBe(0);
  expect(data.verdict.checks).toBe(data.sections.reduce((a: number, s: { checks: unknown[] }) => a + s.checks.length, 0));

  // The HTML: the verdict first, every check row, every figure once, nothing fetched from outside.
  const html = readFileSync(join(out, 'report.html'), 'utf8');
  expect(html).not.toMatch(/<script|<link|<img|<iframe|src="http|url\(http|@import/i);
  expect(html.indexOf(`✔ ${data.verdict.checks} of ${data.verdict.checks} checks pass`)).toBeGreaterThan(0);
  expect(html.indexOf('class="verdict pass"')).toBeLessThan(html.indexOf('<section'));
  expect((html.match(/<figure /g) ?? []).length).toBe(
    data.sections.reduce((a: number, s: { figures: unknown[] }) => a + s.figures.length, 0),
  );
  const svgs = [...html.matchAll(/<svg[\s\S]*?<\/svg>/g)].map((m) => m[0]);
  expect(new Set(svgs).size).toBe(svgs.length);
  const rows = (html.match(/<td class="v">(✔ pass|✘ FAIL)<\/td>/g) ?? []).length;
  expect(rows).toBe(data.verdict.checks);

  // Offline in Chromium: every request stays on file:, and screenshots for the record.
  mkdirSync(SHOTS, { recursive: true });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu'],
  });
  try {
    const context = await browser.newContext({ offline: true, viewport: { width: 1200, height: 1500 } });
    const page = await context.newPage();
    const requests: string[] = [];
    page.on('request', (q) => requests.push(q.url()));
    await page.goto(`file://${join(out, 'report.html')}`);
    await page.waitForLoadState('load');
    expect(requests.filter((u) => !u.startsWith('file:') && !u.startsWith('data:'))).toEqual([]);
    expect(await page.textContent('.verdict')).toMatch(/checks pass/);
    expect(await page.locator('figure svg').count()).toBe(svgs.length);
    await page.screenshot({ path: `${SHOTS}report.png` });
    await page.screenshot({ path: `${SHOTS}report-full.png`, fullPage: true });
    await context.close();
  } finally {
    await browser.close();
  }
});
