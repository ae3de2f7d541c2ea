# filewrite MODE — writes to a file of the guest's disk and reads it back (docs/guest-syscalls.md
# `write` to a file; under Disco: copy-on-write disks, docs/disco.md "Memory sharing").
#   filewrite w   writes "written by <pid>" at offset 1000 of db.dat, then reads those 16 bytes
#                 back and prints them: the write is seen by the writer
#   filewrite r   waits about DELAY cycles (a writer elsewhere has written by then), then reads the
#                 same 16 bytes: under Disco, a VM that did not write sees the disk's bytes
# Prints "filewrite: read" and the 16 bytes as four hex words; exits 0 (1 if the file is missing).
        .include "lib/runtime.s"
        .set    DELAY, 40000000         # cycles the reader waits (200 ms at 200 MHz)
        .set    OFFSET, 1000
        .text
main:
        addiu   $sp, $sp, -40
        sw      $ra, 36($sp)
        sw      $s0, 32($sp)
        sw      $s1, 28($sp)
        lbu     $s1, 0($a0)             # the mode
        la      $a0, name
        jal     open
        move    $s0, $v0
        li      $v0, 1
        bltz    $s0, 9f
        li      $t0, 'w'
        bne     $s1, $t0, 2f
        move    $a0, $s0                # w: the marker at OFFSET
        li      $a1, OFFSET
        jal     lseek
        move    $a0, $s0
        la      $a1, marker
        li      $a2, 16
        jal     write
        b       4f
2:      jal     time                    # r: wait until DELAY cycles have passed
        move    $s1, $v0
3:      jal     time
        subu    $t0, $v0, $s1
        li      $t1, DELAY
        sltu    $t0, $t0, $t1
        bnez    $t0, 3b
4:      move    $a0, $s0                # the 16 bytes at OFFSET
        li      $a1, OFFSET
        jal     lseek
        move    $a0, $s0
        move    $a1, $sp
        li      $a2, 16
        jal     read
        la      $a0, msg
        jal     puts
        li      $s1, 0
5:      li      $a0, ' '
        jal     putchar
        addu    $t0, $sp, $s1
        lw      $a0, 0($t0)
        jal     puthex
        addiu   $s1, $s1, 4
        li      $t0, 16
        bne     $s1, $t0, 5b
        li      $a0, '\n'
        jal     putchar
        li      $v0, 0
9:      lw      $ra, 36($sp)
        lw      $s0, 32($sp)
        lw      $s1, 28($sp)
        addiu   $sp, $sp, 40
        jr      $ra

        .rdata
name:   .asciiz "db.dat"
msg:    .asciiz "filewrite: read"
marker: .ascii  "written by a VM!"
