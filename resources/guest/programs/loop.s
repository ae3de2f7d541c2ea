# loop — spins forever; its parent spawns it with a CPU-time limit, so the kernel kills it.
        .include "lib/runtime.s"
        .text
main:
        la      $a0, msg
        jal     puts
1:      addiu   $t0, $t0, 1
        b       1b
        .rdata
msg:    .asciiz "loop: spinning\n"
