/* SPDX-License-Identifier: MIT */
/* Protected- and long-mode event delivery through the IDT (APM vol. 2,
 * 8.7 legacy, 8.9 long mode): gate checks, privilege checks, the stack
 * switch through the TSS (RSPn/IST in long mode), the frame push and the
 * RFLAGS changes. Every push is checked before CS/SS/CPL change, because
 * exception.c rolls back only RSP, RIP and RFLAGS. */
#include "exec.h"
#include "fault.h"
#include "../exec/desc.h"
#include "../exec/frame.h"
#include "../exec/seg.h"
#include "../exec/tss.h"
#include "../exec/task.h"

/* INT n, INT3 and INTO are checked against the gate DPL; their nested
 * faults carry EXT = 0. Everything else (hardware exceptions, external
 * interrupts, NMI, INT1) is "external" for the EXT bit (APM 8.4.1). */
static bool is_soft(const struct event *ev)
{
	return ev->kind == EV_SOFTINT || ev->kind == EV_SWEXC;
}

static MAYFAULT void read_gate(struct cpu *c, const struct event *ev, bool lm, uint32_t ext,
			       struct desc *g)
{
	uint32_t idt_err = (uint32_t)ev->vector * 8 + 2 + ext;
	if (!idt_read(c, ev->vector, g))
		raise_exc_err(c, EXC_GP, idt_err);
	bool ok = !g->s && (g->type == DT_INT || g->type == DT_TRAP);
	if (!lm)
		ok = ok || (!g->s && (g->type == DT_INT16 || g->type == DT_TRAP16 || g->type == DT_TASK));
	if (!ok)
		raise_exc_err(c, EXC_GP, idt_err);
	if (is_soft(ev) && g->dpl < c->cpl)
		raise_exc_err(c, EXC_GP, (uint32_t)ev->vector * 8 + 2);
	if (!g->p)
		raise_exc_err(c, EXC_NP, idt_err);
}

static MAYFAULT void read_target_cs(struct cpu *c, const struct desc *g, bool lm, uint32_t ext,
				    struct desc *cs)
{
	uint16_t sel = gate_sel(g);
	if (SEL_NULL(sel))
		raise_exc_err(c, EXC_GP, ext);
	uint32_t err = SEL_ERR(sel) | ext;
	if (!desc_read(c, sel, cs))
		raise_exc_err(c, EXC_GP, err);
	if (!desc_is_code(cs) || cs->dpl > c->cpl)
		raise_exc_err(c, EXC_GP, err);
	if (lm && !desc_is64(cs))
		raise_exc_err(c, EXC_GP, err);
	if (!cs->p)
		raise_exc_err(c, EXC_NP, err);
}

/* RFLAGS image pushed: faults push RF = 1 so the IRET back does not
 * re-trigger an instruction breakpoint (APM 13.1.2.x). */
static uint64_t pushed_flags(const struct cpu *c, const struct event *ev)
{
	uint64_t f = c->rflags;
	if (ev->kind == EV_FAULT && ev->vector != EXC_DB)
		f |= FL_RF;
	return f;
}

static void add_tail(struct frame *f, const struct cpu *c, const struct event *ev, uint64_t ret_rip)
{
	frame_add(f, pushed_flags(c, ev));
	frame_add(f, c->seg[SEG_CS].sel);
	frame_add(f, ret_rip);
	if (ev->has_err)
		frame_add(f, ev->err);
}

/* Long mode (APM 8.9.3): 64-bit frame, SS:RSP always pushed, RSP aligned. */
static MAYFAULT void push_long(struct cpu *c, const struct event *ev, const struct desc *g,
			       int new_cpl, uint64_t ret_rip, uint32_t ext, struct seg *ss,
			       uint64_t *rsp)
{
	bool priv = new_cpl < c->cpl;
	*ss = c->seg[SEG_SS];
	*rsp = c->gpr[4];
	if (gate_ist(g))
		*rsp = tss_ist64(c, (int)gate_ist(g), ext);
	else if (priv)
		*rsp = tss_rsp64(c, new_cpl, ext);
	if (priv) {
		seg_make_null(ss, (uint16_t)new_cpl);
		ss->attr = (uint16_t)(new_cpl << 5);
	}
	*rsp &= ~0xfull;
	struct frame f = { .size = 8 };
	frame_add(&f, c->seg[SEG_SS].sel);
	frame_add(&f, c->gpr[4]);
	add_tail(&f, c, ev, ret_rip);
	*rsp = frame_push(c, ss, *rsp, 64, &f, new_cpl, ext);
}

