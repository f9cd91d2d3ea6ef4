/* 5-level paging (CR4.LA57): entering it from 4-level, a 57-bit alias
 * through PML5[1], the canonical rule for 57-bit addresses (#PF where
 * 4-level paging gives #GP), A bits in the PML5E. Needs a CPU model with
 * LA57: run-guest.sh passes the args in this folder's emu-args file. */
#include "rt.h"

void enter_la57(uint32_t pml5);
static volatile uint64_t marker = 0x57575757abcdef01ull;

int main(void)
{
	if (!cpu_has(7, ECX, 16)) {
		skip("la57: 5-level paging", "no LA57 in CPUID");
		return 0;
	}
	uint64_t bit55 = 1ull << 55;
	int v = TRY((void)*(volatile uint64_t *)bit55);
	report("4-level: bit 55 set is non-canonical: #GP(0)", v == 13);

	uint64_t *pml5 = alloc_page();
	pml5[0] = (uint64_t)boot_pml4 | PTE_P | PTE_RW | PTE_US;
	pml5[1] = (uint64_t)boot_pml4 | PTE_P | PTE_RW | PTE_US;	/* VA 1<<48 aliases VA 0 */
	v = TRY(enter_la57((uint32_t)(uint64_t)pml5));
	report("la57: entered 5-level paging", v == -1 && (read_cr4() & 0x1000) &&
	       (rdmsr(MSR_EFER) & EFER_LMA));
	report("la57: identity map still works through PML5[0]", marker == 0x57575757abcdef01ull);
	report("la57: the walk set A in PML5[0]", pml5[0] & PTE_A);
	volatile uint64_t *alias = (volatile uint64_t *)((1ull << 48) + (uint64_t)&marker);
	report("la57: 57-bit alias through PML5[1]", *alias == marker);
	v = TRY((void)*(volatile uint64_t *)bit55);
	report("la57: bit 55 is canonical now: not-present #PF, CR2 = address",
	       v == 14 && last_exc.cr2 == bit55 && last_exc.error == 0);
	v = TRY((void)*(volatile uint64_t *)(1ull << 57));
	report("la57: bit 57 without bits 63:58 is non-canonical: #GP(0)", v == 13);
	v = TRY((void)*(volatile uint64_t *)0xff00000000000000ull);
	report("la57: 0xff00000000000000 is canonical (bit 56 set, upper ones): #PF", v == 14);
	return 0;
}
