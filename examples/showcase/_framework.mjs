// Showcase framework: section discovery, progress bar, running examples as child processes, the
// verification rows (checks) and the self-contained HTML report. Sections live next to this file
// (`<m>.mjs`, files starting with `_` are helpers) and export
// `section = { id, title, paper, order, requires, examples, run }`:
//   title: what the section verifies; paper: the publication it reproduces (full citation)
//   requires: names that must be exported by the built package (else the section is skipped)
//   examples: example files (repo-relative) that must exist (else skipped)
//   run({ quick, progress, outDir, nd, runExample }) →
//     { checks, summary, tables, figures, params, notes, commands }
// checks: one row per claim, made by near / bound / within / holds / covers below: quantity,
// reference (value and its source), measured value (with its CI and sample size where random),
// tolerance, pass. figures: { name, svg, caption } with a caption that says what the figure shows.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Loads every section module; a module that fails to import is reported, not fatal. */
export async function loadSections(dir = join(ROOT, 'examples/showcase')) {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.mjs') && !f.startsWith('_'))
    .sort();
  const out = [];
  for (const f of files) {
    try {
      const mod = await import(pathToFileURL(join(dir, f)).href);
      const s = mod.section ?? mod.default;
      if (!s || typeof s.run !== 'function') {
        out.push({ id: f.replace(/\.mjs$/, ''), title: f, order: 999, loadError: 'no `section` export with a run() function' });
      } else out.push({ order: 500, requires: [], examples: [], ...s, file: f });
    } catch (e) {
      out.push({ id: f.replace(/\.mjs$/, ''), title: f, order: 999, loadError: e?.message ?? String(e) });
    }
  }
  return out.sort((a, b) => a.order - b.order || a.id.localeCompare(b.id));
}

/** Why a section cannot run in this build (missing exports or examples), or null. */
export function missingFor(section, nd) {
  const missing = (section.requires ?? []).filter((name) => !(name in nd));
  if (missing.length) return `model not in this build (missing export${missing.length > 1 ? 's' : ''}: ${missing.join(', ')})`;
  const ex = (section.examples ?? []).filter((f) => !existsSync(join(ROOT, f)));
  if (ex.length) return `example not present: ${ex.join(', ')}`;
  return null;
}

const fmtTime = (s) => {
  if (!Number.isFinite(s)) return '--:--';
  const m = Math.floor(s / 60);
  return `${m}:${String(Math.floor(s % 60)).padStart(2, '0')}`;
};

/**
 * Progress bar on stderr. On a TTY it redraws one line; otherwise it prints a line at each label
 * change or every 10 %. Section i of n owns the slice [i/n, (i+1)/n) of the bar.
 */
export class ProgressBar {
  constructor(stream = process.stderr, { width = 30, enabled = true } = {}) {
    this.stream = stream;
    this.width = width;
    this.enabled = enabled;
    this.tty = !!stream.isTTY;
    this.t0 = performance.now();
    this.n = 1;
    this.i = 0;
    this.title = '';
    this.lastPrinted = -1;
    this.lastLabel = '';
    this.frac = 0;
  }
  section(i, n, title) {
    this.i = i;
    this.n = n;
    this.title = title;
    this.update(0, 'starting');
  }
  /** Progress of the current section, `frac` in [0, 1]. */
  update(frac, label = '') {
    if (!this.enabled) return;
    frac = Math.min(1, Math.max(0, Number.isFinite(frac) ? frac : 0));
    this.frac = (this.i + frac) / this.n;
    const el = (performance.now() - this.t0) / 1000;
    const pct = Math.floor(this.frac * 100);
    const fill = Math.round(this.frac * this.width);
    const line = `[${'#'.repeat(fill)}${'.'.repeat(this.width - fill)}] ${String(pct).padStart(3)}% ${fmtTime(el)}  ${this.title}${label ? `: ${label}` : ''}`;
    if (this.tty) {
      const cols = this.stream.columns || 100;
      this.stream.write(`\r${line.slice(0, cols - 1).padEnd(Math.min(cols - 1, this.lastLen ?? 0))}`);
      this.lastLen = Math.min(cols - 1, line.length);
    } else if (label !== this.lastLabel || Math.floor(pct / 10) !== Math.floor(this.lastPrinted / 10)) {
      this.stream.write(`${line}\n`);
      this.lastPrinted = pct;
    }
    this.lastLabel = label;
  }
  /** Prints a message on its own line (keeping the bar). */
  log(msg) {
    if (!this.enabled) return;
    if (this.tty) this.stream.write(`\r${' '.repeat(this.lastLen ?? 0)}\r${msg}\n`);
    else this.stream.write(`${msg}\n`);
  }
  done() {
    if (this.enabled && this.tty) this.stream.write('\n');
  }
}

