/**
 * The public contract every family follows, in code: strict options, the run/progress/cancel
 * protocol, and the result convention. The prose is docs/guides/conventions.md.
 * @packageDocumentation
 */
export { checkCallback, optionKeys, type RenamedOptions, strictOptions, suggestName, unknownOptionError } from './options.js';
export {
  ASYNC_RUN_OPTION_KEYS,
  type AsyncRunOptions,
  checkAbortSignal,
  DEFAULT_SLICE_MS,
  type Progress,
  type ProgressCallback,
  ProgressTracker,
  type ProgressUnit,
  RUN_OPTION_KEYS,
  type RunOptions,
  yieldToEventLoop,
} from './progress.js';
export { type Column, type ColumnArray, makeTable, Result, Table, type TableJSON, type TableOf, toJSONValue } from './results.js';
