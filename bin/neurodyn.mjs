#!/usr/bin/env node
// neurodyn command-line interface: run an experiment described by a JSON file, or a parameter
// sweep. Every command parses its flags with node:util parseArgs through one table per command
// (bin/lib/cli.mjs), which also prints its --help; `neurodyn help` lists the commands.
//
//   neurodyn run <experiment.json> [--out DIR] [--format csv,npy,sonata,nwb] [--quiet] [--json]
//   neurodyn validate <experiment.json> | kinds | example <kind>
//   neurodyn sweep <spec.json> … ; neurodyn shard|status|merge <DIR> …   (bin/lib/sweep.mjs)
//
// Exit codes: 0 done; 1 an error during the run (a numerical failure writes the results computed
// up to it); 2 a usage error or malformed experiment file, nothing run; 130 interrupted by
// SIGINT/SIGTERM (partial results written). Ctrl-C during the network build stops at once (the
// handler is installed only once the run loop starts); a second Ctrl-C exits at once.
import { accessSync, constants, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  commandHelp,
  EXIT,
  HELP_OPTION,
  JSON_OPTION,
  listOf,
  nearest,
  parseCommand,
  QUIET_OPTION,
  synopsis,
  UsageError,
} from './lib/cli.mjs';
import { FORMATS, writeResults } from './lib/output.mjs';
import { RunProgress } from './lib/progress.mjs';
import { describe, ExperimentError, validate } from './lib/schema.mjs';
import { SWEEP_COMMANDS } from './lib/sweep.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const VERSION = JSON.parse(readFileSync(join(HERE, '../package.json'), 'utf8')).version;

// The library is loaded on demand: `--help`, `--version` and usage errors answer at once.
let library = null;
async function lib() {
  library ??= await import('neurodyn');
  return library;
}

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

const available = (k, nd) => (k.requires ?? []).every((name) => name in nd);

/** Output of a command: results on stdout (human text, or one JSON document with --json), messages on stderr. */
class Out {
  constructor(values = {}) {
    this.json = !!values.json;
    this.quiet = !!values.quiet;
  }
  /** A message on stderr (suppressed by --quiet and --json). */
  info(msg) {
    if (!this.quiet) process.stderr.write(`neurodyn: ${msg}\n`);
  }
  /** The command's result: `human` (a string) on stdout, or `data` as JSON with --json. */
  result(data, human) {
    if (this.json) process.stdout.write(`${JSON.stringify(data)}\n`);
    else if (human !== undefined && human !== '') process.stdout.write(human.endsWith('\n') ? human : `${human}\n`);
  }
}

/** Reads, parses and validates an experiment file; returns { kind, experiment }. */
function readExperiment(file, kinds, nd, needModel = true) {
  try {
    return readExperimentFile(file, kinds, nd, needModel);
  } catch (e) {
    if (e instanceof ExperimentError) Object.assign(e, { file, what: 'experiment file' });
    throw e;
  }
}

function readExperimentFile(file, kinds, nd, needModel) {
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ExperimentError('', `cannot read ${file}: ${e.code === 'ENOENT' ? 'no such file' : e.message}`);
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
  if (needModel && !available(kind, nd)) {
    throw new ExperimentError(
      'kind',
      `"${raw.kind}" needs ${kind.requires.filter((r) => !(r in nd)).join(', ')}, which this build of neurodyn does not export`,
    );
  }
  if (experiment.name === undefined) experiment.name = basename(file).replace(/\.json$/i, '');
  return { kind, experiment };
}

/**
 * Creates the output directory and checks that it is writable, before anything runs: a bad --out
 * (under a file, read-only) is a usage error now rather than a lost run later.
 */
function prepareOutDir(dir, given) {
  const what = given ? '--out' : 'output directory';
  try {
    if (statSync(dir, { throwIfNoEntry: false })?.isFile()) throw Object.assign(new Error('it is a file'), { code: 'EEXIST' });
    const created = mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
    return created;
  } catch (e) {
    const why =
      e.code === 'ENOTDIR' ? 'a parent of it is a file' : e.code === 'EACCES' || e.code === 'EPERM' ? 'permission denied' : e.message;
    throw new UsageError(`${what}: cannot write to ${dir} (${why})`);
  }
}

const fmt = (v) =>
  typeof v === 'number'
    ? Number.isInteger(v)
      ? String(v)
      : String(Number(v.toPrecision(4)))
    : Array.isArray(v)
      ? v.map(fmt).join(', ')
      : String(v);

