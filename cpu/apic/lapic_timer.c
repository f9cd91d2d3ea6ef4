/* SPDX-License-Identifier: MIT */
/* The APIC timer (SDM vol. 3 10.5.4, APM vol. 2 16.4.1): one-shot, periodic
 * and TSC-deadline modes. The APIC bus clock is 1 GHz (one tick per virtual
 * nanosecond, as the TSC), so the count decrements every `divide` ns and a
 * count N with divide D expires N*D ns after the write of the initial count.
 * Expiry is a device timer on the machine's virtual time (cpu/core/timer.c). */
#include "lapic.h"
#include "../cpuid/cpuid.h"
#include "../decode/insn.h"

enum { TM_ONESHOT = 0, TM_PERIODIC = 1, TM_DEADLINE = 2 };

static unsigned timer_mode(const struct lapic *a) { return (a->lvt[LVT_TIMER] >> 17) & 3; }

/* DCR bits 3,1:0: 000 = /2 ... 110 = /128, 111 = /1 */
static uint64_t divisor(const struct lapic *a)
{
	unsigned v = ((a->timer_dcr >> 1) & 4) | (a->timer_dcr & 3);
	return v == 7 ? 1 : 2ull << v;
}

static uint64_t period_ns(const struct lapic *a) { return (uint64_t)a->timer_icr * divisor(a); }

static void timer_fired(void *ctx, uint64_t now);

static void arm(struct cpu *c, uint64_t deadline)
{
	struct lapic *a = c->apic;
	if (a->timer_id < 0)
		a->timer_id = pac_timer_create(c->m, timer_fired, c);
	if (a->timer_id >= 0)
		pac_timer_arm(c->m, a->timer_id, deadline);
	else
		cpu_log(c, "UNIMP", "LAPIC: no device timer left for the APIC timer");
}

void lapic_timer_stop(struct cpu *c)
{
	if (c->apic->timer_id >= 0)
		pac_timer_cancel(c->m, c->apic->timer_id);
}

static void timer_fired(void *ctx, uint64_t now)
{
	struct cpu *c = ctx;
	struct lapic *a = c->apic;
	unsigned mode = timer_mode(a);
	if (mode == TM_DEADLINE) {
		a->tsc_deadline = 0;
	} else if (mode == TM_PERIODIC && a->timer_icr) {
		uint64_t p = period_ns(a);
		uint64_t n = (now - a->timer_start) / p + 1;
		arm(c, a->timer_start + n * p);
	}
	lapic_local_deliver(c, LVT_TIMER);
}

void lapic_timer_write_icr(struct cpu *c, uint32_t v)
{
	struct lapic *a = c->apic;
	if (timer_mode(a) == TM_DEADLINE)
		return; /* ignored in TSC-deadline mode (SDM 10.5.4.1) */
	a->timer_icr = v;
	a->timer_start = lapic_now(c);
	if (v)
		arm(c, a->timer_start + period_ns(a));
	else
		lapic_timer_stop(c);
}

uint32_t lapic_timer_ccr(struct cpu *c)
{
	struct lapic *a = c->apic;
	if (timer_mode(a) == TM_DEADLINE || !a->timer_icr)
		return 0;
	uint64_t ticks = (lapic_now(c) - a->timer_start) / divisor(a);
	if (timer_mode(a) == TM_PERIODIC)
		return (uint32_t)(a->timer_icr - ticks % a->timer_icr);
	return ticks >= a->timer_icr ? 0 : (uint32_t)(a->timer_icr - ticks);
}

/* A new divide value applies to the remaining count. */
void lapic_timer_write_dcr(struct cpu *c, uint32_t v)
{
	struct lapic *a = c->apic;
	uint32_t cc = lapic_timer_ccr(c);
	a->timer_dcr = v & 0xb;
	if (!cc)
		return;
	uint64_t now = lapic_now(c), done = (uint64_t)(a->timer_icr - cc) * divisor(a);
	a->timer_start = done > now ? 0 : now - done;
	arm(c, now + (uint64_t)cc * divisor(a));
}

/* Switching between TSC-deadline and the count modes disarms the timer. */
void lapic_timer_write_lvt(struct cpu *c, uint32_t v)
{
	struct lapic *a = c->apic;
	unsigned old = timer_mode(a);
	a->lvt[LVT_TIMER] = v;
	if ((old == TM_DEADLINE) != (timer_mode(a) == TM_DEADLINE)) {
		lapic_timer_stop(c);
		a->timer_icr = 0;
		a->tsc_deadline = 0;
	}
}

bool lapic_tsc_deadline_read(struct cpu *c, uint64_t *v)
{
	if (!cpu_has(c, FEAT_TSC_DEADLINE))
		return false;
	*v = timer_mode(c->apic) == TM_DEADLINE ? c->apic->tsc_deadline : 0;
	return true;
}

/* IA32_TSC_DEADLINE (SDM 10.5.4.1): fires when the TSC reaches the value;
 * 0 disarms; writes outside TSC-deadline mode are ignored. */
void lapic_tsc_deadline_write(struct cpu *c, uint64_t v)
{
	struct lapic *a = c->apic;
	if (timer_mode(a) != TM_DEADLINE)
		return;
	a->tsc_deadline = v;
	if (!v) {
		lapic_timer_stop(c);
		return;
	}
	uint64_t now = lapic_now(c), tsc = now + c->tsc_offset;
	arm(c, v <= tsc ? now : now + (v - tsc));
}
