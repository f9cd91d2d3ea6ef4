/* SPDX-License-Identifier: MIT */
/* The bundled demo guest: a Multiboot kernel that reports over COM1 what
 * the CPU does as it boots — the Multiboot hand-over, CPUID, the switch
 * from 32-bit protected mode to 64-bit long mode, a few computations —
 * and powers off through isa-debug-exit (port 0xf4) with value 0, so
 * pacifica (like QEMU) exits with status 1. */
#define COM1 0x3f8
#define MSR_EFER 0xc0000080

	.text
	.code32
	.global _start
_start:
	jmp	entry32

	.balign 4
multiboot_header:                       /* Multiboot 0.6.96, 3.1.1 */
	.long	0x1badb002              /* magic */
	.long	0x00000003              /* page-aligned modules, memory info */
	.long	-(0x1badb002 + 0x00000003)

entry32:
	cld
	mov	$stack_top, %esp
	mov	%eax, boot_magic
	mov	%ebx, boot_info
	call	serial_init
	mov	$msg_hello, %esi
	call	puts32
	call	report_multiboot
	call	report_pmode
	call	report_cpuid
	call	enter_long_mode          /* does not return */

/* ---- 32-bit helpers ---- */
serial_init:
	mov	$COM1 + 3, %dx
	mov	$0x80, %al              /* DLAB: set the divisor to 1 (115200 baud) */
	out	%al, %dx
	mov	$COM1, %dx
	mov	$1, %al
	out	%al, %dx
	inc	%dx
	xor	%al, %al
	out	%al, %dx
	mov	$COM1 + 3, %dx
	mov	$0x03, %al              /* 8N1, DLAB off */
	out	%al, %dx
	mov	$COM1 + 2, %dx
	mov	$0x07, %al              /* FIFOs on and cleared */
	out	%al, %dx
	ret

putc32:                                 /* AL = character */
	push	%edx
	push	%eax
	mov	$COM1 + 5, %dx
1:	in	%dx, %al
	test	$0x20, %al              /* LSR.THRE */
	jz	1b
	pop	%eax
	mov	$COM1, %dx
	out	%al, %dx
	pop	%edx
	ret

puts32:                                 /* ESI = NUL-terminated string */
	push	%eax
1:	lodsb
	test	%al, %al
	jz	2f
	call	putc32
	jmp	1b
2:	pop	%eax
	ret

puthex32:                               /* EAX, as 0x%08x */
	push	%ecx
	push	%ebx
	mov	%eax, %ebx
	mov	$'0', %al
	call	putc32
	mov	$'x', %al
	call	putc32
	mov	$8, %ecx
1:	rol	$4, %ebx
	mov	%ebx, %eax
	and	$0xf, %eax
	mov	hexdigits(%eax), %al
	call	putc32
	loop	1b
	pop	%ebx
	pop	%ecx
	ret

putdec32:                               /* EAX, unsigned decimal */
	push	%ecx
	push	%edx
	push	%ebx
	mov	$10, %ebx
	xor	%ecx, %ecx
1:	xor	%edx, %edx
	div	%ebx
	push	%edx
	inc	%ecx
	test	%eax, %eax
	jnz	1b
2:	pop	%eax
	add	$'0', %al
	call	putc32
	loop	2b
	pop	%ebx
	pop	%edx
	pop	%ecx
	ret

report_multiboot:
	mov	$msg_magic, %esi
	call	puts32
	mov	boot_magic, %eax
	call	puthex32
	mov	boot_info, %ebx
	testl	$1, (%ebx)              /* flags.mem */
	jz	1f
	mov	$msg_mem, %esi
	call	puts32
	mov	4(%ebx), %eax
	call	putdec32
	mov	$msg_kib_upper, %esi
	call	puts32
	mov	8(%ebx), %eax
	call	putdec32
	mov	$msg_kib, %esi
	call	puts32
1:	testl	$4, (%ebx)              /* flags.cmdline */
	jz	2f
	mov	$msg_cmdline, %esi
	call	puts32
	mov	16(%ebx), %esi
	call	puts32
	mov	$'"', %al
	call	putc32
2:	testl	$0x200, (%ebx)          /* flags.boot_loader_name */
	jz	3f
	mov	$msg_loader, %esi
	call	puts32
	mov	64(%ebx), %esi
	call	puts32
3:	mov	$'\n', %al
	call	putc32
	ret

