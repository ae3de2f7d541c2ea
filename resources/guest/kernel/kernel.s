# kernel.s — the Disco Lab guest kernel ("a small SMP commodity OS"), one source, three builds.
#
# The builder (src/core/guest/kernel.ts) generates `prelude.s` per variant:
#   KERNBASE  0x80000000 (kseg0, native) or 0xC0000000 (ksseg, what Disco requires)
#   VARIANT   0 kseg0, 1 ksseg, 2 hal
#   PARAVIRT  1 for hal under the monitor: devices through monitor calls, zeroed-page and
#             page-is-free hints, exception registers read from the HAL page (docs/guest-os.md)
#   macros    HAL_* — the privileged-register accesses the HAL patch redirects
# The kernel is linked at KERNBASE (vectors at +0x000 refill, +0x180 general) and lives at
# physical = vaddr − KERNBASE. It reaches any physical address as KERNBASE + paddr, devices
# through kseg1 (0xBF00xxxx). docs/guest-os.md describes the design, docs/guest-syscalls.md
# the system calls. Calling convention inside the kernel: o32 (a0-a3 in, v0 out, s0-s8 and sp
# preserved, t0-t9 scratch); k0/k1 belong to the exception vectors only. Kernel code always runs
# with Status.IE = 0 (one big kernel lock, interrupts are polled in the idle loop), so the only
# exceptions taken in kernel mode are TLB faults on user addresses (copy to/from user memory).

        .include "prelude.s"

# ---- constants -------------------------------------------------------------------------------
        .set    DEV, 0xbf00             # lui DEV → device window (kseg1 0xBF000000)
        .set    CON_TX, 0x0000
        .set    CON_RX, 0x0008
        .set    DISK_SECTOR, 0x1000
        .set    DISK_COUNT, 0x1004
        .set    DISK_DMA, 0x1008
        .set    DISK_CMD, 0x100c
        .set    DISK_STATUS, 0x1010
        .set    IPI_SEND, 0x2000
        .set    IPI_CLEAR, 0x2008
        .set    POWER_EXIT, 0x3000
        .set    SI_CPUID, 0x4000
        .set    SI_NCPUS, 0x4008
        .set    SI_RAM, 0x4010
        .set    SI_CLOCK_KHZ, 0x4018
        .set    SI_CYCLE_LO, 0x4020
        .set    SI_FILESERVER, 0x4028   # the file server's network address + 1 (0: none; Disco's virtual network)
        .set    SI_NET, 0x4030          # 1: a network interface (under Disco); 0 on the bare machine

        .set    IM_KERNEL, 0xd800       # IM7 timer | IM6 network | IM4 IPI | IM3 disk
        .set    USER_STATUS, 0xd813     # IM_KERNEL | KSU=user | EXL | IE (EXL: restored then eret)
        .set    PANIC_STATUS, 100       # power-off status after a kernel panic

        .set    NPROC, 32               # process slots; slot = ASID; slot 0 = "no process"
        .set    MAXCPU, 32
        .set    PSIZE, 256
        .set    CSIZE, 64
        .set    PGSIZE, 4096
        .set    STRIPE_SHIFT, 7         # the allocator's stripe: 128 pages (kinit)
        .set    STRIPE, 1 << STRIPE_SHIFT

        # process states
        .set    S_FREE, 0
        .set    S_EMBRYO, 1
        .set    S_RUNNABLE, 2
        .set    S_RUNNING, 3
        .set    S_SLEEPING, 4
        .set    S_ZOMBIE, 5

        # struct proc
        .set    P_STATE, 0
        .set    P_PID, 4
        .set    P_PARENT, 8
        .set    P_CHAN, 12
        .set    P_KSTACK, 16
        .set    P_PGDIR, 20
        .set    P_BRK, 24
        .set    P_XSTATUS, 28
        .set    P_CTX, 32               # 11 words: s0-s7, fp, sp, ra
        .set    P_HEAPLO, 76            # demand-zero heap: [P_HEAPLO, P_BRK)
        .set    P_TICKS, 80
        .set    P_LIMIT, 84
        .set    P_BRK0, 88              # the break after exec (Linux brk's lower bound)
        .set    P_SLOT, 92
        .set    P_FILE, 96
        .set    P_ABI, 100              # the executable's header flags (EXE_LINUX: Linux o32 start)
        .set    P_FDS, 112              # 4 × {file index + 1, offset}
        .set    NFD, 4
        .set    P_NAME, 144             # 32 bytes
        .set    P_ARGS, 176             # 80 bytes
        .set    ARGMAX, 80

        # struct cpu
        .set    C_PROC, 0
        .set    C_CTX, 4
        .set    C_ID, 48
        .set    C_FLUSH, 52             # ASIDs whose TLB entries this CPU must drop before reuse

        # context (inside proc / cpu)
        .set    X_S0, 0
        .set    X_FP, 32
        .set    X_SP, 36
        .set    X_RA, 40

        # trap frame
        .set    TF_SIZE, 160
        .set    TF_V0, 8
        .set    TF_A0, 16
        .set    TF_A1, 20
        .set    TF_A2, 24
        .set    TF_A3, 28
        .set    TF_SP, 116
        .set    TF_RA, 124
        .set    TF_HI, 128
        .set    TF_LO, 132
        .set    TF_EPC, 136
        .set    TF_STATUS, 140
        .set    TF_CAUSE, 144
        .set    TF_BADV, 148

        # user address space
        .set    DATA_BASE, 0x10000000
        .set    SHM_BASE, 0x40000000
        .set    SHM_MAXPAGES, 1088          # raytrace's largest scene (4 MiB) + 17 pages
        .set    USTACK_TOP, 0x7fff0000
        .set    USTACK_LO, 0x7fef0000   # 1 MiB of demand-zero stack
        .set    PTE_RW, 0x1e            # C=3 (cacheable) | D | V
        .set    PTE_RO, 0x1a            # C=3 | V
        .set    PTE_D, 0x4              # D: the hardware's "writable" (dirty) bit
        .set    PTE_SW, 0x40000000      # software bit: writable, dirty or not (EntryLo ignores it)
        .set    PTE_CLEAN, 0x4000001a   # PTE_SW | PTE_RO: writable, not written yet (a store → Mod)
        .set    PTE_SHARED, 0x80000000  # software bit (EntryLo ignores bits 31:26): not freed at exit

        # file system
        .set    FS_MAGIC, 0x44534653    # "DSFS"
        .set    EXE_MAGIC, 0x44584531   # "DXE1"
        .set    EXE_FLAGS, 112          # header word after the segment table (5 × 20 bytes)
        .set    EXE_LINUX, 1            # flag: start as a Linux o32 process (argc/argv on the stack)
        .set    DIRENT, 32
        .set    DE_SECTOR, 24
        .set    DE_SIZE, 28
        .set    FS_DIRSECT, 4           # directory sectors (64 files)
        .set    FS_CMDLINE, 64          # init command line inside the superblock

        .set    NSYS, 23
        .set    NBUF, 512               # buffer-cache sectors (256 KiB)
        .set    READAHEAD, 64           # sectors per disk read on a miss (32 KiB)
        .set    CONBUF, 256             # console bytes per monitor call (PARAVIRT write)

        # kernel time per service (+stats): the guest-statistics device, 0xBF005000
        .set    GSTAT, 0x5000           # from DEV: ENTER, EXIT (+4, the service), PARK (+8), UNPARK (+12)
        .set    TF_SVC, 104             # the trap frame's k0 slot: the service a kernel entry performed
        .set    SVC_DZ, 0               # DEMAND_ZERO  (service numbers: src/core/machine/devices/gstat.ts)
        .set    SVC_QF, 1               # QUICK_FAULT
        .set    SVC_OPEN, 2
        .set    SVC_UTLB, 3             # UTLB_MISS: the refill handler
        .set    SVC_WRITE, 4
        .set    SVC_READ, 5
        .set    SVC_EXEC, 6             # execve: a new process loading its executable
        .set    SVC_SYSCALL, 7          # any other system call
        .set    SVC_INTR, 8             # an interrupt taken in user mode

# ---- monitor calls (PARAVIRT only) -----------------------------------------------------------
# Disco's convention (docs/disco.md "Virtual devices and monitor calls"): `syscall 0xd15c` in
# kernel mode, number in v0, arguments in a0..a3, result in v0; every other register is kept.
        .set    HC_PUTC, 1
        .set    HC_WRITE, 2             # a0 = guest-physical buffer, a1 = length
        .set    HC_GETC, 3
        .set    HC_DISKIO, 4            # a0 = 1 read, a1 = sector, a2 = count, a3 = guest-physical
        .set    HC_DISKACK, 5           # → STATUS, acknowledged
        .set    HC_EXIT, 6
        .set    HC_ZERO, 7              # a0 = guest-physical page: "give me a zeroed page"
        .set    HC_IPISEND, 8
        .set    HC_IPICLEAR, 9
        .set    HC_INFO, 10             # a0 = 0 vCPU number, 1 vCPUs, 2 memory bytes, 3 clock kHz
        .set    HC_FREE, 11             # a0 = guest-physical page: "this page is free"
        .set    HC_NETSEND, 12          # a0 = destination VM, a1 = guest-physical buffer, a2 = length
        .set    HC_NETPOST, 13          # a0 = guest-physical receive buffer, a1 = capacity
        .set    HC_NETRECV, 14          # a0 = guest-physical descriptor (3 words) → 1, or 0: none left
        .set    NETRING, 64             # received messages the kernel holds (the monitor queues 64)
        .set    UNBUFS, 16              # net_recv: receive buffers posted to the monitor
        .set    UNBUF, 512              # bytes each (a longer message is cut)
        .set    UNSEND, 4096            # net_send: the longest message [bytes]
        .set    NFS_READ, 1             # file service requests: { op, sector, count } (12 bytes)
        .set    NFS_BYE, 2
        .macro  HCALL nr
        li      $v0, \nr
        syscall 0xd15c
        .endm

# ---- exception vectors -----------------------------------------------------------------------
        .text
        .set    noreorder
        .set    noat
        .globl  tlb_refill
# KERNBASE + 0x000: TLB refill (EXL = 0, no matching entry). The page directory of the current
# address space comes from the ASID in EntryHi; entries are kernel addresses of page-table pages
# (or of the shared all-invalid page table), PTEs are stored in EntryLo format.
tlb_refill:
        mfc0    $k1, $10                # EntryHi
        andi    $k1, $k1, 0xff          # ASID
        sll     $k1, $k1, 2
        lui     $k0, %hi(asid_pgdir)
        addu    $k1, $k1, $k0
        lw      $k1, %lo(asid_pgdir)($k1)   # page directory
        mfc0    $k0, $8                 # BadVAddr
        srl     $k0, $k0, 22
        sll     $k0, $k0, 2
        addu    $k1, $k1, $k0
        lw      $k1, 0($k1)             # page-table page
        mfc0    $k0, $8
        srl     $k0, $k0, 10
        andi    $k0, $k0, 0xff8         # even PTE of the pair
        addu    $k1, $k1, $k0
        lw      $k0, 0($k1)
        lw      $k1, 4($k1)
        mtc0    $k0, $2                 # EntryLo0
        mtc0    $k1, $3                 # EntryLo1
        tlbwr
        eret
        .align  8                       # → +0x100
        .space  0x80                    # → +0x180

# KERNBASE + 0x180: every other exception. Builds a trap frame on the kernel stack (the
# process's own when coming from user mode), drops to kernel mode with EXL = IE = 0, calls trap.
        .globl  general_exception
general_exception:
        lui     $k0, %hi(gstat_on)      # +stats: a kernel service starts
        lw      $k0, %lo(gstat_on)($k0)
        beqz    $k0, 2f
        lui     $k1, DEV
        sw      $zero, GSTAT($k1)
2:      HAL_STATUS_READ $k0
        andi    $k0, $k0, 0x10          # KSU = user?
        beqz    $k0, 1f
        move    $k1, $sp
        HAL_CPUID $k0                   # this CPU's number
        sll     $k0, $k0, 6             # × CSIZE
        lui     $sp, %hi(cpus)
        addu    $sp, $sp, $k0
        lw      $sp, %lo(cpus)($sp)     # cpus[id].proc
        lw      $sp, P_KSTACK($sp)
        addiu   $sp, $sp, PGSIZE
1:      addiu   $sp, $sp, -TF_SIZE
        sw      $k1, TF_SP($sp)
        sw      $1, 4($sp)
        sw      $2, 8($sp)
        sw      $3, 12($sp)
        sw      $4, 16($sp)
        sw      $5, 20($sp)
        sw      $6, 24($sp)
        sw      $7, 28($sp)
        sw      $8, 32($sp)
        sw      $9, 36($sp)
        sw      $10, 40($sp)
        sw      $11, 44($sp)
        sw      $12, 48($sp)
        sw      $13, 52($sp)
        sw      $14, 56($sp)
        sw      $15, 60($sp)
        sw      $16, 64($sp)
        sw      $17, 68($sp)
        sw      $18, 72($sp)
        sw      $19, 76($sp)
        sw      $20, 80($sp)
        sw      $21, 84($sp)
        sw      $22, 88($sp)
        sw      $23, 92($sp)
        sw      $24, 96($sp)
        sw      $25, 100($sp)
        sw      $zero, 104($sp)         # k0/k1 are the handler's own: recorded as 0
        sw      $zero, 108($sp)
        sw      $28, 112($sp)
        sw      $30, 120($sp)
        sw      $31, 124($sp)
        mfhi    $t0
        sw      $t0, TF_HI($sp)
        mflo    $t0
        sw      $t0, TF_LO($sp)
        HAL_EPC_READ $t0
        sw      $t0, TF_EPC($sp)
        HAL_CAUSE_READ $t0
        sw      $t0, TF_CAUSE($sp)
        HAL_BADVADDR_READ $t0
        sw      $t0, TF_BADV($sp)
        HAL_STATUS_READ $t0
        sw      $t0, TF_STATUS($sp)
        li      $t1, ~0x1f              # kernel mode, EXL = ERL = IE = 0
        and     $t0, $t0, $t1
        HAL_STATUS_WRITE $t0
        jal     trap
        move    $a0, $sp

# Returns through a trap frame at sp. Releases the big kernel lock when returning to user mode.
        .globl  trapret
trapret:
        lw      $t0, TF_STATUS($sp)
        andi    $t1, $t0, 0x10
        beqz    $t1, 1f
        nop
        sync
        lui     $t1, %hi(bkl)
        sw      $zero, %lo(bkl)($t1)    # release the big kernel lock
1:      HAL_STATUS_WRITE $t0            # EXL = 1 from here: kernel mode whatever KSU says
        lw      $t0, TF_EPC($sp)
        mtc0    $t0, $14
        lw      $t0, TF_HI($sp)
        mthi    $t0
        lw      $t0, TF_LO($sp)
        mtlo    $t0
        lw      $1, 4($sp)
        lw      $2, 8($sp)
        lw      $3, 12($sp)
        lw      $4, 16($sp)
        lw      $5, 20($sp)
        lw      $6, 24($sp)
        lw      $7, 28($sp)
        lw      $8, 32($sp)
        lw      $9, 36($sp)
        lw      $10, 40($sp)
        lw      $11, 44($sp)
        lw      $12, 48($sp)
        lw      $13, 52($sp)
        lw      $14, 56($sp)
        lw      $15, 60($sp)
        lw      $16, 64($sp)
        lw      $17, 68($sp)
        lw      $18, 72($sp)
        lw      $19, 76($sp)
        lw      $20, 80($sp)
        lw      $21, 84($sp)
        lw      $22, 88($sp)
        lw      $23, 92($sp)
        lw      $24, 96($sp)
        lw      $25, 100($sp)
        lw      $28, 112($sp)
        lw      $30, 120($sp)
        lw      $31, 124($sp)
        lui     $k0, %hi(gstat_on)      # +stats: the service ends (its number in TF_SVC)
        lw      $k0, %lo(gstat_on)($k0)
        beqz    $k0, 2f
        lw      $k1, TF_SVC($sp)
        lui     $k0, DEV
        sw      $k1, GSTAT + 4($k0)
2:      lw      $sp, TF_SP($sp)
        eret

# The refill handler with the +stats marks (UTLB_MISS), copied over tlb_refill at boot by
# gstat_start (so the handler costs nothing extra without +stats). Position-independent.
        .globl  tlb_refill_stats
tlb_refill_stats:
        lui     $k0, DEV
        sw      $zero, GSTAT($k0)
        mfc0    $k1, $10                # the same as tlb_refill from here …
        andi    $k1, $k1, 0xff
        sll     $k1, $k1, 2
        lui     $k0, %hi(asid_pgdir)
        addu    $k1, $k1, $k0
        lw      $k1, %lo(asid_pgdir)($k1)
        mfc0    $k0, $8
        srl     $k0, $k0, 22
        sll     $k0, $k0, 2
        addu    $k1, $k1, $k0
        lw      $k1, 0($k1)
        mfc0    $k0, $8
        srl     $k0, $k0, 10
        andi    $k0, $k0, 0xff8
        addu    $k1, $k1, $k0
        lw      $k0, 0($k1)
        lw      $k1, 4($k1)
        mtc0    $k0, $2
        mtc0    $k1, $3
        tlbwr                           # … to here
        lui     $k0, DEV
        li      $k1, SVC_UTLB
        sw      $k1, GSTAT + 4($k0)
        eret
tlb_refill_stats_end:
        .set    at
        .set    reorder

# ---- boot ------------------------------------------------------------------------------------
# Every CPU starts here in kernel mode with Status = BEV | ERL.
        .globl  __start
__start:
        li      $t0, 0x1000             # IM4 (IPI) only; BEV = ERL = 0; IE = 0
        mtc0    $t0, $12
        BOOT_SELFMAP                    # empty unless built with selfMap (see kernel.ts)
        lui     $t9, DEV
        .if     PARAVIRT
        HAL_CPUID $s0                   # the vCPU number, from the HAL page
        .else
        lw      $s0, SI_CPUID($t9)
        .endif
        sll     $t0, $s0, 23
        mtc0    $t0, $4                 # Context.PTEBase[31:23] = CPU number (as Linux/MIPS does)
        la      $t0, cpu_stacks
        addiu   $t1, $s0, 1
        sll     $t1, $t1, 12
        addu    $sp, $t0, $t1           # top of this CPU's 4 KiB boot/scheduler stack
        la      $t0, cpus
        sll     $t1, $s0, 6
        addu    $s1, $t0, $t1
        sw      $s0, C_ID($s1)
        jal     tlb_flush
        bnez    $s0, secondary
        jal     kmain                   # CPU 0; returns once the others may start
        b       cpu_start

