/**
 * The assembler's directives as pure data (no imports): the editor's completion and hover docs
 * read this list; `directive-handlers.ts` implements them. Keep the two in step (a test checks).
 */
export interface DirectiveDoc {
  name: string;
  syntax: string;
  description: string;
  /** Accepted for GNU as compatibility and ignored. */
  ignored?: boolean;
}

export const DIRECTIVES: readonly DirectiveDoc[] = [
  { name: '.text', syntax: '.text', description: 'Switch to the code section (default address 0x00400000).' },
  { name: '.data', syntax: '.data', description: 'Switch to the initialised data section (default address 0x10000000).' },
  { name: '.rdata', syntax: '.rdata', description: 'Switch to the read-only data section (placed after .text).' },
  { name: '.bss', syntax: '.bss', description: 'Switch to the zero-initialised section (placed after .data); only .space/.align/labels.' },
  { name: '.section', syntax: '.section name[, flags...]', description: 'Switch to .text, .data, .rdata (or .rodata) or .bss by name; flags are ignored.' },
  { name: '.previous', syntax: '.previous', description: 'Switch back to the section before the last switch.' },
  { name: '.globl', syntax: '.globl sym[, sym...]', description: 'Make symbols global: visible to the other input files and marked global in the ELF symbol table.' },
  { name: '.global', syntax: '.global sym[, sym...]', description: 'Same as .globl.' },
  { name: '.extern', syntax: '.extern sym', description: 'Declare a symbol defined in another file (accepted; undefined symbols are looked up globally anyway).', ignored: true },
  { name: '.word', syntax: '.word expr[, expr...]', description: '32-bit big-endian values; aligns to 4 first (moving a label just before it), as gas does.' },
  { name: '.half', syntax: '.half expr[, expr...]', description: '16-bit values; aligns to 2 first. Also .hword and .short.' },
  { name: '.hword', syntax: '.hword expr[, expr...]', description: 'Same as .half.' },
  { name: '.short', syntax: '.short expr[, expr...]', description: 'Same as .half.' },
  { name: '.byte', syntax: '.byte expr[, expr...]', description: '8-bit values.' },
  { name: '.ascii', syntax: '.ascii "str"[, "str"...]', description: 'String bytes without a terminator (escapes \\n \\t \\\\ \\" \\ooo \\xhh).' },
  { name: '.asciiz', syntax: '.asciiz "str"[, "str"...]', description: 'String bytes each followed by a NUL byte.' },
  { name: '.asciz', syntax: '.asciz "str"[, "str"...]', description: 'Same as .asciiz.' },
  { name: '.org', syntax: '.org offset[, fill]', description: 'Advance to `offset` bytes from the start of the section, filling (default 0); never backwards.' },
  { name: '.if', syntax: '.if expr', description: 'Assemble what follows (up to .elseif/.else/.endif) only if expr, a constant known at this point, is non-zero.' },
  { name: '.ifdef', syntax: '.ifdef sym', description: 'Assemble what follows only if sym is defined at this point.' },
  { name: '.ifndef', syntax: '.ifndef sym', description: 'Assemble what follows only if sym is not defined at this point.' },
  { name: '.elseif', syntax: '.elseif expr', description: 'Alternative branch of an .if.' },
  { name: '.else', syntax: '.else', description: 'Alternative branch of an .if.' },
  { name: '.endif', syntax: '.endif', description: 'End of an .if block. Macro definitions and .include are expanded before conditionals, so they are not skipped by them.' },
  { name: '.space', syntax: '.space n[, fill]', description: 'n bytes of fill (default 0). Also .skip.' },
  { name: '.skip', syntax: '.skip n[, fill]', description: 'Same as .space.' },
  { name: '.align', syntax: '.align n[, fill]', description: 'Pad to a multiple of 2^n bytes (zeros; in .text zero words are nops).' },
  { name: '.equ', syntax: '.equ sym, expr', description: 'Define (or redefine) a symbol as the value of an expression.' },
  { name: '.set', syntax: '.set sym, expr | .set option', description: 'With a symbol: like .equ (also `sym = expr`). Options: reorder (default: fill branch delay slots with nop), noreorder, at (default), noat, push, pop; mips32, macro, nomacro, volatile, novolatile, nomips16, nomicromips are accepted.' },
  { name: '.macro', syntax: '.macro name [param[=default], ...]', description: 'Define a macro up to .endm; \\param substitutes an argument, \\@ a per-expansion counter, \\() nothing.' },
  { name: '.endm', syntax: '.endm', description: 'End a macro definition.' },
  { name: '.include', syntax: '.include "file"', description: 'Assemble another file here (resolved by the caller, e.g. relative to the including file).' },
  { name: '.ent', syntax: '.ent sym', description: 'Function start marker (debug info in gas).', ignored: true },
  { name: '.end', syntax: '.end sym', description: 'Function end marker.', ignored: true },
  { name: '.type', syntax: '.type sym, @function', description: 'Symbol type.', ignored: true },
  { name: '.size', syntax: '.size sym, expr', description: 'Symbol size.', ignored: true },
  { name: '.file', syntax: '.file "name"', description: 'Source file name.', ignored: true },
  { name: '.frame', syntax: '.frame reg, size, reg', description: 'Stack frame description.', ignored: true },
  { name: '.mask', syntax: '.mask mask, offset', description: 'Saved-register mask.', ignored: true },
  { name: '.fmask', syntax: '.fmask mask, offset', description: 'Saved-FP-register mask.', ignored: true },
  { name: '.loc', syntax: '.loc file line', description: 'Debug line information.', ignored: true },
  { name: '.module', syntax: '.module option', description: 'Module options.', ignored: true },
  { name: '.abicalls', syntax: '.abicalls', description: 'PIC calling convention marker.', ignored: true },
  { name: '.option', syntax: '.option pic0', description: 'Assembler options.', ignored: true },
  { name: '.gnu_attribute', syntax: '.gnu_attribute tag, value', description: 'Object attributes.', ignored: true },
  { name: '.ident', syntax: '.ident "str"', description: 'Identification string.', ignored: true },
];
