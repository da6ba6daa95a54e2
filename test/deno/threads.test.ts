// Deno: a LifNetwork stepped by 2 and 3 Web Workers on a shared WebAssembly memory gives the bits
// of the single-threaded engine (threads: 1, the kernel the cross suite checks against Node). The
// networks are those of the Chromium page (test/lif/threads-page.js).
import * as nd from '../../dist/index.js';
import { runThreaded } from '../lif/threads-page.js';

for (const [integrator, kind, what] of [
  ['euler-maruyama', 'mixed', 'an exchange every step'],
  ['exact', 'mixed', 'an exchange every step'],
  ['euler-maruyama', 'uncoupled', 'windows without exchange'],
  ['exact', 'delayed', 'min-delay windows'],
] as const)
  Deno.test(`deno: LifNetwork ${integrator}, ${what}, on 1, 2 and 3 threads (Web Workers) gives the same bits`, async () => {
    const ref = await runThreaded(nd, 1, kind, integrator);
    if (ref.spikes < 100) throw new Error(`too few spikes (${ref.spikes}) for a meaningful comparison`);
    for (const T of [2, 3]) {
      const r = await runThreaded(nd, T, kind, integrator);
      if (r.used !== T) throw new Error(`asked for ${T} threads, ran on ${r.used}`);
      if (r.fp !== ref.fp || r.spikes !== ref.spikes)
        throw new Error(`${T} threads: ${r.fp} (${r.spikes} spikes) != 1 thread ${ref.fp} (${ref.spikes})`);
    }
  });
