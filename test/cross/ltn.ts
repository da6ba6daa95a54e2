import type { CrossCases } from './types.ts';

const net = {
  d: [1, 3],
  W: [
    [0.2, -1.5],
    [1, 0.5],
  ],
  u: [1, -2],
};
const cyclic = [
  [1, 0, 3],
  [3, 1, 0],
  [0, 3, 1],
];

/** Cross-runtime cases of the ltn module. */
export const cases: CrossCases = {
  'ltn.batchRk4': (nd) => {
    const b = new nd.LtnBatch(
      net,
      [
        [0, 0],
        [2, 1],
        [0.3, 3],
      ],
      { dt: 0.01, method: 'rk4', gamma: [1, 10, 0.5] },
    );
    try {
      return nd.fingerprint(b.run(5).states());
    } finally {
      b.dispose();
    }
  },
  'ltn.ldsAscent': (nd) => {
    const r = nd.ldsTest(cyclic, { iterations: 300 });
    return nd.fingerprint([r.margin], r.p, r.dual ? r.dual.X : []);
  },
  'ltn.batchPds': (nd) => {
    const b = new nd.LtnBatch(net, [[0.2, 1.5]], { dt: 0.005, method: 'pds' });
    try {
      return nd.fingerprint(b.run(3).states());
    } finally {
      b.dispose();
    }
  },
};
