// The Slurm back end of `neurodyn sweep --slurm`: an array-job script (one array index per shard),
// submission with sbatch, following the array tasks (squeue, then sacct where accounting is on;
// scontrol for the exit code of a failed task), resubmission of failed or cancelled shards.
// Nothing here knows the sweep's content: a shard is done when its output file is valid
// (`isDone(k)`), whatever the scheduler says.
import { spawnSync } from 'node:child_process';

/** States in which an array task may still produce its output. */
const ACTIVE = new Set([
  'PENDING',
  'CONFIGURING',
  'RUNNING',
  'COMPLETING',
  'SUSPENDED',
  'REQUEUED',
  'REQUEUE_HOLD',
  'REQUEUE_FED',
  'RESIZING',
  'SIGNALING',
  'STAGE_OUT',
  'STOPPED',
  'RESV_DEL_HOLD',
]);

/** Whether a Slurm job state (as squeue or sacct print it) can still produce output. */
export function isActive(state) {
  return ACTIVE.has(String(state).split(/\s/)[0]);
}

/** A shell word, single-quoted. */
export const sh = (s) => `'${String(s).replace(/'/g, `'\\''`)}'`;

/** Array index list in sbatch syntax: [0,1,2,5] → "0-2,5". */
export function arraySpec(indices) {
  const s = [...indices].sort((a, b) => a - b);
  const parts = [];
  for (let i = 0; i < s.length; ) {
    let j = i;
    while (j + 1 < s.length && s[j + 1] === s[j] + 1) j++;
    parts.push(j > i ? `${s[i]}-${s[j]}` : `${s[i]}`);
    i = j + 1;
  }
  return parts.join(',');
}

/**
 * The array-job script. `job` = { name, dir, shards, node, cli, resources: { partition, time,
 * cpusPerTask, mem, account, qos, sbatch: [extra options], setup: [shell lines] } }.
 */
export function jobScript(job) {
  const r = job.resources ?? {};
  const directive = (flag, v) => (v === undefined || v === null || v === '' ? [] : [`#SBATCH ${flag}=${v}`]);
  const lines = [
    '#!/bin/bash',
    `# neurodyn sweep "${job.name}": ${job.total} (point, trial) pairs in ${job.shards} shards.`,
    '# Array index k runs shard k (its range of flat indices is in spec.json) and writes',
    '# shards/shard-k.json. Written by `neurodyn sweep --slurm`; resubmit shards by hand with',
    `#   sbatch --array=1,3 ${job.dir}/job.sh        and merge with: neurodyn merge ${job.dir}`,
    `#SBATCH --job-name=nd-${String(job.name)
      .replace(/[^A-Za-z0-9._-]/g, '_')
      .slice(0, 40)}`,
    `#SBATCH --array=0-${job.shards - 1}`,
    `#SBATCH --output=${job.dir}/logs/shard-%a.%A.out`,
    `#SBATCH --error=${job.dir}/logs/shard-%a.%A.err`,
    `#SBATCH --chdir=${job.dir}`,
    '#SBATCH --nodes=1',
    '#SBATCH --ntasks=1',
    ...directive('--cpus-per-task', r.cpusPerTask),
    ...directive('--partition', r.partition),
    ...directive('--time', r.time),
    ...directive('--mem', r.mem),
    ...directive('--account', r.account),
    ...directive('--qos', r.qos),
    ...(r.sbatch ?? []).map((o) => `#SBATCH ${o}`),
    'set -euo pipefail',
    ...(r.setup ?? []),
    // Absolute paths: the job runs in the sweep directory, maybe on another machine of a shared file system.
    `exec ${sh(job.node)} ${sh(job.cli)} shard ${sh(job.dir)} "$SLURM_ARRAY_TASK_ID"`,
    '',
  ];
  return lines.join('\n');
}

/** Runs a Slurm command; returns { ok, stdout, stderr }. */
export function slurm(cmd, args, env = process.env) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', env });
  if (r.error) return { ok: false, stdout: '', stderr: r.error.code === 'ENOENT' ? `${cmd}: command not found` : r.error.message };
  return { ok: r.status === 0, stdout: r.stdout ?? '', stderr: (r.stderr ?? '').trim() };
}

/** Submits the script for the given array indices; returns the array job id. */
export function submit(script, indices) {
  const r = slurm('sbatch', ['--parsable', `--array=${arraySpec(indices)}`, script]);
  if (!r.ok) throw new Error(`sbatch failed: ${r.stderr || r.stdout}`);
  const id = r.stdout.trim().split(';')[0];
  if (!/^\d+$/.test(id)) throw new Error(`sbatch printed no job id: ${r.stdout}`);
  return id;
}

let sacctWorks = true;

/**
 * States of the array tasks of `jobs` (array job ids): Map "job_task" → state. squeue lists the
 * tasks slurmctld still holds (also finished ones, for MinJobAge seconds); tasks it no longer
 * lists are looked up with sacct when accounting is on. A task found nowhere is absent.
 */
export function taskStates(jobs) {
  const out = new Map();
  for (const job of new Set(jobs)) {
    const q = slurm('squeue', ['-h', '-t', 'all', '-r', '-j', job, '-o', '%F|%K|%T']);
    if (q.ok) {
      for (const line of q.stdout.split('\n')) {
        const [a, t, s] = line.trim().split('|');
        if (a && t && s && /^\d+$/.test(t)) out.set(`${a}_${t}`, s);
      }
    }
  }
  return out;
}

