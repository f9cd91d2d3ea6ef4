/* SPDX-License-Identifier: MIT */
/* Data movement: MOV forms, LEA, MOVZX/MOVSX/MOVSXD, XCHG, CMPXCHG, XADD,
 * CBW/CWD families, CMOVcc, SETcc. */
#include "handlers.h"
#include "../core/flags.h"
#include "../mmu/mmu.h"

void op_mov_EG(struct cpu *c, const struct insn *in) { rm_write(c, in, in->opsize, greg_read(c, in, in->opsize)); }
void op_mov_GE(struct cpu *c, const struct insn *in) { greg_write(c, in, in->opsize, rm_read(c, in, in->opsize)); }

void op_mov_EI(struct cpu *c, const struct insn *in)
{
	int sz = in->opsize;
	rm_write(c, in, sz, sz == 1 ? in->imm : sext(in->imm, sz == 2 ? 2 : 4));
}

void op_mov_r_imm(struct cpu *c, const struct insn *in)
{
	reg_write(c, in->reg, in->opsize, byte_hi(in, in->reg), in->imm);
}

void op_mov_A_moffs(struct cpu *c, const struct insn *in)
{
	uint64_t off = (uint64_t)in->disp & size_mask(in->addrsize);
	reg_write(c, 0, in->opsize, false, mem_read(c, in->seg, off, in->opsize));
}

void op_mov_moffs_A(struct cpu *c, const struct insn *in)
{
	uint64_t off = (uint64_t)in->disp & size_mask(in->addrsize);
	mem_write(c, in->seg, off, in->opsize, reg_read(c, 0, in->opsize, false));
}

void op_lea(struct cpu *c, const struct insn *in) { greg_write(c, in, in->opsize, ea_offset(c, in)); }

void op_movzx8(struct cpu *c, const struct insn *in) { greg_write(c, in, in->opsize, rm_read(c, in, 1)); }
void op_movzx16(struct cpu *c, const struct insn *in) { greg_write(c, in, in->opsize, rm_read(c, in, 2)); }
void op_movsx8(struct cpu *c, const struct insn *in) { greg_write(c, in, in->opsize, sext(rm_read(c, in, 1), 1)); }
void op_movsx16(struct cpu *c, const struct insn *in) { greg_write(c, in, in->opsize, sext(rm_read(c, in, 2), 2)); }

void op_movsxd(struct cpu *c, const struct insn *in)
{
	/* without REX.W MOVSXD moves 32 (or 16) bits, like MOV */
	uint64_t v = rm_read(c, in, in->opsize == 8 ? 4 : in->opsize);
	greg_write(c, in, in->opsize, in->opsize == 8 ? sext(v, 4) : v);
}

/* XCHG with memory is always locked (APM); the store comes first so a
 * faulting store leaves the register untouched. */
void op_xchg_EG(struct cpu *c, const struct insn *in)
{
	int sz = in->opsize;
	uint64_t a = rm_read(c, in, sz), b = greg_read(c, in, sz);
	rm_write(c, in, sz, b);
	greg_write(c, in, sz, a);
}

void op_xchg_rax(struct cpu *c, const struct insn *in)
{
	int sz = in->opsize;
	uint64_t a = reg_read(c, 0, sz, false), b = reg_read(c, in->reg, sz, false);
	reg_write(c, 0, sz, false, b);
	reg_write(c, in->reg, sz, false, a);
}

void op_nop90(struct cpu *c, const struct insn *in)
{
	if (in->rex & 1) /* REX.B 90 = xchg r8, rAX */
		op_xchg_rax(c, in);
}

void op_cmpxchg(struct cpu *c, const struct insn *in)
{
	int sz = in->opsize;
	uint64_t dst = rm_read(c, in, sz), acc = reg_read(c, 0, sz, false);
	uint32_t f = fl_sub(acc, dst, 0, acc - dst, sz);
	if (acc == dst) {
		rm_write(c, in, sz, greg_read(c, in, sz));
	} else {
		/* the destination is written back even when unequal (locked RMW) */
		if (in->has_mem)
			rm_write(c, in, sz, dst);
		reg_write(c, 0, sz, false, dst);
	}
	set_arith(c, f);
}

void op_xadd(struct cpu *c, const struct insn *in)
{
	int sz = in->opsize;
	uint64_t d = rm_read(c, in, sz), s = greg_read(c, in, sz), r = (d + s) & size_mask(sz);
	uint32_t f = fl_add(d, s, 0, r, sz);
	if (in->has_mem) {
		rm_write(c, in, sz, r);
		greg_write(c, in, sz, d);
	} else {
		greg_write(c, in, sz, d);
		rm_write(c, in, sz, r); /* register form: destination written last */
	}
	set_arith(c, f);
}

void op_cbw(struct cpu *c, const struct insn *in)
{
	int sz = in->opsize;
	reg_write(c, 0, sz, false, sext(reg_read(c, 0, sz / 2, false), sz / 2));
}

void op_cwd(struct cpu *c, const struct insn *in)
{
	int sz = in->opsize;
	uint64_t a = reg_read(c, 0, sz, false);
	reg_write(c, 2, sz, false, (a >> (sz * 8 - 1)) & 1 ? ~0ull : 0);
}

void op_cmovcc(struct cpu *c, const struct insn *in)
{
	uint64_t v = rm_read(c, in, in->opsize); /* source is read (and may fault) either way */
	if (cond_true(c->rflags, in->opc & 15))
		greg_write(c, in, in->opsize, v);
	else if (in->opsize == 4)
		greg_write(c, in, 4, greg_read(c, in, 4)); /* 32-bit form zero-extends anyway */
}

void op_setcc(struct cpu *c, const struct insn *in)
{
	rm_write(c, in, 1, cond_true(c->rflags, in->opc & 15));
}
