// The Slurm back end against a real Slurm: a one-node cluster (scripts/slurm-local.sh: munged,
// slurmctld, slurmd) is started, or reused when one answers. A 4-shard sweep is submitted
// through `neurodyn sweep --slurm`; shard 2 is cancelled with scancel while it runs; the back end
// must resubmit it and merge. The merged table must equal, bit for bit, the same sweep run here
// on one machine (in-process and through the CLI). Skipped, with the reason, when the cluster
// cannot start (not root, slurm-wlm or munge missing). Stops only the daemons it started.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
// @ts-expect-error plain JS module of the CLI
import { decodeRows } from '../../bin/lib/sweep.mjs';
import { type ColumnArray, mergeTrials, type SweepValues, sweep, sweepTable, type TrialsLike } from '../../src/index.js';

const ROOT = resolve(import.meta.dirname, '../..');
const CLUSTER = '/tmp/neurodyn-slurm';
const env = { ...process.env, SLURM_CONF: join(CLUSTER, 'slurm.conf') };
const run = (cmd: string, args: string[]) => spawnSync(cmd, args, { encoding: 'utf8', env, cwd: ROOT });

const cluster = { ok: false, started: false, munged: 0, reason: '', startSeconds: 0 };

function answers(): boolean {
  const r = run('sinfo', ['-h', '-o', '%t']);
  return r.status === 0 && /idle|mix|alloc/.test(r.stdout);
}

