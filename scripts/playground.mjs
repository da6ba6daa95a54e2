// `npm run playground`: a small static server on 127.0.0.1 for the browser playground.
// It serves only what the pages need, from the repository root, with correct MIME types
// (application/wasm included):
//   /                         → redirect to /examples/browser/
//   /examples/browser/...     the pages, their scripts and the Web Worker
//   /dist/...                 the built package (npm run build)
//   /node_modules/uplot/dist/ uPlot (charts)
// Usage: node scripts/playground.mjs [--port N] (0 = any free port; default 8787)
// Import { startPlaygroundServer } to use it from tests.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const ALLOWED = ['examples/browser/', 'dist/', 'node_modules/uplot/dist/'];
export const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ts': 'text/plain; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

/** Resolves a URL path to a file under an allowed prefix, or null. */
function toFile(urlPath) {
  let p;
  try {
    p = decodeURIComponent(urlPath.split('?')[0]);
  } catch {
    return null;
  }
  const rel = normalize(p).replace(/^[/\\]+/, '');
  if (rel.split(sep).includes('..')) return null;
  const unix = rel.split(sep).join('/');
  if (!ALLOWED.some((a) => unix.startsWith(a))) return null;
  let file = join(ROOT, rel);
  if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
  return existsSync(file) && statSync(file).isFile() ? file : null;
}

/**
 * Starts the server; resolves to `{ url, port, close() }`.
 * @param {{ port?: number, host?: string, quiet?: boolean }} [o]
 */
export function startPlaygroundServer({ port = 8787, host = '127.0.0.1', quiet = true } = {}) {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/' || path === '/index.html') {
      res.writeHead(302, { location: '/examples/browser/' });
      res.end();
      return;
    }
    if (path === '/favicon.ico') {
      res.writeHead(204);
      res.end();
      return;
    }
    if (path === '/examples/browser') {
      res.writeHead(301, { location: '/examples/browser/' });
      res.end();
      return;
    }
    const file = toFile(path);
    if (!quiet) console.log(`${req.method} ${path} ${file ? 200 : 404}`);
    if (!file || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(file ? 405 : 404, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(file ? 'method not allowed' : `not found: ${path}${path.startsWith('/dist/') ? ' (run npm run build)' : ''}`);
      return;
    }
    res.writeHead(200, {
      'content-type': MIME[extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-cache',
      'x-content-type-options': 'nosniff',
    });
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).pipe(res);
  });
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const addr = server.address();
      const p = typeof addr === 'object' && addr ? addr.port : port;
      resolvePromise({
        port: p,
        url: `http://${host}:${p}/examples/browser/`,
        close: () => new Promise((r) => server.close(() => r())),
        server,
      });
    });
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--port');
  const port = i >= 0 ? Number(process.argv[i + 1]) : Number(process.env.PORT ?? 8787);
  if (!existsSync(join(ROOT, 'dist/index.js'))) console.warn('dist/ is missing: run `npm run build` first');
  const s = await startPlaygroundServer({ port, quiet: !process.argv.includes('--verbose') });
  console.log(`neurodyn playground: ${s.url}  (Ctrl-C to stop)`);
}
