; SPDX-License-Identifier: MIT
; Exercises the COM1 16550A registers and reports on port 0xE9, so the
; serial output itself can be checked too (it must be exactly "uart-out\n":
; loopback bytes never reach the line).
%define OUT_PORT 0xe9
%include "mbk.inc"

%macro UOUT 2                   ; register offset, value
        mov dx, 0x3f8 + %1
        mov al, %2
        out dx, al
%endmacro
%macro UIN 1                    ; EAX = register
        mov dx, 0x3f8 + %1
        xor eax, eax
        in al, dx
%endmacro

start:
        mov esp, stack_top
        UIN 5
        CHECK eax, 0x60, "LSR after reset: THRE and TEMT set, no data"
        UIN 2
        CHECK eax, 0x01, "IIR after reset: no interrupt, FIFOs off"
        UOUT 7, 0x5a
        UIN 7
        CHECK eax, 0x5a, "scratch register keeps its value"
        UOUT 2, 0x07
        UIN 2
        CHECK eax, 0xc1, "IIR shows FIFOs enabled after FCR=07h"
        UOUT 3, 0x83
        UOUT 0, 0x34
        UOUT 1, 0x12
        UIN 0
        CHECK eax, 0x34, "DLAB=1: offset 0 is the divisor latch low byte"
        UIN 1
        CHECK eax, 0x12, "DLAB=1: offset 1 is the divisor latch high byte"
        UOUT 3, 0x03
        UIN 1
        CHECK eax, 0x00, "DLAB=0: offset 1 is IER again"
        UIN 3
        CHECK eax, 0x03, "LCR reads back"
        UOUT 1, 0xff
        UIN 1
        CHECK eax, 0x0f, "IER keeps only its four low bits"
        UOUT 1, 0x00
        UOUT 1, 0x02
        UIN 2
        CHECK eax, 0xc2, "enabling the THRE interrupt makes IIR report it"
        UIN 2
        CHECK eax, 0xc1, "reading IIR cleared the THRE interrupt"
        UOUT 1, 0x00
        UIN 6
        CHECK eax, 0xb0, "MSR: DCD, DSR and CTS of a connected terminal"
        UOUT 4, 0x1a
        UIN 6
        and eax, 0xf0
        CHECK eax, 0x90, "loopback MSR: CTS from RTS, DCD from OUT2"
        UOUT 0, 'Z'
        UIN 5
        CHECK eax, 0x61, "loopback: the sent byte is received (LSR.DR)"
        UIN 0
        CHECK eax, 'Z', "loopback: RBR returns the sent byte"
        UIN 5
        CHECK eax, 0x60, "RBR read empties the receiver"
        UIN 4
        CHECK eax, 0x1a, "MCR reads back"
        UOUT 4, 0x03
        mov esi, line
.o:     mov al, [esi]
        test al, al
        jz .done
        mov dx, 0x3f8
        out dx, al
        inc esi
        jmp .o
.done:  EXIT 0
line:   db "uart-out", 10, 0
        times 64 dd 0
stack_top:
%include "mbk_end.inc"
