/* Code that changes itself (kept in .data: writable, and executable since
 * the identity map sets no NX). x86 requires a store to an instruction
 * that has not executed yet to be seen, even the very next one. */
	.data
	.code64
	.global smc_next, len15, len16, len16_at
smc_next:
	movb $0x05, 1f+1(%rip)
1:	mov $0x04, %al
	ret

	.text
len15:	.fill 14, 1, 0x66
	nop
	ret
len16:
len16_at:
	.fill 15, 1, 0x66
	nop
	ret

	.section .note.GNU-stack, "", @progbits
