// Chromium: a cross-origin-isolated page (served here with COOP same-origin + COEP require-corp)
// runs a LifNetwork on 1, 2 and 3 threads (module Web Workers on a shared WebAssembly memory) from
// the built package; every thread count must give the bits Node's single-threaded engine gives.
// A page served without those headers must run on one thread and say why (threadsNote).
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import * as nd from '../../dist/index.js';
import { CHROMIUM_LAUNCH } from '../chromium.js';
// @ts-expect-error: plain JS module shared with the page
import { runThreaded } from './threads-page.js';

const PAGE = `<!doctype html><meta charset="utf-8"><title>threads</title><script type="module">
import * as nd from '/dist/index.js';
import { runThreaded } from '/threads-page.js';
await nd.init();
const out = { isolated: self.crossOriginIsolated, runs: [] };
try { for (const T of [1, 2, 3]) for (const kind of ['mixed', 'delayed']) out.runs.push({ kind, ...(await runThreaded(nd, T, kind)) }); } catch (e) { out.error = String(e && e.stack || e); }
window.result = out;
</script>`;

let server: Server;
let base = '';
let browser: Browser;

beforeAll(async () => {
  const dist = new URL('../../dist/', import.meta.url);
  server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const isolate = !path.startsWith('/plain/');
    const headers: Record<string, string> = isolate
      ? { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' }
      : {};
    if (path.endsWith('/page.html')) {
      res.writeHead(200, { ...headers, 'Content-Type': 'text/html' });
      res.end(PAGE);
      return;
    }
    const file = path.replace(/^\/plain/, '');
    if (file === '/threads-page.js') {
      res.writeHead(200, { ...headers, 'Content-Type': 'text/javascript' });
      res.end(readFileSync(new URL('./threads-page.js', import.meta.url)));
      return;
    }
    if (file.startsWith('/dist/') && /^[\w./-]+$/.test(file) && !file.includes('..')) {
      try {
        const body = readFileSync(new URL(file.slice(6), dist));
        res.writeHead(200, { ...headers, 'Content-Type': file.endsWith('.wasm') ? 'application/wasm' : 'text/javascript' });
        res.end(body);
        return;
      } catch {}
    }
    res.writeHead(404, headers);
    res.end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch(CHROMIUM_LAUNCH);
});
afterAll(async () => {
  await browser?.close();
  await new Promise((r) => server?.close(r));
});

type PageResult = { isolated: boolean; error?: string; runs: { kind: string; fp: string; used: number; note: string; spikes: number }[] };

/** Node's one-thread bits of each network of the page. */
async function nodeBits(): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const kind of ['mixed', 'delayed']) {
    const r = await runThreaded(nd, 1, kind);
    expect(r.spikes, kind).toBeGreaterThan(100);
    out[kind] = r.fp;
  }
  return out;
}

async function pageResult(path: string): Promise<PageResult> {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${base}${path}`);
  await page.waitForFunction(() => (window as unknown as { result?: unknown }).result !== undefined, null, { timeout: 120_000 });
  const r = (await page.evaluate(() => (window as unknown as { result: unknown }).result)) as PageResult;
  await page.close();
  expect(errors).toEqual([]);
  return r;
}

test('Chromium, cross-origin isolated: 1, 2 and 3 threads (module workers) give the bits of Node, per step and in min-delay windows', async () => {
  const node = await nodeBits();
  const r = await pageResult('/page.html');
  expect(r.error).toBeUndefined();
  expect(r.isolated).toBe(true);
  expect(r.runs.map((x) => x.used)).toEqual([1, 1, 2, 2, 3, 3]);
  for (const x of r.runs) expect(x.fp, `${x.kind} on ${x.used} threads`).toBe(node[x.kind]);
});

test('Chromium, not isolated: the network runs on one thread, with the reason, and the same bits', async () => {
  const node = await nodeBits();
  const r = await pageResult('/plain/page.html');
  expect(r.error).toBeUndefined();
  expect(r.isolated).toBe(false);
  expect(r.runs.map((x) => x.used)).toEqual([1, 1, 1, 1, 1, 1]);
  expect(r.runs[2].note).toMatch(/cross-origin isolated|SharedArrayBuffer/);
  for (const x of r.runs) expect(x.fp, x.kind).toBe(node[x.kind]);
});