secondary:
        wait                            # IE = 0: wakes on the IPI without taking it
        lw      $t0, boot_go
        beqz    $t0, secondary
        .if     PARAVIRT
        li      $a0, -1
        HCALL   HC_IPICLEAR
        .else
        lui     $t9, DEV
        li      $t0, -1
        sw      $t0, IPI_CLEAR($t9)
        .endif
cpu_start:
        jal     timer_reset
        li      $t0, IM_KERNEL          # kernel, IE = 0; interrupts are taken in user mode only
        HAL_STATUS_WRITE $t0
        j       scheduler

# kmain: CPU 0 sets the machine up and creates the first process.
kmain:
        addiu   $sp, $sp, -32
        sw      $ra, 28($sp)
        sw      $s0, 24($sp)
        .if     PARAVIRT
        li      $a0, 1
        HCALL   HC_INFO
        sw      $v0, ncpus
        li      $a0, 2
        HCALL   HC_INFO
        sw      $v0, ram_bytes
        li      $a0, 3
        HCALL   HC_INFO
        move    $t0, $v0
        .else
        lui     $t9, DEV
        lw      $t0, SI_NCPUS($t9)
        sw      $t0, ncpus
        lw      $t0, SI_RAM($t9)
        sw      $t0, ram_bytes
        lw      $t0, SI_CLOCK_KHZ($t9)
        .endif
        .if     PARAVIRT                # a file server on Disco's virtual network? (0: the own disk)
        li      $a0, 4
        move    $t2, $t0
        HCALL   HC_INFO
        move    $t1, $v0
        move    $t0, $t2
        .else
        lui     $t9, DEV
        lw      $t1, SI_FILESERVER($t9)
        .endif
        sw      $t1, nfs_server
        sll     $t1, $t0, 2
        addu    $t0, $t0, $t1           # Count runs at half the clock: 10 ms = khz × 5 counts
        sw      $t0, tick_counts
        la      $a0, msg_banner
        jal     kputs
        la      $a0, msg_variant
        jal     kputs
        la      $a0, msg_on
        jal     kputs
        lw      $a0, ncpus
        jal     kputdec
        la      $a0, msg_cpus
        jal     kputs
        lw      $a0, ram_bytes
        srl     $a0, $a0, 20
        jal     kputdec
        la      $a0, msg_mib
        jal     kputs
        jal     kinit
        jal     vminit
        jal     fsinit
        jal     userinit
        li      $t0, 1
        sw      $t0, boot_go
        lw      $t0, ncpus              # wake the other CPUs: IPI to all but CPU 0
        li      $t1, 1
        sllv    $t1, $t1, $t0
        addiu   $t1, $t1, -2
        .if     PARAVIRT
        move    $a0, $t1
        HCALL   HC_IPISEND
        .else
        lui     $t9, DEV
        sw      $t1, IPI_SEND($t9)
        .endif
        lw      $ra, 28($sp)
        lw      $s0, 24($sp)
        addiu   $sp, $sp, 32
        jr      $ra

# ---- console ---------------------------------------------------------------------------------
kputc:                                  # a0 = byte
        .if     PARAVIRT
        HCALL   HC_PUTC
        .else
        lui     $t9, DEV
        sw      $a0, CON_TX($t9)
        .endif
        jr      $ra

# kmsg_nl: a kernel message starts on a line of its own — a newline first when the last byte a
# process wrote was not one (every kernel message ends with a newline itself).
kmsg_nl:
        lw      $t0, con_last
        li      $t1, '\n'
        beq     $t0, $t1, 1f
        sw      $t1, con_last
        .if     PARAVIRT
        move    $a0, $t1
        HCALL   HC_PUTC
        .else
        lui     $t9, DEV
        sw      $t1, CON_TX($t9)
        .endif
1:      jr      $ra

kputs:                                  # a0 = NUL-terminated string
        .if     PARAVIRT
        move    $t1, $a0                # one console.write of the whole string
5:      lbu     $t0, 0($t1)
        beqz    $t0, 6f
        addiu   $t1, $t1, 1
        b       5b
6:      subu    $a1, $t1, $a0
        li      $t0, KERNBASE
        subu    $a0, $a0, $t0           # guest-physical
        HCALL   HC_WRITE
        jr      $ra
        .else
        lui     $t9, DEV
1:      lbu     $t0, 0($a0)
        beqz    $t0, 2f
        sw      $t0, CON_TX($t9)
        addiu   $a0, $a0, 1
        b       1b
2:      jr      $ra
        .endif

kputhex:                                # a0 = word, printed as 0x%08x
        .if     PARAVIRT
        addiu   $sp, $sp, -16           # formatted on the stack, one console.write
        li      $t0, '0'
        sb      $t0, 0($sp)
        li      $t0, 'x'
        sb      $t0, 1($sp)
        addiu   $t3, $sp, 2
        la      $t2, hexdigits
        li      $t1, 28
5:      srlv    $t0, $a0, $t1
        andi    $t0, $t0, 15
        addu    $t0, $t2, $t0
        lbu     $t0, 0($t0)
        sb      $t0, 0($t3)
        addiu   $t3, $t3, 1
        addiu   $t1, $t1, -4
        bgez    $t1, 5b
        li      $t0, KERNBASE
        subu    $a0, $sp, $t0
        li      $a1, 10
        HCALL   HC_WRITE
        addiu   $sp, $sp, 16
        jr      $ra
        .else
        lui     $t9, DEV
        li      $t0, '0'
        sw      $t0, CON_TX($t9)
        li      $t0, 'x'
        sw      $t0, CON_TX($t9)
        li      $t1, 28
1:      srlv    $t0, $a0, $t1
        andi    $t0, $t0, 15
        la      $t2, hexdigits
        addu    $t2, $t2, $t0
        lbu     $t0, 0($t2)
        sw      $t0, CON_TX($t9)
        addiu   $t1, $t1, -4
        bgez    $t1, 1b
        jr      $ra
        .endif

kputdec:                                # a0 = signed word
        .if     PARAVIRT
        addiu   $sp, $sp, -16           # sign and digits at sp[0..11] from the end, one console.write
        move    $t4, $a0
        bgez    $a0, 5f
        subu    $a0, $zero, $a0
5:      addiu   $t1, $sp, 12
        li      $t2, 10
6:      divu    $zero, $a0, $t2
        mfhi    $t0
        mflo    $a0
        addiu   $t0, $t0, '0'
        addiu   $t1, $t1, -1
        sb      $t0, 0($t1)
        bnez    $a0, 6b
        bgez    $t4, 7f
        li      $t0, '-'
        addiu   $t1, $t1, -1
        sb      $t0, 0($t1)
7:      addiu   $a1, $sp, 12
        subu    $a1, $a1, $t1
        li      $t0, KERNBASE
        subu    $a0, $t1, $t0
        HCALL   HC_WRITE
        addiu   $sp, $sp, 16
        jr      $ra
        .else
        lui     $t9, DEV
        addiu   $sp, $sp, -16
        bgez    $a0, 1f
        li      $t0, '-'
        sw      $t0, CON_TX($t9)
        subu    $a0, $zero, $a0
1:      move    $t1, $sp                # digits pushed at sp[0..11] from the end
        addiu   $t1, $t1, 12
        li      $t2, 10
2:      divu    $zero, $a0, $t2
        mfhi    $t0
        mflo    $a0
        addiu   $t0, $t0, '0'
        addiu   $t1, $t1, -1
        sb      $t0, 0($t1)
        bnez    $a0, 2b
        addiu   $t3, $sp, 12
3:      lbu     $t0, 0($t1)
        sw      $t0, CON_TX($t9)
        addiu   $t1, $t1, 1
        bne     $t1, $t3, 3b
        addiu   $sp, $sp, 16
        jr      $ra
        .endif

# ---- panic -----------------------------------------------------------------------------------
# panic(a0 = reason): no trap frame. Prints, powers off with PANIC_STATUS.
panic:
        move    $s0, $a0
        jal     panic_enter
        jal     kmsg_nl
        la      $a0, msg_panic
        jal     kputs
        move    $a0, $s0
        jal     kputs
        la      $a0, msg_oncpu
        jal     kputs
        HAL_CPUID $a0
        jal     kputdec
        li      $a0, '\n'
        jal     kputc
        b       poweroff_panic

# panic_tf(a0 = trap frame, a1 = reason): "PANIC: <reason> cause=<name> pc=... badvaddr=..." and
# every register of the frame.
panic_tf:
        move    $s0, $a0
        move    $s1, $a1
        jal     panic_enter
        jal     kmsg_nl
        la      $a0, msg_panic
        jal     kputs
        move    $a0, $s1
        jal     kputs
        la      $a0, msg_cause
        jal     kputs
        lw      $a0, TF_CAUSE($s0)
        jal     causename
        move    $a0, $v0
        jal     kputs
        la      $a0, msg_pc
        jal     kputs
        lw      $a0, TF_EPC($s0)
        jal     kputhex
        la      $a0, msg_badv
        jal     kputs
        lw      $a0, TF_BADV($s0)
        jal     kputhex
        la      $a0, msg_oncpu
        jal     kputs
        HAL_CPUID $a0
        jal     kputdec
        li      $a0, '\n'
        jal     kputc
        li      $s2, 0                  # register number
1:      andi    $t0, $s2, 3
        bnez    $t0, 2f
        beqz    $s2, 2f
        li      $a0, '\n'
        jal     kputc
2:      la      $a0, regnames       # 5 bytes each
        sll     $t0, $s2, 2
        addu    $t0, $t0, $s2
        addu    $a0, $a0, $t0
        jal     kputs
        sll     $t0, $s2, 2
        addu    $t0, $t0, $s0
        lw      $a0, 0($t0)
        bnez    $s2, 3f
        move    $a0, $zero              # $zero is not saved
3:      jal     kputhex
        addiu   $s2, $s2, 1
        li      $t0, 32
        bne     $s2, $t0, 1b
        la      $a0, msg_regs2
        jal     kputs
        lw      $a0, TF_HI($s0)
        jal     kputhex
        la      $a0, msg_lo
        jal     kputs
        lw      $a0, TF_LO($s0)
        jal     kputhex
        la      $a0, msg_status
        jal     kputs
        lw      $a0, TF_STATUS($s0)
        jal     kputhex
        la      $a0, msg_causereg
        jal     kputs
        lw      $a0, TF_CAUSE($s0)
        jal     kputhex
        li      $a0, '\n'
        jal     kputc
poweroff_panic:
        .if     PARAVIRT
        li      $a0, PANIC_STATUS
        HCALL   HC_EXIT
        .else
        lui     $t9, DEV
        li      $t0, PANIC_STATUS
        sw      $t0, POWER_EXIT($t9)
        .endif
1:      wait
        b       1b

# panic_enter: the first panic proceeds; a fault while panicking powers off at once
panic_enter:
        lw      $t0, panicking
        bnez    $t0, poweroff_panic
        li      $t0, 1
        sw      $t0, panicking
        jr      $ra

# causename(a0 = Cause) → v0 = name string
causename:
        srl     $t0, $a0, 2
        andi    $t0, $t0, 31
        sltiu   $t1, $t0, 14
        bnez    $t1, 1f
        li      $t0, 14
1:      sll     $t0, $t0, 3
        la      $v0, excnames
        addu    $v0, $v0, $t0
        jr      $ra

# ---- spinlock (LL/SC) ------------------------------------------------------------------------
lock_acquire:                           # a0 = lock word
1:      ll      $t0, 0($a0)
        bnez    $t0, 1b
        li      $t0, 1
        sc      $t0, 0($a0)
        beqz    $t0, 1b
        sync
        jr      $ra

lock_release:                           # a0 = lock word
        sync
        sw      $zero, 0($a0)
        jr      $ra

# ---- per-CPU ---------------------------------------------------------------------------------
mycpu:                                  # v0 = this CPU's struct cpu
        HAL_CPUID $t0
        sll     $t0, $t0, 6
        la      $v0, cpus
        addu    $v0, $v0, $t0
        jr      $ra

curproc:                                # v0 = current process (0 in the scheduler)
        HAL_CPUID $t0
        sll     $t0, $t0, 6
        la      $v0, cpus
        addu    $v0, $v0, $t0
        lw      $v0, C_PROC($v0)
        jr      $ra

timer_reset:                            # next timer interrupt in one tick (10 ms)
        mfc0    $t0, $9
        lw      $t1, tick_counts
        addu    $t0, $t0, $t1
        mtc0    $t0, $11                # Compare (also clears IP7)
        jr      $ra

# ---- TLB -------------------------------------------------------------------------------------
tlb_flush:                              # every entry from Wired up → a distinct, never-matching
        mtc0    $zero, $2               # kseg0 VPN2 (wired entries: the selfMap boot mapping)
        mtc0    $zero, $3
        mtc0    $zero, $5
        mfc0    $t0, $6
        li      $t2, 64
1:      sll     $t1, $t0, 13
        lui     $t3, 0x8000
        or      $t1, $t1, $t3
        mtc0    $t1, $10
        mtc0    $t0, $0
        tlbwi
        addiu   $t0, $t0, 1
        bne     $t0, $t2, 1b
        mtc0    $zero, $10
        jr      $ra

# tlb_update(a0 = va, a1 = page directory): if the TLB holds the pair of va for the current
# ASID, rewrite it from the page table (a stale invalid entry after a fault was resolved).
tlb_update:
        mfc0    $t0, $10
        andi    $t0, $t0, 0xff
        li      $t1, 0xffffe000
        and     $t2, $a0, $t1
        or      $t2, $t2, $t0
        mtc0    $t2, $10
        tlbp
        mfc0    $t3, $0
        bltz    $t3, 1f
        srl     $t0, $a0, 22
        sll     $t0, $t0, 2
        addu    $t0, $t0, $a1
        lw      $t0, 0($t0)             # page table
        srl     $t1, $a0, 10
        andi    $t1, $t1, 0xff8
        addu    $t0, $t0, $t1
        lw      $t1, 0($t0)
        lw      $t2, 4($t0)
        mtc0    $t1, $2
        mtc0    $t2, $3
        tlbwi
1:      jr      $ra

# ---- physical pages --------------------------------------------------------------------------
kinit:                                  # free memory: kernel_end .. end of RAM, handed out
        la      $t0, kernel_end         # in a NUMA-oblivious order (no boot-time walk over pages).
        addiu   $t0, $t0, PGSIZE - 1    # Seen as M rows of STRIPE pages (512 KiB, one colour period
        li      $t1, ~(PGSIZE - 1)      # of the board cache), the k-th page has colour c = k mod
        and     $t0, $t0, $t1           # STRIPE and row (k / STRIPE + c × s) mod M, s ≈ 0.618 M and
        .if     PARAVIRT                # coprime to M: colours are those of address order, but
        sw      $t0, free_links         # successive pages lie rows apart — on other nodes of a NUMA
        lw      $t2, ram_bytes          # machine, as IRIX, taking memory for uniform, spread its
        srl     $t2, $t2, 10            # pages. Pages after the last whole row come last, in order.
        addiu   $t2, $t2, PGSIZE - 1    # (PARAVIRT: the free list's links, one word per page of
        and     $t2, $t2, $t1           # RAM — a page freed with the page-is-free hint loses its
        addu    $t0, $t0, $t2           # contents)
        .endif
        sw      $t0, bump_base
        lw      $t2, ram_bytes
        li      $t3, KERNBASE
        addu    $t2, $t2, $t3
        subu    $t2, $t2, $t0
        srl     $t2, $t2, 12
        sw      $t2, nfree
        sw      $t2, bump_total
        sw      $zero, bump_k
        srl     $t3, $t2, STRIPE_SHIFT  # M = whole stripes
        sw      $t3, bump_nstripes
        sll     $t4, $t3, STRIPE_SHIFT
        sw      $t4, bump_striped       # pages handed out by stripe
        li      $t4, 40503              # s = M × 0.618 (40503 / 65536), at least 1
        multu   $t3, $t4
        mflo    $t4
        srl     $t4, $t4, 16
        bnez    $t4, 1f
        li      $t4, 1
1:      move    $t5, $t4                # gcd(s, M) by Euclid; s + 1 until it is 1
        move    $t6, $t3
2:      beqz    $t6, 3f
        divu    $zero, $t5, $t6
        mfhi    $t7
        move    $t5, $t6
        move    $t6, $t7
        b       2b
3:      sltiu   $t7, $t5, 2             # gcd 1 (or M = 0)
        bnez    $t7, 4f
        addiu   $t4, $t4, 1
        b       1b
4:      sw      $t4, bump_stride
        jr      $ra

kalloc:                                 # v0 = zeroed page (kernel address) or 0
        lw      $v0, freelist           # freed pages first, then never-used ones
        beqz    $v0, 3f
        .if     PARAVIRT
        li      $t0, KERNBASE
        subu    $t0, $v0, $t0
        srl     $t0, $t0, 10            # page number × 4
        lw      $t1, free_links
        addu    $t0, $t0, $t1
        lw      $t0, 0($t0)
        .else
        lw      $t0, 0($v0)
        .endif
        sw      $t0, freelist
        b       4f
3:      lw      $t0, bump_k             # k-th never-used page
        lw      $t1, bump_total
        sltu    $t2, $t0, $t1
        beqz    $t2, 5f
        addiu   $t2, $t0, 1
        sw      $t2, bump_k
        lw      $t1, bump_striped
        sltu    $t2, $t0, $t1
        beqz    $t2, 6f                 # past the whole stripes: address order
        andi    $t2, $t0, STRIPE - 1    # colour c = k mod STRIPE
        srl     $t3, $t0, STRIPE_SHIFT  # r = k / STRIPE
        lw      $t1, bump_stride
        multu   $t2, $t1
        mflo    $t1
        addu    $t3, $t3, $t1
        lw      $t1, bump_nstripes
        divu    $zero, $t3, $t1
        mfhi    $t3                     # row = (r + c × s) mod M
        sll     $t0, $t3, STRIPE_SHIFT
        addu    $t0, $t0, $t2           # page row × STRIPE + c
6:      sll     $t0, $t0, 12
        lw      $v0, bump_base
        addu    $v0, $v0, $t0
4:      lw      $t0, nfree
        addiu   $t0, $t0, -1
        sw      $t0, nfree
        .if     PARAVIRT
        move    $t1, $v0                # "give me a zeroed page": the monitor zeroes it
        li      $t0, KERNBASE
        subu    $a0, $v0, $t0
        HCALL   HC_ZERO
        move    $v0, $t1
        .else
        move    $t0, $v0
        addiu   $t1, $v0, PGSIZE
