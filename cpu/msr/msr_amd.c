/* SPDX-License-Identifier: MIT */
/* AMD model-specific configuration MSRs (C001_xxxxh): SYSCFG, HWCR, the
 * SVM control MSRs (stored only until the SVM unit lands) and the
 * performance counters. Layouts from the AMD family 19h PPR and APM vol. 2
 * (13.3 performance counters, 15.30 SVM MSRs). */
#include "msr_impl.h"
#include "../cpuid/cpuid.h"

/* ---- SYSCFG (C001_0010h): MtrrFixDramEn .. Tom2ForceMemTypeWB (18-22) ---- */
#define SYSCFG_VALID (0x1full << 18)

bool msr_rd_syscfg(struct cpu *c, uint32_t index, uint64_t *val, bool host)
{
	*val = c->msr.syscfg;
	return true;
}

bool msr_wr_syscfg(struct cpu *c, uint32_t index, uint64_t val, bool host)
{
	if (val & ~SYSCFG_VALID)
		return false; /* SME/SNP (23+) are not modelled: reserved */
	c->msr.syscfg = val;
	return true;
}

/* ---- HWCR (C001_0015h) ---- */
#define HWCR_TSC_FREQ_SEL (1ull << 24) /* read-only 1: TSC counts at P0 rate */
#define HWCR_WRITABLE                                                                  \
	((1ull << 0) | (1ull << 3) | (1ull << 4) | (1ull << 7) | (1ull << 8) |           \
	 (1ull << 9) /* MonMwaitDis */ | (1ull << 10) /* MonMwaitUserEn */ |             \
	 (1ull << 13) | (1ull << 14) | (1ull << 17) | (1ull << 18) | (1ull << 20) |      \
	 (1ull << 21) | (1ull << 25) | (1ull << 26) | (1ull << 27) | (1ull << 31) |      \
	 (1ull << 33))

bool msr_rd_hwcr(struct cpu *c, uint32_t index, uint64_t *val, bool host)
{
	*val = c->msr.hwcr | HWCR_TSC_FREQ_SEL;
	return true;
}

bool msr_wr_hwcr(struct cpu *c, uint32_t index, uint64_t val, bool host)
{
	if (val & ~(HWCR_WRITABLE | HWCR_TSC_FREQ_SEL))
		return false;
	c->msr.hwcr = val & HWCR_WRITABLE;
	return true;
}

/* ---- VM_CR (C001_0114h): DPD R_INIT DIS_A20M LOCK SVMDIS (APM 15.30.1) ---- */
#define VMCR_LOCK (1ull << 3)
#define VMCR_SVMDIS (1ull << 4)

bool msr_rd_vm_cr(struct cpu *c, uint32_t index, uint64_t *val, bool host)
{
	*val = c->msr.vm_cr;
	return true;
}

bool msr_wr_vm_cr(struct cpu *c, uint32_t index, uint64_t val, bool host)
{
	if (val & ~0x1full)
		return false;
	uint64_t ro = VMCR_LOCK | VMCR_SVMDIS;
	if ((c->msr.vm_cr & VMCR_LOCK) && !host) /* LOCK freezes LOCK and SVMDIS */
		val = (val & ~ro) | (c->msr.vm_cr & ro);
	c->msr.vm_cr = val;
	return true;
}

/* ---- VM_HSAVE_PA (C001_0117h): 4 KiB aligned, below MAXPHYADDR (VP-6) ---- */
bool msr_rd_vm_hsave_pa(struct cpu *c, uint32_t index, uint64_t *val, bool host)
{
	*val = c->msr.vm_hsave_pa;
	return true;
}

bool msr_wr_vm_hsave_pa(struct cpu *c, uint32_t index, uint64_t val, bool host)
{
	if ((val & 0xfff) || (val >> cpu_phys_bits(c)))
		return false;
	c->msr.vm_hsave_pa = val;
	return true;
}

/* ---- performance counters (APM vol. 2, 13.3.1) ----
 * Six core counters; the legacy PERF_CTL0-3 (C001_0000h-3) and PERF_CTR0-3
 * (C001_0004h-7) alias core counters 0-3 (C001_0200h + 2n / + 2n+1).
 * APPROX: no event is counted; the counters keep what software wrote. */
#define PERF_CTL_RESERVED 0xfffffcf000280000ull /* bits 19, 21, 39:36, 63:42 */
#define PERF_CTL_EN (1ull << 22)
#define PERF_CTR_MASK ((1ull << 48) - 1)

static bool perf_rd(struct cpu *c, unsigned n, bool ctr, uint64_t *val)
{
	*val = ctr ? c->msr.perf_ctr[n] : c->msr.perf_ctl[n];
	return true;
}

static bool perf_wr(struct cpu *c, unsigned n, bool ctr, uint64_t val)
{
	if (ctr) {
		c->msr.perf_ctr[n] = val & PERF_CTR_MASK;
		return true;
	}
	if (val & PERF_CTL_RESERVED)
		return false;
	if ((val & PERF_CTL_EN) && !(c->msr.perf_ctl[n] & PERF_CTL_EN))
		cpu_log(c, "UNIMP", "PERF_CTL%u enabled (event %#llx): counter does not count", n,
			(unsigned long long)(val & 0xff));
	c->msr.perf_ctl[n] = val;
	return true;
}

bool msr_rd_perf_legacy(struct cpu *c, uint32_t index, uint64_t *val, bool host)
{
	unsigned i = index - 0xc0010000u;
	return perf_rd(c, i & 3, i >= 4, val);
}

bool msr_wr_perf_legacy(struct cpu *c, uint32_t index, uint64_t val, bool host)
{
	unsigned i = index - 0xc0010000u;
	return perf_wr(c, i & 3, i >= 4, val);
}

bool msr_rd_perf_core(struct cpu *c, uint32_t index, uint64_t *val, bool host)
{
	unsigned i = index - 0xc0010200u;
	return perf_rd(c, i >> 1, i & 1, val);
}

bool msr_wr_perf_core(struct cpu *c, uint32_t index, uint64_t val, bool host)
{
	unsigned i = index - 0xc0010200u;
	return perf_wr(c, i >> 1, i & 1, val);
}
