/* Faulting instructions with a label on the faulting instruction (NAME_at)
 * or just after a trapping one (NAME_after), so tests can check the RIP
 * the exception frame reports. */
#include "layout.h"
	.text
	.code64
#define FN(n) .global n; .global n##_at; .global n##_after; n:
#define AT(n) n##_at:
#define AFTER(n) n##_after:

FN(x_div0)	xor %ecx, %ecx; mov $1, %eax; xor %edx, %edx; AT(x_div0) div %rcx; AFTER(x_div0) ret
FN(x_idivovf)	mov $0x8000000000000000, %rax; cqo; mov $-1, %rcx; AT(x_idivovf) idiv %rcx; AFTER(x_idivovf) ret
FN(x_div8ovf)	mov $0x1000, %eax; mov $2, %cl; AT(x_div8ovf) div %cl; AFTER(x_div8ovf) ret
FN(x_ud2)	AT(x_ud2) ud2; AFTER(x_ud2) ret
FN(x_pushes)	AT(x_pushes) .byte 0x06; AFTER(x_pushes) ret
FN(x_daa)	AT(x_daa) .byte 0x27; AFTER(x_daa) ret
FN(x_into64)	AT(x_into64) .byte 0xce; AFTER(x_into64) ret
FN(x_aam)	AT(x_aam) .byte 0xd4, 0x0a; AFTER(x_aam) ret
FN(x_callfar)	AT(x_callfar) .byte 0x9a, 0, 0, 0, 0, 8, 0; AFTER(x_callfar) ret
FN(x_ud0)	AT(x_ud0) .byte 0x0f, 0xff, 0xc0; AFTER(x_ud0) ret
FN(x_locknop)	AT(x_locknop) .byte 0xf0, 0x90; AFTER(x_locknop) ret
FN(x_lockreg)	AT(x_lockreg) .byte 0xf0, 0x48, 0x01, 0xc8; AFTER(x_lockreg) ret
FN(x_lockmov)	AT(x_lockmov) .byte 0xf0, 0x48, 0x89, 0x07; AFTER(x_lockmov) ret
FN(x_ncread)	mov $0x8000000000000000, %rax; AT(x_ncread) mov (%rax), %rax; AFTER(x_ncread) ret
FN(x_ncstack)	push %rbp; mov $0x8000000000000000, %rbp; AT(x_ncstack) mov (%rbp), %rax; AFTER(x_ncstack) pop %rbp; ret
FN(x_badmsr)	mov $0x12345678, %ecx; AT(x_badmsr) rdmsr; AFTER(x_badmsr) ret
FN(x_cr4rsvd)	mov %cr4, %rax; bts $40, %rax; AT(x_cr4rsvd) mov %rax, %cr4; AFTER(x_cr4rsvd) ret
FN(x_cr4la57)	mov %cr4, %rax; btc $12, %rax; AT(x_cr4la57) mov %rax, %cr4; AFTER(x_cr4la57) ret
FN(x_loadds)	AT(x_loadds) mov %di, %ds; AFTER(x_loadds) mov $SEL_DATA, %eax; mov %eax, %ds; ret
FN(x_loadss)	AT(x_loadss) mov %di, %ss; AFTER(x_loadss) mov $SEL_DATA, %eax; mov %eax, %ss; ret
FN(x_int40)	AT(x_int40) int $0x40; AFTER(x_int40) ret
FN(x_int81)	AT(x_int81) int $0x81; AFTER(x_int81) ret
FN(x_int3)	AT(x_int3) int3; AFTER(x_int3) ret
FN(x_intn3)	AT(x_intn3) int $3; AFTER(x_intn3) ret
FN(x_iretnt)	pushfq; orq $0x4000, (%rsp); popfq; mov %ss, %eax; push %rax; lea 8(%rsp), %rax; push %rax
		pushfq; mov %cs, %eax; push %rax; lea x_iretnt_after(%rip), %rax; push %rax
		AT(x_iretnt) iretq; AFTER(x_iretnt) ret
FN(x_ljmpdata)	AT(x_ljmpdata) ljmp *(%rdi); AFTER(x_ljmpdata) ret

FN(x_cx16)	xor %eax, %eax; xor %edx, %edx; xor %ebx, %ebx; xor %ecx, %ecx; AT(x_cx16) lock cmpxchg16b 8(%rdi); AFTER(x_cx16) ret
FN(x_jmpnc)	mov $0x0000800000000000, %rax; AT(x_jmpnc) jmp *%rax; AFTER(x_jmpnc) ret
FN(x_iretnc)	mov %ss, %eax; push %rax; lea 8(%rsp), %rax; push %rax; pushfq; mov %cs, %eax; push %rax
		mov $0x0000800000000000, %rax; push %rax; AT(x_iretnc) iretq; AFTER(x_iretnc) ret
FN(x_dsbase)	push %rbx; mov %ds, %ebx; mov %esi, %ds; mov (%rdi), %eax; mov %ebx, %ds; pop %rbx; ret

/* 32-bit compatibility-mode code (far-called via call_compat, ends in LRET) */
	.code32
FN(c_into)	mov $0x7fffffff, %eax; add $1, %eax; AT(c_into) into; AFTER(c_into) lret
FN(c_intono)	xor %eax, %eax; into; lret
FN(c_bound)	sub $8, %esp; movl $10, (%esp); movl $20, 4(%esp); mov $21, %eax
		AT(c_bound) bound %eax, (%esp); AFTER(c_bound) add $8, %esp; lret
FN(c_boundok)	sub $8, %esp; movl $10, (%esp); movl $20, 4(%esp); mov $15, %eax
		bound %eax, (%esp); add $8, %esp; lret
FN(c_daa)	mov $0x19, %eax; add $0x28, %al; daa; mov %eax, c_result; lret
	.code64

	.data
	.global c_result
c_result: .long 0

	.section .note.GNU-stack, "", @progbits