1:      sw      $zero, 0($t0)
        sw      $zero, 4($t0)
        sw      $zero, 8($t0)
        sw      $zero, 12($t0)
        sw      $zero, 16($t0)
        sw      $zero, 20($t0)
        sw      $zero, 24($t0)
        sw      $zero, 28($t0)
        addiu   $t0, $t0, 32
        bne     $t0, $t1, 1b
        .endif
        jr      $ra
5:      move    $v0, $zero
        jr      $ra

kfree:                                  # a0 = page
        lw      $t0, freelist
        .if     PARAVIRT
        li      $t1, KERNBASE
        subu    $t2, $a0, $t1           # guest-physical
        srl     $t3, $t2, 10
        lw      $t1, free_links
        addu    $t3, $t3, $t1
        sw      $t0, 0($t3)
        .else
        sw      $t0, 0($a0)
        .endif
        sw      $a0, freelist
        lw      $t0, nfree
        addiu   $t0, $t0, 1
        sw      $t0, nfree
        .if     PARAVIRT
        move    $a0, $t2                # "this page is free": the monitor may reclaim it
        HCALL   HC_FREE
        .endif
        jr      $ra

# ---- address spaces --------------------------------------------------------------------------
vminit:                                 # the all-invalid directory used by ASID 0 and free slots
        la      $t0, empty_pgdir
        la      $t1, empty_pt
        addiu   $t2, $t0, PGSIZE
1:      sw      $t1, 0($t0)
        addiu   $t0, $t0, 4
        bne     $t0, $t2, 1b
        la      $t0, asid_pgdir
        la      $t1, empty_pgdir
        li      $t2, NPROC
2:      sw      $t1, 0($t0)
        addiu   $t0, $t0, 4
        addiu   $t2, $t2, -1
        bnez    $t2, 2b
        jr      $ra

# pgdir_new → v0 = a page directory whose every entry is empty_pt, or 0
pgdir_new:
        addiu   $sp, $sp, -16
        sw      $ra, 12($sp)
        jal     kalloc
        beqz    $v0, 2f
        la      $t1, empty_pt
        move    $t0, $v0
        addiu   $t2, $v0, PGSIZE
1:      sw      $t1, 0($t0)
        sw      $t1, 4($t0)
        sw      $t1, 8($t0)
        sw      $t1, 12($t0)
        addiu   $t0, $t0, 16
        bne     $t0, $t2, 1b
2:      lw      $ra, 12($sp)
        addiu   $sp, $sp, 16
        jr      $ra

# walk(a0 = pgdir, a1 = va, a2 = create) → v0 = address of the PTE, or 0
walk:
        addiu   $sp, $sp, -24
        sw      $ra, 20($sp)
        sw      $s0, 16($sp)
        sw      $s1, 12($sp)
        srl     $t0, $a1, 22
        sll     $t0, $t0, 2
        addu    $s0, $a0, $t0           # &pgdir[va >> 22]
        move    $s1, $a1
        lw      $v0, 0($s0)
        la      $t1, empty_pt
        bne     $v0, $t1, 1f
        beqz    $a2, 9f
        jal     kalloc
        beqz    $v0, 9f
        sw      $v0, 0($s0)
1:      srl     $t0, $s1, 12
        andi    $t0, $t0, 1023
        sll     $t0, $t0, 2
        addu    $v0, $v0, $t0
        b       8f
9:      move    $v0, $zero
8:      lw      $ra, 20($sp)
        lw      $s0, 16($sp)
        lw      $s1, 12($sp)
        addiu   $sp, $sp, 24
        jr      $ra

# map_new(a0 = proc, a1 = va, a2 = PTE flags) → v0 = new zeroed page mapped at va, or 0
map_new:
        addiu   $sp, $sp, -32
        sw      $ra, 28($sp)
        sw      $s0, 24($sp)
        sw      $s1, 20($sp)
        sw      $s2, 16($sp)
        sw      $s3, 12($sp)
        move    $s0, $a0
        move    $s1, $a1
        move    $s2, $a2
        lw      $a0, P_PGDIR($s0)
        li      $a2, 1
        jal     walk
        beqz    $v0, 9f
        move    $s3, $v0
        jal     kalloc
        beqz    $v0, 9f
        li      $t0, KERNBASE
        subu    $t1, $v0, $t0           # physical address
        srl     $t1, $t1, 12
        sll     $t1, $t1, 6             # PFN field
        or      $t1, $t1, $s2
        sw      $t1, 0($s3)
9:      lw      $ra, 28($sp)
        lw      $s0, 24($sp)
        lw      $s1, 20($sp)
        lw      $s2, 16($sp)
        lw      $s3, 12($sp)
        addiu   $sp, $sp, 32
        jr      $ra

# vm_fault(a0 = trap frame) → v0 = 0 resolved, 1 bad address, 2 out of memory;
# v1 = the service it was: SVC_QF (the PTE was valid) or SVC_DZ.
# Dirty bits are emulated (as MIPS kernels do with the D bit): a writable page the process has
# not written yet is mapped clean (PTE_CLEAN, D = 0); the first store takes a Mod fault (or a
# TLBS one) that sets D — a quick fault. A demand-zero page made by a load starts clean.
# Demand-zero pages for the heap [P_HEAPLO, brk) and the stack; a PTE already valid means another CPU's
# (or an earlier) fault mapped it and only this TLB's stale invalid entry needs rewriting.
vm_fault:
        addiu   $sp, $sp, -32
        sw      $ra, 28($sp)
        sw      $s0, 24($sp)
        sw      $s1, 20($sp)
        sw      $s2, 16($sp)
        sw      $s3, 12($sp)
        lw      $s1, TF_BADV($a0)
        lw      $s3, TF_CAUSE($a0)
        srl     $s3, $s3, 2
        andi    $s3, $s3, 31
        xori    $s3, $s3, 2             # s3 = 0 for a load (TLBL), ≠ 0 for a store (TLBS, Mod)
        li      $s2, SVC_QF
        jal     curproc
        move    $s0, $v0
        lw      $a0, P_PGDIR($s0)
        move    $a1, $s1
        move    $a2, $zero
        jal     walk
        beqz    $v0, 1f
        lw      $t0, 0($v0)
        andi    $t1, $t0, 2
        beqz    $t1, 1f
        beqz    $s3, 5f                 # valid PTE, a load: refresh the TLB
        andi    $t1, $t0, PTE_D
        bnez    $t1, 5f                 # a store to a dirty page: refresh the TLB
        li      $t1, PTE_SW
        and     $t1, $t0, $t1
        beqz    $t1, 8f                 # a store to a read-only page: bad
        ori     $t0, $t0, PTE_D         # the first store to a clean page: now dirty
        sw      $t0, 0($v0)
        b       5f
1:      lw      $t0, P_BRK($s0)         # a demand-zero region?
        sltu    $t1, $s1, $t0
        lw      $t2, P_HEAPLO($s0)
        sltu    $t3, $s1, $t2
        beqz    $t3, 2f
        b       3f
2:      bnez    $t1, 4f                 # heap: P_HEAPLO <= va < brk
3:      li      $t2, USTACK_LO
        sltu    $t3, $s1, $t2
        bnez    $t3, 8f
        li      $t2, USTACK_TOP
        sltu    $t3, $s1, $t2
        beqz    $t3, 8f
4:      move    $a0, $s0
        li      $t0, ~(PGSIZE - 1)
        and     $a1, $s1, $t0
        li      $a2, PTE_CLEAN          # made by a load: clean; by a store: dirty
        beqz    $s3, 41f
        li      $a2, PTE_SW | PTE_RW
41:     jal     map_new
        beqz    $v0, 7f
        lw      $t0, demand_zero
        addiu   $t0, $t0, 1
        sw      $t0, demand_zero
        li      $s2, SVC_DZ
5:      move    $a0, $s1
        lw      $a1, P_PGDIR($s0)
        jal     tlb_update
        li      $v0, 0
        b       9f
7:      li      $v0, 2
        b       9f
8:      li      $v0, 1
9:      move    $v1, $s2
        lw      $ra, 28($sp)
        lw      $s0, 24($sp)
        lw      $s1, 20($sp)
        lw      $s2, 16($sp)
        lw      $s3, 12($sp)
        addiu   $sp, $sp, 32
        jr      $ra

# ---- traps -----------------------------------------------------------------------------------
# trap(a0 = trap frame), called with EXL = IE = 0. From user mode it takes the big kernel lock
# (trapret releases it); from kernel mode the lock is already held by this CPU.
trap:
        addiu   $sp, $sp, -32
        sw      $ra, 28($sp)
        sw      $s0, 24($sp)
        sw      $s1, 20($sp)
        sw      $s2, 16($sp)
        move    $s0, $a0
        lw      $t0, TF_STATUS($s0)
        andi    $s1, $t0, 0x10          # from user mode
        beqz    $s1, 1f
        la      $a0, bkl
        jal     lock_acquire
1:      lw      $t0, TF_CAUSE($s0)
        srl     $t0, $t0, 2
        andi    $s2, $t0, 31            # ExcCode
        beqz    $s2, t_intr
        li      $t0, 8
        beq     $s2, $t0, t_sys
        li      $t0, 2
        beq     $s2, $t0, t_tlb
        li      $t0, 3
        beq     $s2, $t0, t_tlb
        li      $t0, 1
        beq     $s2, $t0, t_tlb         # Mod: the first store to a clean page
        b       t_bad

t_sys:
        lw      $t0, TF_EPC($s0)
        addiu   $t0, $t0, 4
        sw      $t0, TF_EPC($s0)
        move    $a0, $s0
        jal     syscall
        b       t_done

t_tlb:
        lw      $t0, TF_BADV($s0)
        bltz    $t0, t_bad              # kernel address: a kernel bug (or a user AdE-like access)
        jal     curproc
        beqz    $v0, t_bad
        move    $a0, $s0
        jal     vm_fault
        sw      $v1, TF_SVC($s0)        # DEMAND_ZERO or QUICK_FAULT
        beqz    $v0, t_done
        li      $t0, 2
        bne     $v0, $t0, t_kill
        la      $a1, msg_oom
        b       t_kill2

t_bad:
        bnez    $s1, t_kill
        li      $t0, 1                  # kernel mode: Mod/AdEL/AdES on a user address is the
        beq     $s2, $t0, 2f            # process's bad pointer (e.g. read() into its text, an
        addiu   $t0, $s2, -4            # unaligned status pointer): kill it; anything else
        sltiu   $t0, $t0, 2             # in kernel mode is a kernel bug: panic
        beqz    $t0, 1f
2:      lw      $t0, TF_BADV($s0)
        bltz    $t0, 1f
        jal     curproc
        bnez    $v0, t_kill
1:      move    $a0, $s0
        la      $a1, msg_kexc
        jal     panic_tf

t_kill:
        move    $a1, $zero
t_kill2:
        move    $a0, $s0
        jal     kill_report
        li      $a0, -1
        jal     proc_exit               # does not return

t_intr:
        li      $t0, SVC_INTR
        sw      $t0, TF_SVC($s0)
        jal     intr
        beqz    $v0, t_done
        beqz    $s1, t_done             # timer tick while in user mode: account, limit, preempt
        jal     curproc
        move    $s2, $v0
        lw      $t0, P_TICKS($s2)
        addiu   $t0, $t0, 1
        sw      $t0, P_TICKS($s2)
        lw      $t1, P_LIMIT($s2)
        beqz    $t1, 2f
        sltu    $t1, $t1, $t0
        beqz    $t1, 2f
        move    $a0, $s0
        la      $a1, msg_limit
        jal     kill_report
        li      $a0, -9
        jal     proc_exit
2:      li      $t0, S_RUNNABLE
        sw      $t0, P_STATE($s2)
        lw      $t0, preemptions
        addiu   $t0, $t0, 1
        sw      $t0, preemptions
        jal     sched

t_done:
        lw      $ra, 28($sp)
        lw      $s0, 24($sp)
        lw      $s1, 20($sp)
        lw      $s2, 16($sp)
        addiu   $sp, $sp, 32
        jr      $ra

# kill_report(a0 = trap frame, a1 = reason or 0 for the cause name):
# "killed pid N (name): <cause> at pc=0x... badvaddr=0x..."
kill_report:
        addiu   $sp, $sp, -32
        sw      $ra, 28($sp)
        sw      $s0, 24($sp)
        sw      $s1, 20($sp)
        sw      $s2, 16($sp)
        move    $s0, $a0
        move    $s2, $a1
        jal     curproc
        move    $s1, $v0
        jal     kmsg_nl
        la      $a0, msg_killed
        jal     kputs
        lw      $a0, P_PID($s1)
        jal     kputdec
        la      $a0, msg_lparen
        jal     kputs
        addiu   $a0, $s1, P_NAME
        jal     kputs
        la      $a0, msg_rparen
        jal     kputs
        move    $a0, $s2
        bnez    $a0, 1f
        lw      $a0, TF_CAUSE($s0)
        jal     causename
        move    $a0, $v0
1:      jal     kputs
        la      $a0, msg_at
        jal     kputs
        lw      $a0, TF_EPC($s0)
        jal     kputhex
        la      $a0, msg_badv
        jal     kputs
        lw      $a0, TF_BADV($s0)
        jal     kputhex
        li      $a0, '\n'
        jal     kputc
        lw      $ra, 28($sp)
        lw      $s0, 24($sp)
        lw      $s1, 20($sp)
        lw      $s2, 16($sp)
        addiu   $sp, $sp, 32
        jr      $ra

# intr → v0 = 1 if the timer fired. Serves every pending, enabled line (from a trap or polled).
intr:
        addiu   $sp, $sp, -24
        sw      $ra, 20($sp)
        sw      $s0, 16($sp)
        sw      $s1, 12($sp)
        HAL_CAUSE_READ $s0
        andi    $s0, $s0, IM_KERNEL
        li      $s1, 0
        andi    $t0, $s0, 0x0800        # IP3 disk
        beqz    $t0, 1f
        jal     disk_intr
1:      andi    $t0, $s0, 0x4000        # IP6 network: the messages into the kernel's ring
        beqz    $t0, 1f
        jal     net_intr
1:      andi    $t0, $s0, 0x1000        # IP4 IPI (a wake-up kick): acknowledge
        beqz    $t0, 2f
        .if     PARAVIRT
        li      $a0, -1
        HCALL   HC_IPICLEAR
        .else
        lui     $t9, DEV
        li      $t0, -1
        sw      $t0, IPI_CLEAR($t9)
        .endif
2:      andi    $t0, $s0, 0x8000        # IP7 timer
        beqz    $t0, 3f
        jal     timer_reset
        li      $s1, 1
        lw      $t0, unet_sleepers      # net_recv with a timeout: look at the clock again
        beqz    $t0, 3f
        la      $a0, net_wait
        jal     wakeup
3:      move    $v0, $s1
        lw      $ra, 20($sp)
        lw      $s0, 16($sp)
        lw      $s1, 12($sp)
        addiu   $sp, $sp, 24
        jr      $ra

# ---- scheduler -------------------------------------------------------------------------------
# Each CPU runs this on its own stack, forever. Round-robin over the process table under the
# big kernel lock; with nothing to run it releases the lock and sleeps in `wait` (IE = 0: the
# interrupt that wakes it is served by polling).
scheduler:
        la      $a0, bkl
        jal     lock_acquire
sched_loop:
        jal     pick_runnable
        beqz    $v0, sched_idle
        move    $s0, $v0
        li      $t0, S_RUNNING
        sw      $t0, P_STATE($s0)
        jal     mycpu
        move    $s1, $v0
        sw      $s0, C_PROC($s1)
        lw      $s2, P_SLOT($s0)
        lw      $t1, C_FLUSH($s1)       # this ASID was reused since we last ran it: drop the TLB
        srlv    $t1, $t1, $s2
        andi    $t1, $t1, 1
        beqz    $t1, 1f
        jal     tlb_flush
        sw      $zero, C_FLUSH($s1)
1:      mtc0    $s2, $10                # EntryHi.ASID = slot
        lw      $t0, nswitch
        addiu   $t0, $t0, 1
        sw      $t0, nswitch
        addiu   $a0, $s1, C_CTX
        addiu   $a1, $s0, P_CTX
        jal     swtch
        jal     mycpu
        sw      $zero, C_PROC($v0)
        mtc0    $zero, $10
        b       sched_loop
sched_idle:
        jal     mycpu
        lw      $t0, C_ID($v0)
        li      $t1, 1
        sllv    $s1, $t1, $t0           # this CPU's bit
        lw      $t0, idle_mask
        or      $t0, $t0, $s1
        sw      $t0, idle_mask
        la      $a0, bkl
        jal     lock_release
        wait
        la      $a0, bkl
        jal     lock_acquire
        lw      $t0, idle_mask
        nor     $t1, $s1, $zero
        and     $t0, $t0, $t1
        sw      $t0, idle_mask
        jal     intr
        b       sched_loop

pick_runnable:                          # v0 = next RUNNABLE process after sched_rr, or 0
        lw      $t0, sched_rr
        li      $t1, NPROC - 1          # slots 1 .. NPROC-1, each tried once
        la      $t2, procs
        li      $t4, S_RUNNABLE
1:      addiu   $t0, $t0, 1
        sltiu   $t3, $t0, NPROC
        bnez    $t3, 2f
        li      $t0, 1
2:      sll     $t3, $t0, 8
        addu    $v0, $t2, $t3
        lw      $t3, P_STATE($v0)
        beq     $t3, $t4, 3f
        addiu   $t1, $t1, -1
        bnez    $t1, 1b
        move    $v0, $zero
        jr      $ra
3:      sw      $t0, sched_rr
        jr      $ra

# swtch(a0 = save context here, a1 = context to resume)
swtch:
        sw      $s0, 0($a0)
        sw      $s1, 4($a0)
        sw      $s2, 8($a0)
        sw      $s3, 12($a0)
        sw      $s4, 16($a0)
        sw      $s5, 20($a0)
        sw      $s6, 24($a0)
        sw      $s7, 28($a0)
        sw      $fp, 32($a0)
        sw      $sp, 36($a0)
        sw      $ra, 40($a0)
        lw      $s0, 0($a1)
        lw      $s1, 4($a1)
        lw      $s2, 8($a1)
        lw      $s3, 12($a1)
        lw      $s4, 16($a1)
        lw      $s5, 20($a1)
        lw      $s6, 24($a1)
        lw      $s7, 28($a1)
        lw      $fp, 32($a1)
        lw      $sp, 36($a1)
        lw      $ra, 40($a1)
        jr      $ra

