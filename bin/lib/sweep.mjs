// `neurodyn sweep | shard | status | merge`: parameter sweeps from a JSON spec, run here on the
// worker pool or as a Slurm array job over a sweep directory (layout in docs/guides/scale-out.md):
//
//   DIR/spec.json              the resolved spec (absolute module URL, shard ranges, spec hash)
//   DIR/job.sh                 the array-job script (Slurm runs)
//   DIR/slurm.json             submissions, attempts and last known state of every shard
//   DIR/shards/shard-K.json    rows of shard K (exact numbers), written atomically by `neurodyn shard`
//   DIR/logs/shard-K.JOB.out|err   Slurm's output of each attempt
//   DIR/results.csv|npz|json   the merged table (--format csv,npy,json)
//
// The commands' flags are tables for the one CLI parser (bin/lib/cli.mjs: node:util parseArgs,
// strict; an unknown flag is exit code 2); each command prints one JSON document with --json.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { HELP_OPTION, intIn, JSON_OPTION, listOf, numberIn, QUIET_OPTION, UsageError } from './cli.mjs';
import { RunProgress } from './progress.mjs';
import { arr, ExperimentError, int, num, obj, str, validate } from './schema.mjs';
import { arraySpec, follow, isActive, jobScript, taskStates } from './slurm.mjs';

const CLI = fileURLToPath(new URL('../neurodyn.mjs', import.meta.url));

// ---------------------------------------------------------------------------------------------
// The spec

const SLURM_FIELDS = {
  shards: int({ min: 1, max: 100_000, optional: true }),
  partition: str({ optional: true }),
  time: str({ optional: true }),
  cpusPerTask: int({ min: 1, max: 1024, optional: true }),
  mem: str({ optional: true }),
  account: str({ optional: true }),
  qos: str({ optional: true }),
  maxResubmits: int({ min: 0, max: 100, default: 2 }),
  pollSeconds: num({ gt: 0, max: 3600, unit: 's', default: 5 }),
  setup: arr(str(), { optional: true }),
  sbatch: arr(str(), { optional: true }),
};

const SPEC = obj({
  kind: str({ enum: ['sweep'] }),
  name: str({ optional: true }),
  description: str({ optional: true }),
  trials: int({ min: 1, max: 0xffffffff, default: 1 }),
  seed: { type: 'seed', default: 0 },
  workers: int({ min: 0, max: 256, optional: true }),
  output: obj({ formats: arr(str({ enum: ['csv', 'npy', 'json'] }), { minItems: 1, default: ['csv', 'json'] }) }, { default: {} }),
  slurm: obj(SLURM_FIELDS, { default: {} }),
});

