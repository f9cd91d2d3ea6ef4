/* SPDX-License-Identifier: MIT */
/* The MSR table (cpu/msr/msr.def): presence per CPU model, reserved bits,
 * read-only and write-only registers, aliases, and the difference between
 * guest accesses (msr_read/msr_write with host = false, what RDMSR/WRMSR
 * use) and host accesses (pac_get_msr/pac_set_msr). */
#include "test.h"
#include "machine_helpers.h"
#include "core/cpu.h"
#include "msr/msr.h"
#include "cpuid/cpuid.h"

static pac_machine *m;
static struct cpu *c;

static void fresh(const char *model)
{
	if (m)
		pac_destroy(m);
	m = model ? tm_new_model(model) : tm_new();
	c = m->cpus[0];
}

static bool gw(uint32_t i, uint64_t v) { return msr_write(c, i, v, false); }
static uint64_t gr(uint32_t i)
{
	uint64_t v = 0xbad;
	return msr_read(c, i, &v, false) ? v : 0xbad;
}
static uint64_t hr(uint32_t i)
{
	uint64_t v = 0xbad;
	return pac_get_msr(m, 0, i, &v) == PAC_OK ? v : 0xbad;
}

static void t_presence(void)
{
	fresh(NULL);
	uint64_t v;
	static const uint32_t absent[] = { 0x3a, 0x1a0, 0x480, 0xc0000104, 0xc0010116, 0x12345678 };
	for (unsigned i = 0; i < sizeof absent / sizeof absent[0]; i++) {
		CHECK(!msr_read(c, absent[i], &v, false), "MSR %#x absent (RDMSR #GP)", absent[i]);
		CHECK(pac_set_msr(m, 0, absent[i], 0) == PAC_ERR_MSR, "MSR %#x absent (API)", absent[i]);
	}
	CHECK(msr_name(0xc0000080) && !strcmp(msr_name(0xc0000080), "EFER"), "msr_name");
	CHECK(msr_name(0x3a) == NULL, "msr_name of an absent MSR");
	CHECK_EQ(hr(0x277), 0x0007040600070406ull, "PAT reset (MT-03)");
	CHECK(gw(0x277, 0x0007040600070402ull) == false, "PAT reserved type 2 (MT-02)");
	CHECK(gw(0x277, 0x0606060606060606ull) && hr(0x277) == 0x0606060606060606ull, "PAT write");
	/* qemu64 has no RDTSCP: no TSC_AUX; no x2APIC, no TSC-deadline timer */
	fresh("qemu64");
	CHECK(!msr_read(c, 0x6e0, &v, false), "qemu64: no TSC_DEADLINE");
	CHECK(!gw(0x1b, 0xfee00000ull | (3ull << 10)), "qemu64: x2APIC enable without x2APIC");
	CHECK(!msr_read(c, 0xc0000103, &v, false), "TSC_AUX needs RDTSCP");
}

static void t_time(void)
{
	fresh(NULL);
	c->cycles = 1000;
	CHECK(pac_set_msr(m, 0, 0x10, 0x123456789ull) == PAC_OK, "TSC write");
	CHECK_EQ(hr(0x10), 0x123456789ull, "TSC reads back");
	c->cycles += 50;
	CHECK_EQ(gr(0x10), 0x123456789ull + 50, "TSC follows virtual time");
	CHECK(gw(0xe7, 5) && gr(0xe7) == 5, "MPERF write");
	c->cycles += 7;
	CHECK_EQ(gr(0xe7), 12, "MPERF counts cycles");
	CHECK_EQ(gr(0xe8), c->cycles, "APERF = cycles at P0");
	CHECK(gw(0xc0010015, 1ull << 27), "HWCR.EffFreqReadOnlyLock");
	CHECK(!gw(0xe8, 0), "APERF read-only after the lock");
	CHECK(gw(0xc0000103, 0x1234) && gr(0xc0000103) == 0x1234, "TSC_AUX");
	CHECK(!gw(0xc0000103, 1ull << 32), "TSC_AUX[63:32] reserved");
	CHECK(pac_set_msr(m, 0, 0xc0000103, 0x500000001ull) == PAC_OK && hr(0xc0000103) == 1,
	      "host TSC_AUX write keeps bits 31:0");
}

