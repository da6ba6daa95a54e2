/**
 * Monitors of a {@link LifNetwork}: spike records, sampled state and population rate. The network
 * feeds them after every kernel call (a chunk of spike records; the state at each sampling step)
 * and they hand out copies as {@link Table}s whose columns carry their units
 * (docs/guides/conventions.md §6). Times are in ms; `step` columns keep the integer grid index.
 * @packageDocumentation
 */
import { makeTable, type TableOf } from '../contract/results.js';
import { checkInteger } from '../kernel/validate.js';

/**
 * One chunk of spike records as the kernel wrote them (views into kernel memory, valid only during
 * the call that receives them; copy what you keep). Record k: neuron `neuron[k]`, spike time
 * (`step[k]` + `offset[k]`)·dt, crossing speed `A[k]`. Records come in time order of their steps,
 * by neuron within a step.
 * @internal
 */
export interface LifSpikeChunk {
  /** Number of records in the chunk. */
  count: number;
  /** Global neuron index per record. */
  neuron: Int32Array;
  /** Step index per record. */
  step: Uint32Array;
  /** Offset in [0, 1) of the step per record. */
  offset: Float64Array;
  /** Crossing speed per record (voltage units per ms). */
  A: Float64Array;
}

/** What a monitor needs from its network. @internal */
export interface LifMonitorHost {
  /** Step h (ms). */
  readonly dt: number;
  /** The network's current step. */
  readonly step: number;
  /** Total number of neurons (grows until the network is built). */
  readonly size: number;
  /** Metadata copied into every table (dt, scheme, seed, populations). */
  tableMeta(): Record<string, unknown>;
}

/** A growable typed array (amortised doubling). */
class Grow<A extends Float64Array | Int32Array> {
  a: A;
  n = 0;
  readonly #make: (n: number) => A;
  constructor(make: (n: number) => A) {
    this.#make = make;
    this.a = make(64);
  }
  reserve(extra: number): void {
    if (this.n + extra <= this.a.length) return;
    let cap = this.a.length;
    while (cap < this.n + extra) cap *= 2;
    const b = this.#make(cap);
    b.set(this.a.subarray(0, this.n));
    this.a = b;
  }
  push(x: number): void {
    if (this.n === this.a.length) this.reserve(1);
    this.a[this.n++] = x;
  }
  copy(): A {
    return this.a.slice(0, this.n) as A;
  }
  clear(): void {
    this.n = 0;
    this.a = this.#make(64);
  }
}

const f64 = (n: number) => new Float64Array(n);
const i32 = (n: number) => new Int32Array(n);

/** Columns of a spike table: one row per spike. */
export type LifSpikeColumns = {
  /** Global neuron index. */
  neuron: Int32Array;
  /** Spike time (step + offset)·dt (ms). */
  time: Float64Array;
  /** Integer step at whose start the spike time is measured (time = (step + offset)·dt). */
  step: Float64Array;
  /** Offset in [0, 1) within the step. */
  offset: Float64Array;
  /** Crossing speed A = dV/dt at the crossing (voltage units per ms). */
  A: Float64Array;
};

/**
 * Spike records (kind `'lif.spikes'`), one row per spike in time order (by neuron within a grid
 * step). Columns: `time` (ms), `neuron` (global index), `step`, `offset` (time = (step +
 * offset)·dt), `A` (crossing speed dV/dt, voltage units per ms). `meta`: `dt` (ms), `integrator`,
 * `spikeRule`, `seed`, `trial`, `populations` (name, start, size) and the monitored `population`
 * (null for all).
 */
export type LifSpikes = TableOf<LifSpikeColumns>;

/** Builds a spike table from copies of its columns. @internal */
export function spikeTable(
  dt: number,
  neuron: Int32Array,
  step: Float64Array,
  offset: Float64Array,
  A: Float64Array,
  meta: Record<string, unknown>,
): LifSpikes {
  const time = new Float64Array(step.length);
  for (let k = 0; k < step.length; k++) time[k] = (step[k] + offset[k]) * dt;
  return makeTable<LifSpikeColumns>(
    'lif.spikes',
    {
      neuron: { data: neuron, unit: '', description: 'global neuron index' },
      time: { data: time, unit: 'ms', description: 'spike time (step + offset)·dt' },
      step: { data: step, unit: '', description: 'grid step at whose start the spike time is measured' },
      offset: { data: offset, unit: '1', description: 'offset in [0, 1) within the step' },
      A: { data: A, unit: 'voltage/ms', description: 'crossing speed dV/dt at the threshold' },
    },
    meta,
  );
}

