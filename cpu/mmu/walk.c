/* SPDX-License-Identifier: MIT */
/* Page-table walks: placeholder until the walker lands (issue 2 item 4). */
#include "mmu.h"

bool mmu_walk(struct cpu *c, gla_t gla, unsigned acc, struct xlate *x, struct xfault *f)
{
	(void)c; (void)acc; (void)x;
	f->kind = XF_GP;
	f->gla = gla;
	return false;
}

bool mmu_load_pdptes(struct cpu *c)
{
	(void)c;
	return true;
}

uint8_t mmu_phys_memtype(struct cpu *c, spa_t spa, unsigned pat_index)
{
	(void)c; (void)spa; (void)pat_index;
	return PAC_MT_WB;
}

void mmu_cr_written(struct cpu *c, int crn, uint64_t oldv, uint64_t newv)
{
	(void)crn; (void)oldv; (void)newv;
	mode_update(c);
	tlb_flush_all(c);
}

void mmu_memtype_changed(struct cpu *c)
{
	tlb_flush_all(c);
}
