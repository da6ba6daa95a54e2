import type { CrossCases } from './types.ts';

// The stats module is plain TypeScript: where it calls Math.log/exp (t quantiles, rates), JS engines
// may differ in the last bit (Node 20 vs Deno/Chromium do), so those values are fingerprinted at
// 12 significant digits. Results that shape simulations go through the kernel (numerics).
const r12 = (v: number[]) => v.map((x) => Number(x.toPrecision(12)));

/** Cross-runtime cases of the stats module. */
export const cases: CrossCases = {
  'stats: t quantiles, order fit, coloured-noise LIF rates (12 digits)': (nd) =>
    nd.fingerprint(
      r12([
        ...[1, 2, 5, 30].map((df) => nd.studentTQuantile(0.975, df)),
        nd.fitOrder([0.4, 0.2, 0.1], [0.3, 0.16, 0.07]).order.value,
        ...nd
          .loopTruncatedRates(
            { tauMem: 20, vThreshold: 1, vReset: 0, tauSyn: 5, mu: [0.05, 0.045], sigma: [0.02, 0.03], J: [0, 0.01, 0.02, 0] },
            { order: 3 },
          )
          .iterates.flatMap((x) => [...x]),
      ]),
    ),
  'stats: matching, χ, Rice rate (exact arithmetic)': (nd) => {
    const m = nd.matchSpikeTrains([1, 2.5, 4, 9], [1.2, 2.4, 4.9, 5.2], { window: 1 });
    const V = Array.from({ length: 400 }, (_, k) => ((k * 37) % 101) / 100);
    const I = Array.from({ length: 400 }, (_, k) => 0.03 + ((k * 53) % 97) / 2000);
    const rice = nd.riceRate(V, I, { tauMem: 20, vThreshold: 1, width: 0.1 }); // Hz
    return nd.fingerprint(m.error, [m.unmatchedRef, nd.golombChi(V, { n: 4 }), rice]);
  },
};
