// numerics kernels: see src/numerics/ for the facade.
export const NUMERICS_KERNEL: i32 = 1;