/** States of array tasks from sacct (Map "job_task" → state), or null when accounting is disabled. */
export function accountedStates(jobs) {
  if (!sacctWorks) return null;
  const r = slurm('sacct', ['-n', '-P', '-X', '-j', [...new Set(jobs)].join(','), '-o', 'JobID,State']);
  if (!r.ok || /disabled/i.test(r.stderr + r.stdout)) {
    sacctWorks = false;
    return null;
  }
  const out = new Map();
  for (const line of r.stdout.split('\n')) {
    const [id, s] = line.trim().split('|');
    if (id && s && /^\d+_\d+$/.test(id)) out.set(id, s.split(' ')[0]);
  }
  return out;
}

/** Exit code and reason of one array task from scontrol (for the log), or ''. */
export function taskDetail(id) {
  const r = slurm('scontrol', ['show', 'job', '-o', id]);
  if (!r.ok) return '';
  const f = (k) => new RegExp(`\\b${k}=(\\S+)`).exec(r.stdout)?.[1];
  return [f('ExitCode') && `exit code ${f('ExitCode')}`, f('Reason') && f('Reason') !== 'None' && `reason ${f('Reason')}`]
    .filter(Boolean)
    .join(', ');
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Follows the shards of a sweep until every shard is done or has used up its resubmissions.
 * `o` = { script, shards (count), isDone(k), record (the persistent slurm.json object, updated
 * in place), save(), log(msg), pollMs, maxResubmits, graceMs, submitOnly?, progress? }. Submits the shards that are
 * neither done nor active in a job of the record, then polls. Returns { done: [k], failed: [k] }.
 */
export async function follow(o) {
  const rec = o.record;
  rec.submissions ??= [];
  rec.shards ??= {};
  const shardRec = (k) => {
    rec.shards[k] ??= { attempts: 0, job: null, state: 'NEW', history: [] };
    return rec.shards[k];
  };
  const done = new Set();
  const failed = new Set();
  const submitShards = (ks, why) => {
    if (ks.length === 0) return;
    const job = submit(o.script, ks);
    rec.submissions.push({ job, shards: ks, time: new Date().toISOString(), why });
    for (const k of ks) {
      const s = shardRec(k);
      s.attempts++;
      s.job = job;
      s.state = 'SUBMITTED';
      delete s.quietSince;
    }
    o.log(`${why}: shards ${arraySpec(ks)} as array job ${job}`);
    o.save();
  };

  // First pass: what is done, what is still running in a recorded job, what must be submitted.
  const initial = [];
  const jobsKnown = [];
  for (let k = 0; k < o.shards; k++) {
    if (o.isDone(k)) done.add(k);
    else if (rec.shards[k]?.job) jobsKnown.push(rec.shards[k].job);
  }
  const known = jobsKnown.length ? taskStates(jobsKnown) : new Map();
  for (let k = 0; k < o.shards; k++) {
    if (done.has(k)) {
      shardRec(k).state = 'COMPLETED';
      continue;
    }
    const s = rec.shards[k];
    const st = s?.job ? known.get(`${s.job}_${k}`) : undefined;
    if (st && isActive(st)) s.state = st;
    else initial.push(k);
  }
  submitShards(initial, rec.submissions.length ? 'resumed' : 'submitted');
  if (o.submitOnly) return { done: [...done], failed: [] };

  while (done.size + failed.size < o.shards) {
    await sleep(o.pollMs);
    const open = [...Array(o.shards).keys()].filter((k) => !done.has(k) && !failed.has(k));
    const states = taskStates(open.map((k) => rec.shards[k].job));
    let acct;
    const resubmit = [];
    for (const k of open) {
      const s = rec.shards[k];
      if (o.isDone(k)) {
        done.add(k);
        s.state = 'COMPLETED';
        continue;
      }
      const id = `${s.job}_${k}`;
      let st = states.get(id);
      if (st === undefined) {
        acct ??= accountedStates(open.map((j) => rec.shards[j].job)) ?? new Map();
        st = acct.get(id);
      }
      if (st !== undefined && isActive(st)) {
        s.state = st;
        continue;
      }
      // Finished (or gone from the queue) without output. A task that completed may still be
      // writing to a shared file system: give it `graceMs` before calling it lost.
      if (st === 'COMPLETED' || st === undefined) {
        s.quietSince ??= Date.now();
        if (Date.now() - s.quietSince < o.graceMs) {
          s.state = st === undefined ? 'UNKNOWN' : 'COMPLETED (no output yet)';
          continue;
        }
      }
      delete s.quietSince;
      const why = st ?? 'no longer known to Slurm';
      const detail = taskDetail(id);
      s.history.push({ job: s.job, state: why, detail, time: new Date().toISOString() });
      o.log(`shard ${k} (job ${id}) ended without its output: ${why}${detail ? ` (${detail})` : ''}`);
      if (s.attempts <= o.maxResubmits) resubmit.push(k);
      else {
        failed.add(k);
        s.state = `FAILED after ${s.attempts} attempts`;
      }
    }
    submitShards(resubmit, 'resubmitted');
    const still = open.filter((k) => !done.has(k) && !failed.has(k));
    o.progress?.({ done: done.size, failed: failed.size, shards: o.shards, states: still.map((k) => rec.shards[k].state) });
    o.save();
  }
  return { done: [...done].sort((a, b) => a - b), failed: [...failed].sort((a, b) => a - b) };
}
