// stats kernels: see src/stats/ for the facade.
export const STATS_KERNEL: i32 = 1;
