# bare-hello.s — a bare-metal multiprocessor program for Disco Lab (no OS, no TLB).
#
# Every CPU starts at __start in kernel mode (kseg0, cached). CPU 0 says hello, does a little
# work, then sends an inter-processor interrupt to CPU 1, which does the same and passes the
# token on; the last CPU powers the machine off with exit status 0. Waiting CPUs sleep in
# `wait` (their time is charged to idle) with only the IPI line (IP4) unmasked and interrupts
# disabled (Status.IE = 0), so `wait` returns when the IPI arrives without taking an exception.
#
# The work: each CPU sums 4 KiB of memory on its own node (local misses) and 4 KiB on node 0
# (remote misses for CPUs of other nodes), then atomically adds its id + 1 to a shared counter
# with ll/sc (coherence traffic). The last CPU checks the counter: n(n+1)/2 → exit 0, else 1.
#
# Devices (docs/physical-address-map.md), reached uncached through kseg1 at 0xBF000000:
#   console TX 0xBF000000, IPI SEND 0xBF002000 / PENDING 0xBF002004 / CLEAR 0xBF002008,
#   power EXIT 0xBF003000, sysinfo CPU_ID 0xBF004000, NODE_ID 0xBF004004, NCPUS 0xBF004008,
#   NODE_BYTES 0xBF004014.
#
# Run: disco-lab run resources/examples/experiments/bare-hello.json
# Build by hand with the reference toolchain (the same addresses `disco-lab run` uses):
#   mips-linux-gnu-as -march=mips32 -O0 bare-hello.s -o bare-hello.o
#   mips-linux-gnu-ld -static -e __start -Ttext=0x80001000 -Tdata=0x80080000 bare-hello.o -o bare-hello.elf

        .text
        .globl  __start
__start:
        li      $t0, 0x1000             # Status: IM4 only; clears BEV and ERL; kernel mode, IE = 0
        mtc0    $t0, $12
        lui     $s0, 0xbf00             # device window (kseg1)
        lw      $s1, 0x4000($s0)        # s1 = CPU id
        lw      $s2, 0x4008($s0)        # s2 = number of CPUs
        lw      $s3, 0x4004($s0)        # s3 = node id
        bnez    $s1, wait_turn
        nop

turn:
        la      $a0, msg_hello          # "hello from CPU "
        jal     puts
        nop
        addiu   $a0, $s1, '0'
        jal     putdigit
        nop
        la      $a0, msg_node           # " on node "
        jal     puts
        nop
        addiu   $a0, $s3, '0'
        jal     putdigit
        nop
        li      $a0, '\n'
        sw      $a0, 0($s0)

        # sum 4 KiB of local memory: node base = node id × NODE_BYTES, + 1 MiB, in kseg0
        lw      $t0, 0x4014($s0)
        multu   $s3, $t0
        mflo    $a0
        lui     $t1, 0x8010             # kseg0 + 1 MiB
        addu    $a0, $a0, $t1
        jal     sum4k
        nop
        lui     $a0, 0x8020             # node 0, 2 MiB: remote for CPUs of other nodes
        jal     sum4k
        nop

        # atomic add (id + 1) to the shared counter
        la      $t0, counter
1:      ll      $t1, 0($t0)
        addu    $t1, $t1, $s1
        addiu   $t1, $t1, 1
        sc      $t1, 0($t0)
        beqz    $t1, 1b
        nop

        addiu   $t0, $s1, 1
        beq     $t0, $s2, last
        nop
        li      $t1, 1                  # pass the token: IPI to CPU id + 1
        sllv    $t1, $t1, $t0
        sw      $t1, 0x2000($s0)
done:
        wait                            # nothing left to do: sleep for good
        b       done
        nop

last:
        la      $t0, counter            # expected n(n+1)/2
        lw      $t1, 0($t0)
        addiu   $t2, $s2, 1
        multu   $t2, $s2
        mflo    $t2
        srl     $t2, $t2, 1
        la      $a0, msg_bye
        jal     puts
        nop
        li      $t3, 0
        beq     $t1, $t2, 2f
        nop
        li      $t3, 1
2:      sw      $t3, 0x3000($s0)        # power off with exit status t3
3:      b       3b
        nop

wait_turn:
        wait
        lw      $t0, 0x2004($s0)        # pending IPIs
        beqz    $t0, wait_turn
        nop
        sw      $t0, 0x2008($s0)        # clear them
        b       turn
        nop

# puts(a0 = NUL-terminated string)
puts:
        lbu     $t0, 0($a0)
        beqz    $t0, 1f
        nop
        sw      $t0, 0($s0)
        addiu   $a0, $a0, 1
        b       puts
        nop
1:      jr      $ra
        nop

# putdigit(a0 = character)
putdigit:
        sw      $a0, 0($s0)
        jr      $ra
        nop

# sum4k(a0 = kseg0 address): v0 = sum of 1024 words
sum4k:
        li      $v0, 0
        li      $t2, 1024
1:      lw      $t0, 0($a0)
        addu    $v0, $v0, $t0
        addiu   $a0, $a0, 4
        addiu   $t2, $t2, -1
        bnez    $t2, 1b
        nop
        jr      $ra
        nop

        .data
        .align  2
counter:
        .word   0
msg_hello:
        .asciiz  "hello from CPU "
msg_node:
        .asciiz  " on node "
msg_bye:
        .asciiz  "all CPUs said hello; powering off\n"
