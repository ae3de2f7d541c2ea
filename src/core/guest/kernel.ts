/**
 * Guest kernel builder: one source (`resources/guest/kernel/kernel.s`), three variants.
 *
 * Each variant is the same source assembled after a small generated prelude (`prelude.s`,
 * `.include`d first by the kernel) that sets `KERNBASE` and defines the `HAL_*` macros:
 *
 * | variant | KERNBASE | privileged-state reads | runs |
 * |---|---|---|---|
 * | `kseg0` | 0x80000000 | `mfc0` | natively (unmapped kseg0, as IRIX shipped) |
 * | `ksseg` | 0xC0000000 | `mfc0` | under Disco only: the supervisor segment is mapped by the monitor (IRIX relinked) |
 * | `hal`   | 0xC0000000 | CPU number and exception registers from the monitor-shared page at 0xDFFFF000; devices through monitor calls; zeroed-page and page-is-free hints | under Disco only |
 *
 * `PARAVIRT` (prelude symbol) is 1 for `hal` without `selfMap`: the paravirtual paths of the
 * paper's changes to IRIX that need the monitor (monitor calls, hints, the HAL page's register
 * mirror). A self-mapped `hal` build runs natively, so it keeps the device registers and mfc0
 * and reads only its CPU number from its own HAL page.
 *
 * The kernel is linked at KERNBASE (`.text`, refill vector at +0, general vector at +0x180) with
 * `.data` at KERNBASE + `KERNEL_DATA_OFFSET`; it lives at physical = vaddr − KERNBASE. The same
 * prelude text is handed to GNU as for the byte-identity test, so both assemblers see one input.
 * Platform-free: the caller supplies the file contents.
 */
import { assemble } from '../asm/index';
import type { AssembleResult, Diagnostic, Image, SourceFile } from '../asm/types';
import type { LoadImage } from '../machine/elf';

export type KernelVariant = 'kseg0' | 'ksseg' | 'hal';

export interface KernelVariantInfo {
  id: KernelVariant;
  kernbase: number;
  /** Value of the `VARIANT` symbol in the prelude. */
  number: number;
  description: string;
  /** Whether the variant boots on the bare machine (without the Disco monitor). */
  native: boolean;
}

export const KERNEL_VARIANTS: Readonly<Record<KernelVariant, KernelVariantInfo>> = {
  kseg0: { id: 'kseg0', kernbase: 0x80000000, number: 0, native: true, description: 'kernel linked in unmapped kseg0 (native)' },
  ksseg: { id: 'ksseg', kernbase: 0xc0000000, number: 1, native: false, description: 'kernel linked in the supervisor-mapped segment, as IRIX was relinked for Disco' },
  hal: { id: 'hal', kernbase: 0xc0000000, number: 2, native: false, description: 'ksseg kernel with the paper\'s changes to IRIX: side-effect-free privileged state read from a monitor-shared page (HAL), devices through monitor calls, zeroed-page and page-is-free hints' },
};

/** `.data` of the kernel starts this far above KERNBASE (text must stay below it). */
export const KERNEL_DATA_OFFSET = 0x20000;

/**
 * Address of the monitor-shared HAL page: the top page of ksseg, which the guest kernel (in
 * supervisor mode under Disco) can reach — kseg3 would be kernel-only. Two instructions:
 * `lui reg, 0xe000; lw reg, -4096(reg)`.
 */
export const HAL_PAGE = 0xdffff000;
/**
 * Offsets in the HAL page (bytes). The monitor writes `cpuId` once and refreshes the others —
 * a read-only mirror of the vCPU's virtual Status, Cause, EPC and BadVAddr — at every return to
 * the guest (src/core/disco/monitor.ts `HAL_WORD`, which a test keeps equal to this).
 */
export const HAL_OFFSETS = { cpuId: 0, status: 4, cause: 8, epc: 12, badVAddr: 16 } as const;

/** The generated prelude of a variant (also written as `prelude.s` for GNU as). */
/**
 * `selfMap` (ksseg/hal only, for running them natively without the monitor, e.g. in tests): the
 * boot code maps KERNBASE onto physical memory with wired 16 MiB TLB pages (global), and for
 * `hal` maps each CPU's own HAL page at 0xDFFFF000 holding its CPU number — what the monitor
 * provides under Disco.
 */
function selfMapMacro(v: KernelVariant, selfMap: boolean): string {
  if (!selfMap || v === 'kseg0') return '        .macro  BOOT_SELFMAP\n        .endm\n        .set    HAL_PAGES_BYTES, 0\n';
  const hal = v === 'hal' ? `        lw      $t8, 0x4000($t9)        # this CPU's HAL page: hal_pages + id × 4096
        sll     $t4, $t8, 12
        la      $t5, hal_pages
        addu    $t5, $t5, $t4
        li      $t4, KERNBASE
        subu    $t4, $t5, $t4           # its physical address
        mtc0    $zero, $5               # 4 KiB pages
        li      $t6, 0xdfffe000         # VPN2 of 0xDFFFE000/0xDFFFF000
        mtc0    $t6, $10
        li      $t6, 1                  # even page: invalid (G only; G must match)
        mtc0    $t6, $2
        srl     $t6, $t4, 12
        sll     $t6, $t6, 6
        ori     $t6, $t6, 0x1f
        mtc0    $t6, $3
        mtc0    $t2, $0
        tlbwi
        addiu   $t2, $t2, 1
        sw      $t8, 0($t5)             # word 0: the CPU number (through the new KERNBASE mapping)
` : '';
  return `        .set    HAL_PAGES_BYTES, ${v === 'hal' ? '32 * 4096' : '0'}
        .macro  BOOT_SELFMAP
        lui     $t9, 0xbf00
        lw      $t0, 0x4010($t9)        # RAM bytes
        li      $t1, 0x01ffe000
        mtc0    $t1, $5                 # PageMask: 16 MiB pages
        li      $t2, 0                  # TLB index
        li      $t3, 0                  # physical offset
1:      li      $t4, KERNBASE
        addu    $t4, $t4, $t3
        mtc0    $t4, $10
        srl     $t5, $t3, 12
        sll     $t5, $t5, 6
        ori     $t5, $t5, 0x1f          # C=3 | D | V | G
        mtc0    $t5, $2
        li      $t6, 0x01000000
        addu    $t6, $t3, $t6
        srl     $t6, $t6, 12
        sll     $t6, $t6, 6
        ori     $t6, $t6, 0x1f
        mtc0    $t6, $3
        mtc0    $t2, $0
        tlbwi
        addiu   $t2, $t2, 1
        li      $t6, 0x02000000
        addu    $t3, $t3, $t6
        sltu    $t7, $t3, $t0
        bnez    $t7, 1b
${hal}        mtc0    $zero, $5
        mtc0    $t2, $6                 # Wired: refills and tlb_flush leave these alone
        .endm
`;
}

