/* Ring 3 in compatibility mode: IRETQ to a 32-bit user code segment, then
 * SYSCALL from there (CSTAR target) and SYSRET with 32-bit operand size
 * back to compatibility mode. APM vol. 3, SYSCALL/SYSRET. */
#include "layout.h"
	.text
	.code64
	.global enter_user32, sys_cstar, u32_syscall, u32_syscall_after
/* void enter_user32(uint32_t eip, uint64_t stack_top) */
enter_user32:
	pushq $SEL_UDATA
	push %rsi
	pushq $2
	pushq $SEL_UCODE32
	push %rdi
	iretq

sys_cstar:
	mov %rcx, sys_seen+0(%rip)
	mov %r11, sys_seen+8(%rip)
	mov %cs, %ecx
	mov %rcx, sys_seen+16(%rip)
	mov %rax, sys_seen+40(%rip)
	mov sys_seen+0(%rip), %rcx
	sysretl

	.code32
/* IRETQ to CPL 3 nulled DS/ES (their DPL 0 < CPL): compatibility mode,
 * unlike 64-bit mode, faults on a null DS, so load the user selector. */
u32_syscall:
	mov $SEL_UDATA, %eax
	mov %eax, %ds
	mov %eax, %es
	mov %esp, %eax
	push %eax
	sub %esp, %eax
	pop %ecx
	mov %eax, sys_seen+72		/* push size in compat mode: 4 */
	mov $0x77, %eax
	syscall
u32_syscall_after:
	mov %cs, %ecx
	mov %ecx, sys_seen+48
	mov %ss, %ecx
	mov %ecx, sys_seen+56
	int $0x80

	.global u32_nullds, u32_nullds_at
u32_nullds:
u32_nullds_at:
	mov %eax, sys_seen+72		/* DS is null here: #GP(0) */
	int $0x80
	.code64

	.section .note.GNU-stack, "", @progbits

/* Far JMP through m16:64 (REX.W). AMD ignores REX.W here and reads an
 * m16:32 pointer (APM vol. 3 JMP (Far): the offset is READ_MEM.z, 16 or
 * 32 bits, never 64);
 * Intel reads m16:64. far_mem holds both readings: m16:32 -> far_amd,
 * m16:64 -> 0x8_xxxxxxxx (unmapped: #PF). */
	.text
	.code64
	.global far_jmp_test, far_amd
far_jmp_test:
	lea far_mem(%rip), %rax
	rex.W ljmp *(%rax)
far_amd:
	mov $1, %eax
	ret

	.data
	.balign 8
	.global far_mem
far_mem:
	.long far_amd		/* [0..3] offset (m16:32) */
	.word 0x08		/* [4..5] selector (m16:32) */
	.word 0			/* [6..7] */
	.word 0x08		/* [8..9] selector (m16:64) */
	.section .note.GNU-stack, "", @progbits
