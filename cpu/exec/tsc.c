/* SPDX-License-Identifier: MIT */
/* RDTSC, RDTSCP, RDPMC, RDPID (APM vol. 3). The TSC is virtual time:
 * cycles + tsc_offset (DESIGN rule 9), so every run reads the same values. */
#include "handlers.h"
#include "../core/exec.h"
#include "../core/fault.h"

static void set_edx_eax(struct cpu *c, uint64_t v)
{
	reg_write(c, 0, 4, false, (uint32_t)v);
	reg_write(c, 2, 4, false, v >> 32);
}

/* CR4.TSD restricts the TSC to CPL 0 */
static MAYFAULT void tsd_check(struct cpu *c)
{
	if ((c->cr4 & CR4_TSD) && c->cpl > 0)
		raise_gp0(c);
}

void op_rdtsc(struct cpu *c, const struct insn *in)
{
	tsd_check(c);
	set_edx_eax(c, cpu_tsc(c));
}

/* RDTSCP: TSC in EDX:EAX and TSC_AUX[31:0] in ECX */
void op_rdtscp(struct cpu *c, const struct insn *in)
{
	tsd_check(c);
	set_edx_eax(c, cpu_tsc(c));
	reg_write(c, 1, 4, false, (uint32_t)c->msr.tsc_aux);
}

/* RDPMC: ECX selects core counter 0-5 (the PERF_CTR MSRs); above CPL 0
 * only with CR4.PCE. */
void op_rdpmc(struct cpu *c, const struct insn *in)
{
	uint32_t idx = (uint32_t)c->gpr[1];
	if (!(c->cr4 & CR4_PCE) && c->cpl > 0)
		raise_gp0(c);
	if (idx > 5)
		raise_gp0(c);
	set_edx_eax(c, c->msr.perf_ctr[idx]);
}

/* RDPID (F3 0F C7 /7): TSC_AUX into a 64-bit register in 64-bit mode, a
 * 32-bit one otherwise; no privilege check. */
void op_rdpid(struct cpu *c, const struct insn *in)
{
	reg_write(c, in->rm, in->mode64 ? 8 : 4, false, c->msr.tsc_aux);
}
