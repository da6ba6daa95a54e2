// Entry of the shared-memory build (build/threads.wasm; scripts/embed-wasm.mjs compiles it with
// --sharedMemory --importMemory --enable threads): what a multi-threaded LifNetwork needs, one
// instance per thread on one memory. Scratch per thread: assembly/tls.ts.
export { alloc, free, statusPtr } from './kernel';
export { lifRun, lifRunThread } from './lif/index';
