/**
 * NIR, the Neuromorphic Intermediate Representation (neuromorphs/NIR: nir/serialization.py,
 * nir/ir/*.py, docs/source/primitives.md), to and from {@link LifNetwork}.
 *
 * File layout (HDF5): `/version` (string), `/node` = the graph: `type` = "NIRGraph",
 * `nodes/<name>/{type, parameters…, metadata/…}`, `edges` = n × 2 strings (source, target).
 *
 * NIR's CubaLIF, in continuous time (its time unit u, seconds in the files NIR's frameworks write):
 *   τ_syn dI/dt = −I + w_in·S,   τ_mem dv/dt = (v_leak − v) + r·I,   v > v_threshold ⇒ spike, v ← v_reset
 * with S the sum of the incoming edges (Linear W·s, Affine W·s + b), a spike s being a Dirac pulse of
 * integral `spikeIntegral` (1 in NIR's convention). neurodyn's LIF (ms):
 *   dV/dt = −(V − V_L)/τ_m + I_nd,   dI_nd/dt = −(I_nd − μ)/τ_s + σ√(2/τ_s)ξ + Σ J δ
 * so I_nd = (r/τ_mem[ms])·I, the jump of a synapse of weight W is J = W·(r/τ_mem[ms])·(w_in/(τ_syn[u]·spikeIntegral))
 * and a bias b adds μ = (r/τ_mem[ms])·(w_in·b). Export chooses r = τ_m (ms) and w_in = τ_s (u), so
 * that NIR's current equals neurodyn's (J = W, μ = τ_s·b) and import undoes export bit for bit.
 * @packageDocumentation
 */
import { optionKeys, strictOptions } from '../contract/options.js';
import { ValidationError } from '../kernel/errors.js';
import { checkChoice, checkPositive } from '../kernel/validate.js';
import { type LifIntegratorName, LifNetwork, type LifPopulationParams, type LifSpikeRuleName } from '../lif/network.js';
import type { Seed } from '../rng/seed.js';
import { type H5Dataset, type H5Group, h5String, openH5Writer, withH5Reader } from './hdf5.js';

/** The NIR version whose layout the files follow (nir/serialization.py writes `/version`). */
export const NIR_VERSION = '1.0.8';

/** Node types the importer maps (every other NIR primitive is refused by name). */
export const NIR_SUPPORTED = ['Input', 'Output', 'CubaLIF', 'LIF', 'Affine', 'Linear', 'Delay'] as const;

/** Time unit of a NIR file's time constants and delays. */
export type NirTimeUnit = 's' | 'ms';

const UNIT_MS: Record<NirTimeUnit, number> = { s: 1000, ms: 1 };

/** Steps to the next or previous double. */
function nextAfter(x: number, up: boolean): number {
  const f = new Float64Array([x]);
  const b = new BigInt64Array(f.buffer);
  if (x === 0) return up ? Number.MIN_VALUE : -Number.MIN_VALUE;
  b[0] += x > 0 === up ? 1n : -1n;
  return f[0];
}

/**
 * A double near `x0` for which `ok(x)` holds (x0 itself first, then up to 64 neighbours each
 * side), else x0: export picks the representation that import maps back exactly.
 */
function exactNear(x0: number, ok: (x: number) => boolean): number {
  if (ok(x0)) return x0;
  let up = x0;
  let down = x0;
  for (let k = 0; k < 64; k++) {
    up = nextAfter(up, true);
    if (ok(up)) return up;
    down = nextAfter(down, false);
    if (ok(down)) return down;
  }
  return x0;
}

/** A value in ms as the file's unit, chosen so that `x·k` gives back the ms value exactly. */
function toUnit(ms: number, k: number): number {
  return k === 1 ? ms : exactNear(ms / k, (x) => x * k === ms);
}

/** What NIR cannot express, and what {@link exportNir} does with it. */
export type NirUnsupported = 'error' | 'metadata';

