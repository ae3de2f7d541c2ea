/**
 * The executor's dispatch, driven by the instruction table (semantics.ts): op id = table row + 1
 * (0 = reserved instruction), `decodeOp` decodes a word through the table, `OP_PRIVILEGED`
 * marks the table's privileged rows, `SEMANTICS` holds each row's parsed `exec` template.
 */
export { SEMANTICS, OP_COUNT, OP_ID, OP_MNEMONIC, OP_PRIVILEGED, decodeOp } from './semantics';
