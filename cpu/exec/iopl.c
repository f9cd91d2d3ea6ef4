/* SPDX-License-Identifier: MIT */
#include "iopl.h"
#include "../core/fault.h"
#include "../mmu/mmu.h"
#include "../core/debug.h"
#include "../svm/svm.h"

static MAYFAULT void io_perm_check(struct cpu *c, uint16_t port, int size)
{
	if (c->dbg_io)
		dbg_io_access(c, port, (unsigned)size); /* I/O breakpoint trap (APM 13.1.2.x) */
	if (c->mode == MODE_REAL)
		return;
	int iopl = (int)((c->rflags & FL_IOPL) >> 12);
	if (c->mode != MODE_V86 && c->cpl <= iopl)
		return;
	/* 32/64-bit TSS (type 9 or 11) with limit >= 0x67 holds the bitmap */
	unsigned type = c->tr.attr & SA_TYPE;
	if ((type != 9 && type != 11) || c->tr.limit < 0x67)
		raise_gp0(c);
	uint32_t base = (uint32_t)sys_read(c, c->tr.base + 0x66, 2);
	uint32_t byte = base + port / 8;
	if (byte + 1 > c->tr.limit)
		raise_gp0(c);
	uint32_t bits = (uint32_t)sys_read(c, c->tr.base + byte, 2);
	if ((bits >> (port & 7)) & ((1u << size) - 1))
		raise_gp0(c);
}

/* IOPL / TSS permission first, then the SVM IOIO intercept (APM 15.10.2) */
MAYFAULT void io_check(struct cpu *c, uint16_t port, int size)
{
	io_perm_check(c, port, size);
	svm_io_intercept(c, port, size);
}
