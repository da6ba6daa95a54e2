// The browser playground in real headless Chromium (Debian's /usr/bin/chromium via playwright-core):
// the static server (scripts/playground.mjs) serves the pages, the built package and uPlot. Every
// page: loads with its defaults and runs (no console error, both axes of every chart labelled),
// its data downloads as CSV and NPZ (the library's exporters) equal to the same task run in Node,
// its parameters go to the URL and a link reproduces the run, Cancel stops the worker and leaves
// the page usable (plots greyed meanwhile), and a parameter change runs and draws what Node
// computes. Pages whose model is not in the build must show a visible message instead.
// Screenshots go to build/screenshots/ (test artifacts, not committed).
import { mkdirSync, readFileSync } from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import * as nd from '../../dist/index.js';
import { PAGES } from '../../examples/browser/pages.js';
import { tasks } from '../../examples/browser/tasks.js';
import { startPlaygroundServer } from '../../scripts/playground.mjs';
import { CHROMIUM_LAUNCH } from '../chromium.js';

/** What the pages expose to tests (examples/browser/common.js). */
type PW = Window & {
  playground: {
    runs: number;
    cancelled: number;
    result: Record<string, number>;
    params: Record<string, unknown>;
    progress: { fraction: number; text: string } | null;
    urlProblems: string[];
    tables: Record<string, { length: number }>;
    charts: Record<string, { data: number[][]; axes: { label?: string }[] }>;
  };
  inkPixels(id: string): number;
};

const SHOTS = new URL('../../build/screenshots/', import.meta.url).pathname;
let server: { url: string; port: number; close(): Promise<void> };
let browser: Browser;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  server = await startPlaygroundServer({ port: 0 });
  browser = await chromium.launch(CHROMIUM_LAUNCH);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Opens a page and collects its errors. */
async function open(name: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1100, height: 1400 }, acceptDownloads: true });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.goto(`${server.url}${name}`);
  await page.waitForFunction(() => ['ready', 'running', 'done', 'unavailable', 'error'].includes(document.body.dataset.state ?? ''), null, {
    timeout: 30_000,
  });
  return { page, errors };
}

/** Sets an input's value (firing input/change), clicks Run and waits for a new completed run. */
async function changeAndRun(page: Page, field: string, value: string) {
  await page.waitForFunction(() => document.body.dataset.state !== 'running', null, { timeout: 60_000 });
  const before = await page.evaluate(() => (window as unknown as PW).playground.runs);
  await page.$eval(
    `#${field}`,
    (el, v) => {
      (el as HTMLInputElement).value = v;
      el.dispatchEvent(new Event('input', { bubbles: true }));
      el.dispatchEvent(new Event('change', { bubbles: true }));
    },
    value,
  );
  await page.click('#run');
  await page.waitForFunction((n) => (window as unknown as PW).playground.runs > n && document.body.dataset.state === 'done', before, {
    timeout: 90_000,
  });
  // A debounced live re-run may follow the input event: let it settle before reading.
  await page.waitForTimeout(400);
  await page.waitForFunction(() => document.body.dataset.state !== 'running', null, { timeout: 90_000 });
  const state = await page.evaluate(() => document.body.dataset.state);
  expect(state, await page.textContent('#status')).toBe('done');
  return page.evaluate(() => (window as unknown as PW).playground.result);
}

const present = (id: keyof typeof PAGES) => PAGES[id].requires.every((n) => n in nd);

test('server: MIME types (wasm, js, html, css) and no access outside the allowed folders', async () => {
  const get = (p: string) => fetch(`http://127.0.0.1:${server.port}${p}`);
  expect((await get('/dist/neurodyn.wasm')).headers.get('content-type')).toBe('application/wasm');
  expect((await get('/dist/index.js')).headers.get('content-type')).toMatch(/^text\/javascript/);
  expect((await get('/examples/browser/')).headers.get('content-type')).toMatch(/^text\/html/);
  expect((await get('/node_modules/uplot/dist/uPlot.min.css')).headers.get('content-type')).toMatch(/^text\/css/);
  expect((await get('/package.json')).status).toBe(404);
  expect((await get('/examples/browser/../../package.json')).status).toBe(404);
  expect((await get('/examples/browser/%2e%2e/%2e%2e/package.json')).status).toBe(404);
  expect((await get('/node_modules/vitest/package.json')).status).toBe(404);
  const root = await fetch(`http://127.0.0.1:${server.port}/`, { redirect: 'manual' });
  expect(root.status).toBe(302);
});

