/**
 * Tangent dynamics of a {@link LifNetwork} (docs/lif.md, "Tangent dynamics"): K tangent vectors
 * of the state (V, I, I₂) carried along the simulated path by the kernel's tangent pass, with the
 * saltation of every reset at its crossing time. The Lyapunov analysis (src/numerics/lyapunov.ts)
 * re-orthonormalises them with {@link LifTangents.orthonormalise} and accumulates ln R_kk.
 * @packageDocumentation
 */
import { ValidationError } from '../kernel/errors.js';
import { kernel } from '../kernel/load.js';
import type { Region } from '../kernel/region.js';
import { checkStatus } from '../kernel/status.js';
import { checkFiniteArray } from '../kernel/validate.js';
import { normals, Streams } from '../rng/index.js';
import type { Key } from '../rng/seed.js';

/** Options of {@link LifNetwork.addTangents}. */
export interface LifTangentOptions {
  /** Number K of tangent vectors, in [1, D] with D = 2N, or 3N when a projection targets I₂ (the top K exponents of the spectrum). */
  count: number;
}

/**
 * K tangent vectors of a network's state, δx = (δV, δI, δI₂) ∈ ℝ^{3N} each, stored vector-major
 * (`vectors()[k·D + c]`, c < N: δV of neuron c, then δI, then δI₂; D = `dimension`). When no
 * projection targets I₂ the subspace δI₂ = 0 is invariant (its exponents are −1/τ₂) and the
 * vectors are (δV, δI) ∈ ℝ^{2N}, D = 2N. After each step the kernel
 * has applied the exact variational flow of the linear subthreshold dynamics over the step and,
 * for each spike of neuron j at t* = (n + θ)h with crossing speed A, the saltation of the reset:
 * δV_j gains (s(A) − 1)·δV_j(t*⁻) with s(A) = 1 + g_L(V_th − V_r)/A, and each target i of j gains
 * the shift of the kick J_ij with t*: δV_i += J_ij·Ġ(t_{n+1} − t*)·δV_j(t*⁻)/A,
 * δI_i += −J_ij/τ·e^{−(t_{n+1} − t*)/τ}·δV_j(t*⁻)/A (G the voltage response to a unit current jump).
 * A catch-up spike (offset 0) is a crossing at t_n with its recorded A. A crossing whose recorded
 * A ≤ 0 (the `linear` rule's field at threshold with the interpolated current dips below 0 when the
 * current falls inside the step: about 1 spike in 5000 at dt = 0.02 ms) uses the step's secant
 * slope (V^{n+1} − V^n)/dt > 0 instead, the speed the rule crossed with. Memory belongs to the
 * network (freed by its `dispose`).
 */
export class LifTangents {
  /** Number K of tangent vectors. */
  readonly count: number;
  /** Number N of neurons. */
  readonly neurons: number;
  /** Length of each vector: 3N (δV, δI, δI₂ per neuron) when a projection targets I₂, else 2N (δV, δI). */
  readonly dimension: number;
  readonly #hdr: Region;
  readonly #vec: Region;
  readonly #log: Region;
  readonly #salt: Region;
  readonly #live: () => void;

  /** @internal Created by {@link LifNetwork.addTangents}. */
  constructor(
    hdr: Region,
    vec: Region,
    log: Region,
    salt: Region,
    count: number,
    neurons: number,
    components: 2 | 3,
    key: Key,
    live: () => void,
  ) {
    this.#hdr = hdr;
    this.#vec = vec;
    this.#log = log;
    this.#salt = salt;
    this.#live = live;
    this.count = count;
    this.neurons = neurons;
    this.dimension = components * neurons;
    // Random initial directions: normal(key, init, c, 2 + k), then orthonormalised.
    const v = new Float64Array(count * this.dimension);
    for (let k = 0; k < count; k++) v.set(normals(key, 2 + k, this.dimension, { stream: Streams.init }), k * this.dimension);
    this.#vec.f64(0, v.length).set(v);
    this.orthonormalise();
  }

  /** The K vectors (copy, K·3N: vector k at [k·3N, (k + 1)·3N)). */
  vectors(): Float64Array {
    this.#live();
    return this.#vec.f64(0, this.count * this.dimension).slice();
  }

  /** Overwrites the K vectors (length K·3N, finite; not re-orthonormalised). */
  setVectors(vectors: ArrayLike<number>): void {
    this.#live();
    this.#vec.f64(0, this.count * this.dimension).set(checkFiniteArray('vectors', vectors, this.count * this.dimension));
  }

  /**
   * Per neuron, Σ_k ln s(A_k) over the resets the tangent pass has seen since the tangents were
   * added or since {@link LifTangents.clearSaltation} (copy, length N), with the A the pass used. In
   * a feedforward network −g_L + (this sum)/T is neuron i's V-direction exponent (the diagonal of
   * the block-triangular cocycle).
   */
  saltation(): Float64Array {
    this.#live();
    return this.#salt.f64(0, this.neurons).slice();
  }

  /** Restarts the sums of {@link LifTangents.saltation} (e.g. after a burn-in). */
  clearSaltation(): void {
    this.#live();
    this.#salt.f64(0, this.neurons).fill(0);
  }

  /**
   * JSON form (kind `'lif.tangents'`): count K, neurons N, dimension, the K vectors (vector k at
   * [k·dimension, (k + 1)·dimension)) and the saltation sums per neuron.
   */
  toJSON(): { kind: 'lif.tangents'; count: number; neurons: number; dimension: number; vectors: number[]; saltation: number[] } {
    return {
      kind: 'lif.tangents',
      count: this.count,
      neurons: this.neurons,
      dimension: this.dimension,
      vectors: Array.from(this.vectors()),
      saltation: Array.from(this.saltation()),
    };
  }

  /**
   * Modified Gram–Schmidt on the vectors, in place: returns ln R_kk, the logarithm of each
   * vector's norm after the previous ones are projected out (the growth factors a Lyapunov
   * spectrum accumulates). Throws a `NumericalError` when a vector became zero or non-finite.
   */
  orthonormalise(): Float64Array {
    this.#live();
    const k = kernel();
    const code = k.lifTangentQr(this.#hdr.ptr, this.#log.ptr) as number;
    checkStatus(code, 'LifTangents.orthonormalise');
    return this.#log.f64(0, this.count).slice();
  }
}

/** @internal the checks of {@link LifNetwork.addTangents}: what the tangent pass does not cover. */
export function tangentRefusal(o: { spikeRule: string; delays: boolean; refractory: boolean }): ValidationError | null {
  if (o.spikeRule === 'grid')
    return new ValidationError(
      'spikeRule',
      "'linear' or 'hermite' for tangent dynamics: the grid rule resets V to V_r at t_{n+1} whatever V was, so its tangent through every reset is 0",
      'grid',
    );
  if (o.delays)
    return new ValidationError(
      'connect.delay',
      '0 ms on every projection for tangent dynamics (delayed kicks are not tracked)',
      'a delay > 0',
    );
  if (o.refractory)
    return new ValidationError(
      'params.tRef',
      '0 ms in every population for tangent dynamics (refractory holds are not tracked)',
      'tRef > 0',
    );
  return null;
}