# sched: the current process (state already set) gives the CPU back to this CPU's scheduler.
sched:
        addiu   $sp, $sp, -16
        sw      $ra, 12($sp)
        jal     curproc
        lw      $t0, P_SLOT($v0)
        sw      $t0, 8($sp)
        lw      $t1, gstat_on           # +stats: its open services stop while it is away
        beqz    $t1, 1f
        lui     $t1, DEV
        sw      $t0, GSTAT + 8($t1)
1:      addiu   $a0, $v0, P_CTX
        jal     mycpu
        addiu   $a1, $v0, C_CTX
        jal     swtch
        lw      $t1, gstat_on           # … and continue now
        beqz    $t1, 2f
        lw      $t0, 8($sp)
        lui     $t1, DEV
        sw      $t0, GSTAT + 12($t1)
2:      lw      $ra, 12($sp)
        addiu   $sp, $sp, 16
        jr      $ra

# sleep(a0 = channel)
sleep:
        addiu   $sp, $sp, -24
        sw      $ra, 20($sp)
        sw      $s0, 16($sp)
        sw      $s1, 12($sp)
        move    $s1, $a0
        jal     curproc
        move    $s0, $v0
        sw      $s1, P_CHAN($s0)
        li      $t0, S_SLEEPING
        sw      $t0, P_STATE($s0)
        jal     sched
        sw      $zero, P_CHAN($s0)
        lw      $ra, 20($sp)
        lw      $s0, 16($sp)
        lw      $s1, 12($sp)
        addiu   $sp, $sp, 24
        jr      $ra

# wakeup(a0 = channel): every process sleeping on it becomes runnable; idle CPUs get an IPI.
wakeup:
        la      $t0, procs
        li      $t1, NPROC
        li      $t4, S_SLEEPING
        li      $t5, 0
1:      lw      $t2, P_STATE($t0)
        bne     $t2, $t4, 2f
        lw      $t3, P_CHAN($t0)
        bne     $t3, $a0, 2f
        li      $t2, S_RUNNABLE
        sw      $t2, P_STATE($t0)
        li      $t5, 1
2:      addiu   $t0, $t0, PSIZE
        addiu   $t1, $t1, -1
        bnez    $t1, 1b
        beqz    $t5, kick_idle_ret
        # fall through
kick_idle:                              # IPI every idle CPU but this one
        lw      $t0, idle_mask
        beqz    $t0, kick_idle_ret
        HAL_CPUID $t1
        li      $t2, 1
        sllv    $t2, $t2, $t1
        nor     $t2, $t2, $zero
        and     $t0, $t0, $t2
        beqz    $t0, kick_idle_ret
        .if     PARAVIRT
        move    $a0, $t0
        HCALL   HC_IPISEND
        .else
        lui     $t9, DEV
        sw      $t0, IPI_SEND($t9)
        .endif
kick_idle_ret:
        jr      $ra

# ---- processes -------------------------------------------------------------------------------
# allocproc → v0 = a new EMBRYO process (pid, kernel stack, I/O page, page directory, context
# that starts in procstart), or 0.
allocproc:
        addiu   $sp, $sp, -24
        sw      $ra, 20($sp)
        sw      $s0, 16($sp)
        sw      $s1, 12($sp)
        la      $s0, procs
        li      $s1, 1
1:      addiu   $s0, $s0, PSIZE
        lw      $t0, P_STATE($s0)
        beqz    $t0, 2f
        addiu   $s1, $s1, 1
        li      $t0, NPROC
        bne     $s1, $t0, 1b
        move    $v0, $zero
        b       9f
2:      move    $t0, $s0                # clear the slot
        addiu   $t1, $s0, PSIZE
3:      sw      $zero, 0($t0)
        addiu   $t0, $t0, 4
        bne     $t0, $t1, 3b
        sw      $s1, P_SLOT($s0)
        li      $t0, S_EMBRYO
        sw      $t0, P_STATE($s0)
        lw      $t0, nextpid
        addiu   $t0, $t0, 1
        sw      $t0, nextpid
        sw      $t0, P_PID($s0)
        jal     kalloc
        beqz    $v0, 8f
        sw      $v0, P_KSTACK($s0)
        jal     pgdir_new
        beqz    $v0, 8f
        sw      $v0, P_PGDIR($s0)
        la      $t0, asid_pgdir
        sll     $t1, $s1, 2
        addu    $t0, $t0, $t1
        sw      $v0, 0($t0)
        li      $t0, DATA_BASE
        sw      $t0, P_BRK($s0)
        la      $t0, cpus               # every CPU must forget old entries of this ASID
        li      $t1, MAXCPU
        li      $t2, 1
        sllv    $t2, $t2, $s1
4:      lw      $t3, C_FLUSH($t0)
        or      $t3, $t3, $t2
        sw      $t3, C_FLUSH($t0)
        addiu   $t0, $t0, CSIZE
        addiu   $t1, $t1, -1
        bnez    $t1, 4b
        la      $t0, procstart
        sw      $t0, P_CTX + X_RA($s0)
        lw      $t0, P_KSTACK($s0)
        addiu   $t0, $t0, PGSIZE - TF_SIZE
        sw      $t0, P_CTX + X_SP($s0)
        move    $v0, $s0
        b       9f
8:      la      $a0, msg_nomem
        jal     panic
9:      lw      $ra, 20($sp)
        lw      $s0, 16($sp)
        lw      $s1, 12($sp)
        addiu   $sp, $sp, 24
        jr      $ra

# freeproc(a0 = proc): frees the user pages (not shared ones), page tables, directory, stacks.
# Pointer loops, four entries at a time: this runs under the big kernel lock at every exit.
freeproc:
        addiu   $sp, $sp, -40
        sw      $ra, 36($sp)
        sw      $s0, 32($sp)
        sw      $s1, 28($sp)
        sw      $s2, 24($sp)
        sw      $s3, 20($sp)
        sw      $s4, 16($sp)
        sw      $s5, 12($sp)
        move    $s0, $a0
        lw      $s1, P_PGDIR($s0)
        move    $s2, $s1                # directory entry pointer
1:      la      $t1, empty_pt           # fast path: four directory entries without a table
        lw      $t0, 0($s2)
        lw      $t2, 4($s2)
        lw      $t3, 8($s2)
        lw      $t4, 12($s2)
        xor     $t0, $t0, $t1
        xor     $t2, $t2, $t1
        xor     $t3, $t3, $t1
        xor     $t4, $t4, $t1
        or      $t0, $t0, $t2
        or      $t0, $t0, $t3
        or      $t0, $t0, $t4
        bnez    $t0, 8f
        addiu   $s2, $s2, 16
        addiu   $t0, $s1, PGSIZE
        bne     $s2, $t0, 1b
        b       9f
8:      lw      $s3, 0($s2)             # page table
        la      $t1, empty_pt
        beq     $s3, $t1, 4f
        move    $s4, $s3                # PTE pointer
        addiu   $s5, $s3, PGSIZE
2:      lw      $t0, 0($s4)             # fast path: four empty PTEs
        lw      $t1, 4($s4)
        lw      $t2, 8($s4)
        lw      $t3, 12($s4)
        or      $t0, $t0, $t1
        or      $t0, $t0, $t2
        or      $t0, $t0, $t3
        bnez    $t0, 5f
        addiu   $s4, $s4, 16
        bne     $s4, $s5, 2b
        b       6f
5:      addiu   $s5, $s4, 16            # slow path: free each valid, non-shared page of the four
7:      lw      $t1, 0($s4)
        andi    $t2, $t1, 2
        beqz    $t2, 3f
        bltz    $t1, 3f                 # PTE_SHARED
        srl     $t1, $t1, 6
        sll     $t1, $t1, 12
        li      $t2, KERNBASE
        addu    $a0, $t1, $t2
        jal     kfree
3:      addiu   $s4, $s4, 4
        bne     $s4, $s5, 7b
        addiu   $s5, $s3, PGSIZE
        bne     $s4, $s5, 2b
6:      move    $a0, $s3
        jal     kfree
4:      addiu   $s2, $s2, 4
        andi    $t0, $s2, 15            # back to the fast path at a 16-byte boundary
        bnez    $t0, 8b
        addiu   $t0, $s1, PGSIZE
        bne     $s2, $t0, 1b
9:      move    $a0, $s1
        jal     kfree
        lw      $a0, P_KSTACK($s0)
        jal     kfree
        la      $t0, asid_pgdir
        lw      $t1, P_SLOT($s0)
        sll     $t1, $t1, 2
        addu    $t0, $t0, $t1
        la      $t1, empty_pgdir
        sw      $t1, 0($t0)
        sw      $zero, P_STATE($s0)
        lw      $ra, 36($sp)
        lw      $s0, 32($sp)
        lw      $s1, 28($sp)
        lw      $s2, 24($sp)
        lw      $s3, 20($sp)
        lw      $s4, 16($sp)
        lw      $s5, 12($sp)
        addiu   $sp, $sp, 40
        jr      $ra

# userinit: the first process runs the command line ("name args") typed on the console before
# boot (the experiment's console input, up to a newline), else the superblock's.
userinit:
        addiu   $sp, $sp, -24
        sw      $ra, 20($sp)
        sw      $s0, 16($sp)
        lui     $t9, DEV
        la      $t1, cmdline
        addiu   $t2, $t1, 127
1:
        .if     PARAVIRT
        HCALL   HC_GETC
        move    $t0, $v0
        .else
        lw      $t0, CON_RX($t9)
        .endif
        bltz    $t0, 2f
        li      $t3, '\n'
        beq     $t0, $t3, 2f
        beq     $t1, $t2, 1b
        sb      $t0, 0($t1)
        addiu   $t1, $t1, 1
        b       1b
2:      sb      $zero, 0($t1)
        la      $t0, cmdline
        la      $s0, fs_super + FS_CMDLINE
        beq     $t1, $t0, 3f
        move    $s0, $t0
3:      la      $t0, opt_stats          # a leading "+stats " is the kernel's: time per service
        move    $t1, $s0
4:      lbu     $t2, 0($t0)
        beqz    $t2, 5f
        lbu     $t3, 0($t1)
        bne     $t2, $t3, 6f
        addiu   $t0, $t0, 1
        addiu   $t1, $t1, 1
        b       4b
5:      move    $s0, $t1
        jal     gstat_start
6:      la      $a0, msg_init
        jal     kputs
        move    $a0, $s0
        jal     kputs
        li      $a0, '\n'
        jal     kputc
        jal     allocproc
        sw      $v0, initproc
        move    $a0, $s0
        move    $s0, $v0
        move    $a1, $s0
        jal     set_cmdline
        bltz    $v0, 1f
        li      $t0, S_RUNNABLE
        sw      $t0, P_STATE($s0)
        lw      $ra, 20($sp)
        lw      $s0, 16($sp)
        addiu   $sp, $sp, 24
        jr      $ra
1:      la      $a0, msg_noinit
        jal     panic

# gstat_start: +stats — mark kernel services for the guest-statistics device (docs/guest-os.md):
# general_exception/trapret and procstart/sched test gstat_on; the refill handler is replaced by
# its marked copy (before any process runs, on CPU 0 while the others wait for boot_go).
gstat_start:
        li      $t0, 1
        sw      $t0, gstat_on
        la      $t0, tlb_refill_stats
        la      $t1, tlb_refill_stats_end
        la      $t2, tlb_refill
1:      lw      $t3, 0($t0)
        sw      $t3, 0($t2)
        addiu   $t0, $t0, 4
        addiu   $t2, $t2, 4
        bne     $t0, $t1, 1b
        jr      $ra

# set_cmdline(a0 = kernel string "name args", a1 = proc) → v0 = file index or -1.
# Copies the name (up to 31 bytes) into P_NAME and the rest (after one space) into P_ARGS.
set_cmdline:
        addiu   $sp, $sp, -16
        sw      $ra, 12($sp)
        sw      $s0, 8($sp)
        move    $s0, $a1
        addiu   $t1, $a1, P_NAME
        addiu   $t2, $a1, P_NAME + 31
1:      lbu     $t0, 0($a0)
        beqz    $t0, 3f
        li      $t3, ' '
        beq     $t0, $t3, 2f
        beq     $t1, $t2, 2f
        sb      $t0, 0($t1)
        addiu   $t1, $t1, 1
        addiu   $a0, $a0, 1
        b       1b
2:      addiu   $a0, $a0, 1             # skip the space
        addiu   $t1, $s0, P_ARGS
        addiu   $t2, $s0, P_ARGS + ARGMAX - 1
4:      lbu     $t0, 0($a0)
        beqz    $t0, 3f
        beq     $t1, $t2, 3f
        sb      $t0, 0($t1)
        addiu   $t1, $t1, 1
        addiu   $a0, $a0, 1
        b       4b
3:      addiu   $a0, $s0, P_NAME
        jal     fs_lookup
        sw      $v0, P_FILE($s0)
        lw      $ra, 12($sp)
        lw      $s0, 8($sp)
        addiu   $sp, $sp, 16
        jr      $ra

# procstart: a new process's first kernel code (lock held, on its own kernel stack): load the
# executable from the disk image, then return to user mode through its trap frame.
procstart:
        lw      $t0, gstat_on           # +stats: loading the executable is the execve service
        beqz    $t0, 2f
        lui     $t0, DEV
        sw      $zero, GSTAT($t0)
2:      jal     curproc
        move    $s0, $v0
        move    $a0, $s0
        jal     exec_load
        beqz    $v0, 1f
        jal     kmsg_nl
        la      $a0, msg_badexe
        jal     kputs
        addiu   $a0, $s0, P_NAME
        jal     kputs
        li      $a0, '\n'
        jal     kputc
        li      $a0, -8
        jal     proc_exit
1:      lw      $sp, P_KSTACK($s0)
        addiu   $sp, $sp, PGSIZE - TF_SIZE
        li      $t0, SVC_EXEC
        sw      $t0, TF_SVC($sp)
        j       trapret

# exec_load(a0 = proc) → v0 = 0, or 1 on a bad executable / no memory.
# Executable (DXE1): sector 0 = header {magic, entry, nseg ≤ 5, seg[nseg] = {vaddr, filesz, memsz,
# fileoff, flags}, and at EXE_FLAGS the header flags}; each segment's file bytes start at a sector
# boundary; vaddr page-aligned. The break starts above the highest segment (and at DATA_BASE at
# least, unless EXE_LINUX); the heap (demand-zero up to the break) at the first writable segment,
# else at the break. EXE_LINUX: the process starts as Linux starts an o32 process
# (ustack_linux), else with a0 = its argument string.
exec_load:
        addiu   $sp, $sp, -48
        sw      $ra, 44($sp)
        sw      $s0, 40($sp)
        sw      $s1, 36($sp)
        sw      $s2, 32($sp)
        sw      $s3, 28($sp)
        sw      $s4, 24($sp)
        sw      $s5, 20($sp)
        sw      $s6, 16($sp)
        sw      $s7, 12($sp)
        move    $s0, $a0
        lw      $t0, P_FILE($s0)
        sll     $t0, $t0, 5
        la      $t1, fs_dir
        addu    $t0, $t0, $t1
        lw      $s1, DE_SECTOR($t0)     # first sector of the file
        move    $a0, $s1
        li      $a1, 8
        jal     bread
        move    $s2, $v0                # header (in the buffer cache)
        lw      $t0, 0($s2)
        li      $t1, EXE_MAGIC
        bne     $t0, $t1, 8f
        lw      $t0, 8($s2)
        sltiu   $t1, $t0, 6
        beqz    $t1, 8f
        lw      $t0, 4($s2)             # the header page is reused below: keep entry + nseg
        sw      $t0, 0($sp)
        lw      $t0, EXE_FLAGS($s2)
        sw      $t0, P_ABI($s0)
        andi    $t0, $t0, EXE_LINUX     # the break: right above the highest segment for a Linux
        li      $t1, DATA_BASE          # program; the guest's own keep heap and break from
        beqz    $t0, 11f                # DATA_BASE at least (text-only ones too)
        move    $t1, $zero
11:     sw      $t1, P_BRK($s0)
        sw      $zero, P_HEAPLO($s0)
        lw      $s7, 8($s2)
        addiu   $s2, $s2, 12
        lw      $s6, P_KSTACK($s0)      # segment table copy (100 bytes) at the bottom of the
                                        # kernel stack page, far below the frames in use
        move    $t1, $s6
        li      $t2, 100
5:      lw      $t3, 0($s2)
        sw      $t3, 0($t1)
        addiu   $s2, $s2, 4
        addiu   $t1, $t1, 4
        addiu   $t2, $t2, -4
        bnez    $t2, 5b
1:      beqz    $s7, 6f                 # for each segment
        lw      $s3, 0($s6)             # vaddr
        li      $s4, 0                  # offset in segment
2:      lw      $t0, 4($s6)             # filesz
        sltu    $t1, $s4, $t0
        beqz    $t1, 4f
        move    $a0, $s0
        addu    $a1, $s3, $s4
        lw      $t0, 16($s6)
        andi    $t0, $t0, 1
        li      $a2, PTE_RO
        beqz    $t0, 3f
        li      $a2, PTE_CLEAN          # writable: clean until the process writes it
3:      jal     map_new
        beqz    $v0, 8f
        move    $s5, $v0                # the new page: fill it from the buffer cache
        lw      $t0, 12($s6)            # fileoff
        addu    $t0, $t0, $s4
        srl     $t0, $t0, 9
        addu    $t0, $s1, $t0
        sw      $t0, 4($sp)             # first sector of this page
        lw      $t0, 4($s6)
        subu    $t0, $t0, $s4
        addiu   $t0, $t0, 511
        srl     $t0, $t0, 9             # sectors left in the segment
        sw      $t0, 8($sp)
        li      $t1, 8
        sltu    $t2, $t0, $t1
        bnez    $t2, 71f
        move    $t0, $t1
71:     move    $s2, $t0                # sectors in this page (≤ 8)
72:     beqz    $s2, 73f
        lw      $a0, 4($sp)
        lw      $a1, 8($sp)
        jal     bread
        move    $a0, $s5
        move    $a1, $v0
        li      $a2, 512
        jal     memcpy_k
        addiu   $s5, $s5, 512
        lw      $t0, 4($sp)
        addiu   $t0, $t0, 1
        sw      $t0, 4($sp)
        lw      $t0, 8($sp)
        addiu   $t0, $t0, -1
        sw      $t0, 8($sp)
        addiu   $s2, $s2, -1
        b       72b
73:
        addiu   $s4, $s4, PGSIZE
        b       2b
