// Chromium: the three typos are rejected by the BUILT package with the same suggestion as
// in Node and Deno.
import { expect, test } from 'vitest';
import * as nd from '../../dist/index.js';

test.each([
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
] as const)('chromium: the typo %s is a ValidationError with a suggestion', async (_, f, message) => {
  await nd.init();
  let err: unknown;
  try {
    f();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(nd.ValidationError);
  expect((err as Error).message).toBe(message);
});
