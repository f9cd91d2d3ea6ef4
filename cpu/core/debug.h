/* SPDX-License-Identifier: MIT */
/* Debug breakpoints and debug traps (APM vol. 2, 13.1): DR0-DR3 with the
 * DR7 enables, instruction breakpoints (faults), data and I/O breakpoints
 * (traps), single-step, the T-bit task-switch trap and the MOV SS shadow.
 * Nothing here runs while DR7 enables no breakpoint and TF is clear. */
#ifndef PAC_DEBUG_H
#define PAC_DEBUG_H
#include "cpu.h"

#define DR6_B(n) (1u << (n))
#define DR6_BD (1u << 13)
#define DR6_BS (1u << 14)
#define DR6_BT (1u << 15)

struct insn;

/* Start of an instruction with some DR7 L/G bit set: arms the data and
 * I/O breakpoint masks and raises an instruction-breakpoint #DB fault
 * unless RFLAGS.RF is set. */
MAYFAULT void dbg_insn_start(struct cpu *c);
/* The data access [gla, gla+size) (write if acc has ACC_W) matched against
 * the armed data breakpoints; matches become pending B bits. */
void dbg_data_access(struct cpu *c, uint64_t gla, unsigned size, unsigned acc);
/* An IN/OUT/INS/OUTS access to port..port+size-1. */
void dbg_io_access(struct cpu *c, uint16_t port, unsigned size);
/* After an instruction retired: delivers one #DB trap carrying single-step,
 * data/I-O and task-switch bits, or defers them past a MOV SS / POP SS. */
void dbg_retire(struct cpu *c, const struct insn *ip);
#endif
