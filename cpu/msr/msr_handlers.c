/* SPDX-License-Identifier: MIT */
/* Handlers of the MSR rows that are more than a stored field: time,
 * APIC base, EFER, segment bases and the AMD configuration registers.
 * Bit layouts: APM vol. 2 appendix A and the AMD family 19h PPR. */
#include "msr_impl.h"
#include "../core/exec.h"
#include "../cpuid/cpuid.h"
#include "../mmu/mmu.h"
#include "../apic/lapic.h"

/* ---- TSC (0000_0010h): TSC = cycles + tsc_offset (DESIGN rule 9) ---- */
bool msr_rd_tsc(struct cpu *c, uint32_t index, uint64_t *val, bool host)
{
	*val = cpu_tsc(c);
	return true;
}

bool msr_wr_tsc(struct cpu *c, uint32_t index, uint64_t val, bool host)
{
	c->tsc_offset = val - c->cycles; /* modular: reads back val */
	return true;
}

/* ---- APIC_BASE (0000_001Bh): BSC(8) x2APIC EN(10) AE(11) base(MAXPHYADDR-1:12) ---- */

bool msr_rd_apic_base(struct cpu *c, uint32_t index, uint64_t *val, bool host)
{
	*val = c->msr.apic_base;
	return true;
}

/* mode transitions and the APIC's reaction: cpu/apic/lapic_access.c */
bool msr_wr_apic_base(struct cpu *c, uint32_t index, uint64_t val, bool host)
{
	return lapic_set_base(c, val, host);
}

/* ---- PRED_CMD (0000_0049h): write-only command, IBPB = bit 0 ---- */
bool msr_rd_pred_cmd(struct cpu *c, uint32_t index, uint64_t *val, bool host)
{
	*val = 0;
	return host;
}

bool msr_wr_pred_cmd(struct cpu *c, uint32_t index, uint64_t val, bool host)
{
	return (val & ~1ull) == 0; /* no branch predictor to flush */
}

/* ---- PATCH_LEVEL (0000_008Bh): read-only microcode level ---- */
bool msr_rd_patch_level(struct cpu *c, uint32_t index, uint64_t *val, bool host)
{
	*val = c->msr.patch_level;
	return true;
}

bool msr_wr_patch_level(struct cpu *c, uint32_t index, uint64_t val, bool host)
{
	if (!host)
		return false;
	c->msr.patch_level = val;
	return true;
}

/* ---- MPERF (E7h) / APERF (E8h): the model always runs at P0, so both
 * count virtual cycles. HWCR.EffFreqReadOnlyLock makes them read-only. ---- */
#define HWCR_EFFFREQ_RO_LOCK (1ull << 27)

bool msr_rd_eff_freq(struct cpu *c, uint32_t index, uint64_t *val, bool host)
{
	*val = c->cycles + (index == 0xe7 ? c->msr.mperf_offset : c->msr.aperf_offset);
	return true;
}

bool msr_wr_eff_freq(struct cpu *c, uint32_t index, uint64_t val, bool host)
{
	if (!host && (c->msr.hwcr & HWCR_EFFFREQ_RO_LOCK))
		return false;
	*(index == 0xe7 ? &c->msr.mperf_offset : &c->msr.aperf_offset) = val - c->cycles;
	return true;
}

/* ---- SYSENTER_CS/ESP/EIP (174h-176h): AMD keeps only bits 31:0 ---- */
static uint64_t *sysenter_field(struct cpu *c, uint32_t index)
{
	return index == 0x174 ? &c->msr.sysenter_cs
	       : index == 0x175 ? &c->msr.sysenter_esp : &c->msr.sysenter_eip;
}

bool msr_rd_sysenter(struct cpu *c, uint32_t index, uint64_t *val, bool host)
{
	*val = *sysenter_field(c, index);
	return true;
}

bool msr_wr_sysenter(struct cpu *c, uint32_t index, uint64_t val, bool host)
{
	*sysenter_field(c, index) = (uint32_t)val;
	return true;
}

/* ---- MCG_CAP (179h): MCG_CTL_P, no error-reporting banks ---- */
#define MCG_CAP_VALUE (1ull << 8)

bool msr_rd_mcg_cap(struct cpu *c, uint32_t index, uint64_t *val, bool host)
{
	*val = MCG_CAP_VALUE;
	return true;
}

