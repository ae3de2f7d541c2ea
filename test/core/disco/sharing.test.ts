/**
 * Memory sharing between VMs (issue #16; docs/disco.md "Memory sharing"): copy-on-write disks —
 * a page-aligned read of a disk page another VM already read is mapped, not read; a write to it
 * gives the writer a private copy and the others never see it; a VM's disk writes stay in its own
 * overlay — and the guest OS sharing its kernel image and buffer cache, with the same checksums
 * as without sharing and a smaller machine footprint (M) than the VMs' own (V).
 * Guests: test/fixtures/disco/cow.s, the guest OS of resources/guest.
 */
import { describe, expect, it } from 'vitest';
import { guest, runDisco } from './helpers';
import { SHARED } from '../../../src/core/disco/memmap';
import { boot, disk as guestDisk, kernel, machine as guestMachine } from '../guest/guest';
import { Machine } from '../../../src/core/machine/machine';
import { createMonitor } from '../../../src/core/disco/monitor';
import { buildRunRecord } from '../../../src/core/experiment/record';

const ORIG = 0x0a1b2c3d, MARK = 0x4d41524b;
const hex = (w: number) => (w >>> 0).toString(16).padStart(8, '0');

function disk(): Uint8Array {
  const d = new Uint8Array(64 * 1024);
  new DataView(d.buffer).setUint32(0, ORIG);
  return d;
}

describe('copy-on-write disks', () => {
  for (const cpus of [1, 2]) {
    it(`a VM's write to a shared disk page, and to the disk, is seen by it alone (${cpus} CPU${cpus > 1 ? 's' : ''})`, () => {
      const image = disk();
      const r = runDisco([
        { name: 'writer', memoryMB: 1, image: guest('cow', '.set WRITER, 1\n'), diskImage: image },
        { name: 'reader', memoryMB: 1, image: guest('cow', '.set WRITER, 0\n'), diskImage: image },
      ], cpus, { maxCycles: 200_000_000 });
      const [w, rd] = r.monitor.vms;
      expect(w.consoleText()).toBe(`a=${hex(ORIG)} b=${hex(MARK)} c=${hex(MARK)}\n`);
      expect(rd.consoleText()).toBe(`a=${hex(ORIG)} b=${hex(ORIG)} c=${hex(ORIG)}\n`);
      const c = r.monitor.memory.shared!.counts;
      expect(c.diskPagesRegistered).toBe(1);     // the writer's first read
      expect(c.diskPagesMapped).toBe(2);         // the reader's two reads mapped it
      expect(c.cowCopies).toBe(1);               // the writer's store copied it (the reader still mapped it)
      expect(rd.dev.disk.readsMapped).toBe(2);   // neither of the reader's reads went to the disk
      expect(w.dev.disk.overlay.size).toBe(8);   // its write: 8 sectors in its own overlay
      expect(rd.dev.disk.overlay.size).toBe(0);
      // the base image was never written
      expect(new DataView(image.buffer).getUint32(0)).toBe(ORIG);
      // the reader's page 0x20000 is the shared page, the writer's is its own
      const page = (vm: typeof w, g: number) => vm.pmap.mpn[g];
      expect(r.monitor.memmap.owner[page(rd, 0x20)]).toBe(SHARED);
      expect(page(w, 0x20)).not.toBe(page(rd, 0x20));
      expect(r.monitor.memmap.owner[page(w, 0x20)]).toBe(w.id);
      for (const vm of [w, rd]) expect(vm.exitCode).toBe(0);
    });
  }

  it('with sharing off every VM reads the disk itself, with the same results', () => {
    const image = disk();
    const r = runDisco([
      { name: 'writer', memoryMB: 1, image: guest('cow', '.set WRITER, 1\n'), diskImage: image },
      { name: 'reader', memoryMB: 1, image: guest('cow', '.set WRITER, 0\n'), diskImage: image },
    ], 1, { maxCycles: 200_000_000, memorySharing: 0 });
    const [w, rd] = r.monitor.vms;
    expect(w.consoleText()).toBe(`a=${hex(ORIG)} b=${hex(MARK)} c=${hex(MARK)}\n`);
    expect(rd.consoleText()).toBe(`a=${hex(ORIG)} b=${hex(ORIG)} c=${hex(ORIG)}\n`);
    expect(r.monitor.memory.shared).toBeNull();
    expect(rd.dev.disk.readsMapped).toBe(0);
  });
});

