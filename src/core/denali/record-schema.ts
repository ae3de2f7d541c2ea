/**
 * JSON schema of the run record's `denali` section (record.ts `DenaliRecord`): part of
 * docs/run-record.schema.json, every number with its description and unit.
 */
import type { JsonSchema } from '../experiment/json-schema';
import { DENALI_PARAMS } from './options';
import { LOAD_RECORD_SCHEMA } from '../load/record-schema';
import { recordCounts, recordInt, recordNum, recordNumOrNull, recordObject } from '../experiment/schema-build';

export const DENALI_RECORD_SCHEMA: JsonSchema = recordObject('Mode "denali": the isolation kernel, the load generator and memory per VM (docs/denali.md); absent in other modes', {
  options: recordObject('The kernel\'s options as resolved', Object.fromEntries(DENALI_PARAMS.map((p) => [p.path, { type: p.type, description: `${p.description}${p.unit ? ` [${p.unit}]` : ''}` }]))),
  costs: { type: 'object', description: 'The resolved cost table: cycles per kernel action (src/core/denali/cost-model.ts) [cycles]', additionalProperties: { type: 'number', minimum: 0 } },
  vmCount: recordInt('VMs in the run'),
  groups: { type: 'array', description: 'Per group of the experiment\'s denali.vms', items: recordObject('One group', { name: { type: 'string', description: 'Group name' }, count: recordInt('VMs'), memoryKB: recordInt('Memory of each [KiB]'), exited: recordInt('VMs that exited (exit call)'), stopped: recordInt('VMs the kernel stopped (fault, wild access, watchdog)'), requests: recordInt('Requests its VMs answered') }) },
  memory: recordObject('Memory', {
    machineMB: recordNum('Machine memory [MiB]'), reservedMB: recordNum('Reserved for the kernel, never given to a VM [MiB]'),
    guestKBPerVm: recordNum('Guest memory per VM, mean [KiB]'), metadataBytesPerVm: recordNum('Kernel metadata kept resident per VM, swapped or not (the paper: 8.5 KB) [bytes]'),
    residentVmsAtEnd: recordInt('VMs in machine memory at the end'), residentVmsPeak: recordInt('Most VMs in machine memory at once'), guestMBTotal: recordNum('Guest memory of all VMs together [MiB]'),
  }),
  load: LOAD_RECORD_SCHEMA,
  interrupts: recordObject('Virtual interrupts', { posted: recordInt('Virtual interrupts posted (packets, idle timeouts)'), kicks: recordInt('Physical interrupts raised for them (one per arrival)'), preemptions: recordInt('Switches forced by an unbatched interrupt') }),
  calls: recordCounts('Monitor calls by name'),
  traps: recordCounts('Kernel entries by ExcCode name'),
  switches: recordInt('VM switches onto physical CPUs'),
  tlbFlushes: recordInt('Hardware TLB flushes'),
  asidRollovers: recordInt('Times the 255 ASIDs of a CPU ran out (each flushes the TLB)'),
  refills: recordInt('TLB refills from the VMs\' page tables'),
  switchCycles: recordNumOrNull('Kernel cycles per VM switch: schedule + schedule.tlbFlush charges / switches [cycles]'),
  switchUs: recordNumOrNull('The same in µs at the machine\'s clock [µs]'),
  switchWithRefillsUs: recordNumOrNull('Kernel time per switch including the TLB refills the VMs took (schedule + schedule.tlbFlush + tlb.refill charges / switches) [µs]'),
  swap: recordObject('The gatekeeper', {
    admitted: recordInt('VMs admitted at creation'), swapIns: recordInt('VMs read back from the swap disk'), swapOuts: recordInt('VMs evicted to the swap disk'),
    pagesIn: recordInt('Pages read'), pagesOut: recordInt('Pages written'), diskBusyMs: recordNum('Time the swap disk was busy [ms]'),
    meanSwapInWaitMs: recordNumOrNull('Mean time from a swapped VM\'s first pending interrupt to its swap-in completing [ms]'), noVictim: recordInt('Times a swap-in waited because no resident VM was idle'),
  }),
  perVmRequests: recordObject('Requests answered per VM', { min: recordInt('Fewest'), mean: recordNum('Mean'), max: recordInt('Most') }),
  stopped: { type: 'array', description: 'Up to 100 VMs the kernel stopped, with the reason', items: recordObject('One stopped VM', { name: { type: 'string', description: 'VM name' }, reason: { type: 'string', description: 'Why the kernel stopped it' }, cycle: { type: ['integer', 'null'], minimum: 0, description: 'When [cycles]' } }) },
});
