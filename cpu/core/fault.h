/* SPDX-License-Identifier: MIT */
/* Raising architectural events (DESIGN rule 7): record the event in the CPU
 * and longjmp to the single setjmp in cpu_step(). Callers never deliver. */
#ifndef PAC_FAULT_H
#define PAC_FAULT_H
#include "cpu.h"

_Noreturn void raise_exc(struct cpu *c, int vector);             /* no error code */
_Noreturn void raise_exc_err(struct cpu *c, int vector, uint32_t err);
_Noreturn void raise_gp0(struct cpu *c);
_Noreturn void raise_ud(struct cpu *c);
_Noreturn void raise_pf(struct cpu *c, gla_t gla, uint32_t err);
/* Stack-segment fault or #GP(0) depending on the segment used (APM 8.2). */
_Noreturn void raise_seg_fault(struct cpu *c, int seg, uint32_t err);
/* A trap recorded after the instruction completed (INT n, INT3, INTO, INT1). */
_Noreturn void raise_softint(struct cpu *c, int vector, int kind);
/* Emulator-level stops. */
_Noreturn void raise_unimp(struct cpu *c, const char *what);
_Noreturn void raise_internal(struct cpu *c, const char *what);
_Noreturn void raise_shutdown(struct cpu *c, const char *why);

#endif
