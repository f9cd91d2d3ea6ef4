/* PAT and MTRR from a 64-bit guest. MSR rules run everywhere (MT-01,
 * MT-02, MT-06, MT-08); effective memory types (APM vol. 2, Table 7-11,
 * MT-11, MT-12) are observed through Pacifica's emulator-only
 * pac-memtype-probe device (docs/testing.md) and skipped without it. */
#include "rt.h"

#define MSR_PAT 0x277
#define MSR_MTRRCAP 0xfe
#define MSR_DEFTYPE 0x2ff
#define MSR_PHYSBASE0 0x200
#define MSR_PHYSMASK0 0x201
#define MSR_FIX64K 0x250
#define PROBE 0xfeb00000ull
#define PROBE_SIG 0x4d540000u

enum { UC = 0, WC = 1, WT = 4, WP = 5, WB = 6, UCM = 7, CD = 8 };
static const char *const tname[] = { "UC", "WC", "?2", "?3", "WT", "WP", "WB", "UC-", "CD" };

#define QEMU_NOCHECK "QEMU 7.2 (TCG) stores MTRR/PAT MSR values without checking types"

static void expect_gp(const char *name, uint32_t msr, uint64_t val, const char *qemu)
{
	uint64_t old = rdmsr(msr);
	int v = TRY(wrmsr(msr, val));
	if (v < 0)
		wrmsr(msr, old);
	report_q(name, v == 13 && last_exc.error == 0, qemu);
}

static void msr_tests(void)
{
	report("PAT reset value 0x0007040600070406 (MT-03)", rdmsr(MSR_PAT) == 0x0007040600070406ull);
	wrmsr(MSR_PAT, 0x0001050400070406ull);
	report("PAT write/read back", rdmsr(MSR_PAT) == 0x0001050400070406ull);
	wrmsr(MSR_PAT, 0x0007040600070406ull);
	expect_gp("PAT type 2 is reserved: #GP(0) (MT-01)", MSR_PAT, 0x0007040600070402ull,
		  QEMU_NOCHECK);
	expect_gp("PAT type 3 is reserved: #GP(0) (MT-01)", MSR_PAT, 0x0007030600070406ull,
		  QEMU_NOCHECK);
	expect_gp("PAT bits 7:3 of a field set: #GP(0) (MT-02)", MSR_PAT, 0x000704060007040eull,
		  QEMU_NOCHECK);

	uint64_t cap = rdmsr(MSR_MTRRCAP);
	report("MTRRcap: variable ranges, fixed ranges and WC", (cap & 0xff) >= 2 && (cap & 0x100) &&
	       (cap & 0x400));
	uint64_t def = rdmsr(MSR_DEFTYPE);
	wrmsr(MSR_DEFTYPE, 0xc06);
	report("MTRRdefType write/read back", rdmsr(MSR_DEFTYPE) == 0xc06);
	wrmsr(MSR_DEFTYPE, def);
	expect_gp("MTRRdefType type 2: #GP(0) (MT-08)", MSR_DEFTYPE, 0xc02, QEMU_NOCHECK);
	expect_gp("MTRRdefType type 7 (UC-) is not an MTRR type: #GP(0)", MSR_DEFTYPE, 0xc07,
		  QEMU_NOCHECK);
	expect_gp("MTRRdefType reserved bit 12: #GP(0)", MSR_DEFTYPE, 0x1c06, QEMU_NOCHECK);
	expect_gp("PhysBase0 type 7: #GP(0)", MSR_PHYSBASE0, 0x7, QEMU_NOCHECK);
	expect_gp("FIX64K_00000 with a type-3 byte: #GP(0)", MSR_FIX64K, 0x0606060606060603ull,
		  QEMU_NOCHECK);
	uint64_t fix = rdmsr(MSR_FIX64K);
	wrmsr(MSR_FIX64K, 0x0606060606060606ull);
	report("FIX64K_00000 write/read back", rdmsr(MSR_FIX64K) == 0x0606060606060606ull);
	wrmsr(MSR_FIX64K, fix);
}

/* APM vol. 2, Table 7-11, rows PAT type, columns MTRR UC WC WP WT WB */
static unsigned table_7_11(unsigned pat, unsigned mtrr)
{
	static const uint8_t col[8] = { [UC] = 0, [WC] = 1, [WP] = 2, [WT] = 3, [WB] = 4 };
	static const uint8_t t[8][5] = {
		[UC] = { UC, CD, CD, CD, CD },
		[UCM] = { UC, WC, CD, CD, CD },
		[WC] = { WC, WC, WC, WC, WC },
		[WP] = { UC, CD, WP, CD, WP },
		[WT] = { UC, CD, CD, WT, WT },
		[WB] = { UC, WC, WP, WT, WB },
	};
	return t[pat][col[mtrr]];
}

