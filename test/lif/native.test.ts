// The native noisy-LIF step (bench/peers/lif_native.c, the LIF bench's native ceiling) against the
// kernel: the C program is an independent implementation of the same step (Philox4x32-10 +
// ziggurat, EM + linear rule), so equal spike counts and equal bits of the final state check both.
// Runs only where gcc exists (the bench builds it the same way).
import { describe, expect, test } from 'vitest';
// @ts-expect-error: plain .mjs helper shared with bench/lif.bench.mjs (no declarations)
import {
  bitDiff,
  buildLifNative,
  gccMissing,
  LIF_NATIVE_UNFUSED,
  lifNativeV0,
  removeLifNative,
  runLifNative,
} from '../../bench/lif-native.mjs';
import { keyOfSeed, LifNetwork } from '../../src/index.js';

const why: string | null = gccMissing();

describe(`native C noisy-LIF step vs the kernel${why ? ` (skipped: ${why})` : ''}`, () => {
  test.skipIf(why !== null)(
    'the builds without FMA (-march=native -ffp-contract=off, plain -O3) are bit-identical with LifNetwork in every variant they have (scalar, SSE2, AVX2)',
    () => {
      // N odd and not a multiple of 16: the kernel's lone last neuron and the C variants' scalar
      // tails are exercised; 2000 steps × 1003 neurons ≈ 2·10^6 normals, about 3·10^4 of them on the
      // ziggurat slow path (libm exp/log in C, the kernel's own in WASM).
      const N = 1003;
      const steps = 2000;
      const h = 0.1;
      const p = { tauMem: 20, vLeak: 0, vThreshold: 1, vReset: 0, tauSyn: 5, mu: 0.055, sigma: 0.02 };
      const net = new LifNetwork({ dt: h, integrator: 'euler-maruyama', spikeRule: 'linear', seed: 5 });
      net.addPopulation('p', N, { tauMem: p.tauMem, mu: p.mu, sigma: p.sigma, v0: lifNativeV0(N) });
      net.run(h * steps);
      const st = net.state();
      const spikes = net.spikeCount;
      net.dispose();
      // The population fires (about 20 Hz: 200 ms × 1003 neurons ≈ 4000 spikes), so the reset path runs.
      expect(spikes).toBeGreaterThan(2000);
      for (const build of Object.keys(LIF_NATIVE_UNFUSED).filter((b) => LIF_NATIVE_UNFUSED[b])) {
        const bin = buildLifNative(build);
        const out = runLifNative(bin, { N, steps, reps: 0, key: keyOfSeed({ seed: 5 }), h, ...p }, true);
        removeLifNative(bin);
        // Random123's known answer for philox4x32-10 (counter 0, key 0): 6627e8d5 e169c58d bc57ac4c 9b00dbd8.
        expect(out.kat, build).toBe(true);
        // x86-64 builds have the SSE2 variant, -march=native on this project's machines also AVX2.
        expect(out.variants[0]).toBe('scalar');
        if (process.arch === 'x64') expect(out.variants).toContain('sse2');
        for (const v of out.variants) {
          expect(out[v].spikes, `${build} ${v}`).toBe(spikes);
          expect(bitDiff(out.state[v].v, st.v), `${build} ${v}: V`).toEqual({ differ: 0, maxAbs: 0 });
          expect(bitDiff(out.state[v].i, st.i), `${build} ${v}: I`).toEqual({ differ: 0, maxAbs: 0 });
        }
      }
    },
  );
});
