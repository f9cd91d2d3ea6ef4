/* SPDX-License-Identifier: MIT */
/* Protected- and long-mode event delivery through the IDT: placeholder. */
#include "exec.h"
#include "fault.h"

MAYFAULT void deliver_protected(struct cpu *c, const struct event *ev, uint64_t ret_rip)
{
	(void)ev; (void)ret_rip;
	raise_unimp(c, "protected-mode interrupt delivery");
}
