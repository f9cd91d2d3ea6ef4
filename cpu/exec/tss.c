/* SPDX-License-Identifier: MIT */
/* Stack pointers stored in the TSS (APM 12.2.5, Figures 12-5, 12-6, 12-8). */
#include "tss.h"
#include "desc.h"
#include "../core/fault.h"
#include "../mmu/mmu.h"

static MAYFAULT uint64_t tss_field(struct cpu *c, uint32_t off, unsigned size, uint32_t ext)
{
	if ((uint64_t)off + size - 1 > c->tr.limit || !(c->tr.attr & SA_P))
		raise_exc_err(c, EXC_TS, SEL_ERR(c->tr.sel) | ext);
	gla_t a = c->tr.base + off;
	if (!(c->efer & EFER_LMA))
		a = (uint32_t)a;
	return sys_read(c, a, size);
}

MAYFAULT void tss_legacy_stack(struct cpu *c, int n, uint32_t ext, uint16_t *ss, uint64_t *sp)
{
	unsigned type = c->tr.attr & SA_TYPE;
	if (type == DT_TSS16 || type == DT_TSS16_BUSY) {
		*sp = tss_field(c, 2 + 4 * (uint32_t)n, 2, ext);
		*ss = (uint16_t)tss_field(c, 4 + 4 * (uint32_t)n, 2, ext);
	} else {
		*sp = tss_field(c, 4 + 8 * (uint32_t)n, 4, ext);
		*ss = (uint16_t)tss_field(c, 8 + 8 * (uint32_t)n, 2, ext);
	}
}

MAYFAULT uint64_t tss_rsp64(struct cpu *c, int n, uint32_t ext)
{
	return tss_field(c, 4 + 8 * (uint32_t)n, 8, ext);
}

MAYFAULT uint64_t tss_ist64(struct cpu *c, int n, uint32_t ext)
{
	return tss_field(c, 0x24 + 8 * (uint32_t)(n - 1), 8, ext);
}