/** Options of {@link exportNir}. */
export interface ExportNirOptions {
  /** Unit of time constants and delays in the file (NIR's frameworks write seconds). @default 's' */
  timeUnit?: NirTimeUnit;
  /**
   * What to do with what NIR has no primitive for (noise σ, shared noise, Poisson drive,
   * refractory period, the second synaptic channel with τ₂ ≠ τ_s): `'error'` refuses with a
   * ValidationError naming it; `'metadata'` stores it in the node's `metadata` group (keys
   * `neurodyn_*`), which NIR readers ignore and {@link importNir} restores. @default 'error'
   */
  unsupported?: NirUnsupported;
}

const EXPORT_KEYS = optionKeys<ExportNirOptions>()(['timeUnit', 'unsupported']);

interface NirNode {
  type: string;
  data: Record<string, { value: Float64Array | string; shape: number[] }>;
  metadata: Record<string, Float64Array | string>;
}

const arr = (a: ArrayLike<number>, shape?: number[]) => ({ value: Float64Array.from(a), shape: shape ?? [a.length] });

/**
 * A {@link LifNetwork} as a NIR graph: one `CubaLIF` node per population, one `Linear` node per
 * projection (dense weights, post × pre; a `Delay` node before it when the projection has a
 * delay), one `Affine` node `<population>.drive` (zero weights from the `input` node, bias b) for
 * a constant drive μ ≠ 0, an `Input` node `input` (shape [1]) and an `Output` node
 * `<population>.output` per population. Written to `path` (Node, Deno) or returned as bytes.
 *
 * @example
 * ```ts
 * await exportNir(net, 'network.nir', { unsupported: 'metadata' });
 * ```
 */
