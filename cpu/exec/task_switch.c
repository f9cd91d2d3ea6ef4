/* SPDX-License-Identifier: MIT */
/* The hardware task switch (APM vol. 2, 12.3.4 and Figures 12-1/12-2 for
 * the 32-bit and 16-bit TSS; SDM vol. 3 7.3 for the order). Everything
 * that can fault before the commit point is done first (new TSS limit and
 * image, writability of the old TSS); after it the new task's registers
 * are the rollback state, so faults while loading its LDTR and segments
 * are taken in the new task, as the APM describes. */
#include "task.h"
#include "crreg.h"
#include "seg.h"
#include "../core/debug.h"
#include "../core/fault.h"
#include "../mmu/mmu.h"

/* dynamic fields of a TSS image */
struct tss_img {
	uint32_t eip, eflags, cr3;
	uint32_t gpr[8];
	uint16_t sreg[6]; /* ES CS SS DS FS GS */
	uint16_t ldt;
	int nsreg;        /* 6, or 4 in a 16-bit TSS (no FS, GS: kept) */
	bool trap;        /* T bit (32-bit TSS only) */
};

/* field offsets: 32-bit TSS / 16-bit TSS */
struct tss_layout {
	unsigned eip, eflags, gpr, sreg, ldt, size, min_limit;
};
static const struct tss_layout L32 = { 0x20, 0x24, 0x28, 0x48, 0x60, 4, 0x67 };
static const struct tss_layout L16 = { 0x0e, 0x10, 0x12, 0x22, 0x2a, 2, 0x2b };

static gla_t tss_lin(uint64_t base, unsigned off) { return (uint32_t)(base + off); }

static MAYFAULT void img_read(struct cpu *c, uint64_t base, const struct tss_layout *l,
			      struct tss_img *t)
{
	unsigned sz = l->size;
	t->cr3 = sz == 4 ? (uint32_t)sys_read(c, tss_lin(base, 0x1c), 4) : 0;
	t->eip = (uint32_t)sys_read(c, tss_lin(base, l->eip), sz);
	t->eflags = (uint32_t)sys_read(c, tss_lin(base, l->eflags), sz);
	for (unsigned i = 0; i < 8; i++)
		t->gpr[i] = (uint32_t)sys_read(c, tss_lin(base, l->gpr + i * sz), sz);
	t->nsreg = sz == 4 ? 6 : 4;
	for (int i = 0; i < 6; i++)
		t->sreg[i] = i < t->nsreg ? (uint16_t)sys_read(c, tss_lin(base, l->sreg + (unsigned)i * sz), 2)
					  : c->seg[i].sel;
	t->ldt = (uint16_t)sys_read(c, tss_lin(base, l->ldt), 2);
	t->trap = sz == 4 && (sys_read(c, tss_lin(base, 0x64), 2) & 1);
}

/* Saves EIP, EFLAGS, the GPRs and the selectors into the outgoing TSS
 * (the static fields, CR3 and LDT selector, are not written). */
static MAYFAULT void img_save(struct cpu *c, uint64_t base, const struct tss_layout *l,
			      uint64_t eip, uint64_t eflags)
{
	unsigned sz = l->size, nsreg = sz == 4 ? 6 : 4;
	sys_write(c, tss_lin(base, l->eip), sz, eip);
	sys_write(c, tss_lin(base, l->eflags), sz, eflags);
	for (unsigned i = 0; i < 8; i++)
		sys_write(c, tss_lin(base, l->gpr + i * sz), sz, c->gpr[i]);
	for (unsigned i = 0; i < nsreg; i++)
		sys_write(c, tss_lin(base, l->sreg + i * sz), 2, c->seg[i].sel);
}

static const struct tss_layout *layout_of(unsigned type)
{
	return (type & 8) ? &L32 : &L16;
}

/* LDTR of the new task: null, or an LDT descriptor in the GDT (#TS). */
static MAYFAULT void load_ldtr(struct cpu *c, uint16_t sel, uint32_t ext)
{
	struct desc d;
	if (SEL_NULL(sel)) {
		c->ldtr.sel = sel;
		c->ldtr.attr = 0;
		return;
	}
	if ((sel & SEL_TI) || !desc_read(c, sel, &d) || d.s || d.type != DT_LDT || !d.p)
		raise_exc_err(c, EXC_TS, SEL_ERR(sel) | ext);
	desc_to_seg(&c->ldtr, sel, &d);
}

/* CS of the new task: CPL = RPL (APM 12.3.4, SDM Table 7-1). */
static MAYFAULT void load_cs(struct cpu *c, uint16_t sel, uint32_t ext)
{
	struct desc d;
	uint32_t err = SEL_ERR(sel) | ext;
	int rpl = SEL_RPL(sel);
	if (SEL_NULL(sel) || !desc_read(c, sel, &d) || !desc_is_code(&d))
		raise_exc_err(c, EXC_TS, err);
	if (desc_conforming(&d) ? d.dpl > rpl : d.dpl != rpl)
		raise_exc_err(c, EXC_TS, err);
	if (!d.p)
		raise_exc_err(c, EXC_NP, err);
	desc_set_accessed(c, &d);
	desc_to_seg(&c->seg[SEG_CS], sel, &d);
	c->cpl = rpl;
	mode_update(c);
}

