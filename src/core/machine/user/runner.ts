/**
 * User-mode runner core (like SPIM or qemu-user): runs a static big-endian MIPS32 ELF program
 * in **user mode** with Linux o32 system calls, on the same CPU as full-system runs.
 *
 * Kernel-less design: there is no guest kernel. The runner owns a one-level page table
 * (virtual page → physical page + writable) and installs itself as the CPU's exception
 * interceptor, so it plays the kernel in TypeScript:
 *   - TLB refill (TLBL/TLBS with no matching entry): looks the even/odd pair up in the page
 *     table, allocating demand-zero pages for the heap ([brk start, brk)) and the stack, writes
 *     the pair with `tlbwr` semantics (entry Random, ASID 1, C = 3, D for writable pages) and
 *     re-executes the instruction. Charged `REFILL_CYCLES` to the kernel bucket.
 *   - syscall: o32 convention — number in $v0, arguments $a0..$a3; result in $v0, $a3 = 0 on
 *     success or 1 with a positive errno in $v0. Charged `SYSCALL_CYCLES` to kernel.
 *   - everything else (address errors, TLB invalid/modified = segmentation faults, break, trap,
 *     overflow, reserved instruction, coprocessor unusable) ends the run with a `UserFault`.
 * So every user address goes through the 64-entry TLB and the soft-TLBs exactly as in a
 * full-system run (only the refill handler is TypeScript instead of guest code).
 *
 * Memory layout (qemu-like): ELF segments where the program says; brk starts at the page after
 * the highest segment end; the stack ends at `STACK_TOP` with `STACK_BYTES` of demand-zero pages
 * below. At entry $sp → argc, argv[0..argc-1], NULL, envp NULL, auxv (AT_PAGESZ, AT_NULL);
 * all other registers are 0.
 */
import type { MemoryTiming, TimeBuckets } from '../contracts';
import { Cpu, type CpuCounters, type CpuModelId } from '../cpu/core';
import { EL_D, EL_V, EXC_DESCRIPTIONS, EXC_NAMES, Exc } from '../cpu/cp0';
import { PhysicalMemory } from '../memory/physical';
import type { ElfImage } from './elf';

export const STACK_TOP = 0x7fff0000;
export const STACK_BYTES = 8 << 20;
export const REFILL_CYCLES = 12;
export const SYSCALL_CYCLES = 40;
const ASID = 1;
/** Status for the program: KSU = 2 (user), EXL = ERL = IE = 0. */
export const USER_STATUS = 2 << 3;
const PAGE = 4096;

export const SYS = { exit: 4001, read: 4003, write: 4004, brk: 4045, exit_group: 4246 } as const;
const EBADF = 9, EFAULT = 14;

/** Host side of the process's file descriptors (0 stdin, 1 stdout, 2 stderr). */
export interface UserIo {
  write(fd: number, data: Uint8Array): void;
  /** Up to `max` bytes from `fd` (empty at end of file). */
  read(fd: number, max: number): Uint8Array;
}

/** A guest fault, as a value. */
export interface UserFault {
  /** ExcCode name (AdEL, TLBL, Mod, Bp, ...) or 'Syscall' for an unsupported system call. */
  cause: string;
  excCode: number;
  description: string;
  pc: number;
  badVAddr?: number;
  inDelaySlot: boolean;
  /** System call number for cause 'Syscall'. */
  syscall?: number;
}

export type UserOutcome =
  | { kind: 'exited'; status: number }
  | { kind: 'fault'; fault: UserFault }
  | { kind: 'limit' };

export interface UserRunResult {
  outcome: UserOutcome;
  instructions: number;
  cycles: number;
  buckets: TimeBuckets;
  counters: CpuCounters;
}

export interface UserProcessOptions {
  model?: CpuModelId;
  /** Physical memory for the process (default 128 MB). */
  memoryBytes?: number;
  argv?: string[];
  io: UserIo;
  timing?: MemoryTiming;
}

/**
 * Why `image` cannot be loaded into a process with `memoryBytes` of physical memory, or
 * undefined when it can: every segment must lie in kuseg (below 0x80000000) and all their pages
 * must fit in memory (page 0 is reserved). Checked before anything is copied, so a crafted file
 * cannot make the runner loop over gigabytes or silently drop the segments that do not fit.
 */
export function checkUserImage(image: ElfImage, memoryBytes: number): string | undefined {
  const pages = new Set<number>();
  const hex = (n: number) => `0x${(n >>> 0).toString(16)}`;
  for (const seg of image.segments) {
    const start = seg.vaddr >>> 0, end = start + seg.memSize;
    if (end > 0x80000000) return `segment at ${hex(start)} (${seg.memSize} bytes) is outside user space (kuseg ends at 0x80000000)`;
    for (let p = Math.floor(start / PAGE); p * PAGE < end; p++) pages.add(p);
    if ((pages.size + 1) * PAGE > memoryBytes) return `segments need more than the process's ${memoryBytes >> 20} MiB of memory`;
  }
  return undefined;
}

