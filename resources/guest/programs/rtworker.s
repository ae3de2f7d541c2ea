# rtworker — one raytrace worker: attaches the shared segment, meets the others at a barrier,
# renders rows id, id+W, … of every frame (8 samples per pixel against every sphere of the
# frame's shared scene — or, with a big scene, against 8 spheres of one page of it: the page
# picked by a hash of pixel and frame (a pixel's rays are coherent and meet the same part of the
# scene), the spheres by a hash of the sample; each pixel sums its frames' values), then bumps the shared done
# counter under an LL/SC spinlock. Arguments: "id W"; the number of frames and the big scene's
# size K [KiB] (0: none) are in the shared segment.
        .include "lib/runtime.s"

        # One ray sample (a0, a1: its position ×4) against the sphere at t8 {sx, sy, r², depth}:
        # v0 = max(v0, (r² − d²) × depth) when inside; `next` is where a miss or a dimmer hit goes.
        .macro  SPHERE next
        lw      $t0, 0($t8)
        sll     $t0, $t0, 2
        subu    $t0, $a0, $t0           # dx (×4)
        lw      $t1, 4($t8)
        sll     $t1, $t1, 2
        subu    $t1, $a1, $t1           # dy (×4)
        mul     $t0, $t0, $t0
        mul     $t1, $t1, $t1
        addu    $t0, $t0, $t1
        srl     $t0, $t0, 4             # d² in pixels²
        lw      $t1, 8($t8)             # r²
        sltu    $t2, $t0, $t1
        beqz    $t2, \next
        subu    $t1, $t1, $t0           # inside: shade = (r² − d²) × depth
        lw      $t2, 12($t8)
        mul     $t1, $t1, $t2
        sltu    $t2, $v0, $t1           # keep the brightest hit
        beqz    $t2, \next
        move    $v0, $t1
        .endm
        .set    NPAGES, 17
        .set    NSPHERES, 8
        .set    SAMPLES, 8
        .text
main:
        addiu   $sp, $sp, -40
        sw      $ra, 36($sp)
        sw      $s0, 32($sp)
        sw      $s1, 28($sp)
        sw      $s2, 24($sp)
        sw      $s3, 20($sp)
        sw      $s4, 16($sp)
        sw      $s5, 12($sp)
        sw      $s6, 8($sp)
        jal     atoi
        move    $s0, $v0                # id
        move    $a0, $v1
        jal     atoi
        move    $s1, $v0                # W
        li      $a0, NPAGES
        jal     shm
        move    $s2, $v0                # shared base
        lw      $a0, 12($s2)            # K: attach the big scene too
        beqz    $a0, 9f
        srl     $a0, $a0, 2
        addiu   $a0, $a0, NPAGES
        jal     shm
9:      move    $a0, $s1
        jal     barrier
        lw      $a2, 12($s2)
        srl     $a2, $a2, 2
        addiu   $a2, $a2, -1            # big scene: page index mask
        li      $a3, NPAGES * 4096
        addu    $a3, $a3, $s2           # big scene: base
        addiu   $s5, $s2, 64            # this frame's scene
        lw      $s6, 8($s2)             # frames left
0:      move    $s3, $s0                # y
1:      sltiu   $t0, $s3, 128
        beqz    $t0, 7f
        li      $s4, 0                  # x
2:      li      $v0, 0                  # pixel value
        li      $t9, 0                  # sample
3:      sll     $t0, $s4, 2             # sample position ×4 (sub-pixel)
        andi    $t1, $t9, 1
        addu    $a0, $t0, $t1
        sll     $t0, $s3, 2
        srl     $t1, $t9, 1
        addu    $a1, $t0, $t1
        lw      $t0, 12($s2)
        bnez    $t0, 10f                # a big scene
        move    $t8, $s5                # spheres
        li      $t7, NSPHERES
4:      SPHERE  5f
5:      addiu   $t8, $t8, 16
        addiu   $t7, $t7, -1
        bnez    $t7, 4b
6:      addiu   $t9, $t9, 1
        li      $t0, SAMPLES
        bne     $t9, $t0, 3b
        sll     $t0, $s3, 7             # image[y × 128 + x] += value
        addu    $t0, $t0, $s4
        sll     $t0, $t0, 2
        addu    $t0, $t0, $s2
        lw      $t1, 4096($t0)
        addu    $v0, $v0, $t1
        sw      $v0, 4096($t0)
        addiu   $s4, $s4, 1
        li      $t0, 128
        bne     $s4, $t0, 2b
        addu    $s3, $s3, $s1
        b       1b
7:      addiu   $s5, $s5, NSPHERES * 16 # the next frame
        addiu   $s6, $s6, -1
        bnez    $s6, 0b
        b       8f
10:     sll     $t3, $s3, 7             # big scene: the pixel's rays meet one page of it,
        addu    $t3, $t3, $s4           # page = ((y·128 + x + frames left · 16411)·2654435761) >> 12 & mask
        li      $t0, 16411
        mul     $t0, $t0, $s6
        addu    $t3, $t3, $t0
        li      $t0, 2654435761
        mul     $t3, $t3, $t0
        srl     $t4, $t3, 12
        and     $t4, $t4, $a2
        sll     $t4, $t4, 12
        addu    $t4, $t4, $a3           # the page
        sll     $t0, $t9, 5             # first sphere: hash bits + 32 × sample; then steps of 37
        addu    $t3, $t3, $t0           # (of the page's 256 spheres)
        li      $t7, NSPHERES
11:     addiu   $t3, $t3, 37
        andi    $t8, $t3, 255
        sll     $t8, $t8, 4
        addu    $t8, $t8, $t4
        SPHERE  12f
12:     addiu   $t7, $t7, -1
        bnez    $t7, 11b
        b       6b
8:      move    $a0, $s2                # done++ under the shared lock
        jal     spin_lock
        lw      $t0, 4($s2)
        addiu   $t0, $t0, 1
        sw      $t0, 4($s2)
        move    $a0, $s2
        jal     spin_unlock
        li      $v0, 0
        lw      $ra, 36($sp)
        lw      $s0, 32($sp)
        lw      $s1, 28($sp)
        lw      $s2, 24($sp)
        lw      $s3, 20($sp)
        lw      $s4, 16($sp)
        lw      $s5, 12($sp)
        lw      $s6, 8($sp)
        addiu   $sp, $sp, 40
        jr      $ra
