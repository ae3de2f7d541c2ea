/**
 * The virtual-registers page: page 0 of every Denali VM's address space, shared with the
 * isolation kernel. The kernel writes it; the guest reads it with ordinary loads (`lw $t0,
 * 0($zero)`), so interrupt state, time and memory size cost no trap. It is mapped read-only:
 * a guest store to it is a fault that stops the VM. Word offsets below; the guest side is
 * resources/guest/denali/ilwaco.s (`VR_*`).
 */
export const VR = {
  /** Pending virtual interrupts (bit mask, `IRQ`): set when posted, cleared by the call that consumes them. */
  pending: 0,
  /** Time [cycles], low and high words: rewritten at every return to the VM and every tick. */
  timeLo: 1,
  timeHi: 2,
  /** The VM's memory [bytes]. */
  memBytes: 3,
  /** The VM's number. */
  vmId: 4,
  /** Features (`FEATURE`): bit 0 = idle-with-timeout available. */
  features: 5,
  /** CPU clock [kHz] (cycles per millisecond). */
  clockKHz: 6,
  /** Packets waiting in the VM's virtual network receive queue. */
  rxCount: 7,
} as const;

/** Virtual interrupt bits. */
export const IRQ = { timer: 1, net: 2 } as const;

export const FEATURE = { idleWithTimeout: 1 } as const;