export async function exportNir(net: LifNetwork, path?: string, options: ExportNirOptions = {}): Promise<Uint8Array | undefined> {
  if (!(net instanceof LifNetwork)) throw new ValidationError('net', 'a LifNetwork', net);
  const o = strictOptions('exportNir', 'options', options, EXPORT_KEYS);
  const unit = checkChoice('options.timeUnit', o.timeUnit ?? 's', ['s', 'ms'] as const);
  const policy = checkChoice('options.unsupported', o.unsupported ?? 'error', ['error', 'metadata'] as const);
  const k = UNIT_MS[unit];
  const nodes: Record<string, NirNode> = {};
  const edges: [string, string][] = [];
  const pops = net.populations();
  const refuse = (what: string, where: string) => {
    throw new ValidationError(
      where,
      `a network NIR can express (NIR has no primitive for ${what}; pass unsupported: 'metadata' to keep it as neurodyn metadata)`,
      what,
    );
  };
  nodes.input = { type: 'Input', data: { shape: { value: Float64Array.of(1), shape: [1] } }, metadata: {} };
  const tauSynU = new Map<string, Float64Array>();
  for (const p of pops) {
    const q = net.populationParams(p.name);
    const n = p.size;
    const meta: Record<string, Float64Array | string> = {};
    const at = `population '${p.name}'`;
    if (q.sourceSpikes !== null)
      throw new ValidationError(
        at,
        'a population of LIF neurons (a spike source replays recorded spikes; NIR has no node for it)',
        'a spike source',
      );
    const keep = (present: boolean, what: string, key: string, value: Float64Array) => {
      if (!present) return;
      if (policy === 'error') refuse(what, at);
      meta[key] = value;
    };
    keep(
      q.sigma.some((s) => s !== 0),
      'noise (sigma)',
      'neurodyn_sigma',
      q.sigma,
    );
    keep(q.sharedNoise !== 0, 'shared noise', 'neurodyn_shared_noise', Float64Array.of(q.sharedNoise));
    keep(
      q.tRef.some((t) => t !== 0),
      'a refractory period (tRef)',
      'neurodyn_t_ref',
      q.tRef,
    );
    if (q.poisson) {
      if (policy === 'error') refuse('Poisson drive', at);
      meta.neurodyn_poisson = Float64Array.of(q.poisson.rate, q.poisson.weight, q.poisson.channel);
    }
    // Initial state: NIR has none (its reference implementation starts at zero); kept as metadata.
    meta.neurodyn_v0 = q.v0;
    meta.neurodyn_i0 = q.i0;
    meta.neurodyn_i20 = q.i20;
    meta.neurodyn_tau_syn2 = q.tauSyn2;
    // τ_m from g_L = 1/τ_m, chosen so that 1/τ_m gives g_L back exactly.
    const tauMemMs = Float64Array.from(q.gL, (g) => exactNear(1 / g, (t) => 1 / t === g));
    const tauMem = Float64Array.from(tauMemMs, (t) => toUnit(t, k));
    const tauSyn = Float64Array.from(q.tauSyn, (t) => toUnit(t, k));
    tauSynU.set(p.name, tauSyn);
    nodes[p.name] = {
      type: 'CubaLIF',
      data: {
        tau_mem: arr(tauMem),
        tau_syn: arr(tauSyn),
        r: arr(tauMemMs),
        v_leak: arr(q.vLeak),
        v_threshold: arr(q.vThreshold),
        v_reset: arr(q.vReset),
        w_in: arr(tauSyn),
      },
      metadata: meta,
    };
    if (q.mu.some((m) => m !== 0)) {
      const bias = Float64Array.from(q.mu, (m, i) => exactNear(m / tauSyn[i], (b) => tauSyn[i] * b === m));
      nodes[`${p.name}.drive`] = { type: 'Affine', data: { weight: arr(new Float64Array(n), [n, 1]), bias: arr(bias) }, metadata: {} };
      edges.push(['input', `${p.name}.drive`], [`${p.name}.drive`, p.name]);
    }
    nodes[`${p.name}.output`] = { type: 'Output', data: { shape: { value: Float64Array.of(n), shape: [1] } }, metadata: {} };
    edges.push([p.name, `${p.name}.output`]);
  }
  for (let j = 0; j < net.projectionCount; j++) {
    const pj = net.getProjection(j);
    const pre = pops.find((p) => p.name === pj.from)!;
    const post = pops.find((p) => p.name === pj.to)!;
    const at = `projection ${j} (${pj.from} → ${pj.to})`;
    const meta: Record<string, Float64Array | string> = {};
    if (pj.channel === 1) {
      const q = net.populationParams(post.name);
      const same = q.tauSyn2.every((t, i) => t === q.tauSyn[i]);
      if (!same && policy === 'error') refuse('a second synaptic current with its own time constant (channel 1, tauSyn2)', at);
      meta.neurodyn_channel = Float64Array.of(1);
    }
    if (pre.size * post.size > 1 << 26)
      throw new ValidationError(at, 'at most 2^26 dense weights (NIR Linear is dense)', pre.size * post.size);
    const W = new Float64Array(post.size * pre.size);
    for (let a = 0; a < pre.size; a++)
      for (let s = pj.rowPtr[a]; s < pj.rowPtr[a + 1]; s++) W[pj.cols[s] * pre.size + a] += pj.weights ? pj.weights[s] : pj.weight;
    const name = `proj${j}.${pj.from}.${pj.to}`;
    nodes[name] = { type: 'Linear', data: { weight: arr(W, [post.size, pre.size]) }, metadata: meta };
    if (pj.delay > 0) {
      const dt = net.dt;
      const steps = pj.delay / dt;
      const d = toUnit(
        exactNear(pj.delay, (x) => x / dt === steps),
        k,
      );
      nodes[`${name}.delay`] = { type: 'Delay', data: { delay: arr(new Float64Array(pre.size).fill(d)) }, metadata: {} };
      edges.push([pj.from, `${name}.delay`], [`${name}.delay`, name], [name, pj.to]);
    } else edges.push([pj.from, name], [name, pj.to]);
  }
  const graphMeta: Record<string, Float64Array | string> = {
    neurodyn_time_unit: unit,
    neurodyn_dt: Float64Array.of(net.dt),
    neurodyn_integrator: net.integrator,
    neurodyn_spike_rule: net.spikeRule,
  };
  const w = await openH5Writer(path);
  try {
    const f = w.file;
    f.create_dataset({ name: 'version', data: NIR_VERSION, dtype: 'S' });
    const g = f.create_group('node');
    g.create_dataset({ name: 'type', data: 'NIRGraph', dtype: 'S' });
    const ns = g.create_group('nodes');
    for (const [name, nd] of Object.entries(nodes)) {
      const ng = ns.create_group(name);
      ng.create_dataset({ name: 'type', data: nd.type, dtype: 'S' });
      for (const [key, d] of Object.entries(nd.data)) {
        if (key === 'shape')
          ng.create_dataset({ name: key, data: BigInt64Array.from(d.value as Float64Array, (x) => BigInt(x)), dtype: '<q' });
        else ng.create_dataset({ name: key, data: d.value, shape: d.shape, dtype: '<d' });
      }
      writeMeta(ng, nd.metadata);
    }
    g.create_dataset({ name: 'edges', data: edges.flat(), shape: [edges.length, 2], dtype: 'S' });
    writeMeta(g, graphMeta);
  } catch (e) {
    w.close();
    throw e;
  }
  return w.close();
}

