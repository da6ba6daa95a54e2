/**
 * Escape-noise spike-response (SRM) networks: the network, its likelihood and learning rules
 * (`./network.ts`) and the variational learner with hidden neurons (`./variational.ts`).
 * A barrel: the modules import each other only through their own files, never through it.
 * @packageDocumentation
 */
export * from './network.js';
export {
  type SrmBoundOptions,
  type SrmDrawOptions,
  type SrmLearnStepOptions,
  SrmVariational,
  type SrmVariationalBound,
  type SrmVariationalEstimate,
  type SrmVariationalOptions,
  type SrmVariationalStep,
} from './variational.js';
