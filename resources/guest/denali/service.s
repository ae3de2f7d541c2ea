# service.s — the request handler of the web-server-like service, one copy for both systems:
# the Denali guest (denali/httpd.s, on the Ilwaco library OS) and the guest OS's program
# (programs/httpd.s, under Disco). Pure functions: no system or monitor calls.
# Request (from the load generator): sequence number, type, response size [bytes].
# Response: sequence number, size, checksum, body (size - 12 bytes of the document).

        .set    DOC_BYTES, 4096

        .text
# http_doc(a0 = document, a1 = seed): the DOC_BYTES document, a word pattern from the seed
http_doc:
        li      $t1, DOC_BYTES / 4
1:      sw      $a1, 0($a0)
        addiu   $a1, $a1, 0x3b9
        addiu   $a0, $a0, 4
        addiu   $t1, $t1, -1
        bnez    $t1, 1b
        jr      $ra

# http_handle(a0 = request, a1 = response buffer (DOC_BYTES), a2 = document) -> v0 = the
# response's length: parse the request (16 rounds of a hash, the header-parsing stand-in), copy
# the requested number of bytes of the document (12 ... DOC_BYTES) with a checksum
http_handle:
        lw      $t1, 0($a0)             # sequence number
        lw      $t2, 8($a0)             # response size
        li      $t3, DOC_BYTES
        sltu    $t4, $t3, $t2
        beqz    $t4, 1f
        move    $t2, $t3                # at most the document
1:      li      $t3, 12
        sltu    $t4, $t2, $t3
        beqz    $t4, 2f
        move    $t2, $t3                # at least the header
2:      lw      $t5, 4($a0)
        li      $t4, 16
3:      sll     $t6, $t5, 5
        addu    $t5, $t5, $t6
        xor     $t5, $t5, $t1
        addiu   $t4, $t4, -1
        bnez    $t4, 3b
        sw      $t1, 0($a1)
        sw      $t2, 4($a1)
        addiu   $t4, $t2, -12           # body: (size - 12) / 4 words, with a checksum
        srl     $t4, $t4, 2
        move    $t6, $a2
        addiu   $t7, $a1, 12
        move    $t8, $t5
4:      blez    $t4, 5f
        lw      $t9, 0($t6)
        xor     $t8, $t8, $t9
        sw      $t9, 0($t7)
        addiu   $t6, $t6, 4
        addiu   $t7, $t7, 4
        addiu   $t4, $t4, -1
        b       4b
5:      sw      $t8, 8($a1)
        move    $v0, $t2
        jr      $ra
