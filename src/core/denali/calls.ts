/**
 * Denali's monitor calls: the paravirtual instructions of a VM. A VM runs in user mode with no
 * privileged instructions; `syscall` is its only way into the isolation kernel. Convention: call
 * number in $v0, arguments in $a0..$a3, result in $v0 (negative = refused); other registers are
 * preserved. Guest addresses are the VM's own (its flat address space from 0); a buffer outside
 * the VM's memory is refused (−1), never followed.
 */
import type { Cpu } from '../machine/cpu/index';
import type { DenaliVm } from './vm';

export interface CallHost {
  /** Idle-with-timeout: blocks `v` until an interrupt or `timeout` cycles (0: no timeout); false when the option is off. */
  idle(cpu: Cpu, v: DenaliVm, timeout: number): boolean;
  exit(cpu: Cpu, v: DenaliVm, code: number): void;
  consoleWrite(v: DenaliVm, va: number, len: number): number;
  netRecv(cpu: Cpu, v: DenaliVm, va: number, max: number): number;
  netSend(cpu: Cpu, v: DenaliVm, va: number, len: number): number;
}

export interface DenaliCall {
  nr: number;
  name: string;
  description: string;
  /** $v0, the pages it copied (charged `call.perPage` each), or 'blocked' (the VM left the CPU; $v0 is set when it wakes). */
  run(h: CallHost, cpu: Cpu, v: DenaliVm, a: Int32Array): { v0: number; pages: number } | 'blocked' | 'ended';
}

const pagesOf = (va: number, len: number) => (len <= 0 ? 0 : ((va + len - 1) >>> 12) - (va >>> 12) + 1);

export const DENALI_CALLS: readonly DenaliCall[] = [
  {
    nr: 1, name: 'idle', description: 'a0 = timeout [cycles] (0: none): idle-with-timeout — leave the run queue until a virtual interrupt is posted or the timeout passes; returns the pending mask (the timer bit when the timeout passed). −1 when the kernel offers no idle-with-timeout (option off)',
    run: (h, cpu, v, a) => {
      if (v.pending !== 0) { const p = v.pending; v.pending &= ~1; return { v0: p, pages: 0 }; }
      return h.idle(cpu, v, a[4] >>> 0) ? 'blocked' : { v0: -1, pages: 0 };
    },
  },
  { nr: 2, name: 'exit', description: 'a0 = status: terminate the VM', run: (h, cpu, v, a) => { h.exit(cpu, v, a[4]); return 'ended'; } },
  {
    nr: 3, name: 'console.write', description: 'a0 = buffer, a1 = length (≤ 4096): console output; returns the length or −1',
    run: (h, _cpu, v, a) => { const n = h.consoleWrite(v, a[4] >>> 0, a[5] >>> 0); return { v0: n, pages: n > 0 ? pagesOf(a[4] >>> 0, n) : 0 }; },
  },
  {
    nr: 4, name: 'net.recv', description: 'a0 = buffer (word-aligned), a1 = its size: takes the next packet of the receive queue — a request: sequence number, type, response size [bytes] (3 words); returns its length, 0 when the queue is empty, −1 for a bad buffer. The net interrupt bit clears when the queue empties',
    run: (h, cpu, v, a) => { const n = h.netRecv(cpu, v, a[4] >>> 0, a[5] | 0); return { v0: n, pages: n > 0 ? 1 : 0 }; },
  },
  {
    nr: 5, name: 'net.send', description: 'a0 = buffer (word-aligned), a1 = length: sends a response (word 0 = the request\'s sequence number, word 1 = its length); returns the length, −1 for a bad buffer or no such request',
    run: (h, cpu, v, a) => { const n = h.netSend(cpu, v, a[4] >>> 0, a[5] | 0); return { v0: n, pages: n > 0 ? pagesOf(a[4] >>> 0, n) : 0 }; },
  },
];

export const DENALI_CALL_BY_NR: ReadonlyMap<number, DenaliCall> = new Map(DENALI_CALLS.map((c) => [c.nr, c]));
