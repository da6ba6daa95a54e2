// `npm run docs`: API reference from the TSDoc (typedoc → docs/api/, git-ignored), with the guides
// in docs/guides/ as project documents. Model pages (docs/<model>.md) are added when present.
// Prints the number of warnings; exits non-zero when typedoc fails.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';

const models = ['lif', 'numerics', 'fp', 'brf', 'srm', 'ltn', 'stats'].map((m) => `docs/${m}.md`).filter((f) => existsSync(f));
const guides = existsSync('docs/guides') ? readdirSync('docs/guides').filter((f) => f.endsWith('.md')) : [];
// Command-line arrays replace the options file's: list every document here.
const args = ['typedoc', '--options', 'typedoc.json'];
for (const f of [...guides.map((g) => `docs/guides/${g}`), ...models]) args.push('--projectDocuments', f);
const r = spawnSync('npx', args, {
  stdio: ['ignore', 'pipe', 'pipe'],
  encoding: 'utf8',
  env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
});
process.stdout.write(r.stdout);
process.stderr.write(r.stderr);
const warnings = (`${r.stdout}${r.stderr}`.match(/\[warning\](?! Found)/g) ?? []).length;
console.log(
  `docs: ${r.status === 0 ? 'written to docs/api/index.html' : 'FAILED'} (${guides.length} guides, ${models.length} model pages, ${warnings} warnings)`,
);
process.exit(r.status ?? 1);
