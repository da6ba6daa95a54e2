// Multi-threaded LifNetwork (#20.1): one network stepped by T workers on a shared memory gives
// the same bits as the single-threaded engine (the reference: the main kernel, threads: 1) for
// every T, across the features whose order of operations threads could change: per-neuron
// parameters, odd population starts, Poisson drive, shared noise, off-grid refractoriness,
// delayed and zero-delay coupling (catch-up), both integrators and all spike rules.
import { describe, expect, test } from 'vitest';
import {
  AbortedError,
  createLifCuba,
  fingerprint,
  kernelMemory,
  LifNetwork,
  type LifNetworkOptions,
  type Progress,
  ValidationError,
} from '../../src/index.js';

type Build = (threads: number | 'auto') => LifNetwork;

/** Bit fingerprint of everything a run leaves: state, spikes (neuron, time, step) and counts. */
function result(net: LifNetwork, spikes: ReturnType<LifNetwork['addSpikeMonitor']>): string {
  const s = net.state();
  const sp = spikes.spikes();
  return fingerprint(
    s.column('v').data,
    s.column('i').data,
    s.column('i2').data,
    s.column('refUntil').data,
    sp.column('neuron').data,
    sp.column('time').data,
    net.spikeCounts(),
  );
}

async function runWith(build: Build, threads: number | 'auto', ms: number): Promise<{ fp: string; spikes: number; used: number }> {
  const net = build(threads);
  const sm = net.addSpikeMonitor();
  await net.runAsync(ms);
  const out = { fp: result(net, sm), spikes: net.spikeCount, used: net.threads };
  net.dispose();
  return out;
}

/** Noisy populations with everything per neuron, odd starts, Poisson drive, shared noise, tRef off the grid; recurrent coupling with and without delay. */
function mixed(opts: Partial<LifNetworkOptions>): Build {
  return (threads) => {
    const net = new LifNetwork({ dt: 0.1, seed: 11, ...opts, threads });
    const n1 = 37;
    const tau = Float64Array.from({ length: n1 }, (_, k) => 12 + (k % 9));
    net.addPopulation('odd', n1, { tauMem: tau, mu: 0.06, sigma: 0.02, v0: { uniform: [0, 1] }, tRef: 1.25 });
    net.addPopulation('big', 403, { tauMem: 20, mu: 0.052, sigma: 0.03, sharedNoise: 0.2, v0: { uniform: [0, 1] }, tRef: 2 });
    net.addPopulation('driven', 101, { tauMem: 15, mu: 0.02, sigma: 0.01, poisson: { rate: 800, weight: 0.004 }, v0: { uniform: [0, 1] } });
    net.connect('big', 'odd', { connector: { type: 'fixedProbability', p: 0.2 }, weight: 0.004 });
    net.connect('odd', 'big', { connector: { type: 'fixedProbability', p: 0.3 }, weight: -0.003, delay: 0.75 });
    net.connect('big', 'driven', { connector: { type: 'fixedInDegree', k: 20 }, weight: 0.002, delay: 1.5 });
    net.connect('driven', 'big', { connector: { type: 'fixedProbability', p: 0.05 }, weight: 0.003 });
    return net;
  };
}

/**
 * Coupling with delays only (every delay at least 3 steps) and no shared noise: the threads
 * exchange spikes once per window of up to the minimum delay (`minDelay` ms) instead of every step.
 */
function delayed(opts: Partial<LifNetworkOptions>, minDelay: number): Build {
  return (threads) => {
    const net = new LifNetwork({ dt: 0.1, seed: 17, ...opts, threads });
    const tau = Float64Array.from({ length: 41 }, (_, k) => 12 + (k % 7));
    net.addPopulation('odd', 41, { tauMem: tau, mu: 0.06, sigma: 0.02, v0: { uniform: [0, 1] }, tRef: 1.25 });
    net.addPopulation('big', 400, { tauMem: 20, mu: 0.052, sigma: 0.03, v0: { uniform: [0, 1] }, tRef: 2 });
    net.addPopulation('driven', 100, { tauMem: 15, mu: 0.02, sigma: 0.01, poisson: { rate: 800, weight: 0.004 }, v0: { uniform: [0, 1] } });
    net.connect('big', 'odd', { connector: { type: 'fixedProbability', p: 0.2 }, weight: 0.004, delay: minDelay });
    net.connect('odd', 'big', { connector: { type: 'fixedProbability', p: 0.3 }, weight: -0.003, delay: 0.75 });
    net.connect('big', 'driven', { connector: { type: 'fixedInDegree', k: 20 }, weight: 0.002, delay: 1.55 });
    net.connect('driven', 'big', { connector: { type: 'fixedProbability', p: 0.05 }, weight: 0.003, delay: minDelay + 0.5 });
    net.connect('big', 'big', { connector: { type: 'fixedProbability', p: 0.05 }, weight: 0.002, delay: minDelay });
    return net;
  };
}

