/* SPDX-License-Identifier: MIT */
/* The paging walk driver (APM 5.3-5.6): picks the table format from the
 * paging mode, then checks permissions, updates A/D bits and fills the
 * translation (memory type per APM 7.8). Pure apart from A/D (DESIGN rule 5). */
#include "walk.h"
#include "../cpuid/cpuid.h"
#include "../memtype/memtype.h"

uint64_t walk_read(struct walk *w, spa_t spa, unsigned size, unsigned table_idx)
{
	struct pac_machine *m = w->c->m;
	w->refs++;
	/* RAM/ROM ignore the memory type: compute it only for MMIO tables */
	unsigned mt = phys_hva(m, spa) ? PAC_MT_WB : mmu_phys_memtype(w->c, spa, table_idx);
	return phys_read(m, spa, (int)size, mt);
}

/* APM 8.4.2: P, W, U, RSV, I. err carries P/RSV from the walk. */
bool walk_fault(struct walk *w, struct xfault *f, uint32_t err)
{
	f->kind = XF_PF;
	f->gla = w->gla;
	f->err = err | walk_err_bits(w, w->acc);
	return false;
}

void walk_use(struct walk *w, spa_t spa, unsigned size, uint64_t e)
{
	w->ent_addr[w->n] = spa;
	w->ent_size[w->n] = (uint8_t)size;
	w->n++;
	w->us = w->us && (e & PTE_US);
	w->rw = w->rw && (e & PTE_RW);
	if (w->nxe && (e & PTE_NX))
		w->nx = true;
}

/* Set `bits` in the entry at spa with a read-modify-write of the current
 * value, like the locked OR of the hardware. */
static void set_entry_bits(struct walk *w, spa_t spa, unsigned size, uint64_t bits)
{
	struct pac_machine *m = w->c->m;
	uint64_t cur = phys_read(m, spa, (int)size, PAC_MT_WB);
	if ((cur & bits) != bits)
		phys_write(m, spa, (int)size, cur | bits,
			   phys_hva(m, spa) ? PAC_MT_WB : mmu_phys_memtype(w->c, spa, 0));
}

/* APM 5.4.2: A on every entry used, D on the leaf for a write.
 * APPROX: only after the whole walk succeeded (see walk.h). */
static void update_ad(struct walk *w, bool write)
{
	for (unsigned i = 0; i < w->n; i++) {
		uint64_t bits = PTE_A;
		if (i == w->n - 1 && write)
			bits |= PTE_D;
		set_entry_bits(w, w->ent_addr[i], w->ent_size[i], bits);
	}
}

/* APPROX: a large page spanning MTRR ranges of different types (MT-09,
 * undefined) gets the MTRR type of the byte's own 4 KiB slice. */
static void fill_memtype(struct walk *w, struct xlate *x)
{
	struct cpu *c = w->c;
	x->guest_type = pat_type(c->msr.hpat, w->pat_idx);
	x->host_type = x->guest_type;
	x->mtrr_type = mtrr_type(c, x->spa);
	x->memtype = (c->cr0 & CR0_CD) ? PAC_MT_CD : memtype_combine(x->guest_type, x->mtrr_type);
}

static void fill_xlate(struct walk *w, struct xlate *x, bool dirty)
{
	struct cpu *c = w->c;
	uint64_t off_mask = (1ull << w->page_shift) - 1;
	x->gpa = w->page_base | (w->gla & off_mask);
	x->spa = x->gpa;
	x->hva = phys_hva(c->m, x->spa);
	x->page_shift = (uint8_t)w->page_shift;
	x->global = (c->cr4 & CR4_PGE) && (w->leaf & PTE_G);
	x->perm = walk_perm_bits(w, dirty);
	x->walk_refs = w->refs;
	fill_memtype(w, x);
}

bool mmu_walk(struct cpu *c, gla_t gla, unsigned acc, struct xlate *x, struct xfault *f)
{
	struct walk w;
	memset(&w, 0, sizeof w);
	w.c = c;
	w.gla = gla;
	w.acc = acc;
	w.maxphy = cpu_phys_bits(c);
	w.addr_mask = bits_from(12, w.maxphy - 1);
	w.nxe = (c->efer & EFER_NXE) && c->paging != PAGING_32;
	w.us = w.rw = true;
	bool ok;
	switch (c->paging) {
	case PAGING_32: ok = walk_legacy32(&w, f); break;
	case PAGING_PAE: ok = walk_pae(&w, f); break;
	default: ok = walk_long(&w, f); break;
	}
	x->walk_refs = w.refs;
	if (!ok)
		return false;
	uint32_t err = walk_check(&w, acc);
	if (err)
		return walk_fault(&w, f, err);
	bool write = (acc & ACC_W) && !(acc & ACC_NOFAULT);
	if (!(acc & ACC_NOFAULT))
		update_ad(&w, write);
	fill_xlate(&w, x, write || (w.leaf & PTE_D));
	return true;
}
