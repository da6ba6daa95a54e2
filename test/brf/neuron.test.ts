import { describe, expect, test } from 'vitest';
import {
  brfDivergenceBoundary,
  brfOmegaMax,
  brfSpectralRadiusGrid,
  brfSurrogate,
  brfTransitionMatrix,
  simulateResonators,
  spectralRadius2x2,
  ValidationError,
} from '../../src/index.js';

describe('divergence boundary p(ω) (seed Eq. 8, 19–20)', () => {
  test('|1 + δ(p(ω) + iω)| = 1 to machine precision', () => {
    let worst = 0;
    for (const dtMs of [10, 4, 100]) {
      const dt = dtMs / 1000; // the boundary's δ in s (ω in rad/s, p in 1/s)
      for (let k = 0; k <= 200; k++) {
        const w = ((k / 200) * 0.999999) / dt;
        const p = brfDivergenceBoundary(w, { dt: dtMs });
        const re = 1 + dt * p;
        const im = dt * w;
        worst = Math.max(worst, Math.abs(Math.hypot(re, im) - 1));
      }
    }
    expect(worst).toBeLessThan(4e-16);
  });
  test('|ω| ≥ 1/δ is rejected; δ is in ms and an unknown option is named', () => {
    expect(() => brfDivergenceBoundary(100)).toThrow(/omega/);
    expect(() => brfDivergenceBoundary(-150, { dt: 10 })).toThrow(ValidationError);
    expect(brfDivergenceBoundary(150, { dt: 5 })).toBeCloseTo((-1 + Math.sqrt(1 - 0.75 ** 2)) / 0.005, 12);
    expect(() => brfDivergenceBoundary(10, { dt: 0 })).toThrow(/dt: expected a finite number in \[1e-9, 1000000\] ms, got 0/);
    expect(() => brfDivergenceBoundary(10, { step: 1 } as never)).toThrow(
      /unknown option 'step' for brfDivergenceBoundary; did you mean 'dt'\?/,
    );
  });
  test('the training clamp ω_max = (1 − 1e−7)/δ; out-of-domain input is rejected (not Infinity)', () => {
    expect(brfOmegaMax()).toBe((1 - 1e-7) / 0.01);
    expect(brfOmegaMax({ boundaryDt: 4 })).toBeCloseTo((1 - 1e-7) / 0.004, 9);
    for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY])
      expect(() => brfOmegaMax({ boundaryDt: bad })).toThrow(ValidationError);
    expect(() => brfOmegaMax(0 as never)).toThrow(ValidationError);
  });
});

describe('spectral radius of ∂s^t/∂s^{t−1} (seed Eq. 16–18)', () => {
  test('the kernel step is the matrix [[1+δb, −δω], [δω, 1+δb]]', () => {
    const m = brfTransitionMatrix(30, -2, { dt: 10 });
    expect(Array.from(m)).toEqual([1 + 0.01 * -2, -0.3, 0.3, 1 + 0.01 * -2].map((v) => expect.closeTo(v, 15)));
  });
  test('< 1 below the boundary, = 1 on it, > 1 above it', () => {
    const dt = { dt: 10 };
    for (const w of [1, 15, 50, 90, 99]) {
      const p = brfDivergenceBoundary(w, dt);
      for (const off of [1e-3, 0.1, 1, 5]) {
        expect(spectralRadius2x2(brfTransitionMatrix(w, p - off, dt))).toBeLessThan(1);
        if (p + off <= 0) expect(spectralRadius2x2(brfTransitionMatrix(w, p + off, dt))).toBeGreaterThan(1);
      }
      expect(Math.abs(spectralRadius2x2(brfTransitionMatrix(w, p, dt)) - 1)).toBeLessThan(1e-15);
    }
  });
  test('grid: the radius-1 contour follows p(ω)', () => {
    const omegas = Array.from({ length: 20 }, (_, i) => 5 + i * 4.9);
    const bs = Array.from({ length: 30 }, (_, j) => -30 + j);
    const z = brfSpectralRadiusGrid(omegas, bs, { dt: 10 });
    for (let j = 0; j < bs.length; j++)
      for (let i = 0; i < omegas.length; i++) {
        const p = brfDivergenceBoundary(omegas[i], { dt: 10 });
        if (Math.abs(bs[j] - p) > 1e-9) expect(z[j * omegas.length + i] < 1).toBe(bs[j] < p);
      }
  });
});

