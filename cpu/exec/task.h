/* SPDX-License-Identifier: MIT */
/* Hardware task switching (APM vol. 2, 12.3; legacy mode only): far
 * JMP/CALL to a TSS or task gate, events through a task gate in the IDT,
 * IRET with NT = 1 back through the link field. */
#ifndef PAC_TASK_H
#define PAC_TASK_H
#include "../core/cpu.h"
#include "desc.h"

enum task_src { TASK_JMP, TASK_CALL, TASK_IRET, TASK_INT };

/* JMP/CALL far to the TSS descriptor or task gate d named by sel. */
MAYFAULT void task_far(struct cpu *c, uint16_t sel, const struct desc *d, bool call);
/* Event delivery through the task gate g (already checked for type, DPL
 * of software interrupts and presence by the IDT code). ret_eip is the
 * EIP saved in the outgoing TSS; ext is the EXT bit of error codes. */
MAYFAULT void task_gate_event(struct cpu *c, const struct desc *g, const struct event *ev,
			      uint32_t ext, uint64_t ret_eip);
/* IRET with EFLAGS.NT = 1 in legacy protected mode. */
MAYFAULT void task_iret(struct cpu *c);

/* The switch itself (task_switch.c): nsel/nd is the new TSS, checked for
 * type and presence; saves the current task, loads the new one. */
MAYFAULT void task_switch(struct cpu *c, uint16_t nsel, struct desc *nd, enum task_src src,
			  uint64_t ret_eip, uint32_t ext);
#endif
