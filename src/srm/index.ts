/**
 * Escape-noise spike-response (SRM) networks: the network, its likelihood and learning rules
 * (`./network.ts`) and the variational learner with hidden neurons (`./variational.ts`).
 * A barrel: the modules import each other only through their own files, never through it.
 * @packageDocumentation
 */
export * from './network.js';
export { type SrmDrawOptions, SrmVariational, type SrmVariationalEstimate, type SrmVariationalOptions } from './variational.js';
