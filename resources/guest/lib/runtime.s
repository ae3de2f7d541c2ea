# runtime.s — the guest user runtime: crt0, system-call stubs, print and string helpers, and a
# user-level LL/SC spinlock for shared memory. A program `.include "lib/runtime.s"` first and
# defines `main(a0 = argument string)`; main's return value is the exit status.
# System calls: docs/guest-syscalls.md ($v0 = number, $a0..$a3 arguments, result in $v0,
# negative = error). Functions follow o32: a0-a3 in, v0 out, s0-s8 preserved.

        .set    SYS_EXIT, 1
        .set    SYS_WRITE, 2
        .set    SYS_READ, 3
        .set    SYS_SPAWN, 4
        .set    SYS_WAIT, 5
        .set    SYS_SBRK, 6
        .set    SYS_YIELD, 7
        .set    SYS_GETPID, 8
        .set    SYS_GETCPU, 9
        .set    SYS_TIME, 10
        .set    SYS_OPEN, 11
        .set    SYS_CLOSE, 12
        .set    SYS_SHM, 13
        .set    SYS_BARRIER, 14
        .set    SYS_NCPUS, 15
        .set    SYS_LSEEK, 16
        .set    SYS_FSIZE, 17
        .set    SYS_NFSD, 20
        .set    SYS_NETRECV, 21
        .set    SYS_NETSEND, 22
        .set    SYS_CRASH, 19

        .text
        .globl  __start
__start:                                # a0 = argument string (on the stack), sp set by the kernel
        jal     main
        move    $a0, $v0
        li      $v0, SYS_EXIT
        syscall

        .macro  SYSSTUB name, num
\name:
        li      $v0, \num
        syscall
        jr      $ra
        .endm

        SYSSTUB exit, SYS_EXIT
        SYSSTUB write, SYS_WRITE
        SYSSTUB read, SYS_READ
        SYSSTUB spawn, SYS_SPAWN
        SYSSTUB wait, SYS_WAIT
        SYSSTUB sbrk, SYS_SBRK
        SYSSTUB yield, SYS_YIELD
        SYSSTUB getpid, SYS_GETPID
        SYSSTUB getcpu, SYS_GETCPU
        SYSSTUB time, SYS_TIME
        SYSSTUB open, SYS_OPEN
        SYSSTUB close, SYS_CLOSE
        SYSSTUB shm, SYS_SHM
        SYSSTUB barrier, SYS_BARRIER
        SYSSTUB ncpus, SYS_NCPUS
        SYSSTUB lseek, SYS_LSEEK
        SYSSTUB fsize, SYS_FSIZE
        SYSSTUB nfsd, SYS_NFSD
        SYSSTUB net_recv, SYS_NETRECV
        SYSSTUB net_send, SYS_NETSEND
        SYSSTUB crash, SYS_CRASH

strlen:                                 # strlen(s) → length
        move    $v0, $a0
1:      lbu     $t0, 0($v0)
        beqz    $t0, 2f
        addiu   $v0, $v0, 1
        b       1b
2:      subu    $v0, $v0, $a0
        jr      $ra

puts:                                   # puts(s): write s to the console
        addiu   $sp, $sp, -24
        sw      $ra, 20($sp)
        sw      $a0, 16($sp)
        jal     strlen
        move    $a2, $v0
        lw      $a1, 16($sp)
        li      $a0, 1
        jal     write
        lw      $ra, 20($sp)
        addiu   $sp, $sp, 24
        jr      $ra

putchar:                                # putchar(c)
        addiu   $sp, $sp, -24
        sw      $ra, 20($sp)
        sb      $a0, 16($sp)
        addiu   $a1, $sp, 16
        li      $a2, 1
        li      $a0, 1
        jal     write
        lw      $ra, 20($sp)
        addiu   $sp, $sp, 24
        jr      $ra

putdec:                                 # putdec(n): signed decimal
        addiu   $sp, $sp, -40
        sw      $ra, 36($sp)
        addiu   $t1, $sp, 32            # digits grow down from sp+32
        move    $t3, $a0
        bgez    $a0, 1f
        subu    $a0, $zero, $a0
1:      li      $t2, 10
2:      divu    $zero, $a0, $t2
        mfhi    $t0
        mflo    $a0
        addiu   $t0, $t0, '0'
        addiu   $t1, $t1, -1
        sb      $t0, 0($t1)
        bnez    $a0, 2b
        bgez    $t3, 3f
        li      $t0, '-'
        addiu   $t1, $t1, -1
        sb      $t0, 0($t1)
3:      addiu   $a2, $sp, 32
        subu    $a2, $a2, $t1
        move    $a1, $t1
        li      $a0, 1
        jal     write
        lw      $ra, 36($sp)
        addiu   $sp, $sp, 40
        jr      $ra

puthex:                                 # puthex(n): 0x%08x
        addiu   $sp, $sp, -40
        sw      $ra, 36($sp)
        li      $t0, '0'
        sb      $t0, 16($sp)
        li      $t0, 'x'
        sb      $t0, 17($sp)
        li      $t1, 28
        addiu   $t2, $sp, 18
