/**
 * ELF32 big-endian MIPS executable writer (static, no relocations). Layout:
 *   ELF header · program headers · padding · loadable bytes (file offset ≡ vaddr mod 4096, so
 *   loaders can mmap them) · .symtab · .strtab · .shstrtab · section headers
 * Two PT_LOAD headers: `.text`+`.rdata` (R X) and `.data`+`.bss` (R W, `.bss` as memsz beyond
 * filesz). e_flags = 0x50001000 (EF_MIPS_ARCH_32 | EF_MIPS_ABI_O32), as GNU ld writes for
 * `-march=mips32` objects. Symbols: labels with their section index, constants as SHN_ABS.
 */
import type { AsmSymbol, Segment } from './types';

const PAGE = 0x1000;
const SHN_ABS = 0xfff1;

/**
 * The output file. Written twice: first without a buffer (`bytes` undefined) to learn the exact
 * length, then into one buffer of that length — no doubling and copying of large programs.
 */
class Out {
  readonly dv?: DataView;
  len = 0;
  constructor(readonly bytes?: Uint8Array) { if (bytes) this.dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength); }
  at(off: number): { u8: (v: number) => void; u16: (v: number) => void; u32: (v: number) => void } {
    let p = off;
    return {
      u8: (v) => { this.dv?.setUint8(p, v); p += 1; this.len = Math.max(this.len, p); },
      u16: (v) => { this.dv?.setUint16(p, v); p += 2; this.len = Math.max(this.len, p); },
      u32: (v) => { this.dv?.setUint32(p, v >>> 0); p += 4; this.len = Math.max(this.len, p); },
    };
  }
  put(off: number, b: Uint8Array): void { this.bytes?.set(b, off); this.len = Math.max(this.len, off + b.length); }
}

class StrTab {
  bytes: number[] = [0];
  add(s: string): number {
    const off = this.bytes.length;
    for (let i = 0; i < s.length; i++) this.bytes.push(s.charCodeAt(i) & 255);
    this.bytes.push(0);
    return off;
  }
}

export function writeElf(segments: readonly Segment[], symbols: readonly AsmSymbol[], entry: number): Uint8Array {
  const size = new Out();
  write(size, segments, symbols, entry);
  const o = new Out(new Uint8Array(size.len));
  write(o, segments, symbols, entry);
  return o.bytes!;
}

function write(o: Out, segments: readonly Segment[], symbols: readonly AsmSymbol[], entry: number): void {
  const secs = ['.text', '.rdata', '.data', '.bss'].map((n) => segments.find((s) => s.name === n)).filter((s): s is Segment => !!s);
  // program header groups: text+rdata, data+bss (contiguous in memory by construction)
  const groups: Segment[][] = [secs.filter((s) => s.name === '.text' || s.name === '.rdata'), secs.filter((s) => s.name === '.data' || s.name === '.bss')].filter((g) => g.length);
  const phnum = groups.length;
  let off = 52 + 32 * phnum;
  const fileOff = new Map<Segment, number>();
  for (const g of groups) {
    off = Math.ceil(off / 16) * 16;
    const want = g[0].vaddr % PAGE;
    if (off % PAGE !== want) off += (want - (off % PAGE) + PAGE) % PAGE;
    for (const s of g) {
      const d = s.vaddr - g[0].vaddr;
      fileOff.set(s, off + d);
      if (s.name !== '.bss') o.put(off + d, s.bytes);
    }
    const last = g.filter((s) => s.name !== '.bss').pop();
    off = last ? fileOff.get(last)! + last.bytes.length : off;
  }
  // program headers
  groups.forEach((g, i) => {
    const w = o.at(52 + 32 * i);
    const first = g[0];
    const fileEnd = g.filter((s) => s.name !== '.bss').reduce((e, s) => Math.max(e, s.vaddr + s.bytes.length), first.vaddr);
    const memEnd = g.reduce((e, s) => Math.max(e, s.vaddr + s.bytes.length), first.vaddr);
    const exec = g.some((s) => s.name === '.text');
    w.u32(1); w.u32(fileOff.get(first)!); w.u32(first.vaddr); w.u32(first.vaddr);
    w.u32(fileEnd - first.vaddr); w.u32(memEnd - first.vaddr); w.u32(exec ? 5 : 6); w.u32(PAGE);
  });
  // symbol table: locals first
  const shstr = new StrTab();
  const str = new StrTab();
  const secIndex = new Map<string, number>(secs.map((s, i) => [s.name, i + 1]));
  const sorted = [...symbols.filter((s) => !s.global), ...symbols.filter((s) => s.global)];
  const firstGlobal = 1 + symbols.filter((s) => !s.global).length;
  off = Math.ceil(o.len / 4) * 4;
  const symOff = off;
  const w0 = o.at(symOff);
  for (let i = 0; i < 16; i++) w0.u8(0);
  for (const s of sorted) {
    const w = o.at(o.len);
    const shndx = s.kind === 'label' && s.section ? secIndex.get(s.section) ?? SHN_ABS : SHN_ABS;
    w.u32(str.add(s.name)); w.u32(s.value); w.u32(0); w.u8(((s.global ? 1 : 0) << 4) | 0); w.u8(0); w.u16(shndx);
  }
  const symSize = o.len - symOff;
  const strOff = o.len;
  o.put(strOff, Uint8Array.from(str.bytes));
  const names = secs.map((s) => shstr.add(s.name));
  const nSym = shstr.add('.symtab'), nStr = shstr.add('.strtab'), nShstr = shstr.add('.shstrtab');
  const shstrOff = o.len;
  o.put(shstrOff, Uint8Array.from(shstr.bytes));
  const shoff = Math.ceil(o.len / 4) * 4;
  const shnum = 1 + secs.length + 3;
  let p = shoff;
  const sh = (name: number, type: number, flags: number, addr: number, offset: number, size: number, link: number, info: number, align: number, entsize: number) => {
    const w = o.at(p); p += 40;
    for (const v of [name, type, flags, addr, offset, size, link, info, align, entsize]) w.u32(v);
  };
  sh(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
  secs.forEach((s, i) => {
    const flags = s.name === '.text' ? 6 : s.name === '.rdata' ? 2 : 3;
    sh(names[i], s.name === '.bss' ? 8 : 1, flags, s.vaddr, fileOff.get(s)!, s.bytes.length, 0, 0, 16, 0);
  });
  const symIdx = 1 + secs.length;
  sh(nSym, 2, 0, 0, symOff, symSize, symIdx + 1, firstGlobal, 4, 16);
  sh(nStr, 3, 0, 0, strOff, str.bytes.length, 0, 0, 1, 0);
  sh(nShstr, 3, 0, 0, shstrOff, shstr.bytes.length, 0, 0, 1, 0);
  // ELF header
  const h = o.at(0);
  for (const b of [0x7f, 0x45, 0x4c, 0x46, 1, 2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]) h.u8(b);
  h.u16(2); h.u16(8); h.u32(1); h.u32(entry >>> 0); h.u32(52); h.u32(shoff); h.u32(0x50001000);
  h.u16(52); h.u16(32); h.u16(phnum); h.u16(40); h.u16(shnum); h.u16(shnum - 1);
}
