/**
 * The virtual network (the paper's §4.2.4): every VM has a network interface on one virtual
 * subnet inside the monitor; its address is the VM's number. A paravirtual device, reached only
 * by monitor calls (hypercall.ts: net.send, net.post, net.recv) — there is no such device on the
 * bare machine.
 *
 *   - The receiver **posts** buffers (guest-physical address, capacity); a message fills the
 *     oldest one, is recorded as a completion (sender, length, buffer) and raises the receiver's
 *     virtual line NET_LINE on its vCPU 0 until the completions are read (`net.recv`).
 *   - A message to a VM with no buffer posted waits in the monitor (at most NET_QUEUE per VM;
 *     beyond that the send fails with −2 and the sender retries).
 *   - **Page remapping**: a payload of whole, page-aligned pages into a page-aligned buffer is not
 *     copied. The sender's pages become shared (copy-on-write, sharing.ts) and the receiver's
 *     buffer pages are mapped onto them — the paper's "remap" replacing bcopy in NFS; a write
 *     by either side later copies (`net.remap` per page; with `memorySharing` 0 everything is
 *     copied). Anything else is copied (`hypercall.perPage` per page, charged by the call).
 *
 * The state is plain data (snapshots): messages hold bytes, or the machine pages they carry —
 * each counted as one user of its shared page until it is mapped or dropped.
 */
import type { Cpu } from '../../machine/cpu/index';
import { PAGE } from '../pmap';
import type { Vm } from '../vm';
import type { MonitorServices } from './state';
import { CLIENTS_ADDR, type ServiceClients } from './clients';

/** The receiver's virtual interrupt line (IP6: Cause bit 14). */
export const NET_LINE = 6;
/** Messages waiting for a posted buffer, per VM, and buffers posted at once. */
export const NET_QUEUE = 64;
/** The largest message [bytes]. */
export const NET_MAX = 64 * 1024;

/** A message in flight: its sender and length, and either its bytes or the machine pages it carries. */
export interface NetMessage { src: number; len: number; bytes: Uint8Array | null; pages: number[] | null }

export interface NicState {
  /** Buffers posted and not yet filled, oldest first. */
  posted: { gpa: number; cap: number }[];
  /** Filled buffers not yet read by the guest, oldest first. */
  done: { src: number; len: number; gpa: number }[];
  /** Messages waiting for a buffer. */
  queue: NetMessage[];
  sent: number;
  received: number;
  /** Pages delivered by remapping, and bytes delivered by copying. */
  pagesRemapped: number;
  bytesCopied: number;
}

export function newNic(): NicState {
  return { posted: [], done: [], queue: [], sent: 0, received: 0, pagesRemapped: 0, bytesCopied: 0 };
}

/** What the network needs from the monitor beyond the other devices' services (part of MonitorServices). */
export interface NetServices {
  /** The VM with number `id`, or undefined. */
  vmById(id: number): Vm | undefined;
  /** Makes guest page `gppn` of `vm` shared and takes one more user of it for a message: its machine page, or −1 (sharing off). */
  sharePage(cpu: Cpu, vm: Vm, gppn: number): number;
  /** Maps guest page `gppn` of `vm` onto shared machine page `mpn`, taking over one user reference (the message's). */
  mapPage(cpu: Cpu, vm: Vm, gppn: number, mpn: number): void;
  /** Drops a message's reference to shared page `mpn`. */
  dropPage(mpn: number): void;
  /** Copies machine page `mpn` into `dst` (at `off`). */
  readPage(mpn: number, dst: Uint8Array, off: number): void;
  charge(cpu: Cpu, vm: number, cause: string, times?: number): void;
  /** The load generator's clients at CLIENTS_ADDR, or null (no load: the address is unknown). */
  readonly clients: ServiceClients | null;
}

type Services = MonitorServices;

const aligned = (gpa: number, len: number) => (gpa >>> 0) % PAGE === 0 && len % PAGE === 0 && len > 0;

/**
 * `net.send`: `len` bytes at guest-physical `gpa` of `vm` to VM `dest`. Returns 0, −1 for a bad
 * argument (no such VM, itself, outside its memory, too long), −2 when the receiver's queue is full.
 * `copied` gets the pages copied (for the call's per-page charge).
 */
export function netSend(s: Services, cpu: Cpu, vm: Vm, dest: number, gpa: number, len: number, copied: { pages: number }): number {
  if (dest === CLIENTS_ADDR && s.clients !== null) return toClients(s, cpu, vm, gpa, len, s.clients, copied);
  const to = s.vmById(dest);
  if (to === undefined || to === vm || len < 0 || len > NET_MAX || (gpa >>> 0) + len > vm.memBytes) return -1;
  if (!to.alive) return 0;   // a powered-off receiver: the message is lost, as on a wire
  const nic = to.dev.nic;
  if (nic.posted.length === 0 && nic.queue.length >= NET_QUEUE) return -2;
  let msg: NetMessage;
  const first = aligned(gpa, len) ? s.sharePage(cpu, vm, (gpa >>> 0) / PAGE) : -1;
  if (first >= 0) {
    const pages = [first];
    for (let p = 1; p < len / PAGE; p++) pages.push(s.sharePage(cpu, vm, (gpa >>> 0) / PAGE + p));
    msg = { src: vm.id, len, bytes: null, pages };
  } else {
    const bytes = new Uint8Array(len);
    s.copyFromGuest(vm, gpa, bytes);
    copied.pages += Math.ceil(len / PAGE);
    msg = { src: vm.id, len, bytes, pages: null };
  }
  vm.dev.nic.sent++;
  if (nic.posted.length !== 0) place(s, cpu, vm, to, msg, nic.posted.shift()!);
  else nic.queue.push(msg);
  return 0;
}

