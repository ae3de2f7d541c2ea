/**
 * The MIPS32 Release 1 integer instruction set plus the privileged instructions Disco
 * virtualises, as data (see `types.ts` for the entry shape and the field layouts).
 *
 * Source: MIPS32 Architecture for Programmers, Vol. II (MD00086), opcode tables A.2–A.9.
 * Pure data: imported by the decoder, executor, assembler, disassembler and the renderer's docs.
 */
import type { Category, InstructionSpec, OperandKind } from './types';

// --- encoding helpers: primary opcode 31:26, funct 5:0, rt 20:16 (REGIMM), rs 25:21 (COP0) ---
const OP = (op: number) => (op << 26) >>> 0;
const SPECIAL = (funct: number) => funct;
const REGIMM = (rt: number) => (OP(0x01) | (rt << 16)) >>> 0;
const SPECIAL2 = (funct: number) => (OP(0x1c) | funct) >>> 0;
const COP0_RS = (rs: number) => (OP(0x10) | (rs << 21)) >>> 0;
const COP0_CO = (funct: number) => (OP(0x10) | (1 << 25) | funct) >>> 0;

// Masks: which bits are fixed (opcode/funct plus fields that must be zero).
const M_OP = 0xfc000000;            // opcode only (I/J type)
const M_OP_RS0 = 0xffe00000;        // opcode, rs = 0            (lui)
const M_OP_RT = 0xfc1f0000;         // opcode, rt fixed          (REGIMM, blez/bgtz with rt = 0)
const M_R3 = 0xfc0007ff;            // opcode, sa = 0, funct     (rd, rs, rt)
const M_SHIFT = 0xffe0003f;         // opcode, rs = 0, funct     (sll rd, rt, sa)
const M_RS_ONLY = 0xfc1fffff;       // opcode, rt = rd = sa = 0  (jr, mthi, mtlo)
const M_RD_ONLY = 0xffff07ff;       // opcode, rs = rt = sa = 0  (mfhi, mflo)
const M_RS_RT = 0xfc00ffff;         // opcode, rd = sa = 0       (mult, div, madd)
const M_JALR = 0xfc1f07ff;          // opcode, rt = sa = 0
const M_CODE = 0xfc00003f;          // opcode, funct; code field free (syscall, break, traps)
const M_SYNC = 0xfffff83f;          // opcode, rs = rt = rd = 0, funct; stype free
const M_MFC0 = 0xffe007f8;          // opcode, rs, bits 10:3 = 0; sel 2:0 free
const M_FULL = 0xffffffff;
const M_WAIT = 0xfe00003f;          // COP0 CO, funct; code 24:6 free

interface Extra { delay?: 'branch' | 'likely'; links?: boolean; privileged?: boolean; tie?: 'rt=rd' }

function ins(mnemonic: string, match: number, mask: number, operands: OperandKind[], category: Category,
  description: string, operation: string, exec: string, extra: Extra = {}): InstructionSpec {
  return { mnemonic, match: match >>> 0, mask: mask >>> 0, operands, category, description, operation, exec,
    // every entry has every field (absent ones undefined): one object shape, so the decoder's
    // reads of them stay monomorphic in V8
    privileged: extra.privileged ?? false, delay: extra.delay, links: extra.links ? true : undefined, tie: extra.tie };
}

const B: Extra = { delay: 'branch' };
const BL: Extra = { delay: 'likely' };
const P: Extra = { privileged: true };