describe('neuron simulation', () => {
  test('RF impulse response equals δ(1 + δ(b + iω))^{k−1} (closed form, App. A.3)', () => {
    const dt = 0.01;
    const w = 40;
    const b = -3;
    const T = 300;
    const x = new Float64Array(T);
    x[0] = 1;
    const tr = simulateResonators([w], [b], x, { model: 'rf', vThreshold: 1e9 });
    expect(tr.time[0]).toBe(10);
    expect(tr.time[T - 1]).toBe(10 * T);
    let re = dt;
    let im = 0;
    for (let k = 0; k < T; k++) {
      expect(Math.abs(tr.u[k] - re)).toBeLessThanOrEqual(1e-13 * Math.hypot(re, im));
      expect(Math.abs(tr.v[k] - im)).toBeLessThanOrEqual(1e-13 * Math.hypot(re, im));
      const a = 1 + dt * b;
      const c = dt * w;
      [re, im] = [re * a - im * c, re * c + im * a];
    }
  });
  test('BRF: spike resets via q (γ = 0.9) and raises the threshold', () => {
    const T = 200;
    const x = new Float64Array(T).fill(40);
    const tr = simulateResonators([10], [0.5], x);
    const first = tr.spikes.indexOf(1);
    expect(first).toBeGreaterThan(0);
    expect(tr.q[first]).toBe(1);
    expect(tr.q[first + 1]).toBeCloseTo(0.9 + tr.spikes[first + 1], 15);
    // the spike table has the times in ms (end of the step) and survives JSON
    const st = tr.spikeTable();
    expect(st.step[0]).toBe(first);
    expect(st.time[0]).toBe((first + 1) * 10);
    expect(st.column('time').unit).toBe('ms');
    expect(JSON.parse(JSON.stringify(tr)).kind).toBe('brf.trace');
    // below threshold + q means no spike
    for (let t = 1; t < T; t++) if (tr.spikes[t] === 1) expect(tr.u[t]).toBeGreaterThan(1 + tr.q[t - 1]);
  });
  test('|ω| ≥ 1/δ is an error in simulation, naming the neuron', () => {
    expect(() => simulateResonators([10, 100], [0.1, 0.1], new Float64Array(4))).toThrow(/omega\[1\]/);
    // RF has no boundary: the same ω simply diverges, and non-finite values are reported
    expect(() => simulateResonators([10, 100], [0.1, 0.1], new Float64Array(4), { model: 'rf' })).not.toThrow();
  });
  test('bad input names the argument', () => {
    expect(() => simulateResonators([1], [1, 2], [0])).toThrow(/bOffset.length/);
    expect(() => simulateResonators([1], [1], [0], { dt: -1 })).toThrow(/dt/);
    expect(() => simulateResonators([Number.NaN], [1], [0])).toThrow(/omega\[0\]/);
    expect(() => simulateResonators([1], [1], [0], { thetaC: 1 } as never)).toThrow(/did you mean 'vThreshold'/);
    expect(() => simulateResonators([1], [1], [0], { vThreshold: '1' } as never)).toThrow(ValidationError);
    expect(() => spectralRadius2x2([1, 2, 3])).toThrow(/matrix.length/);
  });
});

describe('surrogate gradients', () => {
  test('double Gaussian matches the reference-code values (research note §1.4)', () => {
    expect(brfSurrogate(0)).toBeCloseTo(0.4388365084, 9);
    expect(brfSurrogate(0.5)).toBeCloseTo(0.2585943474, 9);
    expect(brfSurrogate(1)).toBeCloseTo(0.0432204501, 9);
    expect(brfSurrogate(2)).toBeCloseTo(-0.0158184955, 9);
    // ∫ σ' ds = gain·(1 + h − 2h) = 0.425 (normalised densities)
    let s = 0;
    for (let x = -40; x < 40; x += 1e-3) s += brfSurrogate(x + 5e-4) * 1e-3;
    expect(s).toBeCloseTo(0.425, 8);
  });
  test('fast sigmoid and triangle', () => {
    expect(brfSurrogate(0.5, { kind: 'sigmoid', beta: 2, gain: 1 })).toBeCloseTo(0.25, 15);
    expect(brfSurrogate(0.25, { kind: 'triangle', gain: 0.3, width: 1 })).toBeCloseTo(0.225, 15);
    expect(brfSurrogate(2, { kind: 'triangle' })).toBe(0);
    expect(() => brfSurrogate(0, { kind: 'gauss' as 'dgauss' })).toThrow(/surrogate.kind/);
    expect(() => brfSurrogate(0, { kind: 'sigmoid', bta: 2 } as never)).toThrow(/unknown option 'bta'.*did you mean 'beta'/);
  });
});
