; SPDX-License-Identifier: MIT
; Ends the run in the way ACTION selects (nasm -DACTION=n), after printing
; "hello serial" on COM1 and "hello e9" on port 0xE9:
;   1 HLT with interrupts off      2 isa-debug-exit value 5 at port DE_PORT
;   3 "Shutdown" to port 0x8900    4 endless loop (for -icount-limit)
;   5 UD2 with no IDT: #UD -> #GP -> #DF -> triple fault
%ifndef DE_PORT
%define DE_PORT 0xf4
%endif
%include "mbk.inc"

start:
        mov esp, stack_top
        mov esi, hello
        call puts
        mov esi, hello_e9
.e9:    mov al, [esi]
        test al, al
        jz .go
        out 0xe9, al
        inc esi
        jmp .e9
.go:
%if ACTION == 1
        cli
        hlt
%elif ACTION == 2
        mov dx, DE_PORT
        mov al, 5
        out dx, al
        cli
        hlt
%elif ACTION == 3
        mov dx, 0x8900
        mov esi, shutdown
.s:     mov al, [esi]
        test al, al
        jz .h
        out dx, al
        inc esi
        jmp .s
.h:     cli
        hlt
%elif ACTION == 4
.spin:  jmp .spin
%elif ACTION == 5
        ud2
%endif
hello:    db "hello serial", 10, 0
hello_e9: db "hello e9", 10, 0
shutdown: db "Shudown Shutdown", 0   ; a false start, then the word
        times 64 dd 0
stack_top:
%include "mbk_end.inc"