static void t_efer(void)
{
	fresh(NULL);
	CHECK(gw(0xc0000080, 0x901) && gr(0xc0000080) == 0x901, "SCE|LME|NXE");
	CHECK(gw(0xc0000080, 0x501) && gr(0xc0000080) == 0x101, "LMA is read-only to WRMSR");
	CHECK(gw(0xc0000080, 0x1000) && gw(0xc0000080, 0), "SVME with SVM (zen4 model has FEAT_SVM)");
	CHECK(!gw(0xc0000080, 0x2000), "LMSLE reserved");
	CHECK(!gw(0xc0000080, 0x8000), "TCE reserved");
	CHECK(!gw(0xc0000080, 1ull << 32), "EFER[63:32] reserved");
	CHECK(gw(0xc0000080, 0x4000), "FFXSR (CPUID 8000_0001h EDX[25])");
	/* LME cannot change while paging is on */
	struct pac_regs r;
	pac_get_regs(m, 0, &r);
	r.cr0 = 0x80000011;
	r.efer = 0;
	pac_set_regs(m, 0, &r);
	CHECK(!gw(0xc0000080, 0x100), "LME set with CR0.PG=1: #GP");
	CHECK(gw(0xc0000080, 0x800), "NXE with CR0.PG=1");
	CHECK(pac_set_msr(m, 0, 0xc0000080, 0x500) == PAC_OK && hr(0xc0000080) == 0x500,
	      "host may set LME and LMA (state restore)");
	CHECK_EQ(c->mode, MODE_COMPAT, "mode recomputed (CS.L = 0: compatibility)");
	fresh("qemu64");
	CHECK(gw(0xc0000080, 0x800), "qemu64 has NX");
	CHECK(!gw(0xc0000080, 0x1000), "SVME without SVM (qemu64)");
}

static void t_syscall_msrs(void)
{
	fresh(NULL);
	CHECK(gw(0xc0000082, 0xffff800000001000ull), "LSTAR canonical");
	CHECK(!gw(0xc0000082, 0x0000800000000000ull), "LSTAR non-canonical");
	CHECK(!gw(0xc0000083, 0x8000000000000000ull), "CSTAR non-canonical");
	CHECK(!gw(0xc0000102, 0x0001000000000000ull), "KERNEL_GS_BASE non-canonical");
	CHECK(gw(0xc0000101, 0xffff888000000000ull) && c->seg[SEG_GS].base == 0xffff888000000000ull,
	      "GS_BASE is the hidden GS base");
	CHECK(gw(0xc0000084, 0xffffffff00000700ull) && gr(0xc0000084) == 0x700, "SFMASK[63:32] read as 0");
	CHECK(gw(0x175, 0x1234567887654321ull) && gr(0x175) == 0x87654321, "SYSENTER_ESP keeps 32 bits");
	CHECK(!gw(0xc0000082, 0x00ff800000000000ull), "LSTAR bit 55 on a 48-bit model");
	fresh("zen4-la57");
	CHECK(gw(0xc0000082, 0x00ff800000000000ull), "LSTAR bit 55 on a 57-bit model");
}

