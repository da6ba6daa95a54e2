import { defineConfig } from 'vitest/config';

// Node test suite. Browser tests (test/browser) and Deno tests (test/deno) run in their own
// runtimes: see vitest.browser.config.ts and `npm run test:deno`.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/browser/**', 'test/deno/**', 'node_modules/**'],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