describe('threads: bit-identical for every thread count', () => {
  const cases: [string, Build][] = [
    ['EM + linear rule', mixed({})],
    ['exact + hermite rule', mixed({ integrator: 'exact', spikeRule: 'hermite' })],
    ['EM + grid rule, fineSteps 2', mixed({ spikeRule: 'grid', noise: { fineSteps: 2 } })],
    ['general path (fastPath: false)', mixed({ fastPath: false })],
    ['CUBA 2000 neurons (Brian2 example)', (threads) => createLifCuba({ neurons: 2000, seed: 5, threads })],
    // min-delay windows: 0.3 ms = 3 whole steps (windows of 2), 0.25 ms = 2.5 steps (windows of 2),
    // 1 ms (windows of 7: the 0.75 ms projection, 7.5 steps, sets it), and with the exact integrator and hermite rule
    ['delays >= 0.3 ms: windows of 2 steps', delayed({}, 0.3)],
    ['delays >= 0.25 ms (off the grid): windows of 2 steps', delayed({}, 0.25)],
    ['delays >= 0.75 ms: windows of 7 steps, fineSteps 2', delayed({ noise: { fineSteps: 2 } }, 1)],
    ['delays >= 0.75 ms, exact + hermite rule', delayed({ integrator: 'exact', spikeRule: 'hermite' }, 1)],
  ];
  for (const [name, build] of cases)
    test(`${name}: threads 1, 2, 3 give the bits of the single-threaded engine`, async () => {
      const ref = await runWith(build, 1, 60);
      expect(ref.used).toBe(1);
      expect(ref.spikes).toBeGreaterThan(100); // the run is not trivially quiet
      for (const T of [2, 3]) {
        const r = await runWith(build, T, 60);
        expect(r.used).toBe(T);
        expect(r.spikes).toBe(ref.spikes);
        expect(r.fp).toBe(ref.fp);
      }
    });

  test('the window is the minimum delay in steps less one (whole steps) or its whole part (off the grid): the spike buffer holds 2·W·N records (N + 4096 per step)', async () => {
    // delayed(_, 1): the shortest delay is the fixed 0.75 ms projection (7.5 steps: W = 7)
    for (const [minDelay, W] of [
      [1, 7],
      [0.3, 2],
      [0.25, 2],
      [0.2, 1],
    ] as const) {
      const net = delayed({}, minDelay)(2);
      net.build();
      const N = 541;
      expect(net.memory().bufferBytes, `min delay ${minDelay} ms`).toBe(24 * Math.max(4096, W > 1 ? N * 2 * W : N + 4096));
      net.dispose();
    }
  });

  test('user CSR rows in any order: the same bits as ascending rows, on 1, 2 and 3 threads (per step and in windows)', async () => {
    // Each target takes one term per row, so the order within a row cannot change a sum: reversed
    // rows (delivered by scanning every row) must give the bits of ascending rows (delivered by
    // bisection to each thread's stretch) and of one thread.
    const N = 300;
    let x = 12345;
    const rnd = () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 2 ** 32;
    const rowPtr = [0];
    const cols: number[] = [];
    const weights: number[] = [];
    for (let j = 0; j < N; j++) {
      for (let i = 0; i < N; i++)
        if (i !== j && rnd() < 0.08) {
          cols.push(i);
          weights.push(0.0005 + 0.003 * rnd());
        }
      rowPtr.push(cols.length);
    }
    const reversed = (a: number[]) => {
      const out = a.slice();
      for (let j = 0; j < N; j++) out.splice(rowPtr[j], rowPtr[j + 1] - rowPtr[j], ...a.slice(rowPtr[j], rowPtr[j + 1]).reverse());
      return out;
    };
    const rev = { cols: reversed(cols), weights: reversed(weights) };
    const build =
      (order: 'asc' | 'rev', delay: number): Build =>
      (threads) => {
        const net = new LifNetwork({ dt: 0.1, seed: 23, threads });
        net.addPopulation('p', N, { tauMem: 20, mu: 0.052, sigma: 0.03, v0: { uniform: [0, 1] } });
        const c = order === 'asc' ? { cols, weights } : rev;
        net.connect('p', 'p', { connector: { type: 'csr', rowPtr, ...c }, delay });
        return net;
      };
    for (const delay of [0, 1]) {
      const ref = await runWith(build('asc', delay), 1, 60);
      expect(ref.spikes, `delay ${delay}`).toBeGreaterThan(100);
      for (const [order, T] of [
        ['rev', 1],
        ['asc', 2],
        ['rev', 2],
        ['asc', 3],
        ['rev', 3],
      ] as const) {
        const r = await runWith(build(order, delay), T, 60);
        expect(r.used).toBe(T);
        expect(r.fp, `delay ${delay}, ${order}, ${T} threads`).toBe(ref.fp);
      }
    }
  });

  test('a threaded network run synchronously (one thread, shared memory) and in pieces gives the same bits', async () => {
    const build = mixed({ integrator: 'exact' });
    const ref = await runWith(build, 1, 40);
    const net = build(2);
    const sm = net.addSpikeMonitor();
    net.run(10); // synchronous: the main thread's instance of the shared kernel
    await net.runAsync(15, { sliceMs: 1 }); // many small calls on 2 threads
    net.run(5);
    await net.runAsync(10);
    expect(net.threads).toBe(2);
    expect(result(net, sm)).toBe(ref.fp);
    net.dispose();
  });
});

