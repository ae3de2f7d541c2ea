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
  /**
   * The instruction's behaviour, written once: the CPU generates both its interpreter and its
   * block compiler from these templates (src/core/machine/cpu/semantics.ts), so a new
   * instruction is one row. Statements separated by `;`, JavaScript expressions over int32:
   *
   * | form | meaning |
   * |---|---|
   * | `$rs` `$rt` `$rd` | value of the register named by the field (`$0` reads 0) |
   * | `$rd = e` `$rt = e` `$ra = e` | write a register (a write to `$0` is dropped); may follow `if (c) ` |
   * | `#rs` `#rt` `#rd` `#sel` | the field itself (a register or CP0 select number) |
   * | `$sa` `$imm` `$uimm` `$index` | shift amount, sign- / zero-extended immediate 15:0, instr_index 25:0 |
   * | `$ea` | effective address `($rs + $imm) \| 0` |
   * | `$pc` `$npc` | this instruction's address; the next one's (the delay slot after a branch) |
   * | `$hi` `$lo` | HI and LO (assignable) |
   * | `let x = e` | a temporary |
   * | `x = load8s(a)` `load8u` `load16s` `load16u` `load32` | a load (x: `$rt` or a temporary); may fault |
   * | `store8(a, v)` `store16` `store32` | a store; may fault |
   * | `call(helper, args…)` | the CPU's slow-path helper (swl/swr, ll/sc); may fault |
   * | `raise(Code)` `if (c) raise(Code)` | an exception (`Exc` name): nothing after it happens |
   * | `branch(c)` `jump(a)` | last statement: transfer to the branch target if `c` / to `a` after the delay slot (`delay`/`likely` from the row) |
   * | `mulhs(a, b)` `mulhu(a, b)` | high word of the signed / unsigned 64-bit product |
   *
   * Privileged rows run with the CPU's state saved and `cpu` in scope (after the CpU check,
   * which the row's `privileged` flag implies), end the batch, and say `next()` to continue
   * after the instruction.
   */
  readonly exec: string;
}
