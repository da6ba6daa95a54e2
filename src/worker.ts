/**
 * Worker entry (`neurodyn/worker`): loads the kernel and runs tasks posted by {@link WorkerPool}:
 * the package's tables, and the trial functions of user modules it is asked to import. The same
 * bundle runs as a Node `worker_threads` worker and as a module Web Worker (browsers, Deno).
 * @packageDocumentation
 */
import { init } from './kernel/load.js';
import { errorRecord, exportedFunctions, importModule, portable } from './parallel/modules.js';
import { isNode } from './parallel/pool.js';
import type { LoadedMessage, LoadMessage, ReadyMessage, ResultMessage, TaskFn, TaskMessage } from './parallel/types.js';
import { TASKS } from './tasks.js';

const ready = init();

/** Tells the pool, once the kernel is loaded, which tasks this worker runs (or why it cannot). */
function announce(post: (r: ReadyMessage) => void): void {
  ready.then(
    () => post({ ready: true, tasks: Object.keys(TASKS) }),
    (e) => post({ ready: true, tasks: [], error: (e as Error).message ?? String(e) }),
  );
}

async function load(m: LoadMessage, post: (r: LoadedMessage) => void): Promise<void> {
  try {
    await ready;
    post({ loaded: m.load, tasks: exportedFunctions(await importModule(m.load)) });
  } catch (e) {
    post({ loaded: m.load, tasks: [], error: errorRecord(e).message });
  }
}

async function handle(m: TaskMessage, post: (r: ResultMessage) => void): Promise<void> {
  let value: unknown;
  try {
    await ready;
    const fn = (m.module ? (await importModule(m.module))[m.task] : TASKS[m.task]) as TaskFn | undefined;
    if (typeof fn !== 'function') throw new Error(`unknown task ${m.task}${m.module ? ` in ${m.module}` : ''}`);
    value = portable(await fn(m.input));
  } catch (e) {
    post({ call: m.call, id: m.id, ok: false, error: errorRecord(e) });
    return;
  }
  try {
    post({ call: m.call, id: m.id, ok: true, value });
  } catch (e) {
    // The value cannot be structured-cloned (a function, a class with private state...).
    post({ call: m.call, id: m.id, ok: false, error: errorRecord(e) });
  }
}

function dispatch(m: TaskMessage | LoadMessage, post: (r: ResultMessage | LoadedMessage) => void): void {
  if ('load' in m) void load(m, post);
  else void handle(m, post);
}

if (isNode()) {
  // The port queues messages until a listener is attached.
  void import('node:worker_threads').then(({ parentPort }) => {
    if (!parentPort) throw new Error('neurodyn worker: not started as a worker');
    parentPort.on('message', (m: TaskMessage | LoadMessage) => dispatch(m, (r) => parentPort.postMessage(r)));
    announce((r) => parentPort.postMessage(r));
  });
} else {
  // Attach synchronously so no message posted during start-up is lost.
  const scope = globalThis as unknown as { postMessage(m: unknown): void; addEventListener(t: string, f: (e: MessageEvent) => void): void };
  scope.addEventListener('message', (e) => dispatch(e.data as TaskMessage | LoadMessage, (r) => scope.postMessage(r)));
  announce((r) => scope.postMessage(r));
}