report_pmode:
	mov	$msg_pmode, %esi
	call	puts32
	mov	%cr0, %eax
	call	puthex32
	mov	$msg_cs, %esi
	call	puts32
	mov	%cs, %eax
	call	puthex32
	mov	$msg_eflags, %esi
	call	puts32
	pushf
	pop	%eax
	call	puthex32
	mov	$'\n', %al
	call	putc32
	ret

report_cpuid:
	xor	%eax, %eax
	cpuid
	mov	%ebx, vendor
	mov	%edx, vendor + 4
	mov	%ecx, vendor + 8
	mov	$msg_vendor, %esi
	call	puts32
	mov	$vendor, %esi
	call	puts32
	mov	$msg_family, %esi
	call	puts32
	mov	$1, %eax
	cpuid
	call	puthex32
	mov	$0x80000000, %eax
	cpuid
	cmp	$0x80000004, %eax
	jb	1f
	mov	$brand, %edi
	mov	$0x80000002, %esi
2:	mov	%esi, %eax
	cpuid
	mov	%eax, (%edi)
	mov	%ebx, 4(%edi)
	mov	%ecx, 8(%edi)
	mov	%edx, 12(%edi)
	add	$16, %edi
	inc	%esi
	cmp	$0x80000005, %esi
	jne	2b
	mov	$msg_brand, %esi
	call	puts32
	mov	$brand, %esi
	call	puts32
	mov	$'"', %al
	call	putc32
1:	mov	$'\n', %al
	call	putc32
	ret

/* Identity-map the first GiB with 2 MiB pages, then PAE, EFER.LME, CR0.PG
 * (APM vol. 2, 14.6.1 "Activating long mode"). */
enter_long_mode:
	mov	$0x80000001, %eax
	cpuid
	bt	$29, %edx               /* CPUID 8000_0001 EDX.LM */
	jc	1f
	mov	$msg_nolm, %esi
	call	puts32
	mov	$1, %al                 /* exit status 3 */
	out	%al, $0xf4
	cli
	hlt
1:	mov	$msg_switch, %esi
	call	puts32
	mov	$pdpt + 3, %eax
	mov	%eax, pml4
	mov	$pd + 3, %eax
	mov	%eax, pdpt
	xor	%ecx, %ecx
2:	mov	%ecx, %eax
	shl	$21, %eax
	or	$0x83, %eax             /* present, writable, 2 MiB page */
	mov	%eax, pd(,%ecx,8)
	inc	%ecx
	cmp	$512, %ecx
	jne	2b
	mov	%cr4, %eax
	or	$0x20, %eax             /* CR4.PAE */
	mov	%eax, %cr4
	mov	$pml4, %eax
	mov	%eax, %cr3
	mov	$MSR_EFER, %ecx
	rdmsr
	or	$0x100, %eax            /* EFER.LME */
	wrmsr
	mov	%cr0, %eax
	or	$0x80000000, %eax       /* CR0.PG: long mode becomes active */
	mov	%eax, %cr0
	lgdt	gdt64_ptr
	ljmp	$0x08, $entry64

/* ---- 64-bit part ---- */
	.code64
entry64:
	mov	$0x10, %eax
	mov	%eax, %ds
	mov	%eax, %es
	mov	%eax, %ss
	lea	stack_top(%rip), %rsp
	lea	msg_long(%rip), %rsi
	call	puts64
	mov	$MSR_EFER, %ecx
	rdmsr
	call	puthex64
	lea	msg_cr4(%rip), %rsi
	call	puts64
	mov	%cr4, %rax
	call	puthex64
	lea	msg_rip(%rip), %rsi
	call	puts64
	lea	entry64(%rip), %rax
	call	puthex64
	mov	$'\n', %al
	call	putc64
	call	compute
	lea	msg_bye(%rip), %rsi
	call	puts64
	xor	%eax, %eax
	out	%al, $0xf4              /* isa-debug-exit: status (0 << 1) | 1 */
	cli
1:	hlt
	jmp	1b

compute:
	lea	msg_fib(%rip), %rsi      /* fib(90) = 2880067194370816120 */
	call	puts64
	xor	%eax, %eax
	mov	$1, %edx
	mov	$90, %ecx
1:	lea	(%rax,%rdx), %r8
	mov	%rdx, %rax
	mov	%r8, %rdx
	loop	1b
	call	putdec64
	lea	msg_fact(%rip), %rsi     /* 20! = 2432902008176640000 */
	call	puts64
	mov	$1, %eax
	mov	$1, %ecx
2:	imul	%rcx, %rax
	inc	%ecx
	cmp	$21, %ecx
	jne	2b
	call	putdec64
	lea	msg_squares(%rip), %rsi  /* sum k^2, k = 1..1000 = 333833500 */
	call	puts64
	xor	%r9d, %r9d
	mov	$1000, %ecx
