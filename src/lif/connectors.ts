/**
 * Connectors: ways to wire a presynaptic population to a postsynaptic one. Every connector
 * produces a CSR matrix by presynaptic row (row j lists the postsynaptic targets of neuron j),
 * which is the layout spike propagation walks. Random connectors draw from the counter-based
 * generator (stream `connectivity`) under a key fixed by the network seed and the projection
 * index, so the wiring is the same for every trial and every dt.
 * @packageDocumentation
 */
import { optionKeys, strictOptions } from '../contract/options.js';
import { ValidationError } from '../kernel/errors.js';
import { checkBoolean, checkFiniteArray, checkInteger, checkRange, isNumericArray } from '../kernel/validate.js';
import { uniformAt } from '../rng/reference.js';
import type { Key } from '../rng/seed.js';
import { LifStreams } from './layout.js';
import { klog1p } from './propagator.js';

/** Every presynaptic neuron to every postsynaptic one. */
export interface AllToAllConnector {
  /** Discriminant: `'allToAll'`. */
  type: 'allToAll';
  /** Keep i → i when source and target are the same population. @default false */
  autapses?: boolean;
}
/** Each pair independently with probability p (Bernoulli, as Brian2's `connect(p=...)`). */
export interface FixedProbabilityConnector {
  /** Discriminant: `'fixedProbability'`. */
  type: 'fixedProbability';
  /** Connection probability in [0, 1]. */
  p: number;
  /** Allow i → i when source and target are the same population (Brian2 allows them). @default true */
  autapses?: boolean;
}
/** Each postsynaptic neuron gets exactly k distinct presynaptic partners, uniformly. */
export interface FixedInDegreeConnector {
  /** Discriminant: `'fixedInDegree'`. */
  type: 'fixedInDegree';
  /** In-degree (≤ presynaptic population size, minus one without autapses). */
  k: number;
  /** Allow i → i when source and target are the same population. @default false */
  autapses?: boolean;
}
/** Explicit dense matrix, row-major `[post][pre]` (entry W_ij = weight from j to i); zeros are not synapses. */
export interface DenseConnector {
  /** Discriminant: `'dense'`. */
  type: 'dense';
  /** Length nPost·nPre; entry `i·nPre + j` is the weight from presynaptic j to postsynaptic i. */
  matrix: ArrayLike<number>;
}
/** Explicit sparse matrix in CSR by PRESYNAPTIC row: targets of j are `cols[rowPtr[j] .. rowPtr[j+1])`. */
export interface CsrConnector {
  /** Discriminant: `'csr'`. */
  type: 'csr';
  /** Row pointers, length nPre + 1: synapses of presynaptic j are entries rowPtr[j] .. rowPtr[j+1] − 1. */
  rowPtr: ArrayLike<number>;
  /** Postsynaptic neuron (index within the target population) of each synapse. */
  cols: ArrayLike<number>;
  /** Per-synapse weights (overrides the projection's scalar weight). */
  weights?: ArrayLike<number>;
}

/** A connector: see each variant. */
export type LifConnector = AllToAllConnector | FixedProbabilityConnector | FixedInDegreeConnector | DenseConnector | CsrConnector;

/** The option names of each connector type, for strict checks. */
const CONNECTOR_KEYS: { [T in LifConnector['type']]: readonly string[] } = {
  allToAll: optionKeys<AllToAllConnector>()(['type', 'autapses']),
  fixedProbability: optionKeys<FixedProbabilityConnector>()(['type', 'p', 'autapses']),
  fixedInDegree: optionKeys<FixedInDegreeConnector>()(['type', 'k', 'autapses']),
  dense: optionKeys<DenseConnector>()(['type', 'matrix']),
  csr: optionKeys<CsrConnector>()(['type', 'rowPtr', 'cols', 'weights']),
};

/** A CSR matrix by presynaptic row. */
export interface LifCsr {
  /** Row pointers, length nPre + 1: synapses of presynaptic j are rowPtr[j] .. rowPtr[j+1] − 1. */
  rowPtr: Int32Array;
  /** Postsynaptic neuron (index within the target population) of each synapse. */
  cols: Int32Array;

  /** Per-synapse weights, or null when the projection's scalar weight applies. */
  weights: Float64Array | null;
}

/**
 * Builds the CSR matrix of a connector, after a strict check of its options (`where` is the entry
 * point named in messages, `name` the connector's argument path). `same` says whether source and
 * target are the same population (autapse rules). `key` is the projection's connectivity key.
 * @internal
 */
