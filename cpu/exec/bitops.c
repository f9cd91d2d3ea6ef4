/* SPDX-License-Identifier: MIT */
/* Bit instructions: BT/BTS/BTR/BTC, BSF/BSR, POPCNT, LZCNT/TZCNT, BSWAP
 * (APM vol. 3). Flags the APM leaves undefined are left unchanged (and are
 * marked in the rows). */
#include "handlers.h"
#include "../core/flags.h"
#include "../core/fault.h"
#include "../cpuid/cpuid.h"
#include "../mmu/mmu.h"

enum { BT_TEST, BT_SET, BT_RESET, BT_COMPLEMENT };

static uint64_t bit_apply(int op, uint64_t v, unsigned bit)
{
	switch (op) {
	case BT_SET: return v | (1ull << bit);
	case BT_RESET: return v & ~(1ull << bit);
	case BT_COMPLEMENT: return v ^ (1ull << bit);
	default: return v;
	}
}

/* CF = selected bit; OF, SF, AF, PF undefined (unchanged), ZF unchanged. */
static void bit_common(struct cpu *c, const struct insn *in, int op, uint64_t off, bool from_reg)
{
	int sz = in->opsize, bits = sz * 8;
	uint64_t v, ea = 0;
	unsigned bit = (unsigned)(off & (uint64_t)(bits - 1));
	if (in->has_mem) {
		ea = ea_offset(c, in);
		if (from_reg) {
			/* register offsets are signed and may address outside the
			 * operand (APM "BT"): move by whole operand-sized units */
			int64_t so = (int64_t)sext(off, sz);
			ea = (ea + (uint64_t)((so >> (bits == 64 ? 6 : bits == 32 ? 5 : 4)) * sz)) &
			     size_mask(in->addrsize);
		}
		v = mem_read(c, in->seg, ea, (unsigned)sz);
	} else {
		v = reg_read(c, in->rm, sz, false);
	}
	uint64_t cf = (v >> bit) & 1;
	if (op != BT_TEST) {
		uint64_t r = bit_apply(op, v, bit);
		if (in->has_mem)
			mem_write(c, in->seg, ea, (unsigned)sz, r);
		else
			reg_write(c, in->rm, sz, false, r);
	}
	c->rflags = (c->rflags & ~(uint64_t)FL_CF) | (cf ? FL_CF : 0);
}

/* 0F A3/AB/B3/BB: op from bits 4:3 of the opcode */
void op_bt_G(struct cpu *c, const struct insn *in)
{
	bit_common(c, in, (in->opc >> 3) & 3, greg_read(c, in, in->opsize), true);
}

/* 0F BA /4../7 Ib */
void op_bt_I(struct cpu *c, const struct insn *in)
{
	bit_common(c, in, ((in->modrm >> 3) & 7) - 4, in->imm, false);
}

/* BSF/BSR: source 0 sets ZF and leaves the destination unchanged (AMD APM
 * "BSF"); CF, OF, SF, AF, PF undefined (unchanged). */
static void bsf_bsr(struct cpu *c, const struct insn *in, bool reverse)
{
	int sz = in->opsize;
	uint64_t s = rm_read(c, in, sz);
	if (!s) {
		c->rflags |= FL_ZF;
		return;
	}
	greg_write(c, in, sz, reverse ? 63 - (uint64_t)__builtin_clzll(s) : (uint64_t)__builtin_ctzll(s));
	c->rflags &= ~(uint64_t)FL_ZF;
}

void op_bsf(struct cpu *c, const struct insn *in) { bsf_bsr(c, in, false); }
void op_bsr(struct cpu *c, const struct insn *in) { bsf_bsr(c, in, true); }

/* POPCNT: ZF = (source == 0), CF OF SF AF PF cleared (APM "POPCNT") */
void op_popcnt(struct cpu *c, const struct insn *in)
{
	int sz = in->opsize;
	uint64_t s = rm_read(c, in, sz);
	greg_write(c, in, sz, (uint64_t)__builtin_popcountll(s));
	set_arith(c, s ? 0 : FL_ZF);
}

/* LZCNT/TZCNT: CF = (source == 0), ZF = (result == 0); OF SF AF PF
 * undefined (unchanged). Without the CPUID feature the F3 prefix is ignored
 * and the instruction executes as BSR/BSF (APM "LZCNT", "TZCNT"). */
static void count_zeros(struct cpu *c, const struct insn *in, bool leading)
{
	int sz = in->opsize, bits = sz * 8;
	uint64_t s = rm_read(c, in, sz), r;
	if (!s)
		r = (uint64_t)bits;
	else if (leading)
		r = (uint64_t)(__builtin_clzll(s) - (64 - bits));
	else
		r = (uint64_t)__builtin_ctzll(s);
	greg_write(c, in, sz, r);
	c->rflags &= ~(uint64_t)(FL_CF | FL_ZF);
	c->rflags |= (s ? 0 : FL_CF) | (r ? 0 : FL_ZF);
}

void op_lzcnt(struct cpu *c, const struct insn *in)
{
	if (!cpu_has(c, FEAT_ABM))
		bsf_bsr(c, in, true);
	else
		count_zeros(c, in, true);
}

void op_tzcnt(struct cpu *c, const struct insn *in)
{
	if (!cpu_has(c, FEAT_BMI1))
		bsf_bsr(c, in, false);
	else
		count_zeros(c, in, false);
}

/* BSWAP r32/r64. The 16-bit form is undefined in the APM; APPROX: we
 * clear the low 16 bits (docs/deviations.md). */
void op_bswap(struct cpu *c, const struct insn *in)
{
	int sz = in->opsize;
	uint64_t v = reg_read(c, in->reg, sz, false);
	if (sz == 2)
		v = 0;
	else if (sz == 4)
		v = __builtin_bswap32((uint32_t)v);
	else
		v = __builtin_bswap64(v);
	reg_write(c, in->reg, sz, false, v);
}