/* PAT used for the probe tests: PA0..PA7 = WB WT UC- UC WC WP UC- UC */
#define TEST_PAT 0x0007050100070406ull
static const uint8_t pat_of[8] = { WB, WT, UCM, UC, WC, WP, UCM, UC };

static uint64_t pat_bits(unsigned idx)
{
	return (idx & 1 ? PTE_PWT : 0) | (idx & 2 ? PTE_PCD : 0) | (idx & 4 ? PTE_PAT4K : 0);
}

static unsigned probe(uint64_t va)
{
	uint32_t v = *(volatile uint32_t *)va;
	return (v >> 16) == (PROBE_SIG >> 16) ? (v & 0xff) : 0xfff;
}

static void set_var_mtrr(unsigned type)
{
	uint32_t r[4];
	cpuid(0x80000008, 0, r);
	uint64_t physmask = ((1ull << (r[0] & 0xff)) - 1) & ~0xfffull;
	__asm__ volatile("wbinvd");
	wrmsr(MSR_PHYSBASE0, (PROBE + 0x8000) | type);
	wrmsr(MSR_PHYSMASK0, (physmask & ~0x7fffull) | 0x800);
	flush_tlb();
}

static void probe_tests(void)
{
	if (probe(PROBE) == 0xfff) {
		skip("memtype: effective types through pac-memtype-probe", "no probe device");
		return;
	}
	uint64_t pat = rdmsr(MSR_PAT), def = rdmsr(MSR_DEFTYPE);
	uint64_t b0 = rdmsr(MSR_PHYSBASE0), m0 = rdmsr(MSR_PHYSMASK0);
	wrmsr(MSR_PAT, TEST_PAT);
	wrmsr(MSR_DEFTYPE, 0x800 | WB);	/* MTRRs on, fixed off, default WB */
	for (unsigned i = 0; i < 16; i++)
		*pte_4k(PROBE + i * 4096) = (PROBE + i * 4096) | PTE_P | PTE_RW | pat_bits(i & 7);
	flush_tlb();

	static const uint8_t mtrr_types[] = { UC, WC, WP, WT, WB };
	for (unsigned m = 0; m < ARRAY_SIZE(mtrr_types); m++) {
		set_var_mtrr(mtrr_types[m]);
		for (unsigned i = 0; i < 8; i++) {
			unsigned want = table_7_11(pat_of[i], mtrr_types[m]);
			unsigned got = probe(PROBE + 0x8000 + i * 4096);
			reportf(got == want, "memtype: PAT %s x MTRR %s = %s (Table 7-11)%s",
				tname[pat_of[i]], tname[mtrr_types[m]], tname[want],
				got == want ? "" : " -- got another type");
		}
	}
	unsigned got = probe(PROBE);
	report("memtype: default MTRR type WB with PAT WB", got == WB);

	*(volatile uint32_t *)(PROBE + 3 * 4096) = 1;
	got = *(volatile uint32_t *)(PROBE + 0xf00) & 0xff;
	report("memtype: a write through PAT UC carries CD (UC x WB, MT-11)", got == CD);

	uint64_t cr0 = read_cr0();
	__asm__ volatile("wbinvd");
	write_cr0(cr0 | CR0_CD);
	got = probe(PROBE);
	write_cr0(cr0);
	report("memtype: CR0.CD=1 makes a WB access CD (MT-12)", got == CD);

	wrmsr(MSR_DEFTYPE, 0x000);	/* MTRRs disabled: everything UC (MT-06) */
	flush_tlb();
	got = probe(PROBE);
	report("memtype: MTRRs disabled -> UC", got == UC);
	wrmsr(MSR_DEFTYPE, 0x800 | UC);
	flush_tlb();
	got = probe(PROBE + 4 * 4096);
	report("memtype: default MTRR UC with PAT WC stays WC", got == WC);

	wrmsr(MSR_PHYSBASE0, b0);
	wrmsr(MSR_PHYSMASK0, m0);
	wrmsr(MSR_DEFTYPE, def);
	wrmsr(MSR_PAT, pat);
	flush_tlb();
}

int main(void)
{
	msr_tests();
	probe_tests();
	return 0;
}
