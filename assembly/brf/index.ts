// brf kernels: see src/brf/ for the facade.
export const BRF_KERNEL: i32 = 1;
