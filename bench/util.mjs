// Shared helpers for benchmark.js suites: run a suite and print ops/s and ratios from ONE run.
import Benchmark from 'benchmark';

/**
 * Runs the cases side by side in one suite. `cases` maps a name to { fn, units } where `units` is
 * the work per call (e.g. neuron-steps); prints units/s and each case's ratio to `baseline`.
 */
export function runSuite(title, cases, baseline, { minSamples = 10, maxTime = 3 } = {}) {
  return new Promise((resolve) => {
    const suite = new Benchmark.Suite(title);
    for (const [name, c] of Object.entries(cases)) suite.add(name, c.fn, { minSamples, maxTime });
    suite.on('complete', function () {
      const rows = {};
      for (const b of Array.from(this)) {
        const c = cases[b.name];
        rows[b.name] = { perSecond: b.hz * c.units, rme: b.stats.rme, samples: b.stats.sample.length };
      }
      const base = rows[baseline].perSecond;
      console.log(`\n${title}`);
      for (const [name, r] of Object.entries(rows)) {
        console.log(
          `  ${name.padEnd(36)} ${(r.perSecond / 1e6).toFixed(2).padStart(9)} M/s  ±${r.rme.toFixed(1)}%  (${r.samples} samples)  ×${(r.perSecond / base).toFixed(2)} vs ${baseline}`,
        );
      }
      resolve(rows);
    });
    suite.run({ async: false });
  });
}
