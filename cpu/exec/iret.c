/* SPDX-License-Identifier: MIT */
/* IRET / IRETD / IRETQ (CF): real mode, virtual-8086 mode (IOPL 3 and the
 * VME form), protected mode to the same or an outer level, back to v86,
 * and long mode, where IRET in 64-bit mode always pops SS:RSP (APM vol. 3
 * "IRET"; vol. 2, 8.7.3, 8.9.5, 15.x VME). */
#include "handlers.h"
#include "far.h"
#include "flagsreg.h"
#include "seg.h"
#include "task.h"
#include "../core/fault.h"
#include "../core/stack.h"

static MAYFAULT uint64_t slot(struct cpu *c, int i, unsigned osz)
{
	return stack_read(c, (uint64_t)i * osz, osz);
}

static void merge_flags(struct cpu *c, uint64_t v, uint64_t mask, unsigned osz)
{
	if (osz == 2)
		mask &= 0xffff;
	rflags_write(c, (c->rflags & ~mask) | (v & mask));
}

static MAYFAULT void iret_real(struct cpu *c, unsigned osz)
{
	uint64_t rip = slot(c, 0, osz), fl = slot(c, 2, osz);
	uint16_t sel = (uint16_t)slot(c, 1, osz);
	far_real(c, sel, rip, (int)osz);
	set_rsp(c, c->gpr[4] + 3 * osz);
	uint64_t mask = FL_ARITH | FL_TF | FL_IF | FL_DF | FL_IOPL | FL_NT | FL_AC | FL_ID | FL_RF;
	merge_flags(c, fl, mask, osz);
}

/* APM 15.x (VME): IRET in v86 mode with IOPL < 3 works on VIF. */
static MAYFAULT void iret_v86(struct cpu *c, unsigned osz)
{
	int iopl = (int)((c->rflags & FL_IOPL) >> 12);
	uint64_t rip = slot(c, 0, osz), fl = slot(c, 2, osz);
	uint16_t sel = (uint16_t)slot(c, 1, osz);
	if (iopl == 3) {
		far_real(c, sel, rip, (int)osz);
		set_rsp(c, c->gpr[4] + 3 * osz);
		merge_flags(c, fl, FL_ARITH | FL_TF | FL_IF | FL_DF | FL_NT | FL_AC | FL_ID | FL_RF, osz);
		return;
	}
	if (!(c->cr4 & CR4_VME) || osz != 2)
		raise_gp0(c);
	if ((fl & FL_TF) || ((fl & FL_IF) && (c->rflags & FL_VIP)))
		raise_gp0(c);
	far_real(c, sel, rip, (int)osz);
	set_rsp(c, c->gpr[4] + 3 * osz);
	merge_flags(c, fl, FL_ARITH | FL_DF | FL_NT, osz);
	c->rflags = (c->rflags & ~(uint64_t)FL_VIF) | ((fl & FL_IF) ? FL_VIF : 0);
}

/* Protected mode CPL 0 IRETD with EFLAGS.VM = 1 in the image (APM 8.7.3). */
static MAYFAULT void iret_to_v86(struct cpu *c)
{
	uint64_t v[9];
	for (int i = 0; i < 9; i++)
		v[i] = slot(c, i, 4);
	if ((v[0] & 0xffffffffu) > 0xffff)
		raise_gp0(c);
	rflags_write(c, v[2]); /* VM = 1: the mode is now v86 */
	static const int sr[6] = { SEG_CS, SEG_SS, SEG_ES, SEG_DS, SEG_FS, SEG_GS };
	static const int at[6] = { 1, 4, 5, 6, 7, 8 };
	for (int i = 0; i < 6; i++)
		seg_load_real(c, sr[i], (uint16_t)v[at[i]]);
	c->cpl = 3;
	mode_update(c);
	c->gpr[4] = (uint32_t)v[3];
	c->rip = v[0] & 0xffff;
}

static uint64_t prot_flag_mask(const struct cpu *c, unsigned osz)
{
	int iopl = (int)((c->rflags & FL_IOPL) >> 12);
	uint64_t mask = FL_ARITH | FL_TF | FL_DF | FL_NT | FL_RF | FL_AC | FL_ID;
	if (c->cpl <= iopl)
		mask |= FL_IF;
	if (c->cpl == 0)
		mask |= FL_IOPL | (osz > 2 ? FL_VIF | FL_VIP : 0);
	return mask;
}

static MAYFAULT void iret_prot(struct cpu *c, unsigned osz)
{
	bool lma = (c->efer & EFER_LMA) != 0;
	if (c->rflags & FL_NT) {
		if (lma)
			raise_gp0(c);
		task_iret(c); /* return to the previous task (task.c) */
		return;
	}
	uint64_t rip = slot(c, 0, osz), fl = slot(c, 2, osz);
	uint16_t sel = (uint16_t)slot(c, 1, osz);
	if (!lma && (fl & FL_VM) && c->cpl == 0 && osz == 4) {
		iret_to_v86(c);
		return;
	}
	struct desc d;
	far_check_return_cs(c, sel, &d);
	int rpl = SEL_RPL(sel), old_cpl = c->cpl;
	rip = far_target(c, &d, rip, (int)osz);
	bool pop_ss = c->mode == MODE_LONG || rpl > c->cpl;
	struct seg ss, cs;
	uint64_t sp = 0;
	if (pop_ss) {
		sp = slot(c, 3, osz);
		uint16_t ss_sel = (uint16_t)slot(c, 4, osz);
		bool null_ok = c->mode == MODE_LONG && desc_is64(&d) && rpl < 3;
		seg_check_ss(c, ss_sel, rpl, EXC_GP, null_ok, 0, &ss);
	}
	desc_set_accessed(c, &d);
	desc_to_seg(&cs, sel, &d);
	merge_flags(c, fl, prot_flag_mask(c, osz), osz);
	uint64_t old_sp = c->gpr[4];
	seg_commit_cs(c, &cs, rpl, pop_ss ? &ss : NULL);
	if (!pop_ss)
		set_rsp(c, old_sp + 3 * osz);
	else if (lma)
		c->gpr[4] = sp;
	else
		set_rsp(c, sp);
	if (rpl > old_cpl)
		seg_null_outer(c);
	c->rip = rip;
}

void op_iret(struct cpu *c, const struct insn *in)
{
	unsigned osz = in->opsize;
	if (c->mode == MODE_REAL)
		iret_real(c, osz);
	else if (c->mode == MODE_V86)
		iret_v86(c, osz);
	else
		iret_prot(c, osz);
	c->nmi_blocked = false; /* IRET ends NMI blocking (APM 8.2.x NMI) */
}
