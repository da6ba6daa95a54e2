// Read-back by independent readers: Debian's python3-h5py and python3-numpy open what the
// library writes, and the values equal the library's spike records bit for bit (hex of the
// IEEE-754 bytes). Also runs examples/node/export.mjs against the built package.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import * as nd from '../../src/index.js';
import { buildNetwork, hex, py, pythonMissing, tempDir } from './helpers.js';

const { io } = nd;
const missing = pythonMissing();
const why = missing ? ` (skipped: ${missing})` : '';

let dir = '';
let spikes: nd.Table;
let pops: { name: string; start: number; size: number }[];

beforeAll(async () => {
  dir = tempDir();
  const net = buildNetwork(nd);
  const mon = net.addSpikeMonitor();
  net.run(500);
  pops = net.populations();
  spikes = io.spikeTable(mon.spikes(), { dt: net.dt, populations: pops });
  await io.writeTable(spikes, join(dir, 'spikes.csv'));
  await io.writeTable(spikes, join(dir, 'spikes.npz'));
  await io.writeSonata(spikes, join(dir, 'spikes.h5'), { populations: pops });
  await io.writeNwb(spikes, join(dir, 'session.nwb'), {
    populations: pops,
    identifier: 'readback',
    sessionStartTime: '2026-01-01T00:00:00Z',
  });
  await io.exportNir(net, join(dir, 'network.nir'), { unsupported: 'metadata' });
  net.dispose();
});

const col = (name: string) => spikes.column(name).data;

