/**
 * What each **monitor cause** means: the one table of descriptions for the names under which the
 * Disco monitor — and the Denali isolation kernel (src/core/denali/cost-model.ts) — charges its time (`Accounting.charge(cpu, vm, cause)` → `monitor.byCause` and each
 * VM's `monitor.byCause` in the run record). Kept next to the cost model (./cost-model.ts), which
 * says how many cycles each cause costs; this table says, in a reader's words, *when* the monitor
 * spends them. The UI (results, compare) shows these descriptions beside the numbers, served by
 * the API (`monitor.causes()`); docs/ui.md carries the same table (a test keeps them equal).
 *
 * Wording from docs/monitor-cost-model.md and docs/disco.md ("The TLB-miss path", "Accounting").
 * Pure data: no imports, so any layer's host may serve it.
 */

/** Cause name → one-sentence description. Every cause the monitor charges has an entry. */
export const MONITOR_CAUSES: Readonly<Record<string, string>> = Object.freeze({
  trap: 'Every entry into the monitor from a guest exception and the return to the guest (register save/restore, vector dispatch); counted once per trap, whatever its reason.',
  'emulate.mfc0': 'The guest kernel read a CP0 register (mfc0): in supervisor mode it traps, and the monitor returns the virtual CP0 register.',
  'emulate.mtc0': 'The guest kernel wrote a CP0 register (mtc0): the monitor updates the virtual register (Status: new hardware mode and pending interrupts; Compare: the timer).',
  'emulate.tlbwi': 'Guest TLB write at Index: the monitor updates the virtual TLB, translates the guest page through the pmap and inserts the machine page into the hardware TLB.',
  'emulate.tlbwr': 'Guest TLB write at Random (the refill handler\'s tlbwr): the same work as tlbwi — the heart of "trap emulation of TLB reload".',
  'emulate.tlbp': 'Guest TLB probe: a software search of the 64-entry virtual TLB.',
  'emulate.tlbr': 'Guest TLB read: a virtual TLB entry copied into the virtual EntryHi / EntryLo / PageMask.',
  'emulate.eret': 'Guest return from exception: the monitor restores the hardware mode from the virtual Status, checks pending virtual interrupts and jumps to the virtual EPC.',
  'emulate.wait': 'Guest idle instruction (wait): the monitor deschedules the virtual CPU until an interrupt is posted to it.',
  'emulate.cache': 'Guest cache operation: decoded and ignored (no-op on this machine model).',
  reflect: 'Delivering an exception to the guest kernel: the monitor sets the virtual EPC / Cause / BadVAddr / Context / EntryHi / Status and jumps to the guest\'s vector.',
  interrupt: 'A physical interrupt taken by the monitor (timer, monitor IPI), with the virtual-timer bookkeeping of this CPU\'s virtual CPUs.',
  'interrupt.virtual': 'Posting a virtual interrupt to a virtual CPU (virtual Cause.IP, waking it if it waits) and delivering it like an exception.',
  'tlb.vtlb': 'A hardware TLB miss served from the guest\'s own virtual TLB: the hardware TLB had merely lost the entry (to monitor or L2 entries); translated and re-inserted.',
  'tlb.l2hit': 'A hardware TLB miss served from the second-level software TLB: swapped into the virtual TLB, translated through the pmap and inserted — the guest never knows.',
  'tlb.forward': 'A hardware TLB miss found neither in the virtual TLB nor in the L2 TLB (the probe that misses); the refill is then reflected to the guest\'s handler.',
  'tlb.ksseg': 'A TLB miss in the guest kernel\'s supervisor segment (ksseg), which the monitor maps itself: pmap lookup and insert — the extra misses of relinking the kernel into mapped space.',
  'tlb.fault': 'An invalid / modified / bad-page TLB fault, checked against the virtual TLB before it is reflected to the guest.',
  mmio: 'Trap-and-emulate of one guest access to a device register through kseg1 (decode the load or store, run the virtual device) — why Disco gave each device a monitor call.',
  kseg0: 'One emulated reference of a kseg0-linked (unmodified) guest kernel to unmapped kseg0, which supervisor mode cannot reach — why IRIX had to be relinked.',
  kseg3: 'One emulated guest kernel load or store to kseg3 (mapped, kernel only), translated through the guest\'s own TLB; rare.',
  'hal.trap': 'An emulated access to the HAL page at 0xFFFFF000 (kseg3, unreachable from supervisor mode); the HAL-patched kernel\'s page at 0xDFFFF000 costs nothing.',
  hypercall: 'One monitor call of a paravirtual device driver: all arguments in registers, one trap per device operation.',
  'hypercall.perPage': 'The pages a monitor call copies (console buffer, disk DMA), charged per 4 KiB page.',
  'page.zero': 'Zeroing a page for the guest ("give me a zeroed page"): a store per word plus the cache misses the memory system charges for the page\'s lines, as the guest\'s own zeroing loop would take.',
  schedule: 'Switching a physical CPU to another virtual CPU: saving and restoring its registers and virtual CP0 state.',
  'schedule.tlbFlush': 'Flushing the hardware TLB on a virtual CPU switch (ASIDs are not virtualised, so another vCPU\'s entries must go).',
  'numa.decide': 'The NUMA policy examined a hot page: it read the page\'s per-node miss counters and chose to migrate it, replicate it or leave it.',
  'numa.migrate': 'A page migration\'s bookkeeping: a page on the node that uses it, the old mappings found through the backmap and dropped, pmap and memmap updated, the old page freed.',
  'numa.replicate': 'A page replication\'s bookkeeping, per copy: a page on the reading node, the page made read-only, the copy recorded in pmap and memmap.',
  'numa.collapse': 'A write to a replicated page: the copies are freed and their mappings dropped, so every CPU sees the write on the one writable page.',
  'numa.copy': 'Copying a page for a migration or a replication: a load and a store per word plus the cache misses the memory system charges for the source and destination lines.',
  'share.map': 'A disk read of a block some VM already read: the machine page holding it is mapped read-only into the VM instead (copy-on-write disk), and a read whose blocks are all in memory completes without the disk.',
  'net.remap': 'A page of a network message delivered by remapping: the receiver\'s buffer page now maps the sender\'s page (read-only, copied on a write) instead of a copy — the paper\'s remap that replaced bcopy in NFS.',
  'cow.fault': 'A write to a page shared between VMs (a disk block or a kernel page): the VM gets a page of its own — the bookkeeping; the copy is cow.copy.',
  'cow.copy': 'Copying a shared page for the VM that writes it: a load and a store per word plus the cache misses the memory system charges for the source and destination lines.',
  call: 'One Denali monitor call (idle-with-timeout, exit, console, network): a VM\'s syscall, dispatched by number with its arguments in registers.',
  'call.perPage': 'The pages a Denali monitor call copies between a VM and the kernel (a packet, a console buffer), charged per 4 KiB page.',
  'tlb.refill': 'A Denali VM\'s TLB miss inside its memory, refilled by the kernel from the VM\'s flat page table (no guest page tables, no virtual TLB).',
  'interrupt.post': 'Posting a Denali virtual interrupt: its bit set in the VM\'s pending mask and virtual-registers page, the VM woken if it idles.',
  'swap.out': 'The Denali gatekeeper evicted a VM to the swap disk: victim chosen, its pages unmapped, the disk write started (the disk time is not CPU time).',
  'swap.in': 'The Denali gatekeeper brought a swapped VM back: its pages allocated, the disk read started, the VM requeued when the read completes.',
  'swap.perPage': 'Per 4 KiB page a Denali VM swap moves: one page-table entry and one DMA descriptor.',
  shootdown: 'Invalidating other CPUs\' TLB entries for a machine page being reclaimed, migrated, replicated or collapsed (a monitor IPI and its handler), charged to the CPU doing it.',
});

/**
 * The description of `cause`, or undefined for a name the table does not know. An `emulate.<x>`
 * name without its own entry (a privileged instruction added to the emulation table later) gets
 * the generic wording.
 */
export function describeCause(cause: string): string | undefined {
  const d = MONITOR_CAUSES[cause];
  if (d !== undefined) return d;
  const m = /^emulate\.([a-z0-9]+)$/.exec(cause);
  return m ? `The guest kernel executed the privileged instruction ${m[1]}: it traps in supervisor mode and the monitor emulates it on the virtual CPU.` : undefined;
}
