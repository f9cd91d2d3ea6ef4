/* Ring-0 entry points reached from ring 3: the SYSCALL target (LSTAR) and
 * a 64-bit call-gate target. Each records what it sees in sys_seen and
 * returns (SYSRETQ / far RETQ). */
#include "layout.h"
	.text
	.code64
	.global sys_lstar, gate_target, u_syscall, u_syscall_after, u_gatecall, u_gatecall_after
sys_lstar:
	mov %rcx, sys_seen+0(%rip)	/* return RIP */
	mov %r11, sys_seen+8(%rip)	/* saved RFLAGS */
	mov %cs, %ecx
	mov %rcx, sys_seen+16(%rip)
	mov %ss, %ecx
	mov %rcx, sys_seen+24(%rip)
	pushfq
	popq sys_seen+32(%rip)		/* masked RFLAGS in the kernel (user stack!) */
	mov %rax, sys_seen+40(%rip)
	mov sys_seen+0(%rip), %rcx
	sysretq

gate_target:
	mov %cs, %eax
	mov %rax, sys_seen+16(%rip)
	mov %ss, %eax
	mov %rax, sys_seen+24(%rip)
	mov 8(%rsp), %rax		/* caller CS */
	mov %rax, sys_seen+0(%rip)
	mov 24(%rsp), %rax		/* caller SS */
	mov %rax, sys_seen+8(%rip)
	mov %rsp, sys_seen+32(%rip)
	lretq

/* user side: syscall, then report the selectors seen after SYSRET */
u_syscall:
	mov $0x5c, %eax
	syscall
u_syscall_after:
	mov %cs, %ecx
	mov %rcx, sys_seen+48(%rip)
	mov %ss, %ecx
	mov %rcx, sys_seen+56(%rip)
	pushfq
	popq sys_seen+64(%rip)
	ret

u_gatecall:
	lcall *gate_ptr(%rip)
u_gatecall_after:
	mov %cs, %ecx
	mov %rcx, sys_seen+48(%rip)
	ret

	.data
	.global gate_ptr, sys_seen
gate_ptr: .long 0
	.word 0
	.balign 8
sys_seen: .skip 80

	.section .note.GNU-stack, "", @progbits
