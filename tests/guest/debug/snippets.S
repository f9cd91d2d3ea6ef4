/* Debug traps: single-step (also after MOV SS), INT1, DR0 breakpoints. */
#include "layout.h"
	.text
	.code64
#define FN(n) .global n; .global n##_at; .global n##_after; n:
#define AT(n) n##_at:
#define AFTER(n) n##_after:

FN(x_int1)	AT(x_int1) .byte 0xf1; AFTER(x_int1) ret
FN(x_tf)	pushfq; orq $0x100, (%rsp); popfq; AT(x_tf) nop; AFTER(x_tf) nop; ret
FN(x_tffault)	pushfq; orq $0x100, (%rsp); popfq; AT(x_tffault) ud2; AFTER(x_tffault) ret
FN(x_store)	AT(x_store) movl $1, (%rdi); AFTER(x_store) ret
FN(x_load)	AT(x_load) mov (%rdi), %rax; AFTER(x_load) ret
FN(x_movss)	mov %ss, %eax; pushfq; orq $0x100, (%rsp); popfq; AT(x_movss) mov %eax, %ss; nop; AFTER(x_movss) nop; ret

	.section .note.GNU-stack, "", @progbits
