// The CLI (bin/neurodyn.mjs) on the BUILT package: per-command help that documents every flag the
// parser accepts; unknown flags, missing values and bad arguments are exit 2 naming the flag;
// malformed files get messages naming the field and the allowed range (exit 2); the output
// directory is checked before the build; Ctrl-C acts at once during a build and on the second
// press; a run interrupted with SIGINT writes its partial results and exits 130; a complete run
// writes JSON, CSV (neuron,time (ms)) and SVG whose numbers agree.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import * as nd from '../../dist/index.js';

const BIN = new URL('../../bin/neurodyn.mjs', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'neurodyn-cli-'));

function runCli(args: string[]) {
  return spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000 });
}
function writeExp(name: string, exp: unknown): string {
  const f = join(tmp, `${name}.json`);
  writeFileSync(f, typeof exp === 'string' ? exp : JSON.stringify(exp));
  return f;
}
const good = {
  kind: 'poisson',
  seed: 3,
  duration: 200,
  dt: 0.1,
  network: { neurons: 50, rate: 40 },
  monitors: { spikes: true, rate: { binSize: 20 } },
};

const PKG = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
const COMMANDS = ['run', 'validate', 'kinds', 'example', 'sweep', 'shard', 'status', 'merge'];
// The flags each command is documented (docs/guides/cli.md, scale-out.md) to take.
const FLAGS: Record<string, string[]> = {
  run: ['--out', '--format', '--quiet', '--json', '--help'],
  validate: ['--quiet', '--json', '--help'],
  kinds: ['--json', '--help'],
  example: ['--json', '--help'],
  sweep: [
    '--out',
    '--workers',
    '--range',
    '--format',
    '--slurm',
    '--dry-run',
    '--no-wait',
    '--shards',
    '--partition',
    '--time',
    '--cpus-per-task',
    '--mem',
    '--max-resubmits',
    '--poll',
    '--quiet',
    '--json',
    '--help',
  ],
  shard: ['--workers', '--quiet', '--json', '--help'],
  status: ['--quiet', '--json', '--help'],
  merge: ['--format', '--quiet', '--json', '--help'],
};

