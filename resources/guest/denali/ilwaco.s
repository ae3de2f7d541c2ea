# ilwaco.s — the library OS of a Denali guest (an analogue of the paper's Ilwaco), linked into
# the application that `.include`s it. A Denali VM is one virtual CPU in user mode with a flat
# address space from 0: page 0 is the virtual-registers page the isolation kernel writes (read
# here with plain loads — no trap), .text starts at 0x1000, the stack at the top of the VM's
# memory ($sp is set by the kernel). There are no privileged instructions; `syscall` is the only
# way into the kernel: call number in $v0, arguments in $a0..$a3, result in $v0.
# docs/denali.md describes the architecture; src/core/denali/{vregs,calls}.ts the kernel side.
# The application defines `main`; main's return value is the VM's exit status.

        # the virtual-registers page (byte offsets; src/core/denali/vregs.ts)
        .set    VR_PENDING, 0           # pending virtual interrupts
        .set    VR_TIMELO, 4            # time [cycles], low word
        .set    VR_TIMEHI, 8
        .set    VR_MEMBYTES, 12         # this VM's memory [bytes]
        .set    VR_VMID, 16
        .set    VR_FEATURES, 20         # bit 0: idle-with-timeout
        .set    VR_CLOCKKHZ, 24         # cycles per millisecond
        .set    VR_RXCOUNT, 28          # packets waiting
        .set    IRQ_TIMER, 1
        .set    IRQ_NET, 2
        .set    FEAT_IDLE, 1
        # monitor calls (src/core/denali/calls.ts)
        .set    CALL_IDLE, 1
        .set    CALL_EXIT, 2
        .set    CALL_WRITE, 3
        .set    CALL_RECV, 4
        .set    CALL_SEND, 5

        .text
        .globl  __start
__start:
        jal     main
        move    $a0, $v0
        li      $v0, CALL_EXIT
        syscall
1:      b       1b

# ilw_wait(a0 = deadline, low word of time) -> v0 = pending mask with IRQ_NET, or IRQ_TIMER once
# the deadline has passed. With idle-with-timeout the VM leaves the CPU until then; without it
# (the kernel option off) it polls its virtual-registers page, burning its time slice.
ilw_wait:
        addiu   $sp, $sp, -24
        sw      $ra, 20($sp)
        sw      $s0, 16($sp)
        move    $s0, $a0
1:      lw      $t0, VR_PENDING($zero)
        andi    $t1, $t0, IRQ_NET
        bnez    $t1, 9f
        lw      $t1, VR_TIMELO($zero)
        subu    $a0, $s0, $t1           # cycles left (signed: time wraps)
        blez    $a0, 8f
        lw      $t1, VR_FEATURES($zero)
        andi    $t1, $t1, FEAT_IDLE
        beqz    $t1, 1b                 # no idle-with-timeout: poll
        li      $v0, CALL_IDLE
        syscall
        b       1b
8:      li      $v0, IRQ_TIMER
        b       10f
9:      move    $v0, $t0
10:     lw      $ra, 20($sp)
        lw      $s0, 16($sp)
        addiu   $sp, $sp, 24
        jr      $ra

# ilw_recv(a0 = buffer, a1 = size) -> v0 = packet length, 0 = none, -1 = bad buffer
ilw_recv:
        li      $v0, CALL_RECV
        syscall
        jr      $ra

# ilw_send(a0 = buffer, a1 = length) -> v0 = length or -1
ilw_send:
        li      $v0, CALL_SEND
        syscall
        jr      $ra

# ilw_puts(a0 = NUL-terminated string): console output
ilw_puts:
        move    $a1, $zero
1:      addu    $t0, $a0, $a1
        lbu     $t0, 0($t0)
        beqz    $t0, 2f
        addiu   $a1, $a1, 1
        b       1b
2:      li      $v0, CALL_WRITE
        syscall
        jr      $ra
