# hello.s — the smallest Disco Lab guest program: print a line, exit with status 0.
#
# MIPS32, big-endian, GNU as compatible: `mips-linux-gnu-as -march=mips32 -O0`
# assembles it to the same bytes. System calls follow the Linux o32 convention,
# so it also runs under qemu-mips: $v0 = call number, arguments in $a0..$a2.
#   4004 write(fd, buf, len)      4001 exit(status)

        .text
        .globl  __start
        .set    noreorder           # branch delay slots are written out explicitly

__start:
        li      $v0, 4004           # write(
        li      $a0, 1              #   stdout,
        la      $a1, message        #   message,
        li      $a2, length         #   length)
        syscall

        li      $v0, 4001           # exit(
        li      $a0, 0              #   0)
        syscall

        .data
message:
        .ascii  "Hello from a Disco Lab guest!\n"
        .set    length, . - message
