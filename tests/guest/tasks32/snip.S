/* Hardware task switches (APM vol. 2, 12.3): far CALL/JMP to a TSS, the
 * task body, and the data the tests inspect. */
#include "layout32.h"
	.text
	.code32
#define FN(n) .global n, n##_at, n##_after; n:
#define AT(n) n##_at:
#define AFTER(n) n##_after:

FN(x_ljmp)	AT(x_ljmp) ljmp *4(%esp); AFTER(x_ljmp) ret
FN(x_lcall)	AT(x_lcall) lcall *4(%esp); AFTER(x_lcall) ret

/* task body for the task-switch test: report NT and the back link, return */
	.global task2_entry
task2_entry:
	pushf
	popl seen+32
	mov %esp, seen+36
	iret
	jmp task2_entry		/* a later switch back into this task resumes here */


	.data
	.global seen
	.balign 4
seen: .skip 64

	.section .note.GNU-stack, "", @progbits
