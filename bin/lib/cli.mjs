// The command-line parser of every `neurodyn` command: node:util parseArgs in strict mode, driven
// by one table per command (its positionals and options, each with a help line). The same table
// produces the command's --help, so the help documents every option by construction, and the
// parser's errors name the flag: an unknown flag (with the nearest valid one), a missing value, a
// repeated flag, a wrong number of arguments are all a UsageError (exit code 2).
import { parseArgs } from 'node:util';

/** A command-line usage error: exit code 2, message names the flag or argument. */
export class UsageError extends Error {
  constructor(message) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Exit codes shared by every command. */
export const EXIT = { ok: 0, error: 1, usage: 2, interrupted: 130 };

export const EXIT_CODES_HELP = `exit codes:
  0    done
  1    an error during the run (results computed up to it are written where the command says so)
  2    a usage error (unknown flag, missing value, bad argument) or a malformed input file; nothing run
  130  interrupted by Ctrl-C (SIGINT) or SIGTERM; partial results written where the command says so`;

/** Options every command accepts. */
export const HELP_OPTION = { help: { type: 'boolean', short: 'h', help: 'show this help and exit' } };
export const QUIET_OPTION = { quiet: { type: 'boolean', short: 'q', help: 'no progress and no messages on stderr (errors only)' } };
export const JSON_OPTION = {
  json: {
    type: 'boolean',
    help: 'machine-readable output: stdout holds exactly one JSON document, the result or, on failure, {"error": …, "exitCode": N}; messages stay on stderr (--quiet silences them)',
  },
};

function distance(a, b) {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++)
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
  return d[a.length][b.length];
}

/** The candidate nearest to `name` (edit distance at most 2, or a prefix), or null. */
export function nearest(name, candidates) {
  let best = null;
  let bestD = Number.POSITIVE_INFINITY;
  for (const c of candidates) {
    const d = c.startsWith(name) || name.startsWith(c) ? Math.min(1, distance(name, c)) : distance(name, c);
    if (d < bestD) {
      best = c;
      bestD = d;
    }
  }
  return bestD <= 2 ? best : null;
}

const flagOf = (name) => `--${name}`;

/**
 * Parses `args` for command `cmd` ({ name, positionals: [{ name, optional? }], options }).
 * Returns { values, positionals } with option values checked by their `parse` function
 * (which throws a UsageError or returns the parsed value).
 */
export function parseCommand(cmd, args) {
  const options = {};
  for (const [name, o] of Object.entries(cmd.options)) {
    options[name] = { type: o.type };
    if (o.short) options[name].short = o.short;
  }
  let r;
  try {
    r = parseArgs({ args, options, strict: true, allowPositionals: true, tokens: true });
  } catch (e) {
    throw new UsageError(`${cmd.name}: ${parseErrorMessage(e, cmd)}`);
  }
  const seen = new Set();
  for (const t of r.tokens) {
    if (t.kind !== 'option') continue;
    if (seen.has(t.name)) throw new UsageError(`${cmd.name}: ${flagOf(t.name)} given more than once`);
    seen.add(t.name);
    if (cmd.options[t.name].type === 'string' && (t.value === undefined || t.value === ''))
      throw new UsageError(`${cmd.name}: ${flagOf(t.name)} needs a value (${cmd.options[t.name].value ?? 'VALUE'})`);
  }
  const values = { ...r.values };
  if (values.help) return { values, positionals: r.positionals };
  const pos = cmd.positionals ?? [];
  const required = pos.filter((p) => !p.optional).length;
  if (r.positionals.length < required) {
    const missing = pos.slice(r.positionals.length).filter((p) => !p.optional);
    throw new UsageError(`${cmd.name}: missing argument ${missing.map((p) => `<${p.name}>`).join(' ')}`);
  }
  if (r.positionals.length > pos.length) {
    const extra = r.positionals[pos.length];
    throw new UsageError(
      `${cmd.name}: unexpected argument ${JSON.stringify(extra)} (${cmd.name} takes ${pos.length ? pos.map((p) => `<${p.name}>`).join(' ') : 'no arguments'})`,
    );
  }
  for (const [name, o] of Object.entries(cmd.options)) {
    if (values[name] === undefined || !o.parse) continue;
    try {
      values[name] = o.parse(values[name], flagOf(name));
    } catch (e) {
      throw e instanceof UsageError ? new UsageError(`${cmd.name}: ${e.message}`) : e;
    }
  }
  return { values, positionals: r.positionals };
}

