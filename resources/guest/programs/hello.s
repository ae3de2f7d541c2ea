# hello — the smallest guest program: prints its pid, CPU and argument string; exit status 0.
        .include "lib/runtime.s"
        .text
main:
        addiu   $sp, $sp, -24
        sw      $ra, 20($sp)
        sw      $s0, 16($sp)
        move    $s0, $a0
        la      $a0, msg_hello
        jal     puts
        jal     getpid
        move    $a0, $v0
        jal     putdec
        la      $a0, msg_cpu
        jal     puts
        jal     getcpu
        move    $a0, $v0
        jal     putdec
        la      $a0, msg_args
        jal     puts
        move    $a0, $s0
        jal     puts
        la      $a0, msg_end
        jal     puts
        li      $v0, 0
        lw      $ra, 20($sp)
        lw      $s0, 16($sp)
        addiu   $sp, $sp, 24
        jr      $ra

        .rdata
msg_hello:      .asciiz "hello from pid "
msg_cpu:        .asciiz " on cpu "
msg_args:       .asciiz ", args \""
msg_end:        .asciiz "\"\n"