/** A response to the clients: copied off the machine; −1 when it answers no request the VM was sent. */
function toClients(s: Services, cpu: Cpu, vm: Vm, gpa: number, len: number, clients: ServiceClients, copied: { pages: number }): number {
  if (len < 0 || len > NET_MAX || (gpa >>> 0) + len > vm.memBytes) return -1;
  const bytes = new Uint8Array(len);
  s.copyFromGuest(vm, gpa, bytes);
  copied.pages += Math.ceil(len / PAGE);
  if (!clients.respond(vm.id, bytes, s.now(cpu))) return -1;
  vm.dev.nic.sent++;
  return 0;
}

/**
 * A message from off the machine (the clients) for `vm`, at an event outside any CPU: it waits in
 * the VM's queue, and with a buffer posted the line goes up at once; the monitor copies it into
 * the buffer when the guest next calls `net.recv` (or `net.post`), charged to that CPU. False
 * when the VM is not running.
 */
export function netDeliver(s: Services, vm: Vm, src: number, bytes: Uint8Array): boolean {
  if (!vm.alive) return false;
  const nic = vm.dev.nic;
  nic.queue.push({ src, len: bytes.length, bytes, pages: null });
  if (nic.posted.length !== 0) s.setVirtualLine(vm, 0, NET_LINE, true);
  return true;
}

/** `net.post`: a receive buffer. 0, or −1 (outside the VM, too many posted). A waiting message fills it at once. */
export function netPost(s: Services, cpu: Cpu, vm: Vm, gpa: number, cap: number): number {
  const nic = vm.dev.nic;
  if (cap <= 0 || cap > NET_MAX || (gpa >>> 0) + cap > vm.memBytes || nic.posted.length >= NET_QUEUE) return -1;
  const buf = { gpa: gpa >>> 0, cap };
  s.clients?.listen(vm.id, s.now(cpu));
  if (nic.queue.length !== 0) place(s, cpu, vm, vm, nic.queue.shift()!, buf);
  else nic.posted.push(buf);
  return 0;
}

/**
 * `net.recv`: the oldest completion written as three words { sender, length, buffer } at
 * guest-physical `desc`; 1, or 0 when there is none (−1: `desc` outside the VM). The line drops
 * when no completion is left. Messages from off the machine waiting for posted buffers are copied
 * in first (`copied` gets their pages, for the call's per-page charge).
 */
export function netRecv(s: Services, cpu: Cpu, vm: Vm, desc: number, copied: { pages: number }): number {
  const nic = vm.dev.nic;
  while (nic.queue.length !== 0 && nic.posted.length !== 0) {   // messages from off the machine, copied in now
    const m = nic.queue.shift()!;
    place(s, cpu, vm, vm, m, nic.posted.shift()!);
    copied.pages += Math.ceil(m.len / PAGE);
  }
  if (nic.done.length === 0) { s.setVirtualLine(vm, 0, NET_LINE, false); return 0; }
  const d = nic.done[0], b = new Uint8Array(12), w = new DataView(b.buffer);
  w.setUint32(0, d.src); w.setUint32(4, d.len); w.setUint32(8, d.gpa);
  if (!s.copyToGuest(vm, desc, b)) return -1;
  nic.done.shift();
  if (nic.done.length === 0) s.setVirtualLine(vm, 0, NET_LINE, false);
  return 1;
}

/**
 * Delivers `msg` into buffer `buf` of `vm`: remapped when it carries pages and the buffer takes
 * them whole, else copied; the work is charged to `payer`, the VM whose monitor call does it (the
 * sender's send, or the receiver's post that a waiting message fills).
 */
function place(s: Services, cpu: Cpu, payer: Vm, vm: Vm, msg: NetMessage, buf: { gpa: number; cap: number }): void {
  const nic = vm.dev.nic, len = Math.min(msg.len, buf.cap);
  if (msg.pages !== null && buf.gpa % PAGE === 0 && buf.cap >= msg.len) {
    msg.pages.forEach((mpn, k) => s.mapPage(cpu, vm, buf.gpa / PAGE + k, mpn));
    s.charge(cpu, payer.id, 'net.remap', msg.pages.length);
    nic.pagesRemapped += msg.pages.length;
  } else {
    let bytes = msg.bytes;
    if (bytes === null) {
      bytes = new Uint8Array(msg.len);
      msg.pages!.forEach((mpn, k) => { s.readPage(mpn, bytes!, k * PAGE); s.dropPage(mpn); });
    }
    s.copyToGuest(vm, buf.gpa, bytes.subarray(0, len), cpu);
    nic.bytesCopied += len;
  }
  nic.received++;
  nic.done.push({ src: msg.src, len, gpa: buf.gpa });
  s.setVirtualLine(vm, 0, NET_LINE, true);
}

/** A VM powered off: the messages waiting for it release the pages they carry. */
export function netDrop(s: Services, vm: Vm): void {
  for (const m of vm.dev.nic.queue) for (const mpn of m.pages ?? []) s.dropPage(mpn);
  vm.dev.nic.queue.length = 0;
}
