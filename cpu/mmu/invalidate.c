/* SPDX-License-Identifier: MIT */
/* TLB invalidation on control-register and memory-type changes (APM 5.5.2
 * "TLB Management", 7.8 PAT, 7.7 MTRRs). Rules are listed in docs/memtype.md. */
#include "walk.h"

#define CR0_FLUSH (CR0_PG | CR0_WP | CR0_CD | CR0_PE)
#define CR4_FLUSH (CR4_PGE | CR4_PAE | CR4_PSE | CR4_PCIDE | CR4_SMEP | CR4_SMAP | CR4_LA57)
#define EFER_FLUSH (EFER_NXE | EFER_LME | EFER_LMA)
#define CR3_NOFLUSH (1ull << 63)

/* MOV CR3. Without PCIDE: all non-global entries. With PCIDE: the new
 * PCID's non-global entries unless bit 63 of the written value is set. The
 * TLB only ever holds entries of the current PCID (lookups do not compare
 * PCIDs), so a PCID switch also drops the old PCID's non-global entries:
 * an allowed over-invalidation. */
static void cr3_written(struct cpu *c, uint64_t oldv, uint64_t newv)
{
	if (!(c->cr4 & CR4_PCIDE)) {
		tlb_flush_nonglobal(c);
	} else {
		uint16_t oldp = (uint16_t)(oldv & 0xfff), newp = (uint16_t)(newv & 0xfff);
		if (oldp != newp)
			tlb_flush_pcid(c, oldp, true);
		if (!(newv & CR3_NOFLUSH))
			tlb_flush_pcid(c, newp, true);
	}
	if (c->paging == PAGING_PAE)
		mmu_load_pdptes(c);
}

void mmu_cr_written(struct cpu *c, int crn, uint64_t oldv, uint64_t newv)
{
	mode_update(c);
	uint64_t changed = oldv ^ newv;
	bool flush = false;
	switch (crn) {
	case 0: flush = changed & CR0_FLUSH; break;
	case 3: cr3_written(c, oldv, newv); return;
	case 4: flush = changed & CR4_FLUSH; break;
	case 0x80: flush = changed & EFER_FLUSH; break;
	default: return;
	}
	if (!flush)
		return;
	tlb_flush_all(c);
	/* the paging configuration changed: reload the in-processor PDPTEs */
	if (crn != 0x80 && c->paging == PAGING_PAE)
		mmu_load_pdptes(c);
}

void mmu_memtype_changed(struct cpu *c)
{
	tlb_flush_all(c);
}
