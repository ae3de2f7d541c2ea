/**
 * Contracts between the parts of the simulated machine: the CPU (cpu/), physical memory and the
 * ccNUMA memory system (memory/), devices (devices/), and the machine that assembles and
 * schedules them (machine.ts). Each side codes against these interfaces only.
 *
 * Units: addresses are unsigned 32-bit numbers (use `>>> 0`); time is in CPU cycles at the
 * machine's clock (`clockMHz`); sizes are in bytes.
 */

/** Which kind of reference a memory access is. */
export const enum AccessKind { Fetch = 0, Load = 1, Store = 2 }

/**
 * Machine physical memory: the nodes' memories laid end to end (node n owns
 * [n × nodeBytes, (n + 1) × nodeBytes)). Words are kept in host order in `words`; big-endian
 * sub-word access XORs the address: byte at paddr = `u8[paddr ^ 3]`, half = `u16[(paddr ^ 2) >> 1]`.
 */
export interface PhysicalMemoryView {
  readonly bytes: number;
  readonly nodeBytes: number;
  readonly words: Int32Array;
  readonly u8: Uint8Array;
  readonly u16: Uint16Array;
}

/**
 * A memory-mapped device. The bus hands it offsets within its window, never absolute
 * addresses. Only aligned 32-bit accesses reach devices; anything else is a bus error.
 * Device state must be plain data so runs are deterministic and snapshot-able.
 */
export interface Device {
  readonly name: string;
  /** Size of the MMIO window in bytes (a multiple of 4). */
  readonly size: number;
  read32(offset: number): number;
  write32(offset: number, value: number): void;
  /** Snapshot support (v86 style). */
  getState(): unknown;
  setState(state: unknown): void;
}

/** Interrupt wiring: hardware interrupt lines 2..6 map to Cause.IP2..IP6 (IP7 is the CP0 timer). */
export interface InterruptSink {
  setLine(cpu: number, line: number, level: boolean): void;
}

/** Simulated-time event queue (devices schedule completions on it; the machine drains it). */
export interface EventQueue {
  /** Current machine time in cycles (the minimum over the CPUs' local times). */
  now(): number;
  /** Run `fn` once machine time reaches `atCycle`. Events at equal times run in scheduling order. */
  schedule(atCycle: number, fn: () => void): void;
  /** Registers the handler of posted events of `kind` (once, when the device is built). */
  on<T>(kind: string, handler: (data: T) => void): void;
  /**
   * Schedules `kind`'s handler with plain data at `atCycle` (same ordering as `schedule`). Unlike
   * a closure, a posted event can be written into a whole-machine snapshot; devices post.
   */
  post(atCycle: number, kind: string, data: unknown): void;
}

/**
 * The ccNUMA timing model seen by the `timing` CPU model: caches, directory, local/remote
 * latency from the distance matrix, and FLASH-style per-page per-node miss counters.
 */
export interface MemoryTiming {
  /** One reference by `cpu` to physical address `paddr`; returns the stall in cycles (0 on a hit). */
  access(cpu: number, paddr: number, kind: AccessKind): number;
  /**
   * One uncached reference (kseg1, a TLB mapping with C = 2, or kseg0 with Config.K0 = 2) by
   * `cpu` to RAM: no cache is consulted or filled; returns the stall in cycles.
   */
  uncachedAccess(cpu: number, paddr: number): number;
  /** Cache misses to physical page `page` (paddr >>> 12) taken by CPUs of `node` since the last reset. */
  missCount(page: number, node: number): number;
  /** Requests for ownership (store misses and upgrades) to physical page `page` since the last reset, all nodes (absent: no memory model). */
  writeMissCount?(page: number): number;
  resetMissCounts(page?: number): void;
  /** Invalidate all cached copies of a physical page (used by page migration / DMA). */
  invalidatePage(page: number): void;
}

/**
 * The four accounting buckets (DESIGN.md "Accounting"). Every cycle of every physical CPU lands
 * in exactly one of user / kernel / monitor / idle; `stall` is memory stall recorded alongside
 * (it is already included in the bucket of the mode that stalled).
 */
export interface TimeBuckets {
  user: number;
  kernel: number;
  monitor: number;
  idle: number;
  stall: number;
}

/**
 * What a trap-and-emulate monitor (Disco) sees: the CPU offers it every exception before the
 * architectural exception sequence runs. The monitor may read and change registers, CP0 state,
 * the TLB and pc, charge cycles with `chargeMonitor`, and return true ("handled: continue at
 * the pc I set"), or return false to let the hardware deliver the exception normally.
 */
export interface ExceptionInterceptor {
  onException(cpu: number, excCode: number, badVAddr: number, inDelaySlot: boolean, pc: number): boolean;
}

// ---------------------------------------------------------------------------------------------
// CPU side (added by the CPU engineer; additive). See docs/cpu.md.
// ---------------------------------------------------------------------------------------------

/**
 * LL/SC reservations shared by all CPUs of a machine (one table per machine). A reservation is
 * one aligned physical word (granule = 4 bytes). `ll` sets the CPU's entry; any store by any
 * CPU to that word (including DMA that calls `store`) clears every matching entry; `eret`
 * clears the CPU's own entry; `sc` succeeds iff the CPU's entry still holds the word.
 * `active` is the number of live entries, so stores can skip the table while it is zero.
 */
export interface LLReservationTable {
  active: number;
  set(cpu: number, paddr: number): void;
  clear(cpu: number): void;
  /** True iff `cpu` still holds a reservation on the word containing `paddr`. */
  holds(cpu: number, paddr: number): boolean;
  /** A store to the word containing `paddr` happened: break every reservation on it. */
  store(paddr: number): void;
}

/**
 * What a CPU needs from the machine around it. The machine builds one per CPU (they may share
 * the memory view, timing model and reservation table).
 *
 * Physical addresses below `memory.bytes` are RAM and are accessed directly through `memory`.
 * Anything else is MMIO: only aligned 32-bit accesses are sent to `mmioRead32`/`mmioWrite32`;
 * sub-word or unaligned MMIO, and an `undefined`/`false` answer, is a bus error (ExcCode DBE 7
 * for data; an instruction fetch from outside RAM is IBE 6).
 */
export interface CpuHost {
  readonly memory: PhysicalMemoryView;
  mmioRead32(cpu: number, paddr: number): number | undefined;
  mmioWrite32(cpu: number, paddr: number, value: number): boolean;
  /** The ccNUMA timing model; used only by the `timing` CPU model (a zero-stall one if absent). */
  readonly timing?: MemoryTiming;
  /** Shared LL/SC reservation table; a private one is created if absent (single CPU). */
  readonly reservations?: LLReservationTable;
}
