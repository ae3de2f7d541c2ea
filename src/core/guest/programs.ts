/**
 * Guest program builder: a user program (`resources/guest/programs/*.s`, which `.include`s
 * `lib/runtime.s`) is assembled by the project assembler at the user bases (.text 0x00400000,
 * .data 0x10000000 — the same as `mips-linux-gnu-ld -Ttext=0x400000 -Tdata=0x10000000`) and
 * converted to the kernel's executable format, DXE1:
 *
 *   sector 0 (512 bytes), big-endian words: magic 0x44584531 ("DXE1"), entry, nseg (≤ 5),
 *     then nseg × { vaddr, filesz, memsz, fileoff, flags (bit 0 = writable) }; at byte 112
 *     (after room for 5 segments) the header flags: bit 0 `DXE_LINUX`
 *   each segment's bytes at `fileoff` (a multiple of 512), zero-padded to a sector
 *
 * Segments: text (.text + .rdata, read-only) and data (.data + .bss, writable; memsz covers
 * .bss, which the kernel leaves to demand-zero faults). Both start page-aligned.
 *
 * `DXE_LINUX` marks a program written for Linux o32 (`disco-lab run-user`, qemu-mips): the
 * kernel starts it as Linux would — argc/argv/envp/auxv on the stack, every other register 0 —
 * instead of with a0 = its argument string (the guest runtime's crt0). The guest's own programs
 * are built without it; programs from the workspace with it (./user.ts).
 */
import { assemble } from '../asm/index';
import type { Diagnostic, Image, SourceFile } from '../asm/types';

export const USER_TEXT_BASE = 0x00400000;
export const USER_DATA_BASE = 0x10000000;
export const DXE_MAGIC = 0x44584531;
/** Byte offset of the header flags word in sector 0. */
export const DXE_FLAGS_OFFSET = 112;
/** Header flag: start the program as a Linux o32 process. */
export const DXE_LINUX = 1;
/** Most segments a DXE1 file holds. */
export const DXE_MAX_SEGMENTS = 5;
const SECTOR = 512;

export interface DxeSegment { vaddr: number; bytes: Uint8Array; memsz: number; writable: boolean }

export interface ProgramBuild {
  ok: boolean;
  name: string;
  diagnostics: Diagnostic[];
  image?: Image;
  /** The DXE1 file as stored on the disk image. */
  exe?: Uint8Array;
}

const roundUp = (n: number, m: number) => Math.ceil(n / m) * m;

function put32(b: Uint8Array, off: number, v: number): void {
  b[off] = v >>> 24; b[off + 1] = (v >>> 16) & 255; b[off + 2] = (v >>> 8) & 255; b[off + 3] = v & 255;
}

/** Groups an image's sections into the text and data segments of a DXE1 file. */
export function imageToSegments(image: Pick<Image, 'segments'>): DxeSegment[] {
  const out: DxeSegment[] = [];
  const group = (names: string[], writable: boolean) => {
    const secs = image.segments.filter((s) => names.includes(s.name) && s.bytes.length > 0).sort((a, b) => (a.vaddr >>> 0) - (b.vaddr >>> 0));
    if (!secs.length) return;
    const start = secs[0].vaddr >>> 0;
    const end = Math.max(...secs.map((s) => (s.vaddr >>> 0) + s.bytes.length));
    const fileEnd = writable ? Math.max(start, ...secs.filter((s) => s.name !== '.bss').map((s) => (s.vaddr >>> 0) + s.bytes.length)) : end;
    const bytes = new Uint8Array(fileEnd - start);
    for (const s of secs) if (s.name !== '.bss') bytes.set(s.bytes, (s.vaddr >>> 0) - start);
    out.push({ vaddr: start, bytes, memsz: end - start, writable });
  };
  group(['.text', '.rdata'], false);
  group(['.data', '.bss'], true);
  return out;
}

/** Packs segments into a DXE1 executable (`flags`: the header flags, e.g. `DXE_LINUX`). */
export function makeDxe(entry: number, segs: DxeSegment[], flags = 0): Uint8Array {
  if (segs.length > DXE_MAX_SEGMENTS) throw new Error(`bug: DXE1 holds at most ${DXE_MAX_SEGMENTS} segments`);
  let off = SECTOR;
  const offs = segs.map((s) => { const o = off; off += roundUp(s.bytes.length, SECTOR); return o; });
  const file = new Uint8Array(off);
  put32(file, 0, DXE_MAGIC);
  put32(file, 4, entry >>> 0);
  put32(file, 8, segs.length);
  segs.forEach((s, i) => {
    const h = 12 + i * 20;
    if ((s.vaddr & 0xfff) !== 0) throw new Error(`bug: segment at 0x${s.vaddr.toString(16)} is not page-aligned`);
    put32(file, h, s.vaddr); put32(file, h + 4, s.bytes.length); put32(file, h + 8, s.memsz);
    put32(file, h + 12, offs[i]); put32(file, h + 16, s.writable ? 1 : 0);
    file.set(s.bytes, offs[i]);
  });
  put32(file, DXE_FLAGS_OFFSET, flags);
  return file;
}

/** Assembles one guest program and converts it to DXE1. */
export function buildProgram(name: string, source: SourceFile, include: (name: string, from: string) => SourceFile | undefined): ProgramBuild {
  const r = assemble([source], { textBase: USER_TEXT_BASE, dataBase: USER_DATA_BASE, include, elf: false, listing: false });
  if (!r.ok || !r.image) return { ok: false, name, diagnostics: r.diagnostics };
  return { ok: true, name, diagnostics: r.diagnostics, image: r.image, exe: makeDxe(r.image.entry, imageToSegments(r.image)) };
}
