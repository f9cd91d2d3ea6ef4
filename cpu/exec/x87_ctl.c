/* SPDX-License-Identifier: MIT */
/* x87 control instructions (APM vol. 5): FNINIT, FNCLEX, FLDCW, FNSTCW,
 * FNSTSW, FWAIT and the 8087/287 leftovers FNENI/FNDISI/FNSETPM. They do
 * not change FIP/FDP/FOP. The FN forms are non-waiting: they never report
 * a pending exception. */
#include "handlers.h"
#include "x87.h"
#include "../core/fault.h"
#include "../mmu/mmu.h"

void op_x87_fninit(struct cpu *c, const struct insn *in)
{
	(void)in;
	x87_init(&c->fpu);
}

void op_x87_fnclex(struct cpu *c, const struct insn *in)
{
	(void)in;
	c->fpu.fsw &= FSW_KEEP;
}

/* FNENI, FNDISI, FNSETPM: no operation on 387 and later processors. */
void op_x87_legacy_nop(struct cpu *c, const struct insn *in)
{
	(void)c;
	(void)in;
}

void op_x87_fldcw(struct cpu *c, const struct insn *in)
{
	x87_check_pending(c);
	uint16_t v = (uint16_t)mem_read(c, in->seg, ea_offset(c, in), 2);
	c->fpu.fcw = (uint16_t)((v & FCW_MASK) | FCW_ONE);
	/* unmasking a flag that is already set makes it pending */
	x87_update_es(&c->fpu);
}

void op_x87_fnstcw(struct cpu *c, const struct insn *in)
{
	mem_write(c, in->seg, ea_offset(c, in), 2, c->fpu.fcw);
}

void op_x87_fnstsw_m(struct cpu *c, const struct insn *in)
{
	mem_write(c, in->seg, ea_offset(c, in), 2, c->fpu.fsw);
}

void op_x87_fnstsw_ax(struct cpu *c, const struct insn *in)
{
	(void)in;
	reg_write(c, 0, 2, false, c->fpu.fsw);
}

/* WAIT/FWAIT (APM vol. 3): #NM when CR0.MP and CR0.TS are both set, then
 * any pending unmasked exception is reported. */
void op_fwait(struct cpu *c, const struct insn *in)
{
	(void)in;
	if ((c->cr0 & (CR0_MP | CR0_TS)) == (CR0_MP | CR0_TS))
		raise_exc(c, EXC_NM);
	x87_check_pending(c);
}
