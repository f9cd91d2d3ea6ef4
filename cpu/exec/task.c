/* SPDX-License-Identifier: MIT */
/* Entry points of hardware task switching (APM vol. 2, 12.3.1-12.3.3;
 * SDM vol. 3 7.3, and the JMP/CALL/INT/IRET pseudo-code): the checks on
 * the TSS descriptor or task gate before the switch. */
#include "task.h"
#include "../core/fault.h"
#include "../core/stack.h"
#include "../mmu/mmu.h"

static bool tss_available(const struct desc *d)
{
	return !d->s && (d->type == DT_TSS16 || d->type == DT_TSS);
}

static bool tss_busy(const struct desc *d)
{
	return !d->s && (d->type == DT_TSS16_BUSY || d->type == DT_TSS_BUSY);
}

/* The TSS named by a task gate or a link field: GDT only (TI = 0). */
static MAYFAULT void read_tss_desc(struct cpu *c, uint16_t tsel, int vec, uint32_t ext,
				   struct desc *nd)
{
	if ((tsel & SEL_TI) || SEL_NULL(tsel) || !desc_read(c, tsel, nd))
		raise_exc_err(c, vec, SEL_ERR(tsel) | ext);
}

MAYFAULT void task_far(struct cpu *c, uint16_t sel, const struct desc *d, bool call)
{
	struct desc nd;
	uint16_t tsel = sel;
	/* DPL >= max(CPL, RPL) for both the gate and a TSS named directly */
	if (d->dpl < c->cpl || d->dpl < SEL_RPL(sel))
		raise_exc_err(c, EXC_GP, SEL_ERR(sel));
	if (d->type == DT_TASK) {
		if (!d->p)
			raise_exc_err(c, EXC_NP, SEL_ERR(sel));
		tsel = gate_sel(d);
		read_tss_desc(c, tsel, EXC_GP, 0, &nd);
	} else {
		if (sel & SEL_TI)
			raise_exc_err(c, EXC_GP, SEL_ERR(sel));
		nd = *d;
	}
	if (!tss_available(&nd))
		raise_exc_err(c, EXC_GP, SEL_ERR(tsel));
	if (!nd.p)
		raise_exc_err(c, EXC_NP, SEL_ERR(tsel));
	task_switch(c, tsel, &nd, call ? TASK_CALL : TASK_JMP, c->next_rip, 0);
	if (c->rip > c->seg[SEG_CS].limit)
		raise_gp0(c);
}

MAYFAULT void task_gate_event(struct cpu *c, const struct desc *g, const struct event *ev,
			      uint32_t ext, uint64_t ret_eip)
{
	struct desc nd;
	uint16_t tsel = gate_sel(g);
	read_tss_desc(c, tsel, EXC_GP, ext, &nd);
	if (!tss_available(&nd))
		raise_exc_err(c, EXC_GP, SEL_ERR(tsel) | ext);
	if (!nd.p)
		raise_exc_err(c, EXC_NP, SEL_ERR(tsel) | ext);
	task_switch(c, tsel, &nd, TASK_INT, ret_eip, ext);
	/* the error code goes on the new task's stack (APM 12.3.3) */
	if (ev->has_err) {
		bool tss32 = (nd.type & 8) != 0;
		push(c, tss32 ? 4 : 2, ev->err);
	}
	if (c->rip > c->seg[SEG_CS].limit)
		raise_exc_err(c, EXC_GP, ext);
}

MAYFAULT void task_iret(struct cpu *c)
{
	struct desc nd;
	gla_t link_at = (uint32_t)c->tr.base;
	uint16_t tsel = (uint16_t)sys_read(c, link_at, 2); /* link field */
	read_tss_desc(c, tsel, EXC_TS, 0, &nd);
	if (!tss_busy(&nd))
		raise_exc_err(c, EXC_TS, SEL_ERR(tsel));
	if (!nd.p)
		raise_exc_err(c, EXC_NP, SEL_ERR(tsel));
	task_switch(c, tsel, &nd, TASK_IRET, c->next_rip, 0);
	if (c->rip > c->seg[SEG_CS].limit)
		raise_gp0(c);
}
