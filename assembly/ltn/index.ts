// ltn kernels: see src/ltn/ for the facade.
export const LTN_KERNEL: i32 = 1;
