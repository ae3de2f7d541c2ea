# engineering — runs J engsim jobs (seeds 1-J) at once and prints the sum of their checksums.
# Arguments "S J K": S, the size (default SIZE): each job runs S × its base number of steps;
# J jobs (default JOBS, at most 64); K, each job's array in KiB (default 1024; a power of two).
        .include "lib/runtime.s"
        .set    JOBS, 4
        .set    SIZE, 4
        .text
main:
        addiu   $sp, $sp, -24
        sw      $ra, 20($sp)
        sw      $s0, 16($sp)
        sw      $s1, 12($sp)
        sw      $s2, 8($sp)
        sw      $s3, 4($sp)
        jal     atoi
        move    $s1, $v0                # S
        bnez    $s1, 2f
        li      $s1, SIZE
2:      move    $a0, $v1
        jal     atoi
        move    $s2, $v0                # J
        bnez    $s2, 3f
        li      $s2, JOBS
3:      sltiu   $t0, $s2, 65
        bnez    $t0, 4f
        li      $s2, 64
4:      move    $a0, $v1
        jal     atoi
        move    $s3, $v0                # K (0: engsim's default)
        li      $s0, 1
1:      la      $a0, name
        move    $a1, $s0
        move    $a2, $s1
        move    $a3, $s3
        jal     spawn_n3
        addiu   $s0, $s0, 1
        addiu   $t0, $s2, 1
        bne     $s0, $t0, 1b
        move    $a0, $s2
        jal     wait_all
        move    $s0, $v0
        la      $a0, msg                # "engineering: J jobs, checksum 0x…"
        jal     puts
        move    $a0, $s2
        jal     putdec
        la      $a0, msg2
        move    $a1, $s0
        jal     report
        li      $v0, 0
        lw      $ra, 20($sp)
        lw      $s0, 16($sp)
        lw      $s1, 12($sp)
        lw      $s2, 8($sp)
        lw      $s3, 4($sp)
        addiu   $sp, $sp, 24
        jr      $ra
        .rdata
name:   .asciiz "engsim"
msg:    .asciiz "engineering: "
msg2:   .asciiz " jobs, checksum "
