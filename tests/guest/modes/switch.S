/* The full mode round trip, observed at each stop (APM vol. 2, 14.7
 * "Leaving Long Mode", 14.6 "Enabling and Activating Long Mode", 14.4
 * "Real-mode to protected-mode switch"):
 *   64-bit -> compatibility -> 32-bit protected (paging off, EFER.LMA=0)
 *   -> 32-bit paging with 4 MiB pages -> PAE paging -> 16-bit protected
 *   -> real mode (IVT interrupt, segment arithmetic) -> 32-bit protected
 *   -> long mode again -> 64-bit.
 * Observations go to the log at LOG (below 64 KiB so real mode reaches it).
 * The 16-bit part is copied to BLOB (0x8000) by the C side first. */
#include "layout.h"

#define LOG 0x6000
#define BLOB 0x8000
#define RM_STACK 0x7000
#define B(x) ((x) - blob16 + BLOB)

	.text
	.code64
	.global mode_roundtrip
mode_roundtrip:
	push %rbx
	push %rbp
	push %r12
	push %r13
	push %r14
	push %r15
	mov %rsp, saved_rsp(%rip)
	sidt saved_idt(%rip)
	mov %cr3, %rax
	mov %rax, saved_cr3(%rip)
	mov %cr4, %rax
	mov %rax, saved_cr4(%rip)
	pushq $SEL_CODE32
	lea compat(%rip), %rax
	push %rax
	lretq

	.code32
compat:
	/* compatibility mode: 32-bit code, long mode still active */
	mov %esp, %eax
	push %eax
	sub %esp, %eax
	pop %ecx
	mov %eax, LOG + 0x00
	mov $MSR_EFER, %ecx
	rdmsr
	mov %eax, LOG + 0x04
	/* leave long mode: paging off (we run identity-mapped) */
	mov %cr0, %eax
	and $~CR0_PG, %eax
	mov %eax, %cr0
	mov $MSR_EFER, %ecx
	rdmsr
	mov %eax, LOG + 0x08
	and $~EFER_LME, %eax
	wrmsr
	/* 32-bit paging, 4 MiB pages (CR4.PSE), PD prepared by C */
	mov %cr4, %eax
	and $~CR4_PAE, %eax
	or $CR4_PSE, %eax
	mov %eax, %cr4
	mov pd32_addr, %eax
	mov %eax, %cr3
	mov %cr0, %eax
	or $CR0_PG, %eax
	mov %eax, %cr0
	mov marker_addr, %ebx
	mov 0x40000000(%ebx), %eax	/* alias of PA 0 at 1 GiB */
	mov %eax, LOG + 0x0c
	mov %cr0, %eax
	and $~CR0_PG, %eax
	mov %eax, %cr0
	/* legacy PAE paging: PDPT prepared by C, 1 GiB..2 GiB aliases 0..1 GiB */
	mov %cr4, %eax
	or $CR4_PAE, %eax
	mov %eax, %cr4
	mov pdpt_addr, %eax
	mov %eax, %cr3
	mov %cr0, %eax
	or $CR0_PG, %eax
	mov %eax, %cr0
	mov 0x40000000(%ebx), %eax
	mov %eax, LOG + 0x10
	mov %cr0, %eax
	and $~CR0_PG, %eax
	mov %eax, %cr0
	mov %esp, saved_esp
	/* FS keeps a flat 4 GiB descriptor into real mode ("unreal mode") */
	mov $SEL_DATA, %eax
	mov %eax, %fs
	mov marker_addr, %edi
	/* 16-bit protected mode, in the low copy */
	ljmp $SEL_CODE16, $B(pm16)

pm32_back:
	mov $SEL_DATA, %eax
	mov %eax, %ds
	mov %eax, %es
	mov %eax, %ss
	mov saved_esp, %esp
	/* long mode again: PAE on, CR3, EFER.LME, then paging */
	mov saved_cr4, %eax
	mov %eax, %cr4
	mov saved_cr3, %eax
	mov %eax, %cr3
	mov $MSR_EFER, %ecx
	rdmsr
	or $EFER_LME, %eax
	wrmsr
	mov %cr0, %eax
	or $CR0_PG, %eax
	mov %eax, %cr0
	mov $MSR_EFER, %ecx
	rdmsr
	mov %eax, LOG + 0x2c
	ljmp $SEL_CODE64, $lm_back

	.code64
lm_back:
	mov $SEL_DATA, %eax
	mov %eax, %fs
	mov %eax, %ds
	mov %eax, %es
	mov %eax, %ss
	mov saved_rsp(%rip), %rsp
	lidt saved_idt(%rip)
	pop %r15
	pop %r14
	pop %r13
	pop %r12
	pop %rbp
	pop %rbx
	ret

/* ---- copied to BLOB; runs with CS base 0 (pm16) or 0x8000 (real) ---- */
	.global blob16, blob16_end
	.code16
blob16:
pm16:
	mov $SEL_DATA16, %ax
	mov %ax, %ds
	mov %ax, %ss
	mov $RM_STACK, %sp
	mov %sp, %ax
	push %ax
	sub %sp, %ax
	pop %cx
	mov %ax, LOG + 0x14
	mov $LOG + 0x40, %bx		/* 16-bit addressing: [bx+si] */
	mov $4, %si
	movw $0x4321, (%bx,%si)
	mov LOG + 0x44, %ax
	mov %ax, LOG + 0x30
	/* real mode */
	mov %cr0, %eax
	and $~CR0_PE, %eax
	mov %eax, %cr0
	ljmp $(BLOB >> 4), $(rm - blob16)
rm:
	xor %ax, %ax
	mov %ax, %ds
	mov %ax, %ss
	mov $RM_STACK, %sp
	lidt B(rm_idtr)
	mov %sp, %ax
	push %ax
	sub %sp, %ax
	pop %cx
	mov %ax, LOG + 0x18
	mov %cr0, %eax
	mov %eax, LOG + 0x1c
	movw $(rm_isr - blob16), 0x40 * 4
	movw $(BLOB >> 4), 0x40 * 4 + 2
	int $0x40
	mov $0x0100, %ax
	mov %ax, %es
	movw $0xbeef, %es:0x10
	mov 0x1010, %ax
	mov %ax, LOG + 0x24
	mov $0x12345678, %eax
	mov %eax, LOG + 0x28
	/* unreal mode: FS's cached limit still 4 GiB, 32-bit address above 1 MiB */
	mov %fs:(%edi), %eax
	mov %eax, LOG + 0x38
	lcall $(BLOB >> 4), $(rm_farfn - blob16)
	/* back to protected mode: GDTR still holds the runtime's GDT */
	cli
	mov %cr0, %eax
	or $CR0_PE, %eax
	mov %eax, %cr0
	ljmpl $SEL_CODE32, $pm32_back

rm_isr:
	pushf
	pop %ax
	mov %ax, LOG + 0x34		/* FLAGS inside: IF and TF cleared */
	movw $0x1234, LOG + 0x20
	iret

rm_farfn:
	movw $0x5678, LOG + 0x3c
	lret

rm_idtr:
	.word 0x3ff
	.long 0
blob16_end:
	.code64

	.data
	.balign 8
saved_rsp: .quad 0
saved_cr3: .quad 0
saved_cr4: .quad 0
saved_esp: .long 0
saved_idt: .skip 10
	.balign 4
	.global pd32_addr, pdpt_addr, marker_addr
pd32_addr: .long 0
pdpt_addr: .long 0
marker_addr: .long 0

	.section .note.GNU-stack, "", @progbits