test('index lists every page', async () => {
  const { page, errors } = await open('');
  const links = await page.$$eval('#pages a', (as) => as.map((a) => a.getAttribute('href')));
  expect(links).toEqual(Object.keys(PAGES).map((id) => `${id}.html`));
  await page.screenshot({ path: `${SHOTS}index.png` });
  expect(errors).toEqual([]);
  await page.close();
});

test('random: change the rate, run in the worker, raster and histogram drawn', async () => {
  const { page, errors } = await open('random.html');
  const r = await changeAndRun(page, 'rate', '60');
  // 50 neurons × 500 ms at 60 Hz (grid probability per 0.5 ms step): about 1500 spikes.
  const p = 1 - Math.exp(-60 * 0.5e-3);
  const mean = 50 * 1000 * p;
  expect(Math.abs(r.rasterPoints - mean)).toBeLessThan(5 * Math.sqrt(mean));
  expect(r.rateHz).toBeGreaterThan(50);
  expect(r.rateHz).toBeLessThan(70);
  expect(Math.abs(r.mean)).toBeLessThan(0.02);
  expect(Math.abs(r.variance - 1)).toBeLessThan(0.02);
  // The same seed in Node gives the same normals (fingerprint shown on the page).
  await nd.init();
  const g = new nd.NormalGenerator(42);
  expect(r.fingerprint).toBe(nd.fingerprint(g.next(100_000)));
  g.dispose();
  const drawn = await page.evaluate(() => (window as unknown as PW).playground.charts.raster.data[1].length);
  expect(drawn).toBe(r.rasterPoints);
  expect(await page.evaluate(() => (window as unknown as PW).inkPixels('raster'))).toBeGreaterThan(1000);
  await page.screenshot({ path: `${SHOTS}random-changed.png`, fullPage: true });
  expect(errors).toEqual([]);
  await page.close();
});

