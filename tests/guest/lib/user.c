/* Ring-3 helpers: make the kernel image user-accessible while a user test
 * runs (it runs code and stack from the image), then take that back. */
#include "rt.h"

extern char __text_start[], _end[];
static uint8_t user_stack[16384] __attribute__((aligned(16)));

void set_user_range(uint64_t start, uint64_t end, bool user)
{
	for (uint64_t va = start & ~0xfffull; va < end;) {
		uint64_t *pde = pde_2m(va);
		uint64_t *e = (*pde & PTE_PS) ? pde : pte_4k(va);
		*e = user ? *e | PTE_US : *e & ~(uint64_t)PTE_US;
		invlpg((void *)va);
		va = (*pde & PTE_PS) ? (va | 0x1fffff) + 1 : va + 4096;
	}
}

int user_call(void (*fn)(void), uint64_t rflags)
{
	set_user_range((uint64_t)__text_start, (uint64_t)_end, true);
	int v = TRY(enter_user(fn, (uint64_t)(user_stack + sizeof user_stack), rflags));
	set_user_range((uint64_t)__text_start, (uint64_t)_end, false);
	reload_segments();
	return v;
}
