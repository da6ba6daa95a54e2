// Shared code of the playground pages: loading the built package, the Web Worker RPC with cancel,
// forms and URL parameters, progress with ETA, uPlot charts (axis labels required, greyed while a
// new run computes), data downloads through the library's exporters (CSV and NPZ), and the page
// state that the Chromium tests read (`document.body.dataset.state` and `window.playground`).
import uPlot from '../../node_modules/uplot/dist/uPlot.esm.js';
import { PAGES } from './pages.js';

export { uPlot };

/** Page state for users (status line) and for tests (data-state, window.playground). */
export const page = {
  state: 'loading',
  result: null,
  /** Completed runs (tests wait for it to increase). */
  runs: 0,
  /** Runs stopped by Cancel. */
  cancelled: 0,
  charts: {},
  /** The data of the last run as library Tables, by name (what the download links export). */
  tables: {},
  /** The last progress shown: { fraction, etaMs, elapsedMs, text }. */
  progress: null,
  set(state, message = '') {
    this.state = state;
    document.body.dataset.state = state;
    const el = document.getElementById('status');
    if (el) {
      el.textContent = message;
      el.className = `status ${state}`;
    }
  },
};
window.playground = page;

/** The built package, once a page's requireModel() has loaded it. */
let library = null;

/**
 * Checks that the built package exports what the page needs. When it does not (a model not yet in
 * this build), shows a visible message and disables the controls.
 */
export async function requireModel(pageId) {
  const { requires: names, title: what } = PAGES[pageId];
  page.id = pageId;
  let nd;
  try {
    nd = await import('../../dist/index.js');
    library = nd;
  } catch (e) {
    unavailable(`The built package could not be loaded (${e.message}). Run \`npm run build\` and reload.`);
    return null;
  }
  const missing = names.filter((n) => !(n in nd));
  if (missing.length) {
    unavailable(`${what} is not in this build of neurodyn yet (missing: ${missing.join(', ')}). The other pages still work.`);
    return null;
  }
  return nd;
}

export function unavailable(msg) {
  const box = document.getElementById('unavailable');
  if (box) {
    box.hidden = false;
    box.textContent = msg;
  }
  for (const el of document.querySelectorAll('form input, form select, form button')) el.disabled = true;
  page.set('unavailable', msg);
}

// ---------------------------------------------------------------------------------------------
// The worker: one at a time; Cancel terminates it (a computation in WebAssembly cannot be
// interrupted any other way) and the next run starts a fresh one.

let worker = null;
let nextId = 1;
const pending = new Map();

/** The error a cancelled run rejects with. */
export class CancelledError extends Error {
  constructor() {
    super('cancelled');
    this.name = 'CancelledError';
  }
}

function getWorker() {
  if (worker) return worker;
  worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
  worker.addEventListener('message', (e) => {
    const { id, progress, frame, result, error } = e.data;
    const p = pending.get(id);
    if (!p) return;
    if (progress !== undefined) p.onProgress?.(progress, frame);
    else {
      pending.delete(id);
      if (error) p.reject(Object.assign(new Error(error.message), { name: error.name }));
      else p.resolve(result);
    }
  });
  worker.addEventListener('error', (e) => {
    for (const p of pending.values()) p.reject(new Error(`worker error: ${e.message}`));
    pending.clear();
  });
  return worker;
}

/** Stops the worker and what it computes; pending runs reject with a CancelledError. */
export function cancelWorker() {
  if (worker) worker.terminate();
  worker = null;
  for (const p of pending.values()) p.reject(new CancelledError());
  pending.clear();
}

/**
 * Runs `task` with `params` in the worker; `onProgress(progress, frame?)` while it runs, where
 * `progress` is a fraction in [0, 1] or the library's Progress object.
 */
export function inWorker(task, params, onProgress) {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject, onProgress });
    getWorker().postMessage({ id, task, params });
  });
}

// ---------------------------------------------------------------------------------------------
// Forms and URL parameters

/** Reads the form's inputs into an object of numbers (or strings for selects / text). */
export function readForm(form) {
  const out = {};
  for (const el of form.elements) {
    if (!el.name) continue;
    if (el.type === 'checkbox') out[el.name] = el.checked;
    else if (el.type === 'number' || el.type === 'range') out[el.name] = Number(el.value);
    else out[el.name] = el.value;
  }
  return out;
}

