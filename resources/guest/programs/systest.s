# systest — checks the system calls' results and error codes (docs/guest-syscalls.md), one
# numbered check after another. Prints "systest: all N checks passed" and exits 0, or prints the
# number of the first failing check and exits with it.
        .include "lib/runtime.s"
        .text

# CHECK n, expected: fails with n unless $v0 == expected (expected: a constant)
        .macro  CHECK n, expected
        li      $t0, \expected
        li      $s7, \n
        bne     $v0, $t0, fail
        .endm

main:
        addiu   $sp, $sp, -64
        sw      $ra, 60($sp)
        sw      $s0, 56($sp)
        sw      $s7, 52($sp)
        li      $a0, -4096              # sbrk: negative increment
        jal     sbrk
        CHECK   1, -22
        li      $a0, 7                  # read: bad fd
        move    $a1, $sp
        li      $a2, 4
        jal     read
        CHECK   2, -9
        li      $a0, 1                  # write: pointer into kernel space
        li      $a1, 0x80000000
        li      $a2, 4
        jal     write
        CHECK   3, -14
        li      $a0, 5                  # write: not the console
        la      $a1, name_db
        li      $a2, 1
        jal     write
        CHECK   4, -9
        la      $a0, name_missing       # open: no such file
        jal     open
        CHECK   5, -2
        li      $a0, 3                  # close: not open
        jal     close
        CHECK   6, -9
        la      $a0, name_db            # four opens succeed (fds 3..6), the fifth fails
        jal     open
        CHECK   7, 3
        la      $a0, name_db
        jal     open
        CHECK   8, 4
        la      $a0, name_db
        jal     open
        CHECK   9, 5
        la      $a0, name_db
        jal     open
        CHECK   10, 6
        la      $a0, name_db
        jal     open
        CHECK   11, -24
        li      $a0, 4                  # fsize of db.dat: 4096 records × 32 bytes
        jal     fsize
        CHECK   12, 131072
        li      $a0, 4                  # lseek past the end clamps to the size
        li      $a1, 200000
        jal     lseek
        CHECK   13, 131072
        li      $a0, 4                  # read at the end: 0
        move    $a1, $sp
        li      $a2, 16
        jal     read
        CHECK   14, 0
        li      $a0, 4                  # record 5 = {key 5, ...}: read 8 bytes across nothing special
        li      $a1, 5 * 32
        jal     lseek
        li      $a0, 4
        move    $a1, $sp
        li      $a2, 8
        jal     read
        CHECK   15, 8
        lw      $v0, 0($sp)
        CHECK   16, 5
        li      $a0, 4                  # a read straddling a sector boundary (offset 508)
        li      $a1, 15 * 32 + 28
        jal     lseek
        li      $a0, 4
        move    $a1, $sp
        li      $a2, 8
        jal     read
        CHECK   17, 8
        lw      $v0, 4($sp)             # key of record 16
        CHECK   18, 16
        li      $a0, 3
        jal     close
        CHECK   19, 0
        li      $a0, 3                  # a second close of the same fd
        jal     close
        CHECK   20, -9
        jal     wait                    # no children
        CHECK   21, -10
        jal     getpid
        CHECK   22, 1
        jal     yield
        CHECK   23, 0
        li      $v0, 18                 # an unassigned system call number
        syscall
        CHECK   24, -38
        li      $v0, 1000
        syscall
        CHECK   25, -38
        li      $a0, 0                  # shm: 0 pages is invalid
        jal     shm
        CHECK   26, -22
        li      $a0, 2                  # create 2 pages; write, read back
        jal     shm
        CHECK   27, 0x40000000
        li      $t0, 0x1234
        sw      $t0, 4096($v0)
        lw      $v0, 4096($v0)
        CHECK   28, 0x1234
        li      $a0, 3                  # more pages than the segment has
        jal     shm
        CHECK   29, -22
        li      $a0, 1                  # barrier of one returns at once
        jal     barrier
        CHECK   30, 0
        li      $a0, 0                  # console input: nothing queued after the command line
        move    $a1, $sp
        li      $a2, 4
        jal     read
        CHECK   31, 0
        li      $a0, 0                  # sbrk(0) = current break; a page there is demand-zero
        jal     sbrk
        move    $s0, $v0
        li      $a0, 8192
        jal     sbrk
        subu    $v0, $v0, $s0
        CHECK   32, 0
        lw      $v0, 4100($s0)
        CHECK   33, 0
        li      $a0, 1                  # write from a demand-zero page is fine (zero bytes → 0 length)
        move    $a1, $s0
        li      $a2, 0
        jal     write
        CHECK   34, 0
        jal     ncpus
        sltiu   $v0, $v0, 33
        CHECK   35, 1
        jal     time                    # the clock moves forward
        move    $s0, $v0
        jal     time
        sltu    $v0, $s0, $v0
        CHECK   36, 1
        la      $a0, msg_ok
        jal     puts
        li      $a0, 36
        jal     putdec
        la      $a0, msg_ok2
        jal     puts
        li      $v0, 0
        b       9f
fail:   la      $a0, msg_fail
        jal     puts
        move    $a0, $s7
        jal     putdec
        li      $a0, '\n'
        jal     putchar
        move    $v0, $s7
9:      lw      $ra, 60($sp)
        lw      $s0, 56($sp)
        lw      $s7, 52($sp)
        addiu   $sp, $sp, 64
        jr      $ra
        .rdata
name_db:        .asciiz "db.dat"
name_missing:   .asciiz "missing"
msg_ok:         .asciiz "systest: all "
msg_ok2:        .asciiz " checks passed\n"
msg_fail:       .asciiz "systest: FAILED check "
