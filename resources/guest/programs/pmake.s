# pmake — a parallel make: runs S rounds of 16 compile jobs (cc on src1.c … src8.c, twice per
# round) keeping at most J running. Arguments "J S": J default 4, S (the size) default SIZE.
# Kernel-heavy (spawn, exec, read, exit, wait) and idle while the disk loads programs and files.
# Prints the number of jobs and the sum of their hashes (independent of J and of the number of
# CPUs); exit status 0.
        .include "lib/runtime.s"
        .set    NJOBS, 16               # per round
        .set    SIZE, 4
        .text
main:
        addiu   $sp, $sp, -40
        sw      $ra, 36($sp)
        sw      $s0, 32($sp)
        sw      $s1, 28($sp)
        sw      $s2, 24($sp)
        sw      $s3, 20($sp)
        jal     atoi
        move    $s0, $v0                # J
        bnez    $s0, 1f
        li      $s0, 4
1:      move    $a0, $v1
        jal     atoi
        bnez    $v0, 11f                # S
        li      $v0, SIZE
11:     sll     $v0, $v0, 4             # jobs = 16 × S
        sw      $v0, njobs
        li      $s1, 0                  # next job
        li      $s2, 0                  # running
        li      $s3, 0                  # checksum
2:      sltu    $t0, $s2, $s0           # start jobs while there is room
        beqz    $t0, 3f
        lw      $t0, njobs
        beq     $s1, $t0, 3f
        andi    $t0, $s1, 7
        addiu   $t0, $t0, '1'
        la      $a1, srcname
        sb      $t0, 3($a1)
        la      $a0, ccname
        move    $a2, $zero
        jal     spawn
        bltz    $v0, 8f
        addiu   $s1, $s1, 1
        addiu   $s2, $s2, 1
        b       2b
3:      beqz    $s2, 4f
        addiu   $a0, $sp, 16
        jal     wait
        lw      $t0, 16($sp)
        addu    $s3, $s3, $t0
        addiu   $s2, $s2, -1
        b       2b
4:      la      $a0, msg
        jal     puts
        lw      $a0, njobs
        jal     putdec
        la      $a0, msg2
        move    $a1, $s3
        jal     report
        li      $v0, 0
        b       9f
8:      li      $v0, 1
9:      lw      $ra, 36($sp)
        lw      $s0, 32($sp)
        lw      $s1, 28($sp)
        lw      $s2, 24($sp)
        lw      $s3, 20($sp)
        addiu   $sp, $sp, 40
        jr      $ra
        .rdata
ccname: .asciiz "cc"
msg:    .asciiz "pmake: "
msg2:   .asciiz " jobs, checksum "
        .data
srcname: .asciiz "srcN.c"
        .align  2
njobs:  .word   0
