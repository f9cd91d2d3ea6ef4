/* Leaving 64-bit mode for a moment: a far call into 32-bit compatibility-
 * mode code, and an IRETQ into ring 3 that comes back through INT 0x80. */
#include "layout.h"

	.text
	.code64
/* void call_compat(uint32_t fn32, uint32_t arg): far-calls a .code32
 * function (ending in LRET) through SEL_CODE32 with EAX = arg. APM vol. 2,
 * 1.2.6: compatibility mode; upper halves of GPRs are not preserved. */
	.global call_compat
call_compat:
	push %rbx
	push %rbp
	push %r12
	push %r13
	push %r14
	push %r15
	mov %edi, compat_target(%rip)
	movw $SEL_CODE32, compat_target+4(%rip)
	mov %esi, %eax
	lcall *compat_target(%rip)
	mov $SEL_DATA, %ecx
	mov %ecx, %ds
	mov %ecx, %es
	mov %ecx, %ss
	pop %r15
	pop %r14
	pop %r13
	pop %r12
	pop %rbp
	pop %rbx
	ret

/* void enter_user(void (*fn)(void), uint64_t stack_top, uint64_t rflags):
 * IRETQ to fn at CPL3; fn returns into user_exit, which raises INT 0x80
 * (a DPL3 gate); the runtime captures that like any other exception, so
 * callers use TRY(): vector 0x80 means fn returned normally. */
	.global enter_user
enter_user:
	lea user_exit(%rip), %rax
	mov %rax, -8(%rsi)
	sub $8, %rsi
	pushq $SEL_UDATA
	push %rsi
	push %rdx
	pushq $SEL_UCODE64
	push %rdi
	iretq
	.global user_exit
user_exit:
	int $0x80
	ud2

	.data
	.balign 8
compat_target:
	.long 0
	.word 0

	.section .note.GNU-stack, "", @progbits
