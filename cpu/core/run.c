/* SPDX-License-Identifier: MIT */
/* The run loop: instruction-boundary event servicing and round-robin
 * interleaving of vCPUs in fixed quanta (deterministic, one host thread). */
#include <stdio.h>
#include "exec.h"
#include "../apic/lapic.h"
#include "../svm/svm.h"

#define QUANTUM 1000

bool cpu_service_interrupts(struct cpu *c)
{
	if (svm_gif_blocks(c))
		return false; /* GIF = 0 holds INTR and NMI pending (APM 15.17) */
	if (c->icount < c->inhibit_irq_until)
		return false; /* STI / MOV SS interrupt shadow */
	if (c->nmi_pending && !c->nmi_blocked) {
		if (svm_intr_intercept(c, true))
			return true;
		c->nmi_pending = false;
		c->nmi_blocked = true;
		struct event ev = { .vector = EXC_NMI, .kind = EV_NMI };
		deliver_event(c, &ev);
		return true;
	}
	if (svm_intr_if(c) && cpu_intr_pending(c)) {
		if (svm_intr_intercept(c, false))
			return true;
		int vec = cpu_intr_ack(c);
		if (vec < 0)
			return false;
		c->stats.interrupts++;
		struct event ev = { .vector = vec & 0xff, .kind = EV_EXTINT };
		deliver_event(c, &ev);
		return true;
	}
	return svm_virq_service(c); /* V_IRQ after physical INTR */
}

/* Could anything wake this blocked CPU later (an interrupt it accepts)? */
static bool wakeable(const struct cpu *c)
{
	if (c->apic->wait_sipi)
		return true; /* by a STARTUP IPI */
	return (c->nmi_pending && !c->nmi_blocked) || (c->rflags & FL_IF);
}

static bool any_cpu_ready(struct pac_machine *m)
{
	for (unsigned i = 0; i < m->ncpus; i++)
		if (!cpu_blocked(m->cpus[i]) || cpu_wake_pending(m->cpus[i]))
			return true;
	return false;
}

/* Some halted CPU accepts interrupts, so a timer may wake it. */
static bool any_cpu_interruptible(struct pac_machine *m)
{
	for (unsigned i = 0; i < m->ncpus; i++) {
		const struct cpu *o = m->cpus[i];
		if (!o->apic->wait_sipi && wakeable(o))
			return true;
	}
	return false;
}

/* Halted CPU (one CPU): wakes on an interrupt, or idles forward to the next
 * timer. Returns false when nothing can ever wake it (the run ends with HLT). */
static bool idle_single(struct cpu *c)
{
	struct pac_machine *m = c->m;
	if (!wakeable(c)) {
		cpu_stop(c, PAC_EXIT_HLT, "HLT with interrupts disabled");
		return false;
	}
	if (m->next_deadline == UINT64_MAX && !(c->nmi_pending && !c->nmi_blocked) &&
	    !cpu_intr_pending(c)) {
		cpu_stop(c, PAC_EXIT_HLT, "HLT with no interrupt source armed");
		return false;
	}
	uint64_t next = m->next_deadline != UINT64_MAX ? m->next_deadline : c->cycles + 1000;
	if (next > c->cycles)
		c->cycles = next;
	return true;
}

/* Blocked CPU (halted or waiting for SIPI) of several: keeps up with the
 * machine's virtual time and gives up its quantum. When no CPU can run,
 * virtual time jumps to the next timer; with none armed the run ends. */
static void idle_smp(struct cpu *c)
{
	struct pac_machine *m = c->m;
	if (c->cycles < m->vtime)
		c->cycles = m->vtime;
	if (any_cpu_ready(m))
		return;
	if (m->next_deadline != UINT64_MAX && any_cpu_interruptible(m)) {
		if (m->next_deadline > c->cycles)
			c->cycles = m->next_deadline;
		return;
	}
	cpu_stop(c, PAC_EXIT_HLT, "all CPUs halted or waiting for SIPI, nothing can wake them");
}

/* Runs one CPU for up to n steps (instructions, or idle slots while halted);
 * returns the number of steps taken. */
static uint64_t run_cpu(struct cpu *c, uint64_t n)
{
	struct pac_machine *m = c->m;
	uint64_t steps = 0;
	while (steps < n && !c->stop && !m->stop_requested) {
		steps++;
		vtime_sync(m, c);
		if (m->next_deadline <= m->vtime)
			timers_run(m);
		if ((c->apic->init_pending || c->apic->sipi_pending) && !svm_hold_init(c))
			lapic_boundary_events(c); /* INIT / STARTUP IPIs (INIT held while GIF=0) */
		if (!c->apic->wait_sipi &&
		    (c->nmi_pending || (svm_intr_if(c) && (m->intc || c->apic->irr_any)) ||
		     svm_virq_ready(c))) {
			cpu_service_interrupts(c);
			if (c->stop)
				break;
		}
		if (cpu_blocked(c)) {
			if (m->ncpus > 1) {
				idle_smp(c);
				break;
			}
			if (!idle_single(c))
				break;
			continue;
		}
		cpu_step(c);
	}
	vtime_sync(m, c);
	return steps;
}

int pac_run(pac_machine *m, uint64_t max_insns, struct pac_exit *ex)
{
	memset(ex, 0, sizeof *ex);
	if (m->unusable) {
		ex->reason = PAC_EXIT_INTERNAL_ERROR;
		return PAC_ERR_UNUSABLE;
	}
	m->stop_requested = false;
	uint64_t done = 0;
	for (;;) {
		for (unsigned i = 0; i < m->ncpus; i++) {
			struct cpu *c = m->cpus[i];
			uint64_t q = max_insns - done < QUANTUM ? max_insns - done : QUANTUM;
			if (m->ncpus == 1)
				q = max_insns - done;
			done += run_cpu(c, q);
			if (c->stop || m->stop_requested) {
				ex->cpu = (int)i;
				ex->rip = c->rip;
				ex->icount = c->icount;
				if (m->stop_requested) {
					ex->reason = PAC_EXIT_STOP;
					ex->stop_code = m->stop_code;
					snprintf(ex->detail, sizeof ex->detail, "stop requested (%d)", m->stop_code);
				} else {
					ex->reason = c->stop;
					snprintf(ex->detail, sizeof ex->detail, "%s", c->stop_detail);
					if (c->stop == PAC_EXIT_INTERNAL_ERROR)
						m->unusable = true;
				}
				c->stop = PAC_EXIT_NONE;
				return PAC_OK;
			}
			if (done >= max_insns) {
				ex->reason = PAC_EXIT_LIMIT;
				ex->cpu = (int)i;
				ex->rip = c->rip;
				ex->icount = c->icount;
				snprintf(ex->detail, sizeof ex->detail, "instruction limit reached");
				return PAC_OK;
			}
		}
	}
}
