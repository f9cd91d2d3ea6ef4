/* SPDX-License-Identifier: MIT */
/* Legacy-PAE PDPTEs: the four entries at CR3[31:5] are read into an
 * in-processor copy when CR3 is loaded or paging is (re)configured; a
 * present entry with a reserved bit set makes the load fail (#GP by the
 * caller). APM 5.3.3 (PDPE format: bits 63:MAXPHYADDR, 8:5, 2:1 MBZ). */
#include "walk.h"
#include "../cpuid/cpuid.h"

uint64_t mmu_pdpte_rsvd(const struct cpu *c)
{
	return bits_from(cpu_phys_bits(c), 63) | bits_from(5, 8) | bits_from(1, 2);
}

bool mmu_read_pdptes(struct cpu *c, uint64_t cr3, uint64_t pdpte[4])
{
	spa_t base = cr3 & 0xffffffe0ull;
	unsigned idx = pwt_pcd_index(cr3);
	bool ok = true;
	for (unsigned i = 0; i < 4; i++) {
		spa_t a = base + 8 * i;
		unsigned mt = phys_hva(c->m, a) ? PAC_MT_WB : mmu_phys_memtype(c, a, idx);
		pdpte[i] = phys_read(c->m, a, 8, mt);
		if ((pdpte[i] & PTE_P) && (pdpte[i] & mmu_pdpte_rsvd(c)))
			ok = false;
	}
	return ok;
}

bool mmu_load_pdptes(struct cpu *c)
{
	uint64_t p[4];
	if (!mmu_read_pdptes(c, c->cr3, p))
		return false;
	memcpy(c->pdpte, p, sizeof p);
	return true;
}