export class UserProcess {
  readonly cpu: Cpu;
  readonly memory: PhysicalMemory;
  private readonly io: UserIo;
  /** Page table for kuseg: index = vaddr >>> 12; value = ppn * 2 + writable, 0 = unmapped. */
  private readonly pt = new Int32Array(0x80000);
  private nextPpn = 1;
  private brkStart = 0;
  private brk = 0;
  private outcome: UserOutcome | undefined;

  constructor(image: ElfImage, opts: UserProcessOptions) {
    this.io = opts.io;
    const memoryBytes = opts.memoryBytes ?? 128 << 20;
    const bad = checkUserImage(image, memoryBytes);
    if (bad) throw new Error(`bug: UserProcess given an image that does not load (call checkUserImage first): ${bad}`);
    this.memory = new PhysicalMemory(1, memoryBytes);
    this.cpu = new Cpu(opts.model ?? 'fast', 0, {
      memory: this.memory,
      mmioRead32: () => undefined,
      mmioWrite32: () => false,
      ...(opts.timing && { timing: opts.timing }),
    });
    let end = 0;
    for (const seg of image.segments) {
      for (let va = seg.vaddr - (seg.vaddr % PAGE); va < seg.vaddr + seg.memSize; va += PAGE) this.map(va >>> 12, seg.writable);
      this.copyIn(seg.vaddr, seg.data);
      end = Math.max(end, seg.vaddr + seg.memSize);
    }
    this.brkStart = this.brk = Math.ceil(end / PAGE) * PAGE;
    const sp = this.buildStack(opts.argv ?? ['a.out']);
    const cpu = this.cpu;
    cpu.reset(image.entry | 0);
    cpu.writeCp0(12, 0, USER_STATUS);  // KSU = user, EXL = ERL = 0, interrupts off
    cpu.writeCp0(10, 0, ASID);
    cpu.r[29] = sp;
    cpu.interceptor = { onException: (_id, code, badVAddr, inSlot, pc) => this.onException(code, badVAddr, inSlot, pc) };
  }

  /** Run until exit, a fault, or `maxInstructions` more instructions. */
  run(maxInstructions = Number.POSITIVE_INFINITY): UserRunResult {
    const cpu = this.cpu;
    const stopAt = cpu.counters.instructions + maxInstructions;
    while (this.outcome === undefined) {
      const left = stopAt - cpu.counters.instructions;
      if (left <= 0) break;
      // run in slices of at most 2^24 cycles; in the fast model cycles ≈ instructions
      cpu.run(cpu.cycle + Math.min(left, 1 << 24));
      if (cpu.state === 'halted') break;
    }
    return {
      outcome: this.outcome ?? { kind: 'limit' },
      instructions: cpu.counters.instructions, cycles: cpu.cycle,
      buckets: { ...cpu.buckets }, counters: { ...cpu.counters, exceptions: cpu.counters.exceptions.slice() },
    };
  }

  // --- memory -----------------------------------------------------------------------------

  private map(vpn: number, writable: boolean): number {
    const cur = this.pt[vpn];
    if (cur !== 0) { if (writable && (cur & 1) === 0) this.pt[vpn] = cur | 1; return cur >>> 1; }
    if ((this.nextPpn + 1) * PAGE > this.memory.bytes) return -1;
    const ppn = this.nextPpn++;
    this.pt[vpn] = ppn * 2 + (writable ? 1 : 0);
    return ppn;
  }

  /** Physical address of user `va` (mapping demand-zero pages), or −1. */
  private phys(va: number, forWrite: boolean): number {
    const u = va >>> 0;
    if (u >= 0x80000000) return -1;
    let e = this.pt[u >>> 12];
    if (e === 0) { if (!this.demandZero(u >>> 12)) return -1; e = this.pt[u >>> 12]; }
    if (forWrite && (e & 1) === 0) return -1;
    return (e >>> 1) * PAGE + (u & (PAGE - 1));
  }

  private demandZero(vpn: number): boolean {
    const va = vpn * PAGE;
    const inHeap = va >= this.brkStart && va < this.brk;
    const inStack = va >= STACK_TOP - STACK_BYTES && va < STACK_TOP;
    if (!inHeap && !inStack) return false;
    return this.map(vpn, true) >= 0;
  }

  /** Copies `data` to user `va` page by page (one translation per page). */
  private copyIn(va: number, data: Uint8Array): boolean {
    const u8 = this.memory.u8;
    for (let i = 0; i < data.length;) {
      const pa = this.phys(va + i, false);
      if (pa < 0) return false;
      const n = Math.min(data.length - i, PAGE - ((va + i) & (PAGE - 1)));
      for (let k = 0; k < n; k++) u8[(pa + k) ^ 3] = data[i + k];
      i += n;
    }
    return true;
  }

