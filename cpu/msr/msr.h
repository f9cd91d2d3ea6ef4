/* SPDX-License-Identifier: MIT */
/* Model-specific registers (msr.def). Returns false where the instruction
 * would raise #GP(0). host = access from the API/debugger (touches hPAT only,
 * GP-07), not from guest code. */
#ifndef PAC_MSR_H
#define PAC_MSR_H
#include "../core/cpu.h"
bool msr_read(struct cpu *c, uint32_t index, uint64_t *val, bool host);
bool msr_write(struct cpu *c, uint32_t index, uint64_t val, bool host);
#endif
