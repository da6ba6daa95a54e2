// NIR export and import: round trips give identical spikes on the same seed, foreign features
// are refused by name, and a graph written independently by h5py (NIR's own layout) imports and
// runs with the documented parameter mapping (checked against closed-form CubaLIF solutions).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import * as nd from '../../src/index.js';
import { buildNetwork, PYTHON, pythonMissing, tempDir } from './helpers.js';

const { io } = nd;

function spikesOf(net: nd.LifNetwork, ms: number) {
  const m = net.addSpikeMonitor();
  net.run(ms);
  const s = m.spikes();
  return { neuron: s.neuron, step: s.step, offset: s.offset };
}

describe('NIR round trip', () => {
  test('noise-free network: export → import gives bit-identical spikes', async () => {
    const a = buildNetwork(nd, { sigma: 0 });
    const bytes = await io.exportNir(a);
    const ref = spikesOf(a, 300);
    a.dispose();
    const b = await io.importNir(bytes!);
    const got = spikesOf(b, 300);
    b.dispose();
    expect(ref.neuron.length).toBeGreaterThan(200);
    expect(got.neuron).toEqual(ref.neuron);
    expect(got.step).toEqual(ref.step);
    expect(got.offset).toEqual(ref.offset);
  });

  test('noisy network: refused by default, naming the feature; kept as metadata on request and identical on the same seed', async () => {
    const a = buildNetwork(nd);
    await expect(io.exportNir(a)).rejects.toThrow(/noise \(sigma\)/);
    const bytes = await io.exportNir(a, undefined, { unsupported: 'metadata', timeUnit: 'ms' });
    const ref = spikesOf(a, 300);
    a.dispose();
    const b = await io.importNir(bytes!, { seed: 7 });
    const got = spikesOf(b, 300);
    b.dispose();
    expect(got.neuron).toEqual(ref.neuron);
    expect(got.offset).toEqual(ref.offset);
  });
});

describe('NIR import: refusals name the node type', () => {
  const missing = pythonMissing();
  test.skipIf(missing !== null)(
    `unsupported primitives and external input through weights are refused ${missing ? `(skipped: ${missing})` : ''}`,
    () => {
      const dir = tempDir();
      const write = (name: string, body: string) => {
        const file = join(dir, name);
        const r = spawnSync(PYTHON, ['-c', `${PY_WRITER}\n${body}`, file], { encoding: 'utf8' });
        if (r.status !== 0) throw new Error(r.stderr);
        return file;
      };
      const conv = write(
        'conv.nir',
        `nodes = {'input': ('Input', {'shape': np.array([4])}), 'c': ('Conv1d', {'weight': np.ones((1, 1, 2))}), 'output': ('Output', {'shape': np.array([3])})}
write(nodes, [('input', 'c'), ('c', 'output')])`,
      );
      return Promise.all([
        expect(io.importNir(conv, { dt: 0.1 })).rejects.toThrow("NIR node 'c' has type 'Conv1d'"),
        expect(
          io.importNir(
            write(
              'ext.nir',
              `nodes = {'input': ('Input', {'shape': np.array([2])}), 'fc': ('Affine', {'weight': np.ones((3, 2)), 'bias': np.zeros(3)}),
  'p': ('CubaLIF', {'tau_mem': np.full(3, 0.02), 'tau_syn': np.full(3, 0.005), 'r': np.ones(3), 'v_leak': np.zeros(3), 'v_threshold': np.ones(3), 'w_in': np.ones(3)}),
  'output': ('Output', {'shape': np.array([3])})}
write(nodes, [('input', 'fc'), ('fc', 'p'), ('p', 'output')])`,
            ),
            { dt: 0.1 },
          ),
        ).rejects.toThrow(/zero weights from an Input node/),
      ]);
    },
  );
});

// h5py writer following nir/serialization.py's layout: /version, /node/{type, nodes/<name>/{type, params}, edges}.
const PY_WRITER = `
import sys, h5py, numpy as np
def write(nodes, edges):
    with h5py.File(sys.argv[1], 'w') as f:
        f.create_dataset('version', data='1.0.8', dtype=h5py.string_dtype())
        g = f.create_group('node')
        g.create_dataset('type', data='NIRGraph', dtype=h5py.string_dtype())
        ns = g.create_group('nodes')
        for name, (typ, params) in nodes.items():
            n = ns.create_group(name)
            n.create_dataset('type', data=typ, dtype=h5py.string_dtype())
            for k, v in params.items():
                n.create_dataset(k, data=v)
        g.create_dataset('edges', data=np.array(edges, dtype=object), dtype=h5py.string_dtype())
`;