const pgrepMunged = () => {
  const r = spawnSync('pgrep', ['-x', 'munged'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : '';
};

beforeAll(() => {
  if (!existsSync('dist/worker.js')) throw new Error('dist/ is missing: run `npm run build` first');
  if (existsSync(env.SLURM_CONF) && answers()) {
    cluster.ok = true;
    return;
  }
  const mungedBefore = pgrepMunged();
  const t0 = performance.now();
  const r = run('bash', ['scripts/slurm-local.sh', 'start', CLUSTER]);
  cluster.startSeconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) {
    cluster.reason = `scripts/slurm-local.sh start failed: ${(r.stderr || r.stdout).trim()}`;
    return;
  }
  cluster.ok = answers();
  cluster.started = true;
  if (!cluster.ok) cluster.reason = 'the cluster started but sinfo shows no usable node';
  const mungedAfter = pgrepMunged();
  if (!mungedBefore && mungedAfter) cluster.munged = Number(mungedAfter.split('\n')[0]);
  console.log(`slurm-local: cluster started in ${cluster.startSeconds.toFixed(1)} s`);
});

afterAll(() => {
  if (cluster.started) run('bash', ['scripts/slurm-local.sh', 'stop', CLUSTER]);
  if (cluster.munged) {
    try {
      process.kill(cluster.munged);
    } catch {
      // already gone
    }
  }
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function bytes(a: ColumnArray): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

describe('Slurm back end (one-node cluster)', () => {
  test('a 4-shard sweep with one shard cancelled mid-run is resubmitted and merges bit for bit like a local run', async (ctx) => {
    if (!cluster.ok) {
      console.warn(`Slurm integration test skipped: ${cluster.reason}`);
      ctx.skip(cluster.reason);
      return;
    }
    const t0 = performance.now();
    const work = mkdtempSync(join(tmpdir(), 'nd-slurm-'));
    const module = pathToFileURL(join(ROOT, 'examples/node/user-trials-module.mjs')).href;
    // 2 points × 4 trials = 8 (point, trial) pairs, 2 per shard; each trial holds its worker 2 s
    // so that shard 2 is still running when it is cancelled (2 × 2 s: a wide window even when squeue
    // answers slowly on a loaded runner).
    const spec = {
      kind: 'sweep',
      name: 'slurm-test',
      task: { module, task: 'slowNetwork' },
      params: { mu: [0.05, 0.06], sigma: [0.02], weight: [0.002], neurons: [60], duration: [100], holdMs: [2000] },
      trials: 4,
      seed: 'slurm-test',
      units: { rateE: 'Hz', rateI: 'Hz' },
      slurm: { shards: 4, cpusPerTask: 1, maxResubmits: 2 },
    };
    const specFile = join(work, 'spec.json');
    writeFileSync(specFile, JSON.stringify(spec));
    const dir = join(work, 'sweep');
    let child: ChildProcess | null = null;
    const jobs: string[] = [];
    try {
      child = spawn(process.execPath, ['bin/neurodyn.mjs', 'sweep', specFile, '--slurm', '--out', dir, '--poll', '0.5', '--json'], {
        cwd: ROOT,
        env,
      });
      let stderr = '';
      let stdout = '';
      child.stderr?.on('data', (d) => {
        stderr += d;
      });
      child.stdout?.on('data', (d) => {
        stdout += d;
      });
      const exited = new Promise<number | null>((r) => child?.on('exit', (code) => r(code)));

      // The array job id, then shard 2 running: cancel it.
      let job = '';
      for (let i = 0; i < 600 && !job; i++) {
        if (existsSync(join(dir, 'slurm.json')))
          job = JSON.parse(readFileSync(join(dir, 'slurm.json'), 'utf8')).submissions?.[0]?.job ?? '';
        if (!job) await sleep(100);
      }
      expect(job, stderr).toMatch(/^\d+$/);
      jobs.push(job);
      // Cancel only once the shard's process has printed its start line (its trials then hold it
      // 4 s more). Cancelling on squeue's RUNNING alone can race the launch: slurmctld marks the
      // task RUNNING before slurmd has started the script, and a kill that reaches slurmd first is
      // lost, so the shard runs to the end and writes its output (seen once in CI under load).
      let cancelled = false;
      let outputBeforeCancel = false;
      let cancelAt = 0;
      const log2 = join(dir, 'logs', `shard-2.${job}.err`);
      const started = () => existsSync(log2) && readFileSync(log2, 'utf8').includes('neurodyn shard 2:');
      for (let i = 0; i < 1200 && !cancelled; i++) {
        const q = run('squeue', ['-h', '-r', '-j', job, '-o', '%K|%T']);
        if (q.stdout.split('\n').some((l) => l.trim() === '2|RUNNING') && started()) {
          outputBeforeCancel = existsSync(join(dir, 'shards', 'shard-2.json'));
          cancelAt = Date.now();
          expect(run('scancel', [`${job}_2`]).status).toBe(0);
          cancelled = true;
        } else await sleep(100);
      }
      expect(cancelled, `shard 2 never ran: ${stderr}`).toBe(true);

      const code = await Promise.race([exited, sleep(150_000).then(() => 'timeout')]);
      expect(code, stderr).toBe(0);
      // The back end saw the cancellation and resubmitted shard 2 only, as a new array job.
      const record = JSON.parse(readFileSync(join(dir, 'slurm.json'), 'utf8'));
      for (const s of record.submissions) jobs.push(s.job);
      const out2 = join(dir, 'shards', 'shard-2.json');
      const written = existsSync(out2) ? statSync(out2).mtimeMs - cancelAt : Number.NaN;
      const logs = existsSync(log2) ? readFileSync(log2, 'utf8') : '(no log)';
      const why = `output before the cancel: ${outputBeforeCancel}; shard-2.json written ${written.toFixed(0)} ms after the cancel; first attempt's log: ${logs}; record ${JSON.stringify(record.shards['2'])}; stderr ${stderr}`;
      expect(record.shards['2'].attempts, why).toBe(2);
      expect(record.shards['2'].history[0].state).toBe('CANCELLED');
      for (const k of ['0', '1', '3']) expect(record.shards[k].attempts).toBe(1);
      expect(record.submissions.map((s: { shards: number[] }) => s.shards)).toEqual([[0, 1, 2, 3], [2]]);
      expect(stderr).toMatch(/shard 2 \(job \d+_2\) ended without its output: CANCELLED/);
      expect(JSON.parse(stdout.trim().split('\n').at(-1) as string)).toMatchObject({ shards: 4, trials: 8, errors: 0 });

      // Bit for bit: the shards, merged here, against the same sweep run in this process…
      const shards: TrialsLike<SweepValues>[] = [0, 1, 2, 3].map((k) => {
        const j = JSON.parse(readFileSync(join(dir, 'shards', `shard-${k}.json`), 'utf8'));
        return { range: j.range, rows: decodeRows(j.rows) };
      });
      const options = { task: { module, task: 'network' }, params: spec.params, trials: 4, seed: spec.seed, units: spec.units };
      const fromSlurm = sweepTable(mergeTrials(shards), options);
      const local = await sweep({ ...options, workers: 0 });
      expect(fromSlurm.columnNames()).toEqual(local.columnNames());
      expect(fromSlurm.length).toBe(8);
      for (const c of local.columnNames()) expect(bytes(fromSlurm.column(c).data).equals(bytes(local.column(c).data)), c).toBe(true);
      // The trials did run: noisy networks fire (about 15–25 Hz at these drives), differently per trial.
      const rates = Array.from(local.column('rateE').data);
      expect(Math.min(...rates)).toBeGreaterThan(2);
      expect(new Set(rates).size).toBeGreaterThan(4);
      // …and against the CLI's local run of the same spec (results.json and results.csv byte for byte).
      const localDir = join(work, 'local');
      const r = spawnSync(process.execPath, ['bin/neurodyn.mjs', 'sweep', specFile, '--out', localDir, '--workers', '2', '--quiet'], {
        cwd: ROOT,
        encoding: 'utf8',
      });
      expect(r.status, r.stderr).toBe(0);
      for (const f of ['results.json', 'results.csv'])
        expect(readFileSync(join(dir, f)).equals(readFileSync(join(localDir, f))), f).toBe(true);
      console.log(
        `Slurm integration test: ${((performance.now() - t0) / 1000).toFixed(1)} s (cluster ${cluster.started ? `started in ${cluster.startSeconds.toFixed(1)} s` : 'reused'})`,
      );
    } finally {
      if (child && child.exitCode === null && child.pid) process.kill(child.pid);
      for (const j of new Set(jobs)) run('scancel', [j]);
      rmSync(work, { recursive: true, force: true });
    }
  });
});
