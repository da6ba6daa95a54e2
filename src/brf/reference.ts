/**
 * Plain-TypeScript reference of the shard kernel (`brfShard*` in assembly/brf/index.ts): the same
 * forward pass and BPTT, written for clarity. Used by tests (kernel vs reference) and by the
 * bench (WASM vs plain TS). Not a production path.
 * @packageDocumentation
 */
import { ValidationError } from '../kernel/errors.js';
import { checkBoolean, checkInteger } from '../kernel/validate.js';
import { BrfConst } from './layout.js';
import {
  type BrfNetworkOptions,
  BrfShardResult,
  type BrfShardRunOptions,
  brfConsts,
  brfOptions,
  brfParamLayout,
  checkGradient,
  resolveNetwork,
} from './model.js';

/** Options of {@link brfShardReference}: the network and the options of {@link BrfShardRunner.run}. */
export interface BrfShardReferenceOptions extends BrfShardRunOptions {
  /** The network. */
  network: BrfNetworkOptions;
}

/**
 * Forward (+ BPTT with `backward: true`) for samples x [S][T][I] (T read from x.length); the
 * same contract as {@link BrfShardRunner.run} in f64, including one truncated-BPTT chunk
 * (`offset`, `initialState` f64 [S][4H + 2C], `finalState`). The initial state fills the
 * trajectory's t = 0 slots, so BPTT treats it as a constant exactly as the kernel does.
 * O(S·T·H) memory (whole trajectory stored).
 * @example
 * ```ts
 * const ref = brfShardReference(params, x, labels, { network, backward: true });
 * ```
 */
