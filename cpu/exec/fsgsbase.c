/* SPDX-License-Identifier: MIT */
/* RDFSBASE, RDGSBASE, WRFSBASE, WRGSBASE (F3 0F AE /0-/3, 64-bit mode
 * only, row checks mode and CPUID). CR4.FSGSBASE = 0 gives #UD. A 32-bit
 * operand reads the low half and writes zero-extended; a 64-bit write
 * must be canonical (APM vol. 3). */
#include "handlers.h"
#include "../core/fault.h"

void op_fsgsbase(struct cpu *c, const struct insn *in)
{
	if (!(c->cr4 & CR4_FSGSBASE))
		raise_ud(c);
	int op = (in->modrm >> 3) & 7; /* 0 RDFS, 1 RDGS, 2 WRFS, 3 WRGS */
	struct seg *s = &c->seg[(op & 1) ? SEG_GS : SEG_FS];
	if (op < 2) {
		reg_write(c, in->rm, in->opsize, false, s->base);
		return;
	}
	uint64_t v = reg_read(c, in->rm, in->opsize, false);
	if (!is_canonical(v, cpu_va_bits(c)))
		raise_gp0(c);
	s->base = v;
}

/* CLAC / STAC (0F 01 CA / CB): protected mode (row), CPL 0 else #UD. */
void op_clac_stac(struct cpu *c, const struct insn *in)
{
	if (c->cpl > 0)
		raise_ud(c);
	if ((in->modrm & 7) == 2)
		c->rflags &= ~(uint64_t)FL_AC;
	else
		c->rflags |= FL_AC;
}
