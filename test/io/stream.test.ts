// Streaming: a run of more than 10^6 spikes streamed to disk keeps the spike monitor under a
// stated bound, and the files hold every spike; a cancelled run leaves valid files with what
// was computed. Independent check: Debian's h5py/numpy count and compare the rows.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import * as nd from '../../src/index.js';
import { hex, py, pythonMissing, tempDir } from './helpers.js';

const { io } = nd;
const missing = pythonMissing();

// 10^4 uncoupled noisy neurons, V∞ = μτ = 6: period τ ln(6/5) + tRef ≈ 5.6 ms (≈ 178 Hz), refractory
// 2 ms (≤ 5 spikes per neuron in one kernel call of ≤ 100 steps of 0.1 ms), 600 ms: ≈ 1.07·10^6 spikes.
const N = 10_000;
const MAX = 65_536;
const BOUND = MAX + 5 * N; // records the monitor may hold: maxRecords + one kernel call's spikes
function network() {
  const net = new nd.LifNetwork({ dt: 0.1, integrator: 'exact', seed: 3 });
  net.addPopulation('A', N / 2, { tauMem: 20, tauSyn: 5, mu: 0.3, sigma: 0.01, tRef: 2, v0: { uniform: [0, 1] } });
  net.addPopulation('B', N / 2, { tauMem: 20, tauSyn: 5, mu: 0.3, sigma: 0.01, tRef: 2, v0: { uniform: [0, 1] } });
  return net;
}

describe('streaming to disk', () => {
  test.skipIf(missing !== null)(
    `> 10^6 spikes to SONATA, CSV and NPY: monitor holds ≤ ${BOUND} records (vs all of them), files hold every spike${missing ? ` (skipped: ${missing})` : ''}`,
    async () => {
      const dir = tempDir();
      const net = network();
      const pops = net.populations();
      const sonata = await io.createSonataSink({ path: join(dir, 'spikes.h5'), populations: pops, flush: false });
      const csv = await io.createTableSink({ format: 'csv', path: join(dir, 'spikes.csv') });
      const npy = await io.createTableSink({ format: 'npy', path: join(dir, 'spikes') });
      // One monitor per sink, each drained on its own.
      const streams = [sonata, csv, npy].map((sink) => io.streamSpikes(net.addSpikeMonitor(), sink, { dt: net.dt, maxRecords: MAX }));
      net.run(600, {
        onProgress: () => {
          for (const s of streams) s.onProgress();
        },
      });
      const results = streams.map((s) => s.close());
      const total = net.spikeCount;
      net.dispose();
      expect(total).toBeGreaterThan(1_000_000);
      for (const s of streams) {
        expect(s.written).toBe(total);
        expect(s.maxHeld).toBeGreaterThanOrEqual(MAX);
        expect(s.maxHeld).toBeLessThanOrEqual(BOUND);
      }
      expect(results.map((r) => r.rows)).toEqual([total, total, total]);
      const r = py<{ sonata: number; pops: string[]; csv: number; npy: number; npyLastTime: string; sorted: boolean }>(
        `import sys, json, h5py, numpy as np
f = h5py.File(sys.argv[1] + '/spikes.h5', 'r')
n = sum(f['spikes'][p]['timestamps'].shape[0] for p in f['spikes'])
rows = sum(1 for _ in open(sys.argv[1] + '/spikes.csv')) - 1
t = np.load(sys.argv[1] + '/spikes.time.npy')
step = np.load(sys.argv[1] + '/spikes.step.npy')
print(json.dumps({'sonata': n, 'pops': sorted(f['spikes'].keys()), 'csv': rows, 'npy': int(t.shape[0]),
  'npyLastTime': t[-1:].tobytes().hex(), 'sorted': bool(np.all(np.diff(step) >= 0))}))`,
        dir,
      );
      expect(r).toMatchObject({ sonata: total, pops: ['A', 'B'], csv: total, npy: total, sorted: true });
      const last = readFileSync(join(dir, 'spikes.csv'), 'utf8').trimEnd().split('\n').pop()!.split(',');
      expect(r.npyLastTime).toBe(hex(Float64Array.of(Number(last[1]))));
    },
  );

  test.skipIf(missing !== null)(
    `a cancelled run leaves valid files holding every spike computed before the abort${missing ? ` (skipped: ${missing})` : ''}`,
    async () => {
      const dir = tempDir();
      const net = network();
      const sonata = await io.createSonataSink({ path: join(dir, 'partial.h5'), populations: net.populations() });
      const npy = await io.createTableSink({ format: 'npy', path: join(dir, 'partial') });
      const s1 = io.streamSpikes(net.addSpikeMonitor(), sonata, { dt: net.dt, maxRecords: 10_000 });
      const s2 = io.streamSpikes(net.addSpikeMonitor(), npy, { dt: net.dt, maxRecords: 10_000 });
      const ac = new AbortController();
      let err: unknown;
      try {
        net.run(600, {
          signal: ac.signal,
          onProgress: (p) => {
            s1.onProgress();
            s2.onProgress();
            if (p.time >= 200) ac.abort();
          },
        });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(nd.AbortedError);
      // Before close: the NPY files already name every row written so far.
      const before = py<{ n: number }>(
        `import sys, json, numpy as np; print(json.dumps({'n': int(np.load(sys.argv[1]).shape[0])}))`,
        join(dir, 'partial.time.npy'),
      );
      expect(before.n).toBe(s2.written);
      s1.close();
      s2.close();
      const total = net.spikeCount;
      expect(net.time).toBeLessThan(600);
      net.dispose();
      const after = py<{ sonata: number; npy: number }>(
        `import sys, json, h5py, numpy as np
f = h5py.File(sys.argv[1] + '/partial.h5', 'r')
print(json.dumps({'sonata': sum(f['spikes'][p]['node_ids'].shape[0] for p in f['spikes']), 'npy': int(np.load(sys.argv[1] + '/partial.neuron.npy').shape[0])}))`,
        dir,
      );
      expect(total).toBeGreaterThan(100_000);
      expect(after).toEqual({ sonata: total, npy: total });
    },
  );
});
