/**
 * The `denali` section of a run record (docs/run-record.schema.json): what the isolation kernel
 * and the load generator did, memory per VM, and the VMs that stopped (with their reasons).
 */
import type { DenaliMonitor } from './monitor';
import { metadataBytes } from './vm';
import type { ResolvedDenaliOptions } from './options';
import { loadRecord, type LoadRecord } from '../load/summary';

export interface DenaliRecord {
  options: Omit<ResolvedDenaliOptions, 'costs'>;
  costs: Record<string, number>;
  vmCount: number;
  groups: { name: string; count: number; memoryKB: number; exited: number; stopped: number; requests: number }[];
  memory: {
    machineMB: number; reservedMB: number; guestKBPerVm: number; metadataBytesPerVm: number;
    residentVmsAtEnd: number; residentVmsPeak: number; guestMBTotal: number;
  };
  load: LoadRecord;
  interrupts: { posted: number; kicks: number; preemptions: number };
  calls: Record<string, number>;
  traps: Record<string, number>;
  switches: number;
  tlbFlushes: number;
  asidRollovers: number;
  refills: number;
  /** Monitor cycles of the switches (schedule + schedule.tlbFlush) per switch [cycles], null without switches. */
  switchCycles: number | null;
  switchUs: number | null;
  /** The same plus the TLB refills the VMs took (refills follow switches: the TLB holds few VMs' pages) [µs], null without switches. */
  switchWithRefillsUs: number | null;
  swap: { admitted: number; swapIns: number; swapOuts: number; pagesIn: number; pagesOut: number; diskBusyMs: number; meanSwapInWaitMs: number | null; noVictim: number };
  perVmRequests: { min: number; mean: number; max: number };
  /** Up to 100 VMs that the kernel stopped, with the reason (the rest are counted in groups). */
  stopped: { name: string; reason: string; cycle: number | null }[];
}

const sortKeys = <T>(o: Record<string, T>) => Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]));

export function denaliRecord(m: DenaliMonitor, cycles: number, clockMHz: number, machineBytes: number, reservedPages: number): DenaliRecord {
  const { costs, ...options } = m.options;
  const byCause: Record<string, number> = {};
  for (const a of m.acct.vms) for (const [k, v] of Object.entries(a.byCause)) byCause[k] = (byCause[k] ?? 0) + v;
  const sw = (byCause.schedule ?? 0) + (byCause['schedule.tlbFlush'] ?? 0);
  const reqs = m.vms.map((v) => v.stats.requests);
  const g = m.gate.stats;
  const guestKB = m.vms.reduce((s, v) => s + v.memBytes / 1024, 0);
  return {
    options, costs: { ...costs },
    vmCount: m.vms.length,
    groups: m.groups.map((gr, i) => {
      const vs = m.vms.filter((v) => v.group === i);
      return { name: gr.name, count: gr.count, memoryKB: gr.memoryKB, exited: vs.filter((v) => v.status === 'exited').length, stopped: vs.filter((v) => v.status === 'stopped').length, requests: vs.reduce((s, v) => s + v.stats.requests, 0) };
    }),
    memory: {
      machineMB: machineBytes / 1048576, reservedMB: reservedPages / 256,
      guestKBPerVm: m.vms.length ? guestKB / m.vms.length : 0,
      metadataBytesPerVm: m.vms.length ? m.vms.reduce((s, v) => s + metadataBytes(v.pages.length, v.asid.length), 0) / m.vms.length : 0,
      residentVmsAtEnd: m.gate.residentVms, residentVmsPeak: g.residentPeak, guestMBTotal: guestKB / 1024,
    },
    load: loadRecord(m.load, cycles, clockMHz, m.loadDoneAt),
    interrupts: { posted: m.counts.posted, kicks: m.counts.kicks, preemptions: m.counts.preemptions },
    calls: sortKeys(m.counts.calls),
    traps: sortKeys(m.counts.traps),
    switches: m.counts.switches,
    tlbFlushes: m.counts.tlbFlushes,
    asidRollovers: m.asids.stats.rollovers,
    refills: m.counts.refills,
    switchCycles: m.counts.switches ? sw / m.counts.switches : null,
    switchUs: m.counts.switches ? sw / m.counts.switches / clockMHz : null,
    switchWithRefillsUs: m.counts.switches ? (sw + (byCause['tlb.refill'] ?? 0)) / m.counts.switches / clockMHz : null,
    swap: {
      admitted: g.admitted, swapIns: g.swapIns, swapOuts: g.swapOuts, pagesIn: g.pagesIn, pagesOut: g.pagesOut,
      diskBusyMs: g.diskBusyCycles / clockMHz / 1000, meanSwapInWaitMs: g.swapIns ? g.waitCycles / g.swapIns / clockMHz / 1000 : null, noVictim: g.noVictim,
    },
    perVmRequests: { min: reqs.length ? Math.min(...reqs) : 0, mean: reqs.length ? reqs.reduce((a, b) => a + b, 0) / reqs.length : 0, max: reqs.length ? Math.max(...reqs) : 0 },
    stopped: m.vms.filter((v) => v.status === 'stopped').slice(0, 100).map((v) => ({ name: v.name, reason: v.stopReason ?? '', cycle: v.endCycle })),
  };
}
