/**
 * lif: see the module's TSDoc.
 * @packageDocumentation
 */
export {};
