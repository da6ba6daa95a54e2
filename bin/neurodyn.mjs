#!/usr/bin/env node
// neurodyn command-line interface: run an experiment described by a JSON file.
//
//   neurodyn run <experiment.json> [--out DIR] [--format csv|npy|sonata|nwb[,...]] [--quiet]
//   neurodyn validate <experiment.json>
//   neurodyn kinds            list experiment kinds, their fields and an example file
//   neurodyn example <kind>   print an example experiment file
//   neurodyn sweep <spec.json> [--slurm …]; neurodyn shard|status|merge <DIR>   (bin/lib/sweep.mjs)
//
// Exit codes: 0 done; 2 malformed experiment file (the message names the field and the allowed
// range); 130 interrupted by SIGINT/SIGTERM (partial results written); 1 any other error (a
// numerical failure writes the results computed up to it).
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as nd from 'neurodyn';
import { FORMATS, writeResults } from './lib/output.mjs';
import { RunProgress } from './lib/progress.mjs';
import { describe, ExperimentError, validate } from './lib/schema.mjs';
import { SWEEP_USAGE, sweepMain, UsageError } from './lib/sweep.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const USAGE = `usage:
  neurodyn run <experiment.json> [--out DIR] [--format csv,npy,sonata,nwb] [--quiet]
  neurodyn validate <experiment.json>
  neurodyn kinds
  neurodyn example <kind>
