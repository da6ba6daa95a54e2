/** Worker-pool tasks of the fp module (see src/parallel/tasks.ts). */
import type { TaskTable } from '../parallel/types.js';

/** @internal */
export const tasks: TaskTable = {};