const plain = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Reads and checks a sweep spec; module paths become absolute file URLs (relative to the spec's folder). */
export function readSpec(file, nd) {
  let raw;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ExperimentError('', e.code === 'ENOENT' ? `cannot read ${file}` : `${file} is not valid JSON: ${e.message}`);
  }
  if (!plain(raw)) throw new ExperimentError('(top level)', 'expected a JSON object');
  const { task, params, units, ...rest } = raw;
  // Nested objects are validated even when absent, so that their fields get their defaults.
  const spec = validate(SPEC, { ...rest, output: rest.output ?? {}, slurm: rest.slurm ?? {} });
  // task: a task name of the package, or { module, task } with the module relative to the spec file.
  if (typeof task === 'string' && task) spec.task = task;
  else if (plain(task) && typeof task.module === 'string' && task.module) {
    for (const k of Object.keys(task))
      if (k !== 'module' && k !== 'task') throw new ExperimentError(`task.${k}`, 'unknown field (allowed: module, task)');
    if (task.task !== undefined && (typeof task.task !== 'string' || !task.task))
      throw new ExperimentError('task.task', `expected the name of an exported function, got ${JSON.stringify(task.task)}`);
    const m = task.module;
    const href = /^[a-z][a-z0-9+.-]+:/i.test(m) ? m : pathToFileURL(resolve(dirname(resolve(file)), m)).href;
    spec.task = { module: href, task: task.task ?? 'default' };
  } else
    throw new ExperimentError(
      'task',
      `expected a task name (e.g. "core.normals") or { "module": "./trials.mjs", "task": "name" }, got ${JSON.stringify(task)}`,
    );
  if (units !== undefined) {
    if (!plain(units) || Object.values(units).some((u) => typeof u !== 'string'))
      throw new ExperimentError('units', 'expected an object { "column": "unit" }');
    spec.units = units;
  }
  spec.params = params;
  try {
    if (params === undefined) throw new nd.ValidationError('params', 'a grid { name: [values] } or a list of parameter points', params);
    spec.points = nd.sweepPoints(params).length;
    spec.total = spec.points * spec.trials;
    if (spec.total > 0xffffffff)
      throw new nd.ValidationError(
        'trials',
        `at most ${Math.floor(0xffffffff / spec.points)} trials for ${spec.points} points`,
        spec.trials,
      );
  } catch (e) {
    if (e instanceof nd.ValidationError) throw new ExperimentError('', e.message);
    throw e;
  }
  if (spec.name === undefined) spec.name = basename(file).replace(/\.json$/i, '');
  return spec;
}

/** The hash of what defines the rows (task, params, trials, seed): shards of other sweeps are refused. */
function specHash(spec) {
  const key = JSON.stringify({ task: spec.task, params: spec.params, trials: spec.trials, seed: spec.seed });
  return createHash('sha256').update(key).digest('hex').slice(0, 16);
}

const libOptions = (spec) => ({ task: spec.task, params: spec.params, trials: spec.trials, seed: spec.seed, units: spec.units });

/** Shard k of S over [0, total): [⌊k·total/S⌋, ⌊(k+1)·total/S⌋). */
export function shardRanges(total, shards) {
  return Array.from({ length: shards }, (_, k) => [Math.floor((k * total) / shards), Math.floor(((k + 1) * total) / shards)]);
}

// ---------------------------------------------------------------------------------------------
// Shard files: the rows of a range with every number exact (JSON numbers, except -0, NaN and
// ±Infinity, which are written as the strings "-0", "NaN", "Infinity", "-Infinity").

const enc = (x) => (Number.isFinite(x) && !Object.is(x, -0) ? x : String(Object.is(x, -0) ? '-0' : x));

export function encodeRows(rows) {
  return rows.map((r) => {
    if (!r.ok) return r;
    const value = {};
    for (const [k, x] of Object.entries(r.value)) value[k] = enc(x);
    return { index: r.index, ok: true, value };
  });
}

export function decodeRows(rows) {
  return rows.map((r) => {
    if (!r.ok) return r;
    const value = {};
    for (const [k, x] of Object.entries(r.value)) value[k] = typeof x === 'string' ? Number(x) : x;
    return { index: r.index, ok: true, value };
  });
}

const shardFile = (dir, k) => join(dir, 'shards', `shard-${k}.json`);

/** The rows of shard k if its file is there and belongs to this sweep, else null. */
export function readShard(dir, spec, k) {
  const f = shardFile(dir, k);
  if (!existsSync(f)) return null;
  try {
    const j = JSON.parse(readFileSync(f, 'utf8'));
    const [a, b] = spec.shards[k];
    if (j.kind !== 'neurodyn.sweep-shard' || j.spec !== spec.hash || j.range?.[0] !== a || j.range?.[1] !== b || j.rows?.length !== b - a)
      return null;
    return { range: [a, b], rows: decodeRows(j.rows), seconds: j.seconds, host: j.host };
  } catch {
    return null;
  }
}

