/* SPDX-License-Identifier: MIT */
/* RET far (CA, CB): same privilege or to an outer level, which pops SS:RSP
 * and nulls data segments the outer level may not use (APM vol. 3
 * "RET (Far)"; vol. 2, 4.11.6). */
#include "handlers.h"
#include "far.h"
#include "seg.h"
#include "../core/fault.h"
#include "../core/stack.h"

/* Checks of the popped CS (shared with IRET). */
MAYFAULT void far_check_return_cs(struct cpu *c, uint16_t sel, struct desc *d)
{
	far_read_desc(c, sel, d);
	if (!desc_is_code(d) || SEL_RPL(sel) < c->cpl)
		raise_exc_err(c, EXC_GP, SEL_ERR(sel));
	if (desc_conforming(d) ? d->dpl > SEL_RPL(sel) : d->dpl != SEL_RPL(sel))
		raise_exc_err(c, EXC_GP, SEL_ERR(sel));
	if (!d->p)
		raise_exc_err(c, EXC_NP, SEL_ERR(sel));
	far_check_ld(c, sel, d);
}

void op_ret_far(struct cpu *c, const struct insn *in)
{
	unsigned osz = in->opsize;
	uint64_t imm = in->opc == 0xca ? in->imm : 0;
	uint64_t rip = stack_read(c, 0, osz);
	uint16_t sel = (uint16_t)stack_read(c, osz, osz);
	if (c->mode == MODE_REAL || c->mode == MODE_V86) {
		far_real(c, sel, rip, (int)osz);
		set_rsp(c, c->gpr[4] + 2 * osz + imm);
		return;
	}
	struct desc d;
	far_check_return_cs(c, sel, &d);
	int rpl = SEL_RPL(sel);
	rip = far_target(c, &d, rip, (int)osz);
	struct seg cs, ss;
	if (rpl == c->cpl) {
		desc_set_accessed(c, &d);
		desc_to_seg(&cs, sel, &d);
		set_rsp(c, c->gpr[4] + 2 * osz + imm);
		seg_commit_cs(c, &cs, rpl, NULL);
		c->rip = rip;
		return;
	}
	uint64_t sp = stack_read(c, 2 * osz + imm, osz);
	uint16_t ss_sel = (uint16_t)stack_read(c, 3 * osz + imm, osz);
	bool null_ok = (c->efer & EFER_LMA) && desc_is64(&d) && rpl < 3;
	seg_check_ss(c, ss_sel, rpl, EXC_GP, null_ok, 0, &ss);
	desc_set_accessed(c, &d);
	desc_to_seg(&cs, sel, &d);
	seg_commit_cs(c, &cs, rpl, &ss);
	set_rsp(c, sp + imm);
	seg_null_outer(c);
	c->rip = rip;
}
