/* SPDX-License-Identifier: MIT */
/* Control-register writes with every architectural check (crreg.c), for
 * MOV CRn, LMSW, CLTS and anything else that loads a CR the way MOV does
 * (a task switch loading CR3, for instance). */
#ifndef PAC_CRREG_H
#define PAC_CRREG_H
#include "../core/cpu.h"
/* crn = 0, 2, 3, 4 or 8. Raises #GP(0) on an invalid value; otherwise stores
 * it, updates EFER.LMA on CR0.PG changes, recomputes the mode and tells the
 * MMU (mmu_cr_written). */
MAYFAULT void cr_write(struct cpu *c, int crn, uint64_t v);
uint64_t cr_read(const struct cpu *c, int crn);
/* CR4 bits this CPU model allows (all others are reserved, #GP) */
uint64_t cr4_valid_bits(const struct cpu *c);
#endif
