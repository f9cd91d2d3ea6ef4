/* Mode switches (issue 2 item 3): the round trip of switch.S, checked at
 * every stop, repeated to show it is stable. */
#include "rt.h"

#define LOG ((volatile uint32_t *)0x6000)
#define BLOB ((void *)0x8000)

extern char blob16[], blob16_end[];
extern uint32_t pd32_addr, pdpt_addr, marker_addr;
void mode_roundtrip(void);

static volatile uint32_t marker = 0xc0ffee42;
static uint64_t pdpt[4] __attribute__((aligned(32)));

static void prepare(void)
{
	uint32_t *pd = alloc_page();
	for (unsigned i = 0; i < 1024; i++)	/* 4 MiB identity pages */
		pd[i] = (i << 22) | PTE_P | PTE_RW | PTE_PS;
	pd[0x40000000 >> 22] = 0 | PTE_P | PTE_RW | PTE_PS;	/* alias of PA 0 */
	pd32_addr = (uint32_t)(uint64_t)pd;
	pdpt[0] = (uint64_t)&boot_pd[0] | PTE_P;
	pdpt[1] = (uint64_t)&boot_pd[0] | PTE_P;	/* 1 GiB aliases 0 */
	pdpt[2] = (uint64_t)&boot_pd[1024] | PTE_P;
	pdpt[3] = (uint64_t)&boot_pd[1536] | PTE_P;
	pdpt_addr = (uint32_t)(uint64_t)pdpt;
	marker_addr = (uint32_t)(uint64_t)&marker;
	memcpy(BLOB, blob16, blob16_end - blob16);
}

static void check_log(int round)
{
	char n[80];
#define R(cond, what) do { snprintf(n, sizeof n, "modes[%d]: %s", round, what); report(n, cond); } while (0)
	R(LOG[0] == 4, "compatibility mode pushes 4 bytes");
	R((LOG[1] & (EFER_LME | EFER_LMA)) == (EFER_LME | EFER_LMA), "compatibility mode: EFER.LMA=1");
	R((LOG[2] & (EFER_LME | EFER_LMA)) == EFER_LME, "paging off: EFER.LMA=0, LME kept");
	R(LOG[3] == marker, "32-bit paging with a 4 MiB page alias");
	R(LOG[4] == marker, "legacy PAE paging with an aliasing PDPTE");
	R((LOG[5] & 0xffff) == 2, "16-bit protected mode pushes 2 bytes");
	R((LOG[12] & 0xffff) == 0x4321, "16-bit addressing [bx+si]");
	R((LOG[6] & 0xffff) == 2, "real mode pushes 2 bytes");
	R((LOG[7] & CR0_PE) == 0, "real mode: CR0.PE=0");
	R((LOG[8] & 0xffff) == 0x1234, "real mode: int 0x40 through the IVT and iret");
	R((LOG[13] & 0x300) == 0, "real mode: interrupt clears IF and TF");
	R((LOG[9] & 0xffff) == 0xbeef, "real mode: segment 0x100:0x10 is linear 0x1010");
	R(LOG[10] == 0x12345678, "real mode: 32-bit operand-size prefix");
	R(LOG[14] == marker, "real mode: FS keeps its 4 GiB limit (unreal mode)");
	R((LOG[15] & 0xffff) == 0x5678, "real mode: far call and far return");
	R((LOG[11] & (EFER_LME | EFER_LMA)) == (EFER_LME | EFER_LMA), "long mode re-entered: LMA=1");
#undef R
}

int main(void)
{
	prepare();
	for (int round = 0; round < 2; round++) {
		memset((void *)LOG, 0, 0x80);
		int v = TRY(mode_roundtrip());
		reportf(v == -1, "modes[%d]: round trip 64 -> real -> 64 returns", round);
		check_log(round);
		uint16_t cs;
		__asm__ volatile("mov %%cs, %0" : "=r"(cs));
		reportf(cs == SEL_CODE64 && (rdmsr(MSR_EFER) & EFER_LMA), "modes[%d]: back in 64-bit mode", round);
	}
	int v = TRY(__asm__ volatile("ud2"));
	report("modes: exceptions work again after the round trip (IDT restored)", v == 6);
	return 0;
}