describe('threads: the run contract', () => {
  test('monitors (state, rate) and spike buffer refills see the same data as on one thread', async () => {
    const go = async (threads: number) => {
      const net = new LifNetwork({ dt: 0.1, seed: 3, threads, spikeBufferSize: 600 });
      net.addPopulation('p', 600, { mu: 0.08, sigma: 0.02, v0: { uniform: [0, 1] } });
      const st = net.addStateMonitor({ neurons: [0, 299, 300, 599], interval: 0.5 });
      const rm = net.addRateMonitor({ binSize: 1 });
      await net.runAsync(50);
      const s = st.samples();
      const r = rm.rates();
      const out = fingerprint(s.column('v').data, s.column('time').data, r.column('rate').data);
      net.dispose();
      return out;
    };
    expect(await go(2)).toBe(await go(1));
  });

  test('min-delay windows cut by state samples every 3 steps, small spike buffer, snapshot/restore: the bits of one thread', async () => {
    // delays >= 0.75 ms give windows of 7 steps; samples every 0.3 ms end calls after 3 steps, so
    // most windows are cut short; the buffer refills; a snapshot mid-run replays.
    const go = async (threads: number) => {
      const net = delayed({ spikeBufferSize: 700 }, 1)(threads);
      const st = net.addStateMonitor({ neurons: [0, 40, 41, 300, 540], interval: 0.3 });
      const rm = net.addRateMonitor({ binSize: 1 });
      const sm = net.addSpikeMonitor();
      await net.runAsync(20);
      const snap = net.snapshot();
      await net.runAsync(20);
      const first = fingerprint(net.state().column('v').data, net.state().column('i').data);
      net.restore(snap);
      await net.runAsync(20);
      expect(fingerprint(net.state().column('v').data, net.state().column('i').data), `${threads} threads: replay`).toBe(first);
      const s = st.samples();
      const sp = sm.spikes();
      const out = fingerprint(
        s.column('v').data,
        s.column('time').data,
        rm.rates().column('rate').data,
        sp.column('neuron').data,
        sp.column('time').data,
      );
      const used = net.threads;
      net.dispose();
      return { out, used, spikes: sp.length };
    };
    const ref = await go(1);
    expect(ref.spikes).toBeGreaterThan(100);
    for (const T of [2, 3]) {
      const r = await go(T);
      expect(r.used).toBe(T);
      expect(r.out).toBe(ref.out);
    }
  });

  test('snapshot/restore: a threaded run replays from a snapshot to the same bits', async () => {
    const net = mixed({})(2);
    await net.runAsync(20);
    const snap = net.snapshot();
    await net.runAsync(20);
    const a = fingerprint(net.state().column('v').data, net.state().column('i').data);
    net.restore(snap);
    await net.runAsync(20);
    const b = fingerprint(net.state().column('v').data, net.state().column('i').data);
    expect(b).toBe(a);
    // and a one-thread network restored from the threaded snapshot continues the same way
    const one = mixed({})(1);
    one.restore(snap);
    await one.runAsync(20);
    expect(fingerprint(one.state().column('v').data, one.state().column('i').data)).toBe(a);
    net.dispose();
    one.dispose();
  });

  test('an abort while the workers start answers within 50 ms; the next runAsync uses them and gives the uninterrupted bits', {
    retry: 2,
  }, async () => {
    const build = mixed({});
    const ref = await runWith(build, 1, 20);
    const net = build(2);
    const sm = net.addSpikeMonitor();
    const ac = new AbortController();
    let fired = 0;
    setTimeout(() => {
      fired = performance.now();
      ac.abort();
    }, 0);
    const e = await net.runAsync(20, { signal: ac.signal }).catch((x) => x);
    const stopped = performance.now();
    expect(e).toBeInstanceOf(AbortedError);
    expect(fired).toBeGreaterThan(0);
    expect(stopped - fired).toBeLessThan(50);
    expect(net.time).toBe(0); // aborted before its first step (while the workers started)
    await net.runAsync(20);
    expect(net.threads).toBe(2);
    expect(result(net, sm)).toBe(ref.fp);
    // disposed while its workers start: the start ends quietly and stops them
    const other = build(2);
    const ac2 = new AbortController();
    const p = other.runAsync(20, { signal: ac2.signal }).catch((x) => x);
    ac2.abort();
    expect(await p).toBeInstanceOf(AbortedError);
    other.dispose();
    net.dispose();
  });

  test('abort stops a threaded run between calls; continuing gives the uninterrupted bits; progress reaches the total', async () => {
    const build = mixed({});
    const ref = await runWith(build, 1, 50);
    const net = build(2);
    const sm = net.addSpikeMonitor();
    const ac = new AbortController();
    const seen: Progress[] = [];
    const err = await net
      .runAsync(50, {
        signal: ac.signal,
        sliceMs: 1,
        onProgress: (p) => {
          seen.push(p);
          if (p.done >= 100) ac.abort();
        },
      })
      .catch((e) => e);
    expect(err).toBeInstanceOf(AbortedError);
    const stopped = net.step;
    expect(stopped).toBeGreaterThanOrEqual(100);
    expect(stopped).toBeLessThan(500);
    await net.runAsync((500 - stopped) * 0.1, { onProgress: (p) => seen.push(p) });
    expect(seen.at(-1)?.done).toBe(seen.at(-1)?.total);
    expect(result(net, sm)).toBe(ref.fp);
    net.dispose();
  });

  test("threads: 'auto' uses the machine's cores (at least 1); too few neurons stay on one thread with a note", async () => {
    const r = await runWith(mixed({}), 'auto', 5);
    expect(r.used).toBeGreaterThanOrEqual(1);
    const net = new LifNetwork({ dt: 0.1, threads: 4 });
    net.addPopulation('p', 12, { mu: 0.06 });
    await net.runAsync(1);
    expect(net.threads).toBe(1);
    expect(net.threadsNote).toMatch(/too few/);
    net.dispose();
  });

  test('spike sources: stepped by one thread (the cuts go around them), the bits of one thread for 1, 2, 3 threads, per step and in windows', async () => {
    // a source of 100 neurons between two populations: the even cuts (250 for 2 threads; 167, 333
    // for 3) fall inside it and move to its edges
    // 14 events per source neuron, 2.9 ms apart, at offsets off the grid
    const events = { neuron: [] as number[], time: [] as number[] };
    for (let n = 0; n < 100; n++)
      for (let k = 0; k < 14; k++) {
        events.neuron.push(n);
        events.time.push(0.5 + 2.9 * k + ((n * 0.0137) % 2.9));
      }
    const build =
      (delay: number): Build =>
      (threads) => {
        const net = new LifNetwork({ dt: 0.1, seed: 29, threads });
        net.addPopulation('a', 200, { mu: 0.03, sigma: 0.02, v0: { uniform: [0, 1] } });
        net.addSpikeSource('in', 100, events);
        net.addPopulation('b', 200, { mu: 0.03, sigma: 0.02, v0: { uniform: [0, 1] } });
        for (const to of ['a', 'b']) net.connect('in', to, { connector: { type: 'fixedInDegree', k: 10 }, weight: 0.03, delay });
        net.connect('a', 'b', { connector: { type: 'fixedProbability', p: 0.05 }, weight: 0.004, delay: delay + 0.3 });
        return net;
      };
    for (const delay of [0, 1]) {
      const ref = await runWith(build(delay), 1, 45);
      expect(ref.spikes, `delay ${delay}`).toBeGreaterThan(1400 + 100); // the source's 1400 and the neurons'
      for (const T of [2, 3]) {
        const r = await runWith(build(delay), T, 45);
        expect(r.used).toBe(T);
        expect(r.fp, `delay ${delay}, ${T} threads`).toBe(ref.fp);
      }
    }
  });

  test('noise windows and tangents ask for threads: 1', () => {
    const t = new LifNetwork({ dt: 0.1, threads: 2 });
    t.addPopulation('p', 100, { mu: 0.06 });
    expect(() => t.addTangents({ count: 2 })).toThrow(ValidationError);
    t.dispose();
  });

  test('40 threaded networks created, run and disposed: no kernel region left, RSS grows < 48 MiB (a leaked worker is ~8 MiB)', async () => {
    const cycle = async (k: number) => {
      const net = new LifNetwork({ dt: 0.1, seed: k, threads: 2 });
      net.addPopulation('p', 64, { mu: 0.06, sigma: 0.02 });
      net.connect('p', 'p', { connector: { type: 'fixedProbability', p: 0.1 }, weight: 0.01, delay: 1 });
      await net.runAsync(2);
      expect(net.threads).toBe(2);
      net.dispose();
    };
    for (let k = 0; k < 5; k++) await cycle(k);
    const before = kernelMemory().regions;
    const rss0 = process.memoryUsage().rss;
    for (let k = 0; k < 40; k++) await cycle(k);
    await new Promise((r) => setTimeout(r, 200)); // terminated workers release their isolates
    expect(kernelMemory().regions).toBe(before);
    expect((process.memoryUsage().rss - rss0) / 2 ** 20).toBeLessThan(48);
  });

  test('bad thread counts are refused with the range; dispose frees the shared regions and stops the workers', async () => {
    for (const bad of [0, 1.5, 257, 'many', Number.NaN])
      expect(() => new LifNetwork({ dt: 0.1, threads: bad as never })).toThrow(ValidationError);
    const before = kernelMemory().regions;
    const net = mixed({})(3);
    await net.runAsync(2);
    expect(kernelMemory().regions).toBeGreaterThan(before);
    net.dispose();
    expect(kernelMemory().regions).toBe(before);
  });
});

