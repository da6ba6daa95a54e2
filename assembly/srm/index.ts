// srm kernels: see src/srm/ for the facade.
export const SRM_KERNEL: i32 = 1;
