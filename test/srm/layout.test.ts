// The SRM kernel's parameter block has one definition (the 'srm' family of scripts/layout.def.mjs)
// written to both sides of the boundary; this fails when a committed copy differs from a fresh
// generation, and checks the layout against the kernel itself: a block written slot by slot drives
// srmRun to the same spikes as the plain-TS reference fed the same values by name.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { Streams, seedToKey, srmReference } from '../../src/index.js';
import { kernel } from '../../src/kernel/load.js';
import { Region } from '../../src/kernel/region.js';
import { B } from '../../src/srm/layout.js';

test('the SRM block has one definition in scripts/layout.def.mjs; the generated copies are fresh and agree', () => {
  const r = spawnSync('node', ['scripts/gen-layout.mjs', '--check'], { encoding: 'utf8' });
  expect(r.stdout).toMatch(/fresh/);
  expect(r.status).toBe(0);
  const asm = readFileSync('assembly/srm/index.ts', 'utf8');
  // every facade slot is the kernel's byte offset / 8
  for (const [name, slot] of Object.entries(B)) {
    if (name === 'SIZE') continue;
    expect(asm).toContain(`const SRM_${name}: usize = ${slot * 8};`);
  }
});

test('layout: one f64 slot per field, no overlap, SIZE covers them', () => {
  const slots = Object.entries(B)
    .filter(([k]) => k !== 'SIZE')
    .map(([, v]) => v)
    .sort((a, b) => a - b);
  expect(slots).toEqual(Array.from({ length: slots.length }, (_, i) => i));
  expect(B.SIZE).toBe(slots.length);
});

test('a block written slot by slot drives srmRun like the TS reference given the same fields by name', () => {
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
  const blk = new Region(B.SIZE * 8, 'test.block');
  try {
    wR.f64().set(wT);
    bR.f64(0, n).fill(-0.3);
    const base = st.ptr;
    const f = blk.f64(0, B.SIZE);
    f[B.KPSP] = c.kPsp;
    f[B.KADAPT] = c.kAdapt;
    f[B.ETA0] = c.eta0;
    f[B.INVDU] = c.invDu;
    f[B.LOGC] = c.logC;
    f[B.KELIG] = 1;
    f[B.DT] = 1;
    f[B.N] = n;
    f[B.STEPS] = steps;
    f[B.K0] = key.k0;
    f[B.K1] = key.k1;
    f[B.STREAM] = Streams.spikes;
    f[B.WT] = wR.ptr;
    f[B.BIAS] = bR.ptr;
    f[B.PHI] = base;
    f[B.ADAPT] = base + 8 * n;
    f[B.USYN] = base + 16 * n;
    f[B.SPIKES] = sp.ptr;
    f[B.SBUF] = base + 24 * n;
    f[B.LL] = base + 32 * n;
    f[B.SPK] = spk.ptr;
    f[B.ST] = base + 64 * n;
    f[B.UBUF] = base + 56 * n;
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