function writeAtomic(file, text) {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

// ---------------------------------------------------------------------------------------------
// Tables out

/** Writes DIR/results.<ext> for each format through the library's exporters; returns the file names. */
function writeTables(dir, table, formats, nd) {
  const files = [];
  for (const f of formats) {
    const [name, data] =
      f === 'csv'
        ? ['results.csv', nd.io.toCSV(table)]
        : f === 'npy'
          ? ['results.npz', nd.io.toNPZ(table)]
          : ['results.json', nd.io.toJSONText(table)];
    writeFileSync(join(dir, name), data);
    files.push(name);
  }
  return files;
}

// ---------------------------------------------------------------------------------------------
// Commands

const formatsOf = (v, spec) => v ?? spec.output.formats;

function readDirSpec(dir) {
  const f = join(dir, 'spec.json');
  if (!existsSync(f)) throw new UsageError(`${dir} is not a sweep directory (no spec.json)`);
  return JSON.parse(readFileSync(f, 'utf8'));
}

const readRecord = (dir) => (existsSync(join(dir, 'slurm.json')) ? JSON.parse(readFileSync(join(dir, 'slurm.json'), 'utf8')) : {});

const progressOf = (progress) => (p) => progress.update(p.done);

/** Prints a command's result: one JSON document with --json, else a human line. */
function result(flags, data, human) {
  if (flags.json) process.stdout.write(`${JSON.stringify(data)}\n`);
  else process.stdout.write(`${human}\n`);
}

const quiet = (flags) => !!flags.quiet;

async function sweepLocal(spec, flags, dir, nd) {
  const workers = flags.workers ?? spec.workers;
  let range;
  if (flags.range !== undefined) {
    const m = /^(\d+):(\d+)$/.exec(flags.range);
    if (!m) throw new UsageError(`--range: expected A:B (flat indices, B exclusive), got ${JSON.stringify(flags.range)}`);
    range = [Number(m[1]), Number(m[2])];
    if (range[1] < range[0] || range[1] > spec.total)
      throw new UsageError(`--range: expected 0 <= A <= B <= ${spec.total}, got ${flags.range}`);
  }
  const formats = formatsOf(flags.format, spec);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'spec.json'), `${JSON.stringify({ ...spec, hash: specHash(spec) }, null, 1)}\n`);
  const n = range ? range[1] - range[0] : spec.total;
  const progress = new RunProgress({ quiet: quiet(flags), totalMs: n, label: spec.name, unit: 'trials' });
  const ac = new AbortController();
  // The first signal aborts the sweep; the handler is then gone, so a second one exits at once.
  const onSignal = () => ac.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const t0 = performance.now();
  let rows;
  try {
    rows = await nd.sweepTrials({ ...libOptions(spec), range, workers, signal: ac.signal, onProgress: progressOf(progress) });
  } catch (e) {
    if (e instanceof nd.AbortedError) {
      progress.end(0);
      process.stderr.write(`neurodyn: sweep interrupted; nothing written but ${join(dir, 'spec.json')} (rerun, or run a --range)\n`);
      if (flags.json) result(flags, { out: dir, interrupted: true, files: ['spec.json'] });
      return 130;
    }
    throw e;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  progress.end(n);
  const table = nd.sweepTable(rows, libOptions(spec));
  const files = writeTables(dir, table, formats, nd);
  const errors = table.meta.errors.length;
  const wallSeconds = (performance.now() - t0) / 1000;
  result(
    flags,
    { out: dir, trials: n, points: spec.points, errors, files, wallSeconds },
    `${spec.name}: ${n} trials (${spec.points} points) in ${wallSeconds.toFixed(2)} s, ${errors} failed; wrote ${files.join(', ')} to ${dir}`,
  );
  return 0;
}

