/**
 * The guest builders as units (DXE1 executables, the DSFS disk image, buildGuest), and the
 * example experiments: every one validates, the guest workloads name the guest OS (`guest`,
 * built at run time — no generated binaries are committed), and a workload experiment runs
 * through the one loader and the platform's experiment runner.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildDiskImage, buildGuest, DXE_MAGIC, FS_MAGIC, imageToSegments, makeDxe, type GuestSources } from '../../../src/core/guest/index';
import { validateExperiment } from '../../../src/core/experiment/config';
import { createMemorySource, formatLoadErrors, loadExperiment } from '../../../src/core/experiment/load';
import { runExperiment } from '../../../src/core/experiment/run';
import { GUEST, ROOT } from './guest';

const u32 = (b: Uint8Array, o: number) => new DataView(b.buffer, b.byteOffset).getUint32(o, false);

function sources(): GuestSources {
  const walk = (d: string): string[] => readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : e.name.endsWith('.s') ? [join(d, e.name)] : []));
  return Object.fromEntries(walk(GUEST).map((f) => [relative(GUEST, f).split('\\').join('/'), readFileSync(f, 'utf8')]));
}

describe('DXE1 executables', () => {
  it('groups .text+.rdata (read-only) and .data+.bss (writable, bss not in the file)', () => {
    const segs = imageToSegments({ segments: [
      { name: '.text', vaddr: 0x400000, bytes: new Uint8Array([1, 2, 3, 4]) },
      { name: '.rdata', vaddr: 0x400010, bytes: new Uint8Array([5]) },
      { name: '.data', vaddr: 0x10000000, bytes: new Uint8Array([6, 7]) },
      { name: '.bss', vaddr: 0x10000010, bytes: new Uint8Array(100) },
    ] });
    expect(segs.map((s) => [s.vaddr, s.bytes.length, s.memsz, s.writable])).toEqual([[0x400000, 0x11, 0x11, false], [0x10000000, 2, 0x74, true]]);
    const f = makeDxe(0x400008, segs);
    expect([u32(f, 0), u32(f, 4), u32(f, 8)]).toEqual([DXE_MAGIC, 0x400008, 2]);
    expect([u32(f, 12), u32(f, 16), u32(f, 20), u32(f, 24), u32(f, 28)]).toEqual([0x400000, 0x11, 0x11, 512, 0]);
    expect([u32(f, 32), u32(f, 36), u32(f, 40), u32(f, 44), u32(f, 48)]).toEqual([0x10000000, 2, 0x74, 1024, 1]);
    expect(f.length).toBe(1536);
    expect(Array.from(f.subarray(512, 517))).toEqual([1, 2, 3, 4, 0]);
    expect(f[512 + 16]).toBe(5);
    expect(Array.from(f.subarray(1024, 1026))).toEqual([6, 7]);
  });
});

describe('DSFS disk image', () => {
  it('lays out superblock, directory and sector-aligned files', () => {
    const { image, layout } = buildDiskImage([{ name: 'a', bytes: new Uint8Array(513).fill(9) }, { name: 'bb', bytes: new Uint8Array([1]) }], 'a x y');
    expect([u32(image, 0), u32(image, 4), u32(image, 8)]).toEqual([FS_MAGIC, 2, 4]);
    expect(String.fromCharCode(...image.subarray(64, 69))).toBe('a x y');
    expect(image[69]).toBe(0);
    expect(layout).toEqual([{ name: 'a', sector: 5, size: 513 }, { name: 'bb', sector: 7, size: 1 }]);
    expect(String.fromCharCode(image[512 + 32], image[512 + 33])).toBe('bb');
    expect([u32(image, 512 + 24), u32(image, 512 + 28)]).toEqual([5, 513]);
    expect(image[7 * 512]).toBe(1);
    expect(image.length).toBe(8 * 512);
  });

  it('rejects bad names and command lines (caller mistakes)', () => {
    expect(() => buildDiskImage([{ name: 'a b', bytes: new Uint8Array() }], 'x')).toThrow(/without spaces/);
    expect(() => buildDiskImage([{ name: 'a', bytes: new Uint8Array() }, { name: 'a', bytes: new Uint8Array() }], 'x')).toThrow(/duplicate/);
    expect(() => buildDiskImage([], 'x'.repeat(200))).toThrow(/longer than/);
  });
});

describe('buildGuest and the example experiments', () => {
  const b = buildGuest(sources());

  it('builds the kernel and every program', () => {
    expect(b.errors).toEqual([]);
    expect(b.programs.map((p) => p.name)).toEqual(expect.arrayContaining(['hello', 'pmake', 'cc', 'engineering', 'engsim', 'raytrace', 'rtworker', 'database', 'dbclient', 'badptr', 'loop', 'crash', 'tests']));
  });

  it('no generated guest binaries are shipped: experiments build them at run time', () => {
    const examples = readdirSync(join(ROOT, 'resources', 'examples'));
    expect(examples).not.toContain('guest');
  });

  const dir = join(ROOT, 'resources', 'examples', 'experiments');
  const all = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  it('every shipped experiment validates; the 53 guest workloads run the guest OS with an init command line', () => {
    expect(all.length).toBe(61);
    const denali = all.filter((f) => f.startsWith('denali-'));
    expect(denali).toEqual(['denali-10000vm-swap.json', 'denali-10000vm.json', 'denali-lab.json']);
    // the debugger's walkthrough runs a user program of the examples on the guest OS
    const walkthrough = all.filter((f) => f.startsWith('tlb-miss-walkthrough-'));
    expect(walkthrough).toEqual(['tlb-miss-walkthrough-disco.json', 'tlb-miss-walkthrough-native.json']);
    // the service beside Denali's: the guest OS's httpd answering the load's clients
    const service = all.filter((f) => f.startsWith('service-'));
    expect(service).toEqual(['service-denali-4vm.json', 'service-disco-4vm.json']);
    const guest = all.filter((f) => f !== 'bare-hello.json' && !denali.includes(f) && !walkthrough.includes(f) && !service.includes(f));
    for (const f of all) {
      const v = validateExperiment(JSON.parse(readFileSync(join(dir, f), 'utf8')));
      expect(v.ok, `${f}: ${JSON.stringify(!v.ok && v.errors)}`).toBe(true);
      if (v.ok && f === 'service-denali-4vm.json') { expect(v.value.mode, f).toBe('denali'); continue; }
      if (v.ok && f === 'service-disco-4vm.json') { expect(v.value.guest, f).toEqual({ init: 'httpd' }); expect(v.value.load, f).toBeDefined(); continue; }
      if (v.ok && denali.includes(f)) { expect(v.value.mode, f).toBe('denali'); expect(v.value.guest, f).toBeUndefined(); continue; }
      if (v.ok && walkthrough.includes(f)) { expect(v.value.guest, f).toEqual({ programs: ['../programs/tlbwalk.s'], init: 'tlbwalk' }); continue; }
      if (!v.ok || f === 'bare-hello.json') continue;
      expect(v.value.guest?.init, f).toMatch(/^(pmake|engineering|raytrace|database)( \d+)*$/);
      expect(v.value.programs, f).toEqual([]);
      expect(v.value.disk, f).toBeUndefined();
      expect(v.value.console, f).toBeUndefined();
      for (const vm of v.value.vms ?? []) { expect(vm.kernel, f).toBeUndefined(); expect(vm.variant, f).toMatch(/^(ksseg|hal|kseg0)$/); }
    }
    expect(guest.length).toBe(53);
  });

  const files = readdirSync(dir).filter((f) => /^(pmake|engineering|raytrace|database)-native-[14]cpu\.json$/.test(f)).sort();
  it('there is one experiment per workload on 1 and 4 CPUs', () => {
    expect(files).toEqual(['database-native-1cpu.json', 'database-native-4cpu.json', 'engineering-native-1cpu.json', 'engineering-native-4cpu.json',
      'pmake-native-1cpu.json', 'pmake-native-4cpu.json', 'raytrace-native-1cpu.json', 'raytrace-native-4cpu.json']);
  });
  it('pmake-native-4cpu runs through the loader and the experiment runner to its checksum (timing CPU model)', async () => {
    const preset = readFileSync(join(ROOT, 'resources', 'machines', 'flash-8node.json'), 'utf8');
    const src = createMemorySource({ 'experiments/pmake-native-4cpu.json': readFileSync(join(dir, 'pmake-native-4cpu.json'), 'utf8') }, { 'flash-8node': preset }, sources());
    const loaded = await loadExperiment(src, 'experiments/pmake-native-4cpu.json');
    if (!loaded.ok) throw new Error(formatLoadErrors(loaded.errors));
    const run = runExperiment(loaded.value.resolved, loaded.value.inputs);
    if (!run.ok) throw new Error(JSON.stringify(run.errors));
    const rec = run.value.record as unknown as { console: { text: string }; status: { exitCode: number } };
    expect(run.value.result.reason).toBe('exit');
    expect(run.value.result.exitCode).toBe(0);
    expect(JSON.stringify(rec)).toContain('pmake: 64 jobs, checksum 0xcf81beb8');   // the default size: 4 rounds
    const t = run.value.machine.cpuReports().reduce((a, c) => ({ user: a.user + c.buckets.user, kernel: a.kernel + c.buckets.kernel, idle: a.idle + c.buckets.idle }), { user: 0, kernel: 0, idle: 0 });
    const all = t.user + t.kernel + t.idle;
    expect(all).toBe(run.value.result.cycles * 4);
    expect((t.kernel + t.idle) / all).toBeGreaterThan(0.4);   // pmake: large kernel and idle share
  });
});
