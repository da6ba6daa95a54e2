// Deno: the CUBA benchmark network (Vogels & Abbott 2005, as in Brian2's example) from the built
// package: 4000 LIF neurons, exact integration, 1 s at dt = 0.1 ms.
//   deno run --allow-read examples/deno/cuba.ts [--quick]
// Prints its result JSON as the last line: {"neurons","synapses","spikes","rateHz","wallSeconds"}.
import * as nd from '../../dist/index.js';

export async function main({ quick = false, duration = quick ? 200 : 1000, seed = 1 } = {}) {
  await nd.init();
  const net = nd.createLifCuba({ seed });
  try {
    const spikes = net.addSpikeMonitor();
    const t0 = performance.now();
    net.run(duration);
    const wallSeconds = (performance.now() - t0) / 1000;
    const { synapses } = net.memory();
    return {
      neurons: net.size,
      synapses,
      spikes: spikes.count,
      rateHz: (spikes.count / net.size / duration) * 1000,
      wallSeconds,
    };
  } finally {
    net.dispose();
  }
}

if (import.meta.main) {
  console.log(JSON.stringify(await main({ quick: Deno.args.includes('--quick') })));
}
