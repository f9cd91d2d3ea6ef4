/* SPDX-License-Identifier: MIT */
/* Near branches: Jcc, JMP, CALL, RET, LOOPcc, JrCXZ (APM vol. 3). */
#include "handlers.h"
#include "branch.h"
#include "../core/fault.h"
#include "../core/flags.h"
#include "../core/stack.h"

/* Validates and truncates a near-branch target: canonical in 64-bit mode,
 * within the CS limit otherwise (#GP(0) before anything changes). */
MAYFAULT uint64_t branch_target(struct cpu *c, uint64_t t, int opsize)
{
	if (c->mode == MODE_LONG) {
		if (opsize == 2)
			t &= 0xffff;
		if (!is_canonical(t, cpu_va_bits(c)))
			raise_gp0(c);
		return t;
	}
	t &= size_mask(opsize);
	if (t > c->seg[SEG_CS].limit)
		raise_gp0(c);
	return t;
}

static uint64_t rel(const struct insn *in)
{
	return in->row->imm == I_B ? sext(in->imm, 1) : sext(in->imm, in->opsize == 2 ? 2 : 4);
}

void op_jcc(struct cpu *c, const struct insn *in)
{
	if (cond_true(c->rflags, in->opc & 15))
		c->rip = branch_target(c, c->next_rip + rel(in), in->opsize);
}

void op_jmp_rel(struct cpu *c, const struct insn *in)
{
	c->rip = branch_target(c, c->next_rip + rel(in), in->opsize);
}

void op_call_rel(struct cpu *c, const struct insn *in)
{
	uint64_t t = branch_target(c, c->next_rip + rel(in), in->opsize);
	push(c, in->opsize, c->next_rip);
	c->rip = t;
}

void op_call_E(struct cpu *c, const struct insn *in)
{
	int sz = c->mode == MODE_LONG ? 8 : in->opsize;
	uint64_t t = branch_target(c, rm_read(c, in, sz), sz);
	push(c, sz, c->next_rip);
	c->rip = t;
}

void op_jmp_E(struct cpu *c, const struct insn *in)
{
	int sz = c->mode == MODE_LONG ? 8 : in->opsize;
	c->rip = branch_target(c, rm_read(c, in, sz), sz);
}

void op_ret_near(struct cpu *c, const struct insn *in)
{
	uint64_t t = branch_target(c, stack_read(c, 0, in->opsize), in->opsize);
	set_rsp(c, c->gpr[4] + in->opsize + (in->opc == 0xc2 ? in->imm : 0));
	c->rip = t;
}

void op_loop(struct cpu *c, const struct insn *in)
{
	int as = in->addrsize;
	uint64_t cnt = (reg_read(c, 1, as, false) - 1) & size_mask(as);
	bool take = cnt != 0;
	if (in->opc == 0xe0)
		take = take && !(c->rflags & FL_ZF);
	else if (in->opc == 0xe1)
		take = take && (c->rflags & FL_ZF);
	uint64_t t = take ? branch_target(c, c->next_rip + rel(in), in->opsize) : 0;
	reg_write(c, 1, as, false, cnt);
	if (take)
		c->rip = t;
}

void op_jrcxz(struct cpu *c, const struct insn *in)
{
	if (reg_read(c, 1, in->addrsize, false) == 0)
		c->rip = branch_target(c, c->next_rip + rel(in), in->opsize);
}
