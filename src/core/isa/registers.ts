/** General-purpose and CP0 register names (pure data; also used by the editor). */

/** o32 ABI names of $0..$31, index = register number. */
export const GPR_NAMES: readonly string[] = [
  'zero', 'at', 'v0', 'v1', 'a0', 'a1', 'a2', 'a3',
  't0', 't1', 't2', 't3', 't4', 't5', 't6', 't7',
  's0', 's1', 's2', 's3', 's4', 's5', 's6', 's7',
  't8', 't9', 'k0', 'k1', 'gp', 'sp', 'fp', 'ra',
];

/** Accepted aliases beyond GPR_NAMES (GNU as accepts `$s8` for `$fp`). */
export const GPR_ALIASES: Readonly<Record<string, number>> = { s8: 30 };

/**
 * CP0 registers modelled (select 0 unless noted), R4000-style as Disco virtualised them.
 * number → [name, description].
 */
export const CP0_REGISTERS: Readonly<Record<number, readonly [string, string]>> = {
  0: ['Index', 'TLB index for tlbr/tlbwi; bit 31 (P) set by tlbp on a miss'],
  1: ['Random', 'TLB index for tlbwr; decrements from 63 down to Wired'],
  2: ['EntryLo0', 'Even page: PFN 25:6, C 5:3, D 2, V 1, G 0'],
  3: ['EntryLo1', 'Odd page: PFN 25:6, C 5:3, D 2, V 1, G 0'],
  4: ['Context', 'PTEBase 31:23 ‖ BadVPN2 22:4 — page-table pointer for the refill handler'],
  5: ['PageMask', 'Page size mask 24:13 (0 = 4 KB pages)'],
  6: ['Wired', 'Entries below this index are not replaced by tlbwr'],
  8: ['BadVAddr', 'Address of the most recent address or TLB exception'],
  9: ['Count', 'Increments every other cycle'],
  10: ['EntryHi', 'VPN2 31:13 ‖ ASID 7:0'],
  11: ['Compare', 'Timer interrupt (IP7) when Count = Compare; a write clears it'],
  12: ['Status', 'CU 31:28, BEV 22, IM 15:8, KSU 4:3, ERL 2, EXL 1, IE 0'],
  13: ['Cause', 'BD 31, CE 29:28, IV 23, IP 15:8, ExcCode 6:2'],
  14: ['EPC', 'Restart address after an exception'],
  15: ['PRId', 'Processor identification (read-only)'],
  16: ['Config', 'Configuration: K0 2:0 cacheability of kseg0'],
  17: ['LLAddr', 'Physical address of the most recent ll'],
  30: ['ErrorEPC', 'Restart address after reset/NMI/error (ERL)'],
};
