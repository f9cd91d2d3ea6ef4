/* SPDX-License-Identifier: MIT */
/* ENTER/LEAVE, BOUND, PUSHA/POPA, CMPXCHG8B/CMPXCHG16B, RDRAND/RDSEED
 * (APM vol. 3). */
#include "handlers.h"
#include "../core/flags.h"
#include "../core/fault.h"
#include "../core/stack.h"
#include "../cpuid/cpuid.h"
#include "../mmu/mmu.h"

static void set_rbp(struct cpu *c, uint64_t v)
{
	uint64_t m = stack_mask(c);
	c->gpr[5] = (c->gpr[5] & ~m) | (v & m);
}

/* ENTER imm16, imm8: nesting level is imm8 mod 32 (APM "ENTER"). Frame
 * pointers are copied from [SS:rBP] with the stack-address size. */
void op_enter(struct cpu *c, const struct insn *in)
{
	unsigned osz = in->opsize, level = (unsigned)in->imm2 & 31;
	uint64_t m = stack_mask(c);
	push(c, osz, c->gpr[5] & size_mask((int)osz));
	uint64_t frame = c->gpr[4] & m, bp = c->gpr[5] & m;
	if (level) {
		for (unsigned i = 1; i < level; i++) {
			bp = (bp - osz) & m;
			push(c, osz, mem_read(c, SEG_SS, bp, osz));
		}
		push(c, osz, frame);
	}
	uint64_t sp = (c->gpr[4] - in->imm) & m;
	set_rbp(c, frame);
	set_rsp(c, sp);
}

void op_leave(struct cpu *c, const struct insn *in)
{
	set_rsp(c, c->gpr[5]);
	uint64_t v = pop(c, in->opsize);
	reg_write(c, 5, in->opsize, false, v);
}

/* BOUND Gv, Ma: #BR unless lower <= index <= upper (signed) */
void op_bound(struct cpu *c, const struct insn *in)
{
	int sz = in->opsize;
	uint64_t ea = ea_offset(c, in);
	int64_t lo = (int64_t)sext(mem_read(c, in->seg, ea, (unsigned)sz), sz);
	int64_t hi = (int64_t)sext(mem_read(c, in->seg, (ea + (unsigned)sz) & size_mask(in->addrsize),
					    (unsigned)sz), sz);
	int64_t idx = (int64_t)sext(greg_read(c, in, sz), sz);
	if (idx < lo || idx > hi)
		raise_exc(c, EXC_BR);
}

/* PUSHA: AX CX DX BX (original SP) BP SI DI */
void op_pusha(struct cpu *c, const struct insn *in)
{
	unsigned sz = in->opsize;
	uint64_t sp0 = c->gpr[4];
	for (int r = 0; r < 8; r++)
		push(c, sz, r == 4 ? sp0 : c->gpr[r]);
}

/* POPA: DI SI BP (SP image discarded) BX DX CX AX */
void op_popa(struct cpu *c, const struct insn *in)
{
	int sz = in->opsize;
	for (int r = 7; r >= 0; r--) {
		uint64_t v = pop(c, (unsigned)sz);
		if (r != 4)
			reg_write(c, r, sz, false, v);
	}
}

/* 0F C7 /1: CMPXCHG8B m64, or CMPXCHG16B m128 with REX.W (CPUID CX16,
 * 16-byte aligned operand or #GP(0)). The memory is written either way
 * (locked read-modify-write). Only ZF changes. */
void op_cmpxchg8b16b(struct cpu *c, const struct insn *in)
{
	int half = in->opsize == 8 ? 8 : 4;
	uint64_t ea = ea_offset(c, in), m = size_mask(half);
	if (half == 8) {
		if (!cpu_has(c, FEAT_CX16))
			raise_ud(c);
		gla_t gla = seg_linear(c, in->seg, ea, 16, ACC_W);
		if (gla & 15)
			raise_gp0(c);
	}
	uint64_t ea2 = (ea + (unsigned)half) & size_mask(in->addrsize);
	uint64_t lo = mem_read(c, in->seg, ea, (unsigned)half);
	uint64_t hi = mem_read(c, in->seg, ea2, (unsigned)half);
	mem_probe_write(c, in->seg, ea, (unsigned)half * 2);
	bool eq = lo == (c->gpr[0] & m) && hi == (c->gpr[2] & m);
	if (eq) {
		lo = c->gpr[3] & m;
		hi = c->gpr[1] & m;
	}
	mem_write(c, in->seg, ea, (unsigned)half, lo);
	mem_write(c, in->seg, ea2, (unsigned)half, hi);
	if (!eq) {
		reg_write(c, 0, half, false, lo);
		reg_write(c, 2, half, false, hi);
	}
	c->rflags = (c->rflags & ~(uint64_t)FL_ZF) | (eq ? FL_ZF : 0);
}

/* RDRAND/RDSEED r: deterministic by design (DESIGN rule 9). Values come
 * from a xorshift64* generator in c->rng_state, seeded per CPU from
 * pac_config.seed; CF = 1 (always "ready"), OF SF ZF AF PF = 0. */
static uint64_t rng_next(struct cpu *c)
{
	uint64_t x = c->rng_state ? c->rng_state : 0x9e3779b97f4a7c15ull;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	c->rng_state = x;
	return x * 0x2545F4914F6CDD1Dull;
}

void op_rdrand(struct cpu *c, const struct insn *in)
{
	reg_write(c, in->rm, in->opsize, false, rng_next(c));
	set_arith(c, FL_CF);
}
