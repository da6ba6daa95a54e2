// Kernel boundary: JS owns every region (alloc/free through the TLSF heap); kernels never
// allocate. Expected numerical failures are reported through the status block below, which
// the facade (src/kernel/errors.ts) turns into typed errors.

/** Status block: [code i32, index i32, step f64, time f64, value f64]. */
export const STATUS: usize = memory.data(32, 16);

export const STATUS_OK: i32 = 0;
export const STATUS_NONFINITE: i32 = 1;
export const STATUS_BLOWUP: i32 = 2;
export const STATUS_CFL: i32 = 3;
export const STATUS_DOMAIN: i32 = 4;

/** Records a numerical failure and returns its code, so kernels can `return fail(...)`. */
export function fail(code: i32, index: i32, step: f64, time: f64, value: f64): i32 {
  store<i32>(STATUS, code, 0);
  store<i32>(STATUS, index, 4);
  store<f64>(STATUS, step, 8);
  store<f64>(STATUS, time, 16);
  store<f64>(STATUS, value, 24);
  return code;
}

export function statusPtr(): usize {
  return STATUS;
}

export function alloc(bytes: usize): usize {
  const p = heap.alloc(bytes);
  memory.fill(p, 0, bytes);
  return p;
}

export function free(ptr: usize): void {
  heap.free(ptr);
}
