/* SPDX-License-Identifier: MIT */
/* CPUID, XGETBV, XSETBV (APM vol. 3). Results come from the CPU model
 * (cpu/cpuid); the XCR0 bits the model supports are those CPUID 0Dh
 * reports, so the two cannot disagree. */
#include "handlers.h"
#include "../core/fault.h"
#include "../cpuid/cpuid.h"

void op_cpuid(struct cpu *c, const struct insn *in)
{
	uint32_t o[4];
	cpuid_query(c, (uint32_t)c->gpr[0], (uint32_t)c->gpr[1], o);
	reg_write(c, 0, 4, false, o[0]);
	reg_write(c, 3, 4, false, o[1]);
	reg_write(c, 1, 4, false, o[2]);
	reg_write(c, 2, 4, false, o[3]);
}

static uint64_t xcr0_supported(const struct cpu *c)
{
	uint32_t o[4];
	cpuid_query(c, 0xd, 0, o);
	return o[0] | ((uint64_t)o[3] << 32);
}

/* XGETBV: XCR0 (ECX = 0); XCR1 (XINUSE) is not modelled (no XGETBV1). */
void op_xgetbv(struct cpu *c, const struct insn *in)
{
	if (!(c->cr4 & CR4_OSXSAVE))
		raise_ud(c);
	if ((uint32_t)c->gpr[1] != 0)
		raise_gp0(c);
	reg_write(c, 0, 4, false, (uint32_t)c->xcr0);
	reg_write(c, 2, 4, false, c->xcr0 >> 32);
}

/* XSETBV: CPL 0, ECX = 0, x87 bit set, only supported components. */
void op_xsetbv(struct cpu *c, const struct insn *in)
{
	if (!(c->cr4 & CR4_OSXSAVE))
		raise_ud(c);
	if (c->cpl > 0 || (uint32_t)c->gpr[1] != 0)
		raise_gp0(c);
	uint64_t v = (uint32_t)c->gpr[0] | (c->gpr[2] << 32);
	if (!(v & 1) || (v & ~xcr0_supported(c)))
		raise_gp0(c);
	c->xcr0 = v;
}
