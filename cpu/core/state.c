/* SPDX-License-Identifier: MIT */
/* Register state get/set for the API. Setting state recomputes the mode and
 * flushes the TLB (bochscpu's rule, DESIGN "embedding API"). */
#include "cpu.h"
#include "../mmu/mmu.h"
#include "../msr/msr.h"

static struct cpu *cpu_of(pac_machine *m, int i)
{
	return (i >= 0 && (unsigned)i < m->ncpus) ? m->cpus[i] : NULL;
}

static void seg_out(struct pac_seg *o, const struct seg *s)
{
	*o = (struct pac_seg){ s->sel, s->attr, s->limit, s->base };
}
static void seg_in(struct seg *s, const struct pac_seg *o)
{
	*s = (struct seg){ o->sel, o->attr, o->limit, o->base };
}

int pac_get_regs(pac_machine *m, int i, struct pac_regs *r)
{
	struct cpu *c = cpu_of(m, i);
	if (!c)
		return PAC_ERR_RANGE;
	memset(r, 0, sizeof *r);
	memcpy(r->gpr, c->gpr, sizeof r->gpr);
	r->rip = c->rip;
	r->rflags = c->rflags;
	for (int s = 0; s < 6; s++)
		seg_out(&r->seg[s], &c->seg[s]);
	seg_out(&r->ldtr, &c->ldtr);
	seg_out(&r->tr, &c->tr);
	r->gdtr = (struct pac_dtr){ c->gdtr.base, c->gdtr.limit };
	r->idtr = (struct pac_dtr){ c->idtr.base, c->idtr.limit };
	r->cr0 = c->cr0;
	r->cr2 = c->cr2;
	r->cr3 = c->cr3;
	r->cr4 = c->cr4;
	r->cr8 = c->tpr;
	r->efer = c->efer;
	memcpy(r->dr, c->dr, sizeof r->dr);
	r->xcr0 = c->xcr0;
	r->cpl = (uint32_t)c->cpl;
	return PAC_OK;
}

int pac_set_regs(pac_machine *m, int i, const struct pac_regs *r)
{
	struct cpu *c = cpu_of(m, i);
	if (!c)
		return PAC_ERR_RANGE;
	if (r->cpl > 3)
		return PAC_ERR_INVAL;
	memcpy(c->gpr, r->gpr, sizeof c->gpr);
	c->rip = r->rip;
	c->rflags = (r->rflags | FL_FIX1) & 0x3f7fd7ull;
	for (int s = 0; s < 6; s++)
		seg_in(&c->seg[s], &r->seg[s]);
	seg_in(&c->ldtr, &r->ldtr);
	seg_in(&c->tr, &r->tr);
	c->gdtr = (struct dtr){ r->gdtr.base, r->gdtr.limit };
	c->idtr = (struct dtr){ r->idtr.base, r->idtr.limit };
	c->cr0 = r->cr0;
	c->cr2 = r->cr2;
	c->cr3 = r->cr3;
	c->cr4 = r->cr4;
	c->tpr = (uint8_t)(r->cr8 & 15);
	c->efer = r->efer;
	memcpy(c->dr, r->dr, sizeof c->dr);
	c->xcr0 = r->xcr0 ? r->xcr0 : 1;
	c->cpl = (int)r->cpl;
	c->halted = false;
	mode_update(c);
	if (c->paging == PAGING_PAE)
		mmu_load_pdptes(c);
	tlb_flush_all(c);
	return PAC_OK;
}

int pac_get_msr(pac_machine *m, int i, uint32_t index, uint64_t *val)
{
	struct cpu *c = cpu_of(m, i);
	if (!c)
		return PAC_ERR_RANGE;
	return msr_read(c, index, val, true) ? PAC_OK : PAC_ERR_MSR;
}

int pac_set_msr(pac_machine *m, int i, uint32_t index, uint64_t val)
{
	struct cpu *c = cpu_of(m, i);
	if (!c)
		return PAC_ERR_RANGE;
	return msr_write(c, index, val, true) ? PAC_OK : PAC_ERR_MSR;
}
