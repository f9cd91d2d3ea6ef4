/* SPDX-License-Identifier: MIT */
/* The local APIC register file by xAPIC offset, shared by the MMIO page
 * and the x2APIC MSRs (which add their own access rules, lapic_access.c).
 * Layout and reset values: SDM vol. 3 Table 10-1, APM vol. 2 16.3. */
#include "lapic.h"
#include "../cpuid/cpuid.h"
#include "../decode/insn.h"

/* writable bits of each LVT entry (SDM Figure 10-8) */
uint32_t lapic_lvt_writable(const struct cpu *c, int lvt)
{
	switch (lvt) {
	case LVT_TIMER:
		return 0x100ff | (1u << 17) | (cpu_has(c, FEAT_TSC_DEADLINE) ? 1u << 18 : 0);
	case LVT_LINT0:
	case LVT_LINT1: return 0x1a7ff; /* vector, mode, polarity, trigger, mask */
	case LVT_ERROR: return 0x100ff;
	default: return 0x107ff;        /* thermal, PMC: vector, mode, mask */
	}
}

static uint32_t read_array(const uint32_t v[8], unsigned off, unsigned base)
{
	return v[(off - base) >> 4];
}

uint32_t lapic_reg_read(struct cpu *c, unsigned off, bool *ok)
{
	struct lapic *a = c->apic;
	*ok = true;
	if (off >= LA_ISR && off < LA_TMR)
		return read_array(a->isr, off, LA_ISR);
	if (off >= LA_TMR && off < LA_IRR)
		return read_array(a->tmr, off, LA_TMR);
	if (off >= LA_IRR && off < LA_ESR)
		return read_array(a->irr, off, LA_IRR);
	if (off >= LA_LVT_TIMER && off <= LA_LVT_ERROR)
		return a->lvt[(off - LA_LVT_TIMER) >> 4];
	switch (off) {
	case LA_ID: return a->id;
	case LA_VER: return LAPIC_VERSION;
	case LA_TPR: return lapic_tpr(c);
	case LA_APR: return lapic_apr(c);
	case LA_PPR: return lapic_ppr(c);
	case LA_EOI: case LA_RRD: return 0;
	case LA_LDR: return a->ldr;
	case LA_DFR: return a->dfr;
	case LA_SVR: return a->svr;
	case LA_ESR: return a->esr;
	case LA_ICR_LO: return a->icr_lo;
	case LA_ICR_HI: return a->icr_hi;
	case LA_TIMER_ICR: return a->timer_icr;
	case LA_TIMER_CCR: return lapic_timer_ccr(c);
	case LA_TIMER_DCR: return a->timer_dcr;
	default:
		*ok = false;
		return 0;
	}
}

/* SVR (SDM 10.4.7.2): clearing the software enable masks every LVT. */
static void write_svr(struct cpu *c, uint32_t v)
{
	struct lapic *a = c->apic;
	a->svr = v & 0x3ff; /* vector, APIC enable, focus check; no EOI suppression */
	if (!(v & SVR_ENABLE))
		for (int i = 0; i < LVT_COUNT; i++)
			a->lvt[i] |= LVT_MASKED;
}

static void write_lvt(struct cpu *c, int lvt, uint32_t v)
{
	struct lapic *a = c->apic;
	v &= lapic_lvt_writable(c, lvt);
	if (!lapic_sw_enabled(c))
		v |= LVT_MASKED; /* masks cannot be cleared while software-disabled */
	if (lvt == LVT_TIMER)
		lapic_timer_write_lvt(c, v);
	else
		a->lvt[lvt] = (a->lvt[lvt] & (1u << 14)) | v; /* keep remote IRR (RO) */
}

/* Returns false for offsets that are not writable registers. */
bool lapic_reg_write(struct cpu *c, unsigned off, uint32_t v)
{
	struct lapic *a = c->apic;
	if (off >= LA_LVT_TIMER && off <= LA_LVT_ERROR) {
		write_lvt(c, (int)((off - LA_LVT_TIMER) >> 4), v);
		return true;
	}
	switch (off) {
	case LA_ID: a->id = v & 0xff000000u; return true; /* xAPIC only */
	case LA_TPR: lapic_write_tpr(c, (uint8_t)v); return true;
	case LA_EOI: lapic_eoi(c); return true;
	case LA_LDR: a->ldr = v & 0xff000000u; return true;
	case LA_DFR: a->dfr = v | 0x0fffffffu; return true;
	case LA_SVR: write_svr(c, v); return true;
	case LA_ESR: /* a write latches the errors since the last write */
		a->esr = a->esr_pending;
		a->esr_pending = 0;
		return true;
	case LA_ICR_LO:
		a->icr_lo = v & 0x000ccfffu;
		lapic_send_icr(c);
		return true;
	case LA_ICR_HI: a->icr_hi = v & 0xff000000u; return true;
	case LA_TIMER_ICR: lapic_timer_write_icr(c, v); return true;
	case LA_TIMER_DCR: lapic_timer_write_dcr(c, v); return true;
	case LA_SELF_IPI: lapic_set_irr(c, (uint8_t)v, false); return true; /* x2APIC only */
	default: return false;
	}
}
