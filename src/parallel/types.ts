/** A task runnable on the worker pool: a pure function of its (structured-clonable) input. */
// biome-ignore lint/suspicious/noExplicitAny: inputs are structured-clone data checked by each task
export type TaskFn = (input: any) => unknown | Promise<unknown>;

/** Named tasks. */
export type TaskTable = Record<string, TaskFn>;

/** Outcome of one trial: its value, or the error it threw (the others are kept). */
export type Settled<T> =
  | {
      /** Trial (or input) index. */
      index: number;
      /** true: the task returned. */
      ok: true;
      /** The task's return value. */
      value: T;
    }
  | {
      /** Trial (or input) index. */
      index: number;
      /** false: the task threw. */
      ok: false;
      /** The error it threw (name and message only: errors are not structured-cloneable). */
      error: {
        /** Error class name, e.g. `'NumericalError'`. */
        name: string;
        /** Error message. */
        message: string;
      };
    };

/** @internal message to a worker */
export interface TaskMessage {
  id: number;
  task: string;
  input: unknown;
}

/** @internal message from a worker */
export interface ResultMessage {
  id: number;
  ok: boolean;
  value?: unknown;
  error?: { name: string; message: string };
}
