/* SPDX-License-Identifier: MIT */
/* MUL, IMUL (one, two and three operands), DIV, IDIV (APM vol. 3).
 * Products and quotients are computed in unsigned __int128 so no width can
 * overflow a host type; signed cases work on magnitudes (no host UB).
 *
 * Undefined flags (marked in the rows): after MUL/IMUL SF, ZF, PF are
 * produced from the low half of the result and AF as 0; DIV/IDIV leave all
 * six arithmetic flags unchanged. APPROX: not measured on AMD silicon. */
#include "handlers.h"
#include "../core/flags.h"
#include "../core/fault.h"

typedef unsigned __int128 u128;

static void mul_flags(struct cpu *c, uint64_t lo, bool overflow, int sz)
{
	uint32_t f = fl_szp(lo, sz) & ~(uint32_t)FL_AF;
	if (overflow)
		f |= FL_CF | FL_OF;
	set_arith(c, f);
}

/* signed product of two sz-byte values; *ovf when it does not fit sz bytes */
static uint64_t imul_trunc(uint64_t a, uint64_t b, int sz, uint64_t *hi, bool *ovf)
{
	bool neg = false;
	uint64_t sa = sext(a, sz), sb = sext(b, sz);
	uint64_t ma = sa, mb = sb;
	if ((int64_t)sa < 0) { ma = 0 - sa; neg = !neg; }
	if ((int64_t)sb < 0) { mb = 0 - sb; neg = !neg; }
	u128 p = (u128)ma * mb;
	if (neg)
		p = 0 - p;
	uint64_t lo = (uint64_t)p, m = size_mask(sz);
	/* the full product has 2*sz bytes; it fits if it equals sext(low half) */
	if (sz == 8) {
		*hi = (uint64_t)(p >> 64);
		*ovf = *hi != ((int64_t)lo < 0 ? ~0ull : 0);
	} else {
		*hi = (lo >> (sz * 8)) & m;
		*ovf = sext(lo & m, sz) != lo;
	}
	return lo & m;
}

static uint64_t umul(uint64_t a, uint64_t b, int sz, uint64_t *hi)
{
	u128 p = (u128)a * b;
	if (sz == 8) {
		*hi = (uint64_t)(p >> 64);
		return (uint64_t)p;
	}
	*hi = ((uint64_t)p >> (sz * 8)) & size_mask(sz);
	return (uint64_t)p & size_mask(sz);
}

/* store a double-width result: AX for bytes, else rDX:rAX */
static void store_wide(struct cpu *c, int sz, uint64_t lo, uint64_t hi)
{
	if (sz == 1) {
		reg_write(c, 0, 2, false, (hi << 8) | lo);
		return;
	}
	reg_write(c, 0, sz, false, lo);
	reg_write(c, 2, sz, false, hi);
}

void op_mul(struct cpu *c, const struct insn *in)
{
	int sz = in->opsize;
	uint64_t hi, lo = umul(reg_read(c, 0, sz, false), rm_read(c, in, sz), sz, &hi);
	store_wide(c, sz, lo, hi);
	mul_flags(c, lo, hi != 0, sz);
}

void op_imul1(struct cpu *c, const struct insn *in)
{
	int sz = in->opsize;
	uint64_t hi;
	bool ovf;
	uint64_t lo = imul_trunc(reg_read(c, 0, sz, false), rm_read(c, in, sz), sz, &hi, &ovf);
	store_wide(c, sz, lo, hi);
	mul_flags(c, lo, ovf, sz);
}

/* 0F AF (Gv *= Ev), 69 (Gv = Ev * Iz), 6B (Gv = Ev * Ib) */
void op_imul_GE(struct cpu *c, const struct insn *in)
{
	int sz = in->opsize;
	uint64_t a = rm_read(c, in, sz), b, hi;
	if (in->map == MAP_0F)
		b = greg_read(c, in, sz);
	else if (in->opc == 0x6b)
		b = sext(in->imm, 1);
	else
		b = sext(in->imm, sz == 2 ? 2 : 4);
	bool ovf;
	uint64_t lo = imul_trunc(a, b & size_mask(sz), sz, &hi, &ovf);
	greg_write(c, in, sz, lo);
	mul_flags(c, lo, ovf, sz);
}

/* dividend: AX for bytes, else rDX:rAX */
static u128 dividend(struct cpu *c, int sz)
{
	if (sz == 1)
		return c->gpr[0] & 0xffff;
	u128 hi = reg_read(c, 2, sz, false);
	return (hi << (sz * 8)) | reg_read(c, 0, sz, false);
}

static void store_divide(struct cpu *c, int sz, uint64_t q, uint64_t r)
{
	if (sz == 1) {
		reg_write(c, 0, 2, false, ((r & 0xff) << 8) | (q & 0xff));
		return;
	}
	reg_write(c, 0, sz, false, q);
	reg_write(c, 2, sz, false, r);
}

void op_div(struct cpu *c, const struct insn *in)
{
	int sz = in->opsize;
	uint64_t d = rm_read(c, in, sz);
	if (!d)
		raise_exc(c, EXC_DE);
	u128 n = dividend(c, sz), q = n / d;
	if (q > size_mask(sz))
		raise_exc(c, EXC_DE); /* quotient does not fit */
	store_divide(c, sz, (uint64_t)q, (uint64_t)(n % d));
}

void op_idiv(struct cpu *c, const struct insn *in)
{
	int sz = in->opsize, bits = sz * 8;
	uint64_t d = sext(rm_read(c, in, sz), sz);
	if (!d)
		raise_exc(c, EXC_DE);
	u128 n = dividend(c, sz);
	bool nneg = (n >> (2 * bits - 1)) & 1, dneg = (int64_t)d < 0;
	if (nneg) /* magnitude of a 2*bits-wide two's complement value */
		n = (bits == 64 ? 0 - n : ((u128)1 << (2 * bits)) - n);
	uint64_t md = dneg ? 0 - d : d;
	u128 q = n / md, r = n % md;
	bool qneg = nneg != dneg;
	/* |quotient| limit: 2^(bits-1) when negative, 2^(bits-1)-1 otherwise */
	u128 lim = ((u128)1 << (bits - 1)) - (qneg ? 0 : 1);
	if (q > lim)
		raise_exc(c, EXC_DE);
	uint64_t qs = qneg ? 0 - (uint64_t)q : (uint64_t)q;
	uint64_t rs = nneg ? 0 - (uint64_t)r : (uint64_t)r; /* remainder has the dividend's sign */
	store_divide(c, sz, qs & size_mask(sz), rs & size_mask(sz));
}