4:      lw      $t0, 8($s6)             # the break: above the highest segment's memsz
        addu    $t0, $t0, $s3
        addiu   $t0, $t0, PGSIZE - 1
        li      $t1, ~(PGSIZE - 1)
        and     $t0, $t0, $t1
        lw      $t1, P_BRK($s0)
        sltu    $t1, $t1, $t0
        beqz    $t1, 41f
        sw      $t0, P_BRK($s0)
41:     lw      $t0, 16($s6)            # the first writable segment starts the heap
        andi    $t0, $t0, 1
        beqz    $t0, 5f
        lw      $t0, P_HEAPLO($s0)
        bnez    $t0, 5f
        sw      $s3, P_HEAPLO($s0)
5:      addiu   $s6, $s6, 20
        addiu   $s7, $s7, -1
        b       1b
6:      lw      $t0, P_BRK($s0)
        sw      $t0, P_BRK0($s0)
        lw      $t1, P_HEAPLO($s0)
        bnez    $t1, 61f
        sw      $t0, P_HEAPLO($s0)      # no writable segment: the heap starts at the break
61:     move    $a0, $s0                # user stack: the top page holds the arguments (clean:
        li      $a1, USTACK_TOP - PGSIZE # the process has not written it)
        li      $a2, PTE_CLEAN
        jal     map_new
        beqz    $v0, 8f
        lw      $t0, P_KSTACK($s0)      # the trap frame the process first returns through
        addiu   $s5, $t0, PGSIZE - TF_SIZE
        lw      $t0, P_ABI($s0)
        andi    $t0, $t0, EXE_LINUX
        beqz    $t0, 62f
        move    $a0, $s0
        move    $a1, $v0
        jal     ustack_linux
        sw      $v0, TF_SP($s5)         # every other register 0 (the kernel stack page was zeroed)
        b       63f
62:     addiu   $t0, $v0, PGSIZE - ARGMAX   # the argument string at the top, a0 → it
        addiu   $t1, $s0, P_ARGS
        li      $t2, ARGMAX
9:      lbu     $t3, 0($t1)
        sb      $t3, 0($t0)
        addiu   $t0, $t0, 1
        addiu   $t1, $t1, 1
        addiu   $t2, $t2, -1
        bnez    $t2, 9b
        li      $t1, USTACK_TOP - ARGMAX
        sw      $t1, TF_A0($s5)
        addiu   $t1, $t1, -16
        sw      $t1, TF_SP($s5)
63:     lw      $t1, 0($sp)
        sw      $t1, TF_EPC($s5)
        li      $t1, USER_STATUS
        sw      $t1, TF_STATUS($s5)
        li      $v0, 0
        b       10f
8:      li      $v0, 1
10:     lw      $ra, 44($sp)
        lw      $s0, 40($sp)
        lw      $s1, 36($sp)
        lw      $s2, 32($sp)
        lw      $s3, 28($sp)
        lw      $s4, 24($sp)
        lw      $s5, 20($sp)
        lw      $s6, 16($sp)
        lw      $s7, 12($sp)
        addiu   $sp, $sp, 48
        jr      $ra

# ustack_linux(a0 = proc, a1 = kernel address of the top user-stack page) → v0 = the user sp.
# The stack of a Linux o32 process as `disco-lab run-user` builds it (and qemu-mips, but for the
# auxiliary vector): argv[0] = the program's name, argv[1..] = the argument string split at
# spaces, the strings from USTACK_TOP − 16 down; below them, 16-byte aligned, then 8-aligned at
# sp: argc, argv[0..argc−1], NULL, envp NULL, auxv {AT_PAGESZ 6, 4096}, AT_NULL {0, 0}.
ustack_linux:
        addiu   $sp, $sp, -176          # 0..167: argv pointers (≤ 42: a name and 40 words)
        move    $t8, $a0
        li      $t0, USTACK_TOP - PGSIZE
        subu    $t9, $a1, $t0           # kernel address − user address of the page
        li      $t7, USTACK_TOP - 16    # the strings grow down from here (user addresses)
        li      $t6, 0                  # argc
        li      $t5, 0                  # 0 while reading the name, 1 the arguments
        addiu   $t0, $t8, P_NAME
        li      $t2, ' '
1:      lbu     $t1, 0($t0)             # skip spaces
        bne     $t1, $t2, 2f
        addiu   $t0, $t0, 1
        b       1b
2:      beqz    $t1, 5f
        move    $t3, $t0                # a word: [t3, t0)
3:      lbu     $t1, 0($t0)
        beqz    $t1, 4f
        beq     $t1, $t2, 4f
        addiu   $t0, $t0, 1
        b       3b
4:      subu    $t4, $t0, $t3
        subu    $t7, $t7, $t4
        addiu   $t7, $t7, -1            # its copy, NUL-terminated, at t7
        addu    $t1, $t7, $t9
        addu    $t4, $t1, $t4
41:     beq     $t1, $t4, 42f
        lbu     $a2, 0($t3)
        sb      $a2, 0($t1)
        addiu   $t1, $t1, 1
        addiu   $t3, $t3, 1
        b       41b
42:     sb      $zero, 0($t1)
        sll     $t1, $t6, 2
        addu    $t1, $t1, $sp
        sw      $t7, 0($t1)
        addiu   $t6, $t6, 1
        b       1b
5:      bnez    $t5, 6f                 # the name done: now the arguments
        li      $t5, 1
        addiu   $t0, $t8, P_ARGS
        b       1b
6:      li      $t0, -16
        and     $t7, $t7, $t0
        addiu   $t0, $t6, 7             # argc, argv[], NULL, NULL, 4 auxv words
        sll     $t0, $t0, 2
        subu    $v0, $t7, $t0
        li      $t0, -8
        and     $v0, $v0, $t0
        addu    $t1, $v0, $t9
        sw      $t6, 0($t1)
        addiu   $t1, $t1, 4
        move    $t2, $sp
        sll     $t3, $t6, 2
        addu    $t3, $t3, $sp
7:      beq     $t2, $t3, 8f
        lw      $t0, 0($t2)
        sw      $t0, 0($t1)
        addiu   $t2, $t2, 4
        addiu   $t1, $t1, 4
        b       7b
8:      sw      $zero, 0($t1)           # argv NULL
        sw      $zero, 4($t1)           # envp NULL
        li      $t0, 6
        sw      $t0, 8($t1)             # AT_PAGESZ
        li      $t0, PGSIZE
        sw      $t0, 12($t1)
        sw      $zero, 16($t1)          # AT_NULL
        sw      $zero, 20($t1)
        addiu   $sp, $sp, 176
        jr      $ra

# proc_exit(a0 = status): never returns. The first process's exit powers the machine off.
proc_exit:
        move    $s1, $a0
        jal     curproc
        move    $s0, $v0
        lw      $t0, initproc
        bne     $s0, $t0, 1f
        jal     kmsg_nl
        la      $a0, msg_initexit
        jal     kputs
        move    $a0, $s1
        jal     kputdec
        la      $a0, msg_stats1
        jal     kputs
        lw      $a0, nswitch
        jal     kputdec
        la      $a0, msg_stats2
        jal     kputs
        lw      $a0, demand_zero
        jal     kputdec
        la      $a0, msg_stats3
        jal     kputs
        lw      $a0, nsyscalls
        jal     kputdec
        la      $a0, msg_stats4
        jal     kputs
        lw      $a0, disk_reads
        jal     kputdec
        la      $a0, msg_stats5
        jal     kputs
        lw      $a0, con_user
        jal     kputdec
        li      $a0, '\n'
        jal     kputc
        lw      $t0, nfs_server         # a file client says goodbye to its server
        beqz    $t0, 5f
        li      $a0, NFS_BYE
        li      $a1, 0
        li      $a2, 0
        jal     nfs_send
5:
        .if     PARAVIRT
        move    $a0, $s1
        HCALL   HC_EXIT
        .else
        lui     $t9, DEV
        sw      $s1, POWER_EXIT($t9)
        .endif
2:      wait
        b       2b
1:      sw      $s1, P_XSTATUS($s0)
        la      $t0, procs              # orphans go to the first process
        li      $t1, NPROC
        lw      $t2, initproc
3:      lw      $t3, P_PARENT($t0)
        bne     $t3, $s0, 4f
        sw      $t2, P_PARENT($t0)
4:      addiu   $t0, $t0, PSIZE
        addiu   $t1, $t1, -1
        bnez    $t1, 3b
        li      $t0, S_ZOMBIE
        sw      $t0, P_STATE($s0)
        lw      $a0, initproc
        jal     wakeup
        lw      $a0, P_PARENT($s0)
        jal     wakeup
        jal     sched
        la      $a0, msg_zombie
        jal     panic

# ---- disk ------------------------------------------------------------------------------------
# disk_read / disk_write(a0 = sector, a1 = count, a2 = physical address) → v0 = disk status
# (2 = done). One request at a time; the caller sleeps until the completion interrupt.
disk_write:
        li      $a3, 2
        b       disk_io
disk_read:
        li      $a3, 1
disk_io:                                # a3 = command: 1 read, 2 write
        addiu   $sp, $sp, -32
        sw      $ra, 28($sp)
        sw      $s0, 24($sp)
        sw      $s1, 20($sp)
        sw      $s2, 16($sp)
        sw      $a3, 12($sp)
        move    $s0, $a0
        move    $s1, $a1
        move    $s2, $a2
1:      lw      $t0, disk_busy
        beqz    $t0, 2f
        la      $a0, disk_busy
        jal     sleep
        b       1b
2:      li      $t0, 1
        sw      $t0, disk_busy
        sw      $zero, disk_done
        lw      $t1, 12($sp)
        li      $t0, 1
        bne     $t1, $t0, 5f            # (writes are not counted, and never go to a file server)
        lw      $t0, disk_reads
        addiu   $t0, $t0, 1
        sw      $t0, disk_reads
        lw      $t0, nfs_server
        beqz    $t0, 5f
        move    $a0, $s0                # from the file server instead of the own disk
        move    $a1, $s1
        move    $a2, $s2
        jal     nfs_read
        sw      $v0, disk_status
        b       4f
5:
        .if     PARAVIRT
        lw      $a0, 12($sp)            # disk.io: the whole request in one monitor call
        move    $a1, $s0
        move    $a2, $s1
        move    $a3, $s2
        HCALL   HC_DISKIO
        .else
        lui     $t9, DEV
        sw      $s0, DISK_SECTOR($t9)
        sw      $s1, DISK_COUNT($t9)
        sw      $s2, DISK_DMA($t9)
        lw      $t0, 12($sp)
        sw      $t0, DISK_CMD($t9)
        .endif
3:      lw      $t0, disk_done
        bnez    $t0, 4f
        la      $a0, disk_done
        jal     sleep
        b       3b
4:      sw      $zero, disk_busy
        la      $a0, disk_busy
        jal     wakeup
        lw      $v0, disk_status
        lw      $ra, 28($sp)
        lw      $s0, 24($sp)
        lw      $s1, 20($sp)
        lw      $s2, 16($sp)
        addiu   $sp, $sp, 32
        jr      $ra

disk_intr:
        addiu   $sp, $sp, -16
        sw      $ra, 12($sp)
        .if     PARAVIRT
        HCALL   HC_DISKACK              # STATUS, acknowledged (lowers line 3)
        sw      $v0, disk_status
        .else
        lui     $t9, DEV
        lw      $t0, DISK_STATUS($t9)
        sw      $t0, disk_status
        li      $t0, 3
        sw      $t0, DISK_CMD($t9)      # ACK: lowers line 3
        .endif
        li      $t0, 1
        sw      $t0, disk_done
        la      $a0, disk_done
        jal     wakeup
        lw      $ra, 12($sp)
        addiu   $sp, $sp, 16
        jr      $ra

# disk_read_boot(a0 = sector, a1 = count, a2 = physical address): boot time, no processes yet.
# Sleeps in `wait` with only the disk line unmasked (IE = 0: the completion wakes the CPU
# without an exception) instead of polling STATUS — natively the wait is idle time, under Disco
# the vCPU is descheduled rather than trapping on every poll.
disk_read_boot:
        lw      $t0, nfs_server
        bnez    $t0, nfs_read_boot      # from the file server
        .if     PARAVIRT
        move    $a3, $a2                # disk.io(read, sector, count, address)
        move    $a2, $a1
        move    $a1, $a0
        li      $a0, 1
        HCALL   HC_DISKIO
        .else
        lui     $t9, DEV
        sw      $a0, DISK_SECTOR($t9)
        sw      $a1, DISK_COUNT($t9)
        sw      $a2, DISK_DMA($t9)
        li      $t0, 1
        sw      $t0, DISK_CMD($t9)
        .endif
        HAL_STATUS_READ $t2             # Status, restored after
        li      $t0, 0x0800             # IM3 (disk) only, IE = 0
        mtc0    $t0, $12
1:      wait
        .if     PARAVIRT
        HAL_CAUSE_READ $t0
        andi    $t0, $t0, 0x0800
        beqz    $t0, 1b                 # not the disk yet (a spurious wake-up)
        HCALL   HC_DISKACK              # → STATUS, acknowledged
        .else
        lw      $v0, DISK_STATUS($t9)
        li      $t0, 1
        beq     $v0, $t0, 1b            # still BUSY (a spurious wake-up)
        li      $t0, 3
        sw      $t0, DISK_CMD($t9)      # ACK: lowers line 3
        .endif
        mtc0    $t2, $12
        jr      $ra

# ---- network and the network file service (Disco's virtual network, docs/guest-os.md) ---------
# The interface is paravirtual (monitor calls only): net.post gives the monitor a receive buffer,
# net.send a message, net.recv the oldest filled buffer. Completions raise IP6 until read;
# net_intr moves them into a ring of NETRING descriptors { sender, length, buffer } and wakes
# `net_wait`. A VM told a file server (sysinfo) reads its disk sectors from it: nfs_read sends
# { NFS_READ, sector, count } and receives the sectors into the caller's buffer — whole pages
# into whole pages, which the monitor remaps rather than copies; the server (sys_nfsd) answers
# from its own buffer cache.

# net_drain: every completion the monitor holds into the ring (while there is room).
net_drain:
        addiu   $sp, $sp, -16
        sw      $ra, 12($sp)
1:      lw      $t0, net_n
        sltiu   $t1, $t0, NETRING
        beqz    $t1, 2f                 # full: the rest stays with the monitor (IP6 stays up)
        lw      $t1, net_head
        addu    $t1, $t1, $t0
        andi    $t1, $t1, NETRING - 1
        sll     $t1, $t1, 4
        la      $a0, net_ring
        addu    $a0, $a0, $t1
        li      $t1, KERNBASE
        subu    $a0, $a0, $t1
        HCALL   HC_NETRECV
        blez    $v0, 2f
        lw      $t0, net_n
        addiu   $t0, $t0, 1
        sw      $t0, net_n
        b       1b
2:      lw      $ra, 12($sp)
        addiu   $sp, $sp, 16
        jr      $ra

net_intr:
        addiu   $sp, $sp, -16
        sw      $ra, 12($sp)
        jal     net_drain
        la      $a0, net_wait
        jal     wakeup
        lw      $ra, 12($sp)
        addiu   $sp, $sp, 16
        jr      $ra

# net_get(a0 = kernel address of 3 words) → v0 = 1 and the oldest message's { sender, length,
# buffer } there, or 0 when the ring is empty (after draining the monitor's).
net_get:
        addiu   $sp, $sp, -16
        sw      $ra, 12($sp)
        sw      $a0, 8($sp)
        jal     net_drain
        lw      $a0, 8($sp)
        li      $v0, 0
        lw      $t0, net_n
        beqz    $t0, 1f
        addiu   $t0, $t0, -1
        sw      $t0, net_n
        lw      $t1, net_head
        sll     $t2, $t1, 4
        la      $t3, net_ring
        addu    $t3, $t3, $t2
        lw      $t2, 0($t3)
        sw      $t2, 0($a0)
        lw      $t2, 4($t3)
        sw      $t2, 4($a0)
        lw      $t2, 8($t3)
        sw      $t2, 8($a0)
        addiu   $t1, $t1, 1
        andi    $t1, $t1, NETRING - 1
        sw      $t1, net_head
        li      $v0, 1
1:      lw      $ra, 12($sp)
        addiu   $sp, $sp, 16
        jr      $ra

# nfs_post(a0 = sector, a1 = count, a2 = physical address) → v0 = replies to expect: one
# receive buffer per page when the request is whole pages, else one for all of it.
nfs_post:
        addiu   $sp, $sp, -32
        sw      $ra, 28($sp)
        sw      $s0, 24($sp)
        sw      $s1, 20($sp)
        sw      $s2, 16($sp)
        andi    $t0, $a0, 7
        andi    $t1, $a1, 7
        or      $t0, $t0, $t1
        andi    $t1, $a2, PGSIZE - 1
        or      $t0, $t0, $t1
        beqz    $t0, 1f
        move    $a0, $a2                # not whole pages: one buffer
        sll     $a1, $a1, 9
        HCALL   HC_NETPOST
        li      $v0, 1
        b       3f
1:      srl     $s0, $a1, 3             # pages
        move    $s1, $a2
        move    $s2, $s0
2:      move    $a0, $s1
        li      $a1, PGSIZE
        HCALL   HC_NETPOST
        addiu   $s1, $s1, PGSIZE
        addiu   $s2, $s2, -1
        bnez    $s2, 2b
        move    $v0, $s0
3:      lw      $ra, 28($sp)
        lw      $s0, 24($sp)
        lw      $s1, 20($sp)
        lw      $s2, 16($sp)
        addiu   $sp, $sp, 32
        jr      $ra

# nfs_send(a0 = op, a1 = sector, a2 = count): a request to the file server.
nfs_send:
        la      $t0, nfs_msg
        sw      $a0, 0($t0)
        sw      $a1, 4($t0)
        sw      $a2, 8($t0)
        lw      $a0, nfs_server
        addiu   $a0, $a0, -1
        li      $t1, KERNBASE
        subu    $a1, $t0, $t1
        li      $a2, 12
        HCALL   HC_NETSEND
        jr      $ra

# nfs_request(a0 = sector, a1 = count, a2 = physical address) → v0 = replies to wait for: the
# receive buffers posted, then the request sent.
nfs_request:
        addiu   $sp, $sp, -24
        sw      $ra, 20($sp)
        sw      $s0, 16($sp)
        sw      $s1, 12($sp)
        sw      $s2, 8($sp)
        move    $s0, $a0
        move    $s1, $a1
        jal     nfs_post
        move    $s2, $v0
        li      $a0, NFS_READ
        move    $a1, $s0
        move    $a2, $s1
        jal     nfs_send
        move    $v0, $s2
        lw      $ra, 20($sp)
        lw      $s0, 16($sp)
        lw      $s1, 12($sp)
        lw      $s2, 8($sp)
        addiu   $sp, $sp, 24
        jr      $ra

