/* 32-bit protected-mode snippets: faulting instructions with labels, a
 * ring-3 entry through IRET, SYSENTER/SYSEXIT, a task body, v86 code. */
#include "layout32.h"
	.text
	.code32
#define FN(n) .global n, n##_at, n##_after; n:
#define AT(n) n##_at:
#define AFTER(n) n##_after:

FN(x_div0)	xor %ecx, %ecx; mov $1, %eax; xor %edx, %edx; AT(x_div0) div %ecx; AFTER(x_div0) ret
FN(x_ud2)	AT(x_ud2) ud2; AFTER(x_ud2) ret
FN(x_loadds)	mov 4(%esp), %eax; AT(x_loadds) mov %eax, %ds; AFTER(x_loadds) mov $SEL_DATA, %eax; mov %eax, %ds; ret
FN(x_loadss)	mov 4(%esp), %eax; AT(x_loadss) mov %eax, %ss; AFTER(x_loadss) mov $SEL_DATA, %eax; mov %eax, %ss; ret
/* read offset arg1 through selector arg0 in ES */
FN(x_reades)	push %ebx; mov 8(%esp), %eax; mov 12(%esp), %ebx; mov %eax, %es; AT(x_reades) mov %es:(%ebx), %eax
		AFTER(x_reades) mov $SEL_DATA, %ebx; mov %ebx, %es; pop %ebx; ret
FN(x_into)	mov $0x7fffffff, %eax; add $1, %eax; AT(x_into) into; AFTER(x_into) ret
FN(x_bound)	sub $8, %esp; movl $10, (%esp); movl $20, 4(%esp); mov $9, %eax; AT(x_bound) bound %eax, (%esp)
		AFTER(x_bound) add $8, %esp; ret

/* BCD: void bcd(struct bcd *s) with s = {eax in, flags in, eax out, flags out} */
.macro BCD name, insn
	.global \name
\name:
	push %ebx
	mov 8(%esp), %ebx
	mov 0(%ebx), %eax
	pushl 4(%ebx)
	popf
	\insn
	pushf
	popl 12(%ebx)
	mov %eax, 8(%ebx)
	pop %ebx
	ret
.endm
BCD b_daa, daa
BCD b_das, das
BCD b_aaa, aaa
BCD b_aas, aas
BCD b_aam, aam
BCD b_aad, aad
BCD b_aam16, "aam $16"

/* pusha/popa round trip and push of a segment register (4 bytes) */
FN(x_pusha)	push %ebp; mov %esp, %ebp; mov $0x11, %eax; mov $0x22, %ecx; pusha; mov $0, %eax; mov $0, %ecx
		mov 28(%esp), %edx; mov %edx, seen+60; popa; add %ecx, %eax	/* 0x11 + 0x22 */
		push %ds; mov %ebp, %ecx; sub %esp, %ecx; add %ecx, %eax	/* + 4 */
		pop %ecx; and $0xffff, %ecx; add %ecx, %eax; add seen+60, %eax	/* + 0x10 + 0x11 = 0x58 */
		mov %ebp, %esp; pop %ebp; ret

/* ring 3 via IRET; the user code calls back with INT 0x80 */
	.global enter_user, u_int80, u_sysenter, u_sysenter_after, k_sysenter
enter_user:			/* (eip, esp) */
	mov 4(%esp), %eax
	mov 8(%esp), %ecx
	pushl $SEL_UDATA
	push %ecx
	pushl $2
	pushl $SEL_UCODE
	push %eax
	iret
u_int80:
	mov %ds, %eax			/* IRET to CPL 3 nulled DS (DPL 0) */
	mov %eax, %ss:seen+4
	mov $SEL_UDATA, %eax
	mov %eax, %ds
	mov %esp, seen+0
	int $0x80
u_sysenter:
	mov $SEL_UDATA, %eax
	mov %eax, %ds
	mov %eax, %es
	mov $u_sysenter_after, %edx
	mov %esp, %ecx
	sysenter
u_sysenter_after:
	mov %cs, %eax
	mov %eax, seen+8
	mov %ss, %eax
	mov %eax, seen+12
	int $0x80
k_sysenter:
	mov %cs, %eax
	mov %eax, seen+16
	mov %ss, %eax
	mov %eax, seen+20
	mov %esp, seen+24
	pushf
	popl seen+28
	sysexit

/* 32-bit call gate with two parameters (APM vol. 2, 4.11.2, 4.11.4):
 * ring 3 pushes two words and calls through the gate; the CPU copies them
 * to the ring-0 stack; LRET 8 pops them on both stacks. */
	.global u_gatecall, gate_fn
u_gatecall:
	mov $SEL_UDATA, %eax
	mov %eax, %ds
	mov %esp, %ebx
	pushl $0x1111
	pushl $0x2222
	lcall $0x6b, $0
	sub %esp, %ebx			/* 0: LRET 8 popped the parameters */
	mov %ebx, seen+56
	int $0x80
gate_fn:
	mov 8(%esp), %eax
	mov %eax, seen+40
	mov 12(%esp), %eax
	mov %eax, seen+44
	mov 20(%esp), %eax		/* caller SS */
	mov %eax, seen+48
	mov %cs, %eax
	mov %eax, seen+52
	lret $8

/* virtual-8086 code (copied to 0x8000, run as 0800:0000) */
	.global v86_blob, v86_blob_end
	.code16
v86_blob:
	mov $0x100, %ax
	mov %ax, %ds
	movw $0xbeef, 0x10
	int $0x30		/* IOPL 0: #GP(0) to the monitor */
	hlt
v86_blob_end:
	.code32

	.data
	.global seen
	.balign 4
seen: .skip 64

	.section .note.GNU-stack, "", @progbits
