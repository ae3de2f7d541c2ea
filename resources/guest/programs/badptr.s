# badptr — dereferences a null pointer; the kernel must kill it with a report and go on.
        .include "lib/runtime.s"
        .text
main:
        addiu   $sp, $sp, -24
        sw      $ra, 20($sp)
        la      $a0, msg
        jal     puts
        li      $t0, 0x10
        lw      $v0, 0($t0)             # kuseg page 0 is never mapped: TLBL, killed
        li      $v0, 3                  # not reached
        lw      $ra, 20($sp)
        addiu   $sp, $sp, 24
        jr      $ra
        .rdata
msg:    .asciiz "badptr: about to load from 0x10\n"
