/** Worker-pool tasks of the stats module (listed in src/tasks.ts). */
import type { TaskTable } from '../parallel/types.js';

/** @internal */
export const tasks: TaskTable = {};
