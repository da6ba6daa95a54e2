// fp kernels: see src/fp/ for the facade.
export const FP_KERNEL: i32 = 1;
