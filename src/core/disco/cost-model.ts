/**
 * The monitor's cost model (gem5-style parameter table): every action the Disco monitor performs
 * is charged to the physical CPU's **monitor** bucket (`cpu.chargeMonitor(cycles, cause)`) with
 * the cycles below, and attributed to the VM it was done for. Each default is justified from the
 * Disco paper in docs/monitor-cost-model.md (the justification strings are the short form).
 *
 * Experiments override any entry by name (`monitor.costs: { "emulate.mtc0": 40 }`); the
 * resolved table is copied into the run record.
 */
import { causeId } from '../machine/cpu/cause-tally';

export interface CostParam {
  /** Name used in `monitor.costs` overrides and as the accounting cause (unless `cause` says otherwise). */
  name: string;
  /** Default cost [cycles]. */
  cycles: number;
  description: string;
  /** Why this default (docs/monitor-cost-model.md has the long form). */
  justification: string;
}

export const COST_PARAMS: readonly CostParam[] = [
  { name: 'trap', cycles: 40, description: 'Enter the monitor from a guest exception and return (save/restore of the few registers the C handler uses, vector dispatch)', justification: 'R4000-class exception entry + eret ≈ 10–20 cycles plus a short assembly stub; Disco handlers are C code reached from a common stub' },
  { name: 'emulate.mfc0', cycles: 20, description: 'Decode a trapped mfc0 and read the virtual CP0 register', justification: 'a load from the vCPU structure plus decode; the HAL patch exists because these were frequent and each costs a full trap' },
  { name: 'emulate.mtc0', cycles: 30, description: 'Decode a trapped mtc0 and write the virtual CP0 register (Status: recompute the hardware mode and pending interrupts; Compare: reprogram the timer)', justification: 'like mfc0 plus side-effect checks' },
  { name: 'emulate.tlbwi', cycles: 80, description: 'Guest TLB write at Index: update the virtual TLB, translate the PFNs through the pmap, insert into the hardware TLB', justification: 'pmap lookup + precomputed entry + hardware TLB write; the paper attributes most of the overhead (Figure 5) to TLB-reload emulation' },
  { name: 'emulate.tlbwr', cycles: 80, description: 'Guest TLB write at Random (as tlbwi)', justification: 'the same work as tlbwi; the index comes from the virtual Random register' },
  { name: 'emulate.tlbp', cycles: 40, description: 'Probe the virtual TLB (64 entries)', justification: 'a software search of the virtual TLB' },
  { name: 'emulate.tlbr', cycles: 30, description: 'Read a virtual TLB entry into the virtual EntryHi/EntryLo/PageMask', justification: 'four loads and stores in the vCPU structure' },
  { name: 'emulate.eret', cycles: 40, description: 'Return from a guest exception: restore the hardware mode from the virtual Status, check pending virtual interrupts', justification: 'as mtc0 Status plus the jump' },
  { name: 'emulate.wait', cycles: 50, description: 'Guest low-power wait: deschedule the virtual CPU until an interrupt is posted', justification: 'a scheduler call; the paper’s idle loop deschedules the vCPU' },
  { name: 'emulate.cache', cycles: 20, description: 'Guest cache operation (no-op on this machine model)', justification: 'decode and return' },
  { name: 'reflect', cycles: 60, description: 'Deliver an exception to the guest: set virtual EPC/Cause/BadVAddr/Context/EntryHi/Status and jump to the guest vector', justification: 'the paper: Disco updates the privileged registers and jumps to the guest trap vector' },
  { name: 'tlb.forward', cycles: 30, description: 'Hardware TLB miss not found in the virtual TLB nor in the L2 TLB (the probe), before it is reflected to the guest refill handler', justification: 'a hash probe of the second-level TLB that misses' },
  { name: 'tlb.vtlb', cycles: 60, description: 'Hardware TLB miss served from the guest’s own virtual TLB (the entry was evicted from the hardware TLB by monitor or L2 entries)', justification: 'a search of the virtual TLB + hardware TLB write' },
  { name: 'tlb.l2hit', cycles: 60, description: 'Hardware TLB miss served from the second-level software TLB (inserted directly)', justification: 'probe + insert; much cheaper than reflecting to the guest handler, which is why guest kernel time drops under Disco (Figure 5)' },
  { name: 'tlb.ksseg', cycles: 50, description: 'Hardware TLB miss in the supervisor segment, mapped by the monitor (KSEG0 relinked into mapped space)', justification: 'the paper: relinking IRIX into mapped space caused more TLB misses; pmap lookup + insert' },
  { name: 'tlb.fault', cycles: 40, description: 'Invalid / Mod / bad-PFN TLB faults checked against the virtual TLB before reflection', justification: 'a virtual TLB lookup' },
  { name: 'mmio', cycles: 150, description: 'Trap-and-emulate of one guest access to a device register through kseg1 (decode the load/store, run the virtual device)', justification: 'the path IRIX’s unmodified drivers would take; Disco replaced it with monitor calls because each register access costs a trap plus decode' },
  { name: 'hypercall', cycles: 100, description: 'One monitor call (all arguments in registers, one trap)', justification: 'the paper: one monitor call per virtual device with all arguments in one trap' },
  { name: 'hypercall.perPage', cycles: 200, description: 'Extra per 4 KiB page a monitor call copies (console buffer, disk DMA; zeroing is measured as page.zero)', justification: 'pmap translation and copy of one page at ≈ 20 bytes/cycle' },
  { name: 'interrupt', cycles: 100, description: 'Physical interrupt taken by the monitor (timer, monitor IPI), including virtual-timer bookkeeping', justification: 'interrupt entry + scan of the vCPUs of this processor' },
  { name: 'interrupt.virtual', cycles: 60, description: 'Post a virtual interrupt to a vCPU (set virtual Cause.IP, wake it if waiting)', justification: 'the paper: interrupts are posted to the vCPU and delivered like exceptions' },
  { name: 'schedule', cycles: 300, description: 'Switch the physical CPU to another vCPU (save/restore registers and virtual state)', justification: 'a context switch in the monitor: 32 GPRs + CP0 state' },
  { name: 'schedule.tlbFlush', cycles: 200, description: 'Flush the hardware TLB on a vCPU switch (ASIDs are not virtualised)', justification: 'the paper: the whole TLB is flushed when another virtual CPU runs; 64 entries × a few cycles' },
  { name: 'shootdown', cycles: 300, description: 'Invalidate another CPU\'s TLB entries for a reclaimed machine page (a monitor IPI and its handler)', justification: 'an inter-processor interrupt round trip on FLASH is a few microseconds; charged to the CPU that frees the page' },
  { name: 'hal.trap', cycles: 100, description: 'Emulate a guest access to its HAL page at 0xFFFFF000 (kseg3, unreachable in supervisor mode); at 0xDFFFF000 the same access costs nothing', justification: 'decode + one load; shows what the HAL patch saves only when the page is mapped' },
  { name: 'kseg3', cycles: 200, description: 'Emulate one guest kernel load or store to kseg3 (mapped, kernel only: unreachable in supervisor mode), translated through the guest\'s own TLB', justification: 'as kseg0 plus a virtual-TLB lookup; rare (our guest and IRIX keep kernel data out of kseg3)' },
  { name: 'kseg0', cycles: 200, description: 'Emulate one guest access to unmapped kseg0 (kseg0-linked kernel)', justification: 'why IRIX had to be relinked: every kseg0 reference traps' },
  { name: 'numa.decide', cycles: 200, description: 'NUMA policy: examine one hot page (read its per-node miss counters, choose migrate / replicate / stay)', justification: 'FLASH\'s MAGIC counts the misses in hardware; the monitor reads one counter per node and compares a few thresholds' },
  { name: 'numa.migrate', cycles: 1000, description: 'NUMA page migration, apart from the copy and the shootdowns: allocate on the target node, find the mappings through the backmap, invalidate this CPU\'s entries, update pmap and memmap, free the old page', justification: 'a few hundred instructions of list and table updates in the monitor; the copy (numa.copy) and remote TLB invalidations (shootdown) are charged separately as measured' },
  { name: 'numa.replicate', cycles: 1000, description: 'NUMA page replication, per copy, apart from the copy and the shootdowns: allocate on the node, downgrade the page to read-only, record the replica in pmap and memmap', justification: 'as numa.migrate' },
  { name: 'numa.collapse', cycles: 500, description: 'A write to a replicated page: free the copies, drop their mappings (other CPUs: shootdown), make the master writable again', justification: 'list walk and frees; the trap that brought the write in is charged as usual' },
  { name: 'share.map', cycles: 500, description: 'Map a disk block already in machine memory into a VM instead of reading it (copy-on-write disk): find the page by its block, release the VM\'s own page (dropping its TLB entries), point the pmap at the shared page read-only', justification: 'a hash lookup and the pmap, memmap and backmap updates of a migration without its copy (numa.migrate\'s bookkeeping, halved: no allocation on a chosen node)' },
  { name: 'net.remap', cycles: 500, description: 'Deliver one whole page of a network message by remapping (the receiver\'s buffer page is pointed at the sender\'s page, read-only, copy-on-write) instead of copying it', justification: 'the same pmap, memmap and backmap work as share.map: the paper\'s remap that replaced bcopy in NFS' },
  { name: 'cow.fault', cycles: 1000, description: 'A write to a shared (copy-on-write) page, apart from the copy and the shootdowns: allocate a page near the VM, find the VM\'s mappings through the backmap, update pmap and memmap, drop a user of the shared page', justification: 'the same list and table work as a NUMA migration (numa.migrate); the copy (cow.copy) is measured through the memory model' },
];

