// Shared helpers of the I/O tests: Debian's Python (python3-h5py, python3-numpy) as the
// independent reader, and a seeded two-population recurrent noisy LIF network.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Debian's interpreter (not a pyenv shim first on PATH: that one has no h5py). */
export const PYTHON = process.env.NEURODYN_PYTHON ?? '/usr/bin/python3';

/** Why the Python read-back tests cannot run here, or null when they can. */
export function pythonMissing(): string | null {
  if (!existsSync(PYTHON)) return `${PYTHON} not found (install Debian's python3-h5py and python3-numpy)`;
  const r = spawnSync(PYTHON, ['-c', 'import h5py, numpy'], { encoding: 'utf8' });
  if (r.status !== 0)
    return `${PYTHON} cannot import h5py and numpy (apt-get install python3-h5py python3-numpy): ${r.stderr.trim().split('\n').pop()}`;
  return null;
}

/** Runs a Python script with argv and returns its stdout parsed as JSON. */
export function py<T = unknown>(script: string, ...args: string[]): T {
  const r = spawnSync(PYTHON, ['-c', script, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`python failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

/** A fresh temporary directory. */
export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'neurodyn-io-'));
}

/** Hex of the IEEE bytes of a Float64Array (bit-for-bit comparison with Python's `.tobytes().hex()`). */
export function hex(a: ArrayBufferView): string {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('hex');
}

type Nd = typeof import('../../src/index.js');

/**
 * The seeded recurrent noisy LIF network of the I/O tests and examples/node/export.mjs: an
 * excitatory (80) and an inhibitory (20) population, suprathreshold drive, recurrent random
 * wiring, an inhibitory delay of 1.5 ms. `sigma: 0` gives the noise-free variant.
 */
export function buildNetwork(nd: Nd, o: { sigma?: number; seed?: number; scale?: number } = {}) {
  const sigma = o.sigma ?? 0.02;
  const s = o.scale ?? 1;
  const net = new nd.LifNetwork({ dt: 0.1, integrator: 'exact', spikeRule: 'linear', seed: o.seed ?? 7 });
  net.addPopulation('E', 80 * s, { tauMem: 20, tauSyn: 5, vThreshold: 1, vReset: 0, mu: 0.06, sigma, v0: { uniform: [0, 1] } });
  net.addPopulation('I', 20 * s, { tauMem: 10, tauSyn: 3, vThreshold: 1, vReset: 0, mu: 0.11, sigma, v0: { uniform: [0, 1] } });
  net.connect('E', 'E', { connector: { type: 'fixedProbability', p: 0.1 }, weight: 0.02 / s });
  net.connect('E', 'I', { connector: { type: 'fixedProbability', p: 0.2 }, weight: 0.03 / s });
  net.connect('I', 'E', { connector: { type: 'fixedProbability', p: 0.2 }, weight: -0.05 / s, delay: 1.5 });
  net.connect('I', 'I', { connector: { type: 'fixedProbability', p: 0.2 }, weight: -0.02 / s });
  return net;
}
