/* SPDX-License-Identifier: MIT */
/* Group 2 shifts and rotates (ROL ROR RCL RCR SHL SHR SAL SAR) and the
 * double shifts SHLD/SHRD (APM vol. 3). Counts are masked to 5 bits (6 with
 * a 64-bit operand); a masked count of 0 changes no flags.
 *
 * Flags the APM leaves undefined (the rows mark them):
 *  - OF for counts other than 1: produced with the count-1 formula applied to
 *    the last single-bit step, which reduces to the expressions below;
 *  - AF after SHL/SHR/SAR/SHLD/SHRD: produced as 0.
 * APPROX: these undefined values are not measured on AMD silicon
 * (docs/deviations.md). */
#include "handlers.h"
#include "../core/flags.h"

enum { ROL, ROR, RCL, RCR, SHL, SHR, SAL, SAR };

static inline uint64_t msb(uint64_t v, int bits) { return (v >> (bits - 1)) & 1; }

static unsigned shift_count(struct cpu *c, const struct insn *in)
{
	uint64_t n;
	if (in->opc == 0xd0 || in->opc == 0xd1)
		n = 1;
	else if (in->opc == 0xd2 || in->opc == 0xd3)
		n = c->gpr[1] & 0xff;
	else
		n = in->imm;
	return (unsigned)(n & (in->opsize == 8 ? 0x3f : 0x1f));
}

/* rotate-through-carry one bit at a time: at most 64 steps, obviously right */
static uint64_t rcl(uint64_t v, unsigned n, int bits, uint64_t *cf)
{
	for (unsigned i = 0; i < n; i++) {
		uint64_t out = msb(v, bits);
		v = ((v << 1) | *cf) & size_mask(bits / 8);
		*cf = out;
	}
	return v;
}

static uint64_t rcr(uint64_t v, unsigned n, int bits, uint64_t *cf)
{
	for (unsigned i = 0; i < n; i++) {
		uint64_t out = v & 1;
		v = (v >> 1) | (*cf << (bits - 1));
		*cf = out;
	}
	return v;
}

static uint64_t rotate(int op, uint64_t v, unsigned n, int bits, uint64_t *cf, uint64_t *of)
{
	uint64_t r;
	unsigned k;
	switch (op) {
	case ROL:
		k = n % (unsigned)bits;
		r = k ? ((v << k) | (v >> (bits - k))) & size_mask(bits / 8) : v;
		*cf = r & 1;
		*of = msb(r, bits) ^ *cf;
		return r;
	case ROR:
		k = n % (unsigned)bits;
		r = k ? ((v >> k) | (v << (bits - k))) & size_mask(bits / 8) : v;
		*cf = msb(r, bits);
		*of = msb(r, bits) ^ msb(r, bits - 1);
		return r;
	case RCL:
		r = rcl(v, bits < 32 ? n % (unsigned)(bits + 1) : n, bits, cf);
		*of = msb(r, bits) ^ *cf;
		return r;
	default: /* RCR */
		r = rcr(v, bits < 32 ? n % (unsigned)(bits + 1) : n, bits, cf);
		*of = msb(r, bits) ^ msb(r, bits - 1);
		return r;
	}
}

/* Returns the result and the new arithmetic flags for a nonzero count. */
static uint64_t shift_op(int op, uint64_t v, unsigned n, int bits, uint64_t fl, uint32_t *f)
{
	uint64_t r, cf = (fl & FL_CF) ? 1 : 0, of = 0;
	if (op <= RCR) {
		r = rotate(op, v, n, bits, &cf, &of);
		*f = (uint32_t)(fl & (FL_ARITH & ~(FL_CF | FL_OF)));
	} else {
		if (op == SHL || op == SAL) {
			r = (v << n) & size_mask(bits / 8);
			cf = ((v << (n - 1)) >> (bits - 1)) & 1;
			of = msb(r, bits) ^ cf;
		} else if (op == SHR) {
			r = v >> n;
			cf = (v >> (n - 1)) & 1;
			of = n == 1 ? msb(v, bits) : 0;
		} else {
			uint64_t s = sext(v, bits / 8);
			unsigned k = n > 63 ? 63 : n;
			r = (uint64_t)((int64_t)s >> k) & size_mask(bits / 8);
			cf = (uint64_t)((int64_t)s >> (k - 1)) & 1;
		}
		*f = fl_szp(r, bits / 8);
	}
	*f |= (cf ? FL_CF : 0) | (of ? FL_OF : 0);
	return r;
}

void op_shift(struct cpu *c, const struct insn *in)
{
	int sz = in->opsize, op = (in->modrm >> 3) & 7;
	unsigned n = shift_count(c, in);
	uint64_t v = rm_read(c, in, sz);
	if (!n) {
		if (!in->has_mem && sz == 4)
			rm_write(c, in, 4, v); /* 32-bit register destination is still written */
		return;
	}
	uint32_t f;
	uint64_t r = shift_op(op, v, n, sz * 8, c->rflags, &f);
	rm_write(c, in, sz, r);
	set_arith(c, f);
}

/* SHLD/SHRD. A 16-bit operand with a count above 16 is undefined in the APM;
 * APPROX: we shift through the pattern dest:src:dest, which matches the
 * Intel host in test_int_native (docs/deviations.md). */
static uint64_t dshift(bool left, uint64_t d, uint64_t s, unsigned n, int bits, uint64_t *cf)
{
	if (bits == 16) {
		uint64_t t = (d << 32) | (s << 16) | d;
		if (left) {
			*cf = (t >> (48 - n)) & 1;
			return (t >> (32 - n)) & 0xffff;
		}
		*cf = (t >> (n - 1)) & 1;
		return (t >> n) & 0xffff;
	}
	uint64_t m = size_mask(bits / 8);
	if (left) {
		*cf = (d >> (bits - n)) & 1;
		return ((d << n) | (s >> (bits - n))) & m;
	}
	*cf = (d >> (n - 1)) & 1;
	return ((d >> n) | (s << (bits - n))) & m;
}

void op_shld_shrd(struct cpu *c, const struct insn *in)
{
	int sz = in->opsize, bits = sz * 8;
	bool left = in->opc < 0xa8;
	uint64_t n = (in->opc & 1) ? (c->gpr[1] & 0xff) : in->imm;
	n &= sz == 8 ? 0x3f : 0x1f;
	uint64_t d = rm_read(c, in, sz), s = greg_read(c, in, sz), cf;
	if (!n) {
		if (!in->has_mem && sz == 4)
			rm_write(c, in, 4, d);
		return;
	}
	uint64_t r = dshift(left, d, s, (unsigned)n, bits, &cf);
	uint32_t f = fl_szp(r, sz) | (cf ? FL_CF : 0);
	if (msb(r, bits) ^ (left ? cf : msb(d, bits)))
		f |= FL_OF;
	rm_write(c, in, sz, r);
	set_arith(c, f);
}
