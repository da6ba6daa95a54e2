/**
 * Worker entry (`neurodyn/worker`): loads the kernel and runs tasks posted by {@link WorkerPool}.
 * The same bundle runs as a Node `worker_threads` worker and as a module Web Worker.
 * @packageDocumentation
 */
import { init } from './kernel/load.js';
import { isNode } from './parallel/pool.js';
import type { ReadyMessage, ResultMessage, TaskMessage } from './parallel/types.js';
import { TASKS } from './tasks.js';

const ready = init();

/** Tells the pool, once the kernel is loaded, which tasks this worker runs (or why it cannot). */
function announce(post: (r: ReadyMessage) => void): void {
  ready.then(
    () => post({ ready: true, tasks: Object.keys(TASKS) }),
    (e) => post({ ready: true, tasks: [], error: (e as Error).message ?? String(e) }),
  );
}

async function handle(m: TaskMessage, post: (r: ResultMessage) => void): Promise<void> {
  try {
    await ready;
    const fn = TASKS[m.task];
    if (!fn) throw new Error(`unknown task ${m.task}`);
    post({ id: m.id, ok: true, value: await fn(m.input) });
  } catch (e) {
    post({ id: m.id, ok: false, error: { name: (e as Error).name ?? 'Error', message: (e as Error).message ?? String(e) } });
  }
}

if (isNode()) {
  // The port queues messages until a listener is attached.
  void import('node:worker_threads').then(({ parentPort }) => {
    if (!parentPort) throw new Error('neurodyn worker: not started as a worker');
    parentPort.on('message', (m: TaskMessage) => handle(m, (r) => parentPort.postMessage(r)));
    announce((r) => parentPort.postMessage(r));
  });
} else {
  // Attach synchronously so no message posted during start-up is lost.
  const scope = globalThis as unknown as { postMessage(m: unknown): void; addEventListener(t: string, f: (e: MessageEvent) => void): void };
  scope.addEventListener('message', (e) => handle(e.data as TaskMessage, (r) => scope.postMessage(r)));
  announce((r) => scope.postMessage(r));
}
