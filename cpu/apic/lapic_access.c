/* SPDX-License-Identifier: MIT */
/* How software reaches the local APIC: the xAPIC page at IA32_APIC_BASE
 * (only from the CPU that owns it, cpu/mmu/access.c), the x2APIC MSRs
 * 0x800-0x8FF, IA32_APIC_BASE with its mode transitions and
 * IA32_TSC_DEADLINE (SDM vol. 3 10.4.4, 10.12; APM vol. 2 16.3). */
#include "lapic.h"
#include "../cpuid/cpuid.h"
#include "../decode/insn.h"
#include "../mmu/mmu.h"
#include "../msr/msr_impl.h"

/* ---- xAPIC MMIO ---- */
bool lapic_mmio_claims(const struct cpu *c, spa_t spa)
{
	uint64_t b = c->msr.apic_base;
	return c->apic && (b & (APIC_BASE_EN | APIC_BASE_EXTD)) == APIC_BASE_EN &&
	       (spa & ~0xfffull) == (b & ~0xfffull);
}

/* Registers are 32 bits at 16-byte strides; bytes 4-15 of each slot are
 * reserved and read zero. */
uint64_t lapic_mmio_read(struct cpu *c, spa_t spa, unsigned size)
{
	unsigned off = (unsigned)(spa & 0xfff);
	if ((off & 0xf) >= 4 || (off & ~0xfu) == LA_SELF_IPI)
		return 0;
	bool ok;
	uint32_t v = lapic_reg_read(c, off & ~0xfu, &ok);
	if (!ok) {
		lapic_error(c, ESR_ILLEGAL_REG);
		return 0;
	}
	v >>= (off & 3) * 8;
	return size >= 4 ? v : v & ((1u << (size * 8)) - 1);
}

/* APPROX: writes other than aligned 32/64-bit stores to a register's first
 * dword are ignored (the SDM leaves them undefined). */
void lapic_mmio_write(struct cpu *c, spa_t spa, unsigned size, uint64_t v)
{
	unsigned off = (unsigned)(spa & 0xfff);
	if ((off & 0xf) || size < 4)
		return;
	if (off == LA_SELF_IPI || !lapic_reg_write(c, off, (uint32_t)v)) {
		unsigned ro[] = { LA_VER, LA_APR, LA_PPR, LA_RRD, LA_TIMER_CCR };
		bool read_only = off >= LA_ISR && off < LA_ESR;
		for (unsigned i = 0; i < sizeof ro / sizeof ro[0]; i++)
			read_only |= off == ro[i];
		if (!read_only)
			lapic_error(c, ESR_ILLEGAL_REG);
	}
}

/* ---- x2APIC MSRs (SDM 10.12.1.2): MSR = 0x800 + xAPIC offset / 16 ---- */
static bool x2_only_reserved(unsigned off)
{
	return off == LA_APR || off == LA_RRD || off == LA_DFR || off == LA_ICR_HI;
}

bool msr_rd_x2apic(struct cpu *c, uint32_t index, uint64_t *val, bool host)
{
	(void)host;
	unsigned off = (index - 0x800) << 4;
	if (!lapic_x2apic(c) || x2_only_reserved(off) || off == LA_EOI || off == LA_SELF_IPI)
		return false;
	struct lapic *a = c->apic;
	if (off == LA_ICR_LO) {
		*val = ((uint64_t)a->icr_hi << 32) | a->icr_lo;
		return true;
	}
	bool ok;
	*val = lapic_reg_read(c, off, &ok);
	return ok;
}

/* writable bits of each x2APIC register; 0 with *ok: must write zero */
static uint32_t x2_writable(const struct cpu *c, unsigned off, bool *ok)
{
	*ok = true;
	if (off >= LA_LVT_TIMER && off <= LA_LVT_ERROR)
		return lapic_lvt_writable(c, (int)((off - LA_LVT_TIMER) >> 4));
	switch (off) {
	case LA_TPR: case LA_SELF_IPI: return 0xff;
	case LA_EOI: case LA_ESR: return 0;
	case LA_SVR: return 0x3ff;
	case LA_TIMER_ICR: return 0xffffffffu;
	case LA_TIMER_DCR: return 0xb;
	default: *ok = false; return 0; /* read-only or reserved: #GP */
	}
}

bool msr_wr_x2apic(struct cpu *c, uint32_t index, uint64_t val, bool host)
{
	(void)host;
	unsigned off = (index - 0x800) << 4;
	if (!lapic_x2apic(c) || x2_only_reserved(off))
		return false;
	struct lapic *a = c->apic;
	if (off == LA_ICR_LO) {
		if (val & ~0xffffffff000ccfffull)
			return false;
		a->icr_hi = (uint32_t)(val >> 32);
		a->icr_lo = (uint32_t)val;
		lapic_send_icr(c);
		return true;
	}
	bool ok;
	uint32_t mask = x2_writable(c, off, &ok);
	if (!ok || (val & ~(uint64_t)mask))
		return false;
	return lapic_reg_write(c, off, (uint32_t)val);
}

/* ---- IA32_TSC_DEADLINE (0x6E0) ---- */
bool msr_rd_tsc_deadline(struct cpu *c, uint32_t index, uint64_t *val, bool host)
{
	(void)index; (void)host;
	return lapic_tsc_deadline_read(c, val);
}

bool msr_wr_tsc_deadline(struct cpu *c, uint32_t index, uint64_t val, bool host)
{
	(void)index; (void)host;
	lapic_tsc_deadline_write(c, val);
	return true;
}

/* ---- IA32_APIC_BASE (SDM 10.12.5): disabled (EN=0), xAPIC (EN=1),
 * x2APIC (EN=1, EXTD=1); EXTD without EN, x2APIC -> xAPIC and disabled ->
 * x2APIC raise #GP. Disabling resets the APIC; entering x2APIC mode makes
 * the ID the 32-bit initial APIC ID and derives the logical ID. ---- */
static bool base_transition_ok(uint64_t old, uint64_t val)
{
	bool oen = old & APIC_BASE_EN, ox2 = old & APIC_BASE_EXTD;
	bool nen = val & APIC_BASE_EN, nx2 = val & APIC_BASE_EXTD;
	if (nx2 && !nen)
		return false;
	if (ox2 && nen && !nx2)
		return false;
	return !(nx2 && !oen);
}

bool lapic_set_base(struct cpu *c, uint64_t val, bool host)
{
	uint64_t old = c->msr.apic_base;
	uint64_t rsvd = 0x2ffull | ~((1ull << cpu_phys_bits(c)) - 1);
	if (!cpu_has(c, FEAT_X2APIC))
		rsvd |= APIC_BASE_EXTD;
	if (val & rsvd)
		return false;
	if (!host)
		val = (val & ~APIC_BASE_BSP) | (old & APIC_BASE_BSP); /* BSP flag is read-only */
	if (host ? ((val & APIC_BASE_EXTD) && !(val & APIC_BASE_EN)) : !base_transition_ok(old, val))
		return false;
	c->msr.apic_base = val;
	if (c->apic) {
		if ((old & APIC_BASE_EN) && !(val & APIC_BASE_EN))
			lapic_reset(c, false);
		else if (!(old & APIC_BASE_EXTD) && (val & APIC_BASE_EXTD)) {
			c->apic->id = (uint32_t)c->index;
			c->apic->ldr = ((uint32_t)(c->index >> 4) << 16) | (1u << (c->index & 15));
		}
	}
	if ((old ^ val) & ~0xffull)
		tlb_flush_all(c); /* the APIC page moved or its decoding changed */
	return true;
}
