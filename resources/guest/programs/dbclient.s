# dbclient — one database client (decision-support analogue): Q queries, each an lseek + read of
# 4 records of db.dat (through the kernel's buffer cache), aggregation into a 256 KiB hash table
# from sbrk (demand-zero pages, scattered access) and a probe "join" over it.
# Arguments: "id Q". Exit status: a checksum of everything read.
        .include "lib/runtime.s"
        .set    TABLE_WORDS, 65536
        .set    PROBES, 128
        .text
main:
        addiu   $sp, $sp, -200
        sw      $ra, 196($sp)
        sw      $s0, 192($sp)
        sw      $s1, 188($sp)
        sw      $s2, 184($sp)
        sw      $s3, 180($sp)
        sw      $s4, 176($sp)
        sw      $s5, 172($sp)
        jal     atoi
        move    $s0, $v0                # id
        move    $a0, $v1
        jal     atoi
        move    $s1, $v0                # Q
        la      $a0, dbname
        jal     open
        move    $s2, $v0                # fd
        bltz    $s2, 9f
        li      $a0, TABLE_WORDS * 4
        jal     sbrk
        move    $s3, $v0                # table
        li      $t0, 7777
        mul     $s4, $s0, $t0
        addiu   $s4, $s4, 1             # x
        li      $s5, 0                  # checksum
1:      beqz    $s1, 8f
        move    $a0, $s4
        jal     rand_next
        move    $s4, $v0
        srl     $t0, $s4, 8
        andi    $t0, $t0, 4095
        sltiu   $t1, $t0, 4093
        bnez    $t1, 2f
        li      $t0, 4092
2:      sll     $a1, $t0, 5             # record × 32
        move    $a0, $s2
        jal     lseek
        move    $a0, $s2
        addiu   $a1, $sp, 16
        li      $a2, 128
        jal     read
        addiu   $t9, $sp, 16            # 4 records: {key, value, category, …}
        li      $t8, 4
3:      lw      $t0, 4($t9)             # value
        li      $t1, 0x9e3779b1
        mul     $t2, $t0, $t1
        srl     $t2, $t2, 16            # slot
        sll     $t3, $t2, 2
        addu    $t3, $t3, $s3
        lw      $t4, 0($t3)
        addu    $t4, $t4, $t0
        sw      $t4, 0($t3)
        lw      $t5, 0($t9)             # key
        xor     $t4, $t4, $t5
        addu    $s5, $s5, $t4
        li      $t7, PROBES             # join: probe slot + k² for k < PROBES
        li      $t6, 0
4:      mul     $t0, $t6, $t6
        addu    $t0, $t0, $t2
        andi    $t0, $t0, TABLE_WORDS - 1
        sll     $t0, $t0, 2
        addu    $t0, $t0, $s3
        lw      $t0, 0($t0)
        addu    $s5, $s5, $t0
        addiu   $t6, $t6, 1
        bne     $t6, $t7, 4b
        addiu   $t9, $t9, 32
        addiu   $t8, $t8, -1
        bnez    $t8, 3b
        addiu   $s1, $s1, -1
        b       1b
8:      move    $a0, $s2
        jal     close
        move    $v0, $s5
9:      lw      $ra, 196($sp)
        lw      $s0, 192($sp)
        lw      $s1, 188($sp)
        lw      $s2, 184($sp)
        lw      $s3, 180($sp)
        lw      $s4, 176($sp)
        lw      $s5, 172($sp)
        addiu   $sp, $sp, 200
        jr      $ra
        .rdata
dbname: .asciiz "db.dat"
