/**
 * ELF loader: reads a static ELF32 big-endian MIPS executable — ours or one linked by GNU ld —
 * into loadable segments (PT_LOAD, `.bss` zero-filled to memsz), the entry point and the symbol
 * table. Malformed input gives `{ ok: false, message }`, never an exception.
 */
import type { AsmSymbol, Segment } from './types';

/** A PT_LOAD segment: `bytes` holds p_memsz bytes (file bytes, then zeros); `paddr` is p_paddr
 * (the load address, which differs from vaddr for sections placed with the linker's AT()). */
export interface ElfSegment extends Segment { paddr: number }

export interface ElfSection { name: string; type: number; addr: number; offset: number; size: number; flags: number }

export type ElfReadResult =
  | { ok: true; entry: number; segments: ElfSegment[]; sections: ElfSection[]; symbols: AsmSymbol[]; flags: number }
  | { ok: false; message: string };

class Malformed { constructor(readonly message: string) {} }

export function readElf(bytes: Uint8Array): ElfReadResult {
  try {
    return parse(bytes);
  } catch (e) {
    if (e instanceof Malformed) return { ok: false, message: e.message };
    throw e;
  }
}

function parse(b: Uint8Array): ElfReadResult {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const need = (off: number, n: number, what: string) => { if (off < 0 || n < 0 || off + n > b.length) throw new Malformed(`truncated ELF file (${what})`); };
  if (b.length < 4 || b[0] !== 0x7f || b[1] !== 0x45 || b[2] !== 0x4c || b[3] !== 0x46) return { ok: false, message: 'not an ELF file' };
  need(0, 52, 'header');
  if (b[4] !== 1) return { ok: false, message: 'not a 32-bit ELF file' };
  if (b[5] !== 2) return { ok: false, message: 'not a big-endian ELF file' };
  const u16 = (o: number) => { need(o, 2, 'field'); return dv.getUint16(o); };
  const u32 = (o: number) => { need(o, 4, 'field'); return dv.getUint32(o); };
  const type = u16(16), machine = u16(18);
  if (machine !== 8) return { ok: false, message: `not a MIPS ELF file (e_machine ${machine})` };
  if (type !== 2) return { ok: false, message: `not an executable (e_type ${type}); link it first` };
  const entry = u32(24), phoff = u32(28), shoff = u32(32), flags = u32(36);
  const phentsize = u16(42), phnum = u16(44), shentsize = u16(46), shnum = u16(48), shstrndx = u16(50);

  const sections: ElfSection[] = [];
  const rawSh: { name: number; type: number; flags: number; addr: number; offset: number; size: number; link: number }[] = [];
  if (shoff && shnum) {
    if (shentsize < 40) throw new Malformed('bad section header size');
    need(shoff, shnum * shentsize, 'section headers');
    for (let i = 0; i < shnum; i++) {
      const o = shoff + i * shentsize;
      rawSh.push({ name: u32(o), type: u32(o + 4), flags: u32(o + 8), addr: u32(o + 12), offset: u32(o + 16), size: u32(o + 20), link: u32(o + 24) });
    }
  }
  const cstr = (off: number): string => {
    let s = '';
    for (let i = off; i < b.length && b[i] !== 0; i++) s += String.fromCharCode(b[i]);
    return s;
  };
  const shstr = rawSh[shstrndx];
  for (const s of rawSh) sections.push({ name: shstr ? cstr(shstr.offset + s.name) : '', type: s.type, addr: s.addr, offset: s.offset, size: s.size, flags: s.flags });

  const segments: ElfSegment[] = [];
  if (phentsize < 32 && phnum) throw new Malformed('bad program header size');
  need(phoff, phnum * phentsize, 'program headers');
  for (let i = 0; i < phnum; i++) {
    const o = phoff + i * phentsize;
    if (u32(o) !== 1) continue; // PT_LOAD only
    const off = u32(o + 4), vaddr = u32(o + 8), paddr = u32(o + 12), filesz = u32(o + 16), memsz = u32(o + 20), f = u32(o + 24);
    if (memsz < filesz) throw new Malformed('segment memsz < filesz');
    if (memsz > 0x10000000) throw new Malformed('segment larger than 256 MB');
    need(off, filesz, 'segment data');
    const bytes = new Uint8Array(memsz);
    bytes.set(b.subarray(off, off + filesz));
    const named = sections.find((s) => s.addr === vaddr && s.size && (s.flags & 2));
    segments.push({ name: named?.name ?? `LOAD${i}`, vaddr, paddr, bytes, flags: { r: !!(f & 4), w: !!(f & 2), x: !!(f & 1) } });
  }

  const symbols: AsmSymbol[] = [];
  const symtab = rawSh.find((s) => s.type === 2);
  if (symtab) {
    const strtab = rawSh[symtab.link];
    need(symtab.offset, symtab.size, 'symbol table');
    for (let o = symtab.offset + 16; o + 16 <= symtab.offset + symtab.size; o += 16) {
      const name = strtab ? cstr(strtab.offset + u32(o)) : '';
      const info = b[o + 12], shndx = u16(o + 14);
      const stype = info & 15;
      if (!name || stype === 3 || stype === 4) continue; // section, file symbols
      const sec = shndx > 0 && shndx < 0xff00 ? sections[shndx]?.name : undefined;
      const section = sec === '.text' || sec === '.rdata' || sec === '.data' || sec === '.bss' ? sec : undefined;
      symbols.push({ name, value: u32(o + 4), kind: shndx === 0xfff1 ? 'equ' : 'label', ...(section ? { section } : {}), global: info >> 4 === 1, file: '', line: 0 });
    }
  }
  return { ok: true, entry, segments, sections, symbols, flags };
}