static void t_misc(void)
{
	fresh(NULL);
	uint64_t apic = hr(0x1b);
	CHECK_EQ(apic, 0xfee00900ull, "APIC_BASE reset: base, AE, BSC");
	CHECK(!gw(0x1b, apic | 1), "APIC_BASE bit 0 reserved");
	CHECK(!gw(0x1b, (apic & ~(1ull << 11)) | (1ull << 10)), "x2APIC enable without APIC enable");
	CHECK(!gw(0x1b, apic | (1ull << 48)), "APIC base above MAXPHYADDR");
	CHECK(gw(0x1b, 0xfec00800ull) && gr(0x1b) == 0xfec00900ull, "APIC base moves, BSC read-only");
	CHECK(!gw(0x8b, 0x1234), "PATCH_LEVEL read-only");
	CHECK(pac_set_msr(m, 0, 0x8b, 0xa101144) == PAC_OK && gr(0x8b) == 0xa101144, "host sets PATCH_LEVEL");
	CHECK(gr(0x179) == 0x100 && !gw(0x179, 0), "MCG_CAP read-only, no banks");
	CHECK(gw(0x17a, 7) && !gw(0x17a, 8), "MCG_STATUS bits");
	CHECK(gw(0x48, 4) && gr(0x48) == 4 && !gw(0x48, 8), "SPEC_CTRL");
	CHECK(gw(0x49, 1) && !gw(0x49, 2) && gr(0x49) == 0xbad, "PRED_CMD write-only");
	CHECK(gw(0x1d9, 2) && !gw(0x1d9, 0x40), "DEBUGCTL");
	CHECK(gw(0xda0, 0) && !gw(0xda0, 1), "XSS: no supervisor states");
	CHECK(gr(0xc0010015) == (1ull << 24), "HWCR.TscFreqSel reads 1");
	uint32_t o[4];
	cpuid_query(c, 1, 0, o);
	CHECK(o[2] & 8, "CPUID 1 ECX.MONITOR");
	cpuid_query(c, 0x80000001u, 0, o);
	CHECK_EQ(o[2] & 0x190, 0x110, "AltMovCr8 and 3DNowPrefetch reported, MisAlignSse not");
	CHECK(gw(0xc0010015, 0x600) && gr(0xc0010015) == ((1ull << 24) | 0x600), "HWCR MonMwait bits");
	cpuid_query(c, 1, 0, o);
	CHECK(!(o[2] & 8), "HWCR.MonMwaitDis hides CPUID MONITOR");
	CHECK(!gw(0xc0010015, 1ull << 35), "HWCR reserved bit");
	CHECK(gw(0xc0010010, 1ull << 18) && !gw(0xc0010010, 1ull << 23), "SYSCFG (no SME)");
	CHECK(gw(0xc0010114, 0x18) && gw(0xc0010114, 0) && gr(0xc0010114) == 0x18, "VM_CR.LOCK freezes SVMDIS");
	CHECK(!gw(0xc0010117, 0x1001) && !gw(0xc0010117, 1ull << 48) && gw(0xc0010117, 0x7000),
	      "VM_HSAVE_PA alignment and width (VP-6)");
	CHECK(gw(0xc0011029, 2) && gr(0xc0011029) == 2, "DE_CFG stored");
}

static void t_perf(void)
{
	fresh(NULL);
	CHECK(gw(0xc0010004, 0xffff123456789abcull), "PERF_CTR0");
	CHECK_EQ(gr(0xc0010201), 0x123456789abcull, "48-bit counter, aliased by core CTR0");
	CHECK(gw(0xc001020b, 5) && gr(0xc001020b) == 5, "core CTR5");
	CHECK(gw(0xc0010202, 0x430076) && gr(0xc0010001) == 0x430076, "core CTL1 = legacy CTL1");
	CHECK(!gw(0xc0010000, 1ull << 19), "PERF_CTL reserved bit 19");
	CHECK(!gw(0xc0010000, 1ull << 42), "PERF_CTL reserved bit 42");
	uint64_t v;
	CHECK(!msr_read(c, 0xc001020c, &v, false), "no seventh core counter");
}

/* Every MSR of the table is readable by the host, and writing back what
 * was read succeeds (what a snapshot/restore does); indexes without a row
 * refuse both. The x2APIC registers 0x800-0x8FF are left out: they exist
 * only in x2APIC mode (tests/unit/test_lapic_x2apic.c). */
static void t_host_roundtrip(void)
{
	static const uint32_t ranges[][2] = {
		{ 0, 0x800 }, { 0x900, 0x1000 }, { 0xc0000000, 0xc0000200 }, { 0xc0010000, 0xc0010300 },
		{ 0xc0011000, 0xc0011100 },
	};
	fresh(NULL);
	unsigned present = 0, bad = 0;
	for (unsigned k = 0; k < 5; k++) {
		for (uint32_t i = ranges[k][0]; i < ranges[k][1]; i++) {
			uint64_t v = 0;
			bool named = msr_name(i) != NULL;
			bool rd = pac_get_msr(m, 0, i, &v) == PAC_OK;
			bool wr = pac_set_msr(m, 0, i, v) == PAC_OK;
			if (named != rd || named != wr) {
				if (bad++ < 5)
					CHECK(0, "MSR %#x: named %d read %d write-back %d", i, named, rd, wr);
			}
			present += named;
		}
	}
	CHECK_EQ(bad, 0, "host round trip of every MSR");
	CHECK_EQ(present, 80, "MSRs in the table on zen4 (msr.def rows)");
}

int main(void)
{
	t_host_roundtrip();
	t_presence();
	t_time();
	t_efer();
	t_syscall_msrs();
	t_misc();
	t_perf();
	pac_destroy(m);
	return test_done("msr");
}
