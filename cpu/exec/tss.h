/* SPDX-License-Identifier: MIT */
/* Inner-level stack pointers from the current TSS (APM 12.2.5 legacy TSS,
 * 12.2.5 / Figure 12-8 64-bit TSS). Reads outside TR.limit raise
 * #TS(TR selector | ext). */
#ifndef PAC_TSS_H
#define PAC_TSS_H
#include "../core/cpu.h"

/* Legacy (16- or 32-bit TSS by TR type): SSn and (E)SPn for level n. */
MAYFAULT void tss_legacy_stack(struct cpu *c, int n, uint32_t ext, uint16_t *ss, uint64_t *sp);
/* 64-bit TSS: RSPn (n = 0..2). */
MAYFAULT uint64_t tss_rsp64(struct cpu *c, int n, uint32_t ext);
/* 64-bit TSS: ISTn (n = 1..7). */
MAYFAULT uint64_t tss_ist64(struct cpu *c, int n, uint32_t ext);
#endif
