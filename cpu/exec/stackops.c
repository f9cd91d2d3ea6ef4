/* SPDX-License-Identifier: MIT */
/* PUSH/POP of registers, immediates and memory; PUSHF/POPF (APM vol. 3). */
#include "handlers.h"
#include "flagsreg.h"
#include "../core/fault.h"
#include "../core/stack.h"
#include "../mmu/mmu.h"

void op_push_r(struct cpu *c, const struct insn *in) { push(c, in->opsize, reg_read(c, in->reg, in->opsize, false)); }

void op_pop_r(struct cpu *c, const struct insn *in)
{
	uint64_t v = pop(c, in->opsize);
	reg_write(c, in->reg, in->opsize, false, v);
}

void op_push_imm(struct cpu *c, const struct insn *in) { push(c, in->opsize, sext(in->imm, in->opsize == 2 ? 2 : 4)); }
void op_push_imm8(struct cpu *c, const struct insn *in) { push(c, in->opsize, sext(in->imm, 1)); }
void op_push_E(struct cpu *c, const struct insn *in) { push(c, in->opsize, rm_read(c, in, in->opsize)); }

/* POP r/m: RSP is incremented before the destination address is computed
 * (APM "POP"): an RSP-based destination sees the new RSP. */
void op_pop_E(struct cpu *c, const struct insn *in)
{
	uint64_t v = pop(c, in->opsize);
	rm_write(c, in, in->opsize, v);
}

void op_pushf(struct cpu *c, const struct insn *in)
{
	uint64_t f = c->rflags;
	if (c->mode == MODE_V86 && ((f & FL_IOPL) >> 12) < 3) {
		if (!(c->cr4 & CR4_VME) || in->opsize != 2)
			raise_gp0(c);
		/* VME: IF image comes from VIF */
		f = (f & ~(uint64_t)FL_IF) | ((f & FL_VIF) ? FL_IF : 0);
		f |= FL_IOPL;
	}
	push(c, in->opsize, f & ~(uint64_t)(FL_VM | FL_RF));
}

void op_popf(struct cpu *c, const struct insn *in)
{
	uint64_t f = c->rflags;
	int iopl = (int)((f & FL_IOPL) >> 12);
	if (c->mode == MODE_V86 && iopl < 3) {
		if (!(c->cr4 & CR4_VME) || in->opsize != 2)
			raise_gp0(c);
		uint64_t v = stack_read(c, 0, 2);
		if ((v & FL_TF) || ((v & FL_IF) && (f & FL_VIP)))
			raise_gp0(c);
		pop(c, 2);
		uint64_t keep = FL_IF | FL_IOPL;
		uint64_t nf = (f & ~0xffffull) | (v & 0xffff);
		nf = (nf & ~keep) | (f & keep);
		nf = (nf & ~(uint64_t)FL_VIF) | ((v & FL_IF) ? FL_VIF : 0);
		rflags_write(c, nf);
		return;
	}
	uint64_t v = pop(c, in->opsize);
	uint64_t mask = FL_ARITH | FL_TF | FL_DF | FL_NT | FL_IF | FL_IOPL | FL_AC | FL_ID;
	if (c->mode != MODE_REAL) {
		if (c->cpl > 0)
			mask &= ~(uint64_t)FL_IOPL;
		if (c->cpl > iopl)
			mask &= ~(uint64_t)FL_IF;
	}
	if (in->opsize == 2)
		mask &= 0xffff;
	rflags_write(c, (f & ~mask) | (v & mask));
}
