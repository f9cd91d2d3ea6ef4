/* SPDX-License-Identifier: MIT */
/* mmu_translate(): linear -> physical. Paging walks live in walk.c. */
#include "walk.h"
#include "../memtype/memtype.h"


int mmu_paging_mode(const struct cpu *c)
{
	if (!(c->cr0 & CR0_PG) || !(c->cr0 & CR0_PE))
		return PAGING_NONE;
	if (!(c->cr4 & CR4_PAE))
		return PAGING_32;
	if (!(c->efer & EFER_LMA))
		return PAGING_PAE;
	return (c->cr4 & CR4_LA57) ? PAGING_5L : PAGING_4L;
}

bool mmu_translate(struct cpu *c, gla_t gla, unsigned acc, struct xlate *x, struct xfault *f)
{
	memset(x, 0, sizeof(*x));
	f->kind = XF_NONE;
	if (c->paging == PAGING_NONE) {
		x->gpa = x->spa = gla;
		x->hva = phys_hva(c->m, gla);
		x->perm = 0x7f;
		x->page_shift = 12;
		x->memtype = mmu_phys_memtype(c, gla, MMU_PAT_NONE); /* MT-05 */
		x->mtrr_type = mtrr_type(c, gla);
		x->guest_type = x->host_type = PAC_MT_WB;
		return true;
	}
	return mmu_walk(c, gla, acc, x, f);
}