/** The form's values as a query string (what the URL of a run holds). */
export function formQuery(form) {
  const q = new URLSearchParams();
  for (const el of form.elements) if (el.name) q.set(el.name, el.type === 'checkbox' ? String(el.checked) : el.value);
  return q.toString();
}

/**
 * Sets the form from the URL's query string, so that a link reproduces a run. A parameter the
 * page does not have, or a value outside a control's range or options, is ignored and named.
 * Returns the list of problems (empty when every parameter applied).
 */
export function applyQuery(form, search = location.search) {
  const problems = [];
  for (const [k, v] of new URLSearchParams(search)) {
    const el = form.elements.namedItem(k);
    if (!el?.name) {
      problems.push(`unknown parameter ${k}`);
      continue;
    }
    if (el.tagName === 'SELECT') {
      if (![...el.options].some((o) => o.value === v)) {
        problems.push(`${k}: expected one of ${[...el.options].map((o) => o.value).join(', ')}, got ${JSON.stringify(v)}`);
        continue;
      }
    } else if (el.type === 'range' || el.type === 'number') {
      const x = Number(v);
      const lo = el.min === '' ? Number.NEGATIVE_INFINITY : Number(el.min);
      const hi = el.max === '' ? Number.POSITIVE_INFINITY : Number(el.max);
      if (v.trim() === '' || !Number.isFinite(x) || x < lo || x > hi) {
        problems.push(`${k}: expected a number in [${el.min || '−∞'}, ${el.max || '∞'}], got ${JSON.stringify(v)}`);
        continue;
      }
    } else if (el.type === 'checkbox') {
      el.checked = v === 'true';
      continue;
    }
    el.value = v;
  }
  return problems;
}

