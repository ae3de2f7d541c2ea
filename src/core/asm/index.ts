/**
 * Public surface of the MIPS32 toolchain core (platform-free: no node:*, no console).
 *
 *   assemble(files, opts) → AssembleResult   (types.ts; plain data, safe to send over IPC)
 *   disassemble(word, pc) / disassembleBytes / formatListing
 *   readElf(bytes) → segments, entry, symbols (ours or GNU ld's)
 *   writeElf(segments, symbols, entry)
 */
export { assemble, formatDiagnostics, DEFAULT_TEXT_BASE, DEFAULT_DATA_BASE } from './assemble';
export { disassemble, disassembleBytes, formatListing, type DisasmLine, type DisasmOptions } from './disasm';
export { readElf, type ElfReadResult, type ElfSection } from './elf-read';
export { writeElf } from './elf-write';
export { DIRECTIVES, type DirectiveDoc } from './directives';
export { PSEUDO, type PseudoForm } from './pseudo';
export { syntaxOf } from './encode';
export type * from './types';
