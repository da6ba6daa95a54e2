// Deno: the examples in examples/deno/ run against the BUILT package (imported, not spawned: the
// Deno suite runs without --allow-run), and their numbers are checked from outside the example.
import * as nd from '../../dist/index.js';
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
