/* SPDX-License-Identifier: MIT */
/* JMP far and CALL far (EA, 9A, FF /5, FF /3): real/v86 mode, direct to
 * conforming and non-conforming code, through call gates (callgate.c);
 * task gates and TSS targets switch tasks (task.c) (APM vol. 3 "JMP (Far)",
 * "CALL (Far)"; vol. 2, 4.11). */
#include "handlers.h"
#include "far.h"
#include "frame.h"
#include "seg.h"
#include "task.h"
#include "../core/fault.h"
#include "../core/stack.h"
#include "../mmu/mmu.h"

MAYFAULT uint64_t far_target(struct cpu *c, const struct desc *cs, uint64_t rip, int osz)
{
	if ((c->efer & EFER_LMA) && desc_is64(cs)) {
		if (!is_canonical(rip, cpu_va_bits(c)))
			raise_gp0(c);
		return rip;
	}
	rip &= size_mask(osz > 4 ? 4 : osz);
	if (rip > cs->limit)
		raise_gp0(c);
	return rip;
}

MAYFAULT void far_read_desc(struct cpu *c, uint16_t sel, struct desc *d)
{
	if (SEL_NULL(sel))
		raise_gp0(c);
	if (!desc_read(c, sel, d))
		raise_exc_err(c, EXC_GP, SEL_ERR(sel));
}

MAYFAULT void far_check_ld(struct cpu *c, uint16_t sel, const struct desc *d)
{
	if ((c->efer & EFER_LMA) && (d->attr & SA_L) && (d->attr & SA_DB))
		raise_exc_err(c, EXC_GP, SEL_ERR(sel));
}

MAYFAULT void far_real(struct cpu *c, uint16_t sel, uint64_t off, int osz)
{
	off &= size_mask(osz);
	if (off > c->seg[SEG_CS].limit)
		raise_gp0(c);
	seg_load_real(c, SEG_CS, sel);
	c->rip = off;
}

/* The far pointer of the instruction: immediate (Ap) or memory (Mp).
 * APPROX: with REX.W the memory form is m16:32, as on AMD parts. */
static MAYFAULT void far_pointer(struct cpu *c, const struct insn *in, uint16_t *sel, uint64_t *off)
{
	if (in->row->imm == I_AP) {
		*off = in->imm;
		*sel = (uint16_t)in->imm2;
		return;
	}
	int osz = far_osz(in->opsize);
	uint64_t ea = ea_offset(c, in);
	*off = mem_read(c, in->seg, ea, (unsigned)osz);
	*sel = (uint16_t)mem_read(c, in->seg, (ea + (uint64_t)osz) & size_mask(in->addrsize), 2);
}

/* Direct transfer to a code segment (APM 4.11.2): same privilege only. */
static MAYFAULT void check_direct_code(struct cpu *c, uint16_t sel, const struct desc *d)
{
	if (!desc_is_code(d))
		raise_exc_err(c, EXC_GP, SEL_ERR(sel));
	if (desc_conforming(d) ? d->dpl > c->cpl : (SEL_RPL(sel) > c->cpl || d->dpl != c->cpl))
		raise_exc_err(c, EXC_GP, SEL_ERR(sel));
	if (!d->p)
		raise_exc_err(c, EXC_NP, SEL_ERR(sel));
	far_check_ld(c, sel, d);
}

/* Reads a system descriptor named by a far JMP/CALL (16 bytes in long mode). */
static MAYFAULT void system_target(struct cpu *c, uint16_t sel, struct desc *d, bool call, int osz)
{
	bool lm = (c->efer & EFER_LMA) != 0;
	if (lm && (!desc_read16(c, sel, d) || !desc_upper_ok(d)))
		raise_exc_err(c, EXC_GP, SEL_ERR(sel));
	switch (d->type) {
	case DT_CALL16:
		if (lm)
			break;
		/* fall through */
	case DT_CALL:
		far_call_gate(c, sel, d, call, osz);
		return;
	case DT_TASK: case DT_TSS16: case DT_TSS:
		if (lm)
			break;
		task_far(c, sel, d, call); /* hardware task switch (task.c) */
		return;
	default:
		break;
	}
	raise_exc_err(c, EXC_GP, SEL_ERR(sel));
}

static MAYFAULT void far_xfer(struct cpu *c, const struct insn *in, bool call)
{
	uint16_t sel;
	uint64_t off;
	int osz = far_osz(in->opsize);
	far_pointer(c, in, &sel, &off);
	if (c->mode == MODE_REAL || c->mode == MODE_V86) {
		uint16_t old_cs = c->seg[SEG_CS].sel;
		if (call) {
			push(c, (unsigned)osz, old_cs);
			push(c, (unsigned)osz, c->next_rip);
		}
		far_real(c, sel, off, osz);
		return;
	}
	struct desc d;
	far_read_desc(c, sel, &d);
	if (!d.s) {
		system_target(c, sel, &d, call, osz);
		return;
	}
	check_direct_code(c, sel, &d);
	uint64_t rip = far_target(c, &d, off, osz);
	struct seg cs;
	desc_set_accessed(c, &d);
	desc_to_seg(&cs, (uint16_t)((sel & 0xfffc) | c->cpl), &d);
	if (call) {
		struct frame f = { .size = (unsigned)osz };
		frame_add(&f, c->seg[SEG_CS].sel);
		frame_add(&f, c->next_rip);
		set_rsp(c, frame_push(c, &c->seg[SEG_SS], c->gpr[4], c->stack_bits, &f, c->cpl, 0));
	}
	seg_commit_cs(c, &cs, c->cpl, NULL);
	c->rip = rip;
}

void op_jmp_far(struct cpu *c, const struct insn *in) { far_xfer(c, in, false); }
void op_call_far(struct cpu *c, const struct insn *in) { far_xfer(c, in, true); }
