/**
 * Monitor calls: one per virtual device, all arguments in one trap (the paper's replacement for
 * trap-and-emulate of device registers).
 *
 * Convention: `syscall 0xd15c` (the 20-bit code field = HYPERCALL_CODE) executed in virtual
 * kernel mode. Call number in $v0, arguments in $a0..$a3, result in $v0 (negative = error);
 * other registers are preserved. The same instruction in virtual user mode, or with another
 * code, is an ordinary system call delivered to the guest kernel.
 */
import type { DevCtx } from './state';
import { VIRTUAL_DEVICES } from './devices';
import { PAGE } from '../pmap';
import { netPost, netRecv, netSend } from './net';

export const HYPERCALL_CODE = 0xd15c;

export interface Hypercall {
  nr: number;
  name: string;
  description: string;
  /** Returns $v0 and how many 4 KiB pages it touched (charged `hypercall.perPage` each). */
  run(c: DevCtx, a: readonly number[]): { v0: number; pages: number };
}

const dev = (name: string) => VIRTUAL_DEVICES.find((d) => d.name === name)!;
const pagesOf = (gpa: number, len: number) => (len <= 0 ? 0 : Math.floor((gpa + len - 1) / PAGE) - Math.floor(gpa / PAGE) + 1);

export const HYPERCALLS: readonly Hypercall[] = [
  { nr: 1, name: 'console.putc', description: 'a0 = byte: console output', run: (c, a) => { c.svc.consoleByte(c.vm, a[0] & 0xff); return { v0: 0, pages: 0 }; } },
  {
    nr: 2, name: 'console.write', description: 'a0 = guest-physical buffer, a1 = length: console output; returns the length or −1 (buffer outside the VM)',
    run: (c, a) => {
      const gpa = a[0] >>> 0, len = a[1] >>> 0;
      if (len > 1 << 20) return { v0: -1, pages: 0 };
      const buf = new Uint8Array(len);
      if (!c.svc.copyFromGuest(c.vm, gpa, buf)) return { v0: -1, pages: 0 };
      for (const b of buf) c.svc.consoleByte(c.vm, b);
      return { v0: len, pages: pagesOf(gpa, len) };
    },
  },
  { nr: 3, name: 'console.getc', description: 'returns the next input byte or −1', run: (c) => ({ v0: dev('console').read(c, 0x08), pages: 0 }) },
  {
    nr: 4, name: 'disk.io', description: 'a0 = 1 read / 2 write, a1 = sector, a2 = count, a3 = guest-physical buffer: starts the transfer (completion raises virtual IP3, STATUS = DONE/ERROR); returns 0, or −(ERROR code) at once',
    run: (c, a) => {
      const d = dev('disk'), s = c.vm.dev.disk;
      d.write(c, 0x00, a[1]); d.write(c, 0x04, a[2]); d.write(c, 0x08, a[3]); d.write(c, 0x0c, a[0]);
      return { v0: s.status === 3 ? -s.error : 0, pages: s.status === 1 ? Math.ceil((a[2] >>> 0) * 512 / PAGE) : 0 };
    },
  },
  { nr: 5, name: 'disk.ack', description: 'returns the disk STATUS and acknowledges it (lowers virtual IP3)', run: (c) => { const st = c.vm.dev.disk.status; dev('disk').write(c, 0x0c, 3); return { v0: st, pages: 0 }; } },
  { nr: 6, name: 'power.exit', description: 'a0 = exit status: the VM powers off', run: (c, a) => { c.svc.vmExit(c.vm, a[0] | 0, c.cpu); return { v0: 0, pages: 0 }; } },
  {
    nr: 7, name: 'page.zero', description: 'a0 = guest-physical page: the monitor zeroes it ("give me a zeroed page" hint); returns 0 or −1',
    run: (c, a) => ({ v0: c.svc.zeroPage(c.cpu, c.vm, Math.floor((a[0] >>> 0) / PAGE)) ? 0 : -1, pages: 0 }),
  },
  { nr: 8, name: 'ipi.send', description: 'a0 = mask of target vCPUs: inter-processor interrupts (virtual IP4)', run: (c, a) => { dev('ipi').write(c, 0x00, a[0]); return { v0: 0, pages: 0 }; } },
  { nr: 9, name: 'ipi.clear', description: 'a0 = mask: clears this vCPU\'s pending IPI bits; returns the bits that were pending', run: (c, a) => { const p = c.vm.dev.ipi.pending[c.vcpu.id]; dev('ipi').write(c, 0x08, a[0]); return { v0: p, pages: 0 }; } },
  {
    nr: 11, name: 'page.free', description: 'a0 = guest-physical page: "this page is free" — the monitor reclaims its machine page (the guest page reads as zeros when next used); returns 0 or −1',
    run: (c, a) => ({ v0: c.svc.freePage(c.cpu, c.vm, Math.floor((a[0] >>> 0) / PAGE)) ? 0 : -1, pages: 0 }),
  },
  {
    nr: 10, name: 'info', description: 'a0 = 0 vCPU number, 1 vCPUs, 2 memory bytes, 3 clock kHz, 4 the file server\'s network address + 1 (0: none), 5 this VM\'s network address',
    run: (c, a) => ({ v0: [c.vcpu.id, c.vm.vcpus.length, c.vm.memBytes, c.svc.clockKHz, c.vm.fileServer + 1, c.vm.id][a[0]] ?? -1, pages: 0 }),
  },
  {
    nr: 12, name: 'net.send', description: 'a0 = destination VM (network address), a1 = guest-physical buffer, a2 = length (≤ 64 KiB): sends a message (whole page-aligned pages are remapped, not copied); returns 0, −1 (bad argument) or −2 (the receiver\'s queue is full: retry)',
    run: (c, a) => { const copied = { pages: 0 }; const v0 = netSend(c.svc, c.cpu, c.vm, a[0] | 0, a[1] >>> 0, a[2] | 0, copied); return { v0, pages: copied.pages }; },
  },
  {
    nr: 13, name: 'net.post', description: 'a0 = guest-physical buffer, a1 = capacity: a receive buffer (a waiting message fills it at once); returns 0 or −1',
    run: (c, a) => ({ v0: netPost(c.svc, c.cpu, c.vm, a[0] >>> 0, a[1] | 0), pages: 0 }),
  },
  {
    nr: 14, name: 'net.recv', description: 'a0 = guest-physical address of 3 words: the oldest received message\'s { sender, length, buffer } written there; returns 1, 0 when none (the line IP6 drops), −1',
    run: (c, a) => { const copied = { pages: 0 }; const v0 = netRecv(c.svc, c.cpu, c.vm, a[0] >>> 0, copied); return { v0, pages: copied.pages }; },
  },
];

export const HYPERCALL_BY_NR: ReadonlyMap<number, Hypercall> = new Map(HYPERCALLS.map((h) => [h.nr, h]));
