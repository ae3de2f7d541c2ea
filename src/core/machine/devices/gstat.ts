/**
 * Guest statistics: an instrumentation port through which a guest kernel attributes its kernel
 * time to the services it performs (the paper's Table 2: DEMAND_ZERO, QUICK_FAULT, open,
 * UTLB_MISS, write, read, execve), the way SimOS annotations on IRIX's code did. The kernel marks
 * where each service starts and ends; the device keeps the clock, so the measurement needs no
 * clock read in the guest (a trapped `mfc0 Count` under Disco) and costs the guest one store per
 * mark. The guest OS writes the marks only when booted with `+stats` (docs/guest-os.md).
 *
 * | offset | name   | access | meaning |
 * |--------|--------|--------|---------|
 * | 0x00   | ENTER  | W      | a service starts on the writing CPU (nested: the one it interrupts pauses) |
 * | 0x04   | EXIT   | W      | the innermost open service on this CPU ends; the value is its service number (`GUEST_SERVICES`) |
 * | 0x08   | PARK   | W      | the writing CPU's open services are set aside under the token written (the process slot of a process that sleeps): their clocks stop |
 * | 0x0C   | UNPARK | W      | the services parked under the token written continue on the writing CPU |
 * | 0x10   | NSERVICES | R   | number of service numbers (`GUEST_SERVICES.length`) |
 *
 * Time is exclusive: a service's cycles exclude the services nested in it (a fault while `read`
 * copies to the user is the fault's) and the time it was parked (a process sleeping on the disk
 * inside `read`). Natively a mark is an uncached store that takes no memory time; under Disco it
 * is a trapped kseg1 store, and the virtual device (src/core/disco/vdevices/devices.ts) leaves
 * that trap's own monitor time out of every interval. Reads of other offsets return 0.
 */
import type { CpuAwareDevice, DeviceContext } from './device';

/** The services, by number (the value written to EXIT). The first seven are the paper's Table 2. */
export const GUEST_SERVICES = ['DEMAND_ZERO', 'QUICK_FAULT', 'open', 'UTLB_MISS', 'write', 'read', 'execve', 'syscall', 'interrupt'] as const;
export type GuestServiceName = (typeof GUEST_SERVICES)[number];

export const GSTAT_REG = { ENTER: 0x00, EXIT: 0x04, PARK: 0x08, UNPARK: 0x0c, NSERVICES: 0x10 } as const;

/** One service's totals. */
export interface GuestServiceStat { calls: number; cycles: number; cyclesPerCall: number }
/** What a run record carries (`guestStats`): service → totals; empty when no mark was written. */
export type GuestStats = Record<string, GuestServiceStat>;

interface Open { start: number; acc: number }

/**
 * The interval bookkeeping shared by the machine's device and the monitor's virtual one. Every
 * mark happens at (t0, t1): t0 = when the marking instruction began, t1 = when the CPU continues
 * after it (the same cycle natively; under Disco t1 − t0 is the monitor's emulation of the mark,
 * which no interval includes).
 */
export class ServiceClock {
  readonly calls: number[] = GUEST_SERVICES.map(() => 0);
  readonly cycles: number[] = GUEST_SERVICES.map(() => 0);
  /** Marks that did not match (EXIT with nothing open, an unknown service number, UNPARK of an unknown token). */
  unmatched = 0;
  private stacks: Open[][] = [];
  private parked = new Map<number, Open[]>();

  private stack(cpu: number): Open[] {
    let s = this.stacks[cpu];
    if (!s) { s = []; this.stacks[cpu] = s; }
    return s;
  }

  enter(cpu: number, t0: number, t1: number): void {
    const s = this.stack(cpu), top = s[s.length - 1];
    if (top) top.acc += t0 - top.start;
    s.push({ start: t1, acc: 0 });
  }

  exit(cpu: number, service: number, t0: number, t1: number): void {
    const s = this.stack(cpu), top = s.pop();
    if (!top || !(service >>> 0 < GUEST_SERVICES.length)) { this.unmatched++; if (top) this.resume(s, t1); return; }
    this.calls[service]++;
    this.cycles[service] += top.acc + t0 - top.start;
    this.resume(s, t1);
  }