3:	mov	%rcx, %rax
	mul	%rcx
	add	%rax, %r9
	loop	3b
	mov	%r9, %rax
	call	putdec64
	lea	msg_bits(%rip), %rsi     /* popcount via shifts: 0xdeadbeefcafebabe has 46 */
	call	puts64
	mov	$0xdeadbeefcafebabe, %rdx
	xor	%eax, %eax
4:	test	%rdx, %rdx
	jz	5f
	mov	%rdx, %r8
	and	$1, %r8d
	add	%r8, %rax
	shr	$1, %rdx
	jmp	4b
5:	call	putdec64
	mov	$'\n', %al
	call	putc64
	ret

putc64:
	push	%rdx
	push	%rax
	mov	$COM1 + 5, %dx
1:	in	%dx, %al
	test	$0x20, %al
	jz	1b
	pop	%rax
	mov	$COM1, %dx
	out	%al, %dx
	pop	%rdx
	ret

puts64:
	push	%rax
1:	lodsb
	test	%al, %al
	jz	2f
	call	putc64
	jmp	1b
2:	pop	%rax
	ret

puthex64:                               /* RAX, as 0x%016x */
	push	%rcx
	push	%rbx
	mov	%rax, %rbx
	mov	$'0', %al
	call	putc64
	mov	$'x', %al
	call	putc64
	mov	$16, %ecx
1:	rol	$4, %rbx
	mov	%ebx, %eax
	and	$0xf, %eax
	lea	hexdigits(%rip), %rdx
	mov	(%rdx,%rax), %al
	call	putc64
	loop	1b
	pop	%rbx
	pop	%rcx
	ret

putdec64:                               /* RAX, unsigned decimal */
	push	%rcx
	push	%rdx
	push	%rbx
	mov	$10, %ebx
	xor	%ecx, %ecx
1:	xor	%edx, %edx
	div	%rbx
	push	%rdx
	inc	%ecx
	test	%rax, %rax
	jnz	1b
2:	pop	%rax
	add	$'0', %al
	call	putc64
	loop	2b
	pop	%rbx
	pop	%rdx
	pop	%rcx
	ret

	.section .rodata
	.balign 8
gdt64:
	.quad	0
	.quad	0x00af9a000000ffff      /* 0x08: 64-bit code, L=1 */
	.quad	0x00cf92000000ffff      /* 0x10: flat data */
gdt64_ptr:
	.word	gdt64_ptr - gdt64 - 1
	.long	gdt64
hexdigits:	.ascii "0123456789abcdef"
msg_hello:	.asciz "Pacifica demo guest: a Multiboot kernel reporting over COM1\n"
msg_magic:	.asciz "multiboot: EAX="
msg_mem:	.asciz ", mem_lower="
msg_kib_upper:	.asciz " KiB, mem_upper="
msg_kib:	.asciz " KiB"
msg_cmdline:	.asciz ", cmdline=\""
msg_loader:	.asciz ", loader="
msg_pmode:	.asciz "32-bit protected mode, paging off: CR0="
msg_cs:		.asciz " CS="
msg_eflags:	.asciz " EFLAGS="
msg_vendor:	.asciz "CPUID: vendor "
msg_family:	.asciz ", leaf 1 EAX="
msg_brand:	.asciz ", brand \""
msg_nolm:	.asciz "no long mode in CPUID 8000_0001 EDX; stopping\n"
msg_switch:	.asciz "switching to long mode: 2 MiB identity pages, CR4.PAE, EFER.LME, CR0.PG\n"
msg_long:	.asciz "64-bit long mode: EFER="
msg_cr4:	.asciz " CR4="
msg_rip:	.asciz " RIP="
msg_fib:	.asciz "computed in 64-bit mode: fib(90)="
msg_fact:	.asciz " 20!="
msg_squares:	.asciz " sum(k^2, k<=1000)="
msg_bits:	.asciz " popcount(0xdeadbeefcafebabe)="
msg_bye:	.asciz "done: writing 0 to isa-debug-exit (port 0xf4), exit status 1\n"

	.bss
	.balign 4096
pml4:	.skip	4096
pdpt:	.skip	4096
pd:	.skip	4096
stack:	.skip	8192
stack_top:
boot_magic:	.skip 4
boot_info:	.skip 4
vendor:	.skip	16
brand:	.skip	52
	.section .note.GNU-stack,"",@progbits