describe('the guest OS under sharing', () => {
  function run(vms: number, sharing: 0 | 1) {
    const machine = new Machine(guestMachine(2, { memoryPerNodeMB: 32 }));
    const img = guestDisk('pmake 2 1');
    const specs = Array.from({ length: vms }, (_, i) => ({ name: `vm${i}`, vcpus: 1, memoryMB: 12, kernbase: 0xc0000000, image: kernel('ksseg').image!, diskImage: img }));
    const m = createMonitor(machine, specs, { memorySharing: sharing });
    if (!m.ok) throw new Error(JSON.stringify(m.errors));
    const result = machine.run({ maxCycles: 2_000_000_000 });
    m.monitor.finish(machine.cpuReports().map((c, i) => c.buckets.idle - machine.cpus[i].buckets.idle));
    const record = buildRunRecord({ experiment: { name: 'x', mode: 'disco' } as never, machine, result, limits: {} as never, monitor: m.monitor });
    return { mon: m.monitor, record };
  }

  it('4 VMs from one disk: same output as with private copies; kernel and buffer cache shared, M < V', () => {
    const on = run(4, 1), off = run(4, 0);
    const lines = (t: string) => t.replace(/(switches|disk-reads)=\d+/g, '$1=N');
    for (let i = 0; i < 4; i++) {
      expect(on.mon.vms[i].exitCode).toBe(0);
      expect(lines(on.mon.vms[i].consoleText())).toBe(lines(off.mon.vms[i].consoleText()));
    }
    const s = on.record.monitor.sharing!, s0 = off.record.monitor.sharing!;
    expect(s.imagePagesMapped).toBeGreaterThan(0);            // VMs 1–3 mapped VM 0's kernel image
    expect(s.diskPagesMapped).toBeGreaterThan(0);             // and the disk pages it read
    expect(s.vmPages).toBeGreaterThan(s.machinePages);        // V > M: shared pages counted once
    expect(s0.vmPages).toBe(s0.machinePages);                 // nothing shared: V = M
    expect(s.machinePages).toBeLessThan(s0.machinePages);
    // every VM's own view: some of its pages are shared
    for (const v of on.record.vms) expect(v.footprint.sharedPages).toBeGreaterThan(0);
    expect(on.record.vms.reduce((n, v) => n + v.footprint.pages, 0)).toBe(s.vmPages);
  }, 120_000);

  it('a file written in one VM: the writer reads its bytes back, another VM booted from the same disk reads the disk\'s', () => {
    const machine = new Machine(guestMachine(2, { memoryPerNodeMB: 32 }));
    const img = guestDisk('tests');
    const enc = (t: string) => new TextEncoder().encode(t);
    const specs = ['w', 'r'].map((mode, i) => ({ name: `vm${i}`, vcpus: 1, memoryMB: 12, kernbase: 0xc0000000, image: kernel('hal').image!, diskImage: img, consoleInput: enc(`filewrite ${mode}\n`) }));
    const m = createMonitor(machine, specs, {});
    if (!m.ok) throw new Error(JSON.stringify(m.errors));
    machine.run({ maxCycles: 1_000_000_000 });
    const line = (t: string) => /filewrite: read.*\n/.exec(t)?.[0];
    // natively, on a disk of its own each: the written bytes, and the disk's
    const nw = line(boot('filewrite w', 1).console), nr = line(boot('filewrite r', 1).console);
    expect(nw).toBe('filewrite: read 0x77726974 0x74656e20 0x62792061 0x20564d21\n');   // "written by a VM!"
    expect(nr).not.toBe(nw);
    const [w, r] = m.monitor.vms;
    expect(line(w.consoleText())).toBe(nw);
    expect(line(r.consoleText())).toBe(nr);
    expect(w.dev.disk.writes).toBe(1);
    expect(w.dev.disk.overlay.size).toBe(1);          // bytes 1000–1015: one sector, in the writer's overlay
    expect(r.dev.disk.overlay.size).toBe(0);
  }, 120_000);
});
