// The CLI's --format: data files come from the library's exporters, result.json names them
// instead of repeating the arrays, and h5py/numpy read the same spike count the run reports.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { py, pythonMissing, tempDir } from './helpers.js';

const BIN = new URL('../../bin/neurodyn.mjs', import.meta.url).pathname;
const missing = pythonMissing();

function cli(args: string[]) {
  return spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 120_000 });
}

test.skipIf(missing !== null)(
  `--format npy,sonata,nwb writes spikes.npz, spikes.sonata.h5 and session.nwb; result.json names them${missing ? ` (skipped: ${missing})` : ''}`,
  () => {
    const dir = tempDir();
    const exp = JSON.parse(readFileSync('examples/cli/noisy-population.json', 'utf8'));
    exp.duration = 200;
    const file = join(dir, 'exp.json');
    writeFileSync(file, JSON.stringify(exp));
    const out = join(dir, 'out');
    const r = cli(['run', file, '--out', out, '--format', 'npy,sonata,nwb', '--quiet']);
    expect(r.status, r.stderr).toBe(0);
    const res = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8'));
    const n = res.summary.spikes;
    expect(n).toBeGreaterThan(0);
    expect(res.spikes).toEqual({ count: n, files: ['spikes.npz', 'spikes.sonata.h5', 'session.nwb'] });
    expect(res.files).not.toContain('spikes.csv');
    const counts = py<{ npz: number; sonata: number; nwb: number }>(
      `import sys, json, h5py, numpy as np
d = sys.argv[1]
s = h5py.File(d + '/spikes.sonata.h5', 'r')['spikes']
print(json.dumps({'npz': int(np.load(d + '/spikes.npz')['time'].shape[0]),
  'sonata': sum(g['timestamps'].shape[0] for g in s.values()),
  'nwb': int(h5py.File(d + '/session.nwb', 'r')['units/spike_times'].shape[0])}))`,
      out,
    );
    expect(counts).toEqual({ npz: n, sonata: n, nwb: n });
  },
);

test('--format with an unknown format exits 2 naming it', () => {
  const r = cli(['run', 'examples/cli/noisy-population.json', '--format', 'csv,hdf']);
  expect(r.status).toBe(2);
  expect(r.stderr).toMatch(/--format: expected a comma-separated list of csv, npy, sonata, nwb, got "hdf"/);
});
