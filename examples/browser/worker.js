// The playground's Web Worker: every heavy computation runs here so the page stays responsive.
// Messages: { id, task, params } → { id, progress, frame? } … then { id, result } or { id, error }.
// A task may attach an intermediate `frame` to a progress message (live pictures of long runs).
// Each task checks that its model is in the build and otherwise fails with a clear message.
import * as nd from '../../dist/index.js';
import { tasks } from './tasks.js';

const ready = nd.init();

self.addEventListener('message', async (e) => {
  const { id, task, params } = e.data;
  try {
    await ready;
    const f = tasks[task];
    if (!f) throw new Error(`unknown playground task ${task}`);
    const result = await f(nd, params, (p, frame) => self.postMessage({ id, progress: p, frame }));
    self.postMessage({ id, result });
  } catch (err) {
    self.postMessage({ id, error: { name: err?.name ?? 'Error', message: err?.message ?? String(err) } });
  }
});