describe('threads without exchange (no projections): windows of several steps per barrier', () => {
  const uncoupled =
    (opts: Partial<LifNetworkOptions>): Build =>
    (threads) => {
      const net = new LifNetwork({ dt: 0.1, seed: 21, ...opts, threads });
      const mu = Float64Array.from({ length: 205 }, (_, k) => 0.05 + 0.0002 * k);
      net.addPopulation('het', 205, { mu, sigma: 0.03, tauMem: 15, tRef: 1.05, v0: { uniform: [0, 1] } });
      net.addPopulation('pois', 1003, { mu: 0.03, sigma: 0.02, poisson: { rate: 900, weight: 0.005 }, tRef: 2, v0: { uniform: [0, 1] } });
      return net;
    };
  for (const [name, build] of [
    ['EM + linear', uncoupled({})],
    ['exact + hermite, fineSteps 3', uncoupled({ integrator: 'exact', spikeRule: 'hermite', noise: { fineSteps: 3 } })],
    ['with spikeBufferSize given', uncoupled({ spikeBufferSize: 1300 })],
  ] as [string, Build][])
    test(`${name}: threads 1, 2, 3 give the same bits`, async () => {
      const ref = await runWith(build, 1, 80);
      expect(ref.spikes).toBeGreaterThan(500);
      for (const T of [2, 3]) {
        const r = await runWith(build, T, 80);
        expect(r.used).toBe(T);
        expect(r.fp).toBe(ref.fp);
      }
    });
});
