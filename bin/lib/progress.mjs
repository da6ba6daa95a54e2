// Progress of a long run on stderr: fraction, simulated time, elapsed, ETA and the real-time
// factor (simulated seconds per wall-clock second; > 1 means faster than real time).

const clock = (s) => {
  if (!Number.isFinite(s) || s < 0) return '--:--';
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = Math.floor(s % 60);
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${String(sec).padStart(2, '0')}` : `${m}:${String(sec).padStart(2, '0')}`;
};

export class RunProgress {
  /**
   * @param o.totalMs - simulated duration (ms) of a time-stepped run, or the number of units of a
   *   study (with `unit`, e.g. 'trials'; no real-time factor then)
   */
  constructor({ stream = process.stderr, quiet = false, totalMs, label = 'run', unit = 'ms' } = {}) {
    this.unit = unit;
    this.stream = stream;
    this.quiet = quiet;
    this.tty = !!stream.isTTY;
    this.totalMs = totalMs;
    this.label = label;
    this.t0 = performance.now();
    this.lastWrite = 0;
    this.lastLen = 0;
  }
  /** Current figures: { fraction, elapsed, eta, rtf }. */
  stats(simMs) {
    const elapsed = (performance.now() - this.t0) / 1000;
    const fraction = this.totalMs > 0 ? Math.min(1, simMs / this.totalMs) : 1;
    const eta = fraction > 0 ? (elapsed * (1 - fraction)) / fraction : Number.NaN;
    const rtf = elapsed > 0 ? simMs / 1000 / elapsed : Number.NaN;
    return { fraction, elapsed, eta, rtf };
  }
  line(simMs) {
    const { fraction, elapsed, eta, rtf } = this.stats(simMs);
    const w = 24;
    const fill = Math.round(fraction * w);
    const rtfs = Number.isFinite(rtf) && simMs > 0 ? (rtf >= 10 ? rtf.toFixed(0) : rtf.toPrecision(2)) : '-';
    const bar = `${this.label} [${'#'.repeat(fill)}${'.'.repeat(w - fill)}] ${(fraction * 100).toFixed(0).padStart(3)}%`;
    if (this.unit !== 'ms') return `${bar}  ${simMs}/${this.totalMs} ${this.unit}  elapsed ${clock(elapsed)}  ETA ${clock(eta)}`;
    return `${bar}  t=${simMs.toFixed(1)}/${this.totalMs} ms  elapsed ${clock(elapsed)}  ETA ${clock(eta)}  real-time factor ${rtfs}x`;
  }
  /** Redraws (TTY) or prints a line every 2 s (pipes, logs). */
  update(simMs, force = false) {
    if (this.quiet) return;
    const now = performance.now();
    if (!force && now - this.lastWrite < (this.tty ? 100 : 2000)) return;
    this.lastWrite = now;
    const l = this.line(simMs);
    if (this.tty) {
      this.stream.write(`\r${l.padEnd(this.lastLen)}`);
      this.lastLen = l.length;
    } else this.stream.write(`${l}\n`);
  }
  end(simMs) {
    this.update(simMs, true);
    if (!this.quiet && this.tty) this.stream.write('\n');
  }
}