/** The summary's scalar fields as indented `key: value` lines. */
function summaryLines(summary, indent = '  ') {
  const out = [];
  for (const [k, v] of Object.entries(summary ?? {})) {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      out.push(`${indent}${k}:`);
      out.push(...summaryLines(v, `${indent}  `));
    } else out.push(`${indent}${k}: ${fmt(v)}`);
  }
  return out;
}

async function cmdRun(values, [file]) {
  const out = new Out(values);
  const nd = await lib();
  const kinds = await loadKinds();
  const { kind, experiment } = readExperiment(file, kinds, nd);
  const dir = resolve(values.out ?? join('out', experiment.name));
  const created = prepareOutDir(dir, values.out !== undefined);
  const formats = values.format ?? ['csv'];
  await nd.init();

  // No signal handler while the network is built: Ctrl-C then takes the default action and ends
  // the process at once (nothing has been computed that could be written).
  out.info(`setting up ${experiment.name} (Ctrl-C stops at once)`);
  let sim;
  try {
    sim = await kind.create(experiment, nd);
  } catch (e) {
    // Nothing ran: leave no empty output directory behind.
    if (created) rmSync(created, { recursive: true, force: true });
    // Library-side validation (e.g. a connectivity the kind cannot express) names its argument.
    const err = e instanceof nd.ValidationError ? new ExperimentError('', e.message) : e;
    if (err instanceof ExperimentError) Object.assign(err, { file, what: 'experiment file' });
    throw err;
  }
  let stop = null;
  const onSignal = (sig) => {
    stop = sig;
    // The next signal takes the default action: exit at once, without writing.
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    if (!out.quiet)
      process.stderr.write(`\nneurodyn: ${sig}: stopping after the current chunk and writing the results so far (again to exit at once)\n`);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  // Time-stepped kinds count steps of dt; study kinds count units (trials) and have no dt.
  const study = !!kind.study;
  const dt = study ? 1 : experiment.dt;
  const total = sim.totalSteps;
  const progress = new RunProgress({
    quiet: out.quiet,
    totalMs: study ? total : experiment.duration,
    label: experiment.name,
    unit: study ? (sim.unit ?? 'units') : 'ms',
  });
  // Study kinds advance by their own shards. Time-stepped kinds advance in chunks sized to about
  // 0.2 s of wall-clock time (doubling or halving as measured, at most 1/200 of the run), so that
  // progress stays live and Ctrl-C is honoured within a fraction of a second whatever the size.
  const cap = study ? (sim.chunkSteps ?? total) : Math.max(1, Math.ceil(total / 200));
  let chunk = study ? cap : Math.min(cap, 8);
  const t0 = performance.now();
  let error = null;
  progress.update(0);
  while (sim.stepsDone < total && !stop) {
    const n = Math.min(chunk, total - sim.stepsDone);
    const c0 = performance.now();
    try {
      await sim.advance(n);
    } catch (e) {
      error = e;
      break;
    }
    if (!study) {
      const ms = performance.now() - c0;
      if (ms < 100 && n === chunk) chunk = Math.min(cap, chunk * 2);
      else if (ms > 400) chunk = Math.max(1, Math.floor(chunk / 2));
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
  const simulated = Number((status.simulatedMs ?? 0).toPrecision(12));
  const where = study ? `after ${status.unitsDone} of ${total} ${status.unit}` : `at t = ${simulated} ms of ${experiment.duration} ms`;
  const did = study ? `${status.unitsDone} ${status.unit}` : `${simulated} ms simulated`;
  const rtf = !study && status.realTimeFactor ? `, real-time factor ${fmt(status.realTimeFactor)}` : '';
  const head = `${experiment.name} (${experiment.kind}): ${
    stop ? `interrupted by ${stop} ${where}` : error ? `stopped by ${error.name} ${where}` : `complete, ${did}`
  } (${wallSeconds.toFixed(2)} s${rtf})`;
  const human = [head, ...summaryLines(results.summary), `  written to ${dir}: ${files.join(', ')}`].join('\n');
  out.result({ out: dir, files, ...status, summary: results.summary }, human);
  if (stop) {
    process.stderr.write(`neurodyn: interrupted by ${stop} ${where}; partial results written to ${dir}\n`);
    return EXIT.interrupted;
  }
  if (error) {
    process.stderr.write(`neurodyn: ${error.name}: ${error.message}\nresults up to the failure written to ${dir}\n`);
    return EXIT.error;
  }
  return EXIT.ok;
}

async function cmdValidate(values, [file]) {
  const out = new Out(values);
  const nd = await lib();
  const { experiment } = readExperiment(file, await loadKinds(), nd, false);
  out.result(experiment, JSON.stringify(experiment, null, 1));
  out.info(`${file} is a valid "${experiment.kind}" experiment`);
  return EXIT.ok;
}

/** A field tree as plain data (for `kinds --json`). */
function fieldInfo(f) {
  const o = { type: f.type, allowed: describe(f) };
  if (f.unit) o.unit = f.unit;
  if (f.default !== undefined && f.type !== 'object') o.default = f.default;
  if (f.optional) o.optional = true;
  if (f.type === 'object') o.fields = Object.fromEntries(Object.entries(f.fields).map(([k, v]) => [k, fieldInfo(v)]));
  if (f.type === 'array' && f.items.type === 'object') o.items = fieldInfo(f.items);
  if (f.type === 'oneOf' && f.options.every((x) => x.type === 'object')) o.options = f.options.map(fieldInfo);
  return o;
}

function listFields(fields, indent, lines) {
  for (const [name, f] of Object.entries(fields)) {
    const extra = `${f.default !== undefined && f.type !== 'object' ? ` (default ${JSON.stringify(f.default)})` : ''}${f.optional ? ' (optional)' : ''}`;
    const obj = f.type === 'object' ? f : f.type === 'array' && f.items.type === 'object' ? f.items : null;
    const variants = f.type === 'oneOf' && f.options.every((o) => o.type === 'object') ? f.options : null;
    lines.push(`${' '.repeat(indent)}${name}: ${obj && f.type === 'object' ? 'an object' : describe(f)}${extra}`);
    if (obj) listFields(obj.fields, indent + 2, lines);
    if (variants) for (const v of variants) listFields(v.fields, indent + 2, lines);
  }
}

async function cmdKinds(values) {
  const out = new Out(values);
  const nd = await lib();
  const kinds = await loadKinds();
  const lines = [];
  for (const k of Object.values(kinds)) {
    lines.push('', `${k.kind}${available(k, nd) ? '' : ' (not available in this build)'}: ${k.description}`);
    listFields(k.spec.fields, 2, lines);
  }
  out.result(
    {
      kinds: Object.values(kinds).map((k) => ({
        kind: k.kind,
        description: k.description,
        available: available(k, nd),
        fields: fieldInfo(k.spec).fields,
      })),
    },
    lines.join('\n'),
  );
  return EXIT.ok;
}

async function cmdExample(values, [name]) {
  const out = new Out(values);
  const kinds = await loadKinds();
  if (!kinds[name]) {
    const guess = nearest(name, Object.keys(kinds));
    throw new UsageError(
      `example: unknown kind ${JSON.stringify(name)}${guess ? ` (did you mean ${guess}?)` : ''} (kinds: ${Object.keys(kinds).join(', ')})`,
    );
  }
  out.result(kinds[name].example, JSON.stringify(kinds[name].example, null, 2));
  return EXIT.ok;
}

const COMMANDS = {
  run: {
    name: 'run',
    summary: 'run an experiment described by a JSON file',
    description:
      'Runs the experiment in <experiment.json> (see `neurodyn kinds` and `neurodyn example <kind>`) and writes its results: data files (spikes, rate, state) in the formats of --format through the library exporters, SVG plots, and result.json, which holds the experiment with defaults filled in, the run status and the summary, and names the data files instead of repeating their arrays. A progress line on stderr shows the fraction done, the simulated time, the elapsed time, an ETA and the real-time factor. Ctrl-C stops after the chunk in progress (a fraction of a second) and writes everything computed so far with "complete": false; a second Ctrl-C exits at once without writing. The output directory is created and checked before the run starts.',
    positionals: [{ name: 'experiment.json', help: 'the experiment file (a JSON object with a "kind" field)' }],
    options: {
      out: { type: 'string', value: 'DIR', help: 'output directory, created if missing', default: 'out/<name>' },
      format: {
        type: 'string',
        value: 'LIST',
        help: `data formats, comma-separated: ${FORMATS.join(', ')} (csv: spikes.csv, rate.csv, state.csv; npy: the same as .npz; sonata: spikes.sonata.h5; nwb: session.nwb with spikes and the recorded state)`,
        default: 'csv',
        parse: listOf(FORMATS),
      },
      ...QUIET_OPTION,
      ...JSON_OPTION,
      ...HELP_OPTION,
    },
    run: cmdRun,
  },
  validate: {
    name: 'validate',
    summary: 'check an experiment file and print it with defaults filled in',
    description:
      'Checks <experiment.json> against its kind (every field, its range and unit) without running it, and prints the experiment with every default filled in. A problem is reported with the field path, the allowed range and the value received (exit code 2). The structure is checked even when the model is not in this build.',
    positionals: [{ name: 'experiment.json', help: 'the experiment file' }],
    options: { ...QUIET_OPTION, ...JSON_OPTION, ...HELP_OPTION },
    run: cmdValidate,
  },
  kinds: {
    name: 'kinds',
    summary: 'list the experiment kinds and their fields',
    description: 'Lists every experiment kind with its description and its fields (allowed values, units, defaults).',
    positionals: [],
    options: { ...JSON_OPTION, ...HELP_OPTION },
    run: cmdKinds,
  },
  example: {
    name: 'example',
    summary: 'print an example experiment file of a kind',
    description: 'Prints an example experiment of <kind> as JSON: a starting point (`neurodyn example lif > exp.json`).',
    positionals: [{ name: 'kind', help: 'an experiment kind (see neurodyn kinds)' }],
    options: { ...JSON_OPTION, ...HELP_OPTION },
    run: cmdExample,
  },
  ...SWEEP_COMMANDS,
};

function usage() {
  const w = Math.max(...Object.values(COMMANDS).map((c) => synopsis(c).length));
  return `neurodyn ${VERSION}: neural dynamics experiments from JSON files

usage: neurodyn <command> [arguments] [options]

commands:
${Object.values(COMMANDS)
  .map((c) => `  ${synopsis(c).padEnd(w + 2)}${c.summary}`)
  .join('\n')}
  neurodyn help [<command>]${' '.repeat(Math.max(2, w + 2 - 'neurodyn help [<command>]'.length))}this text, or a command's options
  neurodyn --version, -v${' '.repeat(Math.max(2, w + 2 - 'neurodyn --version, -v'.length))}print the version

Run \`neurodyn <command> --help\` for a command's arguments and every option. Documentation:
docs/guides/cli.md and docs/guides/scale-out.md.
`;
}

/** Writes an error on stderr (and as JSON on stdout with --json); returns its exit code. */
function report(e, json) {
  const code = e instanceof UsageError || e instanceof ExperimentError ? EXIT.usage : EXIT.error;
  if (json) {
    const err = { name: e?.name ?? 'Error', message: e?.message ?? String(e) };
    if (e?.field) err.field = e.field;
    if (e?.file) err.file = e.file;
    process.stdout.write(`${JSON.stringify({ error: err, exitCode: code })}\n`);
  }
  if (e instanceof UsageError) process.stderr.write(`neurodyn: ${e.message}\n`);
  else if (e instanceof ExperimentError)
    process.stderr.write(`neurodyn: invalid ${e.what ?? 'input file'}${e.file ? ` ${e.file}` : ''}: ${e.message}\n`);
  else process.stderr.write(`neurodyn: ${e?.name ?? 'Error'}: ${e?.message ?? e}\n`);
  return code;
}

async function main(argv) {
  const [first, ...rest] = argv;
  const json = rest.includes('--json');
  if (first === undefined) {
    process.stderr.write(`neurodyn: expected a command\n\n${usage()}`);
    return EXIT.usage;
  }
  if (first === '--help' || first === '-h') {
    process.stdout.write(usage());
    return EXIT.ok;
  }
  if (first === 'help') {
    if (rest.length === 0) process.stdout.write(usage());
    else if (COMMANDS[rest[0]] && rest.length === 1) process.stdout.write(commandHelp(COMMANDS[rest[0]]));
    else return report(new UsageError(`help: unknown command ${JSON.stringify(rest.join(' '))}`), false);
    return EXIT.ok;
  }
  if (first === '--version' || first === '-v' || first === 'version') {
    process.stdout.write(`${VERSION}\n`);
    return EXIT.ok;
  }
  const cmd = COMMANDS[first];
  if (!cmd) {
    const guess = first.startsWith('-') ? null : nearest(first, Object.keys(COMMANDS));
    return report(
      new UsageError(
        first.startsWith('-')
          ? `unknown option ${first} before the command (commands: ${Object.keys(COMMANDS).join(', ')}; neurodyn --help)`
          : `unknown command ${JSON.stringify(first)}${guess ? ` (did you mean ${guess}?)` : ''}; commands: ${Object.keys(COMMANDS).join(', ')}`,
      ),
      json,
    );
  }
  try {
    const { values, positionals } = parseCommand(cmd, rest);
    if (values.help) {
      process.stdout.write(commandHelp(cmd));
      return EXIT.ok;
    }
    return await cmd.run(values, positionals, { lib, Out });
  } catch (e) {
    return report(e, json);
  }
}

// Exit explicitly: a worker pool or timer left open by a kind must not keep the process alive.
process.exit(await main(process.argv.slice(2)));
