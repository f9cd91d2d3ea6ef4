/* SPDX-License-Identifier: MIT */
/* ADD/OR/ADC/SBB/AND/SUB/XOR/CMP, TEST, INC/DEC, NOT/NEG (APM vol. 3). */
#include "handlers.h"
#include "../core/flags.h"

/* op: 0 add 1 or 2 adc 3 sbb 4 and 5 sub 6 xor 7 cmp. Returns the result
 * and sets the arithmetic flags. */
static uint64_t alu(struct cpu *c, int op, uint64_t a, uint64_t b, int sz)
{
	uint64_t r, cf = c->rflags & FL_CF;
	uint32_t f;
	switch (op) {
	case 0: r = a + b; f = fl_add(a, b, 0, r, sz); break;
	case 1: r = a | b; f = fl_logic(r, sz); break;
	case 2: r = a + b + cf; f = fl_add(a, b, cf, r, sz); break;
	case 3: r = a - b - cf; f = fl_sub(a, b, cf, r, sz); break;
	case 4: r = a & b; f = fl_logic(r, sz); break;
	case 6: r = a ^ b; f = fl_logic(r, sz); break;
	default: r = a - b; f = fl_sub(a, b, 0, r, sz); break; /* sub, cmp */
	}
	set_arith(c, f);
	return r & size_mask(sz);
}

void op_alu_EG(struct cpu *c, const struct insn *in)
{
	int op = in->opc >> 3, sz = in->opsize;
	uint64_t a = rm_read(c, in, sz), b = greg_read(c, in, sz);
	uint64_t fl = c->rflags;
	uint64_t r = alu(c, op, a, b, sz);
	if (op != 7) {
		uint64_t nf = c->rflags;
		c->rflags = fl; /* flags land only after the store succeeded */
		rm_write(c, in, sz, r);
		c->rflags = nf;
	}
}

void op_alu_GE(struct cpu *c, const struct insn *in)
{
	int op = in->opc >> 3, sz = in->opsize;
	uint64_t r = alu(c, op, greg_read(c, in, sz), rm_read(c, in, sz), sz);
	if (op != 7)
		greg_write(c, in, sz, r);
}

void op_alu_AI(struct cpu *c, const struct insn *in)
{
	int op = in->opc >> 3, sz = in->opsize;
	uint64_t imm = sz == 1 ? in->imm : sext(in->imm, sz == 2 ? 2 : 4);
	uint64_t r = alu(c, op, reg_read(c, 0, sz, false), imm, sz);
	if (op != 7)
		reg_write(c, 0, sz, false, r);
}

static void alu_E_imm(struct cpu *c, const struct insn *in, uint64_t imm)
{
	int op = in->modrm >> 3 & 7, sz = in->opsize;
	uint64_t a = rm_read(c, in, sz);
	uint64_t fl = c->rflags;
	uint64_t r = alu(c, op, a, imm, sz);
	if (op != 7) {
		uint64_t nf = c->rflags;
		c->rflags = fl;
		rm_write(c, in, sz, r);
		c->rflags = nf;
	}
}

void op_alu_EI(struct cpu *c, const struct insn *in)
{
	int sz = in->opsize;
	alu_E_imm(c, in, sz == 1 ? in->imm : sext(in->imm, sz == 2 ? 2 : 4));
}

void op_alu_EIb(struct cpu *c, const struct insn *in)
{
	alu_E_imm(c, in, sext(in->imm, 1));
}

void op_test_EG(struct cpu *c, const struct insn *in)
{
	int sz = in->opsize;
	set_arith(c, fl_logic(rm_read(c, in, sz) & greg_read(c, in, sz), sz));
}

void op_test_AI(struct cpu *c, const struct insn *in)
{
	int sz = in->opsize;
	uint64_t imm = sz == 1 ? in->imm : sext(in->imm, sz == 2 ? 2 : 4);
	set_arith(c, fl_logic(reg_read(c, 0, sz, false) & imm, sz));
}

void op_test_EI(struct cpu *c, const struct insn *in)
{
	int sz = in->opsize;
	uint64_t imm = sz == 1 ? in->imm : sext(in->imm, sz == 2 ? 2 : 4);
	set_arith(c, fl_logic(rm_read(c, in, sz) & imm, sz));
}

/* INC/DEC leave CF unchanged */
static uint64_t incdec(struct cpu *c, uint64_t a, int dec, int sz)
{
	uint64_t r = dec ? a - 1 : a + 1;
	uint32_t f = dec ? fl_sub(a, 1, 0, r, sz) : fl_add(a, 1, 0, r, sz);
	c->rflags = (c->rflags & ~(uint64_t)(FL_ARITH & ~FL_CF)) | (f & ~FL_CF);
	return r & size_mask(sz);
}

void op_inc_r(struct cpu *c, const struct insn *in)
{
	int r = in->opc & 7;
	reg_write(c, r, in->opsize, false, incdec(c, reg_read(c, r, in->opsize, false), 0, in->opsize));
}

void op_dec_r(struct cpu *c, const struct insn *in)
{
	int r = in->opc & 7;
	reg_write(c, r, in->opsize, false, incdec(c, reg_read(c, r, in->opsize, false), 1, in->opsize));
}

static void rmw_unary(struct cpu *c, const struct insn *in, int kind)
{
	int sz = in->opsize;
	uint64_t a = rm_read(c, in, sz), r, fl = c->rflags, nf;
	switch (kind) {
	case 0: r = incdec(c, a, 0, sz); break;
	case 1: r = incdec(c, a, 1, sz); break;
	case 2: r = ~a; break;
	default:
		r = (0 - a) & size_mask(sz);
		set_arith(c, fl_sub(0, a, 0, r, sz));
		break;
	}
	nf = c->rflags;
	c->rflags = fl;
	rm_write(c, in, sz, r & size_mask(sz));
	c->rflags = nf;
}

void op_inc_E(struct cpu *c, const struct insn *in) { rmw_unary(c, in, 0); }
void op_dec_E(struct cpu *c, const struct insn *in) { rmw_unary(c, in, 1); }
void op_not(struct cpu *c, const struct insn *in) { rmw_unary(c, in, 2); }
void op_neg(struct cpu *c, const struct insn *in) { rmw_unary(c, in, 3); }
