/**
 * Trap-and-emulate of a guest kernel's uncached (kseg1) accesses. In hardware supervisor mode
 * kseg1 is unreachable, so a driver's `lw`/`sw` to 0xBF00xxxx raises AdEL/AdES; the monitor
 * decodes the instruction (this file), performs it against the VM's virtual device or its own
 * guest-physical RAM (0xA0000000 + gpa, through the pmap), and continues after it.
 */
export interface MemAccess { store: boolean; size: 1 | 2 | 4; signed: boolean; rt: number; ea: number; ll?: boolean; sc?: boolean }

const OPS: Readonly<Record<number, Omit<MemAccess, 'rt' | 'ea'>>> = {
  0x20: { store: false, size: 1, signed: true },   // lb
  0x21: { store: false, size: 2, signed: true },   // lh
  0x23: { store: false, size: 4, signed: true },   // lw
  0x24: { store: false, size: 1, signed: false },  // lbu
  0x25: { store: false, size: 2, signed: false },  // lhu
  0x28: { store: true, size: 1, signed: false },   // sb
  0x29: { store: true, size: 2, signed: false },   // sh
  0x2b: { store: true, size: 4, signed: false },   // sw
  0x30: { store: false, size: 4, signed: true, ll: true },   // ll (a kseg0 kernel's spinlocks)
  0x38: { store: true, size: 4, signed: false, sc: true },   // sc
};

/** Decodes a plain load/store or ll/sc (others — lwl/lwr/swl/swr — are not emulated: undefined). */
export function decodeMemAccess(word: number, regs: Int32Array): MemAccess | undefined {
  const op = OPS[word >>> 26];
  if (!op) return undefined;
  const rs = (word >>> 21) & 31;
  return { ...op, rt: (word >>> 16) & 31, ea: (regs[rs] + ((word << 16) >> 16)) >>> 0 };
}
