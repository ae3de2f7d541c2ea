/**
 * The shape of one MIPS32 instruction as data. One table of these (`table.ts`) feeds the decoder,
 * the CPU's executor dispatch, the assembler, the disassembler and the editor's hover docs.
 *
 * Encoding fields of a 32-bit instruction word (MIPS32 Vol. II, "Instruction Formats"):
 *
 *   R: | opcode 31:26 | rs 25:21 | rt 20:16 | rd 15:11 | sa 10:6 | funct 5:0 |
 *   I: | opcode 31:26 | rs 25:21 | rt 20:16 |        immediate 15:0          |
 *   J: | opcode 31:26 |                 instr_index 25:0                       |
 *
 * An instruction word `w` is this instruction iff `(w & mask) >>> 0 === match`. Bits covered by
 * the mask and not by an operand are fixed (opcode, funct, and fields the ISA requires to be zero).
 */

/**
 * How an operand is written in assembly and which encoding field(s) it fills.
 *
 * | kind      | syntax           | field(s)                                   |
 * |-----------|------------------|--------------------------------------------|
 * | `rd` `rs` `rt` | `$t0`, `$8` | the named 5-bit register field            |
 * | `sa`      | `5`              | sa, 10:6, 0..31                            |
 * | `simm16`  | `-4`             | immediate 15:0, signed −32768..32767       |
 * | `uimm16`  | `0xffff`         | immediate 15:0, unsigned 0..65535          |
 * | `mem`     | `8($sp)`         | offset = immediate 15:0 (signed), base = rs|
 * | `branch`  | `label`          | immediate 15:0 = (target − (pc + 4)) >> 2  |
 * | `jtarget` | `label`          | instr_index 25:0 = (target >> 2) & 0x3ffffff, same 256 MB region as pc + 4 |
 * | `code20`  | `[n]`            | syscall code 25:6 (optional, default 0)    |
 * | `brkcode` | `[n[, m]]`       | break code: n in 25:16, m in 15:6 (optional)|
 * | `trapcode`| `[n]`            | trap code 15:6 (optional, default 0)       |
 * | `c0reg`   | `$12`            | rd, 15:11: a CP0 register number           |
 * | `sel`     | `[n]`            | sel 2:0 (optional, default 0)              |
 * | `cacheop` | `0x15`           | rt, 20:16: cache operation (also `pref` hint) |
 * | `stype`   | `[n]`            | sa 10:6 (sync type, optional, default 0)   |
 * | `waitcode`| `[n]`            | implementation-defined code 24:6 (optional)|
 */
export type OperandKind =
  | 'rd' | 'rs' | 'rt' | 'sa'
  | 'simm16' | 'uimm16' | 'mem' | 'branch' | 'jtarget'
  | 'code20' | 'brkcode' | 'trapcode'
  | 'c0reg' | 'sel' | 'cacheop' | 'stype' | 'waitcode';

/** Operand kinds that may be omitted at the end of an operand list. */
export const OPTIONAL_OPERANDS: ReadonlySet<OperandKind> = new Set<OperandKind>(['code20', 'brkcode', 'trapcode', 'sel', 'stype', 'waitcode']);

export type Category =
  | 'alu' | 'shift' | 'muldiv' | 'hilo' | 'branch' | 'jump' | 'load' | 'store'
  | 'trap' | 'system' | 'cp0' | 'tlb' | 'cache';

export interface InstructionSpec {
  /** Lower-case mnemonic as GNU as writes it. */
  readonly mnemonic: string;
  /** Fixed bits (see the file comment). */
  readonly match: number;
  readonly mask: number;
  /** Operands in assembly order. */
  readonly operands: readonly OperandKind[];
  /** One-line description for docs and hovers. */
  readonly description: string;
  /** Pseudo-code of the operation, for hover docs (MIPS32 Vol. II style, abridged). */
  readonly operation: string;
  readonly category: Category;
  /**
   * Privileged: needs CP0 access (kernel mode, or Status.CU0). In supervisor or user mode it
   * raises a Coprocessor Unusable exception — so under Disco, where the guest kernel runs in
   * supervisor mode, every execution of it traps to the monitor and is emulated.
   */
  readonly privileged: boolean;
  /** Control transfer with a delay slot; `likely` nullifies the slot when not taken. */
  readonly delay?: 'branch' | 'likely';
  /** Encoding ties: `clz`/`clo` write rd into rt as well (MIPS32 R1 requires rt = rd). */
  readonly tie?: 'rt=rd';
  /** Register written by a linking branch/jump other than via rd (`jal`, `bgezal`, ...). */
  readonly links?: boolean;
}
