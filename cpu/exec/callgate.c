/* SPDX-License-Identifier: MIT */
/* JMP/CALL through a call gate (APM vol. 2, 4.11.3-4.11.5; vol. 3 "CALL
 * (Far)"): 16/32-bit gates in legacy mode, 64-bit gates in long mode; CALL
 * to a more privileged level switches to the TSS stack and copies the
 * gate's parameter count (legacy only). */
#include "far.h"
#include "frame.h"
#include "seg.h"
#include "tss.h"
#include "../core/fault.h"
#include "../core/stack.h"

/* Target code segment of the gate (checks in the APM's order). */
static MAYFAULT void gate_target(struct cpu *c, const struct desc *g, bool call, struct desc *cs)
{
	uint16_t sel = gate_sel(g);
	far_read_desc(c, sel, cs);
	if (!desc_is_code(cs) || cs->dpl > c->cpl)
		raise_exc_err(c, EXC_GP, SEL_ERR(sel));
	if ((c->efer & EFER_LMA) && !desc_is64(cs))
		raise_exc_err(c, EXC_GP, SEL_ERR(sel));
	/* JMP never changes privilege: non-conforming targets need DPL == CPL */
	if (!call && !desc_conforming(cs) && cs->dpl != c->cpl)
		raise_exc_err(c, EXC_GP, SEL_ERR(sel));
	if (!cs->p)
		raise_exc_err(c, EXC_NP, SEL_ERR(sel));
}

/* The frame of a CALL to an inner level, and the new SS / RSP. */
static MAYFAULT uint64_t inner_stack(struct cpu *c, const struct desc *g, int new_cpl,
				     unsigned size, struct seg *ss)
{
	struct frame f = { .size = size };
	uint64_t sp;
	uint32_t ss_err = 0;
	int bits = 64;
	if (c->efer & EFER_LMA) {
		sp = tss_rsp64(c, new_cpl, 0);
		*ss = c->seg[SEG_SS];
		seg_make_null(ss, (uint16_t)new_cpl);
		ss->attr = (uint16_t)(new_cpl << 5);
	} else {
		uint16_t ss_sel;
		tss_legacy_stack(c, new_cpl, 0, &ss_sel, &sp);
		seg_check_ss(c, ss_sel, new_cpl, EXC_TS, false, 0, ss);
		ss_err = SEL_ERR(ss_sel);
		bits = ss_bits(ss);
	}
	frame_add(&f, c->seg[SEG_SS].sel);
	frame_add(&f, c->gpr[4]);
	if (!(c->efer & EFER_LMA)) {
		/* parameters keep their order: the deepest one is copied first */
		for (int i = (int)gate_params(g) - 1; i >= 0; i--)
			frame_add(&f, stack_read(c, (uint64_t)i * size, size));
	}
	frame_add(&f, c->seg[SEG_CS].sel);
	frame_add(&f, c->next_rip);
	return frame_push(c, ss, sp, bits, &f, new_cpl, ss_err);
}

MAYFAULT void far_call_gate(struct cpu *c, uint16_t gsel, const struct desc *g, bool call, int osz)
{
	(void)osz;
	if (g->dpl < c->cpl || g->dpl < SEL_RPL(gsel))
		raise_exc_err(c, EXC_GP, SEL_ERR(gsel));
	if (!g->p)
		raise_exc_err(c, EXC_NP, SEL_ERR(gsel));
	struct desc csd;
	gate_target(c, g, call, &csd);
	bool lm = (c->efer & EFER_LMA) != 0;
	unsigned size = lm ? 8 : g->type == DT_CALL ? 4 : 2;
	uint64_t rip = far_target(c, &csd, gate_offset(g), (int)size);
	int new_cpl = desc_conforming(&csd) ? c->cpl : csd.dpl;
	struct seg cs, ss;
	desc_set_accessed(c, &csd);
	desc_to_seg(&cs, (uint16_t)((gate_sel(g) & 0xfffc) | new_cpl), &csd);
	if (!call) {
		seg_commit_cs(c, &cs, c->cpl, NULL);
		c->rip = rip;
		return;
	}
	uint64_t sp;
	if (new_cpl < c->cpl) {
		sp = inner_stack(c, g, new_cpl, size, &ss);
		seg_commit_cs(c, &cs, new_cpl, &ss);
	} else {
		struct frame f = { .size = size };
		frame_add(&f, c->seg[SEG_CS].sel);
		frame_add(&f, c->next_rip);
		sp = frame_push(c, &c->seg[SEG_SS], c->gpr[4], c->stack_bits, &f, c->cpl, 0);
		seg_commit_cs(c, &cs, c->cpl, NULL);
	}
	set_rsp(c, sp); /* stack_bits already describe the new SS */
	c->rip = rip;
}
