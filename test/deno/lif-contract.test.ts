// Deno: the three typos are rejected by the BUILT package with the same suggestion as in
// Node (strict options are plain TypeScript, so every runtime must agree word for word).
import * as nd from '../../dist/index.js';

const cases: [string, () => unknown, string][] = [
  [
    'tau_m',
    () => new nd.LifNetwork({ dt: 0.1 }).addPopulation('E', 10, { tau_m: 20 } as never),
    "unknown option 'tau_m' for addPopulation; did you mean 'tauMem'?",
  ],
  [
    'tauMme',
    () => new nd.LifNetwork({ dt: 0.1 }).addPopulation('p', 8, { tauMme: 5 } as never),
    "unknown option 'tauMme' for addPopulation; did you mean 'tauMem'?",
  ],
  [
    'bin',
    () => {
      const net = new nd.LifNetwork({ dt: 0.1 });
      net.addPopulation('p', 4);
      return net.addRateMonitor({ bin: 5 } as never);
    },
    "unknown option 'bin' for addRateMonitor; did you mean 'binSize'?",
  ],
];

for (const [key, f, message] of cases) {
  Deno.test(`deno: the typo '${key}' is a ValidationError with a suggestion`, () => {
    let err: unknown;
    try {
      f();
    } catch (e) {
      err = e;
    }
    if (!(err instanceof nd.ValidationError)) throw new Error(`expected a ValidationError, got ${err}`);
    if (err.message !== message) throw new Error(`message ${JSON.stringify(err.message)} != ${JSON.stringify(message)}`);
  });
}