describe.each(['lif', 'fp', 'brf', 'srm', 'ltn'] as const)('%s page', (id) => {
  test(`${id}: ${present(id) ? 'runs and draws' : 'degrades with a visible message (model not in this build)'}`, async () => {
    const { page, errors } = await open(`${id}.html`);
    if (!present(id)) {
      expect(await page.evaluate(() => document.body.dataset.state)).toBe('unavailable');
      expect(await page.isVisible('#unavailable')).toBe(true);
      expect(await page.textContent('#unavailable')).toMatch(/not in this build/);
    } else {
      const r = await changeAndRun(page, CHANGES[id][0], CHANGES[id][1]);
      await CHECKS[id](r, page);
      expect(await page.evaluate(() => Object.keys((window as unknown as PW).playground.charts).length)).toBeGreaterThan(0);
    }
    await page.screenshot({ path: `${SHOTS}${id}-changed.png`, fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });
});

// Per-page parameter change, and assertions on the drawn result. Where possible the same task is
// run in Node on the same parameters: the browser's numbers must be identical (bit-reproducible).
const CHANGES: Record<string, [string, string]> = {
  lif: ['mu', '0.08'],
  fp: ['epsilon', '0.5'],
  brf: ['omega', '30'],
  srm: ['rho0', '50'],
  ltn: ['gamma', '10'],
};
// biome-ignore lint/suspicious/noExplicitAny: page results are plain JSON of several shapes
const CHECKS: Record<string, (r: Record<string, any>, page: Page) => Promise<void>> = {
  lif: async (r, page) => {
    // μ τ_m = 1.6 > 1: suprathreshold drive, 400 neurons firing at tens of Hz, inhibitory coupling.
    expect(r.meanRateHz).toBeGreaterThan(10);
    expect(r.meanRateHz).toBeLessThan(200);
    expect(await page.evaluate(() => (window as unknown as PW).playground.charts.raster.data[1].length)).toBe(r.rasterPoints);
    expect(await page.evaluate(() => (window as unknown as PW).inkPixels('raster'))).toBeGreaterThan(500);
    const node = await tasks.lif(nd, r.params, () => {});
    expect(r.spikes).toBe(node.spikes);
  },
  fp: async (r, page) => {
    // ε = 0.5: mass conserved to round-off at every frame, p ≥ 0, frames drawn while it ran.
    expect(r.params.epsilon).toBe(0.5);
    expect(Math.abs(r.mass - 1)).toBeLessThan(1e-10);
    expect(r.maxMassError).toBeLessThan(1e-10);
    expect(r.minDensity).toBeGreaterThanOrEqual(-1e-14);
    expect(r.framesDrawn).toBeGreaterThanOrEqual(r.frames);
    expect(r.nbar).toBeGreaterThan(0);
    // H(w) is a distribution on the w-grid: mass 1 (up to the grid weight dw).
    const dw = r.w[1] - r.w[0];
    expect(Math.abs(r.H.reduce((a: number, b: number) => a + b, 0) * dw - 1)).toBeLessThan(1e-6);
    expect(await page.evaluate(() => (window as unknown as PW).inkPixels('density'))).toBeGreaterThan(2000);
    // Node on the same parameters: same N̄ (the input I(w) is evaluated with the engine's Math.exp,
    // so agreement is to rounding).
    const node = await tasks.fp(nd, r.params, () => {});
    expect(Math.abs(r.nbar - node.final.nbar)).toBeLessThan(1e-9 * node.final.nbar);
  },
  brf: async (r) => {
    expect(r.omega).toBe(30);
    // The resonance peak sits at the neuron's own frequency (grid spacing 1.6 rad/s).
    expect(Math.abs(r.peakFrequency - 30)).toBeLessThan(3.3);
    // b = p(ω) − b′ with b′ > 0 is below the boundary: spectral radius < 1.
    expect(r.radius).toBeLessThan(1);
    expect(r.points).toBeGreaterThan(1000);
  },
  srm: async (r, page) => {
    // ρ0 = 50 Hz: the rate of a neuron at u = 0; recurrent input and adaptation move it.
    expect(r.params.rho0).toBe(50);
    expect(r.meanRateHz).toBeGreaterThan(5);
    expect(r.meanRateHz).toBeLessThan(500);
    expect(r.logLik).toBeLessThan(0);
    expect(await page.evaluate(() => (window as unknown as PW).playground.charts.raster.data[1].length)).toBe(r.rasterPoints);
    // The spikes come from the kernel's counter-based RNG: Node draws exactly the same ones.
    const node = await tasks.srm(nd, r.params, () => {});
    expect(r.spikes).toBe(node.spikes);
    expect(Math.abs(r.logLik - node.logLik)).toBeLessThan(1e-9 * Math.abs(node.logLik));
  },
  ltn: async (r, page) => {
    // γ = 10 on the default LDS network: 25 trajectories, one equilibrium, all of them converge to it.
    expect(r.params.gamma).toBe(10);
    expect(r.trajectories).toBe(25);
    expect(r.isLds).toBe(true);
    expect(r.equilibria.length).toBe(1);
    const eq = r.equilibria[0];
    for (const f of r.finals) expect(Math.hypot(f[0] - eq[0], f[1] - eq[1])).toBeLessThan(1e-3);
    // The equilibrium solves the LCP: x ≥ 0, Mx − u ≥ 0, complementarity (checked here from the formula).
    const { d1, d2, w11, w12, w21, w22, u1, u2 } = r.params;
    const q = [(d1 - w11) * eq[0] - w12 * eq[1] - u1, -w21 * eq[0] + (d2 - w22) * eq[1] - u2];
    for (let i = 0; i < 2; i++) {
      expect(eq[i]).toBeGreaterThanOrEqual(-1e-12);
      expect(q[i]).toBeGreaterThanOrEqual(-1e-9);
      expect(Math.abs(eq[i] * q[i])).toBeLessThan(1e-9);
    }
    expect(await page.evaluate(() => (window as unknown as PW).inkPixels('phase'))).toBeGreaterThan(500);
    // The LTN integrators run in TypeScript (Math.exp of the engine), so Chromium and Node agree to
    // rounding, not bit for bit: compare with a relative tolerance.
    const node = await tasks.ltn(nd, r.params, () => {});
    expect(Math.abs(r.gap - node.gap)).toBeLessThan(1e-6 * Math.abs(node.gap) + 1e-15);
  },
};

// ---------------------------------------------------------------------------------------------
// Defaults, downloads, URL parameters, cancel: every page.

const PAGE_IDS = ['random', 'lif', 'fp', 'brf', 'srm', 'ltn'] as const;
type PageId = (typeof PAGE_IDS)[number];

const settled = (page: Page) =>
  page.waitForFunction(() => ['done', 'error', 'cancelled', 'unavailable'].includes(document.body.dataset.state ?? ''), null, {
    timeout: 120_000,
  });

/** Parses a downloaded CSV (comment lines `# …` first): header cells and numeric columns. */
function parseCsv(text: string): { header: string[]; meta: string[]; cols: number[][] } {
  const lines = text.trim().split('\n');
  const meta = lines.filter((l) => l.startsWith('#'));
  const rows = lines.filter((l) => !l.startsWith('#'));
  const header = rows[0].split(',');
  const cols = header.map((_, j) => rows.slice(1).map((r) => Number(r.split(',')[j])));
  return { header, meta, cols };
}

/** Clicks a download link of the page and returns the file's bytes. */
async function download(page: Page, tableName: string, format: 'csv' | 'npz'): Promise<Uint8Array> {
  const [d] = await Promise.all([
    page.waitForEvent('download'),
    page.click(`#downloads a[data-table="${tableName}"][data-format="${format}"]`),
  ]);
  const path = await d.path();
  return new Uint8Array(readFileSync(path as string));
}

// For each page: a table to download, its columns, and the same columns computed in Node by the
// page's task on the page's parameters (exact where the computation is the kernel's, to 1e-9
// relative where the engine's Math.exp enters).
// biome-ignore lint/suspicious/noExplicitAny: task results are plain JSON of several shapes
const DOWNLOAD: Record<PageId, { table: string; header: string[]; node: (r: any) => number[][]; exact: boolean }> = {
  random: { table: 'spikes', header: ['time (ms)', 'neuron'], node: (r) => [r.raster.times, r.raster.neurons], exact: true },
  lif: { table: 'spikes', header: ['time (ms)', 'neuron'], node: (r) => [r.raster.times, r.raster.neurons], exact: true },
  srm: { table: 'spikes', header: ['time (ms)', 'neuron'], node: (r) => [r.raster.times, r.raster.neurons], exact: true },
  fp: { table: 'weights', header: ['w', 'H', 'N (1/τ_m)'], node: (r) => [r.w, r.final.H, r.N], exact: false },
  brf: { table: 'resonance', header: ['omega (rad/s)', 'peak'], node: (r) => [r.resonance.freqs, r.resonance.gain], exact: false },
  ltn: {
    table: 'equilibria',
    header: ['x1', 'x2'],
    node: (r) => [r.equilibria.map((e: number[]) => e[0]), r.equilibria.map((e: number[]) => e[1])],
    exact: false,
  },
};

describe.each(PAGE_IDS)('%s page: defaults, downloads, link, cancel', (id) => {
  test.skipIf(!present(id))(`${id}: loads with its defaults and runs; every chart has both axes labelled; screenshot`, async () => {
    const { page, errors } = await open(`${id}.html`);
    await settled(page);
    expect(await page.evaluate(() => document.body.dataset.state), await page.textContent('#status')).toBe('done');
    const labels = await page.evaluate(() =>
      Object.entries((window as unknown as PW).playground.charts).map(([k, c]) => [k, c.axes[0]?.label ?? '', c.axes[1]?.label ?? '']),
    );
    expect(labels.length).toBeGreaterThan(0);
    for (const [k, x, y] of labels) {
      expect(x.length, `${k} x axis`).toBeGreaterThan(0);
      expect(y.length, `${k} y axis`).toBeGreaterThan(0);
    }
    // The ETA line ends at 100 %; no chart is greyed once the run is done.
    expect(await page.textContent('#eta')).toMatch(/^100% · [\d.]+ s elapsed$/);
    expect(await page.$$eval('.chart.stale', (e) => e.length)).toBe(0);
    await page.screenshot({ path: `${SHOTS}${id}.png`, fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  test.skipIf(!present(id))(`${id}: the data downloads as CSV and NPZ, equal to the same task run in Node`, async () => {
    const { page, errors } = await open(`${id}.html`);
    await settled(page);
    const spec = DOWNLOAD[id];
    const params = await page.evaluate(() => (window as unknown as PW).playground.params);
    const rows = await page.evaluate((t) => (window as unknown as PW).playground.tables[t].length, spec.table);
    const csv = parseCsv(new TextDecoder().decode(await download(page, spec.table, 'csv')));
    expect(csv.header).toEqual(spec.header);
    // The run's parameters travel with the data.
    expect(csv.meta.some((l) => l.startsWith('# params: ') && JSON.stringify(JSON.parse(l.slice(10))) === JSON.stringify(params))).toBe(
      true,
    );
    expect(csv.cols[0].length).toBe(rows);
    const npz = nd.io.unzipStored(await download(page, spec.table, 'npz'));
    const names = [...npz.keys()].filter((k) => k.endsWith('.npy'));
    expect(names.length).toBe(spec.header.length);
    names.forEach((n, j) => {
      expect(Array.from(nd.io.fromNPY(npz.get(n) as Uint8Array).data)).toEqual(csv.cols[j]);
    });
    // Node, same task, same parameters.
    await nd.init();
    // biome-ignore lint/suspicious/noExplicitAny: the tasks take the page's plain parameters
    const node = await (tasks as any)[id](nd, structuredClone(params), () => {});
    const want = spec.node(node);
    want.forEach((col, j) => {
      expect(csv.cols[j].length).toBe(col.length);
      if (spec.exact) expect(csv.cols[j]).toEqual(Array.from(col, Number));
      else
        col.forEach((v: number, k: number) => {
          expect(Math.abs(csv.cols[j][k] - v)).toBeLessThanOrEqual(1e-9 * Math.abs(v) + 1e-15);
        });
    });
    expect(errors).toEqual([]);
    await page.close();
  });

  test.skipIf(!present(id))(`${id}: the parameters go to the address bar, and that link reproduces the run`, async () => {
    const { page, errors } = await open(`${id}.html`);
    await settled(page);
    const first = await page.evaluate(() => ({ search: location.search, result: (window as unknown as PW).playground.result }));
    const form = await page.$$eval('#params [name]', (els) =>
      els.map((e) => [(e as HTMLInputElement).name, (e as HTMLInputElement).value]),
    );
    const q = new URLSearchParams(first.search);
    for (const [k, v] of form) expect(q.get(k), k).toBe(v);
    // A second visitor opens the link (plus one unknown parameter, which is named and ignored).
    const other = await open(`${id}.html${first.search}&bogus=1`);
    await settled(other.page);
    expect(await other.page.evaluate(() => (window as unknown as PW).playground.urlProblems)).toEqual(['unknown parameter bogus']);
    expect(await other.page.evaluate(() => (window as unknown as PW).playground.result)).toEqual(first.result);
    expect(errors).toEqual([]);
    expect(other.errors).toEqual([]);
    await other.page.close();
    await page.close();
  });

  test.skipIf(!present(id))(`${id}: Cancel stops the worker, the plots stay greyed, the page stays usable`, async () => {
    const { page, errors } = await open(`${id}.html`);
    await settled(page);
    const runs = await page.evaluate(() => (window as unknown as PW).playground.runs);
    const before = await page.evaluate(() => (window as unknown as PW).playground.result);
    // Start a run and cancel it before the worker can answer (one task of the event loop).
    await page.evaluate(() => {
      (document.getElementById('params') as HTMLFormElement).requestSubmit();
      (document.getElementById('cancel') as HTMLButtonElement).click();
    });
    expect(await page.evaluate(() => document.body.dataset.state)).toBe('cancelled');
    expect(await page.textContent('#status')).toMatch(/cancelled/);
    expect(await page.isDisabled('#cancel')).toBe(true);
    const charts = await page.$$eval('.chart', (e) => e.length);
    expect(await page.$$eval('.chart.stale', (e) => e.length)).toBe(charts);
    // The terminated worker never reports: nothing changes in the next half second.
    await page.waitForTimeout(500);
    expect(await page.evaluate(() => (window as unknown as PW).playground.runs)).toBe(runs);
    expect(await page.evaluate(() => (window as unknown as PW).playground.result)).toEqual(before);
    // Usable: Run again (a fresh worker) completes and the plots are current again.
    await page.click('#run');
    await settled(page);
    expect(await page.evaluate(() => document.body.dataset.state)).toBe('done');
    expect(await page.evaluate(() => (window as unknown as PW).playground.runs)).toBe(runs + 1);
    expect(await page.evaluate(() => (window as unknown as PW).playground.result)).toEqual(before);
    expect(await page.$$eval('.chart.stale', (e) => e.length)).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });
});

test.skipIf(!present('lif'))('lif: a long run shows progress with an ETA; Cancel mid-run stops it within a second', async () => {
  const { page, errors } = await open('lif.html?neurons=2000&duration=3000&dt=0.01');
  await page.waitForFunction(() => ((window as unknown as PW).playground.progress?.fraction ?? 0) > 0.01, null, { timeout: 60_000 });
  const text = await page.evaluate(() => (window as unknown as PW).playground.progress?.text ?? '');
  expect(text).toMatch(/^\d+% · [\d.]+ s elapsed · about [\d.]+ s left$/);
  await page.screenshot({ path: `${SHOTS}lif-running.png`, fullPage: true });
  const t0 = Date.now();
  await page.click('#cancel');
  await page.waitForFunction(() => document.body.dataset.state === 'cancelled', null, { timeout: 1000 });
  expect(Date.now() - t0).toBeLessThan(1000);
  // The page stays usable: a short run after the cancelled one completes.
  await page.$eval('#duration', (el) => {
    (el as HTMLInputElement).value = '100';
  });
  await page.click('#run');
  await settled(page);
  expect(await page.evaluate(() => document.body.dataset.state)).toBe('done');
  expect(errors).toEqual([]);
  await page.close();
});
