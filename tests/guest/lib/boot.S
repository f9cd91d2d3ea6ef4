/* Multiboot v1 entry: 32-bit protected mode -> identity-mapped 4-level
 * paging (2 MiB pages, first 4 GiB) -> long mode -> rt_main (64-bit C).
 * APM vol. 2, 14.6 "Enabling and Activating Long Mode". */
#include "layout.h"

	.section .multiboot, "a"
	.balign 4
	.long MB_MAGIC, MB_FLAGS, -(MB_MAGIC + MB_FLAGS)

	.section .text.boot, "ax"
	.code32
	.global _start
_start:
	cli
	cld
	mov %eax, %esi		/* multiboot magic */
	mov %ebx, %edx		/* multiboot info */
	mov $__bss_start, %edi	/* zero .bss ourselves: loaders may not */
	mov $_end, %ecx
	sub %edi, %ecx
	xor %eax, %eax
	rep stosb
	mov %esi, mb_magic
	mov %edx, mb_info
	mov $boot_stack_top, %esp

	/* page directories: 2048 x 2 MiB, P|RW|PS, supervisor */
	mov $boot_pd, %edi
	xor %ecx, %ecx
1:	mov %ecx, %eax
	shl $21, %eax
	or $(PTE_P | PTE_RW | PTE_PS), %eax
	mov %eax, (%edi,%ecx,8)
	movl $0, 4(%edi,%ecx,8)
	inc %ecx
	cmp $2048, %ecx
	jb 1b
	/* PDPT[0..3] -> the four directories; upper levels allow user */
	mov $boot_pdpt, %edi
	xor %ecx, %ecx
2:	mov %ecx, %eax
	shl $12, %eax
	add $boot_pd, %eax
	or $(PTE_P | PTE_RW | PTE_US), %eax
	mov %eax, (%edi,%ecx,8)
	inc %ecx
	cmp $4, %ecx
	jb 2b
	mov $boot_pdpt, %eax
	or $(PTE_P | PTE_RW | PTE_US), %eax
	mov %eax, boot_pml4

	mov $boot_pml4, %eax
	mov %eax, %cr3
	mov %cr4, %eax
	or $(CR4_PAE | CR4_OSFXSR | CR4_OSXMMEXCPT), %eax
	mov %eax, %cr4
	mov $MSR_EFER, %ecx
	rdmsr
	or $(EFER_LME | EFER_NXE), %eax
	wrmsr
	mov %cr0, %eax
	and $~(CR0_EM | CR0_TS), %eax
	or $(CR0_PE | CR0_MP | CR0_NE | CR0_WP | CR0_PG), %eax
	mov %eax, %cr0
	lgdt gdt_ptr
	ljmp $SEL_CODE64, $long_entry

	.code64
long_entry:
	mov $SEL_DATA, %ax
	mov %ax, %ds
	mov %ax, %es
	mov %ax, %ss
	mov %ax, %fs
	mov %ax, %gs
	mov $boot_stack_top, %rsp
	xor %ebp, %ebp
	call rt_main
3:	cli
	hlt
	jmp 3b

	.data
	.balign 8
	.global gdt
gdt:
	.quad 0				/* 0x00 null */
	.quad 0x00af9b000000ffff	/* 0x08 code64, DPL0 */
	.quad 0x00cf93000000ffff	/* 0x10 data, flat, DPL0 */
	.quad 0x00cf9b000000ffff	/* 0x18 code32, flat, DPL0 */
	.quad 0x00009b000000ffff	/* 0x20 code16, base 0, limit 64K */
	.quad 0x000093000000ffff	/* 0x28 data16, base 0, limit 64K */
	.quad 0x00cffb000000ffff	/* 0x30 user code32, DPL3 (SYSRET CS32) */
	.quad 0x00cff3000000ffff	/* 0x38 user data, DPL3 (SYSRET SS) */
	.quad 0x00affb000000ffff	/* 0x40 user code64, DPL3 (SYSRET CS64) */
	.fill GDT_ENTRIES - 9, 8, 0	/* 0x48 TSS (2 slots), then free slots */
gdt_end:
	.global gdt_ptr
gdt_ptr:
	.word gdt_end - gdt - 1
	.quad gdt

	.global mb_magic, mb_info
mb_magic: .long 0
mb_info:  .long 0

	.bss
	.balign 4096
	.global boot_pml4, boot_pdpt, boot_pd
boot_pml4: .skip 4096
boot_pdpt: .skip 4096
boot_pd:   .skip 4 * 4096
	.balign 16
boot_stack: .skip BOOT_STACK_SIZE
	.global boot_stack_top
boot_stack_top:

	.section .note.GNU-stack, "", @progbits
