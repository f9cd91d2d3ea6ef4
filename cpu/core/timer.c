/* SPDX-License-Identifier: MIT */
/* Device timers on the machine's virtual time. Virtual time is the largest
 * cycle count of any CPU (CPUs run in lock-step quanta, see run.c), so the
 * same guest and options always see the same timer interrupts. */
#include <stdint.h>
#include "cpu.h"

uint64_t pac_time_ns(const pac_machine *m) { return m->vtime; }

static void recompute(struct pac_machine *m)
{
	uint64_t d = UINT64_MAX;
	for (unsigned i = 0; i < m->ntimers; i++)
		if (m->timers[i].armed && m->timers[i].deadline < d)
			d = m->timers[i].deadline;
	m->next_deadline = d;
}

int pac_timer_create(pac_machine *m, pac_timer_fn fn, void *ctx)
{
	if (!fn)
		return PAC_ERR_INVAL;
	if (m->ntimers >= MAX_TIMERS)
		return PAC_ERR_RANGE;
	m->timers[m->ntimers] = (struct vtimer){ fn, ctx, 0, false };
	return (int)m->ntimers++;
}

void pac_timer_arm(pac_machine *m, int id, uint64_t deadline_ns)
{
	if (id < 0 || (unsigned)id >= m->ntimers)
		return;
	m->timers[id].deadline = deadline_ns;
	m->timers[id].armed = true;
	recompute(m);
}

void pac_timer_cancel(pac_machine *m, int id)
{
	if (id < 0 || (unsigned)id >= m->ntimers)
		return;
	m->timers[id].armed = false;
	recompute(m);
}

/* Fires every timer whose deadline has passed, in deadline order (ties by
 * id), so callbacks that re-arm see a consistent clock. */
void timers_run(struct pac_machine *m)
{
	while (m->next_deadline <= m->vtime) {
		int best = -1;
		for (unsigned i = 0; i < m->ntimers; i++)
			if (m->timers[i].armed && m->timers[i].deadline <= m->vtime &&
			    (best < 0 || m->timers[i].deadline < m->timers[best].deadline))
				best = (int)i;
		if (best < 0)
			break;
		m->timers[best].armed = false;
		recompute(m);
		m->timers[best].fn(m->timers[best].ctx, m->vtime);
	}
}
