/* One stub per tested instruction form: load RFLAGS/RAX/RCX/RDX from the
 * struct istate at RDI, run the body, store them back. Bodies must not
 * use R8 (the state pointer) or the stack below RSP. */
	.text
	.code64
.macro BEGIN name
	.global \name
	.balign 16
\name:
	mov %rdi, %r8
	mov 8(%r8), %rax
	mov 16(%r8), %rcx
	mov 24(%r8), %rdx
	pushq 0(%r8)
	popfq
.endm
.macro END
	pushfq
	popq 0(%r8)
	mov %rax, 8(%r8)
	mov %rcx, 16(%r8)
	mov %rdx, 24(%r8)
	ret
.endm

BEGIN s_add64; add %rcx, %rax; END
BEGIN s_add32; add %ecx, %eax; END
BEGIN s_add16; add %cx, %ax; END
BEGIN s_add8; add %cl, %al; END
BEGIN s_add8h; add %ch, %ah; END
BEGIN s_adc64; adc %rcx, %rax; END
BEGIN s_adc32; adc %ecx, %eax; END
BEGIN s_sub64; sub %rcx, %rax; END
BEGIN s_sub32; sub %ecx, %eax; END
BEGIN s_sbb64; sbb %rcx, %rax; END
BEGIN s_sbb8; sbb %cl, %al; END
BEGIN s_cmp64; cmp %rcx, %rax; END
BEGIN s_cmp8; cmp %cl, %al; END
BEGIN s_neg64; neg %rax; END
BEGIN s_neg32; neg %eax; END
BEGIN s_inc64; inc %rax; END
BEGIN s_inc8; inc %al; END
BEGIN s_dec32; dec %eax; END
BEGIN s_not64; not %rax; END
BEGIN s_and64; and %rcx, %rax; END
BEGIN s_or32; or %ecx, %eax; END
BEGIN s_xor64; xor %rcx, %rax; END
BEGIN s_test8; test %cl, %al; END
BEGIN s_and_imm8; and $-16, %rax; END
BEGIN s_shl64; shl %cl, %rax; END
BEGIN s_shl32; shl %cl, %eax; END
BEGIN s_shl8; shl %cl, %al; END
BEGIN s_shr64; shr %cl, %rax; END
BEGIN s_sar64; sar %cl, %rax; END
BEGIN s_sar32; sar %cl, %eax; END
BEGIN s_rol64; rol %cl, %rax; END
BEGIN s_ror32; ror %cl, %eax; END
BEGIN s_rcl64; rcl %cl, %rax; END
BEGIN s_rcr8; rcr %cl, %al; END
BEGIN s_rcl8; rcl %cl, %al; END
BEGIN s_shld64; shld %cl, %rdx, %rax; END
BEGIN s_shrd32i; shrd $4, %edx, %eax; END
BEGIN s_mul64; mul %rcx; END
BEGIN s_mul32; mul %ecx; END
BEGIN s_mul8; mul %cl; END
BEGIN s_imul64a; imul %rcx; END
BEGIN s_imul64b; imul %rcx, %rax; END
BEGIN s_imul64c; imul $-3, %rcx, %rax; END
BEGIN s_imul16a; imul %cx; END
BEGIN s_div64; div %rcx; END
BEGIN s_div32; div %ecx; END
BEGIN s_div8; div %cl; END
BEGIN s_idiv64; idiv %rcx; END
BEGIN s_idiv32; idiv %ecx; END
BEGIN s_bsf64; bsf %rcx, %rax; END
BEGIN s_bsr32; bsr %ecx, %eax; END
BEGIN s_bt64; bt %rcx, %rax; END
BEGIN s_bts64; bts %rcx, %rax; END
BEGIN s_btr32; btr %ecx, %eax; END
BEGIN s_btc16i; btc $3, %ax; END
BEGIN s_bswap64; bswap %rax; END
BEGIN s_bswap32; bswap %eax; END
BEGIN s_xadd64; xadd %rcx, %rax; END
BEGIN s_xchg32; xchg %ecx, %eax; END
BEGIN s_cmpxchg64; cmpxchg %rcx, %rdx; END
BEGIN s_cmpxchg32; cmpxchg %ecx, %edx; END
BEGIN s_movsbq; movsbq %cl, %rax; END
BEGIN s_movzwl; movzwl %cx, %eax; END
BEGIN s_movslq; movslq %ecx, %rax; END
BEGIN s_cbw; cbtw; END
BEGIN s_cwde; cwtl; END
BEGIN s_cdqe; cltq; END
BEGIN s_cqo; cqto; END
BEGIN s_cwd; cwtd; END
BEGIN s_lea64; lea 0x10(%rax,%rcx,4), %rdx; END
BEGIN s_lea32; lea (%eax,%ecx), %edx; END
BEGIN s_setcc; cmp %rcx, %rax; setl %dl; setb %cl; setg %al; END
BEGIN s_cmov; cmp %rcx, %rax; cmova %rcx, %rdx; cmovl %rcx, %rax; END
BEGIN s_cmov32f; cmp %rax, %rax; cmovne %ecx, %edx; END
BEGIN s_popcnt64; popcnt %rcx, %rax; END
BEGIN s_popcnt32; popcnt %ecx, %eax; END
BEGIN s_lzcnt64; lzcnt %rcx, %rax; END
BEGIN s_lzcnt32; lzcnt %ecx, %eax; END
BEGIN s_tzcnt64; tzcnt %rcx, %rax; END
BEGIN s_tzcnt16; tzcnt %cx, %ax; END
BEGIN s_andn; andn %rcx, %rdx, %rax; END
BEGIN s_bextr; bextr %rcx, %rdx, %rax; END
BEGIN s_blsi; blsi %rcx, %rax; END
BEGIN s_blsmsk; blsmsk %rcx, %rax; END
BEGIN s_blsr; blsr %rcx, %rax; END
BEGIN s_bzhi; bzhi %rcx, %rdx, %rax; END
BEGIN s_pdep; pdep %rcx, %rdx, %rax; END
BEGIN s_pext; pext %rcx, %rdx, %rax; END
BEGIN s_mulx; mulx %rcx, %rcx, %rax; END
BEGIN s_rorx; rorx $8, %rcx, %rax; END
BEGIN s_sarx; sarx %rdx, %rcx, %rax; END
BEGIN s_shlx32; shlx %edx, %ecx, %eax; END
BEGIN s_shrx; shrx %rdx, %rcx, %rax; END
BEGIN s_adcx; adcx %rcx, %rax; END
BEGIN s_adox; adox %rcx, %rax; END
BEGIN s_movbe; push %rcx; movbe (%rsp), %rax; pop %rcx; END
BEGIN s_crc32b; crc32b %cl, %eax; END
BEGIN s_crc32w; crc32w %cx, %eax; END
BEGIN s_crc32q; crc32q %rcx, %rax; END
BEGIN s_lahf; lahf; END
BEGIN s_sahf; sahf; END
BEGIN s_cmc; cmc; END
BEGIN s_stc; stc; END
BEGIN s_clc; clc; END
BEGIN s_enter_leave; mov %rsp, %rax; enter $16, $0; mov %rsp, %rcx; leave; sub %rcx, %rax; mov %rsp, %rdx; sub %rcx, %rdx; mov $0, %ecx; END
BEGIN s_push_pop; push %rcx; pushw $0x1234; popw %ax; pop %rdx; END

	.section .note.GNU-stack, "", @progbits

