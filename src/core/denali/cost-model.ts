/**
 * Denali's cost model: what each action of the isolation kernel costs, charged to the physical
 * CPU's **monitor** bucket by cause, exactly as Disco's (../disco/cost-model.ts, whose `CostParam`
 * shape this table shares; the accounting is the same `Accounting`). A separate table because the
 * two monitors do different work: Denali has no virtual CP0, no virtual TLB, no guest kernel to
 * reflect exceptions to. Every default is justified below from the mechanism it stands for on
 * this 200 MHz MIPS machine, never from a paper number to hit (docs/denali.md "Cost model").
 *
 * Experiments override entries by name (`denali.costs: { "schedule": 100 }`).
 */
import { defaultCosts, type CostParam, type CostTable } from '../disco/cost-model';

export const DENALI_COST_PARAMS: readonly CostParam[] = [
  { name: 'trap', cycles: 40, description: 'Enter the isolation kernel from a VM exception and return (save the few registers the handler uses, dispatch by ExcCode)', justification: 'the same exception entry and eret as Disco\'s `trap` (R4000-class entry ≈ 10–20 cycles plus a short stub)' },
  { name: 'call', cycles: 30, description: 'Dispatch one monitor call (number in $v0, arguments in $a0..$a3, result in $v0)', justification: 'a table jump and a few register moves: the arguments are already in registers (no virtual CP0 to emulate, unlike Disco\'s hypercall of 100)' },
  { name: 'call.perPage', cycles: 200, description: 'Extra per 4 KiB page a monitor call copies between the VM and the kernel (packet, console buffer)', justification: 'the same copy rate as Disco\'s hypercall.perPage (≈ 20 bytes/cycle with the page-table lookup)' },
  { name: 'tlb.refill', cycles: 30, description: 'Hardware TLB miss inside the VM\'s memory: the kernel indexes the VM\'s flat page table (no guest page tables, no virtual TLB) and writes the pair', justification: 'a MIPS software refill handler is ≈ 10–20 instructions; Denali VMs have one contiguous address space, so the lookup is one array index' },
  { name: 'interrupt', cycles: 100, description: 'Physical interrupt taken by the kernel (timer tick, monitor IPI), with the scheduling decision it leads to', justification: 'as Disco\'s `interrupt`: entry + a look at the run queue' },
  { name: 'interrupt.post', cycles: 20, description: 'Post a virtual interrupt: set its bit in the VM\'s pending mask and in its virtual-registers page, wake the VM if it idles', justification: 'two stores and a test; batching makes this all an interrupt costs until the VM runs' },
  { name: 'schedule', cycles: 150, description: 'Switch a CPU to another VM: save and restore 32 GPRs, HI/LO and pc, move the run queue (no virtual CP0, unlike Disco\'s 300)', justification: '≈ 70 loads and stores of the register file plus the queue operations, at 1–2 cycles each' },
  { name: 'schedule.tlbFlush', cycles: 200, description: 'Flush the hardware TLB: on every switch without ASIDs, else when the 255 ASIDs run out and are recycled', justification: 'as Disco\'s: 64 entries × a few cycles' },
  { name: 'swap.out', cycles: 2000, description: 'Gatekeeper: evict a VM (choose the victim, unmap its pages, start the disk write)', justification: 'a few hundred instructions of list and table updates; the disk time itself is the swap disk\'s (latency + transfer), not CPU time' },
  { name: 'swap.in', cycles: 2000, description: 'Gatekeeper: bring a VM back (allocate its pages, start the disk read, requeue it when the read completes)', justification: 'as swap.out' },
  { name: 'swap.perPage', cycles: 50, description: 'Per 4 KiB page swapped in or out: one page-table entry and one DMA descriptor', justification: 'a handful of stores per page; the copy is DMA' },
];

/** The default table, by name. */
export const DENALI_DEFAULT_COSTS: Readonly<CostTable> = defaultCosts(DENALI_COST_PARAMS);
