// The public contract (docs/guides/conventions.md) on every numerics entry point: strict options
// with a suggestion, ValidationError for wrong types, the one Progress type, `signal` (a timer-fired
// abort stops an async study on 0 workers within 50 ms of abort(); a synchronous call sees an abort
// fired from its own onProgress), and results with toJSON().
import { describe, expect, test } from 'vitest';
import {
  AbortedError,
  convergenceStudy,
  coupledPaths,
  feedforwardNetwork,
  lyapunovStudy,
  lyapunovTrial,
  type Progress,
  randomNetwork,
  rateSynchronyStudy,
  ValidationError,
} from '../../src/index.js';

const network = feedforwardNetwork({ sizes: [6, 6] });
const studies = {
  convergenceStudy: (o: object) => convergenceStudy({ network, duration: 200, dts: [0.4, 0.2], trials: 1000, ...o }),
  lyapunovStudy: (o: object) => lyapunovStudy({ network, duration: 1e5, trials: 1000, ...o }),
  rateSynchronyStudy: (o: object) => rateSynchronyStudy({ network, duration: 1e5, trials: 1000, ...o }),
};

describe('numerics: the public contract', () => {
  // A latency bound on a shared 2-core machine: two retries if another process took the CPU.
  test.each(Object.keys(studies))('%s: a timer-fired abort stops it on 0 workers within 50 ms of abort()', { retry: 2 }, async (name) => {
    const ac = new AbortController();
    let aborted = 0;
    setTimeout(() => {
      aborted = performance.now();
      ac.abort();
    }, 120);
    const seen: Progress[] = [];
    const err = await studies[name as keyof typeof studies]({
      workers: 0,
      signal: ac.signal,
      onProgress: (p: Progress) => seen.push(p),
    }).catch((e) => e);
    expect(err).toBeInstanceOf(AbortedError);
    expect(performance.now() - aborted).toBeLessThan(50);
    for (const p of seen) expect(p).toMatchObject({ unit: 'trial', total: 1000 });
  });

  test('unknown options are rejected with a suggestion, wrong types with a ValidationError', async () => {
    for (const [call, typo, hint] of [
      [() => coupledPaths({ network, duration: 10, dts: [0.1], sede: 1 } as never), 'sede', 'seed'],
      [() => lyapunovTrial({ network, duration: 10, spikeRul: 'linear' } as never), 'spikeRul', 'spikeRule'],
      [() => feedforwardNetwork({ sizes: [2], sigm: 0.1 } as never), 'sigm', 'sigma'],
      [() => randomNetwork({ size: 2, p: 0.1, weight: 0, mu: 0, sigma: 0, tau_m: 20 } as never), 'tau_m', 'tauMem'],
    ] as const) {
      expect(call).toThrow(ValidationError);
      expect(call).toThrow(`unknown option '${typo}'`);
      expect(call).toThrow(`did you mean '${hint}'`);
    }
    await expect(studies.convergenceStudy({ workers: 0, matchWindw: 1 })).rejects.toThrow(/did you mean 'matchWindow'/);
    await expect(studies.lyapunovStudy({ workers: 0, trails: 2 })).rejects.toThrow(/did you mean 'trials'/);
    await expect(studies.rateSynchronyStudy({ workers: 0, bin: 5 })).rejects.toThrow(/did you mean 'binSize'/);
    expect(() => coupledPaths({ network, duration: '10' as never, dts: [0.1] })).toThrow(ValidationError);
    expect(() => lyapunovTrial({ network, duration: 10, tangents: 1.5 })).toThrow(ValidationError);
    await expect(studies.convergenceStudy({ workers: 0, dts: 'x' })).rejects.toThrow(ValidationError);
  });

  test('synchronous calls: Progress per chunk, an abort from their own onProgress stops them; results have toJSON()', () => {
    const seen: Progress[] = [];
    const r = coupledPaths({ network, duration: 40, dts: [0.2, 0.1], seed: 1, onProgress: (p) => seen.push(p) });
    expect(seen.length).toBeGreaterThan(0);
    expect(seen[seen.length - 1]).toMatchObject({ unit: 'step', done: 400, total: 400, fraction: 1 });
    expect(JSON.parse(JSON.stringify(r)).runs[0].spikes.units.time).toBe('ms');
    const ac = new AbortController();
    expect(() => lyapunovTrial({ network, duration: 1e5, signal: ac.signal, onProgress: () => ac.abort() })).toThrow(AbortedError);
    const ly = lyapunovTrial({ network, duration: 200, burnIn: 20, seed: 2 });
    expect(JSON.parse(JSON.stringify(ly))).toMatchObject({ kind: 'numerics.lyapunovTrial', populations: ['L0', 'L1'] });
  });
});
