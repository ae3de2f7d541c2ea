/**
 * The guest OS built at run time (src/core/guest/build.ts, user.ts, hash.ts, console.ts): the
 * content hash, the caches (a second build is a hit; a changed input a miss), user programs as
 * DXE1 files (`.s` and ELF, `DXE_LINUX`), the disk image with user programs, and how a guest
 * console splits into kernel messages and the program's output.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { assemble } from '../../../src/core/asm/index';
import {
  DXE_FLAGS_OFFSET, DXE_LINUX, DXE_MAGIC, FS_MAGIC, Sha256, buildUserProgram, clearGuestCache, elfToDxe, guestCacheStats, guestDisk,
  guestKernel, guestNameProblem, guestProgramName, guestSourcesKey, sha256, splitGuestConsole, type UserProgramInput,
} from '../../../src/core/guest/index';
import { GUEST } from './guest';

const u32 = (b: Uint8Array, o: number) => new DataView(b.buffer, b.byteOffset).getUint32(o, false);
const walk = (d: string): string[] => readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : e.name.endsWith('.s') ? [join(d, e.name)] : []));
const SOURCES: Record<string, string> = Object.fromEntries(walk(GUEST).map((f) => [relative(GUEST, f).split('\\').join('/'), readFileSync(f, 'utf8')]));

const HELLO = `        .text
        .globl  __start
__start:
        li      $v0, 4004
        li      $a0, 1
        la      $a1, msg
        li      $a2, 3
        syscall
        li      $v0, 4001
        li      $a0, 7
        syscall
        .data
msg:    .ascii  "hi\\n"
        .bss
buf:    .space  10000
`;
const user = (name: string, text = HELLO): UserProgramInput => ({ name, path: `programs/${name}.s`, program: { source: { path: `programs/${name}.s`, text } } });

describe('sha256', () => {
  it('equals node:crypto on strings, bytes and across block boundaries', () => {
    for (const n of [0, 1, 55, 56, 63, 64, 65, 1000, 100_000]) {
      const b = new Uint8Array(n).map((_, i) => (i * 31 + 7) & 255);
      expect(sha256(b)).toBe(createHash('sha256').update(b).digest('hex'));
    }
    expect(sha256('ä € 𝄞')).toBe(createHash('sha256').update('ä € 𝄞', 'utf8').digest('hex'));
    const h = new Sha256();
    for (const part of ['ab', new Uint8Array([99, 100]), 'e']) h.update(part);
    expect(h.hex()).toBe(createHash('sha256').update('abcde').digest('hex'));
  });

  it('keys by content: the same sources give the same key, any change another', () => {
    const k = guestSourcesKey(SOURCES);
    expect(guestSourcesKey({ ...SOURCES })).toBe(k);
    expect(guestSourcesKey({ ...SOURCES, 'programs/hello.s': SOURCES['programs/hello.s'] + '\n' })).not.toBe(k);
    expect(guestSourcesKey({ ...SOURCES, 'programs/x.s': '' })).not.toBe(k);
  });
});

describe('guest build cache', () => {
  beforeEach(() => clearGuestCache());

  it('a second build of the same kernel or disk is a cache hit returning the same result', () => {
    const k1 = guestKernel(SOURCES, 'ksseg');
    expect(k1.ok).toBe(true);
    expect(guestCacheStats()).toEqual({ hits: 0, misses: 1, loaded: 0 });
    expect(guestKernel({ ...SOURCES }, 'ksseg')).toBe(k1);
    expect(guestCacheStats()).toEqual({ hits: 1, misses: 1, loaded: 0 });
    expect(guestKernel(SOURCES, 'hal')).not.toBe(k1);
    const d1 = guestDisk({ sources: SOURCES, programs: [user('mine')], init: 'mine' });
    const d2 = guestDisk({ sources: { ...SOURCES }, programs: [user('mine')], init: 'mine' });
    expect(d2).toBe(d1);
    const d3 = guestDisk({ sources: SOURCES, programs: [user('mine', HELLO.replace('li      $a0, 7', 'li      $a0, 8'))], init: 'mine' });
    expect(d3).not.toBe(d1);
    expect(d3.ok && d1.ok && Buffer.from(d3.image).equals(Buffer.from(d1.image))).toBe(false);
  });

  it('the built kernel is the builder\'s (kseg0 boots natively at its load entry)', () => {
    const k = guestKernel(SOURCES, 'kseg0');
    expect(k.ok && k.value.load!.entry >>> 0).toBeGreaterThanOrEqual(0x80000000);
    expect(guestKernel({ 'lib/runtime.s': '' }, 'kseg0')).toEqual({ ok: false, errors: ['the guest sources have no kernel/kernel.s'] });
  });

  it('builds and times: cold and warm', () => {
    const t0 = performance.now();
    guestKernel(SOURCES, 'kseg0');
    const d = guestDisk({ sources: SOURCES, programs: [], init: 'pmake 4' });
    const cold = performance.now() - t0;
    const t1 = performance.now();
    guestKernel({ ...SOURCES }, 'kseg0');
    guestDisk({ sources: { ...SOURCES }, programs: [], init: 'pmake 4' });
    const warm = performance.now() - t1;
    console.log(`guest build: kernel + disk ${cold.toFixed(0)} ms cold, ${warm.toFixed(1)} ms from the cache`);
    expect(d.ok).toBe(true);
    expect(warm).toBeLessThan(cold);
  });
});

describe('user programs', () => {
  it('names: the base name without the extension, checked against the file system', () => {
    expect(guestProgramName('programs/mytest.s')).toBe('mytest');
    expect(guestProgramName('a/b/other.elf')).toBe('other');
    expect(guestProgramName('noext')).toBe('noext');
    expect(guestNameProblem('x'.repeat(24))).toMatch(/longer than 23/);
    expect(guestNameProblem('a b')).toMatch(/printable ASCII without spaces/);
    expect(guestNameProblem('ok_name-1')).toBeUndefined();
  });

  it('a .s program becomes a DXE_LINUX executable (text read-only, data writable with its .bss)', () => {
    const b = buildUserProgram(user('hello'));
    if (!b.ok) throw new Error(b.errors.join('\n'));
    expect([u32(b.exe, 0), u32(b.exe, 8), u32(b.exe, DXE_FLAGS_OFFSET)]).toEqual([DXE_MAGIC, 2, DXE_LINUX]);
    expect([u32(b.exe, 12), u32(b.exe, 28)]).toEqual([0x400000, 0]);           // text: read-only
    expect([u32(b.exe, 32), u32(b.exe, 36), u32(b.exe, 40), u32(b.exe, 48)]).toEqual([0x10000000, 16, 10016, 1]);
  });

  it('assembler errors name the file and line', () => {
    const b = buildUserProgram(user('bad', '        .text\n        bogus $t0\n'));
    expect(b).toEqual({ ok: false, errors: [expect.stringMatching(/^programs\/bad\.s:2:\d+: /)] });
  });

  it('an ELF converts segment by segment: pages from vaddr, a writable segment\'s bss left to demand-zero', () => {
    const a = assemble([{ path: 'h.s', text: HELLO }], { elf: true });
    const r = elfToDxe(a.elf!);
    if (!r.ok) throw new Error(r.error);
    expect([u32(r.exe, 0), u32(r.exe, 4), u32(r.exe, 8), u32(r.exe, DXE_FLAGS_OFFSET)]).toEqual([DXE_MAGIC, a.image!.entry >>> 0, 2, DXE_LINUX]);
    expect([u32(r.exe, 32), u32(r.exe, 36), u32(r.exe, 40), u32(r.exe, 48)]).toEqual([0x10000000, 16, 10016, 1]);
    expect(elfToDxe(new Uint8Array([1, 2, 3]))).toEqual({ ok: false, error: 'not an ELF file' });
    const high = assemble([{ path: 'h.s', text: HELLO }], { elf: true, dataBase: 0x50000000 });
    expect(elfToDxe(high.elf!)).toMatchObject({ ok: false, error: expect.stringMatching(/ends above 0x40000000/) });
    const close = assemble([{ path: 'h.s', text: HELLO }], { elf: true, dataBase: 0x00400800 });
    expect(elfToDxe(close.elf!)).toMatchObject({ ok: false, error: expect.stringMatching(/share the page at 0x400000/) });
  });
});

describe('guestDisk', () => {
  beforeEach(() => clearGuestCache());

  it('holds the guest\'s programs and data files plus the user\'s; a user program of the same name replaces the guest\'s', () => {
    const d = guestDisk({ sources: SOURCES, programs: [user('mine'), user('hello')], init: 'mine 3' });
    if (!d.ok) throw new Error(JSON.stringify(d.problems));
    expect(u32(d.image, 0)).toBe(FS_MAGIC);
    expect(String.fromCharCode(...d.image.subarray(64, 70))).toBe('mine 3');
    const names = d.layout.map((e) => e.name);
    expect(names).toEqual(expect.arrayContaining(['pmake', 'cc', 'db.dat', 'src1.c', 'mine', 'hello']));
    expect(names.filter((n) => n === 'hello')).toHaveLength(1);
    const hello = d.layout.find((e) => e.name === 'hello')!;
    expect(u32(d.image, hello.sector * 512 + DXE_FLAGS_OFFSET)).toBe(DXE_LINUX);   // the user's
    const pmake = d.layout.find((e) => e.name === 'pmake')!;
    expect(u32(d.image, pmake.sector * 512 + DXE_FLAGS_OFFSET)).toBe(0);           // the guest's own
  });

  it('reports problems by program and the init command line', () => {
    expect(guestDisk({ sources: SOURCES, programs: [], init: 'nosuch 1' })).toEqual({ ok: false, problems: [{ init: true, message: expect.stringMatching(/^'nosuch' is not a program on the guest's disk \(the guest's: badptr, cc, /) }] });
    const two = guestDisk({ sources: SOURCES, programs: [user('a'), { ...user('a'), path: 'other/a.s' }], init: 'a' });
    expect(two).toEqual({ ok: false, problems: [{ program: 1, message: "other/a.s: another program (programs/a.s) has the same name 'a' on the guest" }] });
    const bad = guestDisk({ sources: SOURCES, programs: [user('a', '  nonsense\n')], init: 'a' });
    expect(bad).toMatchObject({ ok: false, problems: [{ program: 0, message: expect.stringMatching(/^programs\/a\.s:1:/) }] });
  });
});

describe('splitGuestConsole', () => {
  const bytes = (s: string) => Uint8Array.from(Buffer.from(s, 'latin1'));
  const boot = 'disco-guest kernel (kseg0) booting on 1 CPU(s), 32 MiB RAM\nfs: 27 files\ninit: prog 1\n';
  const exit = (status: number, n: number) => `init exited with status ${status}; switches=3 demand-zero=0 syscalls=2 disk-reads=2 output=${n}\n`;

  it('takes exactly the bytes the kernel counted, even binary ones and text that looks like kernel messages', () => {
    const out = 'init: fake\n\x00\xff\ninit exited with status 9; output=1\nno newline';
    const c = splitGuestConsole(bytes(boot + out + '\n' + exit(0, out.length)));
    expect(Buffer.from(c.output).toString('latin1')).toBe(out);
    expect(c).toMatchObject({ exact: true, status: 0 });
    expect(Buffer.from(c.boot).toString('latin1')).toBe(boot);
    expect(Buffer.from(c.tail).toString('latin1')).toBe('\n' + exit(0, out.length));
  });

  it('a killed init: its exception; no exit line (a panic): the output up to the kernel message, not exact', () => {
    const k = splitGuestConsole(bytes(`${boot}ab\nkilled pid 1 (prog): AdEL at pc=0x00400100 badvaddr=0x00000001\n${exit(-1, 2)}`));
    expect(k).toMatchObject({ exact: true, status: -1, killedBy: 'AdEL' });
    expect(Buffer.from(k.output).toString()).toBe('ab');
    const p = splitGuestConsole(bytes(`${boot}partial\nPANIC: kernel exception cause=AdEL pc=0x80001000 badvaddr=0xdeadbeef on cpu 0\n`));
    expect(p).toMatchObject({ exact: false, status: undefined });
    expect(Buffer.from(p.output).toString()).toBe('partial\n');
  });
});
