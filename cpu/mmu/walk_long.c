/* SPDX-License-Identifier: MIT */
/* Walks with 64-bit entries: legacy PAE (APM 5.3.3, PDPTEs from the
 * in-processor copy) and long mode 4-/5-level (APM 5.3.3-5.3.5). */
#include "walk.h"
#include "../cpuid/cpuid.h"
#include "../decode/insn.h"

/* Reserved (MBZ) bits of a present entry at `level` (1 = PTE) in addition
 * to the address bits above MAXPHYADDR and NX without EFER.NXE. */
static uint64_t level_mbz(const struct walk *w, int level, uint64_t e)
{
	if (level >= 4)
		return PTE_PS | PTE_G; /* PML4E/PML5E bits 8:7 MBZ (APM Fig. 5-18) */
	if (level == 3 && (e & PTE_PS))
		return cpu_has(w->c, FEAT_PDPE1GB) ? bits_from(13, 29) : PTE_PS;
	if (level == 2 && (e & PTE_PS))
		return bits_from(13, 20);
	return 0;
}

static void set_leaf(struct walk *w, uint64_t e, int level)
{
	w->leaf = e;
	w->page_shift = 12 + 9 * (unsigned)(level - 1);
	w->page_base = e & w->addr_mask & ~((1ull << w->page_shift) - 1);
	uint64_t pat = level == 1 ? (e & PTE_PAT4K) : (e & PTE_PATLG);
	w->pat_idx = pwt_pcd_index(e) | (pat ? 4u : 0u);
}

bool walk_levels64(struct walk *w, spa_t table, unsigned table_idx, int level, struct xfault *f)
{
	bool pae = w->c->paging == PAGING_PAE;
	uint64_t hi_rsvd = bits_from(w->maxphy, pae ? 62 : 51);
	if (!w->nxe)
		hi_rsvd |= PTE_NX;
	for (; level >= 1; level--) {
		unsigned shift = 12 + 9 * (unsigned)(level - 1);
		spa_t ea = table + ((w->gla >> shift) & 511) * 8;
		uint64_t e = walk_read(w, ea, 8, table_idx);
		if (!(e & PTE_P))
			return walk_fault(w, f, 0);
		if (e & (hi_rsvd | level_mbz(w, level, e)))
			return walk_fault(w, f, PFEC_P | PFEC_RSV);
		walk_use(w, ea, 8, e);
		if (level == 1 || (e & PTE_PS)) {
			set_leaf(w, e, level);
			return true;
		}
		table = e & w->addr_mask;
		table_idx = pwt_pcd_index(e);
	}
	return walk_fault(w, f, 0); /* not reached: level 1 is always a leaf */
}

/* Legacy PAE: the PDPTE comes from c->pdpte[] (loaded by MOV CR3 etc.);
 * it carries no U/S, R/W or NX and has no A bit. */
bool walk_pae(struct walk *w, struct xfault *f)
{
	uint64_t e = w->c->pdpte[(w->gla >> 30) & 3];
	if (!(e & PTE_P))
		return walk_fault(w, f, 0);
	if (e & mmu_pdpte_rsvd(w->c))
		return walk_fault(w, f, PFEC_P | PFEC_RSV);
	return walk_levels64(w, e & w->addr_mask, pwt_pcd_index(e), 2, f);
}

bool walk_long(struct walk *w, struct xfault *f)
{
	struct cpu *c = w->c;
	/* with CR4.PCIDE, CR3[11:0] is the PCID and PWT/PCD read as 0 */
	unsigned idx = (c->cr4 & CR4_PCIDE) ? 0 : pwt_pcd_index(c->cr3);
	int levels = c->paging == PAGING_5L ? 5 : 4;
	return walk_levels64(w, c->cr3 & w->addr_mask, idx, levels, f);
}
