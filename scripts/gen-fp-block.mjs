// Generates assembly/fp/block.ts: the semi-implicit Scharfetter–Gummel v-step for a block of
// 2·V adjacent w-slices at once (V f64x2 vectors, V independent Thomas recurrences in flight).
//
// Why generated: the hot loop is split into straight-line variants (before / at / after the reset
// row V_R, inside / outside the window of rows where the Bernoulli series is needed, the last row
// without a right neighbour). Each variant is the same formula with some terms known to be absent,
// and writing them out by hand would repeat one body eight times. Branch-free bodies keep V8's
// register allocator from spilling at every merge; that, not arithmetic, bounded the old loop.
// Only the Thomas recurrences (u, q, r) stay in registers across rows: α, e^α and the density p_i
// are re-read from memory every row (one load each, or a two-lane gather), which frees enough
// registers for V = 4 independent chains (measured 1.08× over V = 2 with carried values).
//
// Usage: node scripts/gen-fp-block.mjs [V] [--check]   (default 4; env FP_V). --check writes nothing and
// exits 1 if the committed file differs from a fresh generation.
// The scalar path of stepV in assembly/fp/index.ts performs exactly these operations and agrees
// bit for bit; fpReferenceStep in src/fp/reference.ts does too, with JS Math.exp, and agrees to 1e-13.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// V = 4 measured fastest (bench fp, 2026-11-25): V = 2 is bound by the pivot chain (a division in
// every row's recurrence), V = 3 ran no faster than 2.
const V = Number(process.argv.slice(2).find((a) => !a.startsWith('--')) ?? process.env.FP_V ?? 4);
if (!(V >= 1 && V <= 4)) throw new Error('V must be 1..4');
const vs = [...Array(V).keys()];

/** Loads the density of slices 2v, 2v+1 at row expression `row` as one f64x2. */
const gather = (v, row) =>
  `v128.load64_lane(p${2 * v + 1} + (<usize>(${row}) << 3), v128.load64_zero(p${2 * v} + (<usize>(${row}) << 3)), 1)`;

/**
 * One forward row for every vector. kind: 'pre' (i < iR), 'R' (i = iR), 'post' (i > iR).
 * Carried per vector (few, so V8 keeps them in registers): u = J_{i−½} + ĥ_{i−1}d'_{i−1},
 * q = 1 + b_{i−1} − ĥ_{i−1}γ_{i−1} (so den_i = ĥ_i + q), and on rows ≥ iR r = ĥ_{i−1}e'_{i−1}.
 * α and E = e^α of each vector are read from `ab`, and p_i, p_{i+1} are gathered, every row.
 */
function row(kind, ser, lastRow, indent) {
  const o = [];
  o.push('const di = v128.load64_splat(dl + (<usize>i << 3));');
  o.push('const gi = v128.load64_splat(gt + (<usize>i << 3));');
  o.push(`const wo = w + <usize>i * ${16 * V};`);
  for (const v of vs) {
    o.push(`const z${v} = f64x2.sub(v128.load(ab, ${16 * v}), di);`);
    o.push(`const zs${v} = f64x2.mul(vdt, z${v});`);
    const q = `f64x2.div(zs${v}, f64x2.sub(f64x2.mul(v128.load(ab, ${16 * (V + v)}), gi), one))`;
    if (ser) o.push(`const b${v} = v128.bitselect(f64x2.mul(vdt, series(z${v})), ${q}, f64x2.lt(f64x2.abs(z${v}), small));`);
    else o.push(`const b${v} = ${q};`);
    o.push(`const h${v} = f64x2.add(b${v}, zs${v});`);
    o.push(`const n${v} = ${lastRow ? 'zero' : gather(v, 'i + 1')};`);
    o.push(`const jr${v} = f64x2.sub(f64x2.mul(h${v}, ${gather(v, 'i')}), f64x2.mul(b${v}, n${v}));`);
    o.push(`const inv${v} = f64x2.div(one, f64x2.add(h${v}, q${v}));`);
    o.push(`const g${v} = f64x2.mul(b${v}, inv${v});`);
    const r = kind === 'R' ? `f64x2.add(f64x2.sub(u${v}, jr${v}), out${v})` : `f64x2.sub(u${v}, jr${v})`;
    o.push(`const d${v} = f64x2.mul(${r}, inv${v});`);
    o.push(`v128.store(wo, g${v}, ${16 * v});`);
    o.push(`v128.store(wo + gOff, d${v}, ${16 * v});`);
    if (kind !== 'pre') {
      o.push(`const e${v} = ${kind === 'R' ? `inv${v}` : `f64x2.mul(r${v}, inv${v})`};`);
      o.push(`v128.store(wo + eOff, e${v}, ${16 * v});`);
      o.push(`r${v} = f64x2.mul(h${v}, e${v});`);
    }
    if (lastRow) {
      o.push(`dF${v} = d${v};`);
      o.push(`eF${v} = e${v};`);
    }
    o.push(`u${v} = f64x2.add(jr${v}, f64x2.mul(h${v}, d${v}));`);
    o.push(`q${v} = f64x2.sub(f64x2.add(one, b${v}), f64x2.mul(h${v}, g${v}));`);
  }
  return o.map((s) => indent + s).join('\n');
}

