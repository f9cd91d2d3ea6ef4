; SPDX-License-Identifier: MIT
; Checks the Multiboot hand-over (Multiboot 0.6.96, 3.2 and 3.3) and reports
; "ok - ..." lines over COM1. Run by tests/frontend/run-multiboot.sh as:
;   -m 64 -append "test-args a=1" -initrd "mod1.bin first-arg,mod2.bin second"
; with mod1.bin = "MOD1" + 4996 bytes (5000), mod2.bin = "MOD2" + 6 bytes (10).
%include "mbk.inc"

start:
        mov [saved_eax], eax
        mov [saved_ebx], ebx
        mov esp, stack_top
        CHECK [saved_eax], 0x2badb002, "EAX holds the Multiboot boot magic"
        mov ebx, [saved_ebx]
        CHECK {dword [ebx]}, 0x24f, "info flags: mem, boot device, cmdline, mods, mmap, loader name"
        CHECK {dword [ebx + 4]}, 639, "mem_lower is 639 KiB"
        CHECK {dword [ebx + 8]}, 64512, "mem_upper is 63 MiB with -m 64"
        CHECK {dword [ebx + 12]}, 0x8000ffff, "boot_device is drive 0x80"
        ; command line: "<kernel path> test-args a=1"
        mov esi, [ebx + 16]
        call skip_word
        CHECK_STR esi, "test-args a=1", "cmdline is the kernel path, a space and -append"
        call check_modules
        call check_mmap
        mov ebx, [saved_ebx]
        CHECK_STR {[ebx + 64]}, "pacifica", "boot loader name is pacifica"
        pushfd
        pop eax
        and eax, 0x00020202
        cmp eax, 0x2
        mov esi, name_eflags
        call report
        CHECK {dword [mb_bss_start]}, 0, "BSS of the a.out kludge image is zero"
        EXIT 0

; skip_word: ESI -> just past the first space (or at the NUL)
skip_word:
.l:     mov al, [esi]
        test al, al
        jz .d
        inc esi
        cmp al, ' '
        jne .l
.d:     ret

check_modules:
        mov ebx, [saved_ebx]
        CHECK {dword [ebx + 20]}, 2, "two modules"
        mov ebx, [ebx + 24]
        mov [mods], ebx
        CHECK {dword [ebx]}, LOAD_ADDR + ((mb_bss_end - $$ + 0xfff) & ~0xfff), "module 1 starts at the first page after the kernel"
        mov ebx, [mods]
        mov eax, [ebx + 4]
        sub eax, [ebx]
        CHECK eax, 5000, "module 1 is 5000 bytes (mod_end exclusive)"
        mov ebx, [mods]
        mov ebx, [ebx]
        CHECK {dword [ebx]}, 'MOD1', "module 1 contents"
        mov ebx, [mods]
        mov esi, [ebx + 8]
        call skip_word
        CHECK_STR esi, "first-arg", "module 1 command line is 'path first-arg'"
        mov ebx, [mods]
        mov eax, [ebx + 16]
        test eax, 0xfff
        mov esi, name_align
        call report
        mov ebx, [mods]
        mov eax, [ebx + 16 + 4]
        sub eax, [ebx + 16]
        CHECK eax, 10, "module 2 is 10 bytes"
        mov ebx, [mods]
        mov ebx, [ebx + 16]
        CHECK {dword [ebx]}, 'MOD2', "module 2 contents"
        mov ebx, [mods]
        mov esi, [ebx + 16 + 8]
        call skip_word
        CHECK_STR esi, "second", "module 2 command line is 'path second'"
        ret

; expected e820-style map for 64 MiB: base, length, type
mmap_want:
        dd 0x00000, 0x9fc00, 1
        dd 0x9fc00, 0x00400, 2
        dd 0xf0000, 0x10000, 2
        dd 0x100000, 0x3f00000, 1
check_mmap:
        mov ebx, [saved_ebx]
        CHECK {dword [ebx + 44]}, 4 * 24, "mmap_length: four 24-byte entries"
        mov ebx, [saved_ebx]
        mov ebx, [ebx + 48]
        mov edi, mmap_want
        xor ecx, ecx            ; number of matching entries
.e:     mov eax, [ebx]
        cmp eax, 20
        jne .n
        mov eax, [ebx + 4]
        cmp eax, [edi]
        jne .n
        mov eax, [ebx + 8]
        test eax, eax
        jne .n
        mov eax, [ebx + 12]
        cmp eax, [edi + 4]
        jne .n
        mov eax, [ebx + 20]
        cmp eax, [edi + 8]
        jne .n
        inc ecx
.n:     add ebx, 24
        add edi, 12
        cmp edi, check_mmap
        jne .e
        CHECK ecx, 4, "memory map: RAM, EBDA, BIOS ROM, RAM from 1 MiB"
        ret

name_eflags: db "EFLAGS: IF=0, VM=0, bit 1 set", 0
name_align:  db "module 2 is page aligned", 0
        align 4
saved_eax: dd 0
saved_ebx: dd 0
mods:      dd 0
        times 256 dd 0
stack_top:
%include "mbk_end.inc"