function writeMeta(g: H5Group, meta: Record<string, Float64Array | string>): void {
  const keys = Object.keys(meta);
  if (keys.length === 0) return;
  const m = g.create_group('metadata');
  for (const key of keys) {
    const v = meta[key];
    if (typeof v === 'string') m.create_dataset({ name: key, data: v, dtype: 'S' });
    else m.create_dataset({ name: key, data: v, dtype: '<d' });
  }
}

// ---------------------------------------------------------------------------------------------
// Import

/** Options of {@link importNir}. */
export interface ImportNirOptions {
  /** Step h (ms) of the network. @default the file's `neurodyn_dt` metadata, else required */
  dt?: number;
  /** Unit of the file's time constants and delays. @default the file's `neurodyn_time_unit` metadata, else 's' */
  timeUnit?: NirTimeUnit;
  /**
   * Integral over time (in the file's time unit) of one spike. NIR's convention is a Dirac pulse
   * of integral 1; a network trained in a discrete-time framework that passes a spike as a 1
   * for one step of length Δt has spikes of integral Δt (e.g. 1e-4 for Δt = 0.1 ms in seconds). @default 1
   */
  spikeIntegral?: number;
  /** @default the file's metadata, else 'exact' */
  integrator?: LifIntegratorName;
  /** @default the file's metadata, else 'linear' */
  spikeRule?: LifSpikeRuleName;
  /** Seed of the network (noise, initial conditions). @default 0 */
  seed?: Seed;
  /** Trial index (see LifNetworkOptions.trial). */
  trial?: number;
  /** Restore what neurodyn stored as node metadata (noise, refractory period, Poisson drive, initial state). @default true */
  metadata?: boolean;
}

const IMPORT_KEYS = optionKeys<ImportNirOptions>()([
  'dt',
  'timeUnit',
  'spikeIntegral',
  'integrator',
  'spikeRule',
  'seed',
  'trial',
  'metadata',
]);

interface ReadNode {
  type: string;
  values: Record<string, Float64Array>;
  shapes: Record<string, number[]>;
  meta: Record<string, Float64Array | string>;
}