/** Rows r0 ≤ i < r1 of one kind, split at the series window [lo, hi). */
function segment(r0, r1, kind) {
  return `  {
    const m0 = min<i32>(max<i32>(lo, ${r0}), ${r1});
    const m1 = min<i32>(max<i32>(hi, m0), ${r1});
    for (let i = ${r0}; i < m0; i++) {
${row(kind, false, false, '      ')}
    }
    for (let i = m0; i < m1; i++) {
${row(kind, true, false, '      ')}
    }
    for (let i = m1; i < ${r1}; i++) {
${row(kind, false, false, '      ')}
    }
  }`;
}

function backward(r0, withE) {
  const o = [];
  o.push(`  for (let i = ${r0}; i >= ${withE ? 'iR' : '0'}; i--) {`);
  o.push(`    const wo = w + <usize>i * ${16 * V};`);
  for (const v of vs) {
    let y = `f64x2.add(v128.load(wo + gOff, ${16 * v}), f64x2.mul(v128.load(wo, ${16 * v}), x${v}))`;
    if (withE) y = `f64x2.add(${y}, f64x2.mul(sI${v}, v128.load(wo + eOff, ${16 * v})))`;
    o.push(`    const y${v} = ${y};`);
    o.push(`    const q${v} = f64x2.add(${gather(v, 'i')}, y${v});`);
    for (const l of [0, 1]) o.push(`    v128.store64_lane(p${2 * v + l} + (<usize>i << 3), q${v}, ${l});`);
    o.push(`    x${v} = y${v};`);
  }
  o.push('  }');
  return o.join('\n');
}

