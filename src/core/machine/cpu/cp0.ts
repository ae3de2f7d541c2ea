/**
 * CP0 constants: register numbers, bit layouts, exception codes and vectors (R4000-style
 * MIPS32 R1 privileged architecture; MIPS32 Vol. III, MD00090).
 */

/** CP0 register numbers (select 0 unless noted). */
export const C0 = {
  Index: 0, Random: 1, EntryLo0: 2, EntryLo1: 3, Context: 4, PageMask: 5, Wired: 6,
  BadVAddr: 8, Count: 9, EntryHi: 10, Compare: 11, Status: 12, Cause: 13, EPC: 14,
  PRId: 15, Config: 16, LLAddr: 17, ErrorEPC: 30,
} as const;

// Status: CU 31:28 | RP 27 | RE 25 | BEV 22 | TS 21 | SR 20 | NMI 19 | IM 15:8 | KSU 4:3 | ERL 2 | EXL 1 | IE 0
export const ST_CU0 = 1 << 28;
export const ST_BEV = 1 << 22;
export const ST_IM = 0xff00;
export const ST_KSU = 0x18;
export const ST_ERL = 4;
export const ST_EXL = 2;
export const ST_IE = 1;
/** Status bits software can write. */
export const ST_WRITABLE = (0xf0000000 | ST_BEV | ST_IM | ST_KSU | ST_ERL | ST_EXL | ST_IE) | 0;

// Cause: BD 31 | CE 29:28 | IV 23 | IP 15:8 | ExcCode 6:2
export const CA_BD = 1 << 31;
export const CA_IV = 1 << 23;
export const CA_IP_SW = 0x300;      // IP1:0, software interrupts (writable)
export const CA_IP7 = 0x8000;       // timer
export const CA_WRITABLE = CA_IV | CA_IP_SW;

/** EntryHi: VPN2 31:13 | ASID 7:0. */
export const EH_WRITABLE = 0xffffe0ff | 0;
/** EntryLo: PFN 25:6 | C 5:3 | D 2 | V 1 | G 0. */
export const EL_WRITABLE = 0x03ffffff;
export const EL_G = 1, EL_V = 2, EL_D = 4;
/** PageMask 24:13 (4 KB … 16 MB pages). */
export const PM_WRITABLE = 0x01ffe000;
/** Context: PTEBase 31:23 writable; BadVPN2 22:4 set by TLB exceptions. */
export const CTX_PTEBASE = 0xff800000 | 0;

/** PRId: company 0x01 (MIPS Technologies), processor 0x80 (4Kc-class MIPS32), revision 0. */
export const PRID_VALUE = 0x00018000;
/** Config: M 31 (Config1 present) | BE 15 | AT 14:13 = 0 (MIPS32) | AR 12:10 = 0 (R1) | MT 9:7 = 1 (TLB) | K0 2:0. */
export const CONFIG_FIXED = (0x80000000 | 0x8000 | 0x80) | 0;
/** Config1 (select 1): MMU Size − 1 = 63 in 30:25; no caches/FPU described. */
export const CONFIG1_VALUE = 63 << 25;

/** Exception codes (Cause.ExcCode). */
export const Exc = {
  Int: 0, Mod: 1, TLBL: 2, TLBS: 3, AdEL: 4, AdES: 5, IBE: 6, DBE: 7,
  Sys: 8, Bp: 9, RI: 10, CpU: 11, Ov: 12, Tr: 13,
} as const;
export const EXC_NAMES: readonly string[] = [
  'Int', 'Mod', 'TLBL', 'TLBS', 'AdEL', 'AdES', 'IBE', 'DBE', 'Sys', 'Bp', 'RI', 'CpU', 'Ov', 'Tr',
  'Exc14', 'Exc15', 'Exc16', 'Exc17', 'Exc18', 'Exc19', 'Exc20', 'Exc21', 'Exc22', 'WATCH',
  'MCheck', 'Exc25', 'Exc26', 'Exc27', 'Exc28', 'Exc29', 'CacheErr', 'Exc31',
];
export const EXC_DESCRIPTIONS: Readonly<Record<number, string>> = {
  0: 'interrupt', 1: 'TLB modified (store to a clean page)', 2: 'TLB miss/invalid on load or fetch',
  3: 'TLB miss/invalid on store', 4: 'address error on load or fetch', 5: 'address error on store',
  6: 'bus error on instruction fetch', 7: 'bus error on data reference', 8: 'system call',
  9: 'breakpoint', 10: 'reserved instruction', 11: 'coprocessor unusable', 12: 'arithmetic overflow',
  13: 'trap',
};

/** Vectors. Refill at base + 0 (only when EXL = 0), everything else at base + 0x180 (+0x200 for interrupts with Cause.IV). */
export const VEC_BASE = 0x80000000 | 0;
export const VEC_BASE_BEV = 0xbfc00200 | 0;
export const VEC_RESET = 0xbfc00000 | 0;

/** Privilege modes (derived from Status.KSU/EXL/ERL). */
export const enum Mode { Kernel = 0, Supervisor = 1, User = 2 }
export const MODE_NAMES = ['kernel', 'supervisor', 'user'] as const;
