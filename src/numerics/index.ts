/**
 * numerics: see the module's TSDoc.
 * @packageDocumentation
 */
export {};
