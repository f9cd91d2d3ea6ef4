/* Multiboot v1 entry for 32-bit kernels: own GDT, flat segments, rt32_main.
 * Interrupt stubs for 256 vectors (32-bit gates) and ctx_save/ctx_restore. */
#include "layout32.h"

	.section .multiboot, "a"
	.balign 4
	.long MB_MAGIC, MB_FLAGS, -(MB_MAGIC + MB_FLAGS)

	.section .text.boot, "ax"
	.code32
	.global _start
_start:
	cli
	cld
	mov %ebx, %edx		/* multiboot info */
	mov $__bss_start, %edi
	mov $_end, %ecx
	sub %edi, %ecx
	xor %eax, %eax
	rep stosb
	mov %edx, mb_info
	mov $stack_top, %esp
	lgdt gdt_ptr
	ljmp $SEL_CODE, $1f
1:	mov $SEL_DATA, %eax
	mov %eax, %ds
	mov %eax, %es
	mov %eax, %fs
	mov %eax, %gs
	mov %eax, %ss
	call rt32_main
2:	cli
	hlt
	jmp 2b

	.text
	.balign 16
	.global isr_stubs
isr_stubs:
	.set vec, 0
	.rept 256
	.balign 16
	.if (vec == 8) || (vec >= 10 && vec <= 14) || (vec == 17) || (vec == 21) || (vec == 29) || (vec == 30)
	.else
	pushl $0
	.endif
	pushl $vec
	jmp isr_common
	.set vec, vec + 1
	.endr

isr_common:
	pusha
	push %ds
	push %es
	mov $SEL_DATA, %eax
	mov %eax, %ds
	mov %eax, %es
	cld
	push %esp
	call exc_dispatch
	add $4, %esp
	pop %es
	pop %ds
	popa
	add $8, %esp
	iret

/* int ctx_save(struct jctx *j) */
	.global ctx_save, ctx_restore
ctx_save:
	mov 4(%esp), %eax
	mov (%esp), %ecx
	mov %ecx, 0(%eax)	/* eip */
	lea 4(%esp), %ecx
	mov %ecx, 4(%eax)	/* esp after return */
	mov %ebx, 8(%eax)
	mov %esi, 12(%eax)
	mov %edi, 16(%eax)
	mov %ebp, 20(%eax)
	xor %eax, %eax
	ret
/* void ctx_restore(struct jctx *j): ctx_save returns 1 again */
ctx_restore:
	mov 4(%esp), %eax
	mov $SEL_DATA, %ecx
	mov %ecx, %ds
	mov %ecx, %es
	mov %ecx, %fs
	mov %ecx, %gs
	mov %ecx, %ss
	mov 4(%eax), %esp
	mov 8(%eax), %ebx
	mov 12(%eax), %esi
	mov 16(%eax), %edi
	mov 20(%eax), %ebp
	pushl $2
	popf
	pushl 0(%eax)
	mov $1, %eax
	ret

	.data
	.balign 8
	.global gdt
gdt:
	.quad 0
	.quad 0x00cf9b000000ffff	/* 0x08 code32 DPL0 */
	.quad 0x00cf93000000ffff	/* 0x10 data DPL0 */
	.quad 0x00cffb000000ffff	/* 0x18 user code32 DPL3 */
	.quad 0x00cff3000000ffff	/* 0x20 user data DPL3 */
	.quad 0x00009b000000ffff	/* 0x28 code16 */
	.quad 0x000093000000ffff	/* 0x30 data16 */
	.fill GDT_ENTRIES - 7, 8, 0	/* 0x38 TSS, 0x40 TSS2, then free */
gdt_end:
gdt_ptr:
	.word gdt_end - gdt - 1
	.long gdt

	.global mb_info
mb_info: .long 0

	.bss
	.balign 16
stack: .skip STACK_SIZE
	.global stack_top
stack_top:

	.section .note.GNU-stack, "", @progbits
