/* The bundled default guest, embedded in the pacifica binary. */
	.section .rodata
	.balign 16
	.global pac_demo_kernel
	.global pac_demo_kernel_end
pac_demo_kernel:
	.incbin DEMO_PATH
pac_demo_kernel_end:
	.section .note.GNU-stack,"",@progbits
