/**
 * JSON Schema of run records (`disco-lab/run@1`), every field described. The committed
 * `docs/run-record.schema.json` is generated from this object (`npx tsx scripts/gen-schemas.ts`)
 * and a test checks both that it is up to date and that produced records validate against it.
 */
import { MACHINE_PARAMS } from '../machine/config/params';
import { resolvedOptionsRecordSchema } from '../disco/options';
import { MEMORY_STATS } from '../machine/memory/numa';
import { machineConfigJsonSchema } from '../machine/config/schema';
import { EXPERIMENT_SCHEMA } from './config';
import type { JsonSchema } from './json-schema';
import { GUEST_SERVICES } from '../machine/devices/gstat';
import { DENALI_RECORD_SCHEMA } from '../denali/record-schema';
import { LOAD_RECORD_SCHEMA } from '../load/record-schema';
import { recordInt as int, recordObject as obj } from './schema-build';

const num = (description: string, unit?: string): JsonSchema => ({ type: 'number', minimum: 0, description: unit ? `${description} [${unit}]` : description });

const BUCKETS = obj('Time buckets: user + kernel + monitor + idle = the run\'s cycles (per CPU; × CPUs for totals); stall is included in the bucket that stalled', {
  user: num('Cycles in user mode', 'cycles'),
  kernel: num('Cycles in kernel or supervisor mode (guest kernel or bare-metal code)', 'cycles'),
  monitor: num('Cycles charged to the monitor (Disco)', 'cycles'),
  idle: num('Cycles waiting after `wait`, halted, or after the CPU stopped before the end of the run', 'cycles'),
  stall: num('Memory stall cycles (timing CPU model), already counted in user/kernel/monitor', 'cycles'),
});

const BY_CAUSE: JsonSchema = { type: 'object', description: 'Cycles by cause', additionalProperties: { type: 'number', minimum: 0 } };
const COUNT_MAP: JsonSchema = { type: 'object', description: 'Counts by name', additionalProperties: { type: 'integer', minimum: 0 } };
const NULLABLE_INT = (description: string): JsonSchema => ({ type: ['integer', 'null'], description });
const GUEST_STATS: JsonSchema = {
  type: 'object',
  description: 'Guest kernel time per service (Table 2), from the guest-statistics device: written only by a guest booted with +stats (docs/guest-os.md "Kernel time per service"); empty otherwise. Keys: ' + GUEST_SERVICES.join(', '),
  additionalProperties: obj('One service', {
    calls: int('Calls that ended'),
    cycles: num('Cycles in the service, exclusive of the services nested in it and of the time its process slept; under Disco including the monitor time of its emulated instructions, but not that of the marks themselves', 'cycles'),
    cyclesPerCall: num('cycles / calls (0 without calls)', 'cycles'),
  }),
};

