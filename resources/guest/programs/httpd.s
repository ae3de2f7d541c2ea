# httpd — the web-server-like service of the Denali guest, as a process of the guest OS: the same
# request handler (denali/service.s), here answering the load generator's clients over Disco's
# virtual network (an experiment's `load`; docs/disco.md "Serving clients"). It builds the 4 KiB
# document, then loops: wait for a request or its 200 ms housekeeping tick (net_recv with a
# timeout of 20 ticks, the stand-in for TCP's timers, as in the Denali guest), answer it with
# net_send to its sender. It runs until the monitor powers the machine off when every client is
# done. Without a network (the bare machine, or a VM of the file service) it says why and exits 1.
        .include "lib/runtime.s"
        .include "denali/service.s"

        .set    TICK_TICKS, 20          # 200 ms of 10 ms ticks

        .text
main:
        addiu   $sp, $sp, -24
        sw      $ra, 20($sp)
        sw      $s0, 16($sp)
        la      $a0, doc
        li      $a1, 0
        jal     http_doc
        la      $a0, msg_up
        jal     puts
loop:
        la      $a0, msg                # { sender, request }
        li      $a1, 64
        li      $a2, TICK_TICKS
        jal     net_recv
        bltz    $v0, fail
        beqz    $v0, tick
        la      $a0, msg + 4
        la      $a1, resp
        la      $a2, doc
        jal     http_handle
        move    $s0, $v0
send:   lw      $a0, msg                # the answer to its sender
        la      $a1, resp
        move    $a2, $s0
        jal     net_send
        li      $t0, -11                # EAGAIN: the receiver's queue is full
        bne     $v0, $t0, loop
        jal     yield
        b       send
tick:   la      $t0, ticks              # housekeeping
        lw      $t1, 0($t0)
        addiu   $t1, $t1, 1
        sw      $t1, 0($t0)
        b       loop
fail:   move    $s0, $v0
        la      $a0, msg_fail
        jal     puts
        move    $a0, $s0
        jal     putdec
        la      $a0, msg_close
        jal     puts
        li      $v0, 1
        lw      $ra, 20($sp)
        lw      $s0, 16($sp)
        addiu   $sp, $sp, 24
        jr      $ra

        .data
msg_up:         .asciiz "httpd up\n"
msg_fail:       .asciiz "httpd: no network for processes (net_recv: "
msg_close:      .asciiz ")\n"
        .align  2
ticks:          .word   0

        .bss
        .align  2
msg:            .space  64
doc:            .space  DOC_BYTES
resp:           .space  DOC_BYTES
