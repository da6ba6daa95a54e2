// Showcase framework: section discovery, progress bar, running examples as child processes,
// and the self-contained HTML report. Sections live next to this file (`<m>.mjs`, files starting
// with `_` are helpers) and export `section = { id, title, order, requires, examples, run }`:
//   requires: names that must be exported by the built package (else the section is skipped)
//   examples: example files (repo-relative) that must exist (else skipped)
//   run({ quick, progress, outDir, nd, runExample }) → { summary, tables, figures, params, notes }
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
      const svgs = svgDir ? collectSvgs(join(ROOT, svgDir), started - 1000) : [];
      resolvePromise({ json, stdout, stderr, seconds, svgs, command: `node ${file} ${args.join(' ')}`.trim() });
    });
  });
}

/** SVG files in `dir` modified at or after `since` (ms epoch), as `{ name, svg }`. */
export function collectSvgs(dir, since = 0) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.svg') && statSync(join(dir, f)).mtimeMs >= since)
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

function htmlTable(t) {
  const head = t.columns.map((c) => `<th>${esc(c)}</th>`).join('');
  const body = t.rows.map((r) => `<tr>${r.map((c) => `<td>${esc(fmtNum(c))}</td>`).join('')}</tr>`).join('\n');
  return `<table><caption>${esc(t.title ?? '')}</caption><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

/** Keeps an SVG string inline-safe: drops any XML prolog / doctype and scripts. */
function inlineSvg(svg) {
  return String(svg)
    .replace(/<\?xml[^>]*\?>/g, '')
    .replace(/<!DOCTYPE[^>]*>/gi, '')
    .replace(/<script[\s\S]*?<\/script>/gi, '');
}

/** The self-contained HTML report (no external resources). */
export function renderReport({ results, meta }) {
  const statusCell = (r) => (r.status === 'ok' ? 'ok' : r.status === 'skipped' ? `skipped: ${r.reason}` : `FAILED: ${r.error}`);
  const overview = results
    .map(
      (r) =>
        `<tr class="${r.status}"><td><a href="#${esc(r.id)}">${esc(r.title)}</a></td><td>${esc(statusCell(r))}</td><td>${
          r.seconds !== undefined ? r.seconds.toFixed(1) : ''
        }</td></tr>`,
    )
    .join('\n');
  const sections = results
    .map((r) => {
      const parts = [`<section id="${esc(r.id)}"><h2>${esc(r.title)}</h2>`];
      if (r.description) parts.push(`<p>${esc(r.description)}</p>`);
      if (r.status !== 'ok') {
        parts.push(`<p class="${r.status}">${esc(statusCell(r))}</p></section>`);
        return parts.join('\n');
      }
      parts.push(
        `<p class="meta">${r.seconds.toFixed(1)} s${r.commands?.length ? ` — reproduce: <code>${r.commands.map(esc).join('</code>, <code>')}</code>` : ''}</p>`,
      );
      if (r.notes?.length) parts.push(`<ul>${r.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>`);
      parts.push(htmlTable({ title: 'Summary', columns: ['quantity', 'value'], rows: flatten(r.summary) }));
      for (const t of r.tables ?? []) parts.push(htmlTable(t));
      for (const f of r.figures ?? [])
        parts.push(`<figure>${inlineSvg(f.svg)}<figcaption>${esc(f.caption ?? f.name)}</figcaption></figure>`);
      parts.push(`<details><summary>Parameters</summary><pre>${esc(JSON.stringify(r.params ?? {}, null, 2))}</pre></details>`);
      parts.push('</section>');
      return parts.join('\n');
    })
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>neurodyn showcase</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left;font-variant-numeric:tabular-nums}
caption{font-weight:bold;text-align:left;padding:4px 0}tr.skipped td{color:#888}tr.failed td,p.failed{color:#b00}
figure{display:inline-block;margin:0.5em;vertical-align:top}figure svg{max-width:100%;height:auto}figcaption{font-size:90%;color:#555}
section{border-top:2px solid #ddd;margin-top:2em}p.meta{color:#666;font-size:90%}code{background:#f4f4f4;padding:1px 3px}
</style></head><body>
<h1>neurodyn showcase</h1>
<p>${esc(meta.mode)} run, ${esc(meta.date)}, Node ${esc(meta.node)}, ${meta.cores} cores, ${meta.seconds.toFixed(1)} s in total.
Every number below is computed by this run; the data are in <code>showcase.json</code> next to this file.</p>
<table><thead><tr><th>section</th><th>status</th><th>seconds</th></tr></thead><tbody>${overview}</tbody></table>
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
