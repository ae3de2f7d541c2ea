# raytrace — parallel rendering on shared memory (SPLASH-2 raytrace analogue). Creates the shared
# segment (a lock, a done counter, the frame count, one read-only scene per frame and a 128×128
# image), spawns W workers, waits, and prints a checksum of the image (each pixel summed over the
# frames). Arguments "W S K": W workers (default 4; the result does not depend on W or on the
# number of CPUs), S frames — the size (default SIZE, at most 31: the scenes share page 0);
# K: 0 (default) — each frame's 8 spheres are the scene; else a large read-shared scene of K KiB
# (a power of two, 16 … 4096: K × 64 spheres after the image): each pixel's rays meet one page
# of it picked by a hash of (pixel, frame), as coherent rays traverse one part of a big scene,
# and every sample tests 8 spheres of that page (so the scene's lines, not arithmetic, dominate).
# Exit status 0 when every worker reported done.
        .include "lib/runtime.s"

        # The next sphere of a scene at t1 from the LCG state (a0 = t8; t8 = the new state):
        # {sx, sy 0 … 127, r² with r = rbase + (rmask & bits), depth weight 1 … 16}.
        .macro  SPHERE_GEN rmask, rbase
        jal     rand_next
        move    $t8, $v0
        srl     $t0, $t8, 8
        andi    $t0, $t0, 127
        sw      $t0, 0($t1)             # sx
        srl     $t0, $t8, 16
        andi    $t0, $t0, 127
        sw      $t0, 4($t1)             # sy
        srl     $t0, $t8, 24
        andi    $t0, $t0, \rmask
        addiu   $t0, $t0, \rbase
        mul     $t0, $t0, $t0
        sw      $t0, 8($t1)             # r²
        andi    $t0, $t8, 15
        addiu   $t0, $t0, 1
        sw      $t0, 12($t1)            # depth weight
        .endm
        .set    NPAGES, 17              # page 0: lock, done, frames, scenes; pages 1-16: the image
        .set    NSPHERES, 8
        .set    PIXELS, 16384
        .set    SIZE, 2
        .set    MAXFRAMES, 31
        .set    MAXSCENEKB, 4096
        .text
main:
        addiu   $sp, $sp, -32
        sw      $ra, 28($sp)
        sw      $s0, 24($sp)
        sw      $s1, 20($sp)
        sw      $s2, 16($sp)
        sw      $s3, 12($sp)
        sw      $s4, 8($sp)
        jal     atoi
        move    $s0, $v0
        bnez    $s0, 1f
        li      $s0, 4
1:      move    $a0, $v1
        jal     atoi
        move    $s2, $v0                # S frames
        bnez    $s2, 11f
        li      $s2, SIZE
11:     sltiu   $t0, $s2, MAXFRAMES + 1
        bnez    $t0, 12f
        li      $s2, MAXFRAMES
12:     move    $a0, $v1
        jal     atoi
        move    $s3, $v0                # K
        beqz    $s3, 14f
        li      $t1, MAXSCENEKB + 1
        sltiu   $t0, $s3, 16            # 16 … MAXSCENEKB, rounded down to a power of two
        beqz    $t0, 15f
        li      $s3, 16
15:     sltu    $t0, $s3, $t1
        bnez    $t0, 16f
        li      $s3, MAXSCENEKB
16:     li      $t1, 1
17:     sll     $t2, $t1, 1
        sltu    $t0, $s3, $t2
        bnez    $t0, 18f
        move    $t1, $t2
        b       17b
18:     move    $s3, $t1
14:     srl     $a0, $s3, 2
        addiu   $a0, $a0, NPAGES
        jal     shm
        move    $s1, $v0                # shared base
        sw      $s2, 8($s1)             # frames
        sw      $s3, 12($s1)            # K
        beqz    $s3, 19f
        sll     $s4, $s3, 6             # the big scene: K × 64 spheres {sx, sy, r², depth}
        li      $t1, NPAGES * 4096
        addu    $t1, $s1, $t1
        li      $t8, 1997
13:     move    $a0, $t8
        SPHERE_GEN 15, 4
        addiu   $t1, $t1, 16
        addiu   $s4, $s4, -1
        bnez    $s4, 13b
19:
        li      $t8, 2024               # scenes: spheres {sx, sy, r², depth} from an LCG
        addiu   $t1, $s1, 64
        sll     $t2, $s2, 3             # NSPHERES per frame
2:      move    $a0, $t8
        SPHERE_GEN 31, 12
        addiu   $t1, $t1, 16
        addiu   $t2, $t2, -1
        bnez    $t2, 2b
        li      $s2, 0                  # spawn W workers "id W"
3:      la      $a0, wname
        move    $a1, $s2
        move    $a2, $s0
        jal     spawn_n
        addiu   $s2, $s2, 1
        bne     $s2, $s0, 3b
        move    $a0, $s0
        jal     wait_all
        li      $v0, 0                  # checksum = Σ pixel × (index + 1)
        addiu   $t1, $s1, 4096
        li      $t2, 1
        li      $t3, PIXELS + 1
4:      lw      $t0, 0($t1)
        mul     $t0, $t0, $t2
        addu    $v0, $v0, $t0
        addiu   $t1, $t1, 4
        addiu   $t2, $t2, 1
        bne     $t2, $t3, 4b
        move    $a1, $v0
        la      $a0, msg
        jal     report
        lw      $t0, 4($s1)             # done counter
        xor     $v0, $t0, $s0
        lw      $ra, 28($sp)
        lw      $s0, 24($sp)
        lw      $s1, 20($sp)
        lw      $s2, 16($sp)
        lw      $s3, 12($sp)
        lw      $s4, 8($sp)
        addiu   $sp, $sp, 32
        jr      $ra
        .rdata
wname:  .asciiz "rtworker"
msg:    .asciiz "raytrace: 128x128, checksum "