/**
 * Records the spikes of every neuron or of one population (`addSpikeMonitor`). Records are kept
 * in growable typed arrays (40 B per spike); {@link LifSpikeMonitor.spikes} hands out a copy as a
 * {@link LifSpikes} table.
 */
export class LifSpikeMonitor {
  /** The monitored population, or null for every neuron. */
  readonly population: string | null;
  readonly #host: LifMonitorHost;
  readonly #lo: number;
  readonly #hi: number;
  readonly #n = new Grow(i32);
  readonly #s = new Grow(f64);
  readonly #o = new Grow(f64);
  readonly #a = new Grow(f64);
  /** @internal */
  constructor(host: LifMonitorHost, population: string | null, lo: number, hi: number) {
    this.#host = host;
    this.population = population;
    this.#lo = lo;
    this.#hi = hi;
  }
  /** @internal Takes the records of a chunk that belong to the monitored range. */
  receive(c: LifSpikeChunk): void {
    const lo = this.#lo;
    const hi = this.#hi;
    let m = 0;
    for (let k = 0; k < c.count; k++) if (c.neuron[k] >= lo && c.neuron[k] < hi) m++;
    if (m === 0) return;
    for (const g of [this.#n, this.#s, this.#o, this.#a]) g.reserve(m);
    for (let k = 0; k < c.count; k++) {
      const j = c.neuron[k];
      if (j < lo || j >= hi) continue;
      this.#n.a[this.#n.n++] = j;
      this.#s.a[this.#s.n++] = c.step[k];
      this.#o.a[this.#o.n++] = c.offset[k];
      this.#a.a[this.#a.n++] = c.A[k];
    }
  }
  /** Number of recorded spikes. */
  get count(): number {
    return this.#n.n;
  }
  /** The records so far (copies) as a {@link LifSpikes} table: `neuron`, `time` (ms), `step`, `offset`, `A`. */
  spikes(): LifSpikes {
    return spikeTable(this.#host.dt, this.#n.copy(), this.#s.copy(), this.#o.copy(), this.#a.copy(), {
      ...this.#host.tableMeta(),
      population: this.population,
    });
  }
  /** Spike times (ms) of one neuron (global index, an integer ≥ 0), in order. */
  timesOf(neuron: number): Float64Array {
    checkInteger('neuron', neuron, 0, 0x7fffffff);
    const out: number[] = [];
    const dt = this.#host.dt;
    for (let k = 0; k < this.#n.n; k++) if (this.#n.a[k] === neuron) out.push((this.#s.a[k] + this.#o.a[k]) * dt);
    return Float64Array.from(out);
  }
  /** Forgets the records. */
  clear(): void {
    for (const g of [this.#n, this.#s, this.#o, this.#a]) g.clear();
  }
  /** JSON form: the {@link LifSpikes} table's. */
  toJSON(): ReturnType<LifSpikes['toJSON']> {
    return this.spikes().toJSON();
  }
}

/** One sample passed to a state monitor's `onSample`: V, I, I₂ of the monitored neurons at `time`. */
export interface LifStateSample {
  /** Grid step n of the sample (time = n·dt). */
  step: number;
  /** Time of the sample (ms). */
  time: number;
  /** V of each monitored neuron (voltage units), in the order of the monitor's `neurons`. */
  v: Float64Array;
  /** I of each monitored neuron (voltage units per ms). */
  i: Float64Array;
  /** I₂ of each monitored neuron (voltage units per ms). */
  i2: Float64Array;
}

/** Columns of a state-sample table: one row per (sample, monitored neuron). */
export type LifStateSampleColumns = {
  /** Time of the sample (ms). */
  time: Float64Array;
  /** Grid step of the sample. */
  step: Float64Array;
  /** Global neuron index. */
  neuron: Int32Array;
  /** Membrane potential V (voltage units). */
  v: Float64Array;
  /** Noisy synaptic current I, channel 0 (voltage units per ms). */
  i: Float64Array;
  /** Noise-free synaptic current I₂, channel 1 (voltage units per ms). */
  i2: Float64Array;
};

/**
 * Sampled state (kind `'lif.samples'`), long format: one row per sample and monitored neuron,
 * samples in time order and the monitor's neurons within a sample (row = k·m + j for sample k and
 * neuron j of m). Columns: `time` (ms), `step`, `neuron`, `v` (voltage units), `i`, `i2` (voltage
 * units per ms). `meta` adds `neurons` (the monitored indices) and `interval` (ms).
 */
export type LifStateSamples = TableOf<LifStateSampleColumns>;

/**
 * Samples V, I, I₂ of chosen neurons every `interval` ms (`addStateMonitor`): at every grid time
 * t_n = n·dt with n a multiple of `intervalSteps`, after the step that reaches t_n (so after
 * resets and arrivals of that step), and at the current time when added. Keeps the last
 * `maxSamples` samples; `onSample` receives every sample as it is taken.
 */
export class LifStateMonitor {
  /** Global indices of the sampled neurons. */
  readonly neurons: Int32Array;
  /** Sampling interval (ms), a multiple of dt. */
  readonly interval: number;
  /** Sampling interval in steps (interval / dt). */
  readonly intervalSteps: number;
  /** How many samples are kept (the oldest are dropped first). */
  readonly maxSamples: number;
  readonly #host: LifMonitorHost;
  readonly #onSample?: (s: LifStateSample) => void;
  // Ring of samples: slot (#head + k) % maxSamples holds the k-th oldest kept sample.
  #steps: number[] = [];
  #v: Float64Array[] = [];
  #i: Float64Array[] = [];
  #i2: Float64Array[] = [];
  #head = 0;
  /** @internal */
  constructor(
    host: LifMonitorHost,
    neurons: Int32Array,
    intervalSteps: number,
    maxSamples: number,
    onSample: ((s: LifStateSample) => void) | undefined,
  ) {
    this.#host = host;
    this.neurons = neurons;
    this.intervalSteps = intervalSteps;
    this.interval = intervalSteps * host.dt;
    this.maxSamples = maxSamples;
    this.#onSample = onSample;
  }
  /** @internal Records one sample of the monitored neurons at `step` from the full state arrays. */
  sample(step: number, V: Float64Array, I: Float64Array, I2: Float64Array): void {
    const ns = this.neurons;
    const v = Float64Array.from(ns, (k) => V[k]);
    const i = Float64Array.from(ns, (k) => I[k]);
    const i2 = Float64Array.from(ns, (k) => I2[k]);
    this.#onSample?.({ step, time: step * this.#host.dt, v, i, i2 });
    const max = this.maxSamples;
    if (max === 0) return;
    if (this.#steps.length < max) {
      this.#steps.push(step);
      this.#v.push(v);
      this.#i.push(i);
      this.#i2.push(i2);
    } else {
      const h = this.#head;
      this.#steps[h] = step;
      this.#v[h] = v;
      this.#i[h] = i;
      this.#i2[h] = i2;
      this.#head = (h + 1) % max;
    }
  }
  /** Number of samples kept. */
  get count(): number {
    return this.#steps.length;
  }
  /**
   * The kept samples (copies) as a {@link LifStateSamples} table, long format: `time` (ms),
   * `step`, `neuron`, `v`, `i`, `i2`; row k·m + j is sample k of neuron `neurons[j]`.
   */
  samples(): LifStateSamples {
    const K = this.#steps.length;
    const m = this.neurons.length;
    const time = new Float64Array(K * m);
    const step = new Float64Array(K * m);
    const neuron = new Int32Array(K * m);
    const v = new Float64Array(K * m);
    const i = new Float64Array(K * m);
    const i2 = new Float64Array(K * m);
    const dt = this.#host.dt;
    for (let k = 0; k < K; k++) {
      const s = (this.#head + k) % K;
      for (let j = 0; j < m; j++) {
        const r = k * m + j;
        step[r] = this.#steps[s];
        time[r] = this.#steps[s] * dt;
        neuron[r] = this.neurons[j];
        v[r] = this.#v[s][j];
        i[r] = this.#i[s][j];
        i2[r] = this.#i2[s][j];
      }
    }
    return makeTable<LifStateSampleColumns>(
      'lif.samples',
      {
        time: { data: time, unit: 'ms', description: 'time of the sample step·dt' },
        step: { data: step, unit: '', description: 'grid step of the sample' },
        neuron: { data: neuron, unit: '', description: 'global neuron index' },
        v: { data: v, unit: 'voltage', description: 'membrane potential V' },
        i: { data: i, unit: 'voltage/ms', description: 'noisy synaptic current I (channel 0)' },
        i2: { data: i2, unit: 'voltage/ms', description: 'noise-free synaptic current I2 (channel 1)' },
      },
      { ...this.#host.tableMeta(), neurons: Array.from(this.neurons), interval: this.interval },
    );
  }
  /** Forgets the kept samples. */
  clear(): void {
    this.#steps = [];
    this.#v = [];
    this.#i = [];
    this.#i2 = [];
    this.#head = 0;
  }
  /** JSON form: the {@link LifStateSamples} table's. */
  toJSON(): ReturnType<LifStateSamples['toJSON']> {
    return this.samples().toJSON();
  }
}

/** Columns of a population-rate table: one row per bin. */
export type LifRateColumns = {
  /** Start of the bin (ms); bins are [time, time + binSize). */
  time: Float64Array;
  /** Spikes of the population in the bin. */
  count: Float64Array;
  /** Population rate count / (size · observed width of the bin) (Hz). */
  rate: Float64Array;
};

/**
 * Population rate (kind `'lif.rate'`): one row per bin [time, time + binSize) from the bin holding
 * the time the monitor was added to the bin holding the network's current time. Columns: `time`
 * (bin start, ms), `count` (spikes of the population in the bin), `rate` (Hz) = count / (size ·
 * observed width); the observed width is `binSize` except for a first or last bin the monitor saw
 * only part of (added mid-bin, or the run stopped mid-bin). A spike belongs to the bin of its time
 * (step + offset)·dt. `meta` adds `binSize` (ms), `size` (neurons) and `population`.
 */
export type LifRates = TableOf<LifRateColumns>;

/**
 * Population rate in bins of `binSize` ms (`addRateMonitor`), counted from each spike's time.
 * Bins are aligned on t = 0: bin b is [b·binSize, (b+1)·binSize).
 */
export class LifRateMonitor {
  /** The monitored population, or null for every neuron. */
  readonly population: string | null;
  /** Bin width (ms), a multiple of dt. */
  readonly binSize: number;
  /** Bin width in steps (binSize / dt). */
  readonly binSteps: number;
  readonly #host: LifMonitorHost;
  readonly #lo: number;
  readonly #hi: number;
  readonly #size: (() => number) | number;
  readonly #startStep: number;
  readonly #firstBin: number;
  readonly #counts = new Grow(f64);
  /** @internal */
  constructor(host: LifMonitorHost, population: string | null, lo: number, hi: number, size: (() => number) | number, binSteps: number) {
    this.#host = host;
    this.population = population;
    this.#lo = lo;
    this.#hi = hi;
    this.#size = size;
    this.binSteps = binSteps;
    this.binSize = binSteps * host.dt;
    this.#startStep = host.step;
    this.#firstBin = Math.floor(host.step / binSteps);
  }
  /** @internal Counts the spikes of a chunk in the bins of their steps. */
  receive(c: LifSpikeChunk): void {
    const B = this.binSteps;
    const g = this.#counts;
    for (let k = 0; k < c.count; k++) {
      const j = c.neuron[k];
      if (j < this.#lo || j >= this.#hi) continue;
      // The spike time lies in [step, step + 1)·dt, so its bin is the bin of its step.
      const b = Math.floor(c.step[k] / B) - this.#firstBin;
      if (b >= g.n) {
        g.reserve(b + 1 - g.n);
        g.a.fill(0, g.n, b + 1);
        g.n = b + 1;
      }
      g.a[b]++;
    }
  }
  /**
   * The bins observed so far (copies) as a {@link LifRates} table: `time` (bin start, ms),
   * `count`, `rate` (Hz). Spikes at exactly the current time (grid-rule spikes of the last step)
   * belong to the next bin and appear once the network has run into it.
   */
  rates(): LifRates {
    const B = this.binSteps;
    const now = this.#host.step;
    const size = typeof this.#size === 'number' ? this.#size : this.#size();
    const b0 = this.#firstBin;
    const nb = now > this.#startStep ? Math.ceil(now / B) - b0 : 0;
    const time = new Float64Array(nb);
    const count = new Float64Array(nb);
    const rate = new Float64Array(nb);
    const dt = this.#host.dt;
    for (let b = 0; b < nb; b++) {
      const lo = Math.max((b0 + b) * B, this.#startStep);
      const hi = Math.min((b0 + b + 1) * B, now);
      time[b] = (b0 + b) * B * dt;
      count[b] = b < this.#counts.n ? this.#counts.a[b] : 0;
      rate[b] = count[b] / (size * (((hi - lo) * dt) / 1000));
    }
    return makeTable<LifRateColumns>(
      'lif.rate',
      {
        time: { data: time, unit: 'ms', description: 'start of the bin' },
        count: { data: count, unit: '', description: 'spikes of the population in the bin' },
        rate: { data: rate, unit: 'Hz', description: 'count / (size · observed width of the bin)' },
      },
      { ...this.#host.tableMeta(), population: this.population, binSize: this.binSize, size },
    );
  }
  /** JSON form: the {@link LifRates} table's. */
  toJSON(): ReturnType<LifRates['toJSON']> {
    return this.rates().toJSON();
  }
}