function parseErrorMessage(e, cmd) {
  const msg = String(e?.message ?? e);
  // parseArgs quotes the flag as '--name', '-x' or '-x, --name' (then the long form is meant).
  const flag = /'(?:-\w, )?(-{1,2}[^' <,]+)/.exec(msg)?.[1] ?? '';
  if (e?.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const bare = flag.replace(/^-+/, '').replace(/=.*$/, '');
    const longs = Object.keys(cmd.options);
    const guess = flag.startsWith('--') ? nearest(bare, longs) : null;
    return `unknown option ${flag}${guess ? ` (did you mean --${guess}?)` : ''}; see neurodyn ${cmd.name} --help`;
  }
  if (e?.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const name = flag.replace(/^-+/, '');
    const o = cmd.options[name] ?? Object.values(cmd.options).find((x) => x.short === name);
    if (/does not take an argument/.test(msg)) return `${flag} takes no value`;
    return `${flag} needs a value (${o?.value ?? 'VALUE'})${/ambiguous/.test(msg) ? '; to pass a value starting with "-", write --name=value' : ''}`;
  }
  if (e?.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') return `unexpected argument; see neurodyn ${cmd.name} --help`;
  return msg;
}

const wrap = (text, width, indent) => {
  const words = text.split(/\s+/);
  const lines = [];
  let line = '';
  for (const w of words) {
    if (line && line.length + 1 + w.length > width) {
      lines.push(line);
      line = w;
    } else line = line ? `${line} ${w}` : w;
  }
  if (line) lines.push(line);
  return lines.join(`\n${' '.repeat(indent)}`);
};

/** The synopsis line of a command. */
export function synopsis(cmd) {
  const pos = (cmd.positionals ?? []).map((p) => (p.optional ? `[<${p.name}>]` : `<${p.name}>`)).join(' ');
  return `neurodyn ${cmd.name}${pos ? ` ${pos}` : ''}${Object.keys(cmd.options).length > 1 ? ' [options]' : ''}`;
}

/** The full --help text of a command: synopsis, description, arguments, every option, exit codes. */
export function commandHelp(cmd) {
  const parts = [`usage: ${synopsis(cmd)}`, '', wrap(cmd.description, 96, 0)];
  if (cmd.positionals?.length) {
    parts.push('', 'arguments:');
    for (const p of cmd.positionals) parts.push(`  ${`<${p.name}>`.padEnd(26)}${wrap(p.help, 70, 28)}`);
  }
  parts.push('', 'options:');
  for (const [name, o] of Object.entries(cmd.options)) {
    const left = `${o.short ? `-${o.short}, ` : '    '}--${name}${o.type === 'string' ? ` ${o.value ?? 'VALUE'}` : ''}`;
    const def = o.default !== undefined ? ` (default: ${o.default})` : '';
    parts.push(`  ${left.padEnd(left.length > 25 ? left.length + 1 : 26)}${wrap(`${o.help}${def}`, 70, 28)}`);
  }
  if (cmd.notes) parts.push('', cmd.notes.trimEnd());
  parts.push('', EXIT_CODES_HELP);
  return `${parts.join('\n')}\n`;
}

/** A comma-separated list of choices (`--format csv,npy`): an array of distinct values. */
export function listOf(choices) {
  return (v, flag) => {
    const items = v.split(',').map((s) => s.trim());
    for (const x of items)
      if (!choices.includes(x))
        throw new UsageError(`${flag}: expected a comma-separated list of ${choices.join(', ')}, got ${JSON.stringify(x)}`);
    return [...new Set(items)];
  };
}

/** An integer flag in [min, max]. */
export function intIn(min, max) {
  return (v, flag) => {
    const n = Number(v);
    if (!/^-?\d+$/.test(v.trim()) || !Number.isSafeInteger(n) || n < min || n > max)
      throw new UsageError(`${flag}: expected an integer in [${min}, ${max}], got ${JSON.stringify(v)}`);
    return n;
  };
}

/** A number flag in (gt, max]. */
export function numberIn(gt, max, unit = '') {
  return (v, flag) => {
    const n = Number(v);
    if (v.trim() === '' || !Number.isFinite(n) || n <= gt || n > max)
      throw new UsageError(`${flag}: expected a number in (${gt}, ${max}]${unit ? ` ${unit}` : ''}, got ${JSON.stringify(v)}`);
    return n;
  };
}
