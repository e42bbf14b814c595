/* Entry for QEMU virt -bios none: M-mode, pc = 0x80000000, a0 = hart id, a1 = FDT. */
    .file   "crt0.S"
    .section .text.init, "ax", @progbits
    .globl _start
_start:
    .option push
    .option norelax
    la      gp, __global_pointer$
    .option pop
    bnez    a0, park                /* single-threaded: only hart 0 runs */
    la      sp, __stack_top
    la      t0, trap_entry
    csrw    mtvec, t0
    li      t0, (1 << 13)           /* mstatus.FS = Initial (allow FP if the compiler uses it) */
    csrs    mstatus, t0
    la      t0, __bss_start
    la      t1, __bss_end
1:  bgeu    t0, t1, 2f
    sd      zero, 0(t0)
    addi    t0, t0, 8
    j       1b
2:  call    main
    tail    bench_exit              /* a0 = main's return value */

park:
    wfi
    j       park

    .balign 4
trap_entry:
    csrr    a0, mcause
    csrr    a1, mepc
    csrr    a2, mtval
    tail    bench_trap

    .section .note.GNU-stack, "", @progbits
