// Finds import cycles among the modules of src/ (issue #14). Every relative import counts: static
// `import … from`, `export … from`, type-only imports (`import type`, `import { type X }`: they
// compile away, but a type cycle is still two modules that cannot be understood one without the
// other) and dynamic `import('…')`. Imports are read with TypeScript's `preProcessFile` (no new
// dependency). Prints each cycle (one strongly connected component, with one
// concrete loop through it) and exits 1 if there is any.
//
// One layering rule is checked too: the worker pool (src/parallel/) reaches no model module, even
// transitively (the worker entry src/worker.ts and src/tasks.ts list the task tables instead).
//
// Usage: node scripts/check-cycles.mjs [dir]   (default src)
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

const root = resolve(process.argv[2] ?? 'src');

function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (/\.(ts|mts|js|mjs)$/.test(name) && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

function resolveSpec(from, spec) {
  if (!spec.startsWith('.')) return null;
  const base = resolve(dirname(from), spec);
  const candidates = [base, base.replace(/\.(m?)js$/, '.$1ts'), `${base}.ts`, join(base, 'index.ts')];
  for (const c of candidates) if (existsSync(c) && statSync(c).isFile()) return c;
  throw new Error(`${relative(process.cwd(), from)}: cannot resolve '${spec}'`);
}

const files = walk(root);
const graph = new Map();
for (const f of files) {
  // TypeScript's own pre-processor lists every import and re-export (type-only ones included)
  // and, with the third argument, dynamic import() calls; comments are skipped.
  const { importedFiles } = ts.preProcessFile(readFileSync(f, 'utf8'), true, true);
  const deps = new Set();
  for (const { fileName } of importedFiles) {
    const t = resolveSpec(f, fileName);
    if (t) deps.add(t);
  }
  graph.set(
    f,
    [...deps].filter((d) => d !== f),
  );
}

// Tarjan's strongly connected components (iterative enough for a few hundred modules).
let index = 0;
const idx = new Map();
const low = new Map();
const stack = [];
const on = new Set();
const sccs = [];
function strong(v) {
  idx.set(v, index);
  low.set(v, index);
  index++;
  stack.push(v);
  on.add(v);
  for (const w of graph.get(v) ?? []) {
    if (!idx.has(w)) {
      strong(w);
      low.set(v, Math.min(low.get(v), low.get(w)));
    } else if (on.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)));
  }
  if (low.get(v) === idx.get(v)) {
    const c = [];
    let w;
    do {
      w = stack.pop();
      on.delete(w);
      c.push(w);
    } while (w !== v);
    if (c.length > 1) sccs.push(c);
  }
}
for (const v of graph.keys()) if (!idx.has(v)) strong(v);

/** One shortest loop from `start` back to itself inside the component (breadth-first). */
function loop(start, comp) {
  const inC = new Set(comp);
  const prev = new Map([[start, null]]);
  const queue = [start];
  while (queue.length) {
    const v = queue.shift();
    for (const w of graph.get(v)) {
      if (!inC.has(w)) continue;
      if (w === start) {
        const path = [v];
        for (let u = prev.get(v); u; u = prev.get(u)) path.push(u);
        return [...path.reverse(), start];
      }
      if (!prev.has(w)) {
        prev.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start];
}

const rel = (f) => relative(process.cwd(), f);

// Layering: modules under `from` must not reach modules under any of `to` (paths within root).
const LAYERS = [{ from: 'parallel', to: ['lif', 'fp', 'brf', 'srm', 'ltn', 'numerics', 'stats'] }];
let violations = 0;
for (const { from, to } of LAYERS) {
  const inDir = (f, d) => relative(join(root, d), f).split(/[\\/]/)[0] !== '..';
  for (const start of files.filter((f) => inDir(f, from))) {
    const prev = new Map([[start, null]]);
    const queue = [start];
    while (queue.length) {
      const v = queue.shift();
      const bad = to.find((d) => inDir(v, d));
      if (bad) {
        const path = [];
        for (let u = v; u; u = prev.get(u)) path.push(rel(u));
        console.log(`layering: ${from}/ must not import ${bad}/: ${path.reverse().join(' → ')}`);
        violations++;
        break;
      }
      for (const w of graph.get(v) ?? [])
        if (!prev.has(w)) {
          prev.set(w, v);
          queue.push(w);
        }
    }
  }
}

if (sccs.length === 0 && violations === 0) {
  console.log(`no import cycles among ${files.length} modules of ${rel(root) || '.'}; layering rules hold`);
} else {
  for (const c of sccs) {
    c.sort();
    console.log(`import cycle (${c.length} modules): ${loop(c[0], c).map(rel).join(' → ')}`);
    if (c.length > 2) console.log(`  component: ${c.map(rel).join(', ')}`);
  }
  console.log(`${sccs.length} import cycle(s), ${violations} layering violation(s) among ${files.length} modules`);
  process.exit(1);
}