/** Prepares DIR for a Slurm run: spec.json (or checks the one there), job.sh. */
function prepareSlurm(spec, flags, dir) {
  const s = spec.slurm;
  const shards = Math.min(spec.total, flags.shards ?? s.shards ?? 4);
  const resources = {
    partition: flags.partition ?? s.partition,
    time: flags.time ?? s.time,
    cpusPerTask: flags['cpus-per-task'] ?? s.cpusPerTask,
    mem: flags.mem ?? s.mem,
    account: s.account,
    qos: s.qos,
    sbatch: s.sbatch,
    setup: s.setup,
  };
  const resolved = { ...spec, hash: specHash(spec), shards: shardRanges(spec.total, shards), resources };
  const script = jobScript({ name: spec.name, dir, total: spec.total, shards, node: process.execPath, cli: CLI, resources });
  return { resolved, script };
}

async function sweepSlurm(spec, flags, dir, nd) {
  const { resolved, script } = prepareSlurm(spec, flags, dir);
  if (flags['dry-run']) {
    // The script is the result (stdout), also with --json, so that it can be piped to a file.
    process.stdout.write(script);
    if (!quiet(flags))
      process.stderr.write(
        `neurodyn: dry run: ${resolved.shards.length} shards of ${spec.total} (point, trial) pairs; nothing written or submitted\n`,
      );
    return 0;
  }
  const specFile = join(dir, 'spec.json');
  if (existsSync(specFile)) {
    const old = JSON.parse(readFileSync(specFile, 'utf8'));
    if (old.hash !== resolved.hash || JSON.stringify(old.shards) !== JSON.stringify(resolved.shards))
      throw new UsageError(`${dir} holds another sweep (its spec or shard count differs); use another --out or remove it`);
  }
  for (const d of ['shards', 'logs']) mkdirSync(join(dir, d), { recursive: true });
  writeFileSync(specFile, `${JSON.stringify(resolved, null, 1)}\n`);
  writeFileSync(join(dir, 'job.sh'), script, { mode: 0o755 });
  const record = readRecord(dir);
  const save = () => writeAtomic(join(dir, 'slurm.json'), `${JSON.stringify(record, null, 1)}\n`);
  const log = (m) => process.stderr.write(`neurodyn: ${m}\n`);
  const S = resolved.shards.length;
  const maxResubmits = flags['max-resubmits'] ?? spec.slurm.maxResubmits;
  const poll = flags.poll ?? spec.slurm.pollSeconds;
  const isDone = (k) => readShard(dir, resolved, k) !== null;
  if (flags['no-wait']) {
    // Submit what is missing and return; `neurodyn status DIR` and `neurodyn merge DIR` later.
    await follow({
      script: join(dir, 'job.sh'),
      shards: S,
      isDone,
      record,
      save,
      log,
      pollMs: 0,
      maxResubmits,
      graceMs: 0,
      submitOnly: true,
    });
    const job = record.submissions?.at(-1)?.job ?? null;
    result(
      flags,
      { out: dir, shards: S, submitted: job },
      `${spec.name}: ${S} shards, job ${job ?? '(none submitted)'}; see neurodyn status ${dir}`,
    );
    return 0;
  }
  let last = '';
  const t0 = performance.now();
  const { failed } = await follow({
    script: join(dir, 'job.sh'),
    shards: S,
    isDone,
    record,
    save,
    log,
    pollMs: poll * 1000,
    graceMs: Math.max(3 * poll * 1000, 10_000),
    maxResubmits,
    progress: (p) => {
      const counts = {};
      for (const s of p.states) counts[s] = (counts[s] ?? 0) + 1;
      const line = `${p.done}/${p.shards} shards done${p.failed ? `, ${p.failed} failed` : ''}${
        Object.keys(counts).length
          ? ` (${Object.entries(counts)
              .map(([s, n]) => `${n} ${s.toLowerCase()}`)
              .join(', ')})`
          : ''
      }`;
      if (line !== last && !quiet(flags)) log(line);
      last = line;
    },
  });
  if (failed.length) {
    log(
      `shards ${arraySpec(failed)} failed ${maxResubmits + 1} times; see ${join(dir, 'logs')}; resubmit with: neurodyn sweep <spec> --slurm --out ${dir}`,
    );
    result(flags, { out: dir, shards: S, failed }, `${spec.name}: shards ${arraySpec(failed)} failed; nothing merged`);
    return 1;
  }
  return merge(dir, resolved, formatsOf(flags.format, spec), nd, flags, (performance.now() - t0) / 1000);
}

