/* SPDX-License-Identifier: MIT */
/* Instruction-boundary machinery shared by step.c, run.c and exception.c. */
#ifndef PAC_EXEC_H
#define PAC_EXEC_H
#include "cpu.h"

void cpu_step(struct cpu *c);
/* Services a pending NMI/INTR at an instruction boundary; true if delivered. */
bool cpu_service_interrupts(struct cpu *c);
/* Delivers ev (with #DF / triple-fault escalation, APM 8.2.9). */
void deliver_event(struct cpu *c, const struct event *ev);
/* Mode-specific delivery through the IDT (intr_pm.c); may fault.
 * ret_rip is the RIP to push; err pushed if ev->has_err. */
MAYFAULT void deliver_real(struct cpu *c, int vector, uint64_t ret_rip);
MAYFAULT void deliver_protected(struct cpu *c, const struct event *ev, uint64_t ret_rip);
/* Stops pac_run for this CPU with a reason. */
void cpu_stop(struct cpu *c, enum pac_exit_reason r, const char *detail);
/* virtual time */
static inline uint64_t cpu_tsc(const struct cpu *c) { return c->cycles + c->tsc_offset; }
#endif