export function kernelPrelude(v: KernelVariant, opts: { selfMap?: boolean } = {}): string {
  const info = KERNEL_VARIANTS[v];
  const hex = (n: number) => `0x${(n >>> 0).toString(16)}`;
  const paravirt = v === 'hal' && !opts.selfMap;
  const halLoad = (off: number) => `        lui     \\reg, 0xe000\n        lw      \\reg, ${off - 0x1000}(\\reg)    # HAL page ${hex(HAL_PAGE)} + ${off}\n`;
  const cpuid = v === 'hal' ? halLoad(HAL_OFFSETS.cpuId) : '        mfc0    \\reg, $4\n        srl     \\reg, \\reg, 23\n';
  const read = (name: string, reg: number, off: number) => `        .macro  HAL_${name}_READ reg
${paravirt ? halLoad(off) : `        mfc0    \\reg, $${reg}\n`}        .endm
`;
  return `# prelude.s — generated by src/core/guest/kernel.ts for the ${v} variant; do not edit.
        .set    KERNBASE, ${hex(info.kernbase)}
        .set    VARIANT, ${info.number}
        .set    PARAVIRT, ${paravirt ? 1 : 0}
# HAL_CPUID reg: this CPU's number (Context.PTEBase[31:23], set at boot)
        .macro  HAL_CPUID reg
${cpuid}        .endm
# HAL_<register>_READ reg: side-effect-free reads of the exception registers (the HAL page's
# mirror when PARAVIRT)
${read('STATUS', 12, HAL_OFFSETS.status)}${read('CAUSE', 13, HAL_OFFSETS.cause)}${read('EPC', 14, HAL_OFFSETS.epc)}${read('BADVADDR', 8, HAL_OFFSETS.badVAddr)}        .macro  HAL_STATUS_WRITE reg
        mtc0    \\reg, $12
        .endm
        .macro  VARIANT_NAME
        .asciiz "${v}${opts.selfMap && v !== 'kseg0' ? ', self-mapped' : ''}"
        .endm
${selfMapMacro(v, opts.selfMap ?? false)}`;
}

export interface KernelBuild {
  ok: boolean;
  variant: KernelVariant;
  diagnostics: Diagnostic[];
  /** Linked at KERNBASE (what the assembler produced). */
  image?: Image;
  /**
   * The image as the bare machine loads it: segments moved to kseg0 (vaddr − KERNBASE +
   * 0x80000000, i.e. at their physical address) and the entry likewise. For `kseg0` this is the
   * image itself.
   */
  load?: LoadImage;
  /** ELF32 executable (segments at their link addresses: loadable natively only for kseg0). */
  elf?: Uint8Array;
  result: AssembleResult;
}

/**
 * Assembles the kernel. `sources.kernel` is kernel.s; `include` resolves any further
 * `.include` of the kernel (prelude.s is served here).
 */
export function buildKernel(variant: KernelVariant, sources: { kernel: string; path?: string; include?: (name: string, from: string) => SourceFile | undefined }, opts: { selfMap?: boolean } = {}): KernelBuild {
  const info = KERNEL_VARIANTS[variant];
  const prelude = kernelPrelude(variant, opts);
  const path = sources.path ?? 'kernel/kernel.s';
  const result = assemble([{ path, text: sources.kernel }], {
    textBase: info.kernbase,
    dataBase: (info.kernbase + KERNEL_DATA_OFFSET) >>> 0,
    elf: true,
    listing: false,
    include: (name, from) => (name === 'prelude.s' ? { path: 'kernel/prelude.s', text: prelude } : sources.include?.(name, from)),
  });
  if (!result.ok || !result.image) return { ok: false, variant, diagnostics: result.diagnostics, result };
  const img = result.image;
  const text = img.segments.find((s) => s.name === '.text');
  if (text && text.bytes.length > KERNEL_DATA_OFFSET) {
    return { ok: false, variant, result, diagnostics: [...result.diagnostics, { file: path, line: 1, col: 1, endCol: 2, severity: 'error', message: `kernel text (${text.bytes.length} bytes) overlaps .data at KERNBASE + 0x${KERNEL_DATA_OFFSET.toString(16)}` }] };
  }
  const rebase = (a: number) => ((a - info.kernbase + 0x80000000) >>> 0) | 0;
  const load: LoadImage = {
    entry: rebase(img.entry),
    segments: img.segments.map((s) => ({ vaddr: rebase(s.vaddr), bytes: s.bytes })),
  };
  return { ok: true, variant, diagnostics: result.diagnostics, image: img, load, elf: result.elf, result };
}
