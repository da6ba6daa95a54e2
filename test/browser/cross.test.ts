// Chromium: the BUILT package imported by a page (vitest browser mode, real headless Chromium),
// every cross-runtime case compared with Node's fingerprints, and the pool on Web Workers.
import { expect, test } from 'vitest';
import { commands } from 'vitest/browser';
import * as nd from '../../dist/index.js';
import { allCases } from '../cross/index.ts';

const ref: Record<string, string> = JSON.parse(await commands.readFile('build/cross/node.json'));

test.each(Object.keys(allCases))('chromium: %s matches Node bit for bit', async (name) => {
  await nd.init();
  expect(await allCases[name](nd as never)).toBe(ref[name]);
});

test('chromium: worker pool (module Web Workers) gives the same rows for 1 and 2 workers as inline', async () => {
  const workerUrl = new URL('../../dist/worker.js', import.meta.url);
  const opts = { seed: 'web', range: [0, 4] as [number, number], params: { n: 10_000 } };
  const inline = await nd.runTrials('core.normals', { ...opts, workers: 0 });
  for (const workers of [1, 2]) {
    expect(await nd.runTrials('core.normals', { ...opts, workers, workerUrl })).toEqual(inline);
  }
});

test('chromium: init() from a served URL', async () => {
  await nd.init({ wasm: new URL('../../dist/neurodyn.wasm', import.meta.url) });
  expect(nd.isInitialised()).toBe(true);
});