static MAYFAULT void load_ss(struct cpu *c, uint16_t sel, uint32_t ext)
{
	struct desc d;
	uint32_t err = SEL_ERR(sel) | ext;
	if (SEL_NULL(sel) || !desc_read(c, sel, &d) || !desc_writable_data(&d) ||
	    SEL_RPL(sel) != c->cpl || d.dpl != c->cpl)
		raise_exc_err(c, EXC_TS, err);
	if (!d.p)
		raise_exc_err(c, EXC_SS, err);
	desc_set_accessed(c, &d);
	desc_to_seg(&c->seg[SEG_SS], sel, &d);
	mode_update(c);
}

static MAYFAULT void load_data(struct cpu *c, int sr, uint16_t sel, uint32_t ext)
{
	struct desc d;
	uint32_t err = SEL_ERR(sel) | ext;
	if (SEL_NULL(sel)) {
		c->seg[sr].sel = sel;
		c->seg[sr].attr = 0;
		return;
	}
	if (!desc_read(c, sel, &d) || !d.s || !desc_readable(&d))
		raise_exc_err(c, EXC_TS, err);
	if (!desc_conforming(&d) && (d.dpl < c->cpl || d.dpl < SEL_RPL(sel)))
		raise_exc_err(c, EXC_TS, err);
	if (!d.p)
		raise_exc_err(c, EXC_NP, err);
	desc_set_accessed(c, &d);
	desc_to_seg(&c->seg[sr], sel, &d);
}

/* Segments of the new task: v86 (EFLAGS.VM) or protected mode. */
static MAYFAULT void load_segments(struct cpu *c, const struct tss_img *t, uint32_t ext)
{
	load_ldtr(c, t->ldt, ext);
	if (c->rflags & FL_VM) {
		c->cpl = 3;
		mode_update(c);
		for (int i = 0; i < t->nsreg; i++)
			seg_load_real(c, i, t->sreg[i]);
		mode_update(c);
		return;
	}
	for (int i = 0; i < t->nsreg; i++)
		c->seg[i].sel = t->sreg[i];
	load_cs(c, t->sreg[SEG_CS], ext);
	load_ss(c, t->sreg[SEG_SS], ext);
	static const int data[4] = { SEG_ES, SEG_DS, SEG_FS, SEG_GS };
	for (int i = 0; i < 4; i++)
		if (data[i] < t->nsreg)
			load_data(c, data[i], t->sreg[data[i]], ext);
}

/* New task's registers; they also become the rollback state (step.c). */
static void load_registers(struct cpu *c, const struct tss_img *t, bool tss32)
{
	for (int i = 0; i < 8; i++)
		reg_write(c, i, tss32 ? 4 : 2, false, t->gpr[i]);
	c->rip = t->eip & (tss32 ? 0xffffffffu : 0xffffu);
	c->rflags = (tss32 ? t->eflags : (c->rflags & ~0xffffull) | (t->eflags & 0xffff)) | FL_FIX1;
	uint64_t keep_tf = c->saved_rflags & FL_TF;
	memcpy(c->saved_gpr, c->gpr, sizeof c->gpr);
	c->saved_rip = c->rip;
	/* single-step over the switching instruction follows the old task's TF */
	c->saved_rflags = (c->rflags & ~(uint64_t)FL_TF) | keep_tf;
}

MAYFAULT void task_switch(struct cpu *c, uint16_t nsel, struct desc *nd, enum task_src src,
			  uint64_t ret_eip, uint32_t ext)
{
	const struct tss_layout *nl = layout_of(nd->type);
	const struct tss_layout *ol = layout_of(c->tr.attr & SA_TYPE);
	if (nd->limit < nl->min_limit)
		raise_exc_err(c, EXC_TS, SEL_ERR(nsel) | ext);
	struct tss_img t;
	img_read(c, nd->base, nl, &t);
	/* the outgoing TSS and the new link field must be writable */
	lin_probe_write(c, tss_lin(c->tr.base, 0), ol->ldt, ACC_IMPLICIT);
	if (src == TASK_CALL || src == TASK_INT)
		lin_probe_write(c, tss_lin(nd->base, 0), 2, ACC_IMPLICIT);
	struct desc od;
	bool have_old = desc_read(c, c->tr.sel, &od);
	/* ---- commit point ---- */
	uint64_t oflags = c->rflags;
	if (src == TASK_IRET)
		oflags &= ~(uint64_t)FL_NT;
	if (have_old && (src == TASK_JMP || src == TASK_IRET))
		desc_set_busy(c, &od, false);
	img_save(c, c->tr.base, ol, ret_eip, oflags);
	if (src == TASK_CALL || src == TASK_INT) {
		sys_write(c, tss_lin(nd->base, 0), 2, c->tr.sel);
		t.eflags |= FL_NT;
	}
	if (src != TASK_IRET)
		desc_set_busy(c, nd, true);
	desc_to_seg(&c->tr, nsel, nd);
	c->tr.attr |= 2; /* busy */
	c->cr0 |= CR0_TS;
	load_registers(c, &t, nl == &L32);
	mode_update(c);
	if (nl == &L32 && (c->cr0 & CR0_PG))
		cr_write(c, 3, t.cr3);
	load_segments(c, &t, ext);
	if (t.trap)
		c->dbg_pending |= DR6_BT; /* #DB trap before the new task runs */
}
