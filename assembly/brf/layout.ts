// Shared layout of the brf kernels (f64: index.ts, f32: f32.ts): model kinds and the call block.

/** Model kinds. */
export const BRF_KIND_BRF: i32 = 0;
export const BRF_KIND_RF: i32 = 1;
export const BRF_KIND_ALIF: i32 = 2;

// Call block (i32 slots), written by src/brf/model.ts before a shard's first phase and read by
// every phase of the f64 kernel below and of the f32 kernel (assembly/brf/f32.ts).
export const BRF_CB_KIND: i32 = 0;
export const BRF_CB_S: i32 = 1;
export const BRF_CB_T: i32 = 2;
export const BRF_CB_I: i32 = 3;
export const BRF_CB_H: i32 = 4;
export const BRF_CB_C: i32 = 5;
export const BRF_CB_X: i32 = 6;
export const BRF_CB_LABELS: i32 = 7;
export const BRF_CB_PARAMS: i32 = 8;
export const BRF_CB_GRAD: i32 = 9;
export const BRF_CB_CONSTS: i32 = 10;
export const BRF_CB_WS: i32 = 11;
export const BRF_CB_OUT: i32 = 12;
export const BRF_CB_INIT: i32 = 13;
export const BRF_CB_FIN: i32 = 14;
/** Slots of the call block. */
export const BRF_CB_SLOTS: i32 = 16;