1:      srlv    $t0, $a0, $t1
        andi    $t0, $t0, 15
        sltiu   $t3, $t0, 10
        addiu   $t0, $t0, '0'
        bnez    $t3, 2f
        addiu   $t0, $t0, 'a' - '0' - 10
2:      sb      $t0, 0($t2)
        addiu   $t2, $t2, 1
        addiu   $t1, $t1, -4
        bgez    $t1, 1b
        addiu   $a1, $sp, 16
        li      $a2, 10
        li      $a0, 1
        jal     write
        lw      $ra, 36($sp)
        addiu   $sp, $sp, 40
        jr      $ra

atoi:                                   # atoi(s) → v0 = value of leading digits, v1 = next char
        move    $v0, $zero
1:      lbu     $t0, 0($a0)
        addiu   $t0, $t0, -'0'
        sltiu   $t1, $t0, 10
        beqz    $t1, 2f
        sll     $t1, $v0, 3
        sll     $v0, $v0, 1
        addu    $v0, $v0, $t1
        addu    $v0, $v0, $t0
        addiu   $a0, $a0, 1
        b       1b
2:      lbu     $t0, 0($a0)             # skip one separator
        beqz    $t0, 3f
        addiu   $a0, $a0, 1
3:      move    $v1, $a0
        jr      $ra

spin_lock:                              # spin_lock(&word): LL/SC test-and-set
1:      ll      $t0, 0($a0)
        bnez    $t0, 1b
        li      $t0, 1
        sc      $t0, 0($a0)
        beqz    $t0, 1b
        sync
        jr      $ra

spin_unlock:                            # spin_unlock(&word)
        sync
        sw      $zero, 0($a0)
        jr      $ra

# rand_next(state) → next value of a 32-bit LCG (Numerical Recipes constants)
rand_next:
        li      $t0, 1664525
        mul     $v0, $a0, $t0
        li      $t0, 1013904223
        addu    $v0, $v0, $t0
        jr      $ra

utoa:                                   # utoa(n, buf) → v0 = address of the NUL written after the digits
        move    $t3, $a1
        li      $t2, 10
1:      divu    $zero, $a0, $t2         # digits, least significant first
        mfhi    $t0
        mflo    $a0
        addiu   $t0, $t0, '0'
        sb      $t0, 0($a1)
        addiu   $a1, $a1, 1
        bnez    $a0, 1b
        sb      $zero, 0($a1)
        move    $v0, $a1
        addiu   $a1, $a1, -1            # reverse in place
2:      sltu    $t0, $t3, $a1
        beqz    $t0, 3f
        lbu     $t0, 0($t3)
        lbu     $t1, 0($a1)
        sb      $t1, 0($t3)
        sb      $t0, 0($a1)
        addiu   $t3, $t3, 1
        addiu   $a1, $a1, -1
        b       2b
3:      jr      $ra

# spawn_n(name, a, b) → pid: spawns `name` with the argument string "a b" (or "a" when b < 0);
# spawn_n3(name, a, b, c): "a b c" (c < 0: as spawn_n). The string is built in a 48-byte frame buffer.
spawn_n:
        li      $a3, -1
spawn_n3:
        addiu   $sp, $sp, -64
        sw      $ra, 60($sp)
        sw      $s0, 56($sp)
        sw      $s1, 52($sp)
        sw      $s2, 48($sp)
        move    $s0, $a0
        move    $s1, $a2
        move    $s2, $a3
        move    $a0, $a1
        move    $a1, $sp
        jal     utoa
        bltz    $s1, 1f
        li      $t0, ' '
        sb      $t0, 0($v0)
        move    $a0, $s1
        addiu   $a1, $v0, 1
        jal     utoa
        bltz    $s2, 1f
        li      $t0, ' '
        sb      $t0, 0($v0)
        move    $a0, $s2
        addiu   $a1, $v0, 1
        jal     utoa
1:      move    $a0, $s0
        move    $a1, $sp
        move    $a2, $zero
        jal     spawn
        lw      $ra, 60($sp)
        lw      $s0, 56($sp)
        lw      $s1, 52($sp)
        lw      $s2, 48($sp)
        addiu   $sp, $sp, 64
        jr      $ra

# wait_all(n) → v0 = wrapping sum of the exit statuses of n children
wait_all:
        addiu   $sp, $sp, -32
        sw      $ra, 28($sp)
        sw      $s0, 24($sp)
        sw      $s1, 20($sp)
        move    $s0, $a0
        li      $s1, 0
1:      beqz    $s0, 2f
        addiu   $a0, $sp, 16
        jal     wait
        lw      $t0, 16($sp)
        addu    $s1, $s1, $t0
        addiu   $s0, $s0, -1
        b       1b
2:      move    $v0, $s1
        lw      $ra, 28($sp)
        lw      $s0, 24($sp)
        lw      $s1, 20($sp)
        addiu   $sp, $sp, 32
        jr      $ra

# report(label, value): prints "<label>0x<value>\n"
report:
        addiu   $sp, $sp, -24
        sw      $ra, 20($sp)
        sw      $a1, 16($sp)
        jal     puts
        lw      $a0, 16($sp)
        jal     puthex
        li      $a0, '\n'
        jal     putchar
        lw      $ra, 20($sp)
        addiu   $sp, $sp, 24
        jr      $ra
