# httpd.s — the Denali guest service: a small web-server-like request/response handler on the
# Ilwaco library OS. It builds a 4 KiB document, then loops: wait for a packet or its 200 ms
# housekeeping tick (the stand-in for TCP's timers: BSD's tcp_fasttimo runs every 200 ms), and
# serve every queued request — parse it,
# copy the requested number of bytes of the document into a response with a checksum, send it.
# Request (from the load generator): sequence number, type, response size [bytes].
# Response: sequence number, size, checksum, body (size - 12 bytes).
        .include "ilwaco.s"

        .set    TICK_MS, 200
        .set    DOC_BYTES, 4096

        .text
main:
        addiu   $sp, $sp, -32
        sw      $ra, 28($sp)
        sw      $s0, 24($sp)
        sw      $s1, 20($sp)
        sw      $s2, 16($sp)
        la      $a0, banner
        jal     ilw_puts
        # the document: a word pattern seeded by the VM's number
        lw      $t2, VR_VMID($zero)
        la      $t0, doc
        li      $t1, DOC_BYTES / 4
1:      sw      $t2, 0($t0)
        addiu   $t2, $t2, 0x3b9
        addiu   $t0, $t0, 4
        addiu   $t1, $t1, -1
        bnez    $t1, 1b
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
        la      $t0, req
        lw      $t1, 0($t0)             # sequence number
        lw      $t2, 8($t0)             # response size
        li      $t3, DOC_BYTES
        sltu    $t4, $t3, $t2
        beqz    $t4, 1f
        move    $t2, $t3                # at most the document
1:      li      $t3, 12
        sltu    $t4, $t2, $t3
        beqz    $t4, 2f
        move    $t2, $t3                # at least the header
2:      # parse: 16 rounds of a hash over the request (the header-parsing stand-in)
        lw      $t5, 4($t0)
        li      $t4, 16
3:      sll     $t6, $t5, 5
        addu    $t5, $t5, $t6
        xor     $t5, $t5, $t1
        addiu   $t4, $t4, -1
        bnez    $t4, 3b
        la      $t3, resp
        sw      $t1, 0($t3)
        sw      $t2, 4($t3)
        # body: (size - 12) / 4 words of the document, with a checksum
        addiu   $t4, $t2, -12
        srl     $t4, $t4, 2
        la      $t6, doc
        addiu   $t7, $t3, 12
        move    $t8, $t5
4:      blez    $t4, 5f
        lw      $t9, 0($t6)
        xor     $t8, $t8, $t9
        sw      $t9, 0($t7)
        addiu   $t6, $t6, 4
        addiu   $t7, $t7, 4
        addiu   $t4, $t4, -1
        b       4b
5:      sw      $t8, 8($t3)
        move    $a0, $t3
        move    $a1, $t2
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