bool msr_wr_mcg_cap(struct cpu *c, uint32_t index, uint64_t val, bool host)
{
	return host && val == MCG_CAP_VALUE; /* read-only */
}

/* ---- DEBUGCTL (1D9h): LBR(0) BTF(1) PB0-3(2-5) ---- */
bool msr_rd_debugctl(struct cpu *c, uint32_t index, uint64_t *val, bool host)
{
	*val = c->msr.debugctl;
	return true;
}

bool msr_wr_debugctl(struct cpu *c, uint32_t index, uint64_t val, bool host)
{
	if (val & ~0x3full)
		return false;
	/* APPROX: last-branch recording and branch single-step are not modelled */
	if ((val & 3) && !(c->msr.debugctl & 3))
		cpu_log(c, "UNIMP", "DEBUGCTL.LBR/BTF set (%#llx): stored, no effect",
			(unsigned long long)val);
	c->msr.debugctl = val;
	return true;
}

/* ---- EFER (C000_0080h), APM vol. 2, 3.1.7 ---- */
static uint64_t efer_valid_bits(const struct cpu *c)
{
	uint64_t v = 0;
	if (cpu_has(c, FEAT_SYSCALL))
		v |= EFER_SCE;
	if (cpu_has(c, FEAT_LM))
		v |= EFER_LME | EFER_LMA;
	if (cpu_has(c, FEAT_NX))
		v |= EFER_NXE;
	if (cpu_has(c, FEAT_SVM))
		v |= EFER_SVME;
	if (cpu_has(c, FEAT_FXSR))
		v |= EFER_FFXSR; /* CPUID 8000_0001h EDX[25] is reported with FXSR */
	return v;
}

bool msr_rd_efer(struct cpu *c, uint32_t index, uint64_t *val, bool host)
{
	*val = c->efer;
	return true;
}

bool msr_wr_efer(struct cpu *c, uint32_t index, uint64_t val, bool host)
{
	uint64_t old = c->efer;
	if (val & ~efer_valid_bits(c))
		return false;
	if ((val & ~old & EFER_SVME) && (c->msr.vm_cr & (1ull << 4)))
		return false; /* VM_CR.SVMDIS: EFER.SVME cannot be set (APM 15.30.1) */
	if (!host) {
		/* LMA is read-only; LME cannot change while paging is on (APM 14.6.1) */
		val = (val & ~EFER_LMA) | (old & EFER_LMA);
		if (((val ^ old) & EFER_LME) && (c->cr0 & CR0_PG))
			return false;
	}
	c->efer = val;
	mode_update(c);
	mmu_cr_written(c, 0x80, old, val);
	return true;
}

/* ---- SFMASK (C000_0084h): bits 63:32 reserved, read as zero ---- */
bool msr_rd_sfmask(struct cpu *c, uint32_t index, uint64_t *val, bool host)
{
	*val = c->msr.sfmask;
	return true;
}

bool msr_wr_sfmask(struct cpu *c, uint32_t index, uint64_t val, bool host)
{
	c->msr.sfmask = (uint32_t)val;
	return true;
}

/* ---- FS_BASE / GS_BASE (C000_0100h/101h): the hidden segment bases ---- */
bool msr_rd_segbase(struct cpu *c, uint32_t index, uint64_t *val, bool host)
{
	*val = c->seg[index == 0xc0000100u ? SEG_FS : SEG_GS].base;
	return true;
}

bool msr_wr_segbase(struct cpu *c, uint32_t index, uint64_t val, bool host)
{
	if (!msr_canonical(c, val))
		return false;
	c->seg[index == 0xc0000100u ? SEG_FS : SEG_GS].base = val;
	return true;
}

/* ---- TSC_AUX (C000_0103h): bits 63:32 reserved ---- */
bool msr_rd_tsc_aux(struct cpu *c, uint32_t index, uint64_t *val, bool host)
{
	*val = c->msr.tsc_aux;
	return true;
}

bool msr_wr_tsc_aux(struct cpu *c, uint32_t index, uint64_t val, bool host)
{
	if ((val >> 32) && !host)
		return false;
	c->msr.tsc_aux = (uint32_t)val;
	return true;
}