/**
 * Runs `node <file> ...args` from the repository root and parses the LAST stdout line as JSON
 * (the examples' convention). While it runs, `progress` is fed an estimate from `expectSeconds`
 * (capped at 95 %); lines on the child's stderr of the form `progress <frac> [label]` are used when
 * present. SVG files the example wrote (newer than its start) under `svgDir` are returned.
 */
export function runExample(file, args = [], { progress, expectSeconds = 10, svgDir, signal } = {}) {
  const started = Date.now();
  // The SVG files before the run, with their modification times: the example's figures are those
  // it created or rewrote (not those of an earlier example writing to the same folder).
  const before = svgDir ? svgTimes(join(ROOT, svgDir)) : new Map();
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [join(ROOT, file), ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let reported = -1;
    const timer = setInterval(() => {
      if (reported >= 0) return;
      const el = (Date.now() - started) / 1000;
      progress?.(Math.min(0.95, el / expectSeconds), `${file.split('/').pop()} ${args.join(' ')}`.trim());
    }, 250);
    const onAbort = () => child.kill('SIGINT');
    signal?.addEventListener('abort', onAbort);
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
      const m = /progress\s+([0-9.]+)\s*(.*)$/m.exec(String(d));
      if (m) {
        reported = Number(m[1]);
        progress?.(reported, m[2] || file);
      }
    });
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(timer);
      signal?.removeEventListener('abort', onAbort);
      const seconds = (Date.now() - started) / 1000;
      if (code !== 0) {
        reject(new Error(`${file} ${args.join(' ')} exited with ${code}: ${stderr.trim().split('\n').slice(-5).join(' | ')}`));
        return;
      }
      const lines = stdout.trim().split('\n');
      let json;
      try {
        json = JSON.parse(lines[lines.length - 1]);
      } catch {
        reject(new Error(`${file}: last stdout line is not JSON: ${lines[lines.length - 1]?.slice(0, 200)}`));
        return;
      }
      const svgs = svgDir ? collectSvgs(join(ROOT, svgDir), before) : [];
      resolvePromise({ json, stdout, stderr, seconds, svgs, command: `node ${file} ${args.join(' ')}`.trim() });
    });
  });
}

function svgTimes(dir) {
  if (!existsSync(dir)) return new Map();
  return new Map(
    readdirSync(dir)
      .filter((f) => f.endsWith('.svg'))
      .map((f) => [f, statSync(join(dir, f)).mtimeMs]),
  );
}

/** SVG files in `dir` that are new or changed since `before` (a map file → mtime), as `{ name, svg }`. */
export function collectSvgs(dir, before = new Map()) {
  return [...svgTimes(dir)]
    .filter(([f, t]) => before.get(f) !== t)
    .map(([f]) => f)
    .sort()
    .map((f) => ({ name: f.replace(/\.svg$/, ''), svg: readFileSync(join(dir, f), 'utf8') }));
}

const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Formats a number for tables: 4 significant digits, exponent for tiny/huge values. */
export function fmtNum(v) {
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (typeof v !== 'number') return v === null || v === undefined ? '—' : String(v);
  if (!Number.isFinite(v)) return String(v);
  if (Number.isInteger(v) && Math.abs(v) < 1e9) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e6)) return v.toExponential(3);
  // Large values keep one decimal (log-likelihoods in nats differ in their last digits).
  if (a >= 1000) return v.toFixed(1);
  return String(Number(v.toPrecision(4)));
}

/** Flattens a (possibly nested) summary into [key, value] rows with dotted keys. */
export function flatten(obj, prefix = '') {
  const rows = [];
  for (const [k, v] of Object.entries(obj ?? {})) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v && typeof v === 'object' && !Array.isArray(v)) rows.push(...flatten(v, key));
    else rows.push([key, Array.isArray(v) ? v.map(fmtNum).join(', ') : fmtNum(v)]);
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------
// Checks: one verification row per claim.

