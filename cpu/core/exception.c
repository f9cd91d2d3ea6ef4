/* SPDX-License-Identifier: MIT */
/* Event delivery with the double-fault rules of APM 8.2.9 (Table 8-7):
 * contributory + contributory or #PF + (#PF or contributory) -> #DF;
 * a fault while delivering #DF -> shutdown. Real-mode delivery through the
 * IVT is here; protected/long mode delivery is in intr_pm.c. */
#include "exec.h"
#include "fault.h"
#include "stack.h"
#include "../mmu/mmu.h"
#include "../svm/svm.h"


static bool contributory(int v)
{
	return v == EXC_DE || v == EXC_TS || v == EXC_NP || v == EXC_SS || v == EXC_GP;
}

/* APM 8.2.9: does a second exception during delivery of the first give #DF? */
static bool makes_df(int first, int second)
{
	if (first == EXC_PF)
		return second == EXC_PF || contributory(second);
	return contributory(first) && contributory(second);
}

MAYFAULT void deliver_real(struct cpu *c, int vector, uint64_t ret_rip)
{
	uint64_t ent = (uint64_t)vector * 4;
	if (ent + 3 > c->idtr.limit)
		raise_gp0(c);
	uint32_t ivt = (uint32_t)lin_read(c, c->idtr.base + ent, 4, ACC_R);
	push(c, 2, c->rflags);
	push(c, 2, c->seg[SEG_CS].sel);
	push(c, 2, ret_rip);
	c->rflags &= ~(uint64_t)(FL_IF | FL_TF | FL_AC | FL_RF);
	struct seg *cs = &c->seg[SEG_CS];
	cs->sel = (uint16_t)(ivt >> 16);
	cs->base = (uint64_t)cs->sel << 4;
	c->rip = ivt & 0xffff;
}

static MAYFAULT void deliver_once(struct cpu *c, const struct event *ev)
{
	uint64_t ret = c->rip;
	if (ev->kind == EV_SOFTINT || ev->kind == EV_SWEXC || ev->kind == EV_ICEBP)
		ret = ev->next_rip;
	const struct pac_hooks *h = c->m->hooks;
	if (h && h->event)
		h->event(c->m->hooks_ctx, c->index, ev->vector, ev->kind == EV_EXTINT || ev->kind == EV_SOFTINT,
			 ev->has_err, ev->err, c->rip);
	if (ev->is_pf)
		c->cr2 = ev->cr2;
	if (c->mode == MODE_REAL)
		deliver_real(c, ev->vector, ret);
	else
		deliver_protected(c, ev, ret);
}

/* APPROX: a benign exception that faults again while being delivered is
 * delivered serially (APM 8.2.9), so #AC raised by the pushes of its own
 * delivery (CPL-3 handler, CR0.AM, RFLAGS.AC, misaligned stack) repeats
 * for ever: real processors hang without retiring an instruction (the
 * microcode loop of CVE-2015-5307). After this many nested deliveries the
 * CPU shuts down instead, so pac_run always returns. */
#define MAX_NESTED_DELIVERIES 32

void deliver_event(struct cpu *c, const struct event *first)
{
	struct event ev = *first, prev;
	bool nested = false;
	volatile unsigned attempts = 0; /* kept across the longjmp */
	jmp_buf jb;
	jmp_buf *outer = c->jb;
	c->jb = &jb;
	c->halted = false;
	for (;;) {
		uint64_t rsp = c->gpr[4], rip = c->rip, fl = c->rflags;
		if (svm_event_intercept(c, &ev, nested ? &prev : NULL))
			break; /* #VMEXIT(EXCPn) instead of delivery */
		if (setjmp(jb) == 0) {
			deliver_once(c, &ev);
			break;
		}
		struct event nf = c->ev;
		c->gpr[4] = rsp;
		c->rip = rip;
		c->rflags = fl;
		if (nf.kind == EV_UNIMP || nf.kind == EV_INTERNAL || nf.kind == EV_SHUTDOWN) {
			cpu_stop(c, nf.kind == EV_UNIMP ? PAC_EXIT_UNIMPLEMENTED
				 : nf.kind == EV_SHUTDOWN ? PAC_EXIT_SHUTDOWN : PAC_EXIT_INTERNAL_ERROR,
				 c->stop_detail);
			break;
		}
		if (nf.vector >= 0 && nf.vector < 32)
			c->stats.exceptions[nf.vector]++;
		if (++attempts >= MAX_NESTED_DELIVERIES) {
			cpu_stop(c, PAC_EXIT_SHUTDOWN, "exception delivery never completes");
			cpu_log(c, "INT", "exception %d keeps faulting during delivery (%d): shutdown",
				ev.vector, nf.vector);
			break;
		}
		if (ev.vector == EXC_DF) {
			if (svm_shutdown_intercept(c))
				break;
			cpu_stop(c, PAC_EXIT_SHUTDOWN, "triple fault");
			cpu_log(c, "INT", "triple fault (exception %d while delivering #DF)", nf.vector);
			break;
		}
		/* the interrupted delivery was an exception if it had a fault vector */
		bool was_exc = ev.kind == EV_FAULT || ev.kind == EV_TRAP;
		prev = ev;
		nested = true;
		if (was_exc && makes_df(ev.vector, nf.vector))
			ev = (struct event){ .vector = EXC_DF, .has_err = true, .err = 0, .kind = EV_FAULT };
		else
			ev = nf;
		if (c->mode == MODE_REAL && ev.vector == EXC_DF && nf.vector == EXC_DF) {
			cpu_stop(c, PAC_EXIT_SHUTDOWN, "triple fault");
			break;
		}
	}
	c->jb = outer;
}
