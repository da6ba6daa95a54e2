/**
 * srm: see the module's TSDoc.
 * @packageDocumentation
 */
export {};