  park(cpu: number, token: number, t0: number): void {
    const s = this.stack(cpu), top = s[s.length - 1];
    if (top) top.acc += t0 - top.start;
    this.parked.set(token, s);
    this.stacks[cpu] = [];
  }

  unpark(cpu: number, token: number, t1: number): void {
    const s = this.parked.get(token);
    if (!s) { this.unmatched++; return; }
    this.parked.delete(token);
    if (this.stack(cpu).length) this.unmatched++;
    this.stacks[cpu] = s;
    this.resume(s, t1);
  }

  private resume(s: Open[], t: number): void {
    const top = s[s.length - 1];
    if (top) top.start = t;
  }

  /** True once any service has ended. */
  get active(): boolean { return this.calls.some((c) => c > 0); }

  /** Service → { calls, cycles, cyclesPerCall } (every service once any ended, else empty). */
  report(): GuestStats {
    if (!this.active) return {};
    return Object.fromEntries(GUEST_SERVICES.map((n, i) => [n, stat(this.calls[i], this.cycles[i])]));
  }

  getState(): unknown {
    return { calls: [...this.calls], cycles: [...this.cycles], unmatched: this.unmatched, stacks: this.stacks.map((s) => s.map((o) => ({ ...o }))), parked: [...this.parked].map(([k, s]) => [k, s.map((o) => ({ ...o }))]) };
  }

  setState(x: unknown): void {
    const st = x as { calls: number[]; cycles: number[]; unmatched: number; stacks: Open[][]; parked: [number, Open[]][] };
    st.calls.forEach((v, i) => { this.calls[i] = v; });
    st.cycles.forEach((v, i) => { this.cycles[i] = v; });
    this.unmatched = st.unmatched;
    this.stacks = st.stacks.map((s) => s.map((o) => ({ ...o })));
    this.parked = new Map(st.parked.map(([k, s]) => [k, s.map((o) => ({ ...o }))]));
  }
}

const stat = (calls: number, cycles: number): GuestServiceStat => ({ calls, cycles, cyclesPerCall: calls ? cycles / calls : 0 });

/** Sums reports (a disco-mode run's machine-wide `guestStats` = the sum over its VMs). */
export function sumGuestStats(reports: readonly GuestStats[]): GuestStats {
  const live = reports.filter((r) => Object.keys(r).length);
  if (!live.length) return {};
  return Object.fromEntries(GUEST_SERVICES.map((n) => {
    let calls = 0, cycles = 0;
    for (const r of live) { calls += r[n]?.calls ?? 0; cycles += r[n]?.cycles ?? 0; }
    return [n, stat(calls, cycles)];
  }));
}

/** Register semantics on a `ServiceClock`: shared with the monitor's virtual device. */
export function gstatWrite(clock: ServiceClock, cpu: number, offset: number, value: number, t0: number, t1: number): void {
  switch (offset) {
    case GSTAT_REG.ENTER: clock.enter(cpu, t0, t1); break;
    case GSTAT_REG.EXIT: clock.exit(cpu, value, t0, t1); break;
    case GSTAT_REG.PARK: clock.park(cpu, value | 0, t0); break;
    case GSTAT_REG.UNPARK: clock.unpark(cpu, value | 0, t1); break;
  }
}

export function gstatRead(offset: number): number {
  return offset === GSTAT_REG.NSERVICES ? GUEST_SERVICES.length : 0;
}

export class GuestStatsDevice implements CpuAwareDevice {
  readonly name = 'gstat';
  readonly size = 0x1000;
  readonly clock = new ServiceClock();

  constructor(private readonly ctx: DeviceContext) {}

  read32(offset: number): number { return gstatRead(offset); }

  write32(offset: number, value: number, cpu = 0): void {
    const t = this.ctx.cycleOf(cpu);
    gstatWrite(this.clock, cpu, offset, value, t, t);
  }

  getState(): unknown { return this.clock.getState(); }
  setState(s: unknown): void { this.clock.setState(s); }
}