# nfs_read(a0 = sector, a1 = count, a2 = physical address) → v0 = 2 (done): sleeps until every
# reply has come.
nfs_read:
        addiu   $sp, $sp, -32
        sw      $ra, 28($sp)
        jal     nfs_request
        sw      $v0, 16($sp)            # replies to come
1:      lw      $t0, 16($sp)
        beqz    $t0, 3f
        la      $a0, nfs_desc
        jal     net_get
        bnez    $v0, 2f
        la      $a0, net_wait
        jal     sleep
        b       1b
2:      lw      $t0, 16($sp)
        addiu   $t0, $t0, -1
        sw      $t0, 16($sp)
        b       1b
3:      li      $v0, 2
        lw      $ra, 28($sp)
        addiu   $sp, $sp, 32
        jr      $ra

# nfs_read_boot(a0 = sector, a1 = count, a2 = physical address): boot time, no processes yet:
# waits in `wait` with only IP6 unmasked, as disk_read_boot waits for the disk.
nfs_read_boot:
        addiu   $sp, $sp, -32
        sw      $ra, 28($sp)
        sw      $s0, 24($sp)
        jal     nfs_request
        sw      $v0, 16($sp)            # replies to come
        HAL_STATUS_READ $s0             # Status, restored after
        li      $t0, 0x4000             # IM6 (network) only, IE = 0
        mtc0    $t0, $12
1:      lw      $t0, 16($sp)
        beqz    $t0, 3f
        la      $a0, nfs_desc
        jal     net_get
        bnez    $v0, 2f
        wait
        b       1b
2:      lw      $t0, 16($sp)
        addiu   $t0, $t0, -1
        sw      $t0, 16($sp)
        b       1b
3:      mtc0    $s0, $12
        lw      $ra, 28($sp)
        lw      $s0, 24($sp)
        addiu   $sp, $sp, 32
        jr      $ra

# sys_nfsd(a0 = clients): serves file-service requests from the other VMs until `clients` of
# them said goodbye; each read is answered from this VM's buffer cache (whole pages, one message
# each: the monitor remaps them into the client). → 0
sys_nfsd:
        .if     PARAVIRT == 0           # no network (the bare machine): ENOSYS
        lui     $t9, DEV
        lw      $t0, SI_NET($t9)
        li      $v0, -38
        beqz    $t0, 0f
        .endif
        lw      $t0, net_user           # processes use the network: EBUSY
        li      $t1, 1
        li      $v0, -16
        beq     $t0, $t1, 0f
        li      $t0, 2
        sw      $t0, net_user
        addiu   $sp, $sp, -40
        sw      $ra, 36($sp)
        sw      $s0, 32($sp)
        sw      $s1, 28($sp)
        sw      $s2, 24($sp)
        sw      $s3, 20($sp)
        sw      $s4, 16($sp)
        move    $s0, $a0                # clients
        li      $s1, 0                  # goodbyes
        li      $s2, 0                  # post NETRING request buffers of 16 bytes
1:      sll     $a0, $s2, 4
        la      $t0, nfs_reqs
        addu    $a0, $a0, $t0
        li      $t0, KERNBASE
        subu    $a0, $a0, $t0
        li      $a1, 16
        HCALL   HC_NETPOST
        addiu   $s2, $s2, 1
        sltiu   $t0, $s2, NETRING
        bnez    $t0, 1b
2:      beq     $s1, $s0, 9f
        la      $a0, nfsd_desc
        jal     net_get
        bnez    $v0, 3f
        la      $a0, net_wait
        jal     sleep
        b       2b
3:      lw      $s4, nfsd_desc          # the client
        lw      $a0, nfsd_desc + 8      # the request { op, sector, count }, read before its
        li      $t0, KERNBASE           # buffer is posted again (a waiting request fills it)
        addu    $t0, $a0, $t0
        lw      $t1, 0($t0)
        sw      $t1, 8($sp)
        lw      $s2, 4($t0)
        lw      $s3, 8($t0)
        li      $a1, 16
        HCALL   HC_NETPOST
        lw      $t1, 8($sp)
        li      $t0, NFS_BYE
        bne     $t1, $t0, 4f
        addiu   $s1, $s1, 1
        b       2b
4:      andi    $t0, $s2, 7             # whole pages: one message per page
        andi    $t1, $s3, 7
        or      $t0, $t0, $t1
        bnez    $t0, 6f
5:      beqz    $s3, 2b
        move    $a0, $s2
        li      $a1, 8
        jal     bread
        move    $a0, $s4
        li      $t0, KERNBASE
        subu    $a1, $v0, $t0
        li      $a2, PGSIZE
        HCALL   HC_NETSEND
        addiu   $s2, $s2, 8
        addiu   $s3, $s3, -8
        b       5b
6:      move    $a0, $s2                # else all of it (within one read: the superblock)
        move    $a1, $s3
        jal     bread
        move    $a0, $s4
        li      $t0, KERNBASE
        subu    $a1, $v0, $t0
        sll     $a2, $s3, 9
        HCALL   HC_NETSEND
        b       2b
9:      li      $v0, 0
        lw      $ra, 36($sp)
        lw      $s0, 32($sp)
        lw      $s1, 28($sp)
        lw      $s2, 24($sp)
        lw      $s3, 20($sp)
        lw      $s4, 16($sp)
        addiu   $sp, $sp, 40
0:      jr      $ra

# ---- the network for processes (system calls net_recv, net_send; docs/guest-syscalls.md) -------
# On first use the kernel posts UNBUFS receive buffers of UNBUF bytes to the monitor; net_recv
# copies the oldest message out of its buffer and posts the buffer again. Not beside the network
# file service (a file client or server VM): that uses the same interface for its own messages.

# unet_check → v0 = 0 when processes may use the network, −38 (ENOSYS) on the bare machine,
# −16 (EBUSY) in a VM of the file service.
unet_check:
        .if     PARAVIRT == 0
        lui     $t9, DEV
        lw      $t0, SI_NET($t9)
        li      $v0, -38
        beqz    $t0, 1f
        .endif
        lw      $t0, nfs_server
        li      $v0, -16
        bnez    $t0, 1f
        lw      $t0, net_user
        li      $t1, 2
        beq     $t0, $t1, 1f
        li      $v0, 0
1:      jr      $ra

# unet_open: on first use, the receive buffers to the monitor.
unet_open:
        lw      $t0, net_user
        bnez    $t0, 2f
        addiu   $sp, $sp, -16
        sw      $ra, 12($sp)
        sw      $s0, 8($sp)
        li      $t0, 1
        sw      $t0, net_user
        li      $s0, 0
1:      li      $t0, UNBUF
        multu   $s0, $t0
        mflo    $t0
        la      $a0, unet_bufs
        addu    $a0, $a0, $t0
        li      $t0, KERNBASE
        subu    $a0, $a0, $t0
        li      $a1, UNBUF
        HCALL   HC_NETPOST
        addiu   $s0, $s0, 1
        sltiu   $t0, $s0, UNBUFS
        bnez    $t0, 1b
        lw      $ra, 12($sp)
        lw      $s0, 8($sp)
        addiu   $sp, $sp, 16
2:      jr      $ra

# net_recv(buf, max, timeout) → the next message's length: the sender's network address in the
# first word of buf, then the message (cut to max − 4 bytes). timeout > 0: at most that many
# ticks (10 ms) of waiting, then 0; 0: wait for a message; < 0: 0 at once when there is none.
# −22 (EINVAL) buf not word-aligned or max < 4, −14 buf outside kuseg.
sys_netrecv:
        addiu   $sp, $sp, -40
        sw      $ra, 36($sp)
        sw      $s0, 32($sp)
        sw      $s1, 28($sp)
        sw      $s2, 24($sp)
        sw      $s3, 20($sp)
        move    $s0, $a0                # buf
        move    $s1, $a1                # max
        move    $s2, $a2                # timeout [ticks]
        jal     unet_check
        bnez    $v0, 9f
        andi    $t0, $s0, 3
        sltiu   $t1, $s1, 4
        or      $t0, $t0, $t1
        li      $v0, -22
        bnez    $t0, 9f
        move    $a0, $s0
        move    $a1, $s1
        jal     uaddr_ok
        move    $t0, $v0
        li      $v0, -14
        beqz    $t0, 9f
        jal     unet_open
        lw      $t0, tick_counts        # s3 = the deadline [cycles] (timeout > 0)
        multu   $t0, $s2
        mflo    $t0
        lui     $t9, DEV
        lw      $t1, SI_CYCLE_LO($t9)
        addu    $s3, $t1, $t0
1:      la      $a0, unet_desc
        jal     net_get
        bnez    $v0, 3f
        li      $v0, 0
        bltz    $s2, 9f                 # a poll: nothing there
        beqz    $s2, 2f                 # no timeout
        lui     $t9, DEV
        lw      $t1, SI_CYCLE_LO($t9)
        subu    $t1, $s3, $t1
        blez    $t1, 9f                 # the timeout passed
2:      lw      $t0, unet_sleepers      # sleep until a message or the next tick
        addiu   $t0, $t0, 1
        sw      $t0, unet_sleepers
        la      $a0, net_wait
        jal     sleep
        lw      $t0, unet_sleepers
        addiu   $t0, $t0, -1
        sw      $t0, unet_sleepers
        b       1b
3:      lw      $t0, unet_desc          # the sender, then the message
        sw      $t0, 0($s0)
        lw      $s3, unet_desc + 4
        addiu   $t1, $s1, -4
        sltu    $t2, $t1, $s3
        beqz    $t2, 4f
        move    $s3, $t1                # cut to max − 4
4:      addiu   $a0, $s0, 4
        lw      $a1, unet_desc + 8      # its buffer (physical), through kseg
        li      $t0, KERNBASE
        addu    $a1, $a1, $t0
        move    $a2, $s3
        jal     memcpy_k
        lw      $a0, unet_desc + 8      # the buffer back to the monitor
        li      $a1, UNBUF
        HCALL   HC_NETPOST
        move    $v0, $s3
9:      lw      $ra, 36($sp)
        lw      $s0, 32($sp)
        lw      $s1, 28($sp)
        lw      $s2, 24($sp)
        lw      $s3, 20($sp)
        addiu   $sp, $sp, 40
        jr      $ra

# net_send(dest, buf, len) → len: a message of len bytes (at most UNSEND) to network address dest
# (a VM's number, or 0xffff: the load generator's clients). −22 (EINVAL) a bad length or address,
# −11 (EAGAIN) the receiver's queue is full (try again), −14 buf outside kuseg.
sys_netsend:
        addiu   $sp, $sp, -32
        sw      $ra, 28($sp)
        sw      $s0, 24($sp)
        sw      $s1, 20($sp)
        sw      $s2, 16($sp)
        move    $s0, $a0
        move    $s1, $a1
        move    $s2, $a2
        jal     unet_check
        bnez    $v0, 9f
        sltiu   $t0, $s2, UNSEND + 1
        li      $v0, -22
        beqz    $t0, 9f
        move    $a0, $s1
        move    $a1, $s2
        jal     uaddr_ok
        move    $t0, $v0
        li      $v0, -14
        beqz    $t0, 9f
        jal     unet_open               # (so that the answer has somewhere to go)
        la      $a0, unet_sbuf
        move    $a1, $s1
        move    $a2, $s2
        jal     memcpy_k
        move    $a0, $s0
        la      $a1, unet_sbuf
        li      $t0, KERNBASE
        subu    $a1, $a1, $t0
        move    $a2, $s2
        HCALL   HC_NETSEND
        move    $t0, $v0
        move    $v0, $s2
        beqz    $t0, 9f
        li      $v0, -11
        li      $t1, -2
        beq     $t0, $t1, 9f
        li      $v0, -22
9:      lw      $ra, 28($sp)
        lw      $s0, 24($sp)
        lw      $s1, 20($sp)
        lw      $s2, 16($sp)
        addiu   $sp, $sp, 32
        jr      $ra

# ---- buffer cache ----------------------------------------------------------------------------
# A direct-mapped cache of disk sectors (NBUF × 512 bytes, slot = sector mod NBUF, page-aligned).
# A miss reads whole 4 KiB disk pages into whole cache pages — from the first sector of the
# sector's page, rounded up to a page, up to READAHEAD sectors (bounded by the caller's extent and
# the end of the cache) — in one DMA, as IRIX's buffer cache reads pages: under Disco such a read
# of a page another VM already read maps that page instead (copy-on-write disk).
# bread(a0 = sector, a1 = sectors wanted from here, ≥ 1) → v0 = kernel address of the sector.
bread:
        addiu   $sp, $sp, -32
        sw      $ra, 28($sp)
        sw      $s0, 24($sp)
        sw      $s1, 20($sp)
        sw      $s2, 16($sp)
        move    $s0, $a0
        andi    $s2, $s0, NBUF - 1      # slot
        sw      $a1, 12($sp)
0:      sll     $t0, $s2, 2
        la      $t1, btags
        addu    $t0, $t0, $t1
        lw      $t1, 0($t0)
        addiu   $t2, $s0, 1
        beq     $t1, $t2, 6f
        addu    $t2, $t1, $t2           # tag = −(sector + 1): another process is reading it
        bnez    $t2, 1f
        la      $a0, btags
        jal     sleep
        b       0b
6:      lw      $t0, bcache_hits
        addiu   $t0, $t0, 1
        sw      $t0, bcache_hits
        b       8f
1:      lw      $a1, 12($sp)
        sw      $s2, 8($sp)             # the sector's slot, for the result
        andi    $t0, $s0, 7             # from the first sector of its page:
        subu    $s0, $s0, $t0           #   sector −= sector mod 8, slot likewise,
        subu    $s2, $s2, $t0
        addu    $a1, $a1, $t0           #   wanted += sector mod 8, rounded up to a page
        addiu   $a1, $a1, 7
        li      $t0, -8
        and     $a1, $a1, $t0
        sltiu   $t0, $a1, READAHEAD + 1 # n = min(a1, READAHEAD, NBUF − slot): whole pages
        bnez    $t0, 2f
        li      $a1, READAHEAD
2:      li      $t0, NBUF
        subu    $t0, $t0, $s2
        sltu    $t1, $t0, $a1
        beqz    $t1, 3f
        move    $a1, $t0
3:      move    $s1, $a1
        sll     $t0, $s2, 2             # invalidate the slots while the DMA is in flight
        la      $t1, btags
        addu    $t0, $t0, $t1
        move    $t2, $s1
        nor     $t3, $s0, $zero         # −(sector + 1), then the next sectors' tags
4:      sw      $t3, 0($t0)
        addiu   $t3, $t3, -1
        addiu   $t0, $t0, 4
        addiu   $t2, $t2, -1
        bnez    $t2, 4b
        sll     $t0, $s2, 9
        la      $a2, bcache
        addu    $a2, $a2, $t0
        li      $t0, KERNBASE
        subu    $a2, $a2, $t0
        move    $a0, $s0
        move    $a1, $s1
        jal     disk_read
        sll     $t0, $s2, 2
        la      $t1, btags
        addu    $t0, $t0, $t1
        addiu   $t2, $s0, 1
5:      sw      $t2, 0($t0)
        addiu   $t0, $t0, 4
        addiu   $t2, $t2, 1
        addiu   $s1, $s1, -1
        bnez    $s1, 5b
        la      $a0, btags
        jal     wakeup
        lw      $s2, 8($sp)
8:      sll     $t0, $s2, 9
        la      $v0, bcache
        addu    $v0, $v0, $t0
        lw      $ra, 28($sp)
        lw      $s0, 24($sp)
        lw      $s1, 20($sp)
        lw      $s2, 16($sp)
        addiu   $sp, $sp, 32
        jr      $ra

# memcpy_k(a0 = dst, a1 = src, a2 = bytes): word copy when all three are word-aligned
memcpy_k:
        or      $t0, $a0, $a1
        or      $t0, $t0, $a2
        andi    $t0, $t0, 3
        addu    $t2, $a0, $a2
        bnez    $t0, 2f
        andi    $t3, $a2, 15            # words: 16 bytes per iteration, then the rest
        subu    $t3, $t2, $t3
0:      beq     $a0, $t3, 1f
        lw      $t1, 0($a1)
        lw      $t4, 4($a1)
        lw      $t5, 8($a1)
        lw      $t6, 12($a1)
        sw      $t1, 0($a0)
        sw      $t4, 4($a0)
        sw      $t5, 8($a0)
        sw      $t6, 12($a0)
        addiu   $a0, $a0, 16
        addiu   $a1, $a1, 16
        b       0b
1:      beq     $a0, $t2, 3f
        lw      $t1, 0($a1)
        sw      $t1, 0($a0)
        addiu   $a0, $a0, 4
        addiu   $a1, $a1, 4
        b       1b
2:      beq     $a0, $t2, 3f
        lbu     $t1, 0($a1)
        sb      $t1, 0($a0)
        addiu   $a0, $a0, 1
        addiu   $a1, $a1, 1
        b       2b
3:      jr      $ra

# ---- file system -----------------------------------------------------------------------------
fsinit:                                 # superblock + directory → fs_super / fs_dir
        addiu   $sp, $sp, -16
        sw      $ra, 12($sp)
        li      $a0, 0
        li      $a1, 1 + FS_DIRSECT
        la      $a2, fs_super
        li      $t0, KERNBASE
        subu    $a2, $a2, $t0
        jal     disk_read_boot
        lw      $t0, fs_super
        li      $t1, FS_MAGIC
        beq     $t0, $t1, 1f
        la      $a0, msg_nofs
        jal     panic
1:      lw      $t0, nfs_server         # files from a file server: say which VM
        beqz    $t0, 2f
        la      $a0, msg_nfs
        jal     kputs
        lw      $a0, nfs_server
        addiu   $a0, $a0, -1
        jal     kputdec
        li      $a0, '\n'
        jal     kputc
2:      la      $a0, msg_fs
        jal     kputs
        lw      $a0, fs_super + 4
        jal     kputdec
        la      $a0, msg_files
        jal     kputs
        lw      $ra, 12($sp)
        addiu   $sp, $sp, 16
        jr      $ra

# fs_lookup(a0 = kernel string) → v0 = file index or -1
fs_lookup:
        lw      $t5, fs_super + 4       # number of files
        la      $t4, fs_dir
        li      $v0, 0
1:      beq     $v0, $t5, 8f
        move    $t0, $a0
        move    $t1, $t4
        li      $t6, 24
