/* SPDX-License-Identifier: MIT */
/* The run loop: instruction-boundary event servicing and round-robin
 * interleaving of vCPUs in fixed quanta (deterministic, one host thread). */
#include <stdio.h>
#include "exec.h"

#define QUANTUM 1000

bool cpu_service_interrupts(struct cpu *c)
{
	struct pac_machine *m = c->m;
	if (c->icount < c->inhibit_irq_until)
		return false; /* STI / MOV SS interrupt shadow */
	if (c->nmi_pending && !c->nmi_blocked) {
		c->nmi_pending = false;
		c->nmi_blocked = true;
		struct event ev = { .vector = EXC_NMI, .kind = EV_NMI };
		deliver_event(c, &ev);
		return true;
	}
	if ((c->rflags & FL_IF) && m->intc && m->intc->pending(m->intc_ctx, c->index)) {
		int vec = m->intc->acknowledge(m->intc_ctx, c->index);
		if (vec < 0)
			return false;
		c->stats.interrupts++;
		struct event ev = { .vector = vec & 0xff, .kind = EV_EXTINT };
		deliver_event(c, &ev);
		return true;
	}
	return false;
}

/* Halted CPU: wakes on an interrupt, or idles forward to the next timer.
 * Returns false when nothing can ever wake it (the run ends with HLT). */
static bool idle(struct cpu *c)
{
	struct pac_machine *m = c->m;
	bool nmi = c->nmi_pending && !c->nmi_blocked;
	bool intr = (c->rflags & FL_IF) && m->intc;
	if (!nmi && !intr) {
		cpu_stop(c, PAC_EXIT_HLT, "HLT with interrupts disabled");
		return false;
	}
	if (m->next_deadline == UINT64_MAX && m->ncpus == 1 && !nmi &&
	    !m->intc->pending(m->intc_ctx, c->index)) {
		cpu_stop(c, PAC_EXIT_HLT, "HLT with no interrupt source armed");
		return false;
	}
	uint64_t next = m->next_deadline != UINT64_MAX ? m->next_deadline : c->cycles + 1000;
	if (next > c->cycles)
		c->cycles = next;
	return true;
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
		if (c->nmi_pending || ((c->rflags & FL_IF) && m->intc)) {
			cpu_service_interrupts(c);
			if (c->stop)
				break;
		}
		if (c->halted) {
			if (!idle(c))
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
