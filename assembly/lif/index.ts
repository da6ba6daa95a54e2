// lif kernels: see src/lif/ for the facade.
export const LIF_KERNEL: i32 = 1;
