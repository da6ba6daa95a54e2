// Builds and runs the native noisy-LIF ceiling (bench/peers/lif_native.c) with gcc, when gcc is
// present. Shared by bench/lif.bench.mjs (throughput rows, bit-identity check) and
// test/lif/native.test.ts (bit-identity check). Not a *.bench.mjs file: `npm run bench` skips it.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SOURCE = new URL('./peers/lif_native.c', import.meta.url).pathname;

/**
 * The builds: `nofma` = gcc -O3 -march=native -ffp-contract=off (no fused multiply-add, as in
 * WASM: the kernel's bits), `fma` = gcc -O3 -march=native (GCC contracts a·b + c into FMA where
 * the CPU has it), `base` = plain gcc -O3 (the x86-64 baseline: SSE2, no FMA, no AVX2 variant).
 */
export const LIF_NATIVE_BUILDS = {
  nofma: ['-O3', '-march=native', '-ffp-contract=off'],
  fma: ['-O3', '-march=native'],
  base: ['-O3'],
};

/** Whether a build leaves a·b + c unfused (so it must give the kernel's bits). */
export const LIF_NATIVE_UNFUSED = { nofma: true, fma: false, base: true };

/** Whether gcc runs here (`null`) or why not (a sentence). */
export function gccMissing() {
  const r = spawnSync('gcc', ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? null : `gcc not found (${r.error?.message ?? r.stderr})`;
}

/** Compiles one build into the temp directory; returns the binary's path or throws with gcc's message. */
export function buildLifNative(build, dir = tmpdir()) {
  const bin = join(dir, `neurodyn-lif-native-${build}-${process.pid}`);
  const r = spawnSync('gcc', [...LIF_NATIVE_BUILDS[build], '-o', bin, SOURCE, '-lm'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`gcc ${LIF_NATIVE_BUILDS[build].join(' ')} failed: ${r.stderr || r.error?.message}`);
  return bin;
}

/**
 * The C program's arguments for a homogeneous population with the given parameters (ms, voltage
 * units) and step h: g_L = 1/τ_m, b = 1/τ_s and the noise factor σ√(2b)√h computed as the facade
 * computes its coefficient block (src/lif/network.ts), so the C step reads the kernel's numbers.
 */
export function lifNativeArgs({ N, steps, reps, key, h, tauMem, vLeak, vThreshold, vReset, tauSyn, mu, sigma }) {
  const b = 1 / tauSyn;
  const sem = sigma * Math.sqrt(2 * b) * Math.sqrt(h);
  return [N, steps, reps, key.k0, key.k1, h, 1 / tauMem, vLeak, vThreshold, vReset, mu, b, sem].map(String);
}

/**
 * Runs a build: every variant (scalar, sse2, avx2 when built with AVX2) from V = (q mod 997)/997,
 * I = μ; returns the program's JSON, plus each variant's final state after the check run
 * (`state[variant] = { v, i }`) when `withState` is set.
 */
export function runLifNative(bin, opts, withState = false) {
  const prefix = join(tmpdir(), `neurodyn-lif-native-state-${process.pid}`);
  const args = lifNativeArgs(opts);
  if (withState) args.push(prefix);
  const r = spawnSync(bin, args, { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`${bin} failed (${r.status}): ${r.stderr}`);
  const out = JSON.parse(r.stdout.trim());
  out.variants = ['scalar', 'sse2', 'avx2'].filter((v) => out[v]);
  if (withState) {
    out.state = {};
    for (const v of out.variants) {
      const buf = readFileSync(`${prefix}-${v}.bin`);
      rmSync(`${prefix}-${v}.bin`);
      const all = new Float64Array(buf.buffer, buf.byteOffset, buf.byteLength / 8);
      out.state[v] = { v: all.slice(0, opts.N), i: all.slice(opts.N, 2 * opts.N) };
    }
  }
  return out;
}

/** Deletes a binary made by {@link buildLifNative}. */
export function removeLifNative(bin) {
  rmSync(bin, { force: true });
}

/** The initial V of the C program, (q mod 997)/997, for the network it is compared with. */
export function lifNativeV0(N) {
  return Float64Array.from({ length: N }, (_, q) => (q % 997) / 997);
}

/**
 * Bitwise comparison of two f64 arrays: the number of elements whose 64 bits differ and the
 * largest absolute difference.
 */
export function bitDiff(a, b) {
  const ua = new BigUint64Array(a.buffer, a.byteOffset, a.length);
  const ub = new BigUint64Array(b.buffer, b.byteOffset, b.length);
  let differ = 0;
  let maxAbs = 0;
  for (let k = 0; k < a.length; k++) {
    if (ua[k] !== ub[k]) {
      differ++;
      maxAbs = Math.max(maxAbs, Math.abs(a[k] - b[k]));
    }
  }
  return { differ, maxAbs };
}