export function buildConnector(
  where: string,
  name: string,
  spec: LifConnector,
  nPre: number,
  nPost: number,
  same: boolean,
  key: Key,
): LifCsr {
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec))
    throw new ValidationError(name, 'a connector object ({ type, ... })', spec);
  const type = (spec as { type: unknown }).type;
  const keys = typeof type === 'string' && Object.hasOwn(CONNECTOR_KEYS, type) ? CONNECTOR_KEYS[type as LifConnector['type']] : undefined;
  if (!keys) throw new ValidationError(`${name}.type`, 'one of "allToAll", "fixedProbability", "fixedInDegree", "dense", "csr"', type);
  const c = strictOptions<LifConnector>(where, name, spec, keys);
  switch (c.type) {
    case 'allToAll': {
      const aut = c.autapses === undefined ? false : checkBoolean(`${name}.autapses`, c.autapses);
      const rowPtr = new Int32Array(nPre + 1);
      const cols: number[] = [];
      for (let j = 0; j < nPre; j++) {
        for (let i = 0; i < nPost; i++) if (aut || !same || i !== j) cols.push(i);
        rowPtr[j + 1] = cols.length;
      }
      return { rowPtr, cols: Int32Array.from(cols), weights: null };
    }
    case 'fixedProbability': {
      const p = checkRange(`${name}.p`, c.p, 0, 1);
      const aut = c.autapses === undefined ? true : checkBoolean(`${name}.autapses`, c.autapses);
      const rowPtr = new Int32Array(nPre + 1);
      const cols: number[] = [];
      // Geometric skipping: the gap to the next synapse of row j is floor(log U / log(1 − p)),
      // U = uniform(key, connectivity, element j, step m) for the m-th gap of the row.
      // log1p from the kernel: engines' Math.log1p differ in the last bit, which could move a gap
      // across an integer and change the wiring between runtimes.
      const lq = klog1p(-p);
      for (let j = 0; j < nPre; j++) {
        if (p > 0) {
          let i = -1;
          for (let m = 0; ; m++) {
            if (p >= 1) i++;
            else {
              const u = uniformAt(key.k0, key.k1, LifStreams.connectivity, j, m, 0);
              i += 1 + Math.floor(klog1p(-u) / lq);
            }
            if (i >= nPost) break;
            if (aut || !same || i !== j) cols.push(i);
          }
        }
        rowPtr[j + 1] = cols.length;
      }
      return { rowPtr, cols: Int32Array.from(cols), weights: null };
    }
    case 'fixedInDegree': {
      const aut = c.autapses === undefined ? false : checkBoolean(`${name}.autapses`, c.autapses);
      const avail = same && !aut ? nPre - 1 : nPre;
      const k = checkInteger(`${name}.k`, c.k, 0, Math.max(0, avail));
      // Per target i: Floyd's sampling of k distinct sources, uniforms (element i, step m).
      const perPost: number[][] = [];
      const counts = new Int32Array(nPre);
      for (let i = 0; i < nPost; i++) {
        const chosen = new Set<number>();
        let m = 0;
        for (let t = avail - k; t < avail; t++) {
          const u = uniformAt(key.k0, key.k1, LifStreams.connectivity, i, m++, 0);
          let r = Math.floor(u * (t + 1));
          if (chosen.has(r)) r = t;
          chosen.add(r);
        }
        const src = [...chosen].map((r) => (same && !aut && r >= i ? r + 1 : r)).sort((x, y) => x - y);
        perPost.push(src);
        for (const j of src) counts[j]++;
      }
      const rowPtr = new Int32Array(nPre + 1);
      for (let j = 0; j < nPre; j++) rowPtr[j + 1] = rowPtr[j] + counts[j];
      const fill = rowPtr.slice(0, nPre);
      const cols = new Int32Array(rowPtr[nPre]);
      for (let i = 0; i < nPost; i++) for (const j of perPost[i]) cols[fill[j]++] = i;
      return { rowPtr, cols, weights: null };
    }
    case 'dense': {
      const m = checkFiniteArray(`${name}.matrix`, c.matrix, nPre * nPost);
      const rowPtr = new Int32Array(nPre + 1);
      const cols: number[] = [];
      const w: number[] = [];
      for (let j = 0; j < nPre; j++) {
        for (let i = 0; i < nPost; i++) {
          const x = m[i * nPre + j];
          if (x !== 0) {
            cols.push(i);
            w.push(x);
          }
        }
        rowPtr[j + 1] = cols.length;
      }
      return { rowPtr, cols: Int32Array.from(cols), weights: Float64Array.from(w) };
    }
    case 'csr': {
      if (!isNumericArray(c.rowPtr) || c.rowPtr.length !== nPre + 1)
        throw new ValidationError(`${name}.rowPtr`, `an array of length ${nPre + 1} (presynaptic size + 1)`, c.rowPtr);
      const rowPtr = Int32Array.from(c.rowPtr as ArrayLike<number>);
      if (rowPtr[0] !== 0) throw new ValidationError(`${name}.rowPtr[0]`, '0', rowPtr[0]);
      for (let j = 0; j < nPre; j++) {
        if (!(rowPtr[j + 1] >= rowPtr[j]) || rowPtr[j + 1] !== c.rowPtr[j + 1])
          throw new ValidationError(`${name}.rowPtr[${j + 1}]`, `a non-decreasing integer >= ${rowPtr[j]}`, c.rowPtr[j + 1]);
      }
      const nnz = rowPtr[nPre];
      if (!isNumericArray(c.cols) || c.cols.length !== nnz) throw new ValidationError(`${name}.cols`, `an array of length ${nnz}`, c.cols);
      const cols = new Int32Array(nnz);
      for (let s = 0; s < nnz; s++) {
        const x = c.cols[s];
        if (!Number.isInteger(x) || x < 0 || x >= nPost)
          throw new ValidationError(`${name}.cols[${s}]`, `an integer in [0, ${nPost - 1}]`, x);
        cols[s] = x;
      }
      const weights = c.weights === undefined ? null : checkFiniteArray(`${name}.weights`, c.weights, nnz);
      return { rowPtr, cols, weights };
    }
  }
}
