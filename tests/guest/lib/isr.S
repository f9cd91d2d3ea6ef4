/* Interrupt stubs for all 256 vectors (16 bytes each, at isr_stubs + 16*n),
 * the common save/restore path, and ctx_save (setjmp-like) used by the
 * exception-capture API. Frame layout: struct frame in rt.h. */
#include "layout.h"

	.text
	.code64
	.balign 16
	.global isr_stubs
isr_stubs:
	.set vec, 0
	.rept 256
	.balign 16
	/* vectors with an error code: APM vol. 2, Table 8-1 */
	.if (vec == 8) || (vec >= 10 && vec <= 14) || (vec == 17) || (vec == 21) || (vec == 29) || (vec == 30)
	.else
	pushq $0
	.endif
	pushq $vec
	jmp isr_common
	.set vec, vec + 1
	.endr

isr_common:
	push %rax
	push %rbx
	push %rcx
	push %rdx
	push %rsi
	push %rdi
	push %rbp
	push %r8
	push %r9
	push %r10
	push %r11
	push %r12
	push %r13
	push %r14
	push %r15
	mov %rsp, %rdi
	cld
	call exc_dispatch
	pop %r15
	pop %r14
	pop %r13
	pop %r12
	pop %r11
	pop %r10
	pop %r9
	pop %r8
	pop %rbp
	pop %rdi
	pop %rsi
	pop %rdx
	pop %rcx
	pop %rbx
	pop %rax
	add $16, %rsp
	iretq

/* int ctx_save(struct jctx *j): returns 0; returns 1 again when an exception
 * is redirected to j (exc_dispatch rewrites the iret frame). */
	.global ctx_save
ctx_save:
	mov (%rsp), %rax
	mov %rax, 0(%rdi)	/* rip */
	lea 8(%rsp), %rax
	mov %rax, 8(%rdi)	/* rsp after return */
	mov %rbx, 16(%rdi)
	mov %rbp, 24(%rdi)
	mov %r12, 32(%rdi)
	mov %r13, 40(%rdi)
	mov %r14, 48(%rdi)
	mov %r15, 56(%rdi)
	xor %eax, %eax
	ret

	.section .note.GNU-stack, "", @progbits
