/**
 * User programs for the guest OS from outside resources/guest — the workspace programs an
 * experiment's `guest.programs` names, or the program `disco-lab run-user` would run — as DXE1
 * executables for the disk image, all marked `DXE_LINUX`: the kernel starts them as Linux starts
 * an o32 process, and serves Linux's exit/read/write/brk numbers, so a program written for
 * `disco-lab run-user` or qemu-mips runs unchanged (docs/guest-syscalls.md).
 *
 *   - `.s` sources are assembled by the project assembler at the user bases (.text 0x00400000,
 *     .data 0x10000000 — what run-user and `mips-linux-gnu-ld -Ttext=0x400000 -Tdata=0x10000000`
 *     use) and packed like the guest's own programs (`imageToSegments`).
 *   - ELF files (static, big-endian MIPS32, as qemu-mips takes) are converted at disk-build time:
 *     each PT_LOAD segment becomes a DXE1 segment starting at its page (the bytes before `vaddr`
 *     in that page are zeros), read-only unless the segment is writable; a read-only segment's
 *     zero fill (memsz > filesz) is stored, a writable one's is left to demand-zero faults.
 *
 * The program's name on the guest's file system is its file's base name without the extension
 * (`programs/mytest.s` → `mytest`).
 */
import { assemble } from '../asm/index';
import { readElf } from '../asm/elf-read';
import type { SourceFile } from '../asm/types';
import { DXE_LINUX, DXE_MAX_SEGMENTS, USER_DATA_BASE, USER_TEXT_BASE, imageToSegments, makeDxe, type DxeSegment } from './programs';
import { FS_NAME_MAX } from './disk';

/** A file `.include "name"`d by the file `from` (the experiment loader's `IncludedFile`). */
export interface IncludedSource { from: string; name: string; file: SourceFile }

/** A user program's contents, as a host read them: ELF bytes, or a source and its `.include`s. */
export type UserProgramSource =
  | { elf: Uint8Array }
  | { source: SourceFile; includes?: readonly IncludedSource[] };

export interface UserProgramInput {
  /** The name on the guest's file system (`guestProgramName(path)`). */
  name: string;
  /** The file as the host names it, for messages. */
  path: string;
  program: UserProgramSource;
}

/** Where the guest's shared-memory segment starts: user programs must end below it. */
export const GUEST_SHM_BASE = 0x40000000;
/** Most bytes an ELF's segments may declare together (the guest's user space below the shared segment is 1 GiB, the disk a few MiB). */
export const MAX_USER_ELF_BYTES = 64 << 20;
const PAGE = 4096;
const hex = (n: number) => `0x${(n >>> 0).toString(16)}`;

/** The name a program file gets on the guest's file system: its base name without the extension. */
export function guestProgramName(path: string): string {
  const base = path.split(/[\\/]/).pop() ?? path;
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(0, dot) : base;
}

/** Why `name` cannot be a file name on the guest's file system, or undefined. */
export function guestNameProblem(name: string): string | undefined {
  if (!name) return 'the program name (the file name without its extension) is empty';
  if (name.length > FS_NAME_MAX) return `the program name '${name}' is longer than ${FS_NAME_MAX} characters (the guest's file names)`;
  if (!/^[!-~]+$/.test(name)) return `the program name '${name}' must be printable ASCII without spaces (the guest's file names)`;
  return undefined;
}

/** Converts a static big-endian MIPS32 ELF executable to DXE1 (`DXE_LINUX`), or says why it cannot. */
export function elfToDxe(bytes: Uint8Array): { ok: true; exe: Uint8Array } | { ok: false; error: string } {
  const r = readElf(bytes, { maxLoadBytes: MAX_USER_ELF_BYTES });
  if (!r.ok) return { ok: false, error: r.message };
  const loads = r.segments.filter((s) => s.bytes.length > 0).sort((a, b) => (a.vaddr >>> 0) - (b.vaddr >>> 0));
  if (!loads.length) return { ok: false, error: 'no loadable segment' };
  if (loads.length > DXE_MAX_SEGMENTS) return { ok: false, error: `${loads.length} loadable segments; the guest's executables hold at most ${DXE_MAX_SEGMENTS}` };
  const segs: DxeSegment[] = [];
  let prevEnd = 0;
  for (const s of loads) {
    const vaddr = s.vaddr >>> 0, end = vaddr + s.bytes.length;
    if (end > GUEST_SHM_BASE) return { ok: false, error: `segment at ${hex(vaddr)} (${s.bytes.length} bytes) ends above ${hex(GUEST_SHM_BASE)}, where the guest's shared-memory segment starts: link the program below it (e.g. -Ttext=0x00400000 -Tdata=0x10000000)` };
    const start = vaddr - (vaddr % PAGE);
    if (start < prevEnd) return { ok: false, error: `segments share the page at ${hex(start)}: the guest maps whole pages per segment; link them a page apart (e.g. -Tdata=0x10000000)` };
    const writable = s.flags?.w ?? true;
    const kept = writable ? s.fileBytes : s.bytes.length;
    const data = new Uint8Array(vaddr - start + kept);
    data.set(s.bytes.subarray(0, kept), vaddr - start);
    segs.push({ vaddr: start, bytes: data, memsz: end - start, writable });
    prevEnd = Math.ceil(end / PAGE) * PAGE;
  }
  const entry = r.entry >>> 0;
  if (!loads.some((s) => entry >= s.vaddr >>> 0 && entry < (s.vaddr >>> 0) + s.bytes.length)) return { ok: false, error: `the entry point ${hex(entry)} is in no loadable segment` };
  return { ok: true, exe: makeDxe(entry, segs, DXE_LINUX) };
}

/** The assembler's `include` callback over the files a host read for one source. */
function includeOf(includes: readonly IncludedSource[] = []): (name: string, from: string) => SourceFile | undefined {
  const byEdge = new Map(includes.map((i) => [`${i.from}\n${i.name}`, i.file]));
  return (name, from) => byEdge.get(`${from}\n${name}`);
}

/**
 * Builds one user program into a DXE1 executable (`DXE_LINUX`). Errors: for an ELF, its problem;
 * for a source, one `file:LINE:COL: message` per assembler error.
 */
export function buildUserProgram(p: UserProgramInput): { ok: true; exe: Uint8Array } | { ok: false; errors: string[] } {
  if ('elf' in p.program) {
    const r = elfToDxe(p.program.elf);
    return r.ok ? r : { ok: false, errors: [`${p.path}: ${r.error}`] };
  }
  const a = assemble([p.program.source], { textBase: USER_TEXT_BASE, dataBase: USER_DATA_BASE, include: includeOf(p.program.includes), elf: false, listing: false });
  if (!a.ok || !a.image) {
    const errors = a.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.file}:${d.line}:${d.col}: ${d.message}`);
    return { ok: false, errors: errors.length ? errors : [`${p.path}: the assembler produced no image`] };
  }
  return { ok: true, exe: makeDxe(a.image.entry, imageToSegments(a.image), DXE_LINUX) };
}