function readValues(g: H5Group): {
  type: string;
  values: Record<string, Float64Array>;
  shapes: Record<string, number[]>;
  meta: Record<string, Float64Array | string>;
} {
  const values: Record<string, Float64Array> = {};
  const shapes: Record<string, number[]> = {};
  const meta: Record<string, Float64Array | string> = {};
  let type = '';
  for (const key of g.keys()) {
    const o = g.get(key) as H5Dataset | H5Group;
    if (key === 'type') type = h5String((o as H5Dataset).value);
    else if (key === 'metadata') {
      const m = o as H5Group;
      for (const mk of m.keys()) {
        const v = (m.get(mk) as H5Dataset).value;
        meta[mk] =
          typeof v === 'string' ? v : ArrayBuffer.isView(v) ? Float64Array.from(v as unknown as ArrayLike<number>, Number) : h5String(v);
      }
    } else if ('shape' in o && typeof (o as H5Dataset).value !== 'undefined') {
      const d = o as H5Dataset;
      const v = d.value;
      if (typeof v === 'number' || typeof v === 'bigint') values[key] = Float64Array.of(Number(v));
      else if (ArrayBuffer.isView(v)) values[key] = Float64Array.from(v as unknown as ArrayLike<number | bigint>, Number);
      shapes[key] = d.shape ?? [];
    }
  }
  return { type, values, shapes, meta };
}

interface Graph {
  nodes: Record<string, ReadNode>;
  edges: [string, string][];
  meta: Record<string, Float64Array | string>;
}

function readGraph(f: H5Group): Graph {
  if (!f.keys().includes('node')) throw new ValidationError('source', 'a NIR file (a /node group)', f.keys().join(', '));
  const g = f.get('node') as H5Group;
  const top = readValues(g);
  if (top.type !== 'NIRGraph') throw new ValidationError('node/type', "'NIRGraph'", top.type);
  const ns = g.get('nodes') as H5Group;
  const nodes: Record<string, ReadNode> = {};
  for (const name of ns.keys()) {
    const sub = ns.get(name) as H5Group;
    const r = readValues(sub);
    if (r.type === 'NIRGraph')
      throw new ValidationError(
        `nodes/${name}`,
        'a flat graph (nested NIRGraph subgraphs are not supported; flatten it with nir first)',
        'NIRGraph',
      );
    nodes[name] = r;
  }
  const ev = (g.get('edges') as H5Dataset).value as unknown;
  const flat = (Array.isArray(ev) ? ev : []).flat().map(h5String);
  const edges: [string, string][] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) edges.push([flat[i], flat[i + 1]]);
  for (const [a, b] of edges)
    for (const x of [a, b])
      if (!nodes[x]) throw new ValidationError('edges', 'edges between nodes of the graph', `an edge ${a} → ${b} to unknown node '${x}'`);
  return { nodes, edges, meta: top.meta };
}

function per(name: string, v: Float64Array | undefined, n: number, fallback?: number): Float64Array {
  if (v === undefined) {
    if (fallback === undefined) throw new ValidationError(name, 'a parameter dataset', 'none');
    return new Float64Array(n).fill(fallback);
  }
  if (v.length === 1 && n > 1) return new Float64Array(n).fill(v[0]);
  if (v.length !== n) throw new ValidationError(name, `${n} values (one per neuron)`, v.length);
  return v;
}

/**
 * Builds a {@link LifNetwork} from a NIR graph (a path in Node/Deno, or the bytes): `CubaLIF` and
 * `LIF` nodes become populations, chains `source → [Delay] → Linear|Affine → [Delay] → target`
 * between them become projections (dense weights, zeros dropped), `Affine` biases become the
 * drive μ, with the mapping of this module's header. Refused with a ValidationError naming the
 * node: any other primitive (Conv, Flatten, IF, I, LI, CubaLI, Threshold, pooling, Scale, nested
 * graphs), external input through nonzero weights from an `Input` node, non-uniform delays, and
 * spikes arriving at a `LIF` node (its voltage jumps; neurodyn's synapses are exponential).
 * Initial state: neurodyn's stored metadata when present, else v = 0 and I = 0 as in NIR's
 * reference implementation. Spikes of the returned network are recorded by the caller's monitors.
 */
