/**
 * The executor's dispatch table (defined in `core.ts` next to the interpreter so the op ids are
 * inlined into its switch): `SEMANTICS` maps every mnemonic of `isa/table.ts` to its handler id,
 * `decodeOp` decodes a word through the table, `OP_PRIVILEGED` marks the table's privileged ops.
 */
export { Op, SEMANTICS, OP_COUNT, OP_MNEMONIC, OP_PRIVILEGED, decodeOp } from './core';