const VM = obj('One virtual machine of a disco-mode run', {
  name: { type: 'string', description: 'VM name' },
  vcpus: int('Virtual CPUs'),
  memoryMB: num('Guest-physical memory', 'MiB'),
  kernbase: int('KERNBASE used for its exception vectors (0xC0000000: the monitor maps the supervisor segment onto guest-physical memory)'),
  status: { type: 'string', enum: ['running', 'exited', 'stopped'], description: 'exited = the guest powered its VM off; stopped = the monitor stopped it (stopReason); running = still running when the run ended' },
  exitCode: NULLABLE_INT('Exit status the guest wrote to its virtual power device'),
  stopReason: { type: ['string', 'null'], description: 'Why the monitor stopped the VM' },
  endCycle: NULLABLE_INT('Cycle at which it exited or was stopped'),
  buckets: { ...BUCKETS, description: 'Physical CPU time credited to this VM: each CPU\'s bucket growth goes to the VM whose vCPU it last ran (docs/disco.md "Accounting")' },
  monitor: obj('Monitor time spent for this VM', { byCause: { ...BY_CAUSE, description: 'Monitor cycles by cause for this VM' } }),
  console: obj('This VM\'s console output (its virtual console)', { output: { type: 'string', description: 'Output decoded as UTF-8' }, bytes: int('Bytes written') }),
  counters: obj('Monitor events for this VM', {
    traps: int('Monitor entries from its vCPUs'),
    emulated: int('Privileged instructions emulated'),
    reflected: int('Exceptions and interrupts delivered to the guest\'s vectors'),
    switchesIn: int('Times one of its vCPUs was switched onto a physical CPU'),
    l2tlb: obj('Second-level software TLB', { hits: int('Hardware TLB misses served from the L2 TLB'), misses: int('Probes that missed'), inserts: int('Entries cached') }),
  }),
  disk: obj('Its virtual disk', { reads: int('READ commands completed'), writes: int('WRITE commands completed'), sectorsRead: int('Sectors read'), sectorsWritten: int('Sectors written'), errors: int('Rejected commands'), readsMapped: int('READs completed without the disk: every page already in machine memory, mapped (memorySharing)'), persistent: { type: 'boolean', description: 'A persistent disk (vms[].disk.persistent): its writes went to the image, written back to the file by the host' } }),
  machinePages: int('Machine pages backing its memory (4 KiB each)'),
  network: obj('Its interface on Disco\'s virtual network (docs/disco.md "Virtual network")', {
    sent: int('Messages it sent'), received: int('Messages delivered to it'),
    pagesRemapped: int('Pages delivered to it by remapping (shared with the sender, copy-on-write)'), bytesCopied: int('Bytes delivered to it by copying'),
    requests: int('Requests of the load\'s clients it answered (with a `load` only)'),
  }, { required: ['sent', 'received', 'pagesRemapped', 'bytesCopied'] }),
  footprint: obj('Its memory footprint at the end (the paper\'s Figure 6)', {
    pages: int('Guest pages it has used (mapped, or copied into by the monitor) and that are backed: its share of V [pages]'),
    sharedPages: int('Of those, pages mapping a machine page shared with other VMs (copy-on-write) [pages]'),
  }),
  misses: obj('L2 misses its vCPUs took (timing model), by where they were served', {
    local: int('Served by the memory of the CPU\'s own node'),
    remote: int('Served by another node\'s memory'),
    localFraction: { type: ['number', 'null'], minimum: 0, maximum: 1, description: 'local / (local + remote); null without misses' },
  }),
  guestStats: { ...GUEST_STATS, description: 'Its guest kernel\'s time per service (its own virtual guest-statistics device); empty without marks' },
});

const COUNTERS = obj('Event counters', {
  instructions: num('Instructions issued', 'instructions'),
  tlbMisses: obj('TLB exceptions by kind', {
    refill: num('TLB refill exceptions (no matching entry)'),
    invalid: num('TLB invalid exceptions (matching entry not valid)'),
    modified: num('TLB modified exceptions (store to a clean page)'),
  }),
  exceptions: { type: 'object', description: 'Exceptions by ExcCode name (Int, Mod, TLBL, TLBS, AdEL, AdES, IBE, DBE, Sys, Bp, RI, CpU, Ov, Tr); only codes that occurred', additionalProperties: { type: 'number', minimum: 0 } },
  cache: obj('Memory-system counters of the ccNUMA timing model (zero with the fast CPU model)', Object.fromEntries(MEMORY_STATS.map((s) => [s.name, num(s.description, s.unit)]))),
});

