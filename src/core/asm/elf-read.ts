/**
 * ELF loader: reads a static ELF32 big-endian MIPS executable — ours or one linked by GNU ld —
 * into loadable segments (PT_LOAD, `.bss` zero-filled to memsz), the entry point and the symbol
 * table. Malformed input gives `{ ok: false, message }`, never an exception, and costs time and
 * memory in proportion to the file (see {@link ReadElfOptions}).
 */
import type { AsmSymbol, Segment } from './types';

/** A PT_LOAD segment: `bytes` holds p_memsz bytes (file bytes, then zeros); `paddr` is p_paddr
 * (the load address, which differs from vaddr for sections placed with the linker's AT());
 * `fileBytes` is p_filesz (the zero fill after it is `.bss`, which a disassembler skips). */
export interface ElfSegment extends Segment { paddr: number; fileBytes: number }

export interface ElfSection { name: string; type: number; addr: number; offset: number; size: number; flags: number }

export type ElfReadResult =
  | { ok: true; entry: number; segments: ElfSegment[]; sections: ElfSection[]; symbols: AsmSymbol[]; flags: number }
  | { ok: false; message: string };

/**
 * Limits that keep a crafted file from costing more than its size warrants. Every header is
 * checked against the file size and these limits *before* anything is allocated, so the work
 * and memory of `readElf` stay proportional to the file (plus the memory its segments declare,
 * which is bounded by `maxLoadBytes`).
 */
export interface ReadElfOptions {
  /**
   * Most bytes all PT_LOAD segments may declare together (Σ p_memsz) — pass the memory of the
   * machine the file is for. Default {@link MAX_ELF_LOAD_BYTES}.
   */
  maxLoadBytes?: number;
}

/** Default bound on Σ p_memsz: 512 MiB (more than the largest simulated machine's RAM). */
export const MAX_ELF_LOAD_BYTES = 512 << 20;
/** Most PT_LOAD segments in one file (a static executable has a handful). */
export const MAX_ELF_SEGMENTS = 1024;
/** Longest symbol or section name read [bytes]; a longer (or unterminated) name is malformed. */
export const MAX_ELF_NAME = 4096;

class Malformed { constructor(readonly message: string) {} }

export function readElf(bytes: Uint8Array, opts: ReadElfOptions = {}): ElfReadResult {
  try {
    return parse(bytes, opts.maxLoadBytes ?? MAX_ELF_LOAD_BYTES);
  } catch (e) {
    if (e instanceof Malformed) return { ok: false, message: e.message };
    throw e;
  }
}

function parse(b: Uint8Array, maxLoadBytes: number): ElfReadResult {
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
  /** A NUL-terminated name at `off` inside string table `tab` (bounded by the table and MAX_ELF_NAME). */
  const cstr = (tab: { offset: number; size: number } | undefined, off: number, what: string): string => {
    if (!tab || off === 0) return ''; // index 0: no name
    if (off >= tab.size) throw new Malformed(`${what} name offset outside its string table`);
    const start = tab.offset + off, end = Math.min(tab.offset + tab.size, b.length, start + MAX_ELF_NAME + 1);
    let i = start;
    while (i < end && b[i] !== 0) i++;
    if (i >= end) throw new Malformed(`${what} name not terminated within ${MAX_ELF_NAME} bytes of its string table`);
    return String.fromCharCode.apply(null, b.subarray(start, i) as unknown as number[]);
  };
  const shstr = shstrndx === 0 ? undefined : rawSh[shstrndx]; // SHN_UNDEF: sections have no names
  if (shstr) need(shstr.offset, shstr.size, 'section names');
  for (const s of rawSh) sections.push({ name: cstr(shstr, s.name, 'section'), type: s.type, addr: s.addr, offset: s.offset, size: s.size, flags: s.flags });
  const allocByAddr = new Map<number, ElfSection>();
  for (const s of sections) if (s.size && (s.flags & 2) && !allocByAddr.has(s.addr)) allocByAddr.set(s.addr, s);

  // Validate every program header against the file and the memory bound before allocating.
  if (phentsize < 32 && phnum) throw new Malformed('bad program header size');
  need(phoff, phnum * phentsize, 'program headers');
  const loads: { i: number; off: number; vaddr: number; paddr: number; filesz: number; memsz: number; f: number }[] = [];
  let total = 0;
  for (let i = 0; i < phnum; i++) {
    const o = phoff + i * phentsize;
    if (u32(o) !== 1) continue; // PT_LOAD only
    const off = u32(o + 4), vaddr = u32(o + 8), paddr = u32(o + 12), filesz = u32(o + 16), memsz = u32(o + 20), f = u32(o + 24);
    if (memsz < filesz) throw new Malformed('segment memsz < filesz');
    if (memsz > 0x10000000) throw new Malformed('segment larger than 256 MB');
    if (vaddr + memsz > 0x100000000) throw new Malformed(`segment at 0x${vaddr.toString(16)} wraps around the end of the address space`);
    need(off, filesz, 'segment data');
    if (loads.length >= MAX_ELF_SEGMENTS) throw new Malformed(`more than ${MAX_ELF_SEGMENTS} loadable segments`);
    total += memsz;
    if (total > maxLoadBytes) throw new Malformed(`loadable segments declare more memory than the ${+(maxLoadBytes / 1048576).toFixed(1)} MiB available`);
    loads.push({ i, off, vaddr, paddr, filesz, memsz, f });
  }
  const segments: ElfSegment[] = [];
  for (const { i, off, vaddr, paddr, filesz, memsz, f } of loads) {
    const bytes = new Uint8Array(memsz);
    bytes.set(b.subarray(off, off + filesz));
    const named = allocByAddr.get(vaddr);
    segments.push({ name: named?.name ?? `LOAD${i}`, vaddr, paddr, bytes, fileBytes: filesz, flags: { r: !!(f & 4), w: !!(f & 2), x: !!(f & 1) } });
  }

  const symbols: AsmSymbol[] = [];
  const symtab = rawSh.find((s) => s.type === 2);
  if (symtab) {
    const strtab = symtab.link === 0 ? undefined : rawSh[symtab.link];
    need(symtab.offset, symtab.size, 'symbol table');
    if (strtab) need(strtab.offset, strtab.size, 'symbol names');
    // Names may share bytes (suffix merging), but never cost more than max(16 MiB, 2 × their table).
    let nameBudget = Math.max(16 << 20, 2 * (strtab?.size ?? 0));
    for (let o = symtab.offset + 16; o + 16 <= symtab.offset + symtab.size; o += 16) {
      const name = cstr(strtab, u32(o), 'symbol');
      if ((nameBudget -= name.length) < 0) throw new Malformed('symbol names are longer in total than their string table allows');
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
