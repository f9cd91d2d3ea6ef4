/* SPDX-License-Identifier: MIT */
/* 32-bit (non-PAE) paging: 4 KiB pages and, with CR4.PSE, 4 MiB pages
 * whose PDE bits 20:13 give PA[39:32] (PSE-36) and bit 21 is reserved
 * (APM 5.3.2, Figure 5-9). No NX, no reserved bits elsewhere. */
#include "walk.h"

bool walk_legacy32(struct walk *w, struct xfault *f)
{
	struct cpu *c = w->c;
	spa_t table = c->cr3 & 0xfffff000ull;
	unsigned idx = pwt_pcd_index(c->cr3);
	spa_t ea = table + ((w->gla >> 22) & 1023) * 4;
	uint64_t pde = walk_read(w, ea, 4, idx);
	if (!(pde & PTE_P))
		return walk_fault(w, f, 0);
	if ((pde & PTE_PS) && (c->cr4 & CR4_PSE)) {
		spa_t hi = ((pde >> 13) & 0xff) << 32;
		if ((pde & (1ull << 21)) || (hi & ~bits_from(0, w->maxphy - 1)))
			return walk_fault(w, f, PFEC_P | PFEC_RSV);
		walk_use(w, ea, 4, pde);
		w->leaf = pde;
		w->page_shift = 22;
		w->page_base = (pde & 0xffc00000ull) | hi;
		w->pat_idx = pwt_pcd_index(pde) | ((pde & PTE_PATLG) ? 4u : 0u);
		return true;
	}
	walk_use(w, ea, 4, pde);
	ea = (pde & 0xfffff000ull) + ((w->gla >> 12) & 1023) * 4;
	uint64_t pte = walk_read(w, ea, 4, pwt_pcd_index(pde));
	if (!(pte & PTE_P))
		return walk_fault(w, f, 0);
	walk_use(w, ea, 4, pte);
	w->leaf = pte;
	w->page_shift = 12;
	w->page_base = pte & 0xfffff000ull;
	w->pat_idx = pwt_pcd_index(pte) | ((pte & PTE_PAT4K) ? 4u : 0u);
	return true;
}