  private copyOut(va: number, n: number): Uint8Array | undefined {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const pa = this.phys(va + i, false);
      if (pa < 0) return undefined;
      out[i] = this.memory.u8[pa ^ 3];
    }
    return out;
  }

  private buildStack(argv: string[]): number {
    const enc = (s: string) => { const b = new Uint8Array(s.length + 1); for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i) & 0xff; return b; };
    let top = STACK_TOP - 16;
    const ptrs: number[] = [];
    for (const a of argv) { const b = enc(a); top -= b.length; this.copyInW(top, b); ptrs.push(top); }
    top &= ~15;
    // argc, argv[], NULL, envp NULL, auxv: AT_PAGESZ(6) 4096, AT_NULL
    const words = [argv.length, ...ptrs, 0, 0, 6, PAGE, 0, 0];
    let sp = top - words.length * 4;
    sp &= ~7;
    words.forEach((wv, i) => this.copyInW(sp + i * 4, new Uint8Array([wv >>> 24, (wv >>> 16) & 255, (wv >>> 8) & 255, wv & 255])));
    return sp;
  }
  private copyInW(va: number, data: Uint8Array): void {
    for (let i = 0; i < data.length; i++) this.memory.u8[this.phys(va + i, true) ^ 3] = data[i];
  }

  // --- the "kernel" ----------------------------------------------------------------------

  private onException(code: number, badVAddr: number, inSlot: boolean, pc: number): boolean {
    const cpu = this.cpu;
    if ((code === Exc.TLBL || code === Exc.TLBS) && cpu.excIsRefill && badVAddr < 0x80000000) {
      const vpn2 = badVAddr >>> 13;
      const page = (badVAddr >>> 12);
      if (this.pt[page] === 0 && !this.demandZero(page)) return this.fault(code, pc, inSlot, badVAddr);
      const lo = (vpn: number) => {
        const e = this.pt[vpn];
        return e === 0 ? 0 : ((e >>> 1) << 6) | (3 << 3) | ((e & 1) !== 0 ? EL_D : 0) | EL_V;
      };
      cpu.writeTlbEntry(cpu.randomValue(), ((vpn2 << 13) | ASID) | 0, lo(vpn2 * 2), lo(vpn2 * 2 + 1), 0);
      cpu.chargeKernel(REFILL_CYCLES);
      return true;  // re-execute
    }
    if (code === Exc.Sys) return this.syscall(pc, inSlot);
    const hasAddr = code === Exc.TLBL || code === Exc.TLBS || code === Exc.Mod || code === Exc.AdEL || code === Exc.AdES;
    return this.fault(code, pc, inSlot, hasAddr ? badVAddr : undefined);
  }

  private fault(code: number, pc: number, inSlot: boolean, badVAddr?: number): true {
    const description = code === Exc.Mod ? 'store to a read-only page'
      : (code === Exc.TLBL || code === Exc.TLBS) ? `unmapped address (segmentation fault) on ${code === Exc.TLBS ? 'store' : 'load or fetch'}`
        : EXC_DESCRIPTIONS[code] ?? 'exception';
    this.outcome = { kind: 'fault', fault: { cause: EXC_NAMES[code], excCode: code, description, pc: pc >>> 0, inDelaySlot: inSlot, ...(badVAddr !== undefined && { badVAddr: badVAddr >>> 0 }) } };
    this.cpu.halt();
    return true;
  }

  private syscall(pc: number, inSlot: boolean): boolean {
    const cpu = this.cpu, r = cpu.r;
    const nr = r[2], a0 = r[4], a1 = r[5], a2 = r[6];
    cpu.chargeKernel(SYSCALL_CYCLES);
    const ok = (v: number) => { r[2] = v | 0; r[7] = 0; };
    const err = (errno: number) => { r[2] = errno; r[7] = 1; };
    switch (nr) {
      case SYS.exit: case SYS.exit_group:
        this.outcome = { kind: 'exited', status: a0 & 0xff };
        cpu.halt();
        return true;
      case SYS.write: {
        if (a0 !== 1 && a0 !== 2) { err(EBADF); break; }
        const n = a2 >>> 0;
        const data = this.copyOut(a1, n);
        if (!data) { err(EFAULT); break; }
        this.io.write(a0, data);
        ok(n);
        break;
      }
      case SYS.read: {
        if (a0 !== 0) { err(EBADF); break; }
        const data = this.io.read(0, a2 >>> 0);
        let i = 0;
        for (; i < data.length; i++) {
          const pa = this.phys(a1 + i, true);
          if (pa < 0) break;
          this.memory.u8[pa ^ 3] = data[i];
        }
        if (i < data.length && i === 0) { err(EFAULT); break; }
        ok(i);
        break;
      }
      case SYS.brk: {
        // Linux/qemu: brk(0) or an invalid request returns the current break
        const want = a0 >>> 0;
        if (want >= this.brkStart && want < STACK_TOP - STACK_BYTES) {
          if (want < this.brk) {
            // shrinking: unmap whole pages above the new break (physical pages are not reused)
            for (let p = Math.ceil(want / PAGE); p * PAGE < this.brk; p++) this.pt[p] = 0;
            cpu.flushTlbAll();
          }
          this.brk = want;
        }
        ok(this.brk);
        break;
      }
      default:
        this.outcome = { kind: 'fault', fault: { cause: 'Syscall', excCode: Exc.Sys, description: `unsupported system call ${nr}`, pc: pc >>> 0, inDelaySlot: inSlot, syscall: nr } };
        cpu.halt();
        return true;
    }
    cpu.skipInstruction();
    return true;
  }
}
