// The only export surface of the kernel. Flat C-style exports (i32/u32/f64/usize) only:
// no managed object crosses the boundary.
export { alloc, free, statusPtr } from './kernel';
export { philox4x32 } from './rng/philox';
export { fillNormals, fillNormalSteps, fillUniforms, normalAt, uniformAt } from './rng/normal';
export * from './lif/index';
export * from './fp/index';
export * from './brf/index';
export * from './srm/index';
export * from './ltn/index';
export * from './stats/index';
