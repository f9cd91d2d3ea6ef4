/* SPDX-License-Identifier: MIT */
/* Software TLB: direct-mapped, tagged by linear page and ASID, holding the
 * host pointer, permissions and memory type of the translation
 * (DESIGN "One guest memory access"). Invalidation follows APM 5.5. */
#include "mmu.h"

struct tlb_entry *tlb_lookup(struct cpu *c, gla_t gla)
{
	struct tlb_entry *e = &c->tlb[(gla >> 12) & (TLB_SIZE - 1)];
	if (e->tag == (gla >> 12) + 1 && e->asid == c->asid)
		return e;
	return NULL;
}

void tlb_fill(struct cpu *c, gla_t gla, const struct xlate *x)
{
	struct tlb_entry *e = &c->tlb[(gla >> 12) & (TLB_SIZE - 1)];
	struct region *r = phys_region(c->m, x->spa);
	e->tag = (gla >> 12) + 1;
	e->asid = c->asid;
	e->spa = x->spa & ~0xfffull;
	e->gpa = x->gpa & ~0xfffull;
	e->hva = x->hva ? x->hva - (x->spa & 0xfff) : NULL;
	e->perm = x->perm;
	if (r && r->rom)
		e->perm &= (uint8_t)~((1u << ACC_W) | (1u << (ACC_W | ACC_USER)));
	e->memtype = x->memtype;
	e->global = x->global;
	e->page_shift = x->page_shift;
	e->pcid = (c->cr4 & CR4_PCIDE) ? (uint16_t)(c->cr3 & 0xfff) : 0;
}

void tlb_flush_all(struct cpu *c)
{
	for (unsigned i = 0; i < TLB_SIZE; i++)
		c->tlb[i].tag = 0;
}

void tlb_flush_nonglobal(struct cpu *c)
{
	for (unsigned i = 0; i < TLB_SIZE; i++)
		if (!c->tlb[i].global)
			c->tlb[i].tag = 0;
}

void tlb_flush_pcid(struct cpu *c, uint16_t pcid, bool keep_global)
{
	for (unsigned i = 0; i < TLB_SIZE; i++) {
		struct tlb_entry *e = &c->tlb[i];
		if (e->pcid == pcid && !(keep_global && e->global))
			e->tag = 0;
	}
}

/* INVLPG drops the page whatever size the translation had: entries are
 * 4 KiB slices, so a large page may have several; drop every slice of it. */
void tlb_flush_page(struct cpu *c, gla_t gla)
{
	for (unsigned i = 0; i < TLB_SIZE; i++) {
		struct tlb_entry *e = &c->tlb[i];
		if (!e->tag)
			continue;
		gla_t page = (e->tag - 1) << 12;
		gla_t mask = ~((1ull << e->page_shift) - 1);
		if ((page & mask) == (gla & mask))
			e->tag = 0;
	}
}
