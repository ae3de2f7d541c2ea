# cc — one "compile" job of pmake: reads a source file through many small read() calls into a
# buffer from sbrk, "compiles" it (several hashing passes), writes an "object" into fresh
# demand-zero pages and exits with the hash as its status. Argument: the file name.
        .include "lib/runtime.s"
        .set    PASSES, 5
        .set    OBJ_BYTES, 32768
        .text
main:
        addiu   $sp, $sp, -40
        sw      $ra, 36($sp)
        sw      $s0, 32($sp)
        sw      $s1, 28($sp)
        sw      $s2, 24($sp)
        sw      $s3, 20($sp)
        jal     open
        move    $s0, $v0                # fd
        bltz    $s0, 9f
        move    $a0, $s0
        jal     fsize
        move    $s1, $v0                # size
        addiu   $a0, $s1, 4096
        jal     sbrk
        move    $s2, $v0                # buffer
        li      $s3, 0                  # bytes read
1:      move    $a0, $s0
        addu    $a1, $s2, $s3
        li      $a2, 128
        jal     read
        blez    $v0, 2f
        addu    $s3, $s3, $v0
        b       1b
2:      move    $a0, $s0
        jal     close
        li      $v0, 5381               # hash passes
        li      $t5, 0                  # pass
3:      move    $t1, $s2
        addu    $t2, $s2, $s3
4:      lbu     $t0, 0($t1)
        sll     $t3, $v0, 5
        addu    $v0, $v0, $t3
        addu    $v0, $v0, $t0
        xor     $v0, $v0, $t5
        addiu   $t1, $t1, 1
        bne     $t1, $t2, 4b
        addiu   $t5, $t5, 1
        li      $t0, PASSES
        bne     $t5, $t0, 3b
        move    $s3, $v0
        li      $a0, OBJ_BYTES          # the "object file": touch every page once
        jal     sbrk
        move    $t1, $v0
        li      $t0, OBJ_BYTES
        addu    $t2, $v0, $t0
5:      sw      $s3, 0($t1)
        addiu   $t1, $t1, 4096
        bne     $t1, $t2, 5b
        move    $v0, $s3
9:      lw      $ra, 36($sp)
        lw      $s0, 32($sp)
        lw      $s1, 28($sp)
        lw      $s2, 24($sp)
        lw      $s3, 20($sp)
        addiu   $sp, $sp, 40
        jr      $ra