2:      lbu     $t2, 0($t0)
        lbu     $t3, 0($t1)
        bne     $t2, $t3, 3f
        beqz    $t2, 9f
        addiu   $t0, $t0, 1
        addiu   $t1, $t1, 1
        addiu   $t6, $t6, -1
        bnez    $t6, 2b
        b       9f
3:      addiu   $v0, $v0, 1
        addiu   $t4, $t4, DIRENT
        b       1b
8:      li      $v0, -1
9:      jr      $ra

# ---- system calls ----------------------------------------------------------------------------
# syscall(a0 = trap frame): v0 = number, a0..a3 arguments; the result goes to the frame's v0.
# Numbers 4000 + n are Linux o32's: exit (4001), read (4003), write (4004), brk (4045) and
# exit_group (4246) are served, with Linux's convention — a3 = 0 and the result in v0, or a3 = 1
# and the positive errno in v0 (89, ENOSYS, for the rest) — so programs written for
# `disco-lab run-user` or qemu-mips run unchanged.
syscall:
        addiu   $sp, $sp, -24
        sw      $ra, 20($sp)
        sw      $s0, 16($sp)
        move    $s0, $a0
        lw      $t0, nsyscalls
        addiu   $t0, $t0, 1
        sw      $t0, nsyscalls
        lw      $t0, TF_V0($s0)
        li      $t2, SVC_SYSCALL        # the service it is (+stats): open, read, write or another
        sltiu   $t1, $t0, NSYS
        beqz    $t1, 3f
        la      $t3, svcmap
        addu    $t3, $t3, $t0
        lbu     $t2, 0($t3)
        b       4f
3:      addiu   $t3, $t0, -4003         # Linux read (4003), write (4004)
        sltiu   $t3, $t3, 2
        beqz    $t3, 4f
        addiu   $t2, $t0, SVC_READ - 4003
        sltiu   $t3, $t2, SVC_READ + 1
        bnez    $t3, 4f
        li      $t2, SVC_WRITE
4:      sw      $t2, TF_SVC($s0)
        sltiu   $t1, $t0, NSYS
        li      $v0, -38                # ENOSYS
        beqz    $t1, 2f
        sll     $t0, $t0, 2
        la      $t1, systab
        addu    $t0, $t0, $t1
        lw      $t0, 0($t0)
        lw      $a0, TF_A0($s0)
        lw      $a1, TF_A1($s0)
        lw      $a2, TF_A2($s0)
        lw      $a3, TF_A3($s0)
        jalr    $t0
1:      sw      $v0, TF_V0($s0)
        lw      $ra, 20($sp)
        lw      $s0, 16($sp)
        addiu   $sp, $sp, 24
        jr      $ra
2:      addiu   $t1, $t0, -4000         # a Linux o32 number?
        sltiu   $t2, $t1, 1000
        beqz    $t2, 1b
        lw      $a0, TF_A0($s0)
        lw      $a1, TF_A1($s0)
        lw      $a2, TF_A2($s0)
        li      $t2, 1
        beq     $t1, $t2, 3f            # 4001 exit
        li      $t2, 246
        beq     $t1, $t2, 3f            # 4246 exit_group
        li      $t2, 3
        beq     $t1, $t2, 4f            # 4003 read
        li      $t2, 4
        beq     $t1, $t2, 5f            # 4004 write
        li      $v0, -89                # ENOSYS (MIPS)
        li      $t2, 45
        bne     $t1, $t2, 6f
        jal     sys_lbrk                # 4045 brk
        b       6f
3:      andi    $a0, $a0, 0xff          # the status a Linux parent would see
        jal     sys_exit                # does not return
4:      jal     sys_read
        b       6f
5:      jal     sys_write
6:      li      $t1, -4095
        sltu    $t0, $v0, $t1           # v0 in [−4095, −1]: −errno
        xori    $t0, $t0, 1
        sw      $t0, TF_A3($s0)
        beqz    $t0, 1b
        subu    $v0, $zero, $v0
        b       1b

# uaddr_ok(a0 = user pointer, a1 = length) → v0 = 1 when [a0, a0 + a1) lies in kuseg
uaddr_ok:
        addu    $t0, $a0, $a1
        sltu    $t1, $t0, $a0           # wrapped
        lui     $t2, 0x8000
        sltu    $t3, $t0, $t2
        sltu    $t4, $a0, $t2
        and     $v0, $t3, $t4
        xori    $t1, $t1, 1
        and     $v0, $v0, $t1
        jr      $ra

sys_none:
        li      $v0, -38
        jr      $ra

sys_exit:                               # exit(status)
        jal     proc_exit

sys_write:                              # write(fd, buf, n) → n; fd 1 and 2 are the console
        sltiu   $t0, $a0, 3             # fd ≥ 3: a file
        beqz    $t0, sys_fwrite
        addiu   $sp, $sp, -24
        sw      $ra, 20($sp)
        sw      $s0, 16($sp)
        addiu   $t0, $a0, -1
        sltiu   $t0, $t0, 2
        li      $v0, -9                 # EBADF
        beqz    $t0, 9f
        move    $a0, $a1
        move    $a1, $a2
        move    $s0, $a2
        jal     uaddr_ok
        move    $t0, $v0
        li      $v0, -14                # EFAULT
        beqz    $t0, 9f
        move    $t1, $a0
        addu    $t2, $a0, $s0
        .if     PARAVIRT
4:      beq     $t1, $t2, 2f            # the user's bytes through conbuf, one console.write per chunk
        la      $t3, conbuf
        addiu   $t4, $t3, CONBUF
5:      lbu     $t0, 0($t1)
        sb      $t0, 0($t3)
        addiu   $t1, $t1, 1
        addiu   $t3, $t3, 1
        beq     $t1, $t2, 6f
        bne     $t3, $t4, 5b
6:      la      $a0, conbuf
        subu    $a1, $t3, $a0
        li      $t5, KERNBASE
        subu    $a0, $a0, $t5
        HCALL   HC_WRITE
        b       4b
        .else
        lui     $t9, DEV
1:      beq     $t1, $t2, 2f
        lbu     $t0, 0($t1)
        sw      $t0, CON_TX($t9)
        addiu   $t1, $t1, 1
        b       1b
        .endif
2:      beqz    $s0, 3f
        sw      $t0, con_last           # the last byte written (see kmsg_nl)
        lw      $t0, con_user
        addu    $t0, $t0, $s0
        sw      $t0, con_user
3:      move    $v0, $s0
9:      lw      $ra, 20($sp)
        lw      $s0, 16($sp)
        addiu   $sp, $sp, 24
        jr      $ra

# sys_fwrite(a0 = fd ≥ 3, a1 = buf, a2 = n) → bytes written: into the file at its offset, within
# its size (files do not grow), sector by sector through the buffer cache and written through to
# the disk. Under Disco the cache page may be a disk page shared with other VMs: the store takes a
# copy-on-write fault and the disk write goes to this VM's own overlay (docs/disco.md). −9 bad
# fd, −14 bad buffer, −30 (EROFS) for a file from a network file server.
sys_fwrite:
        addiu   $sp, $sp, -48
        sw      $ra, 44($sp)
        sw      $s0, 40($sp)
        sw      $s1, 36($sp)
        sw      $s2, 32($sp)
        sw      $s3, 28($sp)
        sw      $s4, 24($sp)
        sw      $s5, 20($sp)
        move    $s1, $a1
        move    $s2, $a2
        jal     fd_get
        move    $s0, $v0
        li      $v0, -9                 # EBADF
        beqz    $s0, 9f
        lw      $t0, nfs_server
        li      $v0, -30                # EROFS: the file service is read-only
        bnez    $t0, 9f
        move    $a0, $s1
        move    $a1, $s2
        jal     uaddr_ok
        move    $t0, $v0
        li      $v0, -14                # EFAULT
        beqz    $t0, 9f
        lw      $t1, 0($s0)             # the directory entry
        addiu   $t1, $t1, -1
        sll     $t1, $t1, 5
        la      $t2, fs_dir
        addu    $s3, $t1, $t2
        lw      $t0, DE_SIZE($s3)       # n = min(n, size − offset)
        lw      $t1, 4($s0)
        subu    $t0, $t0, $t1
        sltu    $t2, $t0, $s2
        beqz    $t2, 1f
        move    $s2, $t0
1:      li      $s4, 0                  # written
2:      beq     $s4, $s2, 8f
        lw      $t1, 4($s0)             # the offset's sector, in the cache
        srl     $t2, $t1, 9
        lw      $t3, DE_SECTOR($s3)
        addu    $s5, $t3, $t2
        move    $a0, $s5
        li      $a1, 1
        jal     bread
        sw      $v0, 16($sp)
        lw      $t1, 4($s0)
        andi    $t1, $t1, 511
        addu    $t4, $v0, $t1           # where in the sector
        li      $t5, 512
        subu    $t5, $t5, $t1           # room in the sector
        subu    $t6, $s2, $s4           # left to write
        sltu    $t7, $t6, $t5
        beqz    $t7, 3f
        move    $t5, $t6
3:      sw      $t5, 12($sp)            # this chunk, from the user's buffer
        move    $a0, $t4
        addu    $a1, $s1, $s4
        move    $a2, $t5
        jal     memcpy_k
        move    $a0, $s5                # the sector through to the disk
        li      $a1, 1
        lw      $a2, 16($sp)
        li      $t0, KERNBASE
        subu    $a2, $a2, $t0
        jal     disk_write
        lw      $t5, 12($sp)
        lw      $t1, 4($s0)
        addu    $t1, $t1, $t5
        sw      $t1, 4($s0)
        addu    $s4, $s4, $t5
        b       2b
8:      move    $v0, $s4
9:      lw      $ra, 44($sp)
        lw      $s0, 40($sp)
        lw      $s1, 36($sp)
        lw      $s2, 32($sp)
        lw      $s3, 28($sp)
        lw      $s4, 24($sp)
        lw      $s5, 20($sp)
        addiu   $sp, $sp, 48
        jr      $ra

# read(fd, buf, n) → bytes read (0 at end). fd 0: console input (never blocks); fd ≥ 3: a file.
sys_read:
        addiu   $sp, $sp, -48
        sw      $ra, 44($sp)
        sw      $s0, 40($sp)
        sw      $s1, 36($sp)
        sw      $s2, 32($sp)
        sw      $s3, 28($sp)
        sw      $s4, 24($sp)
        sw      $s5, 20($sp)
        move    $s0, $a0
        move    $s1, $a1
        move    $s2, $a2
        move    $a0, $a1
        move    $a1, $a2
        jal     uaddr_ok
        move    $t0, $v0
        li      $v0, -14
        beqz    $t0, 9f
        bnez    $s0, 3f
        .if     PARAVIRT
        li      $t3, 0                  # console: console.getc per byte
1:      beq     $t3, $s2, 2f
        HCALL   HC_GETC
        bltz    $v0, 2f
        addu    $t1, $s1, $t3
        sb      $v0, 0($t1)
        addiu   $t3, $t3, 1
        b       1b
2:      move    $v0, $t3
        b       9f
        .else
        lui     $t9, DEV                # console
        li      $v0, 0
1:      beq     $v0, $s2, 9f
        lw      $t0, CON_RX($t9)
        bltz    $t0, 9f
        addu    $t1, $s1, $v0
        sb      $t0, 0($t1)
        addiu   $v0, $v0, 1
        b       1b
        .endif
3:      move    $a0, $s0
        jal     fd_get                  # v0 = &fd entry or 0
        move    $s3, $v0
        li      $v0, -9
        beqz    $s3, 9f
        lw      $t0, 0($s3)
        addiu   $t0, $t0, -1
        sll     $t0, $t0, 5
        la      $t1, fs_dir
        addu    $s4, $t0, $t1           # directory entry
        lw      $t0, DE_SIZE($s4)       # n = min(n, size − offset)
        lw      $t1, 4($s3)
        subu    $t0, $t0, $t1
        sltu    $t2, $t0, $s2
        beqz    $t2, 4f
        move    $s2, $t0
4:      li      $s5, 0                  # bytes done
5:      beq     $s5, $s2, 8f
        lw      $t0, 4($s3)             # offset
        andi    $t1, $t0, 511           # offset within its sector
        sw      $t1, 4($sp)
        li      $t2, 512
        subu    $t2, $t2, $t1           # room in the sector
        subu    $t3, $s2, $s5           # bytes left
        sltu    $t4, $t3, $t2
        bnez    $t4, 6f
        move    $t3, $t2
6:      sw      $t3, 0($sp)             # chunk
        srl     $t0, $t0, 9
        lw      $t5, DE_SECTOR($s4)
        addu    $a0, $t5, $t0           # sector
        lw      $t1, DE_SIZE($s4)       # sectors left in the file from here
        addiu   $t1, $t1, 511
        srl     $t1, $t1, 9
        subu    $a1, $t1, $t0
        jal     bread
        lw      $t1, 4($sp)
        addu    $a1, $v0, $t1
        addu    $a0, $s1, $s5
        lw      $a2, 0($sp)
        jal     memcpy_k
        lw      $t3, 0($sp)
        addu    $s5, $s5, $t3
        lw      $t0, 4($s3)
        addu    $t0, $t0, $t3
        sw      $t0, 4($s3)
        b       5b
8:      move    $v0, $s2
9:      lw      $ra, 44($sp)
        lw      $s0, 40($sp)
        lw      $s1, 36($sp)
        lw      $s2, 32($sp)
        lw      $s3, 28($sp)
        lw      $s4, 24($sp)
        lw      $s5, 20($sp)
        addiu   $sp, $sp, 48
        jr      $ra

# fd_get(a0 = fd) → v0 = address of the open-file entry {file + 1, offset}, or 0
fd_get:
        addiu   $sp, $sp, -16
        sw      $ra, 12($sp)
        sw      $s0, 8($sp)
        addiu   $s0, $a0, -3
        sltiu   $t0, $s0, NFD
        move    $v0, $zero
        beqz    $t0, 9f
        jal     curproc
        sll     $t0, $s0, 3
        addu    $v0, $v0, $t0
        addiu   $v0, $v0, P_FDS
        lw      $t0, 0($v0)
        bnez    $t0, 9f
        move    $v0, $zero
9:      lw      $ra, 12($sp)
        lw      $s0, 8($sp)
        addiu   $sp, $sp, 16
        jr      $ra

# copy_name(a0 = user string, a1 = kernel buffer of 32 bytes) → v0 = 0, or -14 (bad address)
copy_name:
        addiu   $sp, $sp, -16
        sw      $ra, 12($sp)
        sw      $a0, 8($sp)
        sw      $a1, 4($sp)
        li      $a1, 1
        jal     uaddr_ok
        move    $t0, $v0
        li      $v0, -14
        beqz    $t0, 9f
        lw      $a0, 8($sp)
        lw      $a1, 4($sp)
        li      $t2, 31
1:      lbu     $t0, 0($a0)
        sb      $t0, 0($a1)
        beqz    $t0, 2f
        addiu   $a0, $a0, 1
        addiu   $a1, $a1, 1
        addiu   $t2, $t2, -1
        bnez    $t2, 1b
        sb      $zero, 0($a1)
2:      li      $v0, 0
9:      lw      $ra, 12($sp)
        addiu   $sp, $sp, 16
        jr      $ra

sys_open:                               # open(name) → fd (3..6)
        addiu   $sp, $sp, -56
        sw      $ra, 52($sp)
        sw      $s0, 48($sp)
        move    $a1, $sp
        jal     copy_name
        bnez    $v0, 9f
        move    $a0, $sp
        jal     fs_lookup
        move    $s0, $v0
        li      $v0, -2                 # ENOENT
        bltz    $s0, 9f
        jal     curproc
        addiu   $t0, $v0, P_FDS
        li      $t1, 0
1:      lw      $t2, 0($t0)
        beqz    $t2, 2f
        addiu   $t0, $t0, 8
        addiu   $t1, $t1, 1
        li      $t2, NFD
        bne     $t1, $t2, 1b
        li      $v0, -24                # EMFILE
        b       9f
2:      addiu   $t2, $s0, 1
        sw      $t2, 0($t0)
        sw      $zero, 4($t0)
        addiu   $v0, $t1, 3
9:      lw      $ra, 52($sp)
        lw      $s0, 48($sp)
        addiu   $sp, $sp, 56
        jr      $ra

sys_close:                              # close(fd) → 0
        addiu   $sp, $sp, -16
        sw      $ra, 12($sp)
        jal     fd_get
        move    $t0, $v0
        li      $v0, -9
        beqz    $t0, 9f
        sw      $zero, 0($t0)
        li      $v0, 0
9:      lw      $ra, 12($sp)
        addiu   $sp, $sp, 16
        jr      $ra

sys_lseek:                              # lseek(fd, offset) → offset (clamped to the size)
        addiu   $sp, $sp, -16
        sw      $ra, 12($sp)
        sw      $a1, 8($sp)
        jal     fd_get
        move    $t0, $v0
        li      $v0, -9
        beqz    $t0, 9f
        lw      $t1, 0($t0)
        addiu   $t1, $t1, -1
        sll     $t1, $t1, 5
        la      $t2, fs_dir
        addu    $t1, $t1, $t2
        lw      $t1, DE_SIZE($t1)
        lw      $v0, 8($sp)
        sltu    $t2, $t1, $v0
        beqz    $t2, 1f
        move    $v0, $t1
1:      sw      $v0, 4($t0)
9:      lw      $ra, 12($sp)
        addiu   $sp, $sp, 16
        jr      $ra

sys_fsize:                              # fsize(fd) → size in bytes
        addiu   $sp, $sp, -16
        sw      $ra, 12($sp)
        jal     fd_get
        move    $t0, $v0
        li      $v0, -9
        beqz    $t0, 9f
        lw      $t1, 0($t0)
        addiu   $t1, $t1, -1
        sll     $t1, $t1, 5
        la      $t2, fs_dir
        addu    $t1, $t1, $t2
        lw      $v0, DE_SIZE($t1)
9:      lw      $ra, 12($sp)
        addiu   $sp, $sp, 16
        jr      $ra

# spawn(name, args, cpu_limit_ticks) → child pid. The child loads the program itself.
sys_spawn:
        addiu   $sp, $sp, -160
        sw      $ra, 156($sp)
        sw      $s0, 152($sp)
        sw      $s1, 148($sp)
        sw      $a1, 144($sp)
        sw      $a2, 140($sp)
        move    $a1, $sp                # "name" then " args" assembled into a cmdline buffer
        jal     copy_name
        bnez    $v0, 9f
        move    $t0, $sp                # append ' ' + args (up to 79 bytes)
1:      lbu     $t1, 0($t0)
        beqz    $t1, 2f
        addiu   $t0, $t0, 1
        b       1b
