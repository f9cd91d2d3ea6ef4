; SPDX-License-Identifier: MIT
; A hand-made ELF32 (or, with -DELF64, ELF64) Multiboot kernel: one PT_LOAD
; segment at physical 0x100000 whose virtual address is 0xC0100000 (so the
; loader must map e_entry to a physical address), p_memsz > p_filesz with
; non-zero bytes in the file after p_filesz (which must not be loaded), and
; a PT_NOTE header with a bogus offset (which must be ignored).
%define LOAD_ADDR 0x100000
%define VOFF 0xc0000000
%define NO_KLUDGE_HEADER
        bits 32
        org LOAD_ADDR
ehdr:
%ifdef ELF64
        db 0x7f, "ELF", 2, 1, 1, 0
        times 8 db 0
        dw 2, 62                ; ET_EXEC, EM_X86_64
        dd 1
        dq VOFF + start         ; e_entry (virtual)
        dq phdr - ehdr          ; e_phoff
        dq 0                    ; e_shoff
        dd 0
        dw 64, 56, 2, 64, 0, 0  ; ehsize, phentsize, phnum, shentsize, shnum, shstrndx
phdr:
        dd 1, 7                 ; PT_LOAD, RWX
        dq 0                    ; p_offset
        dq VOFF + LOAD_ADDR     ; p_vaddr
        dq LOAD_ADDR            ; p_paddr
        dq file_end - ehdr      ; p_filesz
        dq file_end - ehdr + 0x1000 ; p_memsz
        dq 0x1000
        dd 4, 4                 ; PT_NOTE with an offset far beyond the file
        dq 0x7fffffff0000, 0, 0, 0x100, 0x100, 4
%else
        db 0x7f, "ELF", 1, 1, 1, 0
        times 8 db 0
        dw 2, 3                 ; ET_EXEC, EM_386
        dd 1
        dd VOFF + start         ; e_entry (virtual)
        dd phdr - ehdr          ; e_phoff
        dd 0                    ; e_shoff
        dd 0
        dw 52, 32, 2, 40, 0, 0
phdr:
        dd 1, 0, VOFF + LOAD_ADDR, LOAD_ADDR
        dd file_end - ehdr, file_end - ehdr + 0x1000, 7, 0x1000
        dd 4, 0x7fff0000, 0, 0, 0x100, 0x100, 4, 4
%endif
        align 4
        dd 0x1badb002, 0x00000003, -(0x1badb002 + 3)

%include "mbk.inc"

start:
        mov esp, stack_top
        call here
here:   pop eax
        CHECK eax, here, "entered at the physical address of e_entry"
        CHECK {dword [file_end]}, 0, "memory after p_filesz is zero, not the file's bytes"
        CHECK {dword [file_end + 60]}, 0, "memory up to p_memsz is zero"
%ifdef ELF64
        mov esi, name64
%else
        mov esi, name32
%endif
        xor eax, eax
        call report
        EXIT 0
name32: db "ELF32 kernel loaded", 0
name64: db "ELF64 kernel loaded", 0
        times 64 dd 0
stack_top:
        align 4
file_end:
        times 64 db 0xaa        ; in the file, beyond p_filesz: never loaded
