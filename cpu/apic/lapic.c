/* SPDX-License-Identifier: MIT */
/* Local APIC life cycle, INIT/SIPI handling at instruction boundaries and
 * the INTR view of the run loop (SDM vol. 3 10.4.7, APM vol. 2 16.5). */
#include <stdlib.h>
#include "lapic.h"
#include "../core/exec.h"
#include "../mmu/mmu.h"

bool lapic_hw_enabled(const struct cpu *c) { return (c->msr.apic_base & APIC_BASE_EN) != 0; }
bool lapic_x2apic(const struct cpu *c)
{
	return (c->msr.apic_base & (APIC_BASE_EN | APIC_BASE_EXTD)) == (APIC_BASE_EN | APIC_BASE_EXTD);
}
bool lapic_sw_enabled(const struct cpu *c) { return (c->apic->svr & SVR_ENABLE) != 0; }

uint64_t lapic_now(struct cpu *c)
{
	vtime_sync(c->m, c);
	return c->m->vtime;
}

int lapic_create(struct cpu *c)
{
	c->apic = calloc(1, sizeof *c->apic);
	if (!c->apic)
		return PAC_ERR_NOMEM;
	c->apic->timer_id = -1;
	lapic_reset(c, false);
	c->apic->wait_sipi = c->index != 0; /* APs wait for INIT/SIPI (SDM 8.4.1) */
	return PAC_OK;
}

void lapic_free(struct cpu *c)
{
	free(c->apic);
	c->apic = NULL;
}

/* Power-on / INIT state (SDM 10.4.7.1): LVTs masked, DFR all ones, SVR
 * 0xFF (software-disabled). INIT keeps the APIC ID. As on QEMU's PC (where
 * the firmware's virtual-wire setup is assumed), the BSP's LINT0 starts as
 * unmasked ExtINT so the 8259 reaches CPU 0. */
void lapic_reset(struct cpu *c, bool keep_id)
{
	struct lapic *a = c->apic;
	uint32_t id = a->id;
	int tid = a->timer_id;
	lapic_timer_stop(c);
	memset(a, 0, sizeof *a);
	a->timer_id = tid;
	a->id = keep_id ? id : (lapic_x2apic(c) ? (uint32_t)c->index : (uint32_t)c->index << 24);
	a->dfr = 0xffffffffu;
	a->svr = 0xff;
	for (int i = 0; i < LVT_COUNT; i++)
		a->lvt[i] = LVT_MASKED;
	if (c->msr.apic_base & APIC_BASE_BSP)
		a->lvt[LVT_LINT0] = DM_EXTINT << 8;
	if (lapic_x2apic(c))
		a->ldr = ((a->id >> 4) << 16) | (1u << (a->id & 15));
	c->tpr = 0;
}

/* INIT (SDM 8.4, APM 16.5): the CPU takes its INIT state (MSRs, caches and
 * the APIC ID are kept); the BSP restarts at the reset vector, APs wait for
 * a STARTUP IPI. */
static void do_init(struct cpu *c)
{
	bool bsp = (c->msr.apic_base & APIC_BASE_BSP) != 0;
	cpu_reset(c, true);
	lapic_reset(c, true);
	c->apic->wait_sipi = !bsp;
}

/* STARTUP: CS = vector << 8, base vector << 12, IP = 0 (SDM 8.4.4.1). */
static void do_sipi(struct cpu *c, uint8_t vec)
{
	c->apic->wait_sipi = false;
	c->seg[SEG_CS].sel = (uint16_t)(vec << 8);
	c->seg[SEG_CS].base = (uint64_t)vec << 12;
	c->rip = 0;
	c->halted = false;
	mode_update(c);
}

bool lapic_boundary_events(struct cpu *c)
{
	struct lapic *a = c->apic;
	bool changed = false;
	if (a->init_pending) { /* a STARTUP sent after the INIT stays pending */
		bool sipi = a->sipi_pending;
		uint8_t vec = a->sipi_vector;
		a->init_pending = false;
		do_init(c);
		a->sipi_pending = sipi;
		a->sipi_vector = vec;
		changed = true;
	}
	if (a->sipi_pending) {
		a->sipi_pending = false;
		if (a->wait_sipi) { /* otherwise ignored: only the first SIPI after INIT */
			do_sipi(c, a->sipi_vector);
			changed = true;
		}
	}
	return changed;
}

bool cpu_blocked(const struct cpu *c) { return c->halted || c->apic->wait_sipi; }

bool cpu_wake_pending(struct cpu *c)
{
	struct lapic *a = c->apic;
	if (a->init_pending || (a->sipi_pending && a->wait_sipi))
		return true;
	if (a->wait_sipi)
		return false;
	if (c->nmi_pending && !c->nmi_blocked)
		return true;
	return (c->rflags & FL_IF) && cpu_intr_pending(c);
}

/* The INTR input: the APIC's deliverable vector, or the 8259 (pac_set_intc)
 * through LINT0 in ExtINT mode, or directly when the APIC is disabled. */
static bool extint_routed(const struct cpu *c)
{
	uint32_t l0 = c->apic->lvt[LVT_LINT0];
	return !lapic_hw_enabled(c) || (!(l0 & LVT_MASKED) && LVT_DM(l0) == DM_EXTINT);
}

bool cpu_intr_pending(struct cpu *c)
{
	struct pac_machine *m = c->m;
	if (lapic_hw_enabled(c) && lapic_intr_pending(c))
		return true;
	if (!m->intc)
		return false;
	if (c->apic->extint_pending || extint_routed(c))
		return m->intc->pending(m->intc_ctx, c->index);
	return false;
}

int cpu_intr_ack(struct cpu *c)
{
	struct pac_machine *m = c->m;
	if (lapic_hw_enabled(c) && lapic_intr_pending(c))
		return lapic_intr_ack(c);
	if (m->intc && (c->apic->extint_pending || extint_routed(c)) &&
	    m->intc->pending(m->intc_ctx, c->index)) {
		c->apic->extint_pending = false;
		return m->intc->acknowledge(m->intc_ctx, c->index);
	}
	return -1;
}
