# httpd.s — the Denali guest service: a small web-server-like request/response handler on the
# Ilwaco library OS. It builds a 4 KiB document, then loops: wait for a packet or its 200 ms
# housekeeping tick (the stand-in for TCP's timers: BSD's tcp_fasttimo runs every 200 ms), and
# serve every queued request with the handler of service.s (the same as the guest OS's
# programs/httpd.s under Disco): parse it, copy the requested number of bytes of the document
# into a response with a checksum, send it.
        .include "ilwaco.s"
        .include "service.s"

        .set    TICK_MS, 200

        .text
main:
        addiu   $sp, $sp, -32
        sw      $ra, 28($sp)
        sw      $s0, 24($sp)
        sw      $s1, 20($sp)
        sw      $s2, 16($sp)
        la      $a0, banner
        jal     ilw_puts
        la      $a0, doc                # the document: a word pattern seeded by the VM's number
        lw      $a1, VR_VMID($zero)
        jal     http_doc
        lw      $t0, VR_CLOCKKHZ($zero)
        li      $t1, TICK_MS
        multu   $t0, $t1
        mflo    $s1                     # s1 = tick [cycles]
        lw      $t0, VR_TIMELO($zero)
        addu    $s2, $t0, $s1           # s2 = next housekeeping deadline
loop:
        move    $a0, $s2
        jal     ilw_wait
        andi    $t0, $v0, IRQ_NET
        bnez    $t0, serve
        # housekeeping tick
        la      $t0, ticks
        lw      $t1, 0($t0)
        addiu   $t1, $t1, 1
        sw      $t1, 0($t0)
        addu    $s2, $s2, $s1
        lw      $t1, VR_TIMELO($zero)
        subu    $t2, $s2, $t1
        bgtz    $t2, loop
        addu    $s2, $t1, $s1           # fell behind (descheduled): next tick from now
        b       loop
serve:
        la      $a0, req
        li      $a1, 64
        jal     ilw_recv
        blez    $v0, loop
        jal     handle
        lw      $t0, VR_PENDING($zero)  # more queued? (the kernel keeps the bit while any are)
        andi    $t0, $t0, IRQ_NET
        bnez    $t0, serve
        b       loop

# handle: the request in `req` -> a response in `resp`, sent
handle:
        addiu   $sp, $sp, -8
        sw      $ra, 4($sp)
        la      $a0, req
        la      $a1, resp
        la      $a2, doc
        jal     http_handle
        la      $a0, resp
        move    $a1, $v0
        jal     ilw_send
        lw      $ra, 4($sp)
        addiu   $sp, $sp, 8
        jr      $ra

        .data
banner: .asciiz "ilwaco httpd up\n"
        .align  2
ticks:  .word   0

        .bss
        .align  2
req:    .space  64
doc:    .space  DOC_BYTES
resp:   .space  DOC_BYTES
