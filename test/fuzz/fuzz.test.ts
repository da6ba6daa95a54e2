// The permanent fuzz suite (issue #16): every export of the built package, called with the
// registry's valid call and with hostile values in each argument, option and callback (NaN, ±∞,
// −0, 2^31, 2^32 + 16, 2^53, 1e308, 1e−320, null, undefined, {}, [], strings, wrong-length arrays,
// huge sizes; fixed seed). Each call must end in a typed library error or a finite result, within
// its time bound, leaving the kernel usable and no region behind. Each family runs in a child
// process (test/fuzz/run.mjs), so that a hang is killed and a process abort is counted.
// In `npm test` a bounded budget runs; NEURODYN_FUZZ_RUNS=R runs R random cases per entry and every
// systematic case (the long run).
import { mkdirSync, writeFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { entries, FAMILIES } from '../contract/registry.mjs';
import { budget, fuzzFamily, summaryLine } from './run.mjs';

const figures: Record<string, unknown>[] = [];

describe.each(FAMILIES.filter((f: string) => entries(f).length > 0))('fuzz: %s', (family: string) => {
  test('every call ends in a typed error or a finite result, in bounded time, the kernel usable, nothing leaked', async () => {
    const f = await fuzzFamily(family, budget());
    figures.push(f);
    mkdirSync('build', { recursive: true });
    writeFileSync('build/fuzz-figures.json', JSON.stringify(figures, null, 1));
    console.log(summaryLine(f));
    const failures = f.samples.filter((s: { outcome: string }) => s.outcome !== 'stopped');
    expect(
      {
        raw: f.raw,
        nonFinite: f.nonFinite,
        hangs: f.hangs,
        aborts: f.aborts,
        leaks: f.leaks,
        broken: f.broken,
        badTyped: f.badTyped,
        baseline: f.baseline,
        setup: f.setup,
      },
      JSON.stringify(failures, null, 1),
    ).toEqual({ raw: 0, nonFinite: 0, hangs: 0, aborts: 0, leaks: 0, broken: 0, badTyped: 0, baseline: 0, setup: 0 });
    expect(f.calls).toBeGreaterThan(entries(family).length);
  });
});
