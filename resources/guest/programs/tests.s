# tests — init for the kernel's self-tests: runs hello, a faulting program and an infinite loop
# (with a 3-tick CPU limit) concurrently, waits for all three and checks that the kernel killed
# the bad ones while hello completed. Prints each child's status; exit status 0 = as expected.
        .include "lib/runtime.s"
        .text
main:
        addiu   $sp, $sp, -40
        sw      $ra, 36($sp)
        sw      $s0, 32($sp)
        sw      $s1, 28($sp)
        sw      $s2, 24($sp)
        la      $a0, n_loop
        move    $a1, $zero
        li      $a2, 3                  # CPU limit: 3 ticks
        jal     spawn
        la      $a0, n_badptr
        move    $a1, $zero
        move    $a2, $zero
        jal     spawn
        la      $a0, n_hello
        la      $a1, a_hello
        move    $a2, $zero
        jal     spawn
        la      $a0, n_nothere
        move    $a1, $zero
        move    $a2, $zero
        jal     spawn
        move    $s2, $v0                # -2: no such program
        li      $s0, 0                  # sum of statuses
        li      $s1, 3
1:      addiu   $a0, $sp, 16
        jal     wait
        la      $a0, msg_child
        jal     puts
        lw      $a0, 16($sp)
        addu    $s0, $s0, $a0
        jal     putdec
        li      $a0, '\n'
        jal     putchar
        addiu   $s1, $s1, -1
        bnez    $s1, 1b
        addiu   $a0, $sp, 16
        jal     wait                    # no more children: -10
        addu    $s2, $s2, $v0
        la      $a0, msg_sum
        jal     puts
        move    $a0, $s0
        jal     putdec
        la      $a0, msg_err
        jal     puts
        move    $a0, $s2
        jal     putdec
        li      $a0, '\n'
        jal     putchar
        addiu   $v0, $s0, 10            # expect 0 (hello) − 1 (badptr) − 9 (loop) = −10
        addiu   $t0, $s2, 12            # expect −2 (ENOENT) + −10 (ECHILD) = −12
        or      $v0, $v0, $t0
        lw      $ra, 36($sp)
        lw      $s0, 32($sp)
        lw      $s1, 28($sp)
        lw      $s2, 24($sp)
        addiu   $sp, $sp, 40
        jr      $ra
        .rdata
n_loop:         .asciiz "loop"
n_badptr:       .asciiz "badptr"
n_hello:        .asciiz "hello"
n_nothere:      .asciiz "nothere"
a_hello:        .asciiz "from tests"
msg_child:      .asciiz "tests: child exited with status "
msg_sum:        .asciiz "tests: status sum "
msg_err:        .asciiz ", error sum "