const num = (v, unit = '') => `${fmtNum(v)}${unit ? ` ${unit}` : ''}`;
const ciText = (ci, level = 0.95, unit = '') =>
  ci?.every(Number.isFinite) ? ` [${fmtNum(ci[0])}, ${fmtNum(ci[1])}]${unit ? ` ${unit}` : ''} (${Math.round(level * 100)}% CI)` : '';

function row({ quantity, reference, source, measured, tolerance, pass, ...extra }) {
  for (const [k, v] of Object.entries({ quantity, reference, source, measured, tolerance }))
    if (typeof v !== 'string' || v === '') throw new Error(`check ${JSON.stringify(quantity)}: ${k} must be a non-empty string`);
  return {
    quantity,
    reference: `${reference} — ${source}`,
    measured,
    tolerance,
    pass: pass === true,
    referenceValue: reference,
    source,
    ...extra,
  };
}

function measuredText(measured, { unit = '', ci, level, n } = {}) {
  return `${typeof measured === 'number' ? num(measured, unit) : String(measured)}${ciText(ci, level, unit)}${n ? `, n = ${n}` : ''}`;
}

/**
 * |measured − expected| ≤ tol. `n`: the sample size behind a random measurement (e.g.
 * "400 test sequences"); `ci`: its confidence interval (shown, not used for the verdict).
 */
export function near({ quantity, measured, expected, tol, source, unit = '', ci, level = 0.95, n, reference }) {
  const pass = Number.isFinite(measured) && Math.abs(measured - expected) <= tol;
  return row({
    quantity,
    reference: reference ?? num(expected, unit),
    source,
    measured: measuredText(measured, { unit, ci, level, n }),
    tolerance: `± ${num(tol, unit)}`,
    pass,
    value: measured,
    expected,
    ...(ci ? { ci, level } : {}),
    ...(n ? { n } : {}),
  });
}

const OPS = { '<=': (a, b) => a <= b, '<': (a, b) => a < b, '>=': (a, b) => a >= b, '>': (a, b) => a > b };
const OP_TEXT = { '<=': '≤', '<': '<', '>=': '≥', '>': '>' };

/**
 * measured op limit (op one of <=, <, >=, >): a bound from theory or a documented guarantee. With
 * `strict: 'ci'` a random measurement must hold with its whole confidence interval (the lower
 * end for > and >=, the upper end for < and <=).
 */
export function bound({ quantity, measured, op, limit, source, unit = '', ci, level = 0.95, n, reference, tolerance, strict }) {
  const x = strict === 'ci' ? (op.startsWith('>') ? ci[0] : ci[1]) : measured;
  const pass = Number.isFinite(measured) && Number.isFinite(x) && OPS[op](x, limit);
  return row({
    quantity,
    reference: reference ?? `${OP_TEXT[op]} ${num(limit, unit)}`,
    source,
    measured: measuredText(measured, { unit, ci, level, n }),
    tolerance:
      tolerance ??
      (strict === 'ci'
        ? `the ${op.startsWith('>') ? 'lower' : 'upper'} end of the ${Math.round(level * 100)}% CI ${OP_TEXT[op]} ${num(limit, unit)}`
        : 'none (the reference is a bound)'),
    pass,
    value: measured,
    limit,
    op,
    ...(ci ? { ci, level } : {}),
    ...(n ? { n } : {}),
  });
}

/** lo ≤ measured ≤ hi around a reference value (`reference` says which). */
export function within({ quantity, measured, lo, hi, source, unit = '', ci, level = 0.95, n, reference }) {
  const pass = Number.isFinite(measured) && measured >= lo && measured <= hi;
  return row({
    quantity,
    reference: reference ?? `in [${fmtNum(lo)}, ${fmtNum(hi)}]${unit ? ` ${unit}` : ''}`,
    source,
    measured: measuredText(measured, { unit, ci, level, n }),
    tolerance: `[${fmtNum(lo)}, ${fmtNum(hi)}]${unit ? ` ${unit}` : ''}`,
    pass,
    value: measured,
    lo,
    hi,
    ...(ci ? { ci, level } : {}),
    ...(n ? { n } : {}),
  });
}

