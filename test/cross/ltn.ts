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
      return nd.fingerprint(b.run(5).stateArray());
    } finally {
      b.dispose();
    }
  },
  'ltn.ldsAscent': (nd) => {
    const r = nd.ldsTest(cyclic, { iterations: 300 });
    return nd.fingerprint([r.margin], r.p, r.dual ? r.dual.X : []);
  },
  // the issue-#16 network and start where a release event used to re-fire forever: the
  // event-driven PDS is plain arithmetic (Padé exponential, LU, bisection), the same in every engine
  'ltn.eventDrivenPds': (nd) => {
    const M = [
      [0.3233, 0.1523, 2.1927],
      [0.4643, 0.3087, 0.0018],
      [-0.1719, 1.2329, 0.9913],
    ];
    const spec = { d: [1, 1, 1], W: M.map((r, i) => r.map((v, j) => (i === j ? 1 : 0) - v)), u: [1, 0.5, 1] };
    const tr = nd.pdsSimulate(spec, [1.6832052519063023, 0.009368553277658842, 1.7954299107691762], {
      duration: 3,
      sampleInterval: 0.05,
      method: 'event-driven',
    });
    return nd.fingerprint(tr.time, tr.x, [tr.events]);
  },
  'ltn.batchPds': (nd) => {
    const b = new nd.LtnBatch(net, [[0.2, 1.5]], { dt: 0.005, method: 'pds' });
    try {
      return nd.fingerprint(b.run(3).stateArray());
    } finally {
      b.dispose();
    }
  },
};