export async function importNir(source: string | Uint8Array | ArrayBuffer, options: ImportNirOptions = {}): Promise<LifNetwork> {
  const o = strictOptions('importNir', 'options', options, IMPORT_KEYS);
  const g = await withH5Reader(source, readGraph);
  const useMeta = o.metadata ?? true;
  const gm = useMeta ? g.meta : {};
  const unit = checkChoice('options.timeUnit', o.timeUnit ?? (typeof gm.neurodyn_time_unit === 'string' ? gm.neurodyn_time_unit : 's'), [
    's',
    'ms',
  ] as const);
  const k = UNIT_MS[unit];
  const a = checkPositive('options.spikeIntegral', o.spikeIntegral ?? 1);
  const dtMeta = gm.neurodyn_dt instanceof Float64Array ? gm.neurodyn_dt[0] : undefined;
  if (o.dt === undefined && dtMeta === undefined)
    throw new ValidationError('options.dt', 'a step dt > 0 ms (the file does not name one)', undefined);
  const dt = checkPositive('options.dt', o.dt ?? dtMeta, 'ms');
  const integrator = o.integrator ?? (typeof gm.neurodyn_integrator === 'string' ? (gm.neurodyn_integrator as LifIntegratorName) : 'exact');
  const spikeRule = o.spikeRule ?? (typeof gm.neurodyn_spike_rule === 'string' ? (gm.neurodyn_spike_rule as LifSpikeRuleName) : 'linear');

  const neuronTypes = new Set(['CubaLIF', 'LIF']);
  for (const [name, nd] of Object.entries(g.nodes)) {
    if (!(NIR_SUPPORTED as readonly string[]).includes(nd.type))
      throw new ValidationError(
        `nodes/${name}`,
        `a node type neurodyn's LIF network can represent (${NIR_SUPPORTED.join(', ')})`,
        nd.type,
        `NIR node '${name}' has type '${nd.type}', which neurodyn's LIF network cannot represent (supported: ${NIR_SUPPORTED.join(', ')})`,
      );
  }
  const out = (name: string) => g.edges.filter((e) => e[0] === name).map((e) => e[1]);
  const inn = (name: string) => g.edges.filter((e) => e[1] === name).map((e) => e[0]);

  // Populations in file order.
  const popNames = Object.keys(g.nodes).filter((n) => neuronTypes.has(g.nodes[n].type));
  if (popNames.length === 0) throw new ValidationError('nodes', 'at least one CubaLIF or LIF node', Object.keys(g.nodes).join(', '));
  const sizes = new Map<string, number>();
  const factorJ = new Map<string, Float64Array>(); // J = W · factor (per postsynaptic neuron)
  const factorMu = new Map<string, Float64Array>(); // μ = b · factor
  const params = new Map<string, LifPopulationParams & { mu: Float64Array }>();
  for (const name of popNames) {
    const nd = g.nodes[name];
    const v = nd.values;
    const at = `nodes/${name}`;
    const n = (v.v_threshold ?? v.tau_mem ?? v.tau)?.length ?? 0;
    if (n < 1) throw new ValidationError(`${at}/v_threshold`, 'a parameter array', 'none');
    sizes.set(name, n);
    const cuba = nd.type === 'CubaLIF';
    const tauMemU = per(`${at}/${cuba ? 'tau_mem' : 'tau'}`, cuba ? v.tau_mem : v.tau, n);
    const tauMem = tauMemU.map((t) => t * k);
    const r = per(`${at}/r`, v.r, n, 1);
    const vLeak = per(`${at}/v_leak`, v.v_leak, n, 0);
    const vThreshold = per(`${at}/v_threshold`, v.v_threshold, n);
    const vReset = per(`${at}/v_reset`, v.v_reset, n, 0);
    let tauSyn: Float64Array;
    const fJ = new Float64Array(n);
    const fMu = new Float64Array(n);
    if (cuba) {
      const tauSynU = per(`${at}/tau_syn`, v.tau_syn, n);
      const wIn = per(`${at}/w_in`, v.w_in, n, 1);
      tauSyn = tauSynU.map((t) => t * k);
      for (let i = 0; i < n; i++) {
        const rm = r[i] / tauMem[i];
        fJ[i] = rm * (wIn[i] / (tauSynU[i] * a));
        fMu[i] = rm * wIn[i];
      }
    } else {
      // LIF: a constant input enters v directly; τ_s only shapes I's approach to μ, and I starts at μ.
      tauSyn = new Float64Array(n).fill(Math.min(1, ...tauMem));
      for (let i = 0; i < n; i++) fMu[i] = r[i] / tauMem[i];
    }
    factorJ.set(name, fJ);
    factorMu.set(name, fMu);
    const p: LifPopulationParams & { mu: Float64Array } = { tauMem, tauSyn, vLeak, vThreshold, vReset, mu: new Float64Array(n), sigma: 0 };
    const m = useMeta ? nd.meta : {};
    const meta = (key: string) => (m[key] instanceof Float64Array ? (m[key] as Float64Array) : undefined);
    if (meta('neurodyn_sigma')) p.sigma = per(`${at}/metadata/neurodyn_sigma`, meta('neurodyn_sigma'), n);
    if (meta('neurodyn_shared_noise')) p.sharedNoise = meta('neurodyn_shared_noise')![0];
    if (meta('neurodyn_t_ref')) p.tRef = per(`${at}/metadata/neurodyn_t_ref`, meta('neurodyn_t_ref'), n);
    if (meta('neurodyn_tau_syn2')) p.tauSyn2 = per(`${at}/metadata/neurodyn_tau_syn2`, meta('neurodyn_tau_syn2'), n);
    const pois = meta('neurodyn_poisson');
    if (pois) p.poisson = { rate: pois[0], weight: pois[1], channel: pois[2] === 1 ? 1 : 0 };
    p.v0 = meta('neurodyn_v0') ? per(`${at}/metadata/neurodyn_v0`, meta('neurodyn_v0'), n) : 0;
    p.i20 = meta('neurodyn_i20') ? per(`${at}/metadata/neurodyn_i20`, meta('neurodyn_i20'), n) : 0;
    // I starts at 0 (NIR), or as stored; a LIF's current is its constant input (set below).
    p.i0 = meta('neurodyn_i0') ? per(`${at}/metadata/neurodyn_i0`, meta('neurodyn_i0'), n) : cuba ? 0 : undefined;
    params.set(name, p);
  }

  // Walk each edge path from a population or Input into a population.
  interface Proj {
    from: string;
    to: string;
    W: Float64Array;
    delayMs: number;
    channel: 0 | 1;
  }
  const projs: Proj[] = [];
  const delayOf = (name: string, n: number): number => {
    const d = per(`nodes/${name}/delay`, g.nodes[name].values.delay, n);
    if (d.some((x) => x !== d[0]))
      throw new ValidationError(
        `nodes/${name}/delay`,
        'one delay for every neuron (neurodyn projections have one delay)',
        'several values',
      );
    if (!(d[0] >= 0)) throw new ValidationError(`nodes/${name}/delay`, 'a delay >= 0', d[0]);
    return d[0] * k;
  };
  const linearOf = (name: string) => {
    const nd = g.nodes[name];
    const W = nd.values.weight;
    const sh = nd.shapes.weight ?? [];
    if (!W || sh.length !== 2) throw new ValidationError(`nodes/${name}/weight`, 'a 2-D weight matrix (post × pre)', sh);
    return {
      W,
      rows: sh[0],
      cols: sh[1],
      bias: nd.type === 'Affine' ? nd.values.bias : undefined,
      channel: (nd.meta.neurodyn_channel as Float64Array | undefined)?.[0] === 1 ? 1 : 0,
    };
  };
  const sources = [...popNames, ...Object.keys(g.nodes).filter((n) => g.nodes[n].type === 'Input')];
  for (const src of sources) {
    const isInput = g.nodes[src].type === 'Input';
    const nSrc = isInput ? (g.nodes[src].values.shape ?? Float64Array.of(1)).reduce((x, y) => x * y, 1) : (sizes.get(src) as number);
    for (const first of out(src)) {
      let node = first;
      let delay = 0;
      let lin: ReturnType<typeof linearOf> | null = null;
      const path = [src];
      for (;;) {
        path.push(node);
        const t = g.nodes[node].type;
        if (t === 'Delay') delay += delayOf(node, lin ? lin.rows : nSrc);
        else if (t === 'Linear' || t === 'Affine') {
          if (lin) throw new ValidationError(`nodes/${node}`, 'one Linear or Affine node between two populations', path.join(' → '));
          lin = linearOf(node);
        } else break;
        const next = out(node);
        if (next.length !== 1) {
          if (next.length === 0) break;
          throw new ValidationError(`nodes/${node}`, 'one outgoing edge from a Linear, Affine or Delay node', next.join(', '));
        }
        if (inn(node).length !== 1)
          throw new ValidationError(`nodes/${node}`, 'one incoming edge into a Linear, Affine or Delay node', inn(node).join(', '));
        node = next[0];
      }
      const target = node;
      const tt = g.nodes[target].type;
      if (tt === 'Output') continue;
      if (!neuronTypes.has(tt))
        throw new ValidationError(
          `nodes/${target}`,
          'a population (CubaLIF, LIF) or Output at the end of a chain',
          `${tt} (${path.join(' → ')})`,
        );
      const nT = sizes.get(target) as number;
      if (isInput && delay > 0) throw new ValidationError(`nodes/${path[1]}`, 'no Delay on a constant input', path.join(' → '));
      if (!lin) {
        if (isInput)
          throw new ValidationError(`nodes/${src}`, "an Input that reaches populations only through an Affine's bias", path.join(' → '));
        if (nSrc !== nT) throw new ValidationError(path.join(' → '), `${nT} sources for a one-to-one edge`, nSrc);
        lin = { W: new Float64Array(nT * nSrc), rows: nT, cols: nSrc, bias: undefined, channel: 0 };
        for (let i = 0; i < nT; i++) lin.W[i * nSrc + i] = 1;
      }
      if (lin.rows !== nT || lin.cols !== nSrc)
        throw new ValidationError(path.join(' → '), `a ${nT} × ${nSrc} weight matrix (post × pre)`, `${lin.rows} × ${lin.cols}`);
      const p = params.get(target)!;
      if (lin.bias) {
        const b = per(`${path.join(' → ')}: bias`, lin.bias, nT);
        const fm = factorMu.get(target)!;
        for (let i = 0; i < nT; i++) p.mu[i] += fm[i] * b[i];
      }
      if (isInput) {
        if (lin.W.some((x) => x !== 0))
          throw new ValidationError(
            path.join(' → '),
            'zero weights from an Input node (neurodyn has no external input stream; only Affine biases reach the populations)',
            'nonzero weights',
          );
        continue;
      }
      if (g.nodes[target].type === 'LIF' && lin.W.some((x) => x !== 0))
        throw new ValidationError(
          `nodes/${target}`,
          "spikes into a CubaLIF node (a LIF node's voltage jumps at each input spike; neurodyn's synapses are exponential currents)",
          `spikes from ${src} into LIF`,
        );
      const fJ = factorJ.get(target)!;
      const W = new Float64Array(lin.W.length);
      for (let i = 0; i < nT; i++) for (let j = 0; j < nSrc; j++) W[i * nSrc + j] = lin.W[i * nSrc + j] * fJ[i];
      projs.push({ from: src, to: target, W, delayMs: delay, channel: lin.channel as 0 | 1 });
    }
  }

  const net = new LifNetwork({ dt, integrator, spikeRule, seed: o.seed, trial: o.trial });
  try {
    for (const name of popNames) {
      const p = params.get(name)!;
      if (g.nodes[name].type === 'LIF' && p.i0 === undefined) p.i0 = p.mu;
      net.addPopulation(name, sizes.get(name)!, p);
    }
    for (const pj of projs) {
      net.connect(pj.from, pj.to, {
        connector: { type: 'dense', matrix: pj.W },
        channel: pj.channel,
        ...(pj.delayMs > 0 ? { delay: pj.delayMs } : {}),
      });
    }
  } catch (e) {
    net.dispose();
    throw e;
  }
  return net;
}
