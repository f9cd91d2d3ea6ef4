/* SPDX-License-Identifier: MIT */
/* Model-specific registers (msr.def). Returns false where the instruction
 * would raise #GP(0): unknown index, MSR absent on the CPU model, reserved
 * bits or an invalid value.
 * host = access from the API/debugger, not from guest code: it touches hPAT
 * only (GP-07), may write read-only state a snapshot must restore
 * (EFER.LMA, PATCH_LEVEL, APIC_BASE.BSC) and is not subject to the
 * "EFER.LME changes while CR0.PG=1" rule; reserved bits are still refused.
 * For the host every present MSR is readable, and writing back the value
 * it reads always succeeds (snapshots), read-only registers included. */
#ifndef PAC_MSR_H
#define PAC_MSR_H
#include "../core/cpu.h"
bool msr_read(struct cpu *c, uint32_t index, uint64_t *val, bool host);
bool msr_write(struct cpu *c, uint32_t index, uint64_t val, bool host);
/* name of the msr.def row covering index (NULL if none) */
const char *msr_name(uint32_t index);
#endif