${SWEEP_USAGE}`;

async function loadKinds() {
  const dir = join(HERE, 'lib/kinds');
  const kinds = {};
  for (const f of readdirSync(dir)
    .filter((x) => x.endsWith('.mjs'))
    .sort()) {
    const k = (await import(pathToFileURL(join(dir, f)).href)).default;
    kinds[k.kind] = k;
  }
  return kinds;
}

const available = (k) => (k.requires ?? []).every((name) => name in nd);

function fail(code, msg) {
  process.stderr.write(`neurodyn: ${msg}\n`);
  process.exit(code);
}

/** Reads, parses and validates an experiment file; returns { kind, experiment }. */
function readExperiment(file, kinds, needModel = true) {
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ExperimentError('', `cannot read ${file}: ${e.message}`);
  }
  let raw;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new ExperimentError('', `${file} is not valid JSON: ${e.message}`);
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    throw new ExperimentError('(top level)', `expected a JSON object, got ${JSON.stringify(raw)}`);
  const names = Object.keys(kinds);
  if (!names.includes(raw.kind))
    throw new ExperimentError('kind', `expected one of ${names.map((n) => JSON.stringify(n)).join(', ')}, got ${JSON.stringify(raw.kind)}`);
  const kind = kinds[raw.kind];
  const experiment = validate(kind.spec, raw);
  // The file's structure is checked even when the model is missing; running it is not possible.
  if (needModel && !available(kind)) {
    throw new ExperimentError(
      'kind',
      `"${raw.kind}" needs ${kind.requires.filter((r) => !(r in nd)).join(', ')}, which this build of neurodyn does not export`,
    );
  }
  if (experiment.name === undefined) experiment.name = basename(file).replace(/\.json$/i, '');
  return { kind, experiment };
}

async function run(file, outDir, quiet, kinds, formats) {
  const { kind, experiment } = readExperiment(file, kinds);
  const dir = resolve(outDir ?? join('out', experiment.name));
  await nd.init();
  let stop = null;
  const onSignal = (sig) => {
    if (stop) {
      process.stderr.write(`\nneurodyn: second ${sig}, exiting without writing\n`);
      process.exit(130);
    }
    stop = sig;
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  let sim;
  try {
    sim = await kind.create(experiment, nd);
  } catch (e) {
    // Library-side validation (e.g. a connectivity the kind cannot express) names its argument.
    if (e instanceof nd.ValidationError) throw new ExperimentError('', `invalid experiment: ${e.message}`);
    throw e;
  }
  // Time-stepped kinds count steps of dt; study kinds count units (trials) and have no dt.
  const study = !!kind.study;
  const dt = study ? 1 : experiment.dt;
  const total = sim.totalSteps;
  const totalShown = study ? total : experiment.duration;
  const progress = new RunProgress({ quiet, totalMs: totalShown, label: experiment.name, unit: study ? (sim.unit ?? 'units') : 'ms' });
  // Chunks of about 1/200 of the run (at most `chunkSteps`): progress stays live and SIGINT is
  // honoured between chunks, which is where the state is consistent.
  const chunk = Math.max(1, Math.min(sim.chunkSteps ?? 2000, study ? Number.POSITIVE_INFINITY : Math.ceil(total / 200)));
  const t0 = performance.now();
  let error = null;
  progress.update(0);
  while (sim.stepsDone < total && !stop) {
    try {
      await sim.advance(Math.min(chunk, total - sim.stepsDone));
    } catch (e) {
      error = e;
      break;
    }
    progress.update(sim.stepsDone * dt);
    await new Promise((r) => setImmediate(r)); // lets the signal handler run
  }
  progress.end(sim.stepsDone * dt);
  const wallSeconds = (performance.now() - t0) / 1000;
  const results = await sim.results();
  const status = {
    complete: sim.stepsDone >= total && !error,
    interrupted: stop ?? false,
    error: error ? { name: error.name, message: error.message, step: error.step, index: error.index, time: error.time } : null,
    ...(study
      ? { unitsDone: sim.stepsDone, totalUnits: total, unit: sim.unit ?? 'units' }
      : {
          simulatedMs: sim.stepsDone * dt,
          stepsDone: sim.stepsDone,
          totalSteps: total,
          realTimeFactor: wallSeconds > 0 ? (sim.stepsDone * dt) / 1000 / wallSeconds : null,
        }),
    wallSeconds,
    node: process.versions.node,
  };
  const files = await writeResults(dir, { experiment, status, results, nd, formats });
  sim.dispose?.();
  const summary = JSON.stringify({ out: dir, ...status, summary: results.summary });
  if (stop) {
    const where = study
      ? `after ${status.unitsDone} of ${total} ${status.unit}`
      : `at t = ${status.simulatedMs} ms of ${experiment.duration} ms`;
    process.stderr.write(`neurodyn: interrupted by ${stop} ${where}; partial results written to ${dir} (${files.join(', ')})\n`);
    console.log(summary);
    process.exit(130);
  }
  if (error) {
    process.stderr.write(`neurodyn: ${error.name}: ${error.message}\nresults up to the failure written to ${dir}\n`);
    console.log(summary);
    process.exit(1);
  }
  if (!quiet) process.stderr.write(`neurodyn: done in ${wallSeconds.toFixed(2)} s; wrote ${files.join(', ')} to ${dir}\n`);
  console.log(summary);
}

function listFields(fields, indent) {
  for (const [name, f] of Object.entries(fields)) {
    const extra = `${f.default !== undefined && f.type !== 'object' ? ` (default ${JSON.stringify(f.default)})` : ''}${f.optional ? ' (optional)' : ''}`;
    const obj = f.type === 'object' ? f : f.type === 'array' && f.items.type === 'object' ? f.items : null;
    const variants = f.type === 'oneOf' && f.options.every((o) => o.type === 'object') ? f.options : null;
    console.log(`${' '.repeat(indent)}${name}: ${obj && f.type === 'object' ? 'an object' : describe(f)}${extra}`);
    if (obj) listFields(obj.fields, indent + 2);
    if (variants) for (const v of variants) listFields(v.fields, indent + 2);
  }
}

function listKinds(kinds) {
  for (const k of Object.values(kinds)) {
    console.log(`\n${k.kind}${available(k) ? '' : ' (not available in this build)'}: ${k.description}`);
    listFields(k.spec.fields, 2);
  }
}

const argv = process.argv.slice(2);
if (['sweep', 'shard', 'status', 'merge'].includes(argv[0])) {
  // These commands parse their flags strictly with node:util parseArgs (unknown flag: exit 2).
  try {
    if (argv[0] === 'sweep' || argv[0] === 'shard') await nd.init();
    process.exit(await sweepMain(argv, nd));
  } catch (e) {
    if (e instanceof UsageError) fail(2, `${argv[0]}: ${e.message}\n${USAGE}`);
    if (e instanceof ExperimentError) fail(2, `invalid sweep spec ${argv[1]}: ${e.message}`);
    fail(1, `${e?.name ?? 'Error'}: ${e?.message ?? e}`);
  }
}
const opt = (name) => {
  const i = argv.indexOf(name);
  if (i < 0) return undefined;
  const v = argv[i + 1];
  argv.splice(i, 2);
  return v;
};
const flag = (name) => {
  const i = argv.indexOf(name);
  if (i >= 0) argv.splice(i, 1);
  return i >= 0;
};

const out = opt('--out');
const formatArg = opt('--format');
const formats = (formatArg ?? 'csv').split(',').filter((f) => f !== '');
for (const f of formats)
  if (!FORMATS.includes(f)) fail(2, `--format: expected a comma-separated list of ${FORMATS.join(', ')}, got ${JSON.stringify(f)}`);
const quiet = flag('--quiet');
const [cmd, arg] = argv;
const kinds = await loadKinds();
try {
  if (cmd === 'run' && arg) await run(arg, out, quiet, kinds, formats);
  else if (cmd === 'validate' && arg) {
    const { experiment } = readExperiment(arg, kinds, false);
    console.log(JSON.stringify(experiment, null, 1));
    process.stderr.write(`neurodyn: ${arg} is a valid "${experiment.kind}" experiment\n`);
  } else if (cmd === 'kinds') listKinds(kinds);
  else if (cmd === 'example' && arg) {
    if (!kinds[arg]) fail(2, `example: unknown kind ${JSON.stringify(arg)} (kinds: ${Object.keys(kinds).join(', ')})`);
    console.log(JSON.stringify(kinds[arg].example, null, 2));
  } else if (cmd === '--help' || cmd === '-h' || cmd === 'help') console.log(USAGE);
  else if (cmd === '--version') console.log(JSON.parse(readFileSync(join(HERE, '../package.json'), 'utf8')).version);
  else fail(2, `expected a command\n${USAGE}`);
} catch (e) {
  if (e instanceof ExperimentError) fail(2, `invalid experiment file ${arg}: ${e.message}`);
  fail(1, `${e?.name ?? 'Error'}: ${e?.message ?? e}`);
}
