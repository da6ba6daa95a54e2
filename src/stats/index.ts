/**
 * stats: see the module's TSDoc.
 * @packageDocumentation
 */
export {};