export const INSTRUCTIONS: readonly InstructionSpec[] = [
  // ---- arithmetic and logic (SPECIAL) ----
  ins('add', SPECIAL(0x20), M_R3, ['rd', 'rs', 'rt'], 'alu', 'Add word; traps on signed overflow', 'rd ← rs + rt; Overflow exception if the signed sum overflows', 'let s = ($rs + $rt) | 0; if ((($rs ^ s) & ($rt ^ s)) < 0) raise(Ov); $rd = s'),
  ins('addu', SPECIAL(0x21), M_R3, ['rd', 'rs', 'rt'], 'alu', 'Add unsigned word (no overflow trap)', 'rd ← rs + rt (mod 2^32)', '$rd = ($rs + $rt) | 0'),
  ins('sub', SPECIAL(0x22), M_R3, ['rd', 'rs', 'rt'], 'alu', 'Subtract word; traps on signed overflow', 'rd ← rs − rt; Overflow exception on signed overflow', 'let s = ($rs - $rt) | 0; if ((($rs ^ $rt) & ($rs ^ s)) < 0) raise(Ov); $rd = s'),
  ins('subu', SPECIAL(0x23), M_R3, ['rd', 'rs', 'rt'], 'alu', 'Subtract unsigned word (no overflow trap)', 'rd ← rs − rt (mod 2^32)', '$rd = ($rs - $rt) | 0'),
  ins('and', SPECIAL(0x24), M_R3, ['rd', 'rs', 'rt'], 'alu', 'Bitwise AND', 'rd ← rs AND rt', '$rd = $rs & $rt'),
  ins('or', SPECIAL(0x25), M_R3, ['rd', 'rs', 'rt'], 'alu', 'Bitwise OR', 'rd ← rs OR rt', '$rd = $rs | $rt'),
  ins('xor', SPECIAL(0x26), M_R3, ['rd', 'rs', 'rt'], 'alu', 'Bitwise exclusive OR', 'rd ← rs XOR rt', '$rd = $rs ^ $rt'),
  ins('nor', SPECIAL(0x27), M_R3, ['rd', 'rs', 'rt'], 'alu', 'Bitwise NOR', 'rd ← NOT (rs OR rt)', '$rd = ~($rs | $rt)'),
  ins('slt', SPECIAL(0x2a), M_R3, ['rd', 'rs', 'rt'], 'alu', 'Set on less than (signed)', 'rd ← (rs < rt) ? 1 : 0, signed', '$rd = $rs < $rt ? 1 : 0'),
  ins('sltu', SPECIAL(0x2b), M_R3, ['rd', 'rs', 'rt'], 'alu', 'Set on less than unsigned', 'rd ← (rs < rt) ? 1 : 0, unsigned', '$rd = ($rs >>> 0) < ($rt >>> 0) ? 1 : 0'),
  ins('movz', SPECIAL(0x0a), M_R3, ['rd', 'rs', 'rt'], 'alu', 'Move conditional on zero', 'if rt = 0 then rd ← rs', 'if ($rt === 0) $rd = $rs'),
  ins('movn', SPECIAL(0x0b), M_R3, ['rd', 'rs', 'rt'], 'alu', 'Move conditional on not zero', 'if rt ≠ 0 then rd ← rs', 'if ($rt !== 0) $rd = $rs'),

  // ---- shifts ----
  ins('sll', SPECIAL(0x00), M_SHIFT, ['rd', 'rt', 'sa'], 'shift', 'Shift left logical by a constant (sll $0,$0,0 is nop)', 'rd ← rt << sa', '$rd = $rt << $sa'),
  ins('srl', SPECIAL(0x02), M_SHIFT, ['rd', 'rt', 'sa'], 'shift', 'Shift right logical by a constant', 'rd ← rt >> sa (zero fill)', '$rd = $rt >>> $sa'),
  ins('sra', SPECIAL(0x03), M_SHIFT, ['rd', 'rt', 'sa'], 'shift', 'Shift right arithmetic by a constant', 'rd ← rt >> sa (sign fill)', '$rd = $rt >> $sa'),
  ins('sllv', SPECIAL(0x04), M_R3, ['rd', 'rt', 'rs'], 'shift', 'Shift left logical by a register amount', 'rd ← rt << rs[4:0]', '$rd = $rt << ($rs & 31)'),
  ins('srlv', SPECIAL(0x06), M_R3, ['rd', 'rt', 'rs'], 'shift', 'Shift right logical by a register amount', 'rd ← rt >> rs[4:0] (zero fill)', '$rd = $rt >>> ($rs & 31)'),
  ins('srav', SPECIAL(0x07), M_R3, ['rd', 'rt', 'rs'], 'shift', 'Shift right arithmetic by a register amount', 'rd ← rt >> rs[4:0] (sign fill)', '$rd = $rt >> ($rs & 31)'),

  // ---- multiply / divide, HI/LO ----
  ins('mult', SPECIAL(0x18), M_RS_RT, ['rs', 'rt'], 'muldiv', 'Multiply word (signed) into HI:LO', '(HI, LO) ← rs × rt, signed 64-bit product', 'let a = $rs, b = $rt; $lo = Math.imul(a, b); $hi = mulhs(a, b)'),
  ins('multu', SPECIAL(0x19), M_RS_RT, ['rs', 'rt'], 'muldiv', 'Multiply unsigned word into HI:LO', '(HI, LO) ← rs × rt, unsigned 64-bit product', 'let a = $rs, b = $rt; $lo = Math.imul(a, b); $hi = mulhu(a >>> 0, b >>> 0)'),
  ins('div', SPECIAL(0x1a), M_RS_RT, ['rs', 'rt'], 'muldiv', 'Divide word (signed): LO quotient, HI remainder', 'LO ← rs div rt; HI ← rs mod rt (unpredictable if rt = 0)', 'let a = $rs, b = $rt; if (b === 0 || (b === -1 && a === -0x80000000)) b = 1; $lo = (a / b) | 0; $hi = (a % b) | 0'),
  ins('divu', SPECIAL(0x1b), M_RS_RT, ['rs', 'rt'], 'muldiv', 'Divide unsigned word: LO quotient, HI remainder', 'LO ← rs div rt; HI ← rs mod rt, unsigned', 'let a = $rs >>> 0, b = $rt >>> 0; if (b === 0) b = 1; $lo = (a / b) | 0; $hi = (a % b) | 0'),
  ins('mfhi', SPECIAL(0x10), M_RD_ONLY, ['rd'], 'hilo', 'Move from HI', 'rd ← HI', '$rd = $hi'),
  ins('mthi', SPECIAL(0x11), M_RS_ONLY, ['rs'], 'hilo', 'Move to HI', 'HI ← rs', '$hi = $rs'),
  ins('mflo', SPECIAL(0x12), M_RD_ONLY, ['rd'], 'hilo', 'Move from LO', 'rd ← LO', '$rd = $lo'),
  ins('mtlo', SPECIAL(0x13), M_RS_ONLY, ['rs'], 'hilo', 'Move to LO', 'LO ← rs', '$lo = $rs'),
  ins('madd', SPECIAL2(0x00), M_RS_RT, ['rs', 'rt'], 'muldiv', 'Multiply and add to HI:LO (signed)', '(HI, LO) ← (HI, LO) + rs × rt', 'let a = $rs, b = $rt, l = ($lo >>> 0) + (Math.imul(a, b) >>> 0); $hi = ($hi + mulhs(a, b) + (l > 0xffffffff ? 1 : 0)) | 0; $lo = l | 0'),
  ins('maddu', SPECIAL2(0x01), M_RS_RT, ['rs', 'rt'], 'muldiv', 'Multiply and add to HI:LO (unsigned)', '(HI, LO) ← (HI, LO) + rs × rt, unsigned', 'let a = $rs, b = $rt, l = ($lo >>> 0) + (Math.imul(a, b) >>> 0); $hi = ($hi + mulhu(a >>> 0, b >>> 0) + (l > 0xffffffff ? 1 : 0)) | 0; $lo = l | 0'),
  ins('msub', SPECIAL2(0x04), M_RS_RT, ['rs', 'rt'], 'muldiv', 'Multiply and subtract from HI:LO (signed)', '(HI, LO) ← (HI, LO) − rs × rt', 'let a = $rs, b = $rt, l = ($lo >>> 0) - (Math.imul(a, b) >>> 0); $hi = ($hi - mulhs(a, b) - (l < 0 ? 1 : 0)) | 0; $lo = l | 0'),
  ins('msubu', SPECIAL2(0x05), M_RS_RT, ['rs', 'rt'], 'muldiv', 'Multiply and subtract from HI:LO (unsigned)', '(HI, LO) ← (HI, LO) − rs × rt, unsigned', 'let a = $rs, b = $rt, l = ($lo >>> 0) - (Math.imul(a, b) >>> 0); $hi = ($hi - mulhu(a >>> 0, b >>> 0) - (l < 0 ? 1 : 0)) | 0; $lo = l | 0'),
  ins('mul', SPECIAL2(0x02), M_R3, ['rd', 'rs', 'rt'], 'muldiv', 'Multiply word to register (HI, LO unpredictable)', 'rd ← (rs × rt)[31:0]', '$rd = Math.imul($rs, $rt)'),
  ins('clz', SPECIAL2(0x20), M_R3, ['rd', 'rs'], 'alu', 'Count leading zeros in word', 'rd ← number of leading 0 bits in rs', '$rd = Math.clz32($rs)', { tie: 'rt=rd' }),
  ins('clo', SPECIAL2(0x21), M_R3, ['rd', 'rs'], 'alu', 'Count leading ones in word', 'rd ← number of leading 1 bits in rs', '$rd = Math.clz32(~$rs)', { tie: 'rt=rd' }),

  // ---- immediate arithmetic (I-type) ----
  ins('addi', OP(0x08), M_OP, ['rt', 'rs', 'simm16'], 'alu', 'Add immediate; traps on signed overflow', 'rt ← rs + sign_extend(imm); Overflow exception on signed overflow', 'let s = ($rs + $imm) | 0; if ((($rs ^ s) & ($imm ^ s)) < 0) raise(Ov); $rt = s'),
  ins('addiu', OP(0x09), M_OP, ['rt', 'rs', 'simm16'], 'alu', 'Add immediate unsigned (no overflow trap)', 'rt ← rs + sign_extend(imm)', '$rt = ($rs + $imm) | 0'),
  ins('slti', OP(0x0a), M_OP, ['rt', 'rs', 'simm16'], 'alu', 'Set on less than immediate (signed)', 'rt ← (rs < sign_extend(imm)) ? 1 : 0', '$rt = $rs < $imm ? 1 : 0'),
  ins('sltiu', OP(0x0b), M_OP, ['rt', 'rs', 'simm16'], 'alu', 'Set on less than immediate unsigned (immediate is sign-extended, compare unsigned)', 'rt ← (rs < sign_extend(imm)) ? 1 : 0, unsigned', '$rt = ($rs >>> 0) < ($imm >>> 0) ? 1 : 0'),
  ins('andi', OP(0x0c), M_OP, ['rt', 'rs', 'uimm16'], 'alu', 'AND with zero-extended immediate', 'rt ← rs AND zero_extend(imm)', '$rt = $rs & $uimm'),
  ins('ori', OP(0x0d), M_OP, ['rt', 'rs', 'uimm16'], 'alu', 'OR with zero-extended immediate', 'rt ← rs OR zero_extend(imm)', '$rt = $rs | $uimm'),
  ins('xori', OP(0x0e), M_OP, ['rt', 'rs', 'uimm16'], 'alu', 'XOR with zero-extended immediate', 'rt ← rs XOR zero_extend(imm)', '$rt = $rs ^ $uimm'),
  ins('lui', OP(0x0f), M_OP_RS0, ['rt', 'uimm16'], 'alu', 'Load upper immediate', 'rt ← imm << 16', '$rt = $uimm << 16'),

  // ---- branches (delay slot; the target is relative to the delay slot) ----
  ins('beq', OP(0x04), M_OP, ['rs', 'rt', 'branch'], 'branch', 'Branch on equal', 'if rs = rt then branch', 'branch($rs === $rt)', B),
  ins('bne', OP(0x05), M_OP, ['rs', 'rt', 'branch'], 'branch', 'Branch on not equal', 'if rs ≠ rt then branch', 'branch($rs !== $rt)', B),
  ins('blez', OP(0x06), M_OP_RT, ['rs', 'branch'], 'branch', 'Branch on less than or equal to zero', 'if rs ≤ 0 then branch', 'branch($rs <= 0)', B),
  ins('bgtz', OP(0x07), M_OP_RT, ['rs', 'branch'], 'branch', 'Branch on greater than zero', 'if rs > 0 then branch', 'branch($rs > 0)', B),
  ins('bltz', REGIMM(0x00), M_OP_RT, ['rs', 'branch'], 'branch', 'Branch on less than zero', 'if rs < 0 then branch', 'branch($rs < 0)', B),
  ins('bgez', REGIMM(0x01), M_OP_RT, ['rs', 'branch'], 'branch', 'Branch on greater than or equal to zero', 'if rs ≥ 0 then branch', 'branch($rs >= 0)', B),
  ins('bltzal', REGIMM(0x10), M_OP_RT, ['rs', 'branch'], 'branch', 'Branch on less than zero and link', 'ra ← pc + 8; if rs < 0 then branch', 'let t = $rs < 0; $ra = ($pc + 8) | 0; branch(t)', { ...B, links: true }),
  ins('bgezal', REGIMM(0x11), M_OP_RT, ['rs', 'branch'], 'branch', 'Branch on greater than or equal to zero and link', 'ra ← pc + 8; if rs ≥ 0 then branch', 'let t = $rs >= 0; $ra = ($pc + 8) | 0; branch(t)', { ...B, links: true }),
  ins('beql', OP(0x14), M_OP, ['rs', 'rt', 'branch'], 'branch', 'Branch on equal likely (delay slot nullified if not taken)', 'if rs = rt then branch else skip delay slot', 'branch($rs === $rt)', BL),
  ins('bnel', OP(0x15), M_OP, ['rs', 'rt', 'branch'], 'branch', 'Branch on not equal likely', 'if rs ≠ rt then branch else skip delay slot', 'branch($rs !== $rt)', BL),
  ins('blezl', OP(0x16), M_OP_RT, ['rs', 'branch'], 'branch', 'Branch on less than or equal to zero likely', 'if rs ≤ 0 then branch else skip delay slot', 'branch($rs <= 0)', BL),
  ins('bgtzl', OP(0x17), M_OP_RT, ['rs', 'branch'], 'branch', 'Branch on greater than zero likely', 'if rs > 0 then branch else skip delay slot', 'branch($rs > 0)', BL),
  ins('bltzl', REGIMM(0x02), M_OP_RT, ['rs', 'branch'], 'branch', 'Branch on less than zero likely', 'if rs < 0 then branch else skip delay slot', 'branch($rs < 0)', BL),
  ins('bgezl', REGIMM(0x03), M_OP_RT, ['rs', 'branch'], 'branch', 'Branch on greater than or equal to zero likely', 'if rs ≥ 0 then branch else skip delay slot', 'branch($rs >= 0)', BL),
  ins('bltzall', REGIMM(0x12), M_OP_RT, ['rs', 'branch'], 'branch', 'Branch on less than zero and link likely', 'ra ← pc + 8; if rs < 0 then branch else skip delay slot', 'let t = $rs < 0; $ra = ($pc + 8) | 0; branch(t)', { ...BL, links: true }),
  ins('bgezall', REGIMM(0x13), M_OP_RT, ['rs', 'branch'], 'branch', 'Branch on greater than or equal to zero and link likely', 'ra ← pc + 8; if rs ≥ 0 then branch else skip delay slot', 'let t = $rs >= 0; $ra = ($pc + 8) | 0; branch(t)', { ...BL, links: true }),

  // ---- jumps ----
  ins('j', OP(0x02), M_OP, ['jtarget'], 'jump', 'Jump within the current 256 MB region', 'pc ← (pc + 4)[31:28] ‖ instr_index ‖ 00', 'jump(($npc & 0xf0000000) | ($index << 2))', B),
  ins('jal', OP(0x03), M_OP, ['jtarget'], 'jump', 'Jump and link', 'ra ← pc + 8; pc ← (pc + 4)[31:28] ‖ instr_index ‖ 00', '$ra = ($pc + 8) | 0; jump(($npc & 0xf0000000) | ($index << 2))', { ...B, links: true }),
  ins('jr', SPECIAL(0x08), M_RS_ONLY, ['rs'], 'jump', 'Jump register', 'pc ← rs', 'jump($rs)', B),
  ins('jalr', SPECIAL(0x09), M_JALR, ['rd', 'rs'], 'jump', 'Jump and link register (`jalr rs` links $ra)', 'rd ← pc + 8; pc ← rs', 'let t = $rs; $rd = ($pc + 8) | 0; jump(t)', B),

  // ---- loads and stores (effective address = base + sign_extend(offset)) ----
  ins('lb', OP(0x20), M_OP, ['rt', 'mem'], 'load', 'Load byte (sign-extended)', 'rt ← sign_extend(mem8[ea])', '$rt = load8s($ea)'),
  ins('lbu', OP(0x24), M_OP, ['rt', 'mem'], 'load', 'Load byte unsigned', 'rt ← zero_extend(mem8[ea])', '$rt = load8u($ea)'),
  ins('lh', OP(0x21), M_OP, ['rt', 'mem'], 'load', 'Load halfword (sign-extended); ea must be 2-aligned', 'rt ← sign_extend(mem16[ea])', '$rt = load16s($ea)'),
  ins('lhu', OP(0x25), M_OP, ['rt', 'mem'], 'load', 'Load halfword unsigned; ea must be 2-aligned', 'rt ← zero_extend(mem16[ea])', '$rt = load16u($ea)'),
  ins('lw', OP(0x23), M_OP, ['rt', 'mem'], 'load', 'Load word; ea must be 4-aligned', 'rt ← mem32[ea]', '$rt = load32($ea)'),
  ins('lwl', OP(0x22), M_OP, ['rt', 'mem'], 'load', 'Load word left (unaligned, most-significant part)', 'merge the bytes from ea to the end of its word into the high end of rt', 'let k = $ea & 3; let v = load32($ea & ~3); $rt = (v << (8 * k)) | ($rt & ((1 << (8 * k)) - 1))'),
  ins('lwr', OP(0x26), M_OP, ['rt', 'mem'], 'load', 'Load word right (unaligned, least-significant part)', 'merge the bytes from the start of ea\'s word to ea into the low end of rt', 'let k = $ea & 3; let v = load32($ea & ~3); $rt = k === 3 ? v : (v >>> (8 * (3 - k))) | ($rt & ~(0xffffffff >>> (8 * (3 - k))))'),
  ins('ll', OP(0x30), M_OP, ['rt', 'mem'], 'load', 'Load linked word (starts an atomic read-modify-write)', 'rt ← mem32[ea]; LLbit ← 1', 'call(llsc, false, $ea, #rt)'),
  ins('sb', OP(0x28), M_OP, ['rt', 'mem'], 'store', 'Store byte', 'mem8[ea] ← rt[7:0]', 'store8($ea, $rt)'),
  ins('sh', OP(0x29), M_OP, ['rt', 'mem'], 'store', 'Store halfword; ea must be 2-aligned', 'mem16[ea] ← rt[15:0]', 'store16($ea, $rt)'),
  ins('sw', OP(0x2b), M_OP, ['rt', 'mem'], 'store', 'Store word; ea must be 4-aligned', 'mem32[ea] ← rt', 'store32($ea, $rt)'),
  ins('swl', OP(0x2a), M_OP, ['rt', 'mem'], 'store', 'Store word left (unaligned, most-significant part)', 'store the high end of rt into the bytes from ea to the end of its word', 'call(swlr, true, $ea, $rt)'),
  ins('swr', OP(0x2e), M_OP, ['rt', 'mem'], 'store', 'Store word right (unaligned, least-significant part)', 'store the low end of rt into the bytes from the start of ea\'s word to ea', 'call(swlr, false, $ea, $rt)'),
  ins('sc', OP(0x38), M_OP, ['rt', 'mem'], 'store', 'Store conditional word (completes an atomic read-modify-write)', 'if LLbit then mem32[ea] ← rt; rt ← LLbit', 'call(llsc, true, $ea, #rt)'),
  ins('pref', OP(0x33), M_OP, ['cacheop', 'mem'], 'cache', 'Prefetch (a hint; no architectural effect)', 'no-op', ''),
  ins('sync', SPECIAL(0x0f), M_SYNC, ['stype'], 'system', 'Order loads and stores (memory barrier)', 'complete all earlier loads and stores before later ones', ''),

  // ---- traps, system calls ----
  ins('syscall', SPECIAL(0x0c), M_CODE, ['code20'], 'system', 'System call exception', 'SignalException(SystemCall)', 'raise(Sys)'),
  ins('break', SPECIAL(0x0d), M_CODE, ['brkcode'], 'system', 'Breakpoint exception', 'SignalException(Breakpoint)', 'raise(Bp)'),
  ins('tge', SPECIAL(0x30), M_CODE, ['rs', 'rt', 'trapcode'], 'trap', 'Trap if greater or equal (signed)', 'if rs ≥ rt then Trap', 'if ($rs >= $rt) raise(Tr)'),
  ins('tgeu', SPECIAL(0x31), M_CODE, ['rs', 'rt', 'trapcode'], 'trap', 'Trap if greater or equal unsigned', 'if rs ≥ rt (unsigned) then Trap', 'if (($rs >>> 0) >= ($rt >>> 0)) raise(Tr)'),
  ins('tlt', SPECIAL(0x32), M_CODE, ['rs', 'rt', 'trapcode'], 'trap', 'Trap if less than (signed)', 'if rs < rt then Trap', 'if ($rs < $rt) raise(Tr)'),
  ins('tltu', SPECIAL(0x33), M_CODE, ['rs', 'rt', 'trapcode'], 'trap', 'Trap if less than unsigned', 'if rs < rt (unsigned) then Trap', 'if (($rs >>> 0) < ($rt >>> 0)) raise(Tr)'),
  ins('teq', SPECIAL(0x34), M_CODE, ['rs', 'rt', 'trapcode'], 'trap', 'Trap if equal', 'if rs = rt then Trap', 'if ($rs === $rt) raise(Tr)'),
  ins('tne', SPECIAL(0x36), M_CODE, ['rs', 'rt', 'trapcode'], 'trap', 'Trap if not equal', 'if rs ≠ rt then Trap', 'if ($rs !== $rt) raise(Tr)'),
  ins('tgei', REGIMM(0x08), M_OP_RT, ['rs', 'simm16'], 'trap', 'Trap if greater or equal immediate', 'if rs ≥ sign_extend(imm) then Trap', 'if ($rs >= $imm) raise(Tr)'),
  ins('tgeiu', REGIMM(0x09), M_OP_RT, ['rs', 'simm16'], 'trap', 'Trap if greater or equal immediate unsigned', 'if rs ≥ sign_extend(imm) (unsigned) then Trap', 'if (($rs >>> 0) >= ($imm >>> 0)) raise(Tr)'),
  ins('tlti', REGIMM(0x0a), M_OP_RT, ['rs', 'simm16'], 'trap', 'Trap if less than immediate', 'if rs < sign_extend(imm) then Trap', 'if ($rs < $imm) raise(Tr)'),
  ins('tltiu', REGIMM(0x0b), M_OP_RT, ['rs', 'simm16'], 'trap', 'Trap if less than immediate unsigned', 'if rs < sign_extend(imm) (unsigned) then Trap', 'if (($rs >>> 0) < ($imm >>> 0)) raise(Tr)'),
  ins('teqi', REGIMM(0x0c), M_OP_RT, ['rs', 'simm16'], 'trap', 'Trap if equal immediate', 'if rs = sign_extend(imm) then Trap', 'if ($rs === $imm) raise(Tr)'),
  ins('tnei', REGIMM(0x0e), M_OP_RT, ['rs', 'simm16'], 'trap', 'Trap if not equal immediate', 'if rs ≠ sign_extend(imm) then Trap', 'if ($rs !== $imm) raise(Tr)'),

  // ---- privileged: CP0 access, TLB, exception return, idle, cache (trap under Disco) ----
  ins('mfc0', COP0_RS(0x00), M_MFC0, ['rt', 'c0reg', 'sel'], 'cp0', 'Move from a CP0 register', 'rt ← CP0[rd, sel]', 'if (#rt !== 0) cpu.r[#rt] = cpu.readCp0(#rd, #sel); next()', P),
  ins('mtc0', COP0_RS(0x04), M_MFC0, ['rt', 'c0reg', 'sel'], 'cp0', 'Move to a CP0 register', 'CP0[rd, sel] ← rt', 'cpu.writeCp0(#rd, #sel, cpu.r[#rt]); next()', P),
  ins('tlbr', COP0_CO(0x01), M_FULL, [], 'tlb', 'Read the TLB entry at Index into EntryHi/EntryLo0/EntryLo1/PageMask', '(EntryHi, EntryLo0, EntryLo1, PageMask) ← TLB[Index]', 'cpu.tlbRead(); next()', P),
  ins('tlbwi', COP0_CO(0x02), M_FULL, [], 'tlb', 'Write the TLB entry at Index', 'TLB[Index] ← (EntryHi, EntryLo0, EntryLo1, PageMask)', 'cpu.writeTlbEntry(cpu.index & 63, cpu.entryHi, cpu.entryLo0, cpu.entryLo1, cpu.pageMask); next()', P),
  ins('tlbwr', COP0_CO(0x06), M_FULL, [], 'tlb', 'Write the TLB entry at Random', 'TLB[Random] ← (EntryHi, EntryLo0, EntryLo1, PageMask)', 'cpu.writeTlbEntry(cpu.randomValue(), cpu.entryHi, cpu.entryLo0, cpu.entryLo1, cpu.pageMask); next()', P),
  ins('tlbp', COP0_CO(0x08), M_FULL, [], 'tlb', 'Probe the TLB for EntryHi; sets Index (P bit on a miss)', 'Index ← matching entry, or Index.P ← 1', 'cpu.tlb.probe(cpu); next()', P),
  ins('eret', COP0_CO(0x18), M_FULL, [], 'cp0', 'Return from exception (no delay slot; clears LLbit)', 'if ERL then pc ← ErrorEPC, ERL ← 0 else pc ← EPC, EXL ← 0', 'cpu.eret()', P),
  ins('wait', COP0_CO(0x20), M_WAIT, ['waitcode'], 'cp0', 'Enter the low-power wait state until an interrupt', 'stall until an interrupt is pending', 'cpu.state = \'waiting\'; next()', P),
  ins('cache', OP(0x2f), M_OP, ['cacheop', 'mem'], 'cache', 'Perform a cache operation', 'CacheOp(op, ea)', 'next()', P),
];

/** Table entries by mnemonic (each mnemonic appears once). */
export const BY_MNEMONIC: ReadonlyMap<string, InstructionSpec> = new Map(INSTRUCTIONS.map((s) => [s.mnemonic, s]));
