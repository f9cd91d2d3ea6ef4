/* Placeholder demo kernel: multiboot header + 32-bit code writing to COM1. */
	.section .multiboot, "a"
	.balign 4
	.long 0x1BADB002, 0x00000000, -(0x1BADB002)
	.text
	.code32
	.global _start
_start:
	mov $0x3f8, %dx
	mov $'P', %al
	out %al, %dx
	mov $0xf4, %dx
	xor %eax, %eax
	out %al, %dx
	cli
1:	hlt
	jmp 1b
	.section .note.GNU-stack,"",@progbits
