// Scratch memory of one thread. The ordinary build keeps its scratch blocks (Philox output, SIMD
// normals, accumulators, block caches) at static addresses. The shared-memory build
// (assembly/threads.ts, asc --sharedMemory --importMemory --enable threads) is instantiated once
// per thread on ONE memory, so static addresses would be shared by all threads: there every block
// lives at TLS + offset instead, where TLS is the `lifScratch` import (a region the facade
// allocates per worker) or, for the instance on the main thread (import 0), a static block.
// `ASC_FEATURE_THREADS` is a compile-time constant: the ordinary build has no import and keeps
// constant addresses (no cost on one thread).

// @ts-ignore: decorator
@external("env", "lifScratch")
declare const SCRATCH_IMPORT: usize;

/** Bytes of one thread's scratch (see the offsets below; 16-byte aligned blocks). */
export const TLS_BYTES: usize = 17152;

/** Base of this instance's scratch (threads build only). */
export const TLS: usize = ASC_FEATURE_THREADS ? (SCRATCH_IMPORT != 0 ? SCRATCH_IMPORT : memory.data(<i32>TLS_BYTES, 16)) : 0;

// Offsets into the thread's scratch: PHILOX_OUT 16, ACC 32, HERM 16, ZC0 8192, ZC1 8192, PX 64,
// PXB 64, ACC2 48, ZA 64, ZB 64, XI 64, XV 64 (= 17 040 bytes, rounded up).
export const T_PHILOX: usize = 0;
export const T_ACC: usize = 16;
export const T_HERM: usize = 48;
export const T_ZC0: usize = 64;
export const T_ZC1: usize = 64 + 8192;
export const T_PX: usize = 64 + 16384;
export const T_PXB: usize = T_PX + 64;
export const T_ACC2: usize = T_PXB + 64;
export const T_ZA: usize = T_ACC2 + 48;
export const T_ZB: usize = T_ZA + 64;
export const T_XI: usize = T_ZB + 64;
export const T_XV: usize = T_XI + 64;