describe('NIR import of a graph written independently by h5py', () => {
  const missing = pythonMissing();
  test.skipIf(missing !== null)(
    `CubaLIF parameters (s) map to tauMem, tauSyn (ms), r·w_in scale the current: spike time and PSP match the closed form ${missing ? `(skipped: ${missing})` : ''}`,
    async () => {
      // lif1: driven by a bias b through an Affine from the input; lif2: driven only by lif1's spikes.
      // NIR (s): τ_syn dI/dt = −I + w_in·S, τ_mem dv/dt = (v_leak − v) + r·I; spikes are Dirac pulses.
      const tm1 = 0.02,
        ts1 = 0.005,
        r1 = 2,
        w1 = 0.5,
        b = 1.5,
        th1 = 1;
      const tm2 = 0.01,
        ts2 = 0.004,
        r2 = 3,
        w2 = 0.25,
        W = 0.002,
        th2 = 100;
      const file = join(tempDir(), 'indep.nir');
      const r = spawnSync(
        PYTHON,
        [
          '-c',
          `${PY_WRITER}
a = lambda x: np.array([x], dtype=np.float64)
nodes = {
  'input': ('Input', {'shape': np.array([1])}),
  'drive': ('Affine', {'weight': np.zeros((1, 1)), 'bias': a(${b})}),
  'lif1': ('CubaLIF', {'tau_mem': a(${tm1}), 'tau_syn': a(${ts1}), 'r': a(${r1}), 'v_leak': a(0), 'v_threshold': a(${th1}), 'v_reset': a(0), 'w_in': a(${w1})}),
  'syn': ('Linear', {'weight': np.array([[${W}]])}),
  'lif2': ('CubaLIF', {'tau_mem': a(${tm2}), 'tau_syn': a(${ts2}), 'r': a(${r2}), 'v_leak': a(0), 'v_threshold': a(${th2}), 'w_in': a(${w2})}),
  'output': ('Output', {'shape': np.array([1])}),
}
write(nodes, [('input', 'drive'), ('drive', 'lif1'), ('lif1', 'syn'), ('syn', 'lif2'), ('lif2', 'output')])`,
          file,
        ],
        { encoding: 'utf8' },
      );
      expect(r.status, r.stderr).toBe(0);
      const net = await io.importNir(file, { dt: 0.01, integrator: 'exact', spikeRule: 'hermite' });
      const mon = net.addSpikeMonitor();
      const st = net.addStateMonitor({ neurons: [1], interval: 0.01 });
      net.run(60);
      // lif1 from rest (v = I = 0) under constant input: I(t) = w_in·b(1 − e^{−t/τs}),
      // v(t) = r·w_in·b·[1 − (τm e^{−t/τm} − τs e^{−t/τs})/(τm − τs)]; first crossing of th1 by bisection.
      const tm = tm1 * 1000,
        ts = ts1 * 1000;
      const v1 = (t: number) => r1 * w1 * b * (1 - (tm * Math.exp(-t / tm) - ts * Math.exp(-t / ts)) / (tm - ts));
      let lo = 0,
        hi = 60;
      for (let k = 0; k < 200; k++) v1((lo + hi) / 2) < th1 ? (lo = (lo + hi) / 2) : (hi = (lo + hi) / 2);
      const times = mon.timesOf(0);
      expect(times.length).toBeGreaterThan(1);
      expect(Math.abs(times[0] - lo)).toBeLessThan(1e-6);
      // lif2: each lif1 spike is a Dirac pulse of weight W into τ_syn dI/dt = −I + w_in·S, so I jumps by
      // w_in·W/τ_syn (1/s), and v responds with r·ΔI·(e^{−t/τm} − e^{−t/τs})/((τm − τs)/τm·… ) — in ms:
      // dV/dt = −V/τm + (r/τm)·I, I(t) = ΔI e^{−t/τs} ⇒ V(t) = (r/τm)ΔI·(e^{−t/τm} − e^{−t/τs})/(1/τs − 1/τm).
      const tm2ms = tm2 * 1000,
        ts2ms = ts2 * 1000;
      const dI = (w2 * W) / ts2; // per spike, NIR current units
      const psp = (t: number) =>
        t <= 0 ? 0 : ((r2 / tm2ms) * dI * (Math.exp(-t / tm2ms) - Math.exp(-t / ts2ms))) / (1 / ts2ms - 1 / tm2ms);
      const d = st.samples(); // one neuron: row k is sample k
      let worst = 0;
      let peak = 0;
      d.time.forEach((t, k) => {
        const expect_ = times.reduce((acc, tk) => acc + psp(t - tk), 0);
        peak = Math.max(peak, expect_);
        worst = Math.max(worst, Math.abs(d.v[k] - expect_));
      });
      expect(peak).toBeGreaterThan(0.01);
      expect(worst / peak).toBeLessThan(1e-9);
      net.dispose();
    },
  );
});
