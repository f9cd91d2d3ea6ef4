/* SPDX-License-Identifier: MIT */
/* Bottom of the layering: the raise functions only record and unwind. */
#include <stdio.h>
#include "fault.h"

_Noreturn static void unwind(struct cpu *c)
{
	longjmp(*c->jb, 1);
}

_Noreturn void raise_exc_err(struct cpu *c, int vector, uint32_t err)
{
	c->ev = (struct event){ .vector = vector, .has_err = true, .err = err, .kind = EV_FAULT };
	unwind(c);
}

_Noreturn void raise_exc(struct cpu *c, int vector)
{
	c->ev = (struct event){ .vector = vector, .kind = EV_FAULT };
	/* #DB from instruction execution (data breakpoints, INT1 are separate) and
	 * #BP/#OF are traps: the caller uses raise_softint for those. */
	unwind(c);
}

_Noreturn void raise_gp0(struct cpu *c) { raise_exc_err(c, EXC_GP, 0); }
_Noreturn void raise_ud(struct cpu *c) { raise_exc(c, EXC_UD); }

_Noreturn void raise_pf(struct cpu *c, gla_t gla, uint32_t err)
{
	c->ev = (struct event){ .vector = EXC_PF, .has_err = true, .err = err,
				.cr2 = gla, .is_pf = true, .kind = EV_FAULT };
	unwind(c);
}

_Noreturn void raise_seg_fault(struct cpu *c, int seg, uint32_t err)
{
	raise_exc_err(c, seg == SEG_SS ? EXC_SS : EXC_GP, err);
}

_Noreturn void raise_softint(struct cpu *c, int vector, int kind)
{
	c->ev = (struct event){ .vector = vector, .kind = kind, .next_rip = c->next_rip };
	unwind(c);
}

static _Noreturn void raise_stop(struct cpu *c, int kind, const char *cat, const char *what)
{
	c->ev = (struct event){ .vector = -1, .kind = kind };
	snprintf(c->stop_detail, sizeof c->stop_detail, "%s", what);
	cpu_log(c, cat, "%s at rip=%#llx", what, (unsigned long long)c->saved_rip);
	unwind(c);
}

_Noreturn void raise_unimp(struct cpu *c, const char *what) { raise_stop(c, EV_UNIMP, "UNIMP", what); }
_Noreturn void raise_internal(struct cpu *c, const char *what) { raise_stop(c, EV_INTERNAL, "INTERNAL", what); }
_Noreturn void raise_shutdown(struct cpu *c, const char *why) { raise_stop(c, EV_SHUTDOWN, "SHUTDOWN", why); }
