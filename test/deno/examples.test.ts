// Deno: the examples in examples/deno/ run against the BUILT package (imported, not spawned: the
// Deno suite runs without --allow-run), and their numbers are checked from outside the example.
import * as nd from '../../dist/index.js';
import { main as cuba } from '../../examples/deno/cuba.ts';
import { main as random } from '../../examples/deno/random.ts';

Deno.test('deno example random.ts: kernel normals equal the TS reference, workers agree with inline', async () => {
  const r = await random({ quick: true });
  if (!r.workersAgree) throw new Error('worker rows differ from the inline run');
  // The TS reference of the same counter-based generator: value p of the sequence is element p at step 0.
  const key = nd.seedToKey('deno-example');
  const ref = new Float64Array(r.draws);
  for (let i = 0; i < r.draws; i++) ref[i] = nd.rngReference.normalAt(key.k0, key.k1, nd.Streams.sequence, i, 0);
  if (nd.fingerprint(ref) !== r.fingerprint) throw new Error(`fingerprint ${r.fingerprint} != reference ${nd.fingerprint(ref)}`);
  if (Math.abs(r.mean) > 0.05 || Math.abs(r.variance - 1) > 0.05) throw new Error(`moments off: ${r.mean}, ${r.variance}`);
});

Deno.test('deno example cuba.ts: the CUBA network runs, with the expected wiring and a plausible rate', async () => {
  if (!('createLifCuba' in nd)) return; // the LIF engine is not in this build
  const r = await cuba({ duration: 100 });
  // 4000² pairs with p = 0.02 (autapses allowed): 320 000 ± 5 × 560 synapses.
  if (Math.abs(r.synapses - 320_000) > 5 * Math.sqrt(4000 * 4000 * 0.02 * 0.98)) throw new Error(`synapses ${r.synapses}`);
  if (r.neurons !== 4000) throw new Error(`neurons ${r.neurons}`);
  // Brian2 gives about 5.7 Hz over 1 s; the first 100 ms (initial transient) stays within a broad band.
  if (!(r.rateHz > 1 && r.rateHz < 30)) throw new Error(`rate ${r.rateHz} Hz`);
  if (r.spikes !== Math.round((r.rateHz * r.neurons * 100) / 1000)) throw new Error('rate and spike count disagree');
});
