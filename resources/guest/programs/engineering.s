# engineering — runs 4 engsim jobs (seeds 1-4) at once and prints the sum of their checksums.
        .include "lib/runtime.s"
        .set    JOBS, 4
        .text
main:
        addiu   $sp, $sp, -24
        sw      $ra, 20($sp)
        sw      $s0, 16($sp)
        li      $s0, 1
1:      la      $a0, name
        move    $a1, $s0
        li      $a2, -1
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
        addiu   $sp, $sp, 24
        jr      $ra
        .rdata
name:   .asciiz "engsim"
msg:    .asciiz "engineering: 4 jobs, checksum "