/** A yes/no claim (bit-identity, a verdict): passes when `ok` is true. */
export function holds({ quantity, ok, reference, source, measured, tolerance = 'exact', n }) {
  return row({
    quantity,
    reference,
    source,
    measured: measured ?? (ok ? 'yes' : 'no'),
    tolerance,
    pass: ok === true,
    value: ok === true,
    ...(n ? { n } : {}),
  });
}

/** A random estimate against an exact value: passes when the value lies in the estimate's CI. */
export function covers({ quantity, estimate, expected, source, unit = '', n, reference }) {
  const [lo, hi] = estimate.ci;
  const pass = expected >= lo && expected <= hi;
  return row({
    quantity,
    reference: reference ?? num(expected, unit),
    source,
    measured: measuredText(estimate.value, { unit, ci: estimate.ci, level: estimate.level ?? 0.95, n: n ?? estimate.n }),
    tolerance: `the ${Math.round((estimate.level ?? 0.95) * 100)}% CI contains the reference`,
    pass,
    value: estimate.value,
    expected,
    ci: estimate.ci,
    level: estimate.level ?? 0.95,
    ...((n ?? estimate.n) ? { n: n ?? estimate.n } : {}),
  });
}

/** Wilson score interval of a proportion k/n (level 0.95: z = 1.959964). */
export function wilson(k, n, z = 1.959964) {
  const p = k / n;
  const d = 1 + (z * z) / n;
  const c = (p + (z * z) / (2 * n)) / d;
  const h = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / d;
  return { value: p, ci: [Math.max(0, c - h), Math.min(1, c + h)], level: 0.95, n };
}

/**
 * Convergence order from errors e(h) (least squares of ln e on ln h, with its t-based 95% CI via
 * the library's fitOrder), using only the points above the rounding floor: an error within
 * `floorFactor` × `floor` of round-off carries no order information and would flatten the fit.
 * Returns { value, ci, used, excluded }.
 */
export function orderAboveFloor(nd, h, err, { floor, floorFactor = 10 } = {}) {
  const keep = h.map((_, i) => i).filter((i) => Number.isFinite(err[i]) && err[i] > floorFactor * floor);
  const excluded = h.filter((_, i) => !keep.includes(i));
  if (keep.length < 2) return { value: Number.NaN, ci: [Number.NaN, Number.NaN], used: keep.length, excluded };
  const f = nd.fitOrder(
    keep.map((i) => h[i]),
    keep.map((i) => err[i]),
  );
  return { value: f.order.value, ci: f.order.ci, level: 0.95, used: keep.length, excluded };
}

// ---------------------------------------------------------------------------------------------
// The report

