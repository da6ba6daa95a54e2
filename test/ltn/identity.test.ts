import { describe, expect, test } from 'vitest';
import { ltnFamilyMember, ltnMinForm, ltnVectorField, pdsVectorField } from '../../src/index.js';
import { maxDiff, rng } from './helpers.js';

describe('vector-field identities (lif-ltn.md §2.2–2.3)', () => {
  test('−γDx + [(W+(γ−1)D)x + u]_+ = −min(γDx, Mx − u) componentwise, 500 random cases', () => {
    const r = rng(1);
    let worst = 0;
    for (let k = 0; k < 500; k++) {
      const n = 1 + Math.floor(r(0, 6));
      const d = Array.from({ length: n }, () => r(0.1, 5));
      const W = Array.from({ length: n }, () => Array.from({ length: n }, () => r(-3, 3)));
      const u = Array.from({ length: n }, () => r(-2, 2));
      const x = Array.from({ length: n }, () => r(-2, 3)); // also outside the orthant
      const gamma = k % 3 === 0 ? 1 : Math.exp(r(-5, 7));
      const a = ltnVectorField({ d, W, u }, x, { gamma });
      const b = ltnMinForm({ d, W, u }, x, { gamma });
      let scale = 1;
      for (const v of a) scale = Math.max(scale, Math.abs(v));
      worst = Math.max(worst, maxDiff(a, b) / (scale * Math.max(1, gamma)));
    }
    expect(worst).toBeLessThan(1e-14);
  });

  test('LTN_γ written as a plain LTN (ltnFamilyMember) has the same field', () => {
    const r = rng(2);
    for (let k = 0; k < 50; k++) {
      const n = 3;
      const spec = {
        d: Array.from({ length: n }, () => r(0.2, 2)),
        W: Array.from({ length: n }, () => Array.from({ length: n }, () => r(-2, 2))),
        u: Array.from({ length: n }, () => r(-1, 1)),
      };
      const g = Math.exp(r(-3, 3));
      const x = Array.from({ length: n }, () => r(0, 2));
      const a = ltnVectorField(spec, x, { gamma: g });
      const b = ltnVectorField(ltnFamilyMember(spec, { gamma: g }), x);
      expect(maxDiff(a, b)).toBeLessThan(1e-12 * Math.max(1, g));
    }
  });

  test('LTN_γ → PDS pointwise on the orthant as γ → ∞ (difference only where F_i > γ d_i x_i)', () => {
    const spec = {
      d: [1, 3],
      W: [
        [0.2, -1.5],
        [1, 0.5],
      ],
      u: [1, -2],
    };
    const x = [0.5, 1e-3]; // F_2 = −0.5 + 2.5e-3 + 2 > 0, x_2 small
    const pds = pdsVectorField(spec, x);
    // closed form: PDS component = u − Mx; LTN_γ = −min(γ d x, F)
    expect(pds[1]).toBeCloseTo(-(-0.5 + 2.5e-3 + 2), 14);
    const g1 = ltnVectorField(spec, x, { gamma: 10 });
    expect(g1[1]).toBeCloseTo(-10 * 3 * 1e-3, 14);
    const g2 = ltnVectorField(spec, x, { gamma: 1e4 });
    expect(maxDiff(g2, pds)).toBeLessThan(1e-12);
  });
});