export const RUN_RECORD_SCHEMA: JsonSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://disco-lab.invalid/schemas/run-record.schema.json',
  title: 'Disco Lab run record (disco-lab/run@1)',
  description: 'Everything one run produced. A pure function of the resolved inputs except `host`. Generated from src/core/experiment/run-record-schema.ts — do not edit by hand.',
  type: 'object',
  additionalProperties: false,
  required: ['schema', 'name', 'mode', 'experiment', 'machine', 'seed', 'limits', 'status', 'partial', 'cycles', 'simulatedSeconds', 'cpuCount', 'cpus', 'totals', 'vms', 'monitor', 'console', 'devices', 'stats', 'guestStats', 'host'],
  properties: {
    schema: { type: 'string', const: 'disco-lab/run@1', description: 'Format and version of this record' },
    name: { type: 'string', description: 'The experiment\'s name' },
    mode: { type: 'string', description: '"native" (programs on the bare machine), "disco" (under the Disco monitor) or "denali" (under the Denali isolation kernel)' },
    experiment: { ...EXPERIMENT_SCHEMA, $schema: undefined, $id: undefined, title: undefined, required: ['name', 'machine', 'mode', 'programs'], properties: { ...(EXPERIMENT_SCHEMA.properties as Record<string, JsonSchema>), programs: { ...((EXPERIMENT_SCHEMA.properties as Record<string, JsonSchema>).programs), minItems: 0, description: 'Programs (normalised to objects; empty in disco mode)' } }, description: 'The experiment as run (programs normalised to objects; see docs/experiment.schema.json)' },
    machine: { ...machineConfigJsonSchema(), $schema: undefined, $id: undefined, title: undefined, required: [...MACHINE_PARAMS.filter((p) => p.default !== undefined && !p.path.includes('.')).map((p) => p.path), 'caches', 'latency', 'distance'], description: 'The resolved machine config, every default filled and `distance` computed (see docs/machine-config.schema.json)' },
    seed: int('Seed the run used (the experiment\'s, else the machine\'s)'),
    limits: obj('Limits the run was given', { maxCycles: num('Cycle limit', 'cycles'), maxInstructions: num('Instruction limit (all CPUs together)', 'instructions') }, { required: [] }),
    status: obj('How the run ended', {
      reason: { type: 'string', enum: ['exit', 'halted', 'deadlock', 'maxCycles', 'maxInstructions', 'stopped'], description: 'exit = power-off by the program; halted = every CPU halted; deadlock = every CPU waiting with nothing to wake it; maxCycles / maxInstructions = a limit; stopped = stopped by the user' },
      description: { type: 'string', description: 'The reason in words' },
      exitCode: { type: ['integer', 'null'], description: 'Exit status written to the power device (signed 32-bit), or null' },
      exitCpu: { type: ['integer', 'null'], minimum: 0, description: 'CPU that powered the machine off, or null' },
    }),
    partial: { type: 'boolean', description: 'True when the run stopped before the program finished (limit, deadlock or user stop)' },
    cycles: num('Simulated time of the run; every CPU\'s buckets sum to it', 'cycles'),
    simulatedSeconds: num('cycles / clock', 's'),
    cpuCount: int('Number of physical CPUs'),
    cpus: {
      type: 'array', description: 'Per physical CPU, in id order',
      items: obj('One physical CPU', {
        id: int('CPU number (0-based)'),
        node: int('Node of the CPU (id ÷ cpusPerNode)'),
        state: { type: 'string', enum: ['running', 'waiting', 'halted'], description: 'State at the end of the run' },
        buckets: BUCKETS,
        counters: COUNTERS,
      }),
    },
    totals: obj('Sums over all CPUs', {
      buckets: BUCKETS,
      counters: COUNTERS,
      localMissFraction: { type: ['number', 'null'], minimum: 0, maximum: 1, description: 'localMisses / (localMisses + remoteMisses); null without misses' },
    }),
    vms: { type: 'array', description: 'Per virtual machine (mode "disco"); empty in native mode', items: VM },
    monitor: obj('The monitor (Disco); only byCause in native mode (empty there)', {
      byCause: { ...BY_CAUSE, description: 'Monitor cycles by cause over all CPUs (trap, emulate.<mnemonic>, tlb.l2hit, tlb.forward, tlb.ksseg, mmio, hypercall, interrupt, schedule, … — docs/monitor-cost-model.md); empty in native mode' },
      perCpu: { type: 'array', description: 'Monitor cycles by cause per physical CPU', items: BY_CAUSE },
      costs: { ...BY_CAUSE, description: 'The resolved cost table: cycles per monitor action (docs/monitor-cost-model.md)' },
      ...resolvedOptionsRecordSchema(),
      traps: { ...COUNT_MAP, description: 'Monitor entries by ExcCode name (CpU = privileged instruction, TLBL/TLBS/Mod = TLB, AdEL/AdES = kseg0/kseg1 access, Sys = system or monitor call, Int = interrupt)' },
      emulated: { ...COUNT_MAP, description: 'Emulated privileged instructions by mnemonic' },
      hypercalls: { ...COUNT_MAP, description: 'Monitor calls by name' },
      switches: int('vCPU switches onto physical CPUs'),
      migrations: int('vCPUs taken over by another physical CPU (stealing by an idle CPU)'),
      tlbFlushes: int('Hardware TLB flushes (vCPU switches, ERL changes)'),
      pagesFreed: int('Machine pages reclaimed through the "page is free" monitor call'),
      pagesBacked: int('Freed guest pages given a fresh zeroed machine page on their next use'),
      memoryReferences: int('The monitor\'s own code fetches and data references through the caches (option monitorMemoryRefs; 0 with it off or the fast CPU model — docs/monitor-cost-model.md)'),
      memoryMisses: int('Of the monitor\'s own references, those that missed in the L1 (stalled)'),
      memoryStallCycles: int('Stall cycles of the monitor\'s own references: part of the monitor bucket (charged to the action\'s cause) and of stall'),
      unattributed: { ...BUCKETS, description: 'Physical CPU time credited to no VM (CPUs that never ran a vCPU)' },
      numa: obj('What the NUMA policy did (present when the monitor option numaPolicy is 1; docs/disco.md "NUMA")', {
        policyRuns: int('Times the policy ran (once per numaIntervalCycles, at the next monitor entry)'),
        hotPages: int('Hot pages examined, summed over the runs'),
        migrations: int('Pages migrated to the node that used them'),
        replications: int('Read-only copies made of read-shared pages'),
        collapses: int('Replica sets collapsed by a write'),
        migrationsPerSecond: { type: 'number', minimum: 0, description: 'Migrations per second of simulated time [1/s] (the paper\'s Table 3)' },
        replicationsPerSecond: { type: 'number', minimum: 0, description: 'Replications per second of simulated time [1/s]' },
        migrationCostUs: { type: ['number', 'null'], minimum: 0, description: 'Average monitor time per migration, bookkeeping + copy + shootdowns [µs]; null if none' },
        replicationCostUs: { type: ['number', 'null'], minimum: 0, description: 'Average monitor time per replica made [µs]; null if none' },
        replicaPages: int('Replica pages in use at the end (memory overhead of replication) [pages]'),
        replicaPagesPeak: int('Most replica pages in use at any time [pages]'),
        stayed: obj('Why hot pages were not moved', {
          writeShared: int('Shared and written in the interval'), atLimit: int('Moved numaMaxMoves times already'),
          alreadyPlaced: int('Already on the node that uses it, or already replicated there'), spread: int('No node took numaSharing misses: no move would pay'), noMemory: int('The target node had no free page'),
        }),
        pagesPerNode: {
          type: 'array', description: 'After each policy run: machine pages given to VMs (replicas included) per node',
          items: obj('One policy run', { cycle: int('Simulated time of the run [cycles]'), pages: { type: 'array', items: { type: 'integer', minimum: 0 }, description: 'Pages per node, in node order [pages]' } }),
        },
      }),
      sharing: obj('Memory sharing between VMs (monitor option memorySharing) and the footprint at the end (docs/disco.md "Memory sharing"; the paper\'s Figure 6)', {
        diskPagesMapped: int('Disk pages mapped from machine memory instead of read from the disk [pages]'),
        diskPagesRegistered: int('Disk pages read from the disk and offered for sharing [pages]'),
        diskReadsAvoided: int('Disk reads completed without the disk: every page already in memory [requests]'),
        imagePagesMapped: int('Kernel-image pages a VM mapped from another VM\'s copy at creation [pages]'),
        cowCopies: int('Copy-on-write faults that copied a shared page [faults]'),
        cowHandovers: int('Copy-on-write faults of a page\'s last user: the page became its own, no copy [faults]'),
        cowCycles: int('Monitor cycles of copy-on-write faults, everything included [cycles]'),
        sharedPages: int('Machine pages shared at the end [pages]'),
        sharedPagesPeak: int('Most machine pages shared at any time [pages]'),
        vmPages: int('V: guest pages the VMs use, summed over the VMs [pages]'),
        machinePages: int('M: distinct machine pages behind them, each shared page once, replicas included [pages]'),
        monitorPages: int('Machine pages the monitor keeps for itself (reserved pages and its data) [pages]'),
      }),
    }, { required: ['byCause'] }),
    console: obj('Console device output', {
      output: { type: 'string', description: 'Everything written to the console TX register, decoded as UTF-8' },
      bytes: int('Bytes written (including dropped ones)'),
      truncated: { type: 'boolean', description: 'True if output beyond the kept maximum was dropped' },
    }),
    devices: obj('Device statistics', {
      disk: obj('Block disk', {
        reads: int('Completed READ commands'), writes: int('Completed WRITE commands'),
        sectorsRead: int('Sectors transferred disk → memory'), sectorsWritten: int('Sectors transferred memory → disk'),
        errors: int('Rejected commands (bad DMA address, bad sector range, busy, bad command)'),
      }),
      ipi: obj('Inter-processor interrupts', { sent: int('IPIs sent (one per target CPU)') }),
      mmioAccesses: { type: 'object', description: 'Device register accesses by device name', additionalProperties: { type: 'number', minimum: 0 } },
    }),
    stats: {
      type: 'array', description: 'Descriptions and units of the numbers in this record (gem5 stats style)',
      items: obj('One statistic', { name: { type: 'string', description: 'Dotted field name' }, description: { type: 'string', description: 'What it counts' }, unit: { type: 'string', description: 'Unit' } }),
    },
    guestStats: { ...GUEST_STATS, description: `${GUEST_STATS.description} Natively the machine's device; under Disco the sum over the VMs (each VM's own in vms[].guestStats).` },
    denali: DENALI_RECORD_SCHEMA,
    load: { ...LOAD_RECORD_SCHEMA, description: 'Mode "disco" with a `load`: what the load generator\'s clients saw (the shape of denali.load); absent otherwise' },
    host: obj('Simulator speed on the host (filled by the caller; the only fields that differ between identical runs)', {
      seconds: { type: ['number', 'null'], minimum: 0, description: 'Wall-clock seconds of the run [s]' },
      guestMips: { type: ['number', 'null'], minimum: 0, description: 'Simulated instructions per host second [MIPS]' },
      simulatedMHz: { type: ['number', 'null'], minimum: 0, description: 'Simulated cycles per host second [MHz]' },
      memoryMB: { type: ['number', 'null'], minimum: 0, description: 'Peak resident memory of the host process when the run ended (disco-lab run measures it; absent when the host did not) [MiB]' },
    }, { required: ['seconds', 'guestMips', 'simulatedMHz'] }),
  },
};

/** The schema as the committed file's text (undefined keys dropped by JSON.stringify). */
export function runRecordSchemaText(): string {
  return JSON.stringify(RUN_RECORD_SCHEMA, null, 2) + '\n';
}
