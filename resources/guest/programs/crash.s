# crash — asks the kernel to fault on purpose (system call 19): the run must end in a panic
# report ("PANIC: kernel exception cause=AdEL pc=... badvaddr=0xdeadbeef" + registers).
        .include "lib/runtime.s"
        .text
main:
        addiu   $sp, $sp, -24
        sw      $ra, 20($sp)
        la      $a0, msg
        jal     puts
        jal     crash
        lw      $ra, 20($sp)
        addiu   $sp, $sp, 24
        jr      $ra
        .rdata
msg:    .asciiz "crash: asking the kernel to fault\n"
