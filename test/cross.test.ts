// Node side of the cross-runtime check: computes every case's fingerprint from the source and
// from the built package (they must agree), and writes build/cross/node.json for the Deno and
// Chromium suites to compare against.
import { mkdirSync, writeFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import * as src from '../src/index.js';
import { allCases, runCases } from './cross/index.ts';

test('cross-runtime fingerprints: source and built package agree; written for Deno and Chromium', async () => {
  const fromSrc = await runCases(src);
  const dist = await import('../dist/index.js');
  const fromDist = await runCases(dist as unknown as typeof src);
  expect(fromDist).toEqual(fromSrc);
  expect(Object.keys(fromSrc).length).toBe(Object.keys(allCases).length);
  mkdirSync('build/cross', { recursive: true });
  writeFileSync('build/cross/node.json', JSON.stringify(fromSrc, null, 1));
});
