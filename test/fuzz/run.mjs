// The fuzz suite's parent: runs each family's cases in a child process (test/fuzz/driver.mjs),
// kills the child when a call exceeds its time bound (a hang) and restarts it after the case
// that hung or killed it (a process abort), and adds up the figures.
//
//   node test/fuzz/run.mjs [--family fp,ltn] [--runs R] [--systematic all|N] [--json]
//
// NEURODYN_FUZZ_RUNS=R sets the random cases per entry and runs every systematic case (the long
// run); without it the in-suite budget is used (a few random cases per entry, every third
// systematic case).
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** The in-suite budget, or the long run when NEURODYN_FUZZ_RUNS is set. */
export function budget() {
  const env = process.env.NEURODYN_FUZZ_RUNS;
  if (env) return { runs: Number(env), systematic: 'all' };
  return { runs: 2, systematic: '4' };
}

/** Empty figures for one family. */
function figures(family) {
  return {
    family,
    calls: 0,
    typed: 0,
    typedByClass: {},
    raw: 0,
    nonFinite: 0,
    hangs: 0,
    aborts: 0,
    leaks: 0,
    broken: 0,
    badTyped: 0,
    baseline: 0,
    setup: 0,
    ok: 0,
    samples: [],
    slowest: { ms: 0, entry: '' },
    ms: 0,
  };
}

/**
 * Runs one family to the end, restarting the child after a hang or an abort.
 * @returns the family's figures
 */
export async function fuzzFamily(family, { runs, systematic, seed = 16, maxSamples = 40, entry } = budget()) {
  const f = figures(family);
  const t0 = Date.now();
  let from = 0;
  for (let restarts = 0; restarts < 200; restarts++) {
    const r = await runChild(family, from, { runs, systematic, seed, entry }, f, maxSamples);
    if (r.done) break;
    if (r.current === undefined) {
      // died before the first case: a broken driver or registry
      f.aborts++;
      f.samples.push({ outcome: 'driver', family, stderr: r.stderr.slice(-2000) });
      break;
    }
    const [k, name, what] = r.current;
    if (r.hung) {
      f.hangs++;
      f.samples.push({ k, outcome: 'hang', entry: name, case: what, boundMs: r.bound });
    } else if (r.exitCode !== 3) {
      f.aborts++;
      f.samples.push({ k, outcome: 'abort', entry: name, case: what, exit: r.exitCode, signal: r.signal, stderr: r.stderr.slice(-600) });
    }
    f.calls++;
    from = k + 1;
  }
  f.ms = Date.now() - t0;
  return f;
}

function runChild(family, from, { runs, systematic, seed, entry }, f, maxSamples) {
  return new Promise((resolve) => {
    const args = [
      '--max-old-space-size=1536',
      join(here, 'driver.mjs'),
      '--family',
      family,
      '--from',
      String(from),
      '--runs',
      String(runs),
      '--systematic',
      String(systematic),
      '--seed',
      String(seed),
    ];
    if (entry) args.push('--entry', entry);
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let buf = '';
    let stderr = '';
    let current;
    let bound = 0;
    let started = 0;
    let timer;
    let done = false;
    let hung = false;
    const arm = (ms) => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        hung = true;
        child.kill('SIGKILL');
      }, ms);
    };
    arm(120_000); // start-up and case generation
    child.stderr.on('data', (d) => {
      stderr += d;
      if (stderr.length > 20_000) stderr = stderr.slice(-10_000);
    });
    child.stdout.on('data', (d) => {
      buf += d;
      let i = buf.indexOf('\n');
      while (i >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        i = buf.indexOf('\n');
        const tag = line[0];
        if (tag === 'B') {
          const [, k, ms, name, ...what] = line.split(' ');
          current = [Number(k), name, what.join(' ')];
          bound = Number(ms);
          started = Date.now();
          arm(bound);
        } else if (tag === 'E') {
          const outcome = line.split(' ')[2];
          const ms = Date.now() - started;
          if (ms > f.slowest.ms) f.slowest = { ms, entry: current?.[1] ?? '' };
          f.calls++;
          tally(f, outcome);
          current = undefined;
          arm(120_000);
        } else if (tag === 'S') {
          if (f.samples.length < maxSamples) f.samples.push(JSON.parse(line.slice(2)));
        } else if (tag === 'D') done = true;
      }
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ done, current, hung, bound, exitCode: code, signal, stderr });
    });
  });
}

function tally(f, outcome) {
  if (outcome === 'ok') f.ok++;
  else if (outcome.startsWith('typed:')) {
    f.typed++;
    const c = outcome.slice(6);
    f.typedByClass[c] = (f.typedByClass[c] ?? 0) + 1;
  } else if (outcome.startsWith('raw:')) f.raw++;
  else if (outcome === 'nonfinite') f.nonFinite++;
  else if (outcome === 'leak') f.leaks++;
  else if (outcome === 'broken') f.broken++;
  else if (outcome === 'badtyped') f.badTyped++;
  else if (outcome === 'baseline') f.baseline++;
  else if (outcome === 'setup') f.setup++;
}

/** The figures' one-line summary, in the form of issue #16's closing note. */
export function summaryLine(f) {
  return `${f.family}: calls ${f.calls}, typed errors ${f.typed}, raw JS errors ${f.raw}, non-finite results for invalid input ${f.nonFinite}, hangs ${f.hangs}, process aborts ${f.aborts}, leaking calls ${f.leaks}`;
}

/** Adds up families. */
export function total(list) {
  const t = figures('total');
  for (const f of list) {
    for (const k of [
      'calls',
      'typed',
      'raw',
      'nonFinite',
      'hangs',
      'aborts',
      'leaks',
      'broken',
      'badTyped',
      'baseline',
      'setup',
      'ok',
      'ms',
    ])
      t[k] += f[k];
    for (const [c, n] of Object.entries(f.typedByClass)) t.typedByClass[c] = (t.typedByClass[c] ?? 0) + n;
  }
  return t;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const argv = process.argv.slice(2);
  const opt = (name, dflt) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : dflt;
  };
  const { FAMILIES } = await import('../contract/registry.mjs');
  const b = budget();
  const fams = opt('family', FAMILIES.join(',')).split(',');
  const cfg = { runs: Number(opt('runs', b.runs)), systematic: opt('systematic', b.systematic), entry: opt('entry') };
  const all = [];
  for (const fam of fams) {
    const f = await fuzzFamily(fam, cfg);
    all.push(f);
    console.log(`${summaryLine(f)} (${(f.ms / 1000).toFixed(1)} s; slowest ${f.slowest.ms} ms ${f.slowest.entry})`);
    const extra = ['broken', 'badTyped', 'baseline', 'setup'].filter((k) => f[k] > 0).map((k) => `${k} ${f[k]}`);
    if (extra.length) console.log(`  also: ${extra.join(', ')}`);
    for (const s of f.samples) console.log(`  ${JSON.stringify(s)}`);
  }
  const t = total(all);
  console.log(summaryLine(t));
  console.log(`typed errors by class: ${JSON.stringify(t.typedByClass)}`);
  if (argv.includes('--json')) console.log(JSON.stringify(all));
}