/* Legacy mode (APM 8.7.3): inner stack from the TSS, v86 data selectors. */
static MAYFAULT void push_legacy(struct cpu *c, const struct event *ev, const struct desc *g,
				 int new_cpl, uint64_t ret_rip, uint32_t ext, struct seg *ss,
				 uint64_t *rsp)
{
	struct frame f = { .size = (g->type & 8) ? 4 : 2 };
	if (new_cpl < c->cpl) {
		uint16_t ss_sel;
		uint64_t sp;
		tss_legacy_stack(c, new_cpl, ext, &ss_sel, &sp);
		seg_check_ss(c, ss_sel, new_cpl, EXC_TS, false, ext, ss);
		if (c->mode == MODE_V86) {
			frame_add(&f, c->seg[SEG_GS].sel);
			frame_add(&f, c->seg[SEG_FS].sel);
			frame_add(&f, c->seg[SEG_DS].sel);
			frame_add(&f, c->seg[SEG_ES].sel);
		}
		frame_add(&f, c->seg[SEG_SS].sel);
		frame_add(&f, c->gpr[4]);
		add_tail(&f, c, ev, ret_rip);
		*rsp = frame_push(c, ss, sp, ss_bits(ss), &f, new_cpl, SEL_ERR(ss_sel) | ext);
		return;
	}
	*ss = c->seg[SEG_SS];
	add_tail(&f, c, ev, ret_rip);
	*rsp = frame_push(c, ss, c->gpr[4], c->stack_bits, &f, c->cpl, ext);
}

static void commit(struct cpu *c, const struct desc *g, const struct seg *cs, int new_cpl,
		   const struct seg *ss, uint64_t rsp, uint64_t rip)
{
	bool from_v86 = c->mode == MODE_V86;
	bool lm = (c->efer & EFER_LMA) != 0;
	c->rflags &= ~(uint64_t)(FL_TF | FL_NT | FL_RF | FL_VM);
	if (!(g->type & 1)) /* interrupt gate */
		c->rflags &= ~(uint64_t)FL_IF;
	if (from_v86) {
		static const int dsr[] = { SEG_ES, SEG_DS, SEG_FS, SEG_GS };
		for (unsigned i = 0; i < 4; i++)
			seg_make_null(&c->seg[dsr[i]], 0);
	}
	uint64_t m = lm ? ~0ull : ss_bits(ss) == 32 ? 0xffffffffull : 0xffffull;
	c->gpr[4] = (c->gpr[4] & ~m) | (rsp & m);
	seg_commit_cs(c, cs, new_cpl, ss);
	c->rip = rip;
}

MAYFAULT void deliver_protected(struct cpu *c, const struct event *ev, uint64_t ret_rip)
{
	bool lm = (c->efer & EFER_LMA) != 0;
	uint32_t ext = is_soft(ev) ? 0 : 1;
	struct desc g, csd;
	read_gate(c, ev, lm, ext, &g);
	if (g.type == DT_TASK) {
		task_gate_event(c, &g, ev, ext, ret_rip); /* cpu/exec/task.c */
		return;
	}
	read_target_cs(c, &g, lm, ext, &csd);
	int new_cpl = desc_conforming(&csd) ? c->cpl : csd.dpl;
	if (c->mode == MODE_V86 && new_cpl != 0)
		raise_exc_err(c, EXC_GP, SEL_ERR(gate_sel(&g)) | ext);
	uint64_t rip = gate_offset(&g);
	if (!lm && !(g.type & 8))
		rip &= 0xffff;
	if (lm ? !is_canonical(rip, cpu_va_bits(c)) : rip > csd.limit)
		raise_exc_err(c, EXC_GP, ext);
	struct seg cs, ss;
	desc_set_accessed(c, &csd);
	desc_to_seg(&cs, (uint16_t)((gate_sel(&g) & 0xfffc) | new_cpl), &csd);
	uint64_t rsp;
	if (lm)
		push_long(c, ev, &g, new_cpl, ret_rip, ext, &ss, &rsp);
	else
		push_legacy(c, ev, &g, new_cpl, ret_rip, ext, &ss, &rsp);
	commit(c, &g, &cs, new_cpl, &ss, rsp, rip);
}
