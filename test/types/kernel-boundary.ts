// Type-level test of the kernel boundary (issue #14): type-checked in CI by
// `tsc -p test/types` (scripts/test-all.mjs), never run. Each `@ts-expect-error` line must fail
// to compile; if the kernel's exports were untyped again (`any`), the directive itself would be
// unused and `tsc` would fail on it. The types come from the build (src/generated/kernel.ts,
// written from asc's declaration by scripts/gen-kernel-types.mjs).
import type { KernelExports } from '../../src/kernel/load.js';

declare const k: KernelExports;

// Calls that match the kernel's signatures compile.
const p: number = k.alloc(64);
const code: number = k.lifRun(p, 10);
k.fillNormals(1, 2, 0, 0, 0, 8, p);
const x: number = k.lifMathExp(0.5);
k.free(p);
void [code, x];

// @ts-expect-error: one argument too few (lifRun(hdr: usize, nSteps: i32))
k.lifRun(p);
// @ts-expect-error: one argument too many
k.lifRun(p, 10, 1);
// @ts-expect-error: a bigint where the kernel takes a usize (only i64/u64 take bigint)
k.free(8n);
// @ts-expect-error: a boolean where the kernel takes an i32 (pass 0/1)
k.brfParamCount(true, 2, 2);
// @ts-expect-error: a string is not a kernel argument
k.lifMathExp('0.5');
// @ts-expect-error: a void export has no result
const nothing: number = k.free(p);
// @ts-expect-error: no such export (a typo in the name)
k.lifRunn(p, 10);
// @ts-expect-error: a global is a WebAssembly.Global, not a number
const version: number = k.LIF_KERNEL;
// @ts-expect-error: the exports are read-only
k.alloc = () => 0;
void [nothing, version];
