// Fields shared by every experiment kind, and the spike/rate accumulators the kinds use.
import { bool, int, num, obj, str } from './schema.mjs';

/** Top-level fields every experiment file has (the kind adds `network`, `scheme`, ...). */
export function commonFields(kind, { maxDuration = 1e7, dtDefault = 0.1 } = {}) {
  return {
    kind: str({ enum: [kind] }),
    name: str({ optional: true }),
    description: str({ optional: true }),
    seed: { type: 'seed', default: 1 },
    duration: num({ gt: 0, max: maxDuration, unit: 'ms' }),
    dt: num({ gt: 0, max: 10, unit: 'ms', default: dtDefault }),
    output: obj(
      {
        plots: bool({ default: true }),
        csv: bool({ default: true }),
        /** Spikes are written into result.json only up to this count (always in spikes.csv). */
        jsonSpikesLimit: int({ min: 0, max: 1e8, default: 100_000 }),
      },
      { default: {} },
    ),
  };
}

/**
 * Monitors every spiking kind understands. `rate.binSize` is the library's name and unit
 * (LifNetwork.addRateMonitor): ms, a multiple of dt.
 */
export function spikeMonitors(extra = {}) {
  return obj(
    {
      spikes: bool({ default: true }),
      rate: obj({ binSize: num({ gt: 0, max: 1e6, unit: 'ms', default: 5 }) }, { optional: true }),
      ...extra,
    },
    { default: { spikes: true, rate: { binSize: 5 } } },
  );
}

/** Growable (neuron, time) spike store. */
export class SpikeStore {
  constructor() {
    this.neuron = new Int32Array(1024);
    this.time = new Float64Array(1024);
    this.length = 0;
  }
  push(n, t) {
    if (this.length === this.neuron.length) {
      const a = new Int32Array(this.length * 2);
      a.set(this.neuron);
      this.neuron = a;
      const b = new Float64Array(this.length * 2);
      b.set(this.time);
      this.time = b;
    }
    this.neuron[this.length] = n;
    this.time[this.length++] = t;
  }
  view() {
    return { neuron: this.neuron.subarray(0, this.length), time: this.time.subarray(0, this.length) };
  }
}

/** Population rate (Hz) in bins of `bin` ms over [0, upTo) from spike times (ms). */
export function binnedRate(times, neurons, bin, upTo) {
  const nb = Math.max(1, Math.ceil(upTo / bin - 1e-9));
  const counts = new Float64Array(nb);
  for (const t of times) {
    const b = Math.floor(t / bin);
    if (b >= 0 && b < nb) counts[b]++;
  }
  const t = Array.from({ length: nb }, (_, b) => (b + 0.5) * bin);
  // The last bin may be partial (interrupted run): normalise by its real width.
  const hz = Array.from(counts, (c, b) => {
    const width = Math.min(bin, upTo - b * bin);
    return width > 0 ? (c / neurons / width) * 1000 : 0;
  });
  return { t, hz };
}
