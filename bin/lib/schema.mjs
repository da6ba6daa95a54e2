// A small validator for experiment files. A spec is a tree of field descriptions; every error
// names the dotted field path, the allowed range (with units) and the value received, in the same
// words as the library's ValidationError: `network.tauMem: expected a finite number > 0 ms, got -1`.

/** Error for a malformed experiment file (exit code 2). */
export class ExperimentError extends Error {
  constructor(field, message) {
    super(field ? `${field}: ${message}` : message);
    this.name = 'ExperimentError';
    this.field = field;
  }
}

const show = (v) => {
  if (typeof v === 'string') return JSON.stringify(v);
  if (v === undefined) return 'nothing (the field is missing)';
  try {
    const s = JSON.stringify(v);
    return s.length > 60 ? `${s.slice(0, 57)}...` : s;
  } catch {
    return String(v);
  }
};

const unit = (s) => (s.unit ? ` ${s.unit}` : '');

function describeNumber(s) {
  const lo = s.min ?? s.gt;
  const hi = s.max ?? s.lt;
  const kind = s.integer ? 'an integer' : 'a finite number';
  if (lo !== undefined && hi !== undefined) {
    return `${kind} in ${s.gt !== undefined ? '(' : '['}${lo}, ${hi}${s.lt !== undefined ? ')' : ']'}${unit(s)}`;
  }
  if (s.gt !== undefined) return `${kind} > ${s.gt}${unit(s)}`;
  if (s.min !== undefined) return `${kind} >= ${s.min}${unit(s)}`;
  if (s.lt !== undefined) return `${kind} < ${s.lt}${unit(s)}`;
  if (s.max !== undefined) return `${kind} <= ${s.max}${unit(s)}`;
  return `${kind}${unit(s)}`;
}

/** Human description of what a spec allows (for messages and `neurodyn kinds`). */
export function describe(s) {
  switch (s.type) {
    case 'number':
      return describeNumber(s);
    case 'string':
      return s.enum ? `one of ${s.enum.map((e) => JSON.stringify(e)).join(', ')}` : 'a string';
    case 'boolean':
      return 'true or false';
    case 'seed':
      return 'an integer in [0, 2^53) or a string';
    case 'array': {
      const lo = s.minItems;
      const hi = s.maxItems;
      const items = (k) => `${k} item${k === 1 ? '' : 's'}`;
      const n =
        lo !== undefined && hi !== undefined
          ? lo === hi
            ? ` of ${items(lo)}`
            : ` (${lo} to ${hi} items)`
          : lo !== undefined
            ? ` (at least ${items(lo)})`
            : hi !== undefined
              ? ` (at most ${items(hi)})`
              : '';
      return `an array${n} of ${s.items.type === 'object' ? 'objects' : describe(s.items)}`;
    }
    case 'object':
      return `an object with fields ${Object.keys(s.fields).join(', ')}`;
    case 'oneOf':
      return s.options.map(describe).join(' or ');
    case 'numOrArray':
      return `${describe(s.number)} or an array of them${s.length ? ' (one per neuron)' : ''}`;
    default:
      return s.type;
  }
}

/**
 * Validates `value` against `spec` at `path`; returns the value with defaults filled in.
 * Throws {@link ExperimentError} at the first problem.
 */
export function validate(spec, value, path = '') {
  const here = path || '(top level)';
  if (value === undefined) {
    if (spec.default !== undefined) return structuredClone(spec.default);
    if (spec.optional) return undefined;
    throw new ExperimentError(here, `required: expected ${describe(spec)}`);
  }
  const bad = () => new ExperimentError(here, `expected ${describe(spec)}, got ${show(value)}`);
  switch (spec.type) {
    case 'number': {
      if (typeof value !== 'number' || !Number.isFinite(value)) throw bad();
      if (spec.integer && !Number.isInteger(value)) throw bad();
      if (spec.min !== undefined && value < spec.min) throw bad();
      if (spec.max !== undefined && value > spec.max) throw bad();
      if (spec.gt !== undefined && !(value > spec.gt)) throw bad();
      if (spec.lt !== undefined && !(value < spec.lt)) throw bad();
      return value;
    }
    case 'string':
      if (typeof value !== 'string' || (spec.enum && !spec.enum.includes(value))) throw bad();
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') throw bad();
      return value;
    case 'seed':
      if (typeof value === 'string') return value;
      if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < 2 ** 53) return value;
      throw bad();
    case 'array': {
      if (!Array.isArray(value)) throw bad();
      if (spec.minItems !== undefined && value.length < spec.minItems) throw bad();
      if (spec.maxItems !== undefined && value.length > spec.maxItems) throw bad();
      return value.map((v, i) => validate(spec.items, v, `${path}[${i}]`));
    }
    case 'object': {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) throw bad();
      const out = {};
      for (const k of Object.keys(value)) {
        if (!(k in spec.fields) && !k.startsWith('$') && k !== 'comment') {
          throw new ExperimentError(path ? `${path}.${k}` : k, `unknown field (allowed: ${Object.keys(spec.fields).join(', ')})`);
        }
      }
      for (const [k, fs] of Object.entries(spec.fields)) {
        const v = validate(fs, value[k], path ? `${path}.${k}` : k);
        if (v !== undefined) out[k] = v;
      }
      spec.check?.(out, path);
      return out;
    }
    case 'numOrArray': {
      if (Array.isArray(value)) return value.map((v, i) => validate(spec.number, v, `${path}[${i}]`));
      if (typeof value !== 'number') throw bad();
      return validate(spec.number, value, path);
    }
    case 'oneOf': {
      // The first option whose `when` matches decides (so messages point into the right branch).
      for (const o of spec.options) if (o.when(value)) return validate(o, value, path);
      if (value !== null && typeof value === 'object' && spec.options.every((o) => o.fields?.type?.enum)) {
        const types = spec.options.map((o) => JSON.stringify(o.fields.type.enum[0]));
        throw new ExperimentError(path ? `${path}.type` : 'type', `expected one of ${types.join(', ')}, got ${show(value.type)}`);
      }
      throw bad();
    }
    default:
      throw new Error(`schema: unknown type ${spec.type}`);
  }
}

// Shorthands used by the kind specs.
export const num = (o = {}) => ({ type: 'number', ...o });
export const int = (o = {}) => ({ type: 'number', integer: true, ...o });
export const str = (o = {}) => ({ type: 'string', ...o });
export const bool = (o = {}) => ({ type: 'boolean', ...o });
export const arr = (items, o = {}) => ({ type: 'array', items, ...o });
export const obj = (fields, o = {}) => ({ type: 'object', fields, ...o });
/** A number or an array of numbers (per-neuron parameters). */
export const perNeuron = (number, o = {}) => ({ type: 'numOrArray', number, length: true, ...o });
/** One of several object shapes, chosen by their `type` field. */
export const byType = (variants, o = {}) => ({
  type: 'oneOf',
  ...o,
  options: Object.entries(variants).map(([t, fields]) => ({
    ...obj({ type: str({ enum: [t] }), ...fields }),
    when: (v) => v !== null && typeof v === 'object' && v.type === t,
  })),
});
