/** Worker-pool tasks of the ltn module (see src/parallel/tasks.ts). */
import type { TaskTable } from '../parallel/types.js';

/** @internal */
export const tasks: TaskTable = {};
