/**
 * Plain TypeScript implementation of the lab kernel's step loop (`numLifRun`, without tangents),
 * line for line: the second backend of the tests and the baseline of the bench. Same equations
 * and order of operations as {@link LifLabSimulation}; agreement to rounding (the kernel's exp is
 * its own code, so the last bit may differ where an exponential enters).
 * @packageDocumentation
 */
import type { LabIntegrator, LabRule, ResolvedLabNetwork } from './sim.js';

/** State and constants of a reference run (single replica). */
export interface LabReferenceRun {
  V: Float64Array;
  I: Float64Array;
  spikes: { neuron: number; step: number; theta: number; A: number }[];
}

function kOf(t: number, gL: number, tau: number): number {
  const d = gL - 1 / tau;
  if (Math.abs(d) * t < 1e-8) return t * Math.exp(-gL * t);
  return (Math.exp(-t / tau) - Math.exp(-gL * t)) / d;
}

/**
 * Advances `steps` steps of size h = r·h_f from (V, I) with the fine normals z (time-major,
 * `z[(s r + m) n + i]`), exactly as the kernel does. `ext` is the binned external input
 * [extV (steps n), extI (steps n)] added to V' and I' before detection. Mutates `run`.
 */
export function labRunReference(
  net: ResolvedLabNetwork,
  o: { h: number; hFine: number; integrator: LabIntegrator; rule: LabRule },
  run: LabReferenceRun,
  z: Float64Array,
  steps: number,
  step0: number,
  ext?: Float64Array,
): void {
  const { n, gL, vL, vTh, vReset: vR, tauSyn: tau } = net;
  const { h, hFine } = o;
  const r = Math.round(h / hFine);
  const exact = o.integrator === 'exact';
  const rule = o.rule === 'grid' ? 0 : o.rule === 'linear' ? 1 : 2;
  const eg = Math.exp(-gL * h);
  const es = Math.exp(-h / tau);
  const Kh = kOf(h, gL, tau);
  const a11 = exact ? eg : 1 - gL * h;
  const a12 = exact ? Kh : h;
  const a22 = exact ? es : 1 - h / tau;
  const sq = Math.sqrt((2 / tau) * hFine);
  const wV = new Float64Array(r);
  const wI = new Float64Array(r);
  for (let m = 0; m < r; m++) {
    if (exact) {
      const a = h - (m + 1) * hFine;
      const b = h - m * hFine;
      const iI = tau * (Math.exp(-a / tau) - Math.exp(-b / tau));
      const iE = (Math.exp(-gL * a) - Math.exp(-gL * b)) / gL;
      wV[m] = (iI - iE) / (gL - 1 / tau) / hFine;
      wI[m] = iI / hFine;
    } else wI[m] = 1;
  }
  const { V, I } = run;
  const fired: [number, number][] = [];
  for (let s = 0; s < steps; s++) {
    fired.length = 0;
    for (let i = 0; i < n; i++) {
      const mu = net.mu[i];
      const vInf = vL + mu / gL;
      const cV = exact ? (1 - eg) * vInf - Kh * mu : gL * h * vL;
      const cI = exact ? (1 - es) * mu : (h * mu) / tau;
      const b = net.sigma[i] * sq;
      let sI = 0;
      let sV = 0;
      for (let m = 0; m < r; m++) {
        const zz = z[(s * r + m) * n + i];
        sI += wI[m] * zz;
        sV += wV[m] * zz;
      }
      const v = V[i];
      const c = I[i];
      let v1 = a11 * v + a12 * c + cV + b * sV;
      let c1 = a22 * c + cI + b * sI;
      if (ext) {
        v1 += ext[s * n + i];
        c1 += ext[(steps + s) * n + i];
      }
      if (v1 >= vTh) {
        const dv = v1 - v;
        let theta = dv > 0 ? (vTh - v) / dv : 0;
        theta = Math.min(1, Math.max(0, theta));
        let A = dv / h;
        if (rule === 2) {
          const d0 = h * (-gL * (v - vL) + c);
          const d1 = h * (-gL * (v1 - vL) + c1);
          const p = (t: number) =>
            (2 * t ** 3 - 3 * t * t + 1) * v + (t ** 3 - 2 * t * t + t) * d0 + (-2 * t ** 3 + 3 * t * t) * v1 + (t ** 3 - t * t) * d1;
          const dp = (t: number) =>
            (6 * t * t - 6 * t) * v + (3 * t * t - 4 * t + 1) * d0 + (-6 * t * t + 6 * t) * v1 + (3 * t * t - 2 * t) * d1;
          let t = theta;
          let ok = true;
          for (let it = 0; it < 8; it++) {
            const g = dp(t);
            if (!(g > 0)) {
              ok = false;
              break;
            }
            const tn = Math.min(1, Math.max(0, t - (p(t) - vTh) / g));
            const done = Math.abs(tn - t) < 1e-15;
            t = tn;
            if (done) break;
          }
          if (ok && dp(t) > 0) {
            theta = t;
            A = dp(t) / h;
          }
        }
        if (rule === 0) {
          theta = 1;
          v1 = vR;
        } else {
          const rem = (1 - theta) * h;
          v1 = exact
            ? vInf + (vR - vInf) * Math.exp(-gL * rem) + (c + theta * (c1 - c) - mu) * kOf(rem, gL, tau)
            : vR + rem * (-gL * (vR - vL) + c);
        }
        run.spikes.push({ neuron: i, step: step0 + s, theta, A });
        fired.push([i, theta]);
      }
      V[i] = v1;
      I[i] = c1;
    }
    if (net.J) {
      for (const [j, theta] of fired) {
        const rem = (1 - theta) * h;
        const fac = rule === 0 ? 1 : Math.exp(-rem / tau);
        const kv = rule === 0 ? 0 : exact ? kOf(rem, gL, tau) : rem;
        for (let i = 0; i < n; i++) {
          const w = net.J[i * n + j];
          if (w !== 0) {
            I[i] += w * fac;
            if (kv !== 0) V[i] += w * kv;
          }
        }
      }
    }
  }
}
