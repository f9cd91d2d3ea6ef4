/* SPDX-License-Identifier: MIT */
/* MOV Sreg / MOV from Sreg, PUSH/POP Sreg, LDS/LES/LFS/LGS/LSS
 * (APM vol. 3 "MOV (segment)", "PUSH", "POP", "LDS, LES, LFS, LGS, LSS"). */
#include "handlers.h"
#include "seg.h"
#include "../core/fault.h"
#include "../core/stack.h"
#include "../mmu/mmu.h"

/* MOV SS / POP SS hold off interrupts for one instruction (APM 8.1). */
static void ss_shadow(struct cpu *c)
{
	c->inhibit_irq_until = c->icount + 2;
}

void op_mov_sreg_E(struct cpu *c, const struct insn *in)
{
	int sr = in->reg & 7;
	if (sr > SEG_GS || sr == SEG_CS)
		raise_ud(c);
	uint16_t sel = (uint16_t)rm_read(c, in, 2);
	seg_load(c, sr, sel);
	if (sr == SEG_SS)
		ss_shadow(c);
}

void op_mov_E_sreg(struct cpu *c, const struct insn *in)
{
	int sr = in->reg & 7;
	if (sr > SEG_GS)
		raise_ud(c);
	uint16_t sel = c->seg[sr].sel;
	/* register destinations take the zero-extended selector; memory is 16 bits */
	rm_write(c, in, in->has_mem ? 2 : in->opsize, sel);
}

static int sreg_of(const struct insn *in)
{
	if (in->map == MAP_0F)
		return (in->opc & 8) ? SEG_GS : SEG_FS;
	return (in->opc >> 3) & 3; /* 06 ES, 0E CS, 16 SS, 1E DS */
}

void op_push_sreg(struct cpu *c, const struct insn *in)
{
	/* APPROX: pushes the selector zero-extended to the operand size (AMD
	 * documents the zero extension; some Intel parts write only 16 bits). */
	push(c, in->opsize, c->seg[sreg_of(in)].sel);
}

void op_pop_sreg(struct cpu *c, const struct insn *in)
{
	int sr = sreg_of(in);
	uint16_t sel = (uint16_t)pop(c, in->opsize); /* RSP rolls back on a fault */
	seg_load(c, sr, sel);
	if (sr == SEG_SS)
		ss_shadow(c);
}

void op_lxs(struct cpu *c, const struct insn *in)
{
	int sr;
	switch (in->opc) {
	case 0xc4: sr = SEG_ES; break;
	case 0xc5: sr = SEG_DS; break;
	case 0xb2: sr = SEG_SS; break;
	case 0xb4: sr = SEG_FS; break;
	default: sr = SEG_GS; break;
	}
	/* APPROX: REX.W (m16:64) is treated as m16:32, as AMD parts do */
	int osz = in->opsize == 8 ? 4 : in->opsize;
	uint64_t off = ea_offset(c, in);
	uint64_t amask = size_mask(in->addrsize);
	uint64_t v = mem_read(c, in->seg, off, (unsigned)osz);
	uint16_t sel = (uint16_t)mem_read(c, in->seg, (off + (uint64_t)osz) & amask, 2);
	seg_load(c, sr, sel);
	greg_write(c, in, osz, v); /* LSS has no interrupt shadow (only MOV/POP SS) */
}