describe.skipIf(missing !== null)(`Python read-back (h5py, numpy)${why}`, () => {
  test('NPZ: numpy.load gives every column with its dtype, bit for bit; CSV parses to the same f64 times', () => {
    const r = py<Record<string, { dtype: string; hex: string }>>(
      `import sys, json, numpy as np
z = np.load(sys.argv[1])
out = {k: {'dtype': str(z[k].dtype), 'hex': z[k].tobytes().hex()} for k in z.files if not k.endswith('.json')}
out['csv_time'] = {'dtype': 'csv', 'hex': np.loadtxt(sys.argv[2], delimiter=',', skiprows=1, usecols=1).astype('<f8').tobytes().hex()}
out['units'] = {'dtype': 'json', 'hex': json.dumps(json.loads(bytes(z['meta.json']).decode())['units'])}
print(json.dumps(out))`,
      join(dir, 'spikes.npz'),
      join(dir, 'spikes.csv'),
    );
    expect(r.neuron).toEqual({ dtype: 'int32', hex: hex(col('neuron')) });
    expect(r.time).toEqual({ dtype: 'float64', hex: hex(col('time')) });
    expect(r.offset.hex).toBe(hex(col('offset')));
    expect(r.csv_time.hex).toBe(hex(col('time')));
    expect(JSON.parse(r.units.hex)).toMatchObject({ time: 'ms', neuron: '' });
  });

  test('SONATA: /spikes/<pop>/timestamps (ms, f64) and node_ids (u64), sorted by time, equal the records', () => {
    const r = py<Record<string, { sorting: string; units: string; tdtype: string; ndtype: string; t: string; n: number[] }>>(
      `import sys, json, h5py
f = h5py.File(sys.argv[1], 'r')
out = {}
for name, g in f['spikes'].items():
    out[name] = {'sorting': g.attrs['sorting'], 'units': g['timestamps'].attrs['units'], 'tdtype': str(g['timestamps'].dtype),
                 'ndtype': str(g['node_ids'].dtype), 't': g['timestamps'][()].tobytes().hex(), 'n': g['node_ids'][()].tolist()}
print(json.dumps(out))`,
      join(dir, 'spikes.h5'),
    );
    expect(Object.keys(r).sort()).toEqual(['E', 'I']);
    const neuron = col('neuron');
    const time = col('time') as Float64Array;
    for (const p of pops) {
      const idx = [...neuron.keys()].filter((k) => neuron[k] >= p.start && neuron[k] < p.start + p.size);
      idx.sort((a, b) => time[a] - time[b] || neuron[a] - neuron[b] || a - b);
      expect(r[p.name]).toMatchObject({ sorting: 'by_time', units: 'ms', tdtype: 'float64', ndtype: 'uint64' });
      expect(r[p.name].t).toBe(hex(Float64Array.from(idx, (k) => time[k])));
      expect(r[p.name].n).toEqual(idx.map((k) => neuron[k] - p.start));
    }
  });

  test('NWB: required file fields, typed Units table; spike_times (s) per unit equal the records / 1000', () => {
    const r = py<Record<string, unknown>>(
      `import sys, json, h5py
f = h5py.File(sys.argv[1], 'r')
s = lambda v: v.decode() if isinstance(v, bytes) else v
req = ['file_create_date', 'identifier', 'session_description', 'session_start_time', 'timestamps_reference_time',
       'acquisition', 'analysis', 'processing', 'stimulus/presentation', 'stimulus/templates', 'general']
u = f['units']
typed = {k: [s(o.attrs.get('neurodata_type')), s(o.attrs.get('namespace')), len(s(o.attrs.get('object_id')) or '')]
         for k, o in [('/', f), ('units', u), ('id', u['id']), ('spike_times', u['spike_times']), ('spike_times_index', u['spike_times_index'])]}
print(json.dumps({
  'root': {k: s(f.attrs[k]) for k in ['nwb_version', 'neurodata_type', 'namespace']},
  'missing': [k for k in req if k not in f],
  'typed': typed,
  'colnames': [s(c) for c in u.attrs['colnames']],
  'target_ok': f[u['spike_times_index'].attrs['target']].name == '/units/spike_times',
  'ids': u['id'][()].tolist(),
  'index': u['spike_times_index'][()].tolist(),
  'times': u['spike_times'][()].tobytes().hex(),
  'start': s(f['session_start_time'][()]),
}))`,
      join(dir, 'session.nwb'),
    );
    expect(r.root).toEqual({ nwb_version: '2.7.0', neurodata_type: 'NWBFile', namespace: 'core' });
    expect(r.missing).toEqual([]);
    expect(r.typed).toEqual({
      '/': ['NWBFile', 'core', 36],
      units: ['Units', 'core', 36],
      id: ['ElementIdentifiers', 'hdmf-common', 36],
      spike_times: ['VectorData', 'hdmf-common', 36],
      spike_times_index: ['VectorIndex', 'hdmf-common', 36],
    });
    expect(r.colnames).toEqual(['spike_times', 'population']);
    expect(r.target_ok).toBe(true);
    expect(r.start).toBe('2026-01-01T00:00:00.000Z');
    const neuron = col('neuron');
    const time = col('time') as Float64Array;
    const expected: number[] = [];
    const index: number[] = [];
    for (let j = 0; j < 100; j++) {
      const ts = [...neuron.keys()].filter((k) => neuron[k] === j).map((k) => time[k]);
      ts.sort((a, b) => a - b);
      expected.push(...ts.map((t) => t / 1000));
      index.push(expected.length);
    }
    expect(r.ids).toEqual([...Array(100).keys()]);
    expect(r.index).toEqual(index);
    expect(r.times).toBe(hex(Float64Array.from(expected)));
  });

  test('NIR: /version and /node with the groups and datasets nir/serialization.py reads for each node type', () => {
    const r = py<{ problems: string[]; types: Record<string, string>; edges: number }>(
      `import sys, json, h5py
f = h5py.File(sys.argv[1], 'r')
s = lambda v: v.decode() if isinstance(v, bytes) else v
need = {'Input': ['shape'], 'Output': ['shape'], 'Affine': ['weight', 'bias'], 'Linear': ['weight'], 'Delay': ['delay'],
        'CubaLIF': ['tau_mem', 'tau_syn', 'r', 'v_leak', 'v_threshold', 'w_in']}
problems = []
if 'version' not in f: problems.append('no /version')
g = f['node']
if s(g['type'][()]) != 'NIRGraph': problems.append('node/type')
types = {}
for name, n in g['nodes'].items():
    t = s(n['type'][()]); types[name] = t
    for k in need.get(t, ['?']):
        if k not in n: problems.append(name + ' lacks ' + k)
    if t in ('Linear', 'Affine') and n['weight'].ndim != 2: problems.append(name + ' weight not 2-D')
e = g['edges'][()]
if e.ndim != 2 or e.shape[1] != 2: problems.append('edges not n x 2')
for a, b in e:
    for x in (s(a), s(b)):
        if x not in types: problems.append('edge to unknown ' + x)
print(json.dumps({'problems': problems, 'types': types, 'edges': int(e.shape[0])}))`,
      join(dir, 'network.nir'),
    );
    expect(r.problems).toEqual([]);
    expect(r.types.E).toBe('CubaLIF');
    expect(r.types.I).toBe('CubaLIF');
    expect(r.types.input).toBe('Input');
    expect(Object.values(r.types).filter((t) => t === 'Linear')).toHaveLength(4);
    expect(Object.values(r.types).filter((t) => t === 'Delay')).toHaveLength(1);
  });
});

describe('examples/node/export.mjs', () => {
  test('writes the five files and reports the spike count of the seeded network', () => {
    const out = tempDir();
    const r = spawnSync('node', ['examples/node/export.mjs', '--out', out, '--quick'], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    const j = JSON.parse(lines[lines.length - 1]);
    expect(Object.keys(j.files).sort()).toEqual(['csv', 'nir', 'npz', 'nwb', 'sonata']);
    // The same network built in the test from the sources, 200 ms: the same spikes.
    const net = buildNetwork(nd);
    const mon = net.addSpikeMonitor();
    net.run(200);
    expect(j.spikes).toBe(mon.count);
    net.dispose();
    const csv = readFileSync(j.files.csv, 'utf8').trim().split('\n');
    expect(csv[0]).toBe('neuron,time (ms),step,offset (1),A (voltage/ms)');
    expect(csv.length - 1).toBe(j.spikes);
    for (const k of ['sonata', 'nwb', 'nir'])
      expect(readFileSync(j.files[k]).subarray(0, 4)).toEqual(Buffer.from([0x89, 0x48, 0x44, 0x46]));
  });
});
