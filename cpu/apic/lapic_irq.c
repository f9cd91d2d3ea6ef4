/* SPDX-License-Identifier: MIT */
/* Interrupt acceptance of the local APIC (SDM vol. 3 10.8, APM vol. 2
 * 16.6): IRR/ISR/TMR, task and processor priority, EOI with the broadcast
 * to I/O APICs for level-triggered vectors, the error register and local
 * (LVT) interrupt sources. */
#include "lapic.h"

static inline void bit_set(uint32_t v[8], uint8_t n) { v[n >> 5] |= 1u << (n & 31); }
static inline void bit_clr(uint32_t v[8], uint8_t n) { v[n >> 5] &= ~(1u << (n & 31)); }
static inline bool bit_get(const uint32_t v[8], uint8_t n) { return (v[n >> 5] >> (n & 31)) & 1; }

int lapic_highest(const uint32_t v[8])
{
	for (int i = 7; i >= 0; i--)
		if (v[i])
			return i * 32 + 31 - __builtin_clz(v[i]);
	return -1;
}

/* Vectors 0-15 are illegal for fixed interrupts: the receiver sets
 * "receive illegal vector" and drops it (SDM 10.5.3). */
void lapic_set_irr(struct cpu *c, uint8_t vec, bool level)
{
	struct lapic *a = c->apic;
	if (vec < 16) {
		lapic_error(c, ESR_RECV_ILLEGAL);
		return;
	}
	bit_set(a->irr, vec);
	if (level)
		bit_set(a->tmr, vec);
	else
		bit_clr(a->tmr, vec);
	a->irr_any = true;
}

/* TPR[7:4] is CR8 (APM 16.6.4: one register); a MOV CR8 since the last
 * TPR write clears TPR[3:0]. APPROX: a MOV CR8 writing the same TPR[7:4]
 * leaves TPR[3:0] as it was. */
uint8_t lapic_tpr(const struct cpu *c)
{
	const struct lapic *a = c->apic;
	return (uint8_t)((c->tpr << 4) | (a->tpr_hi_seen == c->tpr ? a->tpr_lo : 0));
}

void lapic_write_tpr(struct cpu *c, uint8_t v)
{
	c->tpr = v >> 4;
	c->apic->tpr_lo = v & 15;
	c->apic->tpr_hi_seen = c->tpr;
}

/* PPR (SDM 10.8.3.1): TPR if TPR[7:4] >= ISRV[7:4], else ISRV[7:4] << 4. */
uint8_t lapic_ppr(const struct cpu *c)
{
	uint8_t tpr = lapic_tpr(c);
	int isrv = lapic_highest(c->apic->isr);
	if (isrv < 0 || (tpr >> 4) >= (isrv >> 4))
		return tpr;
	return (uint8_t)(isrv & 0xf0);
}

/* APR (SDM 10.8.3.2): TPR when it is at least the highest IRR and above the
 * highest ISR class, otherwise the highest of the three classes. */
uint8_t lapic_apr(const struct cpu *c)
{
	uint8_t tpr = lapic_tpr(c);
	int irrv = lapic_highest(c->apic->irr), isrv = lapic_highest(c->apic->isr);
	int irrc = irrv < 0 ? 0 : irrv >> 4, isrc = isrv < 0 ? 0 : isrv >> 4;
	if ((tpr >> 4) >= irrc && (tpr >> 4) > isrc)
		return tpr;
	int m = tpr >> 4;
	if (irrc > m)
		m = irrc;
	if (isrc > m)
		m = isrc;
	return (uint8_t)(m << 4);
}

bool lapic_intr_pending(struct cpu *c)
{
	struct lapic *a = c->apic;
	if (!a->irr_any)
		return false;
	int v = lapic_highest(a->irr);
	if (v < 0) {
		a->irr_any = false;
		return false;
	}
	return (v & 0xf0) > (lapic_ppr(c) & 0xf0);
}

/* INTA: the highest IRR vector moves to ISR. */
int lapic_intr_ack(struct cpu *c)
{
	struct lapic *a = c->apic;
	int v = lapic_highest(a->irr);
	if (v < 0)
		return (int)(a->svr & 0xff); /* spurious vector */
	bit_clr(a->irr, (uint8_t)v);
	bit_set(a->isr, (uint8_t)v);
	a->irr_any = lapic_highest(a->irr) >= 0;
	return v;
}

/* EOI clears the highest ISR bit; a level-triggered vector (TMR set) is
 * broadcast to the I/O APICs, which clear their remote IRR. */
void lapic_eoi(struct cpu *c)
{
	struct lapic *a = c->apic;
	int v = lapic_highest(a->isr);
	if (v < 0)
		return;
	bit_clr(a->isr, (uint8_t)v);
	if (bit_get(a->tmr, (uint8_t)v)) {
		bit_clr(a->tmr, (uint8_t)v);
		if (c->m->apic_eoi_fn)
			c->m->apic_eoi_fn(c->m->apic_eoi_ctx, (uint8_t)v);
	}
}

void lapic_error(struct cpu *c, uint32_t bits)
{
	struct lapic *a = c->apic;
	a->esr_pending |= bits;
	uint32_t lvt = a->lvt[LVT_ERROR];
	if (lvt & LVT_MASKED)
		return;
	if ((lvt & 0xff) < 16) {
		a->esr_pending |= ESR_RECV_ILLEGAL; /* no recursion through set_irr */
		return;
	}
	bit_set(a->irr, (uint8_t)lvt);
	bit_clr(a->tmr, (uint8_t)lvt);
	a->irr_any = true;
}

/* A local interrupt source fires through its LVT entry (SDM 10.5.1). */
void lapic_local_deliver(struct cpu *c, int lvt)
{
	struct lapic *a = c->apic;
	uint32_t v = a->lvt[lvt];
	if (!lapic_hw_enabled(c) || (v & LVT_MASKED))
		return;
	unsigned dm = lvt == LVT_TIMER || lvt == LVT_ERROR ? DM_FIXED : LVT_DM(v);
	switch (dm) {
	case DM_FIXED:
		lapic_set_irr(c, (uint8_t)v, lvt >= LVT_LINT0 && lvt <= LVT_LINT1 && (v & (1u << 15)));
		break;
	case DM_NMI: c->nmi_pending = true; break;
	case DM_EXTINT: a->extint_pending = true; break;
	case DM_INIT: a->init_pending = true; break;
	default:
		cpu_log(c, "UNIMP", "LAPIC: LVT %d delivery mode %u ignored (no SMM)", lvt, dm);
		break;
	}
}
