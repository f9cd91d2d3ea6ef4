/* SPDX-License-Identifier: MIT */
/* The APIC bus: interprocessor interrupts from the ICR and messages from
 * I/O APICs (pac_apic_send). Destinations: physical or logical (flat and
 * cluster xAPIC models, x2APIC cluster IDs), shorthands, lowest priority
 * (SDM vol. 3 10.6, APM vol. 2 16.5). Every message is accepted at once:
 * the ICR delivery-status bit always reads idle. */
#include "lapic.h"

static bool match_physical(const struct cpu *t, const struct apic_msg *msg)
{
	uint32_t bcast = msg->x2 ? 0xffffffffu : 0xffu;
	uint32_t id = lapic_x2apic(t) ? t->apic->id : t->apic->id >> 24;
	return msg->dest == bcast || msg->dest == id;
}

static bool match_logical(const struct cpu *t, const struct apic_msg *msg)
{
	const struct lapic *a = t->apic;
	if (msg->dest == (msg->x2 ? 0xffffffffu : 0xffu))
		return true;
	if (lapic_x2apic(t)) /* x2APIC: cluster in [31:16], member bit in [15:0] */
		return (msg->dest >> 16) == (a->ldr >> 16) && (msg->dest & a->ldr & 0xffff) != 0;
	uint8_t mda = (uint8_t)msg->dest, ldr = (uint8_t)(a->ldr >> 24);
	if ((a->dfr >> 28) == 0xf) /* flat model */
		return (mda & ldr) != 0;
	return (mda >> 4) == (ldr >> 4) && (mda & ldr & 0xf) != 0; /* cluster model */
}

static bool is_target(const struct cpu *t, const struct apic_msg *msg)
{
	if (!lapic_hw_enabled(t))
		return false;
	switch (msg->shorthand) {
	case 1: return t->index == msg->src;
	case 2: return true;
	case 3: return t->index != msg->src;
	default: return msg->logical ? match_logical(t, msg) : match_physical(t, msg);
	}
}

static void accept(struct cpu *t, const struct apic_msg *msg)
{
	struct lapic *a = t->apic;
	switch (msg->mode) {
	case DM_FIXED:
	case DM_LOWEST:
		if (lapic_sw_enabled(t)) /* a software-disabled APIC takes only NMI/INIT/SIPI/SMI */
			lapic_set_irr(t, msg->vector, msg->level);
		break;
	case DM_NMI: t->nmi_pending = true; break;
	case DM_INIT:
		if (msg->assert_) /* INIT level de-assert has no effect on these CPUs */
			a->init_pending = true;
		break;
	case DM_STARTUP:
		a->sipi_pending = true;
		a->sipi_vector = msg->vector;
		break;
	case DM_EXTINT: a->extint_pending = true; break;
	default:
		cpu_log(t, "UNIMP", "APIC: %s message ignored (no SMM)", msg->mode == DM_SMI ? "SMI" : "reserved");
		break;
	}
}

/* Lowest priority: the target with the lowest TPR, ties to the lowest CPU
 * number. APPROX: no focus processor check, arbitration ID ignored. */
static struct cpu *lowest_priority(struct pac_machine *m, const struct apic_msg *msg)
{
	struct cpu *best = NULL;
	for (unsigned i = 0; i < m->ncpus; i++) {
		struct cpu *t = m->cpus[i];
		if (is_target(t, msg) && (!best || lapic_tpr(t) < lapic_tpr(best)))
			best = t;
	}
	return best;
}

void apic_bus_send(struct pac_machine *m, const struct apic_msg *msg)
{
	if (msg->mode == DM_LOWEST) {
		struct cpu *t = lowest_priority(m, msg);
		if (t)
			accept(t, msg);
		return;
	}
	for (unsigned i = 0; i < m->ncpus; i++)
		if (is_target(m->cpus[i], msg))
			accept(m->cpus[i], msg);
}

/* A write of ICR[31:0] (xAPIC) or of the 64-bit ICR MSR sends the IPI. */
void lapic_send_icr(struct cpu *c)
{
	struct lapic *a = c->apic;
	uint32_t lo = a->icr_lo;
	struct apic_msg msg = {
		.vector = (uint8_t)lo, .mode = (uint8_t)LVT_DM(lo), .logical = (lo >> 11) & 1,
		.assert_ = (lo >> 14) & 1, .level = (lo >> 15) & 1, .shorthand = (int)((lo >> 18) & 3),
		.src = c->index, .x2 = lapic_x2apic(c),
	};
	msg.dest = msg.x2 ? a->icr_hi : a->icr_hi >> 24;
	a->icr_lo &= ~(1u << 12); /* delivery status: idle */
	if ((msg.mode == DM_FIXED || msg.mode == DM_LOWEST) && msg.vector < 16) {
		lapic_error(c, ESR_SEND_ILLEGAL);
		return;
	}
	if (msg.mode == DM_STARTUP || msg.mode == DM_INIT || msg.mode == DM_LOWEST)
		if (msg.shorthand == 1 || (msg.mode == DM_LOWEST && msg.shorthand == 2))
			return; /* invalid shorthand for this delivery mode (SDM Table 10-3) */
	if (msg.mode == DM_FIXED || msg.mode == DM_LOWEST)
		msg.level = false; /* IPIs are edge-triggered: no TMR, no EOI broadcast */
	apic_bus_send(c->m, &msg);
}

/* ---- public API: messages from devices (I/O APIC, MSI) ---- */
void pac_apic_send(pac_machine *m, const struct pac_apic_msg *pm)
{
	struct apic_msg msg = { .dest = pm->dest, .logical = pm->logical, .x2 = false,
				.mode = pm->delivery & 7, .vector = pm->vector, .level = pm->level,
				.assert_ = true, .shorthand = 0, .src = -1 };
	if ((msg.mode == DM_FIXED || msg.mode == DM_LOWEST) && msg.vector < 16)
		return;
	apic_bus_send(m, &msg);
}

void pac_apic_set_eoi_listener(pac_machine *m, pac_apic_eoi_fn fn, void *ctx)
{
	m->apic_eoi_fn = fn;
	m->apic_eoi_ctx = ctx;
}