function merge(dir, spec, formats, nd, flags, wallSeconds) {
  const shards = [];
  const missing = [];
  spec.shards.forEach((_, k) => {
    const s = readShard(dir, spec, k);
    if (s) shards.push(s);
    else missing.push(k);
  });
  if (missing.length) {
    const msg = `cannot merge ${dir}: shards ${arraySpec(missing)} are missing (${missing.map((k) => `[${spec.shards[k].join(', ')})`).join(', ')}); see neurodyn status ${dir}`;
    if (flags.json) result(flags, { error: { name: 'MissingShards', message: msg }, missing, exitCode: 1 });
    process.stderr.write(`neurodyn: ${msg}\n`);
    return 1;
  }
  const rows = nd.mergeTrials(shards); // checks that the shards tile [0, total) exactly
  if (rows.range[0] !== 0 || rows.range[1] !== spec.total) throw new Error(`merged range [${rows.range}] is not [0, ${spec.total})`);
  const table = nd.sweepTable(rows, libOptions(spec));
  const files = writeTables(dir, table, formats, nd);
  const errors = table.meta.errors.length;
  result(
    flags,
    { out: dir, shards: spec.shards.length, trials: spec.total, errors, files, ...(wallSeconds ? { wallSeconds } : {}) },
    `${spec.name}: merged ${spec.shards.length} shards, ${spec.total} trials, ${errors} failed; wrote ${files.join(', ')} to ${dir}`,
  );
  return 0;
}

async function cmdShard(flags, positionals, { lib }) {
  const nd = await lib();
  await nd.init();
  const dir = resolve(positionals[0]);
  const spec = readDirSpec(dir);
  if (!spec.shards) throw new UsageError(`${dir} is not a sharded sweep (no shards in spec.json)`);
  const k = intIn(0, spec.shards.length - 1)(positionals[1], 'shard: K');
  const cpus = Number(process.env.SLURM_CPUS_PER_TASK ?? 1);
  const workers = flags.workers ?? (cpus > 1 ? cpus : 0);
  const range = spec.shards[k];
  const t0 = performance.now();
  if (!quiet(flags))
    process.stderr.write(`neurodyn shard ${k}: flat indices [${range[0]}, ${range[1]}) on ${hostname()} with ${workers} workers\n`);
  const rows = await nd.sweepTrials({ ...libOptions(spec), range, workers });
  const seconds = (performance.now() - t0) / 1000;
  writeAtomic(
    shardFile(dir, k),
    JSON.stringify({
      kind: 'neurodyn.sweep-shard',
      version: 1,
      spec: spec.hash,
      shard: k,
      range,
      host: hostname(),
      seconds,
      rows: encodeRows(rows.rows),
    }),
  );
  result(
    flags,
    { out: dir, shard: k, range, trials: rows.rows.length, seconds, file: shardFile(dir, k) },
    `neurodyn shard ${k}: ${rows.rows.length} trials in ${seconds.toFixed(2)} s`,
  );
  return 0;
}

