# engsim — one engineering job: an array of K KiB (default 1 MiB: 256 pages, twice the TLB's
# reach) updated with mostly-local strides and a far jump every ~16 steps: TLB-miss-heavy and
# memory-bound, its data private to the process.
# Arguments: "seed S K": S × ITERS steps (S = 0 or absent: 1); K KiB, a power of two from 4
# (K = 0 or absent: KIB; otherwise rounded down to a power of two, at most 65536). Exit status: the sum of the values read.
        .include "lib/runtime.s"
        .set    KIB, 1024
        .set    ITERS, 150000
        .text
main:
        addiu   $sp, $sp, -24
        sw      $ra, 20($sp)
        sw      $s0, 16($sp)
        jal     atoi
        move    $s0, $v0
        move    $a0, $v1
        jal     atoi
        bnez    $v0, 4f                 # S
        li      $v0, 1
4:      sw      $v0, 12($sp)
        move    $a0, $v1
        jal     atoi
        bnez    $v0, 5f                 # K
        li      $v0, KIB
5:      li      $t1, 65537
        sltiu   $t0, $v0, 4
        beqz    $t0, 6f
        li      $v0, 4
6:      sltu    $t0, $v0, $t1           # at most 64 MiB
        bnez    $t0, 7f
        li      $v0, 65536
7:      li      $t1, 1                  # round down to a power of two
8:      sll     $t2, $t1, 1
        sltu    $t0, $v0, $t2
        bnez    $t0, 9f
        move    $t1, $t2
        b       8b
9:
        sll     $v0, $t1, 8             # words
        sw      $v0, 8($sp)
        sll     $a0, $v0, 2
        jal     sbrk
        move    $t9, $v0                # base
        li      $t0, 7919
        mul     $t8, $s0, $t0
        addiu   $t8, $t8, 1             # x
        li      $t7, 0                  # idx
        li      $v0, 0                  # sum
        lw      $t6, 12($sp)
        li      $t0, ITERS
        mul     $t6, $t6, $t0           # S × ITERS steps
        li      $t5, 1664525
        li      $t4, 1013904223
        lw      $t3, 8($sp)
        addiu   $t3, $t3, -1            # word index mask
1:      mul     $t8, $t8, $t5
        addu    $t8, $t8, $t4
        srl     $t0, $t8, 28
        bnez    $t0, 2f
        srl     $t7, $t8, 8             # far jump
        b       3f
2:      srl     $t0, $t8, 20
        andi    $t0, $t0, 63
        addu    $t7, $t7, $t0           # local stride
3:      and     $t7, $t7, $t3
        sll     $t0, $t7, 2
        addu    $t0, $t0, $t9
        lw      $t1, 0($t0)
        addu    $t1, $t1, $t8
        sw      $t1, 0($t0)
        addu    $v0, $v0, $t1
        addiu   $t6, $t6, -1
        bnez    $t6, 1b
        lw      $ra, 20($sp)
        lw      $s0, 16($sp)
        addiu   $sp, $sp, 24
        jr      $ra
