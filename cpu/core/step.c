/* SPDX-License-Identifier: MIT */
/* One instruction: fetch/decode, the row checks in APM order, execute,
 * retire. Owns the single setjmp of DESIGN rule 7: any fault rolls back
 * GPRs, RIP and RFLAGS and is delivered here. */
#include <stdio.h>
#include "exec.h"
#include "fault.h"
#include "debug.h"
#include "../decode/icache.h"
#include "../cpuid/cpuid.h"
#include "../svm/svm.h"

void cpu_stop(struct cpu *c, enum pac_exit_reason r, const char *detail)
{
	c->stop = r;
	if (detail && detail != c->stop_detail)
		snprintf(c->stop_detail, sizeof c->stop_detail, "%s", detail);
}

/* Row attribute checks (DESIGN rule 8): mode #UD, feature #UD, LOCK #UD,
 * device-not-available, CPL #GP — in that order. */
static MAYFAULT void row_checks(struct cpu *c, const struct insn *in)
{
	const struct oprow *r = in->row;
	uint32_t f = r->flags;
	if ((f & F_NO64) && c->mode == MODE_LONG)
		raise_ud(c);
	if ((f & F_ONLY64) && c->mode != MODE_LONG)
		raise_ud(c);
	if ((f & F_PMODE) && (c->mode == MODE_REAL || c->mode == MODE_V86))
		raise_ud(c);
	if ((f & F_NOREAL) && c->mode == MODE_REAL)
		raise_ud(c);
	if (r->feat && !cpu_has(c, r->feat))
		raise_ud(c);
	if (in->lock && !(f & F_LOCKREG) && (!(f & F_LOCK) || !in->has_mem))
		raise_ud(c);
	if ((f & F_VEXL0) && in->vex_l)
		raise_ud(c);
	if (f & F_SSE) {
		if ((c->cr0 & CR0_EM) || !(c->cr4 & CR4_OSFXSR))
			raise_ud(c);
		if (c->cr0 & CR0_TS)
			raise_exc(c, EXC_NM);
	}
	if (f & F_MMX) {
		if (c->cr0 & CR0_EM)
			raise_ud(c);
		if (c->cr0 & CR0_TS)
			raise_exc(c, EXC_NM);
	}
	if ((f & F_X87) && (c->cr0 & (CR0_EM | CR0_TS)))
		raise_exc(c, EXC_NM);
	if ((f & F_CPL0) && c->cpl != 0)
		raise_gp0(c);
}

/* Handlers that complete in parts (REP string iterations, cpu/exec/string.c)
 * may advance saved_gpr/saved_rflags after each completed part: that is the
 * state a later fault rolls back to, while RIP still returns to the start of
 * the instruction, which then resumes with the progress already made (APM
 * vol. 3, "Repeat Prefixes"). */
static void rollback(struct cpu *c)
{
	memcpy(c->gpr, c->saved_gpr, sizeof c->gpr);
	c->rip = c->saved_rip;
	c->rflags = c->saved_rflags;
}

static void handle_event(struct cpu *c)
{
	struct event ev = c->ev;
	switch (ev.kind) {
	case EV_UNIMP:
		rollback(c);
		cpu_stop(c, PAC_EXIT_UNIMPLEMENTED, c->stop_detail);
		return;
	case EV_INTERNAL:
		rollback(c);
		cpu_stop(c, PAC_EXIT_INTERNAL_ERROR, c->stop_detail);
		return;
	case EV_SHUTDOWN:
		cpu_stop(c, PAC_EXIT_SHUTDOWN, c->stop_detail);
		return;
	case EV_HALT_EXIT:
		return;
	case EV_VMEXIT:
		rollback(c);
		svm_vmexit(c, true);
		return;
	case EV_SOFTINT:
	case EV_ICEBP:
	case EV_SWEXC:
		/* traps raised by INT n / INT3 / INTO / INT1: instruction completed */
		c->icount++;
		c->cycles++;
		/* the frame gets ev.next_rip; a fault while delivering reports the
		 * INT instruction itself (APM 8.2.x), so RIP stays on it */
		c->rip = c->saved_rip;
		break;
	default:
		rollback(c);
		break;
	}
	if (ev.vector >= 0 && ev.vector < 32)
		c->stats.exceptions[ev.vector]++;
	deliver_event(c, &ev);
}

void cpu_step(struct cpu *c)
{
	jmp_buf jb;
	struct insn scratch;
	const struct insn *ip;
	c->jb = &jb;
	memcpy(c->saved_gpr, c->gpr, sizeof c->gpr);
	c->saved_rip = c->rip;
	c->saved_rflags = c->rflags;
	c->cur = NULL;
	if (setjmp(jb)) {
		handle_event(c);
		return;
	}
	c->dbg_pending = 0;
	c->dbg_data = 0;
	if (c->dr[7] & 0xff)
		dbg_insn_start(c); /* breakpoints enabled (APM 13.1) */
	ip = icache_fetch(c, &scratch);
	uint64_t ipmask = c->code_bits == 64 ? ~0ull : c->code_bits == 32 ? 0xffffffffull : 0xffffull;
	c->next_rip = (c->rip + ip->len) & ipmask;
	c->cur = ip;
	if (c->m->hooks && c->m->hooks->insn)
		c->m->hooks->insn(c->m->hooks_ctx, c->index, c->seg[SEG_CS].base, c->rip, ip->bytes,
				  ip->len, c->code_bits);
	if (ip->row) {
		row_checks(c, ip);
		if (ip->row->svm)
			svm_row_intercept(c, ip);
	}
	c->rip = c->next_rip;
	ip->exec(c, ip);
	/* retire */
	c->icount++;
	c->cycles++;
	c->stats.insns++;
	/* RF is cleared when an instruction completes, except IRET which loads
	 * it from the stack (APM 13.1.3.6) */
	if (!ip->row || !(ip->row->flags & F_LOADRF))
		c->rflags &= ~(uint64_t)FL_RF;
	/* single-step, data/I-O breakpoint and task-switch traps (debug.c) */
	if ((c->saved_rflags & FL_TF) || c->dbg_pending || c->dbg_deferred)
		dbg_retire(c, ip);
}