function cmdStatus(flags, positionals) {
  const dir = resolve(positionals[0]);
  const spec = readDirSpec(dir);
  if (!spec.shards) {
    const merged = existsSync(join(dir, 'results.json')) || existsSync(join(dir, 'results.csv'));
    result(flags, { out: dir, shards: 0, merged }, `${dir}: a local sweep, ${merged ? 'results written' : 'no results yet'}`);
    return 0;
  }
  const record = readRecord(dir);
  const open = spec.shards.map((_, k) => k).filter((k) => !readShard(dir, spec, k));
  const jobs = open.map((k) => record.shards?.[k]?.job).filter(Boolean);
  const states = jobs.length ? taskStates(jobs) : new Map();
  const rows = spec.shards.map((r, k) => {
    const s = record.shards?.[k];
    const st = open.includes(k) ? (s?.job ? (states.get(`${s.job}_${k}`) ?? 'GONE') : 'NOT SUBMITTED') : 'DONE';
    return { shard: k, range: r, state: st, job: s?.job ?? null, attempts: s?.attempts ?? 0 };
  });
  if (!quiet(flags))
    for (const r of rows)
      process.stderr.write(
        `shard ${String(r.shard).padStart(4)}  [${r.range[0]}, ${r.range[1]})  ${r.state}${r.job ? `  job ${r.job}_${r.shard}` : ''}  attempts ${r.attempts}\n`,
      );
  const count = (f) => rows.filter(f).length;
  const merged = readdirSync(dir).some((f) => f.startsWith('results.'));
  const data = {
    out: dir,
    shards: rows.length,
    done: count((r) => r.state === 'DONE'),
    active: count((r) => isActive(r.state)),
    missing: rows.filter((r) => r.state !== 'DONE' && !isActive(r.state)).map((r) => r.shard),
    merged,
  };
  result(
    flags,
    data,
    `${dir}: ${data.done}/${data.shards} shards done, ${data.active} active${data.missing.length ? `, missing ${arraySpec(data.missing)}` : ''}; ${merged ? 'merged' : 'not merged'}`,
  );
  return 0;
}

async function cmdMerge(flags, positionals, { lib }) {
  const dir = resolve(positionals[0]);
  const spec = readDirSpec(dir);
  if (!spec.shards) throw new UsageError(`${dir} was run locally: its results are already merged`);
  return merge(dir, spec, formatsOf(flags.format, spec), await lib(), flags);
}

async function cmdSweep(flags, positionals, { lib }) {
  const slurmOnly = ['dry-run', 'no-wait', 'shards', 'partition', 'time', 'cpus-per-task', 'mem', 'max-resubmits', 'poll'].filter(
    (f) => flags[f] !== undefined,
  );
  if (!flags.slurm && slurmOnly.length) throw new UsageError(`sweep: --${slurmOnly[0]} needs --slurm`);
  if (flags.slurm && (flags.range !== undefined || flags.workers !== undefined))
    throw new UsageError(
      `sweep: --${flags.range !== undefined ? 'range' : 'workers'} is for local runs; with --slurm use --shards and --cpus-per-task`,
    );
  const nd = await lib();
  await nd.init();
  let spec;
  try {
    spec = readSpec(positionals[0], nd);
  } catch (e) {
    if (e instanceof ExperimentError) Object.assign(e, { file: positionals[0], what: 'sweep spec' });
    throw e;
  }
  const dir = resolve(flags.out ?? join('out', spec.name));
  return flags.slurm ? sweepSlurm(spec, flags, dir, nd) : sweepLocal(spec, flags, dir, nd);
}

const TABLE_FORMATS = ['csv', 'npy', 'json'];
const formatOption = {
  type: 'string',
  value: 'LIST',
  help: 'table formats, comma-separated: csv (results.csv), npy (results.npz), json (results.json)',
  default: "the spec's output.formats, else csv,json",
  parse: listOf(TABLE_FORMATS),
};
const workersOption = (what) => ({
  type: 'string',
  value: 'N',
  help: `worker threads (0 runs in this thread)${what}`,
  parse: intIn(0, 256),
});

