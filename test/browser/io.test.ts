// Chromium: the BUILT package runs a network, writes its spikes as SONATA with h5wasm in the
// page's memory (Emscripten MEMFS, no file system), reads the bytes back: equal to the records.
import { expect, test } from 'vitest';
import * as nd from '../../dist/index.js';
import { sonataInMemory } from '../cross/io.ts';

test('chromium: SONATA written in memory by h5wasm reads back equal to the spike records', async () => {
  const r = await sonataInMemory(nd as never);
  expect(r.spikes).toBeGreaterThan(100);
  expect(r.populations.sort()).toEqual(['E', 'I']);
  expect(r.equal).toBe(true);
});

test('chromium: NPZ and CSV bytes in memory (a Blob for a download)', () => {
  const t = nd.makeTable('x', { time: { data: Float64Array.of(0.1, 0.2), unit: 'ms', description: 't' } });
  const blob = new Blob([nd.io.toNPZ(t) as Uint8Array<ArrayBuffer>]);
  expect(blob.size).toBeGreaterThan(128);
  expect(nd.io.toCSV(t)).toBe('time (ms)\n0.1\n0.2\n');
});
