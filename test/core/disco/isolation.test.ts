/**
 * Isolation (issue #6 item 6): no guest action — any TLB write, any PFN, any kseg1/ksseg address,
 * any DMA address — reaches machine memory of another VM; a guest kernel that loops or crashes
 * stops only its own VM. Guests: test/fixtures/disco/{secret,spy,panic,basic}.s.
 */
import { describe, expect, it } from 'vitest';
import { guest, runDisco } from './helpers';
import { MONITOR_VM, SHARED } from '../../../src/core/disco/memmap';

const SECRET = 0x5ec2e7ed;

function countWord(words: Int32Array, w: number): number {
  let n = 0;
  for (let i = 0; i < words.length; i++) if (words[i] === w) n++;
  return n;
}

describe('Disco isolation', () => {
  for (const cpus of [1, 2]) {
    it(`VM B never reads VM A's secret, whatever it maps or DMAs (${cpus} CPU${cpus > 1 ? 's' : ''})`, () => {
      const r = runDisco([
        { name: 'A', memoryMB: 4, image: guest('secret', '.set LOOP, 0\n') },
        { name: 'B', memoryMB: 2, image: guest('spy') },
      ], cpus, { maxCycles: 400_000_000 });
      const [a, b] = r.monitor.vms;
      // the secret really is in machine memory (A's pages), so the scan had something to find
      expect(a.exitCode).toBe(7);
      expect(countWord(r.machine.memory.words, SECRET)).toBeGreaterThanOrEqual((4 * 1024 - 256) / 4);
      const m = /own=(\d+) leaks=(\d+) dma=(\d+) faults=(\d+)/.exec(b.consoleText());
      expect(m, b.consoleText()).not.toBeNull();
      const [own, leaks, dma, faults] = m!.slice(1).map(Number);
      expect(leaks).toBe(0);
      expect(own).toBeGreaterThanOrEqual(3);       // its own page through the TLB, ksseg and kseg1
      expect(dma).toBe(3);                          // all three out-of-VM DMA requests refused
      expect(faults).toBeGreaterThan(0x20000 / 2);  // PFNs beyond its memory fault (bus error), never map
      expect(b.exitCode).toBe(0);
      expect(r.result.reason).toBe('exit');
      // memmap: the VMs own disjoint machine pages — but for the disk blocks B read, which are
      // shared (copy-on-write, the image is the same for both); the monitor's reserved pages
      // belong to nobody else
      const mm = r.monitor.memmap;
      expect([mm.pagesOwnedBy(0) + a.pmap.cowPages, mm.pagesOwnedBy(1) + b.pmap.cowPages, mm.pagesOwnedBy(MONITOR_VM)]).toEqual([4 * 256, 2 * 256, 256]);
      for (let g = 0; g < b.pmap.pages; g++) if (b.pmap.cow[g]) expect(mm.owner[b.pmap.mpn[g]]).toBe(SHARED);
      const aPages = new Set(Array.from(a.pmap.mpn)), bPages = Array.from(b.pmap.mpn);
      expect(bPages.some((p) => aPages.has(p))).toBe(false);
      expect(Math.min(...aPages, ...bPages)).toBeGreaterThanOrEqual(256);
    });
  }

  it('a guest kernel that loops forever stops only its VM', () => {
    const r = runDisco([
      { name: 'A', memoryMB: 2, image: guest('secret', '.set LOOP, 1\n') },
      { name: 'B', memoryMB: 2 },
    ], 1, { maxCycles: 5_000_000 });
    const [a, b] = r.monitor.vms;
    expect(b.status).toBe('exited');
    expect(b.consoleText()).toContain('hello from user\nsum=');
    expect(a.status).toBe('running');
    expect(a.consoleText()).toBe('secret stored\n');
    expect(r.result.reason).toBe('maxCycles');
    expect(r.monitor.counts.switches).toBeGreaterThanOrEqual(3);   // time-shared with the looping VM
  });

  it('a guest kernel that crashes (exception with no vectors) stops only its VM', () => {
    const r = runDisco([{ name: 'A', image: guest('panic') }, { name: 'B' }], 2);
    const [a, b] = r.monitor.vms;
    expect(a.status).toBe('stopped');
    expect(a.stopReason).toMatch(/BEV = 1/);
    expect(b.status).toBe('exited');
    expect(b.consoleText()).toContain('hello from user\nsum=');
    expect(r.result.reason).toBe('exit');
    expect(r.result.exitCode).toBe(1);   // a VM was stopped by the monitor
  });
});