2:      lw      $a0, 144($sp)
        beqz    $a0, 4f
        li      $t1, ' '
        sb      $t1, 0($t0)
        addiu   $t0, $t0, 1
        sw      $t0, 136($sp)
        li      $a1, 1
        jal     uaddr_ok
        move    $t1, $v0
        li      $v0, -14
        beqz    $t1, 9f
        lw      $t0, 136($sp)
        lw      $a0, 144($sp)
        li      $t2, ARGMAX - 1
3:      lbu     $t1, 0($a0)
        sb      $t1, 0($t0)
        beqz    $t1, 4f
        addiu   $a0, $a0, 1
        addiu   $t0, $t0, 1
        addiu   $t2, $t2, -1
        bnez    $t2, 3b
        sb      $zero, 0($t0)
4:      jal     allocproc
        move    $s0, $v0
        li      $v0, -11                # EAGAIN: no free slot
        beqz    $s0, 9f
        move    $a0, $sp
        move    $a1, $s0
        jal     set_cmdline
        bgez    $v0, 5f
        move    $a0, $s0
        jal     freeproc
        li      $v0, -2
        b       9f
5:      lw      $t0, 140($sp)
        sw      $t0, P_LIMIT($s0)
        jal     curproc
        sw      $v0, P_PARENT($s0)
        li      $t0, S_RUNNABLE
        sw      $t0, P_STATE($s0)
        jal     kick_idle
        lw      $v0, P_PID($s0)
9:      lw      $ra, 156($sp)
        lw      $s0, 152($sp)
        lw      $s1, 148($sp)
        addiu   $sp, $sp, 160
        jr      $ra

# wait(status_ptr) → pid of a finished child (its status stored if status_ptr ≠ 0), -10 if none
sys_wait:
        addiu   $sp, $sp, -40
        sw      $ra, 36($sp)
        sw      $s0, 32($sp)
        sw      $s1, 28($sp)
        sw      $s2, 24($sp)
        sw      $s3, 20($sp)
        move    $s3, $a0
        jal     curproc
        move    $s0, $v0
1:      la      $s1, procs
        li      $s2, NPROC
        li      $t5, 0                  # have children
2:      lw      $t0, P_PARENT($s1)
        bne     $t0, $s0, 3f
        lw      $t0, P_STATE($s1)
        beqz    $t0, 3f
        li      $t5, 1
        li      $t1, S_ZOMBIE
        beq     $t0, $t1, 5f
3:      addiu   $s1, $s1, PSIZE
        addiu   $s2, $s2, -1
        bnez    $s2, 2b
        li      $v0, -10                # ECHILD
        beqz    $t5, 9f
        move    $a0, $s0
        jal     sleep
        b       1b
5:      lw      $t0, P_PID($s1)
        sw      $t0, 16($sp)
        lw      $t0, P_XSTATUS($s1)
        sw      $t0, 12($sp)
        sw      $zero, P_PARENT($s1)
        move    $a0, $s1
        jal     freeproc
        beqz    $s3, 6f
        move    $a0, $s3
        li      $a1, 4
        jal     uaddr_ok
        beqz    $v0, 6f
        lw      $t0, 12($sp)
        sw      $t0, 0($s3)
6:      lw      $v0, 16($sp)
9:      lw      $ra, 36($sp)
        lw      $s0, 32($sp)
        lw      $s1, 28($sp)
        lw      $s2, 24($sp)
        lw      $s3, 20($sp)
        addiu   $sp, $sp, 40
        jr      $ra

sys_sbrk:                               # sbrk(increment ≥ 0) → old break (pages appear on use)
        addiu   $sp, $sp, -16
        sw      $ra, 12($sp)
        sw      $a0, 8($sp)
        jal     curproc
        lw      $a0, 8($sp)
        move    $t0, $v0
        li      $v0, -22                # EINVAL
        bltz    $a0, 9f
        lw      $v0, P_BRK($t0)
        addu    $t1, $v0, $a0
        li      $t2, SHM_BASE
        sltu    $t3, $t2, $t1
        beqz    $t3, 1f
        li      $v0, -12                # ENOMEM
        b       9f
1:      sw      $t1, P_BRK($t0)
9:      lw      $ra, 12($sp)
        addiu   $sp, $sp, 16
        jr      $ra

# brk(addr) → the break (Linux o32 4045): an address from the break the program started with up
# to SHM_BASE becomes the break; anything else (0 asks) leaves it. Growing adds demand-zero
# pages; shrinking frees the whole pages above the new break and makes every CPU forget this
# address space's TLB entries (this one at once, the others before they run it again).
sys_lbrk:
        addiu   $sp, $sp, -32
        sw      $ra, 28($sp)
        sw      $s0, 24($sp)
        sw      $s1, 20($sp)
        sw      $s2, 16($sp)
        move    $s1, $a0
        jal     curproc
        move    $s0, $v0
        lw      $t0, P_BRK0($s0)
        sltu    $t1, $s1, $t0
        bnez    $t1, 9f
        li      $t0, SHM_BASE
        sltu    $t1, $s1, $t0
        beqz    $t1, 9f
        lw      $s2, P_BRK($s0)
        sw      $s1, P_BRK($s0)
        li      $t0, ~(PGSIZE - 1)
        addiu   $s1, $s1, PGSIZE - 1
        and     $s1, $s1, $t0
        addiu   $s2, $s2, PGSIZE - 1
        and     $s2, $s2, $t0
        sltu    $t1, $s1, $s2
        beqz    $t1, 9f                 # not smaller by a page
1:      lw      $a0, P_PGDIR($s0)
        move    $a1, $s1
        move    $a2, $zero
        jal     walk
        beqz    $v0, 2f
        lw      $t0, 0($v0)
        andi    $t1, $t0, 2
        beqz    $t1, 2f
        bltz    $t0, 2f                 # PTE_SHARED: never freed
        sw      $zero, 0($v0)
        srl     $t0, $t0, 6
        sll     $t0, $t0, 12
        li      $t1, KERNBASE
        addu    $a0, $t0, $t1
        jal     kfree
2:      addiu   $s1, $s1, PGSIZE
        bne     $s1, $s2, 1b
        la      $t0, cpus
        li      $t1, MAXCPU
        lw      $t2, P_SLOT($s0)
        li      $t3, 1
        sllv    $t2, $t3, $t2
3:      lw      $t3, C_FLUSH($t0)
        or      $t3, $t3, $t2
        sw      $t3, C_FLUSH($t0)
        addiu   $t0, $t0, CSIZE
        addiu   $t1, $t1, -1
        bnez    $t1, 3b
        mfc0    $s2, $10                # EntryHi (the ASID) survives the flush
        jal     tlb_flush
        mtc0    $s2, $10
9:      lw      $v0, P_BRK($s0)
        lw      $ra, 28($sp)
        lw      $s0, 24($sp)
        lw      $s1, 20($sp)
        lw      $s2, 16($sp)
        addiu   $sp, $sp, 32
        jr      $ra

sys_yield:
        addiu   $sp, $sp, -16
        sw      $ra, 12($sp)
        jal     curproc
        li      $t0, S_RUNNABLE
        sw      $t0, P_STATE($v0)
        jal     sched
        li      $v0, 0
        lw      $ra, 12($sp)
        addiu   $sp, $sp, 16
        jr      $ra

sys_getpid:
        addiu   $sp, $sp, -16
        sw      $ra, 12($sp)
        jal     curproc
        lw      $v0, P_PID($v0)
        lw      $ra, 12($sp)
        addiu   $sp, $sp, 16
        jr      $ra

sys_getcpu:
        HAL_CPUID $v0
        jr      $ra

sys_ncpus:
        lw      $v0, ncpus
        jr      $ra

sys_time:                               # time() → this CPU's cycle counter (low 32 bits)
        lui     $t9, DEV
        lw      $v0, SI_CYCLE_LO($t9)
        jr      $ra

# shm(npages) → SHM_BASE. The first call creates the machine-wide shared segment; later calls
# (up to its size) map the same physical pages into the caller.
sys_shm:
        addiu   $sp, $sp, -32
        sw      $ra, 28($sp)
        sw      $s0, 24($sp)
        sw      $s1, 20($sp)
        sw      $s2, 16($sp)
        move    $s0, $a0
        addiu   $t0, $s0, -1
        sltiu   $t0, $t0, SHM_MAXPAGES
        li      $v0, -22
        beqz    $t0, 9f
        lw      $t0, shm_npages
        bnez    $t0, 2f
        li      $s1, 0                  # create
1:      jal     kalloc
        li      $t0, KERNBASE
        subu    $v0, $v0, $t0
        la      $t0, shm_pages
        sll     $t1, $s1, 2
        addu    $t0, $t0, $t1
        sw      $v0, 0($t0)
        addiu   $s1, $s1, 1
        bne     $s1, $s0, 1b
        sw      $s0, shm_npages
2:      lw      $t0, shm_npages
        sltu    $t1, $t0, $s0
        li      $v0, -22
        bnez    $t1, 9f
        jal     curproc
        move    $s2, $v0
        li      $s1, 0
3:      lw      $a0, P_PGDIR($s2)
        sll     $a1, $s1, 12
        li      $t0, SHM_BASE
        addu    $a1, $a1, $t0
        li      $a2, 1
        jal     walk
        la      $t0, shm_pages
        sll     $t1, $s1, 2
        addu    $t0, $t0, $t1
        lw      $t0, 0($t0)
        srl     $t0, $t0, 12
        sll     $t0, $t0, 6
        ori     $t0, $t0, PTE_RW
        li      $t1, PTE_SHARED
        or      $t0, $t0, $t1
        sw      $t0, 0($v0)
        addiu   $s1, $s1, 1
        bne     $s1, $s0, 3b
        li      $v0, SHM_BASE
9:      lw      $ra, 28($sp)
        lw      $s0, 24($sp)
        lw      $s1, 20($sp)
        lw      $s2, 16($sp)
        addiu   $sp, $sp, 32
        jr      $ra

sys_barrier:                            # barrier(n): sleep until n processes have arrived
        addiu   $sp, $sp, -16
        sw      $ra, 12($sp)
        sw      $s0, 8($sp)
        lw      $t0, barrier_count
        addiu   $t0, $t0, 1
        bne     $t0, $a0, 1f
        sw      $zero, barrier_count
        lw      $t0, barrier_gen
        addiu   $t0, $t0, 1
        sw      $t0, barrier_gen
        la      $a0, barrier_gen
        jal     wakeup
        b       9f
1:      sw      $t0, barrier_count
        lw      $s0, barrier_gen
2:      la      $a0, barrier_gen
        jal     sleep
        lw      $t0, barrier_gen
        beq     $t0, $s0, 2b
9:      li      $v0, 0
        lw      $ra, 12($sp)
        lw      $s0, 8($sp)
        addiu   $sp, $sp, 16
        jr      $ra

sys_crash:                              # deliberate kernel fault: exercises the panic path
        li      $t0, 0xdeadbeef
        lw      $v0, 0($t0)
        jr      $ra

# ---- read-only data --------------------------------------------------------------------------
        .data
systab:
        .word   sys_none, sys_exit, sys_write, sys_read, sys_spawn      # 0-4
        .word   sys_wait, sys_sbrk, sys_yield, sys_getpid, sys_getcpu   # 5-9
        .word   sys_time, sys_open, sys_close, sys_shm, sys_barrier     # 10-14
        .word   sys_ncpus, sys_lseek, sys_fsize, sys_none, sys_crash    # 15-19
        .word   sys_nfsd, sys_netrecv, sys_netsend                      # 20-22

svcmap:                                 # system call → service (+stats), NSYS bytes
        .byte   SVC_SYSCALL, SVC_SYSCALL, SVC_WRITE, SVC_READ, SVC_SYSCALL          # 0-4
        .byte   SVC_SYSCALL, SVC_SYSCALL, SVC_SYSCALL, SVC_SYSCALL, SVC_SYSCALL     # 5-9
        .byte   SVC_SYSCALL, SVC_OPEN, SVC_SYSCALL, SVC_SYSCALL, SVC_SYSCALL        # 10-14
        .byte   SVC_SYSCALL, SVC_SYSCALL, SVC_SYSCALL, SVC_SYSCALL, SVC_SYSCALL     # 15-19
        .byte   SVC_SYSCALL, SVC_SYSCALL, SVC_SYSCALL                               # 20-22
opt_stats:      .asciiz "+stats "
hexdigits:      .ascii  "0123456789abcdef"
excnames:                               # 8 bytes each
        .asciiz "Int\0\0\0\0", "Mod\0\0\0\0", "TLBL\0\0\0", "TLBS\0\0\0", "AdEL\0\0\0", "AdES\0\0\0", "IBE\0\0\0\0"
        .asciiz "DBE\0\0\0\0", "Sys\0\0\0\0", "Bp\0\0\0\0\0", "RI\0\0\0\0\0", "CpU\0\0\0\0", "Ov\0\0\0\0\0", "Tr\0\0\0\0\0"
        .asciiz "Exc?\0\0\0"
regnames:                               # 4 bytes each, printed before each register
        .asciiz " r0=", " at=", " v0=", " v1=", " a0=", " a1=", " a2=", " a3="
        .asciiz " t0=", " t1=", " t2=", " t3=", " t4=", " t5=", " t6=", " t7="
        .asciiz " s0=", " s1=", " s2=", " s3=", " s4=", " s5=", " s6=", " s7="
        .asciiz " t8=", " t9=", " k0=", " k1=", " gp=", " sp=", " fp=", " ra="
msg_banner:     .asciiz "disco-guest kernel ("
msg_variant:    VARIANT_NAME
msg_on:         .asciiz ") booting on "
msg_cpus:       .asciiz " CPU(s), "
msg_mib:        .asciiz " MiB RAM\n"
msg_nfs:        .asciiz "fs: from the file server, VM "
msg_fs:         .asciiz "fs: "
msg_files:      .asciiz " files\n"
msg_init:       .asciiz "init: "
msg_panic:      .asciiz "PANIC: "
msg_oncpu:      .asciiz " on cpu "
msg_cause:      .asciiz " cause="
msg_pc:         .asciiz " pc="
msg_badv:       .asciiz " badvaddr="
msg_regs2:      .asciiz "\n hi="
msg_lo:         .asciiz " lo="
msg_status:     .asciiz " status="
msg_causereg:   .asciiz " cause="
msg_kexc:       .asciiz "kernel exception"
msg_nomem:      .asciiz "out of memory for a process"
msg_noinit:     .asciiz "init program not found on the disk image"
msg_nofs:       .asciiz "no file system on the disk (bad superblock magic)"
msg_zombie:     .asciiz "zombie process ran again"
msg_oom:        .asciiz "out of memory"
msg_limit:      .asciiz "cpu time limit exceeded"
msg_killed:     .asciiz "killed pid "
msg_lparen:     .asciiz " ("
msg_rparen:     .asciiz "): "
msg_at:         .asciiz " at pc="
msg_badexe:     .asciiz "spawn: not a DXE1 executable or out of memory: "
msg_initexit:   .asciiz "init exited with status "
msg_stats1:     .asciiz "; switches="
msg_stats2:     .asciiz " demand-zero="
msg_stats3:     .asciiz " syscalls="
msg_stats4:     .asciiz " disk-reads="
msg_stats5:     .asciiz " output="

        .align  2
bkl:            .word   0               # the big kernel lock
panicking:      .word   0
boot_go:        .word   0
ncpus:          .word   0
ram_bytes:      .word   0
tick_counts:    .word   0
freelist:       .word   0
bump_base:      .word   0               # first page after the kernel
bump_total:     .word   0               # pages from there to the end of RAM
bump_k:         .word   0               # pages handed out by the bump allocator
bump_striped:   .word   0               # of which in whole stripes
bump_nstripes:  .word   0               # M
bump_stride:    .word   0               # s, coprime to M
nfree:          .word   0
nextpid:        .word   0
initproc:       .word   0
idle_mask:      .word   0
sched_rr:       .word   0
disk_busy:      .word   0
disk_done:      .word   0
disk_status:    .word   0
disk_reads:     .word   0
bcache_hits:    .word   0
nfs_server:     .word   0               # the file server's network address + 1 (0: the own disk)
net_user:       .word   0               # the network's user: 0 none yet, 1 processes (net_recv/net_send), 2 nfsd
unet_sleepers:  .word   0               # processes in net_recv waiting (the timer tick wakes them)
unet_desc:      .space  12              # net_recv's message: { sender, length, buffer }
net_head:       .word   0               # the ring of received messages: first, count
net_n:          .word   0
net_wait:       .word   0               # sleep channel: a message arrived
nfs_msg:        .space  12              # the request being sent
nfs_desc:       .space  12              # a received message: { sender, length, buffer }
nfsd_desc:      .space  12
nswitch:        .word   0
demand_zero:    .word   0
nsyscalls:      .word   0
preemptions:    .word   0
con_last:       .word   '\n'           # the last byte a process wrote to the console (kmsg_nl)
con_user:       .word   0               # bytes processes wrote to the console (init's exit line)
barrier_count:  .word   0
barrier_gen:    .word   0
shm_npages:     .word   0
free_links:     .word   0               # PARAVIRT: the free list's link words (kinit)
gstat_on:       .word   0               # +stats: mark kernel services (gstat_start)
shm_pages:      .space  SHM_MAXPAGES * 4
asid_pgdir:     .space  NPROC * 4
cpus:           .space  MAXCPU * CSIZE
procs:          .space  NPROC * PSIZE

        .bss
        .align  12
empty_pt:       .space  PGSIZE          # all-invalid page table (every PTE 0)
empty_pgdir:    .space  PGSIZE          # every entry → empty_pt
cpu_stacks:     .space  MAXCPU * PGSIZE
cmdline:        .space  128
conbuf:         .space  CONBUF          # PARAVIRT: console output handed to the monitor
        .align  12
hal_pages:      .space  HAL_PAGES_BYTES # per-CPU HAL pages (selfMap builds of the hal variant)
fs_super:       .space  512             # sector 0, followed by the directory (one DMA)
fs_dir:         .space  FS_DIRSECT * 512
net_ring:       .space  NETRING * 16    # received messages { sender, length, buffer, - }
nfs_reqs:       .space  NETRING * 16    # the file server's request buffers
btags:          .space  NBUF * 4        # sector + 1 held by each slot (0 = empty)
unet_bufs:      .space  UNBUFS * UNBUF  # net_recv's receive buffers
unet_sbuf:      .space  UNSEND          # net_send's message, handed to the monitor
        .align  12                      # whole pages: a miss reads whole disk pages into whole pages
bcache:         .space  NBUF * 512
kernel_end:
