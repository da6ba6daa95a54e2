// Shared code of the playground pages: loading the built package, the Web Worker RPC, forms,
// uPlot charts, and the page state that the Chromium test reads (`document.body.dataset.state`
// and `window.playground`).
import uPlot from '../../node_modules/uplot/dist/uPlot.esm.js';
import { PAGES } from './pages.js';

export { uPlot };

/** Page state for users (status line) and for tests (data-state, window.playground). */
export const page = {
  state: 'loading',
  result: null,
  /** Completed runs (tests wait for it to increase). */
  runs: 0,
  charts: {},
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

/**
 * Checks that the built package exports what the page needs. When it does not (a model not yet in
 * this build), shows a visible message and disables the controls.
 */
/** The built package, once a page's requireModel() has loaded it. */
let library = null;

export async function requireModel(pageId) {
  const { requires: names, title: what } = PAGES[pageId];
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

let worker = null;
let nextId = 1;
const pending = new Map();

/** The page's Web Worker (module worker running examples/browser/worker.js). */
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

/** Runs `task` with `params` in the worker; `onProgress(fraction, frame?)` while it runs. */
export function inWorker(task, params, onProgress) {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject, onProgress });
    getWorker().postMessage({ id, task, params });
  });
}

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

/**
 * Wires a page: `run(params, progress)` computes in the worker and draws; it is called on submit
 * and, with `live`, after any change (debounced; a new run supersedes a pending one).
 */
export function wire(form, run, { live = true } = {}) {
  liveLabels(form);
  let running = false;
  let queued = false;
  const progressEl = document.getElementById('progress');
  const go = async () => {
    if (running) {
      queued = true;
      return;
    }
    running = true;
    page.set('running', 'computing in a Web Worker…');
    const t0 = performance.now();
    try {
      const params = readForm(form);
      page.result = await run(params, (f) => {
        if (progressEl) progressEl.value = f;
      });
      if (progressEl) progressEl.value = 1;
      page.runs++;
      page.set('done', `done in ${((performance.now() - t0) / 1000).toFixed(2)} s`);
    } catch (e) {
      page.set('error', `${e.name ?? 'Error'}: ${e.message}`);
    } finally {
      running = false;
      if (queued) {
        queued = false;
        go();
      }
    }
  };
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
  page.set('ready', 'ready');
  return go;
}

/** Creates or updates a uPlot chart in element `id`. */
export function chart(id, opts, data) {
  const el = document.getElementById(id);
  const width = Math.max(300, Math.min(900, el.clientWidth || 700));
  const old = page.charts[id];
  if (old) old.destroy();
  const u = new uPlot({ width, height: opts.height ?? 300, ...opts }, data, el);
  page.charts[id] = u;
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
 * `ny × nx` grid `z` are painted in the plot area by a draw hook (viridis-like colours).
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
