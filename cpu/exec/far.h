/* SPDX-License-Identifier: MIT */
/* Shared pieces of the far control transfers (JMP/CALL/RET far, call gates,
 * IRET): code-segment checks and target-offset checks (APM vol. 2, 4.11). */
#ifndef PAC_FAR_H
#define PAC_FAR_H
#include "../core/cpu.h"
#include "desc.h"

/* #GP(0) unless rip fits the new code segment: canonical for 64-bit code,
 * within the limit otherwise. Returns rip masked to the operand width. */
MAYFAULT uint64_t far_target(struct cpu *c, const struct desc *cs, uint64_t rip, int osz);
/* Reads the descriptor of a code selector popped or named by a far
 * transfer: #GP(0) if null, #GP(sel) outside the table. */
MAYFAULT void far_read_desc(struct cpu *c, uint16_t sel, struct desc *d);
/* #GP(sel) if a long-mode code descriptor has L = D = 1. */
MAYFAULT void far_check_ld(struct cpu *c, uint16_t sel, const struct desc *d);
/* Real and v86 mode: CS = sel (base sel << 4), RIP = off. */
MAYFAULT void far_real(struct cpu *c, uint16_t sel, uint64_t off, int osz);
/* Checks of a CS popped by RET far / IRET: #GP(sel), #NP(sel). */
MAYFAULT void far_check_return_cs(struct cpu *c, uint16_t sel, struct desc *d);
/* Call gate (JMP or CALL through it); gsel/g: the gate. */
MAYFAULT void far_call_gate(struct cpu *c, uint16_t gsel, const struct desc *g, bool call, int osz);
/* Width of a far pointer's offset in memory/immediate for operand size osz. */
static inline int far_osz(int opsize) { return opsize == 8 ? 4 : opsize; }
#endif
