// NWB files validated against the NWB core schema itself, by hdmf's validator (Debian's
// python3-hdmf; pynwb is not packaged for Debian). The schema's YAML files are not part of this
// repository: point NEURODYN_NWB_SCHEMA at a directory holding nwb.namespace.yaml and the
// nwb.*.yaml files of NeurodataWithoutBorders/nwb-schema's core/ folder. A copy with required
// fields removed must fail, so the validator is known to look.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import * as nd from '../../src/index.js';
import { buildNetwork, PYTHON, pythonMissing, tempDir } from './helpers.js';

const SCHEMA = process.env.NEURODYN_NWB_SCHEMA;
function why(): string | null {
  const m = pythonMissing();
  if (m) return m;
  if (!SCHEMA || !existsSync(join(SCHEMA, 'nwb.namespace.yaml')))
    return 'NEURODYN_NWB_SCHEMA does not name a directory with the NWB core schema (nwb.namespace.yaml)';
  const r = spawnSync(PYTHON, ['-c', 'import hdmf'], { encoding: 'utf8' });
  if (r.status !== 0) return `${PYTHON} cannot import hdmf (apt-get install python3-hdmf)`;
  return null;
}
const skip = why();

// hdmf reads specs keyed data_type_*; NWB's YAML uses neurodata_type_*: small spec classes translate.
const VALIDATE = `
import sys, hdmf.common
from hdmf.spec import GroupSpec, DatasetSpec, NamespaceCatalog, SpecNamespace
from hdmf.build import BuildManager, TypeMap
from hdmf.backends.hdf5 import HDF5IO
from hdmf.validate import ValidatorMap
def tr(d):
    d = dict(d)
    for a, b in (('neurodata_type_def', 'data_type_def'), ('neurodata_type_inc', 'data_type_inc')):
        if a in d: d[b] = d.pop(a)
    return d
class DSpec(DatasetSpec):
    @classmethod
    def build_const_args(cls, s): return super().build_const_args(tr(s))
    @classmethod
    def def_key(cls): return 'neurodata_type_def'
    @classmethod
    def inc_key(cls): return 'neurodata_type_inc'
    @classmethod
    def type_key(cls): return 'neurodata_type'
class GSpec(GroupSpec):
    @classmethod
    def build_const_args(cls, s):
        s = tr(s); s['groups'] = [tr(g) for g in s.get('groups', [])]; s['datasets'] = [tr(g) for g in s.get('datasets', [])]
        return super().build_const_args(s)
    @classmethod
    def def_key(cls): return 'neurodata_type_def'
    @classmethod
    def inc_key(cls): return 'neurodata_type_inc'
    @classmethod
    def type_key(cls): return 'neurodata_type'
    @classmethod
    def dataset_spec_cls(cls): return DSpec
class Ns(SpecNamespace):
    @classmethod
    def types_key(cls): return 'neurodata_types'
tm = TypeMap(NamespaceCatalog(GSpec, DSpec, Ns))
tm.merge(hdmf.common.get_type_map(), ns_catalog=True)
tm.load_namespaces(sys.argv[2] + '/nwb.namespace.yaml')
ns = tm.namespace_catalog.get_namespace('core')
for path in sys.argv[3:]:
    with HDF5IO(path, manager=BuildManager(tm), mode='r') as io:
        errs = ValidatorMap(ns).validate(io.read_builder())
        print(len(errs), '|'.join(str(e) for e in errs))
`;

test.skipIf(skip !== null)(
  `writeNwb's file validates against the NWB core schema; a broken copy does not${skip ? ` (skipped: ${skip})` : ''}`,
  async () => {
    const dir = tempDir();
    const net = buildNetwork(nd);
    const mon = net.addSpikeMonitor();
    const st = net.addStateMonitor({ neurons: [0, 90], interval: 1 });
    net.run(200);
    const spikes = nd.io.spikeTable(mon.spikes(), { dt: net.dt, populations: net.populations() });
    const d = st.samples(); // long format, sample-major: row 2k + j is sample k of neuron j
    const v = d.v;
    const times = Array.from({ length: d.length / 2 }, (_, k) => d.time[2 * k]);
    const good = join(dir, 'good.nwb');
    await nd.io.writeNwb(spikes, good, {
      identifier: 'schema-test',
      timeSeries: [
        { name: 'v_timestamps', data: v, columns: 2, unit: 'dimensionless', times },
        { name: 'v_rate', data: v, columns: 2, unit: 'dimensionless', startTime: 0, interval: 1 },
      ],
    });
    net.dispose();
    const broken = join(dir, 'broken.nwb');
    copyFileSync(good, broken);
    const del = spawnSync(
      PYTHON,
      [
        '-c',
        `import h5py, sys\nf = h5py.File(sys.argv[1], 'a')\ndel f['session_start_time']\ndel f['units/spike_times_index'].attrs['target']`,
        broken,
      ],
      { encoding: 'utf8' },
    );
    expect(del.status, del.stderr).toBe(0);
    const r = spawnSync(PYTHON, ['-c', VALIDATE, 'x', SCHEMA as string, good, broken], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const [g, b] = r.stdout.trim().split('\n');
    expect(g).toBe('0 ');
    expect(b).toMatch(/^2 .*session_start_time.*argument missing.*target.*argument missing/);
  },
);