describe('neurodyn CLI: commands, flags, help', () => {
  test.each(COMMANDS)('%s --help exits 0 and documents exactly the flags the parser accepts', (cmd) => {
    const r = runCli([cmd, '--help']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^usage: neurodyn ${cmd}`));
    expect(r.stdout).toMatch(/exit codes:\n {2}0 {4}done/);
    // Every documented flag has a help line of its own …
    const documented = [...r.stdout.matchAll(/^ {2}(?:-\w, | {4})(--[a-z-]+)/gm)].map((m) => m[1]);
    expect(documented.sort()).toEqual([...FLAGS[cmd]].sort());
    for (const f of documented) {
      const line = r.stdout.split('\n').find((l) => l.includes(f) && /^ {2}/.test(l)) ?? '';
      expect(line.replace(/^\s*(-\w, )?--[a-z-]+( [A-Z:<>]+)?/, '').trim().length, `${cmd} ${f}`).toBeGreaterThan(10);
    }
    // … and the parser knows it: no flag of the help is an unknown option.
    for (const f of documented) {
      const x = runCli([cmd, f, 'x', '--help']);
      expect(x.stderr, `${cmd} ${f}`).not.toMatch(/unknown option/);
    }
    // `neurodyn help <cmd>` prints the same text.
    expect(runCli(['help', cmd]).stdout).toBe(r.stdout);
  });

  test('neurodyn --help lists every command; no command is exit 2 with the usage', () => {
    const r = runCli(['--help']);
    expect(r.status).toBe(0);
    for (const c of COMMANDS) expect(r.stdout).toMatch(new RegExp(`^ {2}neurodyn ${c}\\b`, 'm'));
    const none = runCli([]);
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/expected a command/);
  });

  test('-v, --version and version print the version of package.json', () => {
    for (const a of ['-v', '--version', 'version']) {
      const r = runCli([a]);
      expect(r.status).toBe(0);
      expect(r.stdout.trim()).toBe(PKG.version);
    }
  });

  test('a misspelt flag is exit 2 naming it (and the nearest flag); nothing is written', () => {
    const out = join(tmp, 'ouput-y');
    const r = runCli(['run', writeExp('ouput', good), '--ouput', out]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/run: unknown option --ouput \(did you mean --out\?\)/);
    expect(existsSync(out)).toBe(false);
    expect(existsSync(join('out', 'ouput'))).toBe(false);
  });

  test('--out without a value is exit 2 naming --out (at the end, before another flag, or empty)', () => {
    for (const args of [['--out'], ['--out', '--quiet'], ['--out=']]) {
      const r = runCli(['run', writeExp('noval', good), ...args]);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/run: --out needs a value \(DIR\)/);
    }
  });

  test('usage errors name what is wrong: command, argument count, repeated flag, flag value', () => {
    const cases: [string[], RegExp][] = [
      [['rn', 'x.json'], /unknown command "rn" \(did you mean run\?\)/],
      [['run'], /run: missing argument <experiment\.json>/],
      [['run', 'a.json', 'b.json'], /run: unexpected argument "b\.json"/],
      [['run', 'a.json', '--out', 'x', '--out', 'y'], /run: --out given more than once/],
      [['run', 'a.json', '--quiet=yes'], /run: --quiet takes no value/],
      [['run', 'a.json', '--format', 'csv,hdf5'], /run: --format: expected a comma-separated list of csv, npy, sonata, nwb, got "hdf5"/],
      [['example', 'lfi'], /example: unknown kind "lfi" \(did you mean lif\?\)/],
      [['sweep', 'spec.json', '--workers', 'two'], /sweep: --workers: expected an integer in \[0, 256\], got "two"/],
      [['help', 'nope'], /help: unknown command "nope"/],
    ];
    for (const [args, re] of cases) {
      const r = runCli(args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(re);
    }
  });

  test('--json: stdout is one JSON document, the result or the error with its exit code', () => {
    const out = join(tmp, 'json-mode');
    const r = runCli(['run', writeExp('json-mode', good), '--out', out, '--json', '--quiet']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe(''); // --quiet: no progress, no messages
    const doc = JSON.parse(r.stdout);
    expect(doc.complete).toBe(true);
    expect(doc.files).toEqual(JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')).files);
    expect(doc.summary.spikes).toBe(readFileSync(join(out, 'spikes.csv'), 'utf8').trim().split('\n').length - 1);
    const bad = runCli(['run', writeExp('json-bad', { ...good, dt: -1 }), '--json']);
    expect(bad.status).toBe(2);
    const err = JSON.parse(bad.stdout);
    expect(err.exitCode).toBe(2);
    expect(err.error.field).toBe('dt');
    expect(err.error.message).toMatch(/dt: expected a finite number in \(0, 10\] ms, got -1/);
    expect(bad.stderr).toMatch(/dt: expected/); // the human message stays on stderr
    const kinds = JSON.parse(runCli(['kinds', '--json']).stdout);
    expect(kinds.kinds.map((k: { kind: string }) => k.kind)).toEqual(expect.arrayContaining(['lif', 'poisson']));
  });

  test('default mode: a human summary on stdout; --quiet: no progress or messages on stderr', () => {
    const r = runCli(['run', writeExp('human', good), '--out', join(tmp, 'human')]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^human \(poisson\): complete, 200 ms simulated/);
    expect(r.stdout).toMatch(/written to .*human: spikes\.csv, rate\.csv, raster\.svg, rate\.svg, result\.json/);
    expect(r.stderr).toMatch(/\[#+\] 100%/);
    const q = runCli(['run', writeExp('human', good), '--out', join(tmp, 'human-q'), '-q']);
    expect(q.status).toBe(0);
    expect(q.stderr).toBe('');
  });

  test('--out under a file: exit 2 before the network is set up, naming --out', () => {
    const file = join(tmp, 'a-file');
    writeFileSync(file, 'x');
    const r = runCli(['run', writeExp('under-file', good), '--out', join(file, 'sub')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--out: cannot write to .*a-file\/sub \(a parent of it is a file\)/);
    expect(r.stderr).not.toMatch(/setting up/);
  });
});

describe('neurodyn CLI: malformed experiment files', () => {
  const cases: [string, unknown, RegExp][] = [
    [
      'negative neuron count',
      { ...good, network: { neurons: -3, rate: 5 } },
      /network\.neurons: expected an integer in \[1, 10000000\], got -3/,
    ],
    ['dt = 0', { ...good, dt: 0 }, /dt: expected a finite number in \(0, 10\] ms, got 0/],
    ['duration missing', { ...good, duration: undefined }, /duration: required: expected a finite number in \(0, 10000000\] ms/],
    [
      'rate as a string',
      { ...good, network: { neurons: 5, rate: 'fast' } },
      /network\.rate: expected a finite number in \[0, 10000\] Hz, got "fast"/,
    ],
    ['misspelt field', { ...good, network: { neurons: 5, rat: 5 } }, /network\.rat: unknown field \(allowed: neurons, rate\)/],
    ['unknown kind', { ...good, kind: 'hodgkin-huxley' }, /kind: expected one of .*"poisson".*got "hodgkin-huxley"/],
    [
      'bad monitor bin',
      { ...good, monitors: { rate: { binSize: -1 } } },
      /monitors\.rate\.binSize: expected a finite number in \(0, 1000000\] ms, got -1/,
    ],
    [
      'monitor bin not a multiple of dt',
      { ...good, monitors: { rate: { binSize: 0.25 } } },
      /monitors\.rate\.binSize: expected a positive multiple of dt = 0.1 ms, got 0.25/,
    ],
    [
      'the old name of the rate bin',
      { ...good, monitors: { rate: { bin: 5 } } },
      /monitors\.rate\.bin: unknown field \(allowed: binSize\)/,
    ],
    ['seed not an integer', { ...good, seed: 1.5 }, /seed: expected an integer in \[0, 2\^53\) or a string, got 1.5/],
  ];
  test.each(cases)('%s → exit 2 naming the field', (name, exp, re) => {
    const r = runCli(['run', writeExp(name.replace(/\W+/g, '-'), exp), '--out', join(tmp, 'never')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^neurodyn: invalid experiment file .*\.json: /m);
    expect(r.stderr).toMatch(re);
    expect(existsSync(join(tmp, 'never'))).toBe(false);
  });
  const lif = JSON.parse(readFileSync(new URL('../../examples/cli/cuba.json', import.meta.url), 'utf8'));
  // biome-ignore lint/suspicious/noExplicitAny: edits of a parsed JSON file
  const lifCases: [string, (e: any) => void, RegExp][] = [
    [
      'negative per-neuron tauMem',
      (e) => (e.network.populations[1].params.tauMem = [20, -3]),
      /network\.populations\[1\]\.params\.tauMem\[1\]: expected a finite number > 0 ms, got -3/,
    ],
    [
      'misspelt connector type',
      (e) => (e.network.projections[2].connector.type = 'fixedProb'),
      /network\.projections\[2\]\.connector\.type: expected one of "allToAll", "fixedProbability"/,
    ],
    [
      'connection probability above 1',
      (e) => (e.network.projections[0].connector.p = 2),
      /network\.projections\[0\]\.connector\.p: expected a finite number in \[0, 1\], got 2/,
    ],
    [
      'unknown integrator',
      (e) => (e.scheme.integrator = 'rk4'),
      /scheme\.integrator: expected one of "euler-maruyama", "exact", got "rk4"/,
    ],
    [
      'no populations',
      (e) => (e.network.populations = []),
      /network\.populations: expected at least one population \(or `layers`\), got none/,
    ],
  ];
  test.each(lifCases)('lif file, %s → exit 2 naming the field (structure checked even without the model)', (name, edit, re) => {
    const e = structuredClone(lif);
    edit(e);
    const r = runCli(['validate', writeExp(`lif-${name.replace(/\W+/g, '-')}`, e)]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(re);
  });
  test('the example experiment files are valid', () => {
    for (const f of ['cuba', 'noisy-population', 'poisson']) {
      const r = runCli(['validate', new URL(`../../examples/cli/${f}.json`, import.meta.url).pathname]);
      expect(r.status, r.stderr).toBe(0);
    }
  });
  test('invalid JSON → exit 2 with the parser message', () => {
    const r = runCli(['validate', writeExp('broken', '{"kind": "poisson", duration: 3}')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/is not valid JSON/);
  });
});

describe('neurodyn CLI: runs', () => {
  test('a complete run writes result.json, spikes.csv (neuron,time (ms)), rate.csv and SVG plots that agree', () => {
    const out = join(tmp, 'good');
    const r = runCli(['run', writeExp('good', good), '--out', out]);
    expect(r.status, r.stderr).toBe(0);
    const res = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8'));
    expect(res.status.complete).toBe(true);
    expect(res.status.simulatedMs).toBeCloseTo(200, 9);
    const csv = readFileSync(join(out, 'spikes.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('neuron,time (ms)');
    expect(csv.length - 1).toBe(res.summary.spikes);
    expect(res.spikes).toEqual({ count: res.summary.spikes, files: ['spikes.csv'] });
    // Bernoulli(p) per step, p = 1 - exp(-rate dt): 50 neurons × 2000 steps, mean count 398.
    const p = 1 - Math.exp(-40 * 1e-4);
    const mean = 50 * 2000 * p;
    expect(Math.abs(res.summary.spikes - mean)).toBeLessThan(5 * Math.sqrt(mean * (1 - p)));
    for (const line of csv.slice(1)) {
      const [n, t] = line.split(',').map(Number);
      expect(Number.isInteger(n) && n >= 0 && n < 50 && t >= 0 && t < 200).toBe(true);
    }
    expect(readFileSync(join(out, 'raster.svg'), 'utf8')).toMatch(/^<svg/);
    expect(readFileSync(join(out, 'rate.csv'), 'utf8').split('\n')[0]).toBe('time (ms),rateHz (Hz)');
    // Same seed ⇒ the same spikes.
    const again = join(tmp, 'good2');
    expect(runCli(['run', writeExp('good', good), '--out', again, '--quiet']).status).toBe(0);
    expect(readFileSync(join(again, 'spikes.csv'), 'utf8')).toBe(readFileSync(join(out, 'spikes.csv'), 'utf8'));
  });

  test('SIGINT: partial results written, exit non-zero with a message', async () => {
    const out = join(tmp, 'interrupted');
    const long = { ...good, duration: 1e6, network: { neurons: 200, rate: 10 } };
    const child = spawn(process.execPath, [BIN, 'run', writeExp('long', long), '--out', out, '--json'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    const code = await new Promise<number | null>((resolve) => {
      let sent = false;
      child.stderr.on('data', (d) => {
        stderr += d;
        // Interrupt once the run has visibly progressed (a progress line with the real-time factor).
        if (!sent && /real-time factor/.test(stderr)) {
          sent = true;
          setTimeout(() => child.kill('SIGINT'), 300);
        }
      });
      child.on('close', resolve);
    });
    expect(code).toBe(130);
    expect(stderr).toMatch(/interrupted by SIGINT at t = [\d.]+ ms of 1000000 ms; partial results written/);
    expect(stderr).toMatch(/ETA/);
    const res = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8'));
    expect(res.status.complete).toBe(false);
    expect(res.status.interrupted).toBe('SIGINT');
    expect(res.status.simulatedMs).toBeGreaterThan(0);
    expect(res.status.simulatedMs).toBeLessThan(1e6);
    const csv = readFileSync(join(out, 'spikes.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('neuron,time (ms)');
    expect(csv.length - 1).toBe(res.summary.spikes);
    // Every spike lies in the simulated part, and the partial run is a prefix of the full one.
    const last = Number(csv[csv.length - 1].split(',')[1]);
    expect(last).toBeLessThan(res.status.simulatedMs);
    expect(JSON.parse(stdout.trim().split('\n').pop()!).complete).toBe(false);
  });
});

describe.skipIf(!('LifNetwork' in nd))('neurodyn CLI: lif experiments', () => {
  test('a lif run gives exactly the spikes of the same network built with the library', async () => {
    const exp = JSON.parse(readFileSync(new URL('../../examples/cli/noisy-population.json', import.meta.url), 'utf8'));
    exp.duration = 300;
    const out = join(tmp, 'lif-ok');
    const r = runCli(['run', writeExp('lif-ok', exp), '--out', out, '--quiet']);
    expect(r.status, r.stderr).toBe(0);
    const res = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8'));
    await nd.init();
    const net = new nd.LifNetwork({ dt: exp.dt, integrator: exp.scheme.integrator, spikeRule: exp.scheme.spikeRule, seed: exp.seed });
    const pop = exp.network.populations[0];
    net.addPopulation(pop.name, pop.size, pop.params);
    const mon = net.addSpikeMonitor();
    net.run(300);
    const s = mon.spikes();
    const times = s.time;
    net.dispose();
    expect(res.summary.spikes).toBe(s.neuron.length);
    const csv = readFileSync(join(out, 'spikes.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('neuron,time (ms)');
    expect(csv.length - 1).toBe(s.neuron.length);
    // Spike times in the CSV are the library's f64 times, written in their shortest exact form.
    for (let k = 0; k < Math.min(50, s.neuron.length); k++) {
      const [n, t] = csv[k + 1].split(',').map(Number);
      expect(n).toBe(s.neuron[k]);
      expect(t).toBe(times[k]);
    }
    expect(res.state.neurons).toEqual([0, 1, 2]);
    expect(readFileSync(join(out, 'state.csv'), 'utf8').split('\n')[0]).toBe('time (ms),neuron,v,i,i2');
  });

  test('examples/cli/cuba.json is the CUBA network of the library: same spikes as createLifCuba', async () => {
    const exp = JSON.parse(readFileSync(new URL('../../examples/cli/cuba.json', import.meta.url), 'utf8'));
    exp.duration = 200;
    const out = join(tmp, 'cuba-200');
    const r = runCli(['run', writeExp('cuba-200', exp), '--out', out, '--quiet']);
    expect(r.status, r.stderr).toBe(0);
    const res = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8'));
    await nd.init();
    const net = nd.createLifCuba({ seed: exp.seed });
    const mon = net.addSpikeMonitor();
    net.run(200);
    expect(res.summary.spikes).toBe(mon.count);
    expect(res.summary.synapses).toBe(net.memory().synapses);
    net.dispose();
  });

  test('a layered feedforward network (network.layers → addLayers): spikes in every layer, errors re-rooted', () => {
    const exp = {
      kind: 'lif',
      seed: 4,
      duration: 200,
      dt: 0.1,
      network: {
        layers: {
          sizes: [30, 30, 30],
          params: { mu: 0.055, sigma: 0.02, v0: { uniform: [0, 1] } },
          projection: { connector: { type: 'allToAll' }, weight: 0.003 },
        },
      },
      monitors: { spikes: true },
    };
    const out = join(tmp, 'layers');
    const r = runCli(['run', writeExp('layers', exp), '--out', out, '--quiet']);
    expect(r.status, r.stderr).toBe(0);
    const res = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8'));
    expect(Object.keys(res.summary.populations)).toEqual(['L0', 'L1', 'L2']);
    for (const p of Object.values(res.summary.populations) as { spikes: number }[]) expect(p.spikes).toBeGreaterThan(0);
    const bad = structuredClone(exp);
    (bad.network.layers.projection.connector as { type: string; p?: number }) = { type: 'fixedProbability', p: 1.5 };
    const r2 = runCli(['validate', writeExp('layers-bad', bad)]);
    expect(r2.status).toBe(2);
    expect(r2.stderr).toMatch(/network\.layers\.projection\.connector\.p: expected a finite number in \[0, 1\], got 1.5/);
  });

  test('a library-side check comes back naming the experiment field (vReset >= vThreshold)', () => {
    const exp = JSON.parse(readFileSync(new URL('../../examples/cli/noisy-population.json', import.meta.url), 'utf8'));
    exp.network.populations[0].params.vReset = 2;
    const r = runCli(['run', writeExp('lif-vreset', exp), '--out', join(tmp, 'never2')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/network\.populations\[0\]\.params\.vReset: expected a value < vThreshold \(1\), got 2/);
  });

  test('library checks of monitors and layers come back naming the experiment field', () => {
    const exp = JSON.parse(readFileSync(new URL('../../examples/cli/noisy-population.json', import.meta.url), 'utf8'));
    exp.monitors.state.interval = 0.25;
    const r = runCli(['run', writeExp('lif-interval', exp), '--out', join(tmp, 'never3')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/monitors\.state\.interval: expected a positive multiple of dt = 0.1 ms, got 0.25/);
    const layered = {
      kind: 'lif',
      duration: 10,
      network: { layers: { sizes: [5, 5], params: { vReset: 2 }, projection: { connector: { type: 'allToAll' }, weight: 0.01 } } },
    };
    const r2 = runCli(['run', writeExp('lif-layers-vreset', layered), '--out', join(tmp, 'never4')]);
    expect(r2.status).toBe(2);
    expect(r2.stderr).toMatch(/network\.layers\.params\.vReset: expected a value < vThreshold \(1\), got 2/);
  });

  test('i0: "stationary" in a file is the library\'s stationary draw (same spikes)', async () => {
    const exp = JSON.parse(readFileSync(new URL('../../examples/cli/noisy-population.json', import.meta.url), 'utf8'));
    exp.duration = 50;
    exp.network.populations[0].params.i0 = 'stationary';
    const out = join(tmp, 'lif-stationary');
    const r = runCli(['run', writeExp('lif-stationary', exp), '--out', out, '--quiet']);
    expect(r.status, r.stderr).toBe(0);
    const res = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8'));
    await nd.init();
    const net = new nd.LifNetwork({ dt: exp.dt, integrator: exp.scheme.integrator, spikeRule: exp.scheme.spikeRule, seed: exp.seed });
    net.addPopulation('pop', 200, exp.network.populations[0].params);
    const m = net.addSpikeMonitor();
    net.run(50);
    expect(res.summary.spikes).toBe(m.count);
    net.dispose();
  });

  test('SIGINT during a CUBA run: partial results written, exit 130 with a message', async () => {
    const exp = JSON.parse(readFileSync(new URL('../../examples/cli/cuba.json', import.meta.url), 'utf8'));
    exp.duration = 100_000;
    const out = join(tmp, 'cuba-int');
    const child = spawn(process.execPath, [BIN, 'run', writeExp('cuba-long', exp), '--out', out], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    const code = await new Promise<number | null>((resolve) => {
      let sent = false;
      child.stderr.on('data', (d) => {
        stderr += d;
        if (!sent && /real-time factor/.test(stderr)) {
          sent = true;
          setTimeout(() => child.kill('SIGINT'), 500);
        }
      });
      child.on('close', resolve);
    });
    expect(code).toBe(130);
    expect(stderr).toMatch(/interrupted by SIGINT at t = [\d.]+ ms of 100000 ms/);
    const res = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8'));
    expect(res.status.complete).toBe(false);
    expect(res.status.simulatedMs).toBeGreaterThan(0);
    expect(res.status.simulatedMs).toBeLessThan(100_000);
    const csv = readFileSync(join(out, 'spikes.csv'), 'utf8').trim().split('\n');
    expect(csv.length - 1).toBe(res.summary.spikes);
    expect(existsSync(join(out, 'raster.svg'))).toBe(true);
  });
});

/** Spawns the CLI; resolves when it exits, with the time from `mark()` to the exit (ms). */
function spawnCli(args: string[], onStderr: (all: string, mark: () => void, kill: (s: NodeJS.Signals) => void) => void) {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let marked = 0;
  child.stderr.on('data', (d) => {
    stderr += d;
    onStderr(
      stderr,
      () => {
        marked = performance.now();
      },
      (sig) => child.kill(sig),
    );
  });
  return new Promise<{ code: number | null; signal: NodeJS.Signals | null; afterMarkMs: number; stderr: string }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, afterMarkMs: performance.now() - marked, stderr })),
  );
}

describe.skipIf(!('LifNetwork' in nd))('neurodyn CLI: Ctrl-C during a build and a second Ctrl-C (#16 item 7)', () => {
  test('SIGINT while a 10^6-neuron network is built ends the process at once, nothing written', async () => {
    const exp = {
      kind: 'lif',
      seed: 1,
      duration: 100,
      dt: 0.1,
      network: {
        populations: [{ name: 'pop', size: 1_000_000, params: { mu: 0.055, sigma: 0.02 } }],
        projections: [{ from: 'pop', to: 'pop', connector: { type: 'fixedInDegree', k: 50 }, weight: -0.001, delay: 1 }],
      },
    };
    const out = join(tmp, 'big-build');
    let sent = false;
    const r = await spawnCli(['run', writeExp('big-build', exp), '--out', out], (all, mark, kill) => {
      if (!sent && /setting up big-build/.test(all)) {
        sent = true;
        // Well into the build (connectivity and kernel tables of 10^6 neurons take tens of seconds).
        setTimeout(() => {
          mark();
          kill('SIGINT');
        }, 1500);
      }
    });
    // Default SIGINT action: the process is ended by the signal. The bound is loose on purpose (a
    // shared, loaded machine); before this change the signal waited for the whole build (47 s).
    expect(r.signal).toBe('SIGINT');
    expect(r.afterMarkMs).toBeLessThan(5000);
    expect(existsSync(join(out, 'result.json'))).toBe(false);
  });

  test('a second SIGINT while the partial results are written exits at once, without result.json', async () => {
    // Many spikes and the HDF5 formats: writing takes a while after the first Ctrl-C.
    const exp = { ...good, duration: 1e6, network: { neurons: 20_000, rate: 500 } };
    const out = join(tmp, 'second-sigint');
    let first = false;
    let second = false;
    const r = await spawnCli(['run', writeExp('second', exp), '--out', out, '--format', 'csv,npy,sonata,nwb'], (all, mark, kill) => {
      if (!first && /real-time factor/.test(all)) {
        first = true;
        setTimeout(() => kill('SIGINT'), 2000);
      }
      if (first && !second && /stopping after the current chunk/.test(all)) {
        second = true;
        setTimeout(() => {
          mark();
          kill('SIGINT');
        }, 50);
      }
    });
    expect(r.stderr).toMatch(/SIGINT: stopping after the current chunk and writing the results so far \(again to exit at once\)/);
    expect(r.signal).toBe('SIGINT');
    expect(r.afterMarkMs).toBeLessThan(5000);
    expect(existsSync(join(out, 'result.json'))).toBe(false);
  });
});

describe.skipIf(!('convergenceStudy' in nd))('neurodyn CLI: convergence studies', () => {
  const study = {
    kind: 'convergence',
    seed: 'cli-study',
    network: { sizes: [6, 6] },
    duration: 40,
    dts: [0.4, 0.2],
    trials: 4,
    schemes: [{ integrator: 'euler-maruyama', spikeRule: 'linear' }],
    workers: 0,
    shardTrials: 1,
  };
  test('run in shards of trials, merged: the same result as one convergenceStudy call', async () => {
    const out = join(tmp, 'study');
    const r = runCli(['run', writeExp('study', study), '--out', out, '--quiet']);
    expect(r.status, r.stderr).toBe(0);
    const res = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8'));
    await nd.init();
    const direct = await nd.convergenceStudy({
      network: nd.feedforwardNetwork(study.network),
      duration: study.duration,
      dts: study.dts,
      trials: 4,
      seed: study.seed,
      schemes: study.schemes as never,
      workers: 0,
    });
    const o = direct.schemes['euler-maruyama/linear'].orders;
    expect(res.summary.trials).toBe(4);
    expect(res.summary.orders['euler-maruyama/linear'].strong).toBe(o.strong.value);
    expect(res.summary.orders['euler-maruyama/linear'].weakCount).toBe(o.weakCount.value);
    // Through the library's CSV writer: the scheme labels as codes, listed in the `# ` lines.
    const orders = readFileSync(join(out, 'orders.csv'), 'utf8').split('\n');
    expect(orders[0]).toBe('# kind: orders');
    expect(orders[1]).toBe('# schemeLevels: ["euler-maruyama/linear"]');
    expect(orders[2]).toBe('scheme,strong,strong_lo,strong_hi,median,weak_count,weak_lo,weak_hi');
    expect(Number(orders[3].split(',')[1])).toBe(o.strong.value);
  });
  test('a bad study field is named (dts[1] <= 0)', () => {
    const r = runCli(['validate', writeExp('bad-study', { ...study, dts: [0.4, -0.2] })]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/dts\[1\]: expected a finite number in \(0, 100\] ms, got -0.2/);
  });
  test('SIGINT during a study: the trials done so far are written, exit 130', async () => {
    const out = join(tmp, 'study-int');
    const long = { ...study, trials: 100_000, duration: 100 };
    const child = spawn(process.execPath, [BIN, 'run', writeExp('study-long', long), '--out', out], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    const code = await new Promise<number | null>((resolve) => {
      let sent = false;
      child.stderr.on('data', (d) => {
        stderr += d;
        if (!sent && /\d+\/100000 trials/.test(stderr)) {
          sent = true;
          setTimeout(() => child.kill('SIGINT'), 1500);
        }
      });
      child.on('close', resolve);
    });
    expect(code).toBe(130);
    expect(stderr).toMatch(/interrupted by SIGINT after \d+ of 100000 trials; partial results written/);
    const res = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8'));
    expect(res.status.complete).toBe(false);
    expect(res.status.unitsDone).toBeGreaterThan(0);
    expect(res.summary.trials).toBe(res.status.unitsDone);
  });
});

describe.skipIf(!('ltnSimulate' in nd))('neurodyn CLI: linear-threshold networks', () => {
  test('trajectories converge to the equilibrium, which solves the LCP; LDS verdict', () => {
    const out = join(tmp, 'ltn');
    const r = runCli(['run', new URL('../../examples/cli/ltn-2d.json', import.meta.url).pathname, '--out', out, '--quiet']);
    expect(r.status, r.stderr).toBe(0);
    const res = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8'));
    const { d, W, u } = res.experiment.network;
    expect(res.summary.equilibria.length).toBe(1);
    const x = res.summary.equilibria[0];
    // x ≥ 0, q = (D − W)x − u ≥ 0, xᵀq = 0, checked here from the definition.
    const q = [0, 1].map((i) => d[i] * x[i] - (W[i][0] * x[0] + W[i][1] * x[1]) - u[i]);
    for (let i = 0; i < 2; i++) {
      expect(x[i]).toBeGreaterThanOrEqual(-1e-12);
      expect(q[i]).toBeGreaterThanOrEqual(-1e-12);
      expect(Math.abs(x[i] * q[i])).toBeLessThan(1e-12);
    }
    for (const f of res.summary.finals) expect(Math.hypot(f[0] - x[0], f[1] - x[1])).toBeLessThan(1e-2);
    // n = 2: LDS ⇔ P-matrix: m11 > 0, m22 > 0, det > 0 for M = D − W.
    const M = [
      [d[0] - W[0][0], -W[0][1]],
      [-W[1][0], d[1] - W[1][1]],
    ];
    const pMatrix = M[0][0] > 0 && M[1][1] > 0 && M[0][0] * M[1][1] - M[0][1] * M[1][0] > 0;
    expect(res.summary.lds.verdict).toBe(pMatrix ? 'lds' : 'not-lds');
    expect(readFileSync(join(out, 'trajectories.csv'), 'utf8').split('\n')[0]).toBe('initial,time,x1,x2');
  });
  test('a W row of the wrong length is named', () => {
    const exp = JSON.parse(readFileSync(new URL('../../examples/cli/ltn-2d.json', import.meta.url), 'utf8'));
    exp.network.W[1] = [1, 2, 3];
    const r = runCli(['validate', writeExp('ltn-bad', exp)]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/network\.W\[1\]: expected a row of 2 numbers, got 3/);
  });
});
