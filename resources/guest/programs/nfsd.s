# nfsd N — the network file server of Disco's virtual network (docs/guest-os.md "Network file
# service"): serves the disk of this VM to N client VMs, whose kernels read their file system
# from it (experiment: `fileServer` names this VM), until all N have said goodbye; exit status 0.
# Runs in the kernel (system call nfsd): requests are answered from this VM's buffer cache, one
# message per 4 KiB page, which the monitor remaps into the client instead of copying.
        .include "lib/runtime.s"
        .text
main:
        addiu   $sp, $sp, -24
        sw      $ra, 20($sp)
        sw      $s0, 16($sp)
        jal     atoi                    # N (0: no clients)
        move    $s0, $v0
        la      $a0, msg_serving
        jal     puts
        move    $a0, $s0
        jal     putdec
        la      $a0, msg_clients
        jal     puts
        move    $a0, $s0
        jal     nfsd
        la      $a0, msg_done
        jal     puts
        li      $v0, 0
        lw      $ra, 20($sp)
        lw      $s0, 16($sp)
        addiu   $sp, $sp, 24
        jr      $ra

        .rdata
msg_serving:    .asciiz "nfsd: serving "
msg_clients:    .asciiz " client(s)\n"
msg_done:       .asciiz "nfsd: every client said goodbye\n"
