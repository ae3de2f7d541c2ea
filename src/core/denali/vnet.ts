/**
 * The virtual network device of a Denali VM, seen from the kernel: packets the load generator
 * sends wait in the VM's receive queue (`rx`); `net.recv` copies the next one into the VM's
 * buffer and keeps the request until `net.send` answers it. Buffers are guest addresses in the
 * VM's flat address space, translated word by word through its page table (a buffer may cross
 * a page boundary; its pages need not be contiguous in machine memory), and checked against the
 * VM's memory first: a bad buffer is refused (−1), never followed.
 *
 * A request packet is 3 words: sequence number, type, response size [bytes]. A response's word 0
 * is the request's sequence number and word 1 its length; the load generator counts a response
 * whose length is not the requested size as wrong.
 */
import { IRQ } from './vregs';
import type { DenaliVm } from './vm';
import { REQUEST_BYTES, takeAnswered, type Request } from '../load/loadgen';

/** Index in machine memory's words of the word at guest address `va` (word-aligned, inside the VM). */
export function wordIndex(v: DenaliVm, va: number): number {
  return (v.pages[va >>> 12] << 10) | ((va & 0xfff) >>> 2);
}

/** `net.recv`: the next request into the buffer at `va` (`max` bytes): its length, 0 = none, −1 = bad buffer. */
export function netRecv(words: Int32Array, v: DenaliVm, va: number, max: number): number {
  if ((va & 3) !== 0 || max < REQUEST_BYTES || va + REQUEST_BYTES > v.memBytes) return -1;
  const req = v.rx.shift();
  if (req === undefined) return 0;
  v.inflight.push(req);
  words[wordIndex(v, va)] = req.seq;
  words[wordIndex(v, va + 4)] = req.type;
  words[wordIndex(v, va + 8)] = req.bytes;
  if (v.rx.length === 0) v.pending &= ~IRQ.net;
  return REQUEST_BYTES;
}

/** `net.send`: the response at `va` (`len` bytes) answers the request whose sequence number it carries; undefined = refused. */
export function netSend(words: Int32Array, v: DenaliVm, va: number, len: number): { req: Request; ok: boolean } | undefined {
  if ((va & 3) !== 0 || len < REQUEST_BYTES || va + len > v.memBytes) return undefined;
  return takeAnswered(v.inflight, words[wordIndex(v, va)], len, words[wordIndex(v, va + 4)]);
}
