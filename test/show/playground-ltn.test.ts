// The linear-threshold-network playground page with its defaults untouched (issue #16: every page
// loads and runs with its defaults, no console error), in real headless Chromium. The page runs
// once on load; what it shows is checked against the definition of an equilibrium and against the
// same task run in Node.
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import * as nd from '../../dist/index.js';
import { PAGES } from '../../examples/browser/pages.js';
import { tasks } from '../../examples/browser/tasks.js';
import { startPlaygroundServer } from '../../scripts/playground.mjs';
import { CHROMIUM_LAUNCH } from '../chromium.js';

type PW = Window & {
  playground: { runs: number; result: Record<string, unknown>; charts: Record<string, { data: number[][] }> };
  inkPixels(id: string): number;
};

let server: { url: string; port: number; close(): Promise<void> };
let browser: Browser;

beforeAll(async () => {
  server = await startPlaygroundServer({ port: 0 });
  browser = await chromium.launch(CHROMIUM_LAUNCH);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const present = PAGES.ltn.requires.every((n: string) => n in nd);

test.skipIf(!present)('ltn page: loads and runs with its defaults, no console error', async () => {
  const page = await browser.newPage({ viewport: { width: 1100, height: 1400 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.goto(`${server.url}ltn.html`);
  // the first run starts by itself with the form's defaults
  await page.waitForFunction(
    () => (window as unknown as PW).playground?.runs >= 1 && ['done', 'error'].includes(document.body.dataset.state ?? ''),
    null,
    {
      timeout: 90_000,
    },
  );
  expect(await page.evaluate(() => document.body.dataset.state), (await page.textContent('#status')) ?? '').toBe('done');
  // biome-ignore lint/suspicious/noExplicitAny: the page's result is plain JSON
  const r = (await page.evaluate(() => (window as unknown as PW).playground.result)) as Record<string, any>;
  // defaults of the form: d = (1, 3), W = [[0.2, −1.5], [1, 0.5]], u = (1, 0.5), γ = 1, 5 × 5 starts
  expect(r.params).toMatchObject({ d1: 1, d2: 3, w11: 0.2, w12: -1.5, w21: 1, w22: 0.5, u1: 1, u2: 0.5, gamma: 1, grid: 5 });
  expect(r.trajectories).toBe(25);
  // n = 2: LDS ⇔ P-matrix ⇔ m11 > 0, m22 > 0, det M > 0 for M = D − W = [[0.8, 1.5], [−1, 2.5]]
  expect(r.isLds).toBe(0.8 > 0 && 2.5 > 0 && 0.8 * 2.5 + 1.5 > 0);
  expect(r.equilibria.length).toBe(1);
  const [x1, x2] = r.equilibria[0];
  const q = [0.8 * x1 + 1.5 * x2 - 1, -x1 + 2.5 * x2 - 0.5];
  for (const [x, w] of [
    [x1, q[0]],
    [x2, q[1]],
  ]) {
    expect(x).toBeGreaterThanOrEqual(-1e-12);
    expect(w).toBeGreaterThanOrEqual(-1e-9);
    expect(Math.abs(x * w)).toBeLessThan(1e-9);
  }
  for (const f of r.finals) expect(Math.hypot(f[0] - x1, f[1] - x2)).toBeLessThan(1e-3);
  expect(await page.evaluate(() => (window as unknown as PW).inkPixels('phase'))).toBeGreaterThan(500);
  // the same task in Node on the same parameters (TS integrators: equal to rounding)
  await nd.init();
  const node = await tasks.ltn(nd, r.params, () => {});
  expect(Math.abs(r.gap - node.gap)).toBeLessThan(1e-6 * Math.abs(node.gap) + 1e-15);
  expect(errors).toEqual([]);
  await page.close();
});
