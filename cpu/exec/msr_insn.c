/* SPDX-License-Identifier: MIT */
/* RDMSR / WRMSR (APM vol. 3): ECX selects the MSR, EDX:EAX is the value;
 * CPL 0 is checked by the row, everything else by the MSR table. */
#include "handlers.h"
#include "../core/fault.h"
#include "../msr/msr.h"
#include "../svm/svm.h"

static void log_refused(struct cpu *c, const char *insn, uint32_t idx, uint64_t v)
{
	const char *name = msr_name(idx);
	cpu_log(c, "GUEST_ERR", "%s %#x (%s) value %#llx: #GP", insn, idx,
		name ? name : "not implemented", (unsigned long long)v);
}

void op_rdmsr(struct cpu *c, const struct insn *in)
{
	uint32_t idx = (uint32_t)c->gpr[1];
	uint64_t v = 0;
	svm_msr_intercept(c, idx, false);
	if (!msr_read(c, idx, &v, false)) {
		log_refused(c, "RDMSR", idx, 0);
		raise_gp0(c);
	}
	reg_write(c, 0, 4, false, (uint32_t)v);
	reg_write(c, 2, 4, false, v >> 32);
}

void op_wrmsr(struct cpu *c, const struct insn *in)
{
	uint32_t idx = (uint32_t)c->gpr[1];
	uint64_t v = (uint32_t)c->gpr[0] | (c->gpr[2] << 32);
	svm_msr_intercept(c, idx, true);
	if (!msr_write(c, idx, v, false)) {
		log_refused(c, "WRMSR", idx, v);
		raise_gp0(c);
	}
}
