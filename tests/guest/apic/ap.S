/* Application-processor start-up code, copied to 0x8000 (SIPI vector 08h):
 * real mode, records its initial APIC ID (CPUID 1 EBX[31:24]) and counts
 * itself in, then idles with IF=1 (its APIC is software-disabled). */
	.text
	.code16
	.global ap_blob, ap_blob_end
ap_blob:
	cli
	xor %ax, %ax
	mov %ax, %ds
	mov $1, %eax
	cpuid
	shr $24, %ebx
	mov %ebx, 0x7f00
	lock incw 0x7f04
1:	sti
	hlt
	jmp 1b
ap_blob_end:
	.code64
	.section .note.GNU-stack, "", @progbits
