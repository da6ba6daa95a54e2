/**
 * brf: balanced resonate-and-fire (BRF), resonate-and-fire (RF) and ALIF recurrent spiking
 * networks trained by BPTT with surrogate gradients (seed 002). See docs/brf.md.
 * @packageDocumentation
 */
export * from './data.js';
export * from './landscape.js';
export * from './model.js';
export * from './neuron.js';
export * from './reference.js';
export * from './train.js';
