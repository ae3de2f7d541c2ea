# tlbwalk.s — touches one word on each of 16 pages, so that every touch is a TLB miss:
# the program of the "tlb-miss-walkthrough" examples (docs/debugging.md, "The TLB-miss path").
# Run it natively and under Disco, break on the `lw` below and trace the next TLB miss: natively
# the guest kernel's refill handler serves it; under Disco the monitor does first.
#
# MIPS32, big-endian, GNU as compatible. System calls: Linux o32 numbers ($v0), as hello.s.

        .text
        .globl  __start
        .set    noreorder

__start:
        la      $s0, table          # the first of PAGES pages of data
        li      $s1, PAGES
        move    $s2, $zero          # the sum of the words read
walk:
        lw      $t0, 0($s0)         # a new page every time: a TLB miss
        addu    $s2, $s2, $t0
        addiu   $s1, $s1, -1
        bnez    $s1, walk
        addiu   $s0, $s0, 4096      # (delay slot) the next page

        li      $v0, 4004           # write(stdout, message, length)
        li      $a0, 1
        la      $a1, message
        li      $a2, length
        syscall

        li      $v0, 4001           # exit(sum == PAGES ? 0 : 1)
        addiu   $a0, $s2, -PAGES
        sltu    $a0, $zero, $a0
        syscall

        .set    PAGES, 16

        .data
message:
        .ascii  "tlbwalk: 16 pages touched\n"
        .set    length, . - message
        .align  12
table:                              # one word read per page, 1 each
        .word   1
        .space  4092
        .word   1
        .space  4092
        .word   1
        .space  4092
        .word   1
        .space  4092
        .word   1
        .space  4092
        .word   1
        .space  4092
        .word   1
        .space  4092
        .word   1
        .space  4092
        .word   1
        .space  4092
        .word   1
        .space  4092
        .word   1
        .space  4092
        .word   1
        .space  4092
        .word   1
        .space  4092
        .word   1
        .space  4092
        .word   1
        .space  4092
        .word   1
        .space  4092
