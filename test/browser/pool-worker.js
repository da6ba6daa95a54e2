// The pool's worker entry for the vitest browser suite. Vitest rewrites every dynamic import()
// of the files it serves into `__vitest_browser_runner__.wrapDynamicImport(() => import(…))`,
// and defines that global only in pages and in workers made with Vite's `?worker` imports; a
// worker started from dist/worker.js directly (as the pool does) lacks it, so importing a user
// trial module there would fail. Outside vitest (bundled apps, plain pages) none of this applies.
globalThis.__vitest_browser_runner__ ??= { wrapDynamicImport: (f) => f() };
await import('../../dist/worker.js');
