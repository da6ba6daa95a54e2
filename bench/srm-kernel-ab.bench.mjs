// Kernel-only A/B of the SRM loops between two builds' dist/neurodyn.wasm, in ONE process, same
// inputs, interleaved, CPU time (process.cpuUsage), median of 21:
//   node bench/srm-kernel-ab.bench.mjs --old <old dist dir> [--new <dist dir, default dist>]
// Each build is called in its own convention: positional srmRun/srmOnline (before issue #14.3) or
// one parameter block (the slots of src/srm/layout.ts). Prints steps/s and whether both builds
// drew the same spikes. Without --old it prints a note and exits.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const arg = (name) => {
  const k = process.argv.indexOf(name);
  return k > 0 ? process.argv[k + 1] : undefined;
};
const oldDir = arg('--old');
if (!oldDir || !existsSync(resolve(oldDir, 'neurodyn.wasm'))) {
  console.log('srm-kernel-ab: pass --old <copy of another build dist/> to compare two kernels; skipped');
  process.exit(0);
}
const inst = (dir) =>
  new WebAssembly.Instance(new WebAssembly.Module(readFileSync(resolve(dir, 'neurodyn.wasm'))), {
    env: {
      abort() {
        throw new Error('abort');
      },
    },
  }).exports;
const O = inst(oldDir);
const N = inst(arg('--new') ?? 'dist');
const SLOTS = [
  'KPSP',
  'KADAPT',
  'ETA0',
  'INVDU',
  'LOGC',
  'KELIG',
  'ETA',
  'DT',
  'N',
  'STEPS',
  'T0',
  'FORM',
  'K0',
  'K1',
  'STREAM',
  'WT',
  'BIAS',
  'PHI',
  'ADAPT',
  'USYN',
  'CLAMP',
  'DATA',
  'SPIKES',
  'SCORE',
  'SBUF',
  'LL',
  'GB',
  'ELIG',
  'MASK',
  'SPK',
  'ST',
  'UBUF',
];
function setup(k, n, steps, withScore) {
  const a = (b) => k.alloc(b) >>> 0;
  const m = {
    n,
    wT: a(n * n * 8),
    bias: a(n * 8),
    state: a((8 * n + 2) * 8),
    spk: a(n * 4),
    spikes: a(steps * n),
    score: withScore ? a(steps * n * 8) : 0,
    elig: a(n * n * 8),
    blk: a(256),
  };
  const f = new Float64Array(k.memory.buffer, m.wT, n * n);
  for (let q = 0; q < n * n; q++) f[q] = (4 / Math.sqrt(n)) * (((q * 2654435761) % 1000) / 1000 - 0.5);
  return m;
}
const c = { kPsp: Math.exp(-0.1), kAdapt: Math.exp(-0.05), eta0: 3, invDu: 1, logC: Math.log(0.02) };
function runOld(k, m, steps, t0, elig) {
  const n = m.n,
    b = m.state;
  return k.srmRun(
    n,
    steps,
    t0,
    m.wT,
    m.bias,
    b,
    b + 8 * n,
    b + 16 * n,
    c.kPsp,
    c.kAdapt,
    c.eta0,
    c.invDu,
    c.logC,
    0,
    0,
    m.spikes,
    m.score,
    b + 24 * n,
    b + 32 * n,
    b + 40 * n,
    elig ? m.elig : 0,
    1,
    0,
    11,
    22,
    4,
    m.spk,
    b + 64 * n,
    1,
    b + 56 * n,
  );
}
function onlineOld(k, m, steps) {
  const n = m.n,
    b = m.state;
  return k.srmOnline(
    n,
    steps,
    0,
    m.wT,
    m.bias,
    b,
    b + 8 * n,
    b + 16 * n,
    c.kPsp,
    c.kAdapt,
    c.eta0,
    c.invDu,
    c.logC,
    0,
    0,
    m.spikes,
    b + 24 * n,
    b + 32 * n,
    b + 40 * n,
    m.elig,
    0.9,
    0,
    0,
    0,
    11,
    22,
    4,
    b + 64 * n,
    1,
    b + 56 * n,
  );
}
function blockCall(k, m, steps, t0, elig, online) {
  const n = m.n,
    b = m.state;
  const v = {
    KPSP: c.kPsp,
    KADAPT: c.kAdapt,
    ETA0: c.eta0,
    INVDU: c.invDu,
    LOGC: c.logC,
    KELIG: online ? 0.9 : 1,
    ETA: 0,
    DT: 1,
    N: n,
    STEPS: steps,
    T0: t0,
    FORM: 0,
    K0: 11,
    K1: 22,
    STREAM: 4,
    WT: m.wT,
    BIAS: m.bias,
    PHI: b,
    ADAPT: b + 8 * n,
    USYN: b + 16 * n,
    CLAMP: 0,
    DATA: 0,
    SPIKES: m.spikes,
    SCORE: m.score,
    SBUF: b + 24 * n,
    LL: b + 32 * n,
    GB: b + 40 * n,
    ELIG: elig || online ? m.elig : 0,
    MASK: 0,
    SPK: m.spk,
    ST: b + 64 * n,
    UBUF: b + 56 * n,
  };
  const f = new Float64Array(k.memory.buffer, m.blk, 32);
  SLOTS.forEach((s, i) => {
    f[i] = v[s];
  });
  return online ? k.srmOnline(m.blk) : k.srmRun(m.blk);
}
/** Calls a build in its own convention (positional before the block, one pointer after). */
const call = (k, m, steps, kind) => {
  if (k.srmRun.length === 1) return blockCall(k, m, steps, 0, kind === 'elig', kind === 'online');
  return kind === 'online' ? onlineOld(k, m, steps) : runOld(k, m, steps, 0, kind === 'elig');
};
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
for (const [n, steps, reps] of [
  [100, 100, 400],
  [1000, 100, 8],
]) {
  const mo = setup(O, n, steps, true),
    mn = setup(N, n, steps, true);
  const cases = {
    'srmRun (score rows)': [() => call(O, mo, steps, 'run'), () => call(N, mn, steps, 'run')],
    'srmRun + dense elig': [() => call(O, mo, steps, 'elig'), () => call(N, mn, steps, 'elig')],
    srmOnline: [() => call(O, mo, steps, 'online'), () => call(N, mn, steps, 'online')],
  };
  for (const [name, [fo, fn]] of Object.entries(cases)) {
    const t = { old: [], new: [] };
    for (let r = 0; r < 21; r++)
      for (const [lab, f] of [
        ['old', fo],
        ['new', fn],
      ]) {
        const t0 = cpu();
        for (let q = 0; q < reps; q++) f();
        t[lab].push((reps * steps) / (cpu() - t0));
      }
    const med = (a) => a.sort((x, y) => x - y)[a.length >> 1];
    const so = new Uint8Array(O.memory.buffer, mo.spikes, steps * n),
      sn = new Uint8Array(N.memory.buffer, mn.spikes, steps * n);
    let same = true;
    for (let q = 0; q < so.length; q++)
      if (so[q] !== sn[q]) {
        same = false;
        break;
      }
    console.log(
      `n=${n} ${name.padEnd(22)} old ${Math.round(med(t.old))} new ${Math.round(med(t.new))} steps/s  ×${(med(t.new) / med(t.old)).toFixed(3)}  spikes identical: ${same}`,
    );
  }
}
