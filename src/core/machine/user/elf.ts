/**
 * Minimal ELF32 big-endian MIPS reader: entry point, PT_LOAD segments and the symbol table
 * (for fault reports: pc → nearest symbol). Malformed input is a value (`ElfError`), not a throw.
 */

export interface ElfSegment {
  vaddr: number;
  /** Load (physical) address, p_paddr: differs from vaddr for sections placed with AT(). */
  paddr: number;
  memSize: number;
  /** File bytes (length = p_filesz); the rest up to memSize is zero (bss). */
  data: Uint8Array;
  readable: boolean;
  writable: boolean;
  executable: boolean;
}

export interface ElfSymbol { name: string; value: number; size: number; isFunction: boolean }

export interface ElfImage {
  entry: number;
  segments: ElfSegment[];
  symbols: ElfSymbol[];
}

export interface ElfError { error: string }

const PT_LOAD = 1;
/** Symbols the linker defines at section boundaries: never the best name for a pc. */
const LINKER_SYMBOLS = new Set(['_ftext', '_fdata', '_fbss', '_etext', '_edata', '_end', '_gp', '_gp_disp', '__bss_start', '_DYNAMIC', '_GLOBAL_OFFSET_TABLE_', '_fini', '_init']);

export function parseElf(bytes: Uint8Array): ElfImage | ElfError {
  if (bytes.length < 52 || bytes[0] !== 0x7f || bytes[1] !== 0x45 || bytes[2] !== 0x4c || bytes[3] !== 0x46) return { error: 'not an ELF file' };
  if (bytes[4] !== 1) return { error: 'not a 32-bit ELF file' };
  if (bytes[5] !== 2) return { error: 'not a big-endian ELF file (Disco Lab simulates big-endian MIPS)' };
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u16 = (o: number) => dv.getUint16(o, false);
  const u32 = (o: number) => dv.getUint32(o, false);
  if (u16(18) !== 8) return { error: `not a MIPS ELF file (e_machine ${u16(18)})` };
  const entry = u32(24), phoff = u32(28), shoff = u32(32), phentsize = u16(42), phnum = u16(44);
  const shentsize = u16(46), shnum = u16(48);
  const segments: ElfSegment[] = [];
  for (let i = 0; i < phnum; i++) {
    const o = phoff + i * phentsize;
    if (o + 32 > bytes.length) return { error: 'truncated program header' };
    if (u32(o) !== PT_LOAD) continue;
    const off = u32(o + 4), vaddr = u32(o + 8), paddr = u32(o + 12), filesz = u32(o + 16), memsz = u32(o + 20), flags = u32(o + 24);
    if (off + filesz > bytes.length) return { error: 'truncated segment' };
    segments.push({
      vaddr, paddr, memSize: Math.max(memsz, filesz), data: bytes.slice(off, off + filesz),
      executable: (flags & 1) !== 0, writable: (flags & 2) !== 0, readable: (flags & 4) !== 0,
    });
  }
  const symbols: ElfSymbol[] = [];
  if (shoff !== 0 && shoff + shnum * shentsize <= bytes.length) {
    for (let i = 0; i < shnum; i++) {
      const o = shoff + i * shentsize;
      if (u32(o + 4) !== 2) continue;  // SHT_SYMTAB
      const symOff = u32(o + 16), symSize = u32(o + 20), link = u32(o + 24), entsize = u32(o + 36) || 16;
      const so = shoff + link * shentsize;
      const strOff = u32(so + 16), strSize = u32(so + 20);
      for (let s = symOff; s + 16 <= symOff + symSize && s + 16 <= bytes.length; s += entsize) {
        const nameOff = u32(s), value = u32(s + 4), size = u32(s + 8), info = bytes[s + 12], shndx = u16(s + 14);
        if (nameOff === 0 || shndx === 0) continue;
        const type = info & 15;
        if (type !== 0 && type !== 2) continue;  // NOTYPE (labels) or FUNC
        let end = strOff + nameOff;
        while (end < strOff + strSize && bytes[end] !== 0) end++;
        let name = '';
        for (let k = strOff + nameOff; k < end; k++) name += String.fromCharCode(bytes[k]);
        if (name.startsWith('$') || name === '' || LINKER_SYMBOLS.has(name)) continue;
        symbols.push({ name, value, size, isFunction: type === 2 });
      }
    }
  }
  symbols.sort((a, b) => a.value - b.value);
  return { entry, segments, symbols };
}

/** `name+0xoff` of the nearest symbol at or below `addr`, or undefined. */
export function symbolize(symbols: readonly ElfSymbol[], addr: number): string | undefined {
  let best: ElfSymbol | undefined;
  for (const s of symbols) { if (s.value <= addr >>> 0) best = s; else break; }
  if (!best) return undefined;
  const off = (addr >>> 0) - best.value;
  return off === 0 ? best.name : `${best.name}+0x${off.toString(16)}`;
}
