/**
 * JSON schema of the run record's `denali` section (record.ts `DenaliRecord`): part of
 * docs/run-record.schema.json, every number with its description and unit.
 */
import type { JsonSchema } from '../experiment/json-schema';
import { DENALI_PARAMS } from './options';
import { LOAD_RECORD_SCHEMA } from '../load/record-schema';

const obj = (description: string, properties: Record<string, JsonSchema>): JsonSchema => ({ type: 'object', description, additionalProperties: false, required: Object.keys(properties), properties });
const int = (d: string): JsonSchema => ({ type: 'integer', minimum: 0, description: d });
const num = (d: string): JsonSchema => ({ type: 'number', minimum: 0, description: d });
const numOrNull = (d: string): JsonSchema => ({ type: ['number', 'null'], minimum: 0, description: d });
const counts = (d: string): JsonSchema => ({ type: 'object', description: d, additionalProperties: { type: 'integer', minimum: 0 } });

export const DENALI_RECORD_SCHEMA: JsonSchema = obj('Mode "denali": the isolation kernel, the load generator and memory per VM (docs/denali.md); absent in other modes', {
  options: obj('The kernel\'s options as resolved', Object.fromEntries(DENALI_PARAMS.map((p) => [p.path, { type: p.type, description: `${p.description}${p.unit ? ` [${p.unit}]` : ''}` }]))),
  costs: { type: 'object', description: 'The resolved cost table: cycles per kernel action (src/core/denali/cost-model.ts) [cycles]', additionalProperties: { type: 'number', minimum: 0 } },
  vmCount: int('VMs in the run'),
  groups: { type: 'array', description: 'Per group of the experiment\'s denali.vms', items: obj('One group', { name: { type: 'string', description: 'Group name' }, count: int('VMs'), memoryKB: int('Memory of each [KiB]'), exited: int('VMs that exited (exit call)'), stopped: int('VMs the kernel stopped (fault, wild access, watchdog)'), requests: int('Requests its VMs answered') }) },
  memory: obj('Memory', {
    machineMB: num('Machine memory [MiB]'), reservedMB: num('Reserved for the kernel, never given to a VM [MiB]'),
    guestKBPerVm: num('Guest memory per VM, mean [KiB]'), metadataBytesPerVm: num('Kernel metadata kept resident per VM, swapped or not (the paper: 8.5 KB) [bytes]'),
    residentVmsAtEnd: int('VMs in machine memory at the end'), residentVmsPeak: int('Most VMs in machine memory at once'), guestMBTotal: num('Guest memory of all VMs together [MiB]'),
  }),
  load: LOAD_RECORD_SCHEMA,
  interrupts: obj('Virtual interrupts', { posted: int('Virtual interrupts posted (packets, idle timeouts)'), kicks: int('Physical interrupts raised for them (one per arrival)'), preemptions: int('Switches forced by an unbatched interrupt') }),
  calls: counts('Monitor calls by name'),
  traps: counts('Kernel entries by ExcCode name'),
  switches: int('VM switches onto physical CPUs'),
  tlbFlushes: int('Hardware TLB flushes'),
  asidRollovers: int('Times the 255 ASIDs of a CPU ran out (each flushes the TLB)'),
  refills: int('TLB refills from the VMs\' page tables'),
  switchCycles: numOrNull('Kernel cycles per VM switch: schedule + schedule.tlbFlush charges / switches [cycles]'),
  switchUs: numOrNull('The same in µs at the machine\'s clock [µs]'),
  switchWithRefillsUs: numOrNull('Kernel time per switch including the TLB refills the VMs took (schedule + schedule.tlbFlush + tlb.refill charges / switches) [µs]'),
  swap: obj('The gatekeeper', {
    admitted: int('VMs admitted at creation'), swapIns: int('VMs read back from the swap disk'), swapOuts: int('VMs evicted to the swap disk'),
    pagesIn: int('Pages read'), pagesOut: int('Pages written'), diskBusyMs: num('Time the swap disk was busy [ms]'),
    meanSwapInWaitMs: numOrNull('Mean time from a swapped VM\'s first pending interrupt to its swap-in completing [ms]'), noVictim: int('Times a swap-in waited because no resident VM was idle'),
  }),
  perVmRequests: obj('Requests answered per VM', { min: int('Fewest'), mean: num('Mean'), max: int('Most') }),
  stopped: { type: 'array', description: 'Up to 100 VMs the kernel stopped, with the reason', items: obj('One stopped VM', { name: { type: 'string', description: 'VM name' }, reason: { type: 'string', description: 'Why the kernel stopped it' }, cycle: { type: ['integer', 'null'], minimum: 0, description: 'When [cycles]' } }) },
});
