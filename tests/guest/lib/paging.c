/* Paging helpers over the boot identity map (boot.S). */
#include "rt.h"

#define POOL_PAGES 64
static uint8_t pool[POOL_PAGES][4096] __attribute__((aligned(4096)));
static unsigned pool_used;

void *alloc_page(void)
{
	if (pool_used >= POOL_PAGES) {
		printf("not ok - page pool exhausted\n");
		rt_exit(1);
	}
	return memset(pool[pool_used++], 0, 4096);
}

uint64_t *pde_2m(uint64_t va)
{
	return &boot_pd[va >> 21];
}

uint64_t *pte_4k(uint64_t va)
{
	uint64_t *pde = pde_2m(va);

	if (*pde & PTE_PS) {
		uint64_t *pt = alloc_page();
		uint64_t base = *pde & ~0x1fffffull & ~(1ull << 63);
		uint64_t attrs = *pde & (0xfff & ~PTE_PS) & ~(uint64_t)PTE_PAT4K;
		if (*pde & PTE_PAT2M)
			attrs |= PTE_PAT4K;
		attrs &= ~(uint64_t)(PTE_A | PTE_D);
		for (int i = 0; i < 512; i++)
			pt[i] = (base + ((uint64_t)i << 12)) | attrs | (*pde & (1ull << 63));
		/* upper level keeps P|RW|US so the 4 KiB leaves decide */
		*pde = (uint64_t)pt | PTE_P | PTE_RW | PTE_US;
		flush_tlb();
	}
	uint64_t *pt = (uint64_t *)(*pde & 0x000ffffffffff000ull);
	return &pt[(va >> 12) & 511];
}
