// Runs in its own file (vitest isolates files), so init() here is the first initialisation.
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { init, isInitialised, normals } from '../../src/index.js';

test('init accepts a compiled WebAssembly.Module and is idempotent', async () => {
  const bytes = readFileSync(new URL('../../build/release.wasm', import.meta.url));
  expect(isInitialised()).toBe(false);
  await init({ wasm: new WebAssembly.Module(bytes) });
  expect(isInitialised()).toBe(true);
  await init({ wasm: bytes }); // no-op
  await init({ wasm: new URL('../../build/release.wasm', import.meta.url) }); // no-op
  // The served binary is the same kernel as the inlined one: same draws.
  expect(normals(3, 0, 4)).toEqual(normals(3, 0, 4));
});