/** Shows the value of every range input next to it. */
export function liveLabels(form) {
  for (const el of form.querySelectorAll('input[type=range]')) {
    const out = document.createElement('output');
    out.textContent = el.value;
    // Inside the label, so the two-column form grid stays aligned.
    (form.querySelector(`label[for="${el.id}"]`) ?? el.parentElement).append(out);
    el.addEventListener('input', () => {
      out.textContent = el.value;
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Progress

const seconds = (ms) => (ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`);

/** Shows a progress report (fraction or the library's Progress) with elapsed time and ETA. */
function showProgress(p, t0) {
  const fraction = Math.min(1, Math.max(0, typeof p === 'number' ? p : (p?.fraction ?? 0)));
  const elapsedMs = performance.now() - t0;
  // The library's ETA counts only its own call; from the page's clock it includes the set-up.
  const etaMs = fraction > 0 ? (elapsedMs * (1 - fraction)) / fraction : undefined;
  const bar = document.getElementById('progress');
  if (bar) bar.value = fraction;
  const text = `${Math.floor(fraction * 100)}% · ${seconds(elapsedMs)} elapsed${
    fraction < 1 ? ` · ${etaMs === undefined ? 'estimating time left…' : `about ${seconds(etaMs)} left`}` : ''
  }`;
  const el = document.getElementById('eta');
  if (el) el.textContent = text;
  page.progress = { fraction, elapsedMs, etaMs, text };
}

// ---------------------------------------------------------------------------------------------
// Running

/** Greys every chart (a new run computes; the plots are those of the previous run). */
function markStale(stale) {
  for (const el of document.querySelectorAll('.chart')) el.classList.toggle('stale', stale);
}

/**
 * Wires a page: `run(params, progress)` computes in the worker and draws; it is called on submit
 * and, with `live`, after any change (debounced; a change while a run computes cancels it and
 * starts the new one). Adds the Cancel button, the ETA line, the download links and the URL
 * parameters. Returns `go()`, which starts a run.
 */
export function wire(form, run, { live = true } = {}) {
  liveLabels(form);
  const problems = applyQuery(form);
  for (const el of form.querySelectorAll('input[type=range]')) {
    const out = (form.querySelector(`label[for="${el.id}"]`) ?? el.parentElement).querySelector('output');
    if (out) out.textContent = el.value;
  }
  const runBtn = form.querySelector('button[type=submit]');
  const cancelBtn = document.createElement('button');
  cancelBtn.type = 'button';
  cancelBtn.id = 'cancel';
  cancelBtn.textContent = 'Cancel';
  cancelBtn.disabled = true;
  runBtn.after(cancelBtn);
  const status = document.getElementById('status');
  const eta = document.createElement('span');
  eta.id = 'eta';
  eta.className = 'eta';
  status.before(eta);
  const downloads = document.createElement('p');
  downloads.id = 'downloads';
  downloads.className = 'downloads';
  status.parentElement.after(downloads);

  let running = false;
  let generation = 0;
  const go = async () => {
    if (running) cancelWorker(); // the newer parameters win
    const mine = ++generation;
    running = true;
    cancelBtn.disabled = false;
    markStale(true);
    page.set('running', 'computing in a Web Worker…');
    const t0 = performance.now();
    showProgress(0, t0);
    const params = readForm(form);
    page.params = params;
    try {
      const result = await run(params, (p) => showProgress(p, t0));
      if (mine !== generation) return;
      page.result = result;
      showProgress(1, t0);
      history.replaceState(null, '', `?${formQuery(form)}`);
      markStale(false);
      page.runs++;
      page.set('done', `done in ${seconds(performance.now() - t0)}; the address bar holds a link to this run`);
    } catch (e) {
      if (mine !== generation) return;
      if (e instanceof CancelledError) {
        page.cancelled++;
        page.set('cancelled', `cancelled after ${seconds(performance.now() - t0)}; the greyed plots are those of the previous run`);
      } else page.set('error', `${e.name ?? 'Error'}: ${e.message}`);
    } finally {
      if (mine === generation) {
        running = false;
        cancelBtn.disabled = true;
      }
    }
  };
  cancelBtn.addEventListener('click', () => {
    if (!running) return;
    generation++;
    running = false;
    cancelBtn.disabled = true;
    cancelWorker();
    page.cancelled++;
    page.set('cancelled', 'cancelled; the greyed plots are those of the previous run');
  });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    go();
  });
  if (live) {
    let timer = 0;
    form.addEventListener('input', () => {
      clearTimeout(timer);
      timer = setTimeout(go, 250);
    });
  }
  page.set('ready', problems.length ? `ignored in the address: ${problems.join('; ')}` : 'ready');
  page.urlProblems = problems;
  return go;
}

// ---------------------------------------------------------------------------------------------
// Downloads

/**
 * Offers the run's data for download: `tables` maps a name to a library Table; each gets a CSV
 * link (header `name (unit)`, the run's parameters as `# ` comment lines) and an NPZ link (NumPy,
 * one array per column), both written by the library's exporters (nd.io.toCSV, nd.io.toNPZ).
 */
export function offerDownloads(tables) {
  page.tables = tables;
  const el = document.getElementById('downloads');
  if (!el) return;
  el.textContent = 'Data of this run: ';
  const file = (name, ext) => `${page.id ?? 'playground'}-${name}.${ext}`;
  Object.entries(tables).forEach(([name, table], i) => {
    if (i > 0) el.append(' · ');
    el.append(`${name} (${table.length} rows): `);
    for (const [ext, label, make, type] of [
      ['csv', 'CSV', () => library.io.toCSV(table, { meta: true }), 'text/csv'],
      ['npz', 'NPZ', () => library.io.toNPZ(table), 'application/zip'],
    ]) {
      const a = document.createElement('a');
      a.href = '#';
      a.textContent = label;
      a.dataset.table = name;
      a.dataset.format = ext;
      a.addEventListener('click', (e) => {
        // The file is made when asked for, from the Table of the run shown.
        e.preventDefault();
        const url = URL.createObjectURL(new Blob([make()], { type }));
        const tmp = document.createElement('a');
        tmp.href = url;
        tmp.download = file(name, ext);
        document.body.append(tmp);
        tmp.click();
        tmp.remove();
        setTimeout(() => URL.revokeObjectURL(url), 30_000);
      });
      el.append(a);
      if (ext === 'csv') el.append(' ');
    }
  });
}

/**
 * A library Table from plain columns: `cols` maps a name to [values, unit, description]. `meta`
 * gets the page and the run's parameters, so a downloaded file says where it came from.
 */
export function table(kind, cols, params) {
  const columns = {};
  for (const [name, [values, unit, description]] of Object.entries(cols)) {
    const data = values instanceof Float64Array || values instanceof Int32Array ? values : Float64Array.from(values);
    columns[name] = { data, unit, description };
  }
  return library.makeTable(kind, columns, { page: page.id, params, link: location.href });
}

// ---------------------------------------------------------------------------------------------
// Charts

/**
 * Creates or updates a uPlot chart in element `id`. Every chart names its axes with units:
 * `xlabel` and `ylabel` (or `axes[i].label`) are required.
 */
export function chart(id, opts, data) {
  const el = document.getElementById(id);
  const { xlabel, ylabel, ...rest } = opts;
  const axes = rest.axes ?? [{ label: xlabel }, { label: ylabel }];
  if (!axes[0]?.label || !axes[1]?.label) throw new Error(`chart ${id}: both axes need a label with the unit`);
  const width = Math.max(300, Math.min(900, el.clientWidth || 700));
  const old = page.charts[id];
  if (old) old.destroy();
  const u = new uPlot({ width, height: rest.height ?? 300, ...rest, axes }, data, el);
  page.charts[id] = u;
  el.classList.remove('stale');
  return u;
}

/** A uPlot series drawn as dots only (rasters, scatter). */
export function dots(label, color = '#000', size = 2.5) {
  return {
    label,
    stroke: color,
    fill: color,
    width: 0,
    paths: () => null,
    points: { show: true, size, width: 0, fill: color, stroke: color },
  };
}

/** Number of drawn (non-background) pixels of a chart's canvas: proof that something was drawn. */
export function inkPixels(id) {
  const canvas = document.querySelector(`#${id} canvas`);
  if (!canvas) return 0;
  const ctx = canvas.getContext('2d');
  const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
  let n = 0;
  for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
  return n;
}
window.inkPixels = inkPixels;

/**
 * A heatmap drawn by uPlot: the axes, scales and layout are uPlot's; the cells of the row-major
 * `ny × nx` grid `z` are painted in the plot area by a draw hook (the library's viridis colours).
 */
export function heatmapChart(id, { title, x, y, z, nx, ny, zmax, height = 320, xlabel, ylabel }) {
  // The library's own colour map (loaded by requireModel), so playground and SVG reports agree.
  const colour = library.plot.viridis;
  const dx = (x[nx - 1] - x[0]) / Math.max(1, nx - 1);
  const dy = (y[ny - 1] - y[0]) / Math.max(1, ny - 1);
  const top = zmax ?? Math.max(...z);
  const draw = (u) => {
    const ctx = u.ctx;
    ctx.save();
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++) {
        const v = z[j * nx + i];
        if (!(v > 0)) continue;
        const x0 = u.valToPos(x[i] - dx / 2, 'x', true);
        const x1 = u.valToPos(x[i] + dx / 2, 'x', true);
        const y0 = u.valToPos(y[j] - dy / 2, 'y', true);
        const y1 = u.valToPos(y[j] + dy / 2, 'y', true);
        ctx.fillStyle = colour(v / top);
        ctx.fillRect(Math.min(x0, x1), Math.min(y0, y1), Math.abs(x1 - x0) + 0.5, Math.abs(y1 - y0) + 0.5);
      }
    }
    ctx.restore();
  };
  return chart(
    id,
    {
      title,
      height,
      legend: { show: false },
      cursor: { show: false },
      scales: {
        x: { time: false, auto: false, range: [x[0] - dx / 2, x[nx - 1] + dx / 2] },
        y: { auto: false, range: [y[0] - dy / 2, y[ny - 1] + dy / 2] },
      },
      axes: [{ label: xlabel }, { label: ylabel }],
      series: [{}, { stroke: 'transparent', points: { show: false } }],
      hooks: { draw: [draw] },
    },
    [
      [x[0], x[nx - 1]],
      [null, null],
    ],
  );
}
