/* Switch from 4-level to 5-level paging: CR4.LA57 may only change with
 * paging off, so leave long mode through compatibility mode, set LA57 and
 * CR3 = PML5, and come back (APM vol. 2, 5.3.4 and 14.7). */
#include "layout.h"
#define CR4_LA57 0x1000

	.text
	.code64
	.global enter_la57
/* void enter_la57(uint32_t pml5) */
enter_la57:
	push %rbx
	push %rbp
	mov %rsp, %rbp
	mov %edi, %ebx
	pushq $SEL_CODE32
	lea 1f(%rip), %rax
	push %rax
	lretq
	.code32
1:	mov %cr0, %eax
	and $~CR0_PG, %eax
	mov %eax, %cr0
	mov %cr4, %eax
	or $CR4_LA57, %eax
	mov %eax, %cr4
	mov %ebx, %cr3
	mov %cr0, %eax
	or $CR0_PG, %eax
	mov %eax, %cr0
	ljmp $SEL_CODE64, $2f
	.code64
2:	mov $SEL_DATA, %eax
	mov %eax, %ss
	mov %rbp, %rsp
	pop %rbp
	pop %rbx
	ret

	.section .note.GNU-stack, "", @progbits
