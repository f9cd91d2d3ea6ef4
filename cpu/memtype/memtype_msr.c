/* SPDX-License-Identifier: MIT */
/* RDMSR/WRMSR of the PAT (0x277, APM 7.8.1) and MTRR MSRs (APM 7.7):
 * MTRRcap 0xFE (read-only), MTRRdefType 0x2FF, fixed ranges 0x250, 0x258,
 * 0x259, 0x268-0x26F, variable PhysBase/PhysMask 0x200-0x20F. Reserved bits
 * and invalid types make WRMSR raise #GP. */
#include "memtype.h"
#include "../cpuid/cpuid.h"
#include "../decode/insn.h"
#include "../mmu/mmu.h"

/* index into msr.mtrr_fix[] or -1 */
static int fixed_slot(uint32_t idx)
{
	if (idx == 0x250)
		return 0;
	if (idx == 0x258 || idx == 0x259)
		return 1 + (int)(idx - 0x258);
	if (idx >= 0x268 && idx <= 0x26f)
		return 3 + (int)(idx - 0x268);
	return -1;
}

static bool is_mtrr_msr(uint32_t idx)
{
	return idx == 0xfe || idx == 0x2ff || fixed_slot(idx) >= 0 || (idx >= 0x200 && idx <= 0x20f);
}

/* APPROX: AMD RdMem/WrMem bits of fixed-range bytes (SYSCFG) are not
 * modelled; such bytes are invalid types (#GP). */
static bool types_valid(uint64_t v)
{
	for (unsigned i = 0; i < 8; i++)
		if (!mtrr_type_valid((unsigned)(v >> (8 * i)) & 0xff))
			return false;
	return true;
}

static uint64_t *mtrr_slot(struct cpu *c, uint32_t idx)
{
	if (idx == 0xfe)
		return &c->msr.mtrr_cap;
	if (idx == 0x2ff)
		return &c->msr.mtrr_def_type;
	int f = fixed_slot(idx);
	if (f >= 0)
		return &c->msr.mtrr_fix[f];
	unsigned n = (idx - 0x200) / 2;
	return (idx & 1) ? &c->msr.mtrr_var_mask[n] : &c->msr.mtrr_var_base[n];
}

bool memtype_msr_read(struct cpu *c, uint32_t idx, uint64_t *val, bool *handled)
{
	*handled = true;
	if (idx == 0x277 && cpu_has(c, FEAT_PAT)) {
		*val = c->msr.hpat;
		return true;
	}
	if (is_mtrr_msr(idx) && cpu_has(c, FEAT_MTRR)) {
		*val = *mtrr_slot(c, idx);
		return true;
	}
	*handled = false;
	return false;
}

/* value acceptable for MTRR MSR idx? (idx is an MTRR MSR other than 0xFE) */
static bool mtrr_write_ok(const struct cpu *c, uint32_t idx, uint64_t v)
{
	uint64_t hi = ~((1ull << cpu_phys_bits(c)) - 1);
	if (idx == 0x2ff)
		return !(v & ~0xcffull) && mtrr_type_valid(v & 0xff);
	if (fixed_slot(idx) >= 0)
		return types_valid(v);
	if (idx & 1) /* PhysMask: bits 10:0 and above MAXPHYADDR reserved */
		return !(v & (hi | 0x7ffull));
	return !(v & (hi | 0xf00ull)) && mtrr_type_valid(v & 0xff);
}

bool memtype_msr_write(struct cpu *c, uint32_t idx, uint64_t val, bool *handled)
{
	*handled = true;
	if (idx == 0x277 && cpu_has(c, FEAT_PAT)) {
		if (!pat_valid(val))
			return false;
		c->msr.hpat = val;
		mmu_memtype_changed(c);
		return true;
	}
	if (is_mtrr_msr(idx) && cpu_has(c, FEAT_MTRR)) {
		if (idx == 0xfe || !mtrr_write_ok(c, idx, val))
			return false;
		*mtrr_slot(c, idx) = val;
		mmu_memtype_changed(c);
		return true;
	}
	*handled = false;
	return false;
}