/** The sweep commands, for the CLI's command table (bin/neurodyn.mjs). */
export const SWEEP_COMMANDS = {
  sweep: {
    name: 'sweep',
    summary: 'run a parameter sweep here (worker pool) or on Slurm',
    description:
      'Runs the parameter sweep of <spec.json> (a trial task of the package or of your own module, a grid or list of parameter points, trials per point, a seed; docs/guides/scale-out.md) and writes the merged table DIR/results.* through the library exporters. Locally the trials run on the worker pool; with --slurm the sweep directory gets an array-job script, the shards are submitted, followed, resubmitted when they fail, and merged. Ctrl-C during a local sweep stops it (nothing but spec.json written; rerun, or run a --range).',
    positionals: [{ name: 'spec.json', help: 'the sweep spec (a JSON object with "kind": "sweep")' }],
    options: {
      out: { type: 'string', value: 'DIR', help: 'the sweep directory', default: 'out/<name>' },
      workers: workersOption(", local runs only; default the spec's workers, else one per core"),
      range: { type: 'string', value: 'A:B', help: 'run only the flat (point, trial) indices [A, B) (local runs)' },
      format: formatOption,
      slurm: { type: 'boolean', help: 'run as a Slurm array job (the following options need it)' },
      'dry-run': { type: 'boolean', help: 'print the array-job script and stop (nothing written or submitted)' },
      'no-wait': { type: 'boolean', help: 'submit the missing shards and return; finish with neurodyn status and merge' },
      shards: {
        type: 'string',
        value: 'N',
        help: 'number of shards (array tasks)',
        default: "the spec's slurm.shards, else 4",
        parse: intIn(1, 100_000),
      },
      partition: { type: 'string', value: 'P', help: 'Slurm partition (#SBATCH --partition)' },
      time: { type: 'string', value: 'T', help: 'time limit per shard (#SBATCH --time, e.g. 1:00:00)' },
      'cpus-per-task': { type: 'string', value: 'N', help: 'cores per shard; the shard runs that many workers', parse: intIn(1, 1024) },
      mem: { type: 'string', value: 'M', help: 'memory per shard (#SBATCH --mem, e.g. 2G)' },
      'max-resubmits': {
        type: 'string',
        value: 'N',
        help: 'resubmissions of a failed shard before giving up',
        default: "the spec's slurm.maxResubmits, else 2",
        parse: intIn(0, 100),
      },
      poll: {
        type: 'string',
        value: 'SECONDS',
        help: 'seconds between two looks at the queue',
        default: "the spec's slurm.pollSeconds, else 5",
        parse: numberIn(0, 3600, 's'),
      },
      ...QUIET_OPTION,
      ...JSON_OPTION,
      ...HELP_OPTION,
    },
    run: cmdSweep,
  },
  shard: {
    name: 'shard',
    summary: 'run shard K of a sweep directory (what each array task runs)',
    description:
      'Runs shard <K> of the sweep directory <DIR> and writes DIR/shards/shard-K.json atomically (the rows with every number exact). This is what each Slurm array task runs; it can also be run by hand.',
    positionals: [
      { name: 'DIR', help: 'a sweep directory prepared by neurodyn sweep --slurm' },
      { name: 'K', help: 'the shard index, 0 … shards − 1' },
    ],
    options: {
      workers: workersOption('; default SLURM_CPUS_PER_TASK when above 1, else 0'),
      ...QUIET_OPTION,
      ...JSON_OPTION,
      ...HELP_OPTION,
    },
    run: cmdShard,
  },
  status: {
    name: 'status',
    summary: 'shards done, running, failed; Slurm states',
    description:
      'Shows the state of every shard of the sweep directory <DIR> (done, the Slurm state of its last job, or not submitted), one line per shard on stderr, and a summary on stdout.',
    positionals: [{ name: 'DIR', help: 'a sweep directory' }],
    options: { ...QUIET_OPTION, ...JSON_OPTION, ...HELP_OPTION },
    run: cmdStatus,
  },
  merge: {
    name: 'merge',
    summary: 'merge the shards of a sweep directory into DIR/results.*',
    description:
      'Merges the shard files of the sweep directory <DIR> into the results table (exact: the same bytes as a local run of the whole sweep). A missing shard is named (exit code 1).',
    positionals: [{ name: 'DIR', help: 'a sweep directory whose shards are all done' }],
    options: { format: formatOption, ...QUIET_OPTION, ...JSON_OPTION, ...HELP_OPTION },
    run: cmdMerge,
  },
};
