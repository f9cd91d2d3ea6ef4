/* SPDX-License-Identifier: MIT */
/* Memory type of a physical access outside the leaf translation: paging
 * disabled (MT-05: MTRR type only) or a paging-structure read selected by
 * PWT/PCD of CR3 or the pointing entry (MT-04, PAT entries 0..3). */
#include "walk.h"
#include "../memtype/memtype.h"

uint8_t mmu_phys_memtype(struct cpu *c, spa_t spa, unsigned pat_index)
{
	if (c->cr0 & CR0_CD)
		return PAC_MT_CD; /* MT-12 */
	uint8_t mtrr = mtrr_type(c, spa);
	if (pat_index >= MMU_PAT_NONE)
		return mtrr;
	return memtype_combine(pat_type(c->msr.hpat, pat_index), mtrr);
}
