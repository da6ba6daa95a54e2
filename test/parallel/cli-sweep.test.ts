// `neurodyn sweep | shard | status | merge`: the job script, strict flags, local runs, and the
// Slurm back end's logic (submit, follow, resubmit a failed shard, merge) against stand-ins for
// sbatch/squeue/sacct/scontrol (test/parallel/fixtures/fake-slurm) that run array tasks at once.
// The real cluster is exercised by slurm.test.ts. The tests run in order and share one work
// directory (later ones read the earlier ones' sweeps).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { io } from '../../src/index.js';

const ROOT = resolve(import.meta.dirname, '../..');
const FAKE = join(ROOT, 'test/parallel/fixtures/fake-slurm');
const work = mkdtempSync(join(tmpdir(), 'nd-cli-sweep-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

// --json: stdout holds one JSON document (the result, or the error), messages stay on stderr.
function cli(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, ['bin/neurodyn.mjs', ...args, '--json'], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  const lines = (r.stdout ?? '').trim().split('\n');
  let json: Record<string, unknown> | null = null;
  try {
    json = JSON.parse(lines[lines.length - 1]);
  } catch {
    json = null;
  }
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, json };
}

const spec = {
  kind: 'sweep',
  name: 'cli-test',
  task: { module: '../test/parallel/fixtures/trials.mjs', task: 'moments' },
  params: { n: [10, 100] },
  trials: 3,
  seed: 'cli',
  slurm: { shards: 3 },
};
const specFile = join(work, 'spec.json');
writeFileSync(specFile, JSON.stringify({ ...spec, task: { module: join(ROOT, 'test/parallel/fixtures/trials.mjs'), task: 'moments' } }));

describe('neurodyn sweep --slurm --dry-run', () => {
  test('examples/cli/sweep.json: an array job with one index per shard, absolute paths, resources from the spec', () => {
    const r = cli(['sweep', 'examples/cli/sweep.json', '--slurm', '--dry-run']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^#!\/bin\/bash\n/);
    expect(r.stdout).toContain('#SBATCH --array=0-3\n');
    expect(r.stdout).toContain('#SBATCH --time=00:10:00\n');
    expect(r.stdout).toContain('#SBATCH --cpus-per-task=1\n');
    expect(r.stdout).toContain('#SBATCH --mem=1G\n');
    expect(r.stdout).toContain(
      `exec '${process.execPath}' '${join(ROOT, 'bin/neurodyn.mjs')}' shard '${join(ROOT, 'out/ei-rates')}' "$SLURM_ARRAY_TASK_ID"`,
    );
    expect(existsSync(join(ROOT, 'out/ei-rates/job.sh'))).toBe(false); // a dry run writes nothing
  });

  test('flags override the spec; shards are capped at the number of (point, trial) pairs', () => {
    const r = cli([
      'sweep',
      specFile,
      '--slurm',
      '--dry-run',
      '--partition',
      'gpu',
      '--time',
      '1:00:00',
      '--cpus-per-task',
      '2',
      '--mem',
      '2G',
      '--shards',
      '50',
      '--out',
      '/x y/z',
    ]);
    expect(r.code, r.stderr).toBe(0);
    for (const line of ['--array=0-5', '--partition=gpu', '--time=1:00:00', '--cpus-per-task=2', '--mem=2G', '--chdir=/x y/z'])
      expect(r.stdout).toContain(`#SBATCH ${line}\n`);
    expect(r.stdout).toContain("shard '/x y/z'");
  });

  test('unknown or misplaced flags and bad specs exit with code 2 and say why', () => {
    expect(cli(['sweep', specFile, '--slurm', '--partitoin', 'x']).stderr).toMatch(
      /unknown option --partitoin \(did you mean --partition\?\)/,
    );
    expect(cli(['sweep', specFile, '--slurm', '--partitoin', 'x']).code).toBe(2);
    expect(cli(['sweep', specFile, '--dry-run']).stderr).toMatch(/--dry-run needs --slurm/);
    expect(cli(['sweep', specFile, '--slurm', '--workers', '2']).code).toBe(2);
    expect(cli(['sweep', specFile, '--range', '5:2']).stderr).toMatch(/--range: expected 0 <= A <= B <= 6/);
    expect(cli(['sweep', specFile, '--slurm', '--dry-run', '--shards', '0']).stderr).toMatch(
      /--shards: expected an integer in \[1, 100000\]/,
    );
    const bad = join(work, 'bad.json');
    writeFileSync(bad, JSON.stringify({ ...spec, trails: 3 }));
    const r = cli(['sweep', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/trails: unknown field/);
    writeFileSync(bad, JSON.stringify({ ...spec, params: { n: [] } }));
    expect(cli(['sweep', bad]).stderr).toMatch(/params.n: expected a non-empty array/);
    expect(cli(['status', join(work, 'nothing')]).stderr).toMatch(/not a sweep directory/);
  });
});

describe('the Slurm back end against stand-in commands', () => {
  const local = join(work, 'local');
  test('a local run writes the table; shards run by the back end, one of them failing once, merge into the same bytes', () => {
    const l = cli(['sweep', specFile, '--out', local, '--workers', '0', '--quiet', '--format', 'csv,npy,json']);
    expect(l.code, l.stderr).toBe(0);
    expect(l.json).toMatchObject({ trials: 6, points: 2, errors: 0, files: ['results.csv', 'results.npz', 'results.json'] });
    // the NumPy archive holds the JSON's columns with their dtypes
    const npz = io.unzipStored(new Uint8Array(readFileSync(join(local, 'results.npz'))));
    const json = JSON.parse(readFileSync(join(local, 'results.json'), 'utf8'));
    const mean = io.fromNPY(npz.get('mean.npy') as Uint8Array);
    expect(Array.from(mean.data as Float64Array)).toEqual(json.columns.mean);
    expect(io.fromNPY(npz.get('index.npy') as Uint8Array).data).toBeInstanceOf(Uint32Array);
    const csv = readFileSync(join(local, 'results.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('index,point,trial,n,ok,mean,first.0,first.1,result.point,result.index');
    expect(csv.length).toBe(7);

    for (const [id, name, env] of [
      ['squeue', 'squeue knows every state', {}],
      ['sacct', 'squeue has forgotten finished tasks, sacct answers', { FAKE_SLURM_FORGET: '1', FAKE_SLURM_SACCT: '1' }],
    ] as const) {
      const fake = join(work, `fake-${id}`);
      const dir = join(work, `slurm-${id}`);
      const r = cli(['sweep', specFile, '--slurm', '--out', dir, '--poll', '0.05'], {
        PATH: `${FAKE}:${process.env.PATH}`,
        FAKE_SLURM_DIR: fake,
        FAKE_SLURM_FAIL: '1',
        ...env,
      });
      expect(r.code, `${name}: ${r.stderr}`).toBe(0);
      expect(r.stderr).toMatch(/shard 1 \(job 101_1\) ended without its output: FAILED \(exit code 1:0, reason NonZeroExitCode\)/);
      expect(r.stderr).toMatch(/resubmitted: shards 1 as array job 102/);
      const rec = JSON.parse(readFileSync(join(dir, 'slurm.json'), 'utf8'));
      expect(rec.submissions.map((s: { shards: number[] }) => s.shards)).toEqual([[0, 1, 2], [1]]);
      expect(rec.shards['1'].attempts).toBe(2);
      expect(existsSync(join(fake, 'sacct-used'))).toBe(id === 'sacct');
      for (const f of ['results.csv', 'results.json'])
        expect(readFileSync(join(dir, f)).equals(readFileSync(join(local, f))), `${name}: ${f}`).toBe(true);
      const spec2 = JSON.parse(readFileSync(join(dir, 'spec.json'), 'utf8'));
      expect(spec2.shards).toEqual([
        [0, 2],
        [2, 4],
        [4, 6],
      ]);
      expect(readFileSync(join(dir, 'job.sh'), 'utf8')).toContain('#SBATCH --array=0-2');
    }
  });

  test('status and merge on a sweep directory; a missing shard is named; a rerun resubmits only it', () => {
    const dir = join(work, 'slurm-squeue');
    const s = cli(['status', dir], { PATH: `${FAKE}:${process.env.PATH}`, FAKE_SLURM_DIR: join(work, 'fake-x') });
    expect(s.json).toMatchObject({ shards: 3, done: 3, missing: [], merged: true });
    unlinkSync(join(dir, 'shards', 'shard-2.json'));
    const m = cli(['merge', dir]);
    expect(m.code).toBe(1);
    expect(m.stderr).toMatch(/shards 2 are missing \(\[4, 6\)\)/);
    const fake = join(work, 'fake-rerun');
    const r = cli(['sweep', specFile, '--slurm', '--out', dir, '--poll', '0.05'], {
      PATH: `${FAKE}:${process.env.PATH}`,
      FAKE_SLURM_DIR: fake,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/resumed: shards 2 as array job 101/);
    expect(readFileSync(join(dir, 'results.json')).equals(readFileSync(join(local, 'results.json')))).toBe(true);
    // another spec in the same directory is refused
    const other = join(work, 'other.json');
    writeFileSync(other, JSON.stringify({ ...JSON.parse(readFileSync(specFile, 'utf8')), seed: 'other' }));
    const o = cli(['sweep', other, '--slurm', '--out', dir], { PATH: `${FAKE}:${process.env.PATH}`, FAKE_SLURM_DIR: fake });
    expect(o.code).toBe(2);
    expect(o.stderr).toMatch(/holds another sweep/);
    // merge by hand, in JSON only
    const mm = cli(['merge', dir, '--format', 'json']);
    expect(mm.code, mm.stderr).toBe(0);
    expect(mm.json).toMatchObject({ shards: 3, trials: 6, files: ['results.json'] });
  });

  test('--no-wait submits and returns; status and merge finish the job later', () => {
    const dir = join(work, 'slurm-nowait');
    const env = { PATH: `${FAKE}:${process.env.PATH}`, FAKE_SLURM_DIR: join(work, 'fake-nowait') };
    const r = cli(['sweep', specFile, '--slurm', '--no-wait', '--out', dir], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json).toEqual({ out: dir, shards: 3, submitted: '101' });
    expect(existsSync(join(dir, 'results.json'))).toBe(false);
    expect(cli(['status', dir], env).json).toMatchObject({ shards: 3, done: 3, missing: [], merged: false });
    expect(cli(['merge', dir]).code).toBe(0);
    expect(readFileSync(join(dir, 'results.csv')).equals(readFileSync(join(work, 'local', 'results.csv')))).toBe(true);
  });

  test('a shard run by hand (neurodyn shard DIR K) writes exact numbers', () => {
    const dir = join(work, 'slurm-squeue');
    const r = cli(['shard', dir, '0', '--workers', '1']);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(readFileSync(join(dir, 'shards', 'shard-0.json'), 'utf8'));
    expect(j).toMatchObject({ kind: 'neurodyn.sweep-shard', shard: 0, range: [0, 2] });
    expect(j.rows.map((x: { index: number }) => x.index)).toEqual([0, 1]);
    expect(cli(['shard', dir, '3']).stderr).toMatch(/K: expected an integer in \[0, 2\]/);
  });
});