export type CostTable = Record<string, number>;

/** A parameter table's defaults, by name (Disco's here; Denali's in src/core/denali/cost-model.ts). */
export function defaultCosts(params: readonly CostParam[]): Readonly<CostTable> {
  return Object.freeze(Object.fromEntries(params.map((p) => [p.name, p.cycles])));
}

/** The default table, by name. */
export const DEFAULT_COSTS: Readonly<CostTable> = defaultCosts(COST_PARAMS);

/** Defaults with `overrides` applied. Unknown names are the caller's validation job (`unknownCostNames`). */
export function resolveCosts(overrides: Record<string, number> = {}): CostTable {
  return { ...DEFAULT_COSTS, ...overrides };
}

/**
 * `table` indexed by cause id (src/core/machine/cpu/cause-tally.ts `causeId`, which gives every
 * name of the table its id here): the monitors' charge path reads a cost with one array load
 * instead of a lookup in a dictionary-mode object. Ids past its end, and ids of names not in the
 * table, cost 0 (as `table[cause] ?? 0`).
 *
 * A plain array, not a Float64Array: an integral cost read from it is a small integer, while one
 * read from a Float64Array is a heap number, and the first charge then turned the CPU's `cycle`
 * (and its monitor bucket, the machine's time) into double fields: V8 deprecated the 67 hidden
 * classes the CPU had passed through (`--trace-generalization`), optimised code built on them
 * was lost, and a second machine in the same process — a reused run worker — started from fresh
 * hidden classes whose first stores had the interpreter compiled all over again (docs/cpu.md
 * "Cold start"). Fractional overrides still work: the array then holds doubles.
 */
export function costTableById(table: Readonly<CostTable>): readonly number[] {
  const entries = Object.entries(table).map(([name, cycles]) => [causeId(name), cycles] as const);
  const t = Array.from({ length: entries.reduce((n, [id]) => Math.max(n, id + 1), 0) }, () => 0);
  for (const [id, cycles] of entries) t[id] = cycles;
  return t;
}

export function unknownCostNames(overrides: Record<string, number>): string[] {
  return Object.keys(overrides).filter((k) => !(k in DEFAULT_COSTS));
}
