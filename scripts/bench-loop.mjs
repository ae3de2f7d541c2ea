// The compute loop both benchmarks run (bench:cpu, and bench:workloads against qemu-mips and
// spim): lw/addu/xor/sll/addu/sw/addiu/addiu/bnez+slot over a 4 KiB array `arr`, `n` times.
// Plain MIPS32 in noreorder form with explicit delay slots, so GNU as and spim take it as is.

/** Instructions per iteration of the outer loop (10 per inner iteration × 1024, plus 5). */
export const LOOP_PER_ITER = 10 * 1024 + 5;

export const LOOP_BODY = (n) => `
    li $s0, ${n}
    li $s2, 0
outer:
    la $t0, arr
    li $t1, 1024
inner:
    lw $t2, 0($t0)
    addu $t2, $t2, $t1
    xor $s2, $s2, $t2
    sll $t3, $t2, 3
    addu $s2, $s2, $t3
    sw $t2, 0($t0)
    addiu $t0, $t0, 4
    addiu $t1, $t1, -1
    bnez $t1, inner
    nop
    addiu $s0, $s0, -1
    bnez $s0, outer
    nop
`;

/** A qemu-mips / run-user program around `body` (result in $s2): writes the 4 result bytes to stdout, exits 0. */
export const userProgram = (body, data) => `    .set noreorder
    .text
    .globl __start
__start:${body}
    la $t0, out
    sw $s2, 0($t0)
    li $v0, 4004
    li $a0, 1
    move $a1, $t0
    li $a2, 4
    syscall
    li $v0, 4001
    li $a0, 0
    syscall
    .data
out: .word 0
${data}
`;

/** The same for spim: `main`, prints $s2 as an integer and exits (spim's syscalls 1 and 10). */
export const spimProgram = (body, data) => `    .set noreorder
    .text
    .globl main
main:${body}
    move $a0, $s2
    li $v0, 1
    syscall
    li $v0, 10
    syscall
    .data
${data}
`;
