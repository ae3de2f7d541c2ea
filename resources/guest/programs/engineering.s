# engineering — runs 4 engsim jobs (seeds 1-4) at once and prints the sum of their checksums.
# Argument: S, the size (default SIZE): each job runs S × its base number of steps.
        .include "lib/runtime.s"
        .set    JOBS, 4
        .set    SIZE, 4
        .text
main:
        addiu   $sp, $sp, -24
        sw      $ra, 20($sp)
        sw      $s0, 16($sp)
        sw      $s1, 12($sp)
        jal     atoi
        move    $s1, $v0                # S
        bnez    $s1, 2f
        li      $s1, SIZE
2:      li      $s0, 1
1:      la      $a0, name
        move    $a1, $s0
        move    $a2, $s1
        jal     spawn_n
        addiu   $s0, $s0, 1
        li      $t0, JOBS + 1
        bne     $s0, $t0, 1b
        li      $a0, JOBS
        jal     wait_all
        move    $a1, $v0
        la      $a0, msg
        jal     report
        li      $v0, 0
        lw      $ra, 20($sp)
        lw      $s0, 16($sp)
        lw      $s1, 12($sp)
        addiu   $sp, $sp, 24
        jr      $ra
        .rdata
name:   .asciiz "engsim"
msg:    .asciiz "engineering: 4 jobs, checksum "
