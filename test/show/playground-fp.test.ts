// The Fokker–Planck playground page in real headless Chromium (Debian's /usr/bin/chromium via
// playwright-core), as a first-time visitor sees it: the page is opened with every control at its
// default, the run it starts on load must finish with no console error, conserve mass to round-off
// and give the N̄ Node computes from the same parameters. Then the w-scheme control: the explicit
// w-step at the old defaults (ε = 1, Δt = 0.02) breaks its CFL bound, which the page must report
// as the library's error (naming the admissible Δt and the implicit scheme), and a Δt under that
// bound must run.
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import * as nd from '../../dist/index.js';
import { tasks } from '../../examples/browser/tasks.js';
import { startPlaygroundServer } from '../../scripts/playground.mjs';
import { CHROMIUM_LAUNCH } from '../chromium.js';

type PW = Window & { playground: { runs: number; result: Record<string, unknown> } };

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

const settled = (page: Page) =>
  page.waitForFunction(() => ['done', 'error'].includes(document.body.dataset.state ?? ''), null, { timeout: 90_000 });

/** Sets a control, fires its events (the page re-runs on input) and waits for the run to settle. */
async function set(page: Page, field: string, value: string): Promise<string> {
  // Clear the state first: the re-run sets 'running', then 'done' or 'error' (an error comes fast).
  await page.evaluate(() => {
    document.body.dataset.state = 'changing';
  });
  await page.$eval(
    `#${field}`,
    (el, v) => {
      (el as HTMLSelectElement).value = v;
      el.dispatchEvent(new Event('input', { bubbles: true }));
      el.dispatchEvent(new Event('change', { bubbles: true }));
    },
    value,
  );
  await settled(page);
  return (await page.evaluate(() => document.body.dataset.state)) as string;
}

test('fp page: defaults untouched, the run on load finishes without a console error; the w-scheme control works', async () => {
  const page = await browser.newPage({ viewport: { width: 1100, height: 1400 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.goto(`${server.url}fp.html`);
  await page.waitForFunction(() => (window as unknown as PW).playground?.runs >= 1 || document.body.dataset.state === 'error', null, {
    timeout: 90_000,
  });
  await settled(page);
  expect(await page.evaluate(() => document.body.dataset.state), (await page.textContent('#status')) ?? '').toBe('done');
  expect(errors).toEqual([]);
  const r = (await page.evaluate(() => (window as unknown as PW).playground.result)) as {
    mass: number;
    maxMassError: number;
    minDensity: number;
    nbar: number;
    params: Record<string, number | string>;
  };
  // The defaults as shipped (read back from the form): the implicit w-step.
  expect(r.params.wScheme).toBe('implicit');
  expect(r.params.dt).toBe(0.02);
  expect(r.params.epsilon).toBe(1);
  expect(r.maxMassError).toBeLessThan(1e-10);
  expect(r.minDensity).toBeGreaterThanOrEqual(-1e-14);
  await nd.init();
  const node = await tasks.fp(nd, r.params, () => {});
  expect(Math.abs(r.nbar - node.final.nbar)).toBeLessThan(1e-9 * node.final.nbar);

  // Explicit w-step at Δt = 0.02, ε = 1: over the CFL bound (Δt ≤ 0.0139 here), reported on the page.
  expect(await set(page, 'wScheme', 'explicit')).toBe('error');
  const status = (await page.textContent('#status')) ?? '';
  expect(status).toMatch(/^NumericalError: .*CFL bound at w-cell \d+ .*dt must be <= 0\.01\d+ τ_m.*use wScheme 'implicit'/);
  // Node throws the same error for the same parameters.
  expect(() => tasks.fp(nd, { ...r.params, wScheme: 'explicit' }, () => {})).toThrow(/CFL bound/);
  // Under the bound, the explicit scheme runs.
  expect(await set(page, 'dt', '0.01')).toBe('done');
  expect(errors).toEqual([]);
  await page.close();
});