export function brfShardReference(
  params: Float64Array,
  x: Float64Array,
  labels: Int32Array,
  options: BrfShardReferenceOptions,
): BrfShardResult {
  const ro = brfOptions<BrfShardReferenceOptions>('brfShardReference', 'options', options, [
    'network',
    'backward',
    'smooth',
    'offset',
    'initialState',
    'finalState',
  ]);
  const o = resolveNetwork(ro.network, 'network.');
  const { inputSize: I, hiddenSize: H, outputSize: C } = o;
  if (!(labels instanceof Int32Array) || labels.length === 0) throw new ValidationError('labels', 'a non-empty Int32Array', labels);
  const S = labels.length;
  if (!(x instanceof Float64Array) || x.length === 0 || x.length % (S * I) !== 0)
    throw new ValidationError('x.length', `a positive multiple of S·inputSize = ${S * I}`, x?.length ?? x);
  const T = x.length / (S * I);
  if ((T + 1) * S * H > 2 ** 26)
    throw new ValidationError(
      'x.length',
      'a shard with (steps + 1)·S·hiddenSize ≤ 2^26 (the reference stores the whole trajectory)',
      x.length,
    );
  const backward = checkBoolean('backward', ro.backward ?? false);
  const smooth = checkBoolean('smooth', ro.smooth ?? false);
  const SW = 4 * H + 2 * C;
  const offset = checkInteger('offset', ro.offset ?? 0, 0);
  const s0 = ro.initialState;
  if (s0 !== undefined) {
    if (!(s0 instanceof Float64Array) || s0.length !== S * SW)
      throw new ValidationError('initialState', `a Float64Array of S·(4H + 2C) = ${S * SW} values`, s0?.length ?? s0);
    for (let i = 0; i < s0.length; i++)
      if (!Number.isFinite(s0[i])) throw new ValidationError(`initialState[${i}]`, 'a finite number', s0[i]);
  }
  const whole = ro.offset === undefined && s0 === undefined && !ro.finalState;
  const c = brfConsts(o, { steps: T, smooth, offset, wholeSequence: whole });
  const L = brfParamLayout({ inputSize: o.inputSize, hiddenSize: o.hiddenSize, outputSize: o.outputSize });
  if (!(params instanceof Float64Array) || params.length !== L.size)
    throw new ValidationError('params', `a Float64Array of ${L.size} values`, params);
  // the same checks as BrfShardRunner.run: non-finite data or a label outside the classes gives no result
  for (let s = 0; s < S; s++)
    if (!(labels[s] >= 0 && labels[s] < C)) throw new ValidationError(`labels[${s}]`, `a class in 0..${C - 1}`, labels[s]);
  for (let i = 0; i < x.length; i++) if (!Number.isFinite(x[i])) throw new ValidationError(`x[${i}]`, 'a finite number', x[i]);
  for (let i = 0; i < params.length; i++)
    if (!Number.isFinite(params[i])) throw new ValidationError(`params[${i}]`, 'a finite number', params[i]);
  const IH = I + H;
  const [dt, dbdt, theta, gamma, omax, sgk, c0, c1, c2, c3] = c;
  const lastOnly = c[BrfConst.LOSSMODE] === 0;
  const t0 = lastOnly ? T : Math.max(1, c[BrfConst.T0]);
  const wLoss = c[BrfConst.LOSSMEAN] !== 0 ? 1 / (T - t0 + 1) : 1;
  const aBeta = c[BrfConst.ABETA];
  const aB0 = c[BrfConst.AB0];
  const isBrf = o.model === 'brf';
  const isAlif = o.model === 'alif';
  const sg = (s: number) => {
    if (sgk === 0) return c0 * Math.exp(-s * s * c1) - c2 * Math.exp(-s * s * c3);
    if (sgk === 1) return c0 / (1 + c1 * Math.abs(s)) ** 2;
    const t = 1 - Math.abs(s) * c1;
    return t > 0 ? c0 * t : 0;
  };
  const spike = (s: number) => (smooth ? (c0 * s) / (1 + c1 * Math.abs(s)) : s > 0 ? 1 : 0);
  const W = (i: number, k: number) => params[L.w + i * IH + k];
  const nOm = new Float64Array(H);
  const nB = new Float64Array(H);
  const nP = new Float64Array(H);
  const nDp = new Float64Array(H);
  for (let i = 0; i < H; i++) {
    const r1 = params[L.p1 + i];
    const r2 = params[L.p2 + i];
    if (isAlif) {
      nOm[i] = Math.exp(-1 / Math.abs(r1));
      nB[i] = Math.exp(-1 / Math.abs(r2));
    } else if (isBrf) {
      const om = Math.min(Math.abs(r1), omax);
      nOm[i] = om;
      nB[i] = Math.abs(r2);
      nP[i] = (-1 + Math.sqrt(1 - dbdt * om * dbdt * om)) / dbdt;
      nDp[i] = (-dbdt * om) / Math.sqrt(1 - dbdt * om * dbdt * om);
    } else {
      nOm[i] = Math.abs(r1);
      nB[i] = -Math.abs(r2);
    }
  }
  const aOut = Float64Array.from({ length: C }, (_, k) => Math.exp(-1 / Math.abs(params[L.tauOut + k])));
  const dA = (a: number, raw: number) => (raw < 0 ? -a / (raw * raw) : a / (raw * raw));
  // trajectories [t][s][i]: s1, s2, s3, z ; outputs uo, drive [t][s][c]
  const n = (T + 1) * S * H;
  const s1 = new Float64Array(n);
  const s2 = new Float64Array(n);
  const s3 = new Float64Array(n);
  const zz = new Float64Array(n);
  const uo = new Float64Array((T + 1) * S * C);
  const dr = new Float64Array((T + 1) * S * C);
  const loss = new Float64Array(S);
  const spikes = new Float64Array(S);
  const mo = new Float64Array(S * C);
  const cur = new Float64Array(H);
  if (s0 !== undefined) {
    // t = 0 slots: the four neuron slots, u_out, and (sequence loss) the prediction accumulator
    for (let s = 0; s < S; s++) {
      const b = s * SW;
      for (let i = 0; i < H; i++) {
        s1[s * H + i] = s0[b + i];
        s2[s * H + i] = s0[b + H + i];
        s3[s * H + i] = s0[b + 2 * H + i];
        zz[s * H + i] = s0[b + 3 * H + i];
      }
      for (let k = 0; k < C; k++) {
        uo[s * C + k] = s0[b + 4 * H + k];
        if (!lastOnly) mo[s * C + k] = s0[b + 4 * H + C + k];
      }
    }
  }
  for (let t = 1; t <= T; t++) {
    for (let s = 0; s < S; s++) {
      const pb = ((t - 1) * S + s) * H;
      const nb = (t * S + s) * H;
      for (let i = 0; i < H; i++) {
        let a = 0;
        for (let k = 0; k < I; k++) a += W(i, k) * x[(s * T + t - 1) * I + k];
        for (let j = 0; j < H; j++) if (zz[pb + j] !== 0) a += W(i, I + j) * zz[pb + j];
        cur[i] = a;
      }
      for (let i = 0; i < H; i++) {
        if (isAlif) {
          const uPrev = s1[pb + i] - zz[pb + i] * (aB0 + aBeta * s2[pb + i]);
          const a = nB[i] * s2[pb + i] + (1 - nB[i]) * zz[pb + i];
          const th = aB0 + aBeta * a;
          const u1 = nOm[i] * uPrev + (1 - nOm[i]) * cur[i];
          s1[nb + i] = u1;
          s2[nb + i] = a;
          s3[nb + i] = cur[i];
          zz[nb + i] = spike(u1 - th);
        } else {
          const u = s1[pb + i];
          const v = s2[pb + i];
          const q = isBrf ? s3[pb + i] : 0;
          const b = isBrf ? nP[i] - nB[i] - q : nB[i];
          const u1 = u + dt * (b * u - nOm[i] * v + cur[i]);
          const v1 = v + dt * (nOm[i] * u + b * v);
          const z = spike(u1 - theta - q);
          s1[nb + i] = u1;
          s2[nb + i] = v1;
          s3[nb + i] = isBrf ? gamma * q + z : 0;
          zz[nb + i] = z;
        }
        spikes[s] += zz[nb + i];
      }
      for (let k = 0; k < C; k++) {
        let d = 0;
        for (let j = 0; j < H; j++) if (zz[nb + j] !== 0) d += zz[nb + j] * params[L.wOut + k * H + j];
        const ob = (t * S + s) * C;
        dr[ob + k] = d;
        uo[ob + k] = aOut[k] * uo[((t - 1) * S + s) * C + k] + (1 - aOut[k]) * d;
      }
      if (t >= t0) {
        const ob = (t * S + s) * C;
        let mx = Number.NEGATIVE_INFINITY;
        for (let k = 0; k < C; k++) mx = Math.max(mx, uo[ob + k]);
        let se = 0;
        for (let k = 0; k < C; k++) se += Math.exp(uo[ob + k] - mx);
        loss[s] += wLoss * -(uo[ob + labels[s]] - mx - Math.log(se));
        for (let k = 0; k < C; k++) mo[s * C + k] += uo[ob + k];
      }
    }
  }
  const prediction = new Int32Array(S);
  let correct = 0;
  for (let s = 0; s < S; s++) {
    let best = 0;
    for (let k = 1; k < C; k++) if (mo[s * C + k] > mo[s * C + best]) best = k;
    prediction[s] = best;
    if (best === labels[s]) correct++;
  }
  const res = new BrfShardResult(loss, prediction, spikes, correct);
  if (ro.finalState) {
    const st = new Float64Array(S * SW);
    for (let s = 0; s < S; s++) {
      const b = s * SW;
      const nb = (T * S + s) * H;
      for (let i = 0; i < H; i++) {
        st[b + i] = s1[nb + i];
        st[b + H + i] = s2[nb + i];
        st[b + 2 * H + i] = s3[nb + i];
        st[b + 3 * H + i] = zz[nb + i];
      }
      for (let k = 0; k < C; k++) {
        st[b + 4 * H + k] = uo[(T * S + s) * C + k];
        st[b + 4 * H + C + k] = mo[s * C + k];
      }
    }
    res.state = st;
  }
  if (!backward) return res;

  const g = new Float64Array(L.size);
  const g1 = new Float64Array(S * H);
  const g2 = new Float64Array(S * H);
  const g3 = new Float64Array(S * H);
  const gZn = new Float64Array(S * H);
  const gI = new Float64Array(S * H);
  const gO = new Float64Array(S * C);
  const gz = new Float64Array(H);
  for (let t = T; t >= 1; t--) {
    for (let s = 0; s < S; s++) {
      const ob = (t * S + s) * C;
      const obp = ((t - 1) * S + s) * C;
      if (t >= t0) {
        let mx = Number.NEGATIVE_INFINITY;
        for (let k = 0; k < C; k++) mx = Math.max(mx, uo[ob + k]);
        let se = 0;
        for (let k = 0; k < C; k++) se += Math.exp(uo[ob + k] - mx);
        for (let k = 0; k < C; k++)
          gO[s * C + k] = aOut[k] * gO[s * C + k] + wLoss * (Math.exp(uo[ob + k] - mx) / se - (k === labels[s] ? 1 : 0));
      } else for (let k = 0; k < C; k++) gO[s * C + k] *= aOut[k];
      const nb = (t * S + s) * H;
      const pb = ((t - 1) * S + s) * H;
      for (let j = 0; j < H; j++) gz[j] = gZn[s * H + j];
      for (let k = 0; k < C; k++) {
        const go = gO[s * C + k];
        g[L.tauOut + k] += go * (uo[obp + k] - dr[ob + k]) * dA(aOut[k], params[L.tauOut + k]);
        const gd = (1 - aOut[k]) * go;
        for (let j = 0; j < H; j++) {
          if (zz[nb + j] !== 0) g[L.wOut + k * H + j] += gd * zz[nb + j];
          gz[j] += gd * params[L.wOut + k * H + j];
        }
      }
      for (let i = 0; i < H; i++) {
        const si = s * H + i;
        if (isAlif) {
          const u1 = s1[nb + i];
          const a = s2[nb + i];
          const z = zz[nb + i];
          const ap = s2[pb + i];
          const zp = zz[pb + i];
          const uPrev = s1[pb + i] - zp * (aB0 + aBeta * ap);
          const th = aB0 + aBeta * a;
          const gU = g1[si];
          const gzv = gz[i] + g3[si] - th * gU;
          let gth = -z * gU;
          const gs = gzv * sg(u1 - th);
          const gup = gU + gs;
          gth -= gs;
          const gA = g2[si] + aBeta * gth;
          gI[si] = (1 - nOm[i]) * gup;
          g1[si] = nOm[i] * gup;
          g2[si] = nB[i] * gA;
          g3[si] = (1 - nB[i]) * gA;
          g[L.p1 + i] += gup * (uPrev - s3[nb + i]) * dA(nOm[i], params[L.p1 + i]);
          g[L.p2 + i] += gA * (ap - zp) * dA(nB[i], params[L.p2 + i]);
        } else {
          const om = nOm[i];
          const u = s1[pb + i];
          const v = s2[pb + i];
          const q = isBrf ? s3[pb + i] : 0;
          const b = isBrf ? nP[i] - nB[i] - q : nB[i];
          const gQ = isBrf ? g3[si] : 0;
          const gs = (gz[i] + gQ) * sg(s1[nb + i] - theta - q);
          const gu = g1[si] + gs;
          const gv = g2[si];
          g1[si] = gu * (1 + dt * b) + gv * dt * om;
          g2[si] = gv * (1 + dt * b) - gu * dt * om;
          const gb = dt * (gu * u + gv * v);
          gI[si] = dt * gu;
          const gom = dt * (gu * -v + gv * u) + (isBrf ? gb * nDp[i] : 0);
          const r1 = params[L.p1 + i];
          const clamped = isBrf && Math.abs(r1) >= omax;
          g[L.p1 + i] += clamped ? 0 : r1 < 0 ? -gom : gom;
          g[L.p2 + i] += params[L.p2 + i] < 0 ? gb : -gb;
          if (isBrf) g3[si] = gamma * gQ - gs - gb;
        }
      }
    }
    for (let s = 0; s < S; s++) {
      const pb = ((t - 1) * S + s) * H;
      for (let i = 0; i < H; i++) {
        const gi = gI[s * H + i];
        for (let k = 0; k < I; k++) g[L.w + i * IH + k] += gi * x[(s * T + t - 1) * I + k];
        for (let j = 0; j < H; j++) if (zz[pb + j] !== 0) g[L.w + i * IH + I + j] += gi * zz[pb + j];
      }
      for (let j = 0; j < H; j++) {
        let a = 0;
        for (let i = 0; i < H; i++) a += W(i, I + j) * gI[s * H + i];
        gZn[s * H + j] = a;
      }
    }
  }
  res.grad = checkGradient('brfShardReference', g, T);
  return res;
}
