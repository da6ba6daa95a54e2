// Memory soak per family (issue #16): create / run / dispose cycles of every kernel-backed class
// (the `soak` of its registry entry), each family in a fresh process (test/fuzz/soak.mjs). The
// kernel's live regions and bytes must end where they started. The resident set must grow by less
// than 1 MB per 1000 cycles after warm-up: asserted on the 10^4-cycle run (NEURODYN_FUZZ_RUNS set);
// the in-suite 10^3-cycle run is too short for the V8 heap to settle, so it only catches gross
// leaks (16 MB per 1000 cycles: the BrfTrainer.fromJSON leaked 32 MB per 1000).
import { spawnSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { FAMILIES, registry } from '../contract/registry.mjs';

const long = Boolean(process.env.NEURODYN_FUZZ_RUNS);
const cycles = long ? 10_000 : 1000;
const warmup = long ? 3000 : 500;
type Spec = { family: string; soak?: unknown; members?: Record<string, { soak?: unknown }> };
const families = FAMILIES.filter((f: string) =>
  Object.values(registry as Record<string, Spec>).some(
    (s) => s.family === f && (s.soak || Object.values(s.members ?? {}).some((m) => m.soak)),
  ),
);

describe.each(families)('soak: %s', (family: string) => {
  test(`${cycles} create/run/dispose cycles: kernel bytes back to the start, bounded RSS growth`, () => {
    const r = spawnSync(
      process.execPath,
      // the young generation at its full size from the start: V8 grows it under a high allocation
      // rate (fast cycles), a one-off step of ~17 MB that a 10^4-cycle slope would count as a leak
      [
        '--expose-gc',
        '--min-semi-space-size=16',
        'test/fuzz/soak.mjs',
        '--family',
        family,
        '--cycles',
        String(cycles),
        '--warmup',
        String(warmup),
      ],
      {
        encoding: 'utf8',
        timeout: 600_000,
      },
    );
    expect(r.status, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout.trim().split('\n').pop() as string);
    console.log(
      `soak ${family}: ${s.classes.join(', ')}: ${cycles} cycles, regions ${s.regions.join(' → ')}, bytes ${s.bytes.join(' → ')}, RSS ${(s.rssGrowthPer1000 / 1e6).toFixed(3)} MB per 1000 cycles (${s.msPerCycle.toFixed(3)} ms per cycle)`,
    );
    expect(s.regions[1]).toBe(s.regions[0]);
    expect(s.bytes[1]).toBe(s.bytes[0]);
    expect(s.rssGrowthPer1000).toBeLessThan(long ? 1e6 : 16e6);
  });
});
