; SPDX-License-Identifier: MIT
; Boot sector: HLT with interrupts enabled must be woken by the PIT's IRQ 0
; (vector 08h through the BIOS stub's IRQ handler, which sends the EOI and
; returns); after three wake-ups it leaves through isa-debug-exit with 7.
        org 0x7c00
        bits 16
        xor ax, ax
        mov ds, ax
        mov ss, ax
        mov sp, 0x7c00
        mov cx, 3
        sti
.wait:  hlt
        dec cx
        jnz .wait
        mov al, 7
        out 0xf4, al
        cli
        hlt
        times 510 - ($ - $$) db 0
        dw 0xaa55
