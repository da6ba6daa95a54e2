// The SRM kernel's parameter block has one definition (scripts/gen-srm-layout.mjs) written to both
// sides of the boundary; this fails when a committed copy differs from a fresh generation, and
// checks the layout against the kernel itself: a block written by the facade's writer drives
// srmRun to the same spikes as the plain-TS reference fed the same values by name.
import { spawnSync } from 'node:child_process';
import { expect, test } from 'vitest';
import { Streams, seedToKey, srmReference } from '../../src/index.js';
import { kernel } from '../../src/kernel/load.js';
import { Region } from '../../src/kernel/region.js';
import { SRM_BLOCK, SRM_BLOCK_BYTES, writeSrmBlock } from '../../src/srm/layout.js';

test('assembly/srm/layout.ts and src/srm/layout.ts equal a fresh generation', () => {
  const r = spawnSync('node', ['scripts/gen-srm-layout.mjs', '--check'], { encoding: 'utf8' });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
});

test('layout: f64 fields 8-aligned, u32 fields after them, no overlap, within the block', () => {
  const offs = Object.values(SRM_BLOCK).sort((a, b) => a - b);
  expect(new Set(offs).size).toBe(offs.length);
  expect(offs[0]).toBe(0);
  expect(offs.at(-1)! + 4).toBeLessThanOrEqual(SRM_BLOCK_BYTES);
  expect(SRM_BLOCK_BYTES % 16).toBe(0);
  for (const f of ['kPsp', 'kAdapt', 'eta0', 'invDu', 'logC', 'kElig', 'eta', 'dt'] as const) expect(SRM_BLOCK[f] % 8).toBe(0);
});

test('a block written field by field drives srmRun like the TS reference given the same fields by name', () => {
  const k = kernel();
  const n = 5;
  const steps = 300;
  const key = seedToKey('layout');
  const w = Array.from({ length: n * n }, (_, q) => (q % (n + 1) === 0 ? 0 : ((q * 7) % 11) / 5 - 1));
  const wT = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) wT[j * n + i] = w[i * n + j];
  const c = { kPsp: Math.exp(-0.1), kAdapt: Math.exp(-0.05), eta0: 2, invDu: 1 / 0.8, logC: Math.log(0.05) };
  const wR = new Region(n * n * 8, 'test.w');
  const bR = new Region(n * 8, 'test.b');
  const st = new Region((8 * n + 2) * 8, 'test.state');
  const sp = new Region(steps * n, 'test.spikes');
  const spk = new Region(n * 4, 'test.spk');
  const blk = new Region(SRM_BLOCK_BYTES, 'test.block');
  try {
    wR.f64().set(wT);
    bR.f64(0, n).fill(-0.3);
    const base = st.ptr;
    writeSrmBlock(k.memory.buffer, blk.ptr, {
      ...c,
      kElig: 1,
      eta: 0,
      dt: 1,
      n,
      steps,
      t0: 0,
      form: 0,
      k0: key.k0,
      k1: key.k1,
      stream: Streams.spikes,
      wT: wR.ptr,
      bias: bR.ptr,
      phi: base,
      adapt: base + 8 * n,
      usyn: base + 16 * n,
      clamp: 0,
      data: 0,
      spikes: sp.ptr,
      score: 0,
      sbuf: base + 24 * n,
      ll: base + 32 * n,
      gb: 0,
      elig: 0,
      mask: 0,
      spk: spk.ptr,
      st: base + 64 * n,
      ubuf: base + 56 * n,
    });
    expect(k.srmRun(blk.ptr)).toBe(0);
    const ref = {
      clamp: null,
      data: null,
      spikes: new Uint8Array(steps * n),
      score: null,
      sbuf: new Float64Array(n),
      ll: new Float64Array(n),
      gb: null,
      elig: null,
      kElig: 1,
    };
    const state = {
      wT,
      bias: new Float64Array(n).fill(-0.3),
      phi: new Float64Array(n),
      adapt: new Float64Array(n),
      usyn: new Float64Array(n),
    };
    srmReference.srmRunRef({ n, ...c, form: 0, k0: key.k0, k1: key.k1, stream: Streams.spikes }, state, ref, steps, 0);
    expect(ref.spikes.reduce((a, b) => a + b, 0)).toBeGreaterThan(20);
    expect(Array.from(sp.u8(0, steps * n))).toEqual(Array.from(ref.spikes));
    const ll = st.f64(32 * n, n).reduce((a, b) => a + b, 0);
    expect(Math.abs(ll / ref.ll.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-12);
  } finally {
    for (const r of [wR, bR, st, sp, spk, blk]) r.free();
  }
});