function htmlTable(t) {
  const head = t.columns.map((c) => `<th>${esc(c)}</th>`).join('');
  const body = t.rows.map((r) => `<tr>${r.map((c) => `<td>${esc(fmtNum(c))}</td>`).join('')}</tr>`).join('\n');
  return `<table><caption>${esc(t.title ?? '')}</caption><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

function checksTable(checks) {
  const rows = checks
    .map(
      (c) =>
        `<tr class="${c.pass ? 'pass' : 'fail'}"><td>${esc(c.quantity)}</td><td>${esc(c.referenceValue ?? c.reference)}</td><td class="src">${esc(
          c.source ?? '',
        )}</td><td>${esc(c.measured)}</td><td>${esc(c.tolerance)}</td><td class="v">${c.pass ? '✔ pass' : '✘ FAIL'}</td></tr>`,
    )
    .join('\n');
  return `<table class="checks"><thead><tr><th>quantity</th><th>reference</th><th>source of the reference</th><th>measured</th><th>tolerance</th><th>verdict</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** Keeps an SVG string inline-safe: drops any XML prolog / doctype and scripts. */
function inlineSvg(svg) {
  return String(svg)
    .replace(/<\?xml[^>]*\?>/g, '')
    .replace(/<!DOCTYPE[^>]*>/gi, '')
    .replace(/<script[\s\S]*?<\/script>/gi, '');
}

/** Verdict of a section: 'pass', 'fail', 'no checks', 'skipped' or 'error'. */
export function sectionVerdict(r) {
  if (r.status === 'skipped') return 'skipped';
  if (r.status !== 'ok') return 'error';
  if (!r.checks?.length) return 'no checks';
  return r.checks.every((c) => c.pass) ? 'pass' : 'fail';
}

/** Totals over the sections: { sections, checks, passed, failed, skipped, errors, noChecks, pass }. */
export function verdictTotals(results) {
  const checks = results.flatMap((r) => (r.status === 'ok' ? (r.checks ?? []) : []));
  const v = results.map(sectionVerdict);
  const t = {
    sections: results.length,
    checks: checks.length,
    passed: checks.filter((c) => c.pass).length,
    failed: checks.filter((c) => !c.pass).length,
    skipped: v.filter((x) => x === 'skipped').length,
    errors: v.filter((x) => x === 'error').length,
    noChecks: v.filter((x) => x === 'no checks').length,
  };
  t.pass = t.failed === 0 && t.errors === 0 && t.noChecks === 0 && t.checks > 0;
  return t;
}

/** The self-contained HTML report (no external resources: styles and figures inline). */
export function renderReport({ results, meta }) {
  const totals = verdictTotals(results);
  let figNo = 0;
  const verdictCell = (r) => {
    const v = sectionVerdict(r);
    if (v === 'skipped') return `skipped: ${r.reason}`;
    if (v === 'error') return `ERROR: ${r.error}`;
    if (v === 'no checks') return 'ran, but has no checks';
    return v === 'pass' ? '✔ all pass' : `✘ ${r.checks.filter((c) => !c.pass).length} FAIL`;
  };
  const overview = results
    .map((r, i) => {
      const c = r.checks ?? [];
      return `<tr class="${sectionVerdict(r).replace(' ', '-')}"><td>${i + 1}</td><td><a href="#${esc(r.id)}">${esc(r.title)}</a>${
        r.paper ? `<div class="paper">${esc(r.paper)}</div>` : ''
      }</td><td>${r.status === 'ok' ? c.length : '—'}</td><td>${r.status === 'ok' ? c.filter((x) => x.pass).length : '—'}</td><td>${
        r.status === 'ok' ? c.filter((x) => !x.pass).length : '—'
      }</td><td class="v">${esc(verdictCell(r))}</td><td>${r.seconds !== undefined ? r.seconds.toFixed(1) : ''}</td></tr>`;
    })
    .join('\n');
  const failures = results.flatMap((r) =>
    r.status === 'ok' ? (r.checks ?? []).filter((c) => !c.pass).map((c) => ({ ...c, section: r })) : [],
  );
  const failedList = failures.length
    ? `<h3>Failed checks</h3><ul class="failed">${failures
        .map(
          (c) =>
            `<li><a href="#${esc(c.section.id)}">${esc(c.section.title)}</a>: ${esc(c.quantity)} — measured ${esc(c.measured)}, reference ${esc(c.reference)}, tolerance ${esc(c.tolerance)}</li>`,
        )
        .join('')}</ul>`
    : '';
  const sections = results
    .map((r, i) => {
      const parts = [`<section id="${esc(r.id)}"><h2>${i + 1}. ${esc(r.title)}</h2>`];
      if (r.paper) parts.push(`<p class="paper">Reproduces: ${esc(r.paper)}</p>`);
      if (r.description) parts.push(`<p>${esc(r.description)}</p>`);
      if (r.status !== 'ok') {
        parts.push(`<p class="${sectionVerdict(r)}">${esc(verdictCell(r))}</p></section>`);
        return parts.join('\n');
      }
      parts.push(`<h3>Checks</h3>${r.checks?.length ? checksTable(r.checks) : '<p class="fail">This section has no checks.</p>'}`);
      if (r.notes?.length) parts.push(`<ul class="notes">${r.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>`);
      for (const t of r.tables ?? []) parts.push(htmlTable(t));
      for (const f of r.figures ?? []) {
        figNo++;
        parts.push(
          `<figure id="${esc(`${r.id}-${f.name}`)}">${inlineSvg(f.svg)}<figcaption><b>Figure ${figNo}.</b> ${esc(
            f.caption ?? `(no caption: ${f.name})`,
          )}</figcaption></figure>`,
        );
      }
      parts.push(
        `<p class="meta">Computed in ${r.seconds.toFixed(1)} s${r.commands?.length ? `; reproduce with <code>${r.commands.map(esc).join('</code>, <code>')}</code>` : ''}.</p>`,
      );
      parts.push(`<details><summary>Parameters</summary><pre>${esc(JSON.stringify(r.params ?? {}, null, 2))}</pre></details>`);
      parts.push('</section>');
      return parts.join('\n');
    })
    .join('\n');
  const problems = [
    totals.failed ? `${totals.failed} fail` : '',
    totals.errors ? `${totals.errors} section${totals.errors > 1 ? 's' : ''} did not run` : '',
    totals.noChecks ? `${totals.noChecks} section${totals.noChecks > 1 ? 's have' : ' has'} no checks` : '',
  ].filter(Boolean);
  const head = `${totals.pass ? '✔' : '✘'} ${totals.passed} of ${totals.checks} checks pass${problems.length ? `; ${problems.join('; ')}` : ''}${
    totals.skipped ? ` (${totals.skipped} section${totals.skipped > 1 ? 's' : ''} skipped)` : ''
  }`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>neurodyn verification report</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font-family:system-ui,sans-serif;max-width:1150px;margin:2em auto;padding:0 1em;color:#222;line-height:1.4}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left;vertical-align:top;font-variant-numeric:tabular-nums}
th{background:#f4f4f4}caption{font-weight:bold;text-align:left;padding:4px 0}
.verdict{font-size:130%;font-weight:bold;padding:.5em .8em;border-radius:4px;display:inline-block}
.verdict.pass{background:#e3f5e6;color:#14602a}.verdict.fail{background:#fbe5e5;color:#a00}
tr.pass td.v{color:#14602a}tr.fail td,tr.fail td.v,tr.error td,p.error,p.fail,ul.failed{color:#a00}tr.skipped td,p.skipped{color:#888}tr.no-checks td{color:#a60}
td.src{font-size:90%;color:#444;max-width:22em}table.checks td:first-child{max-width:20em}
div.paper,p.paper{font-size:90%;color:#555;font-style:italic}
figure{margin:1em 0;max-width:100%}figure svg{max-width:100%;height:auto}figcaption{font-size:92%;color:#333;max-width:760px}
section{border-top:2px solid #ddd;margin-top:2em}p.meta{color:#666;font-size:90%}code{background:#f4f4f4;padding:1px 3px}
</style></head><body>
<h1>neurodyn verification report</h1>
<p class="meta">${esc(meta.mode)} run, ${esc(meta.date)}, Node ${esc(meta.node)}, ${meta.cores} cores, ${meta.seconds.toFixed(1)} s in total.
Every number below is computed by this run; each claim is a check against a reference (an analytic result, a peer simulator or a
published figure) with a stated tolerance. The same rows are in <code>showcase.json</code> next to this file.</p>
<p class="verdict ${totals.pass ? 'pass' : 'fail'}">${esc(head)}</p>
<table class="overview"><thead><tr><th>#</th><th>section (paper reproduced)</th><th>checks</th><th>pass</th><th>fail</th><th>verdict</th><th>seconds</th></tr></thead><tbody>${overview}</tbody></table>
${failedList}
${sections}
</body></html>
`;
}

/** Least-squares slope of log(y) against log(x) over the finite positive pairs (NaN if < 2). */
export function logLogSlope(xs, ys) {
  const p = [];
  for (let i = 0; i < xs.length; i++) if (xs[i] > 0 && ys[i] > 0 && Number.isFinite(ys[i])) p.push([Math.log(xs[i]), Math.log(ys[i])]);
  if (p.length < 2) return Number.NaN;
  const mx = p.reduce((s, q) => s + q[0], 0) / p.length;
  const my = p.reduce((s, q) => s + q[1], 0) / p.length;
  let sxy = 0;
  let sxx = 0;
  for (const [x, y] of p) {
    sxy += (x - mx) * (y - my);
    sxx += (x - mx) ** 2;
  }
  return sxy / sxx;
}

/** Table rows from a flat JSON object ({ key: number|string|bool }). */
export function kvRows(o) {
  return Object.entries(o).map(([k, v]) => [k, typeof v === 'object' ? JSON.stringify(v) : v]);
}