const params = vs.map((v) => `a${v}: v128, E${v}: v128`).join(', ');
const src = `// GENERATED by scripts/gen-fp-block.mjs (V = ${V}) — do not edit; edit the generator.
//
// Semi-implicit Scharfetter–Gummel v-step of ${2 * V} adjacent w-slices (${V} f64x2 vectors), the same
// operations lane-wise as the scalar path of stepV in ./index.ts (bit-identical). With
// z_i = α − δ_i, δ_i = (i + ½)h²/a, e^{z_i} = E·G_i (E = e^α, G_i = e^{−δ_i}) and the coefficients
// scaled by ΔtD = Δt·a/h²:  b_i = ΔtD·B(z_i),  ĥ_i = ΔtD·B(−z_i) = b_i + ΔtD·z_i.
// Increment form (I − ΔtA)δ = ΔtA·p: rows  −ĥ_{i−1}δ_{i−1} + (1 + ĥ_i + b_{i−1})δ_i − b_iδ_{i+1}
// = J_{i−½} − J_{i+½} (+ the outflow ĥ_{nv−1}p_{nv−1} at row iR), J_{i+½} = ĥ_i p_i − b_i p_{i+1}.
// Thomas: γ_i = b_i/den_i, den_i = ĥ_i + (1 + b_{i−1} − ĥ_{i−1}γ_{i−1}); the reinjection column
// (unit at row iR) is carried on rows ≥ iR as e_i and closed by one scalar equation at the end.

/** Number of slices one call advances. */
export const FP_BLOCK = ${2 * V};

// @ts-ignore: decorator
@inline
function series(z: v128): v128 {
  const z2 = f64x2.mul(z, z);
  return f64x2.add(
    f64x2.sub(f64x2.splat(1.0), f64x2.mul(f64x2.splat(0.5), z)),
    f64x2.mul(z2, f64x2.sub(f64x2.splat(1.0 / 12.0), f64x2.mul(z2, f64x2.splat(1.0 / 720.0)))),
  );
}

/**
 * Advances slices k … k + ${2 * V - 1} (density at \`s\`, slice stride nv) by one semi-implicit step.
 * \`dl\`/\`gt\`: tables δ_i and G_i; \`w\`: scratch of ${6 * V}·nv f64; rows in [lo, hi) may have
 * |z| < 0.01 (Bernoulli series), all others certainly not. Writes N_k to \`np\`; returns the lane
 * of the first non-finite rate, or −1.
 */
function fpBlockStep(
  s: usize, nv: i32, iR: i32, dl: usize, gt: usize, w: usize, np: usize,
  dtD: f64, rs: f64, lo: i32, hi: i32, ab: usize, ${params},
): i32 {
  const one = f64x2.splat(1.0);
  const zero = f64x2.splat(0.0);
  const small = f64x2.splat(0.01);
  const vdt = f64x2.splat(dtD);
  const stride = <usize>nv << 3;
  const gOff = <usize>nv * ${16 * V};
  const eOff = gOff << 1;
${Array.from({ length: 2 * V }, (_, j) => `  const p${j} = s + ${j === 0 ? '0' : `stride * ${j}`};`).join('\n')}
  const last = nv - 1;
  // Outflow at p^n through V_F (row last), reinjected at row iR.
  const dL = f64x2.splat(load<f64>(dl + (<usize>last << 3)));
  const gL = f64x2.splat(load<f64>(gt + (<usize>last << 3)));
${vs
  .map((v) =>
    [
      `  const zL${v} = f64x2.sub(a${v}, dL);`,
      `  const zsL${v} = f64x2.mul(vdt, zL${v});`,
      `  const hL${v} = f64x2.add(v128.bitselect(f64x2.mul(vdt, series(zL${v})), f64x2.div(zsL${v}, f64x2.sub(f64x2.mul(E${v}, gL), one)), f64x2.lt(f64x2.abs(zL${v}), small)), zsL${v});`,
      `  const out${v} = f64x2.mul(hL${v}, ${gather(v, 'last')});`,
      `  let u${v} = zero;`,
      `  let q${v} = one;`,
      `  let r${v} = zero;`,
      `  let dF${v} = zero;`,
      `  let eF${v} = zero;`,
    ].join('\n'),
  )
  .join('\n')}
${segment('0', 'iR', 'pre')}
  if (iR < last) {
    {
      const i = iR;
${row('R', true, false, '      ')}
    }
${segment('iR + 1', 'last', 'post')}
    {
      const i = last;
${row('post', true, true, '      ')}
    }
  } else {
    const i = last;
${row('R', true, true, '    ')}
  }
  // Close the reinjection: δ_last = d_last + s·e_last with s = ĥ_last·δ_last.
  let bad = -1;
${vs
  .map((v) =>
    [
      `  const dl${v} = f64x2.div(dF${v}, f64x2.sub(one, f64x2.mul(hL${v}, eF${v})));`,
      `  const sI${v} = f64x2.mul(hL${v}, dl${v});`,
      `  let x${v} = dl${v};`,
      ...[0, 1].map((l) =>
        [
          `  const pl${2 * v + l} = load<f64>(p${2 * v + l} + (<usize>last << 3)) + f64x2.extract_lane(dl${v}, ${l});`,
          `  store<f64>(p${2 * v + l} + (<usize>last << 3), pl${2 * v + l});`,
          `  const nk${2 * v + l} = rs * f64x2.extract_lane(hL${v}, ${l}) * pl${2 * v + l};`,
          `  store<f64>(np + ${8 * (2 * v + l)}, nk${2 * v + l});`,
          `  if (bad < 0 && !isFinite(nk${2 * v + l})) bad = ${2 * v + l};`,
        ].join('\n'),
      ),
    ].join('\n'),
  )
  .join('\n')}
${backward('last - 1', true)}
${backward('min<i32>(iR, last) - 1', false)}
  return bad;
}

/**
 * Loads α_j and E_j = e^{α_j} of the ${2 * V} slices from \`ab\` ([α…, E…]), bounds the rows where
 * |z_i| = |α_j − δ_i| < 0.01 can hold (δ_i = (i + ½)q, one row of margin each side), and runs
 * {@link fpBlockStep}.
 */
export function fpBlockAt(
  s: usize, nv: i32, iR: i32, dl: usize, gt: usize, w: usize, np: usize, dtD: f64, rs: f64, q: f64, ab: usize,
): i32 {
  let amin = load<f64>(ab);
  let amax = amin;
  for (let j = 1; j < ${2 * V}; j++) {
    const x = load<f64>(ab + (<usize>j << 3));
    amin = min<f64>(amin, x);
    amax = max<f64>(amax, x);
  }
  const lo = <i32>max<f64>(0.0, min<f64>(<f64>nv, Math.floor((amin - 0.01) / q - 0.5) - 1.0));
  const hi = <i32>max<f64>(0.0, min<f64>(<f64>nv, Math.ceil((amax + 0.01) / q - 0.5) + 2.0));
  return fpBlockStep(s, nv, iR, dl, gt, w, np, dtD, rs, lo, hi, ab,
    ${vs.map((v) => `v128.load(ab, ${16 * v}), v128.load(ab, ${16 * (V + v)})`).join(', ')},
  );
}
`;
const out = fileURLToPath(new URL('../assembly/fp/block.ts', import.meta.url));
if (process.argv.includes('--check')) {
  // CI: the committed file must equal a fresh generation (scripts/check-generated.mjs).
  const fresh = readFileSync(out, 'utf8') === src;
  console.log(
    fresh
      ? 'gen-fp-block: assembly/fp/block.ts is fresh'
      : 'gen-fp-block: assembly/fp/block.ts is stale (run `node scripts/gen-fp-block.mjs`)',
  );
  if (!fresh) process.exit(1);
} else {
  writeFileSync(out, src);
  if (process.argv.includes('--verbose')) console.log(`wrote ${out} (V = ${V})`);
}
