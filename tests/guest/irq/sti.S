/* STI shadow: with an interrupt already pending, STI lets exactly one more
 * instruction run before the interrupt is taken (APM vol. 3, STI). */
	.text
	.code64
	.global sti_shadow, sti_after_one
sti_shadow:
	sti
	nop
sti_after_one:
	nop
	cli
	ret
	.section .note.GNU-stack, "", @progbits
