/* SPDX-License-Identifier: MIT */
/* VEX-encoded BMI1 (ANDN BEXTR BLSI BLSMSK BLSR) and BMI2 (BZHI MULX PDEP
 * PEXT RORX SARX SHLX SHRX), APM vol. 3. Operand size is 32 bits, 64 with
 * VEX.W in 64-bit mode (VEX.W is ignored elsewhere). in->vvvv names the
 * VEX register operand. Undefined flags (AF, PF; SF for BEXTR) are left
 * unchanged and marked in the rows. */
#include "handlers.h"
#include "../core/flags.h"
#include "../core/fault.h"

static int vsize(const struct insn *in) { return (in->mode64 && (in->rex & 8)) ? 8 : 4; }
static uint64_t vreg(struct cpu *c, const struct insn *in, int sz) { return reg_read(c, in->vvvv, sz, false); }

/* set ZF, SF from r, CF as given, OF = 0; AF and PF unchanged */
static void bmi_flags(struct cpu *c, uint64_t r, int sz, bool cf, bool with_sf)
{
	uint64_t keep = FL_AF | FL_PF | (with_sf ? 0 : FL_SF);
	uint64_t f = (r & size_mask(sz)) ? 0 : FL_ZF;
	if (with_sf && ((r >> (sz * 8 - 1)) & 1))
		f |= FL_SF;
	if (cf)
		f |= FL_CF;
	c->rflags = (c->rflags & (~(uint64_t)FL_ARITH | keep)) | f;
}

void op_andn(struct cpu *c, const struct insn *in)
{
	int sz = vsize(in);
	uint64_t r = ~vreg(c, in, sz) & rm_read(c, in, sz) & size_mask(sz);
	greg_write(c, in, sz, r);
	bmi_flags(c, r, sz, false, true);
}

void op_bextr(struct cpu *c, const struct insn *in)
{
	int sz = vsize(in), bits = sz * 8;
	uint64_t src = rm_read(c, in, sz), ctl = vreg(c, in, sz);
	unsigned start = ctl & 0xff, len = (ctl >> 8) & 0xff;
	uint64_t r = start >= (unsigned)bits ? 0 : src >> start;
	if (len < 64)
		r &= (1ull << len) - 1;
	greg_write(c, in, sz, r);
	bmi_flags(c, r, sz, false, false);
}

/* VEX 0F38 F3 /1 BLSR, /2 BLSMSK, /3 BLSI: destination is vvvv */
void op_blsx(struct cpu *c, const struct insn *in)
{
	int sz = vsize(in);
	uint64_t s = rm_read(c, in, sz), r, m = size_mask(sz);
	bool cf;
	switch ((in->modrm >> 3) & 7) {
	case 1: r = (s - 1) & s; cf = !s; break;  /* BLSR */
	case 2: r = (s - 1) ^ s; cf = !s; break;  /* BLSMSK */
	default: r = (0 - s) & s; cf = s != 0; break; /* BLSI */
	}
	reg_write(c, in->vvvv, sz, false, r & m);
	bmi_flags(c, r, sz, cf, true);
}

void op_bzhi(struct cpu *c, const struct insn *in)
{
	int sz = vsize(in), bits = sz * 8;
	uint64_t s = rm_read(c, in, sz);
	unsigned n = vreg(c, in, sz) & 0xff;
	uint64_t r = n < (unsigned)bits ? s & ((1ull << n) - 1) : s;
	greg_write(c, in, sz, r);
	bmi_flags(c, r, sz, n > (unsigned)bits - 1, true);
}

/* MULX: reg = high half, vvvv = low half of rDX * r/m; no flags. When both
 * name the same register it receives the high half. */
void op_mulx(struct cpu *c, const struct insn *in)
{
	int sz = vsize(in);
	unsigned __int128 p = (unsigned __int128)reg_read(c, 2, sz, false) * rm_read(c, in, sz);
	uint64_t lo = (uint64_t)p, hi = sz == 8 ? (uint64_t)(p >> 64) : lo >> 32;
	reg_write(c, in->vvvv, sz, false, lo);
	greg_write(c, in, sz, hi);
}

void op_pdep(struct cpu *c, const struct insn *in)
{
	int sz = vsize(in);
	uint64_t src = vreg(c, in, sz), mask = rm_read(c, in, sz), r = 0;
	for (uint64_t k = 1; mask; mask &= mask - 1, k <<= 1)
		if (src & k)
			r |= mask & (0 - mask);
	greg_write(c, in, sz, r);
}

void op_pext(struct cpu *c, const struct insn *in)
{
	int sz = vsize(in);
	uint64_t src = vreg(c, in, sz), mask = rm_read(c, in, sz), r = 0;
	for (uint64_t k = 1; mask; mask &= mask - 1, k <<= 1)
		if (src & mask & (0 - mask))
			r |= k;
	greg_write(c, in, sz, r);
}

/* RORX: VEX.vvvv is reserved and must be 1111b, else #UD (APM "RORX") */
void op_rorx(struct cpu *c, const struct insn *in)
{
	int sz = vsize(in), bits = sz * 8;
	if (in->vvvv)
		raise_ud(c);
	uint64_t s = rm_read(c, in, sz);
	unsigned n = (unsigned)in->imm & (unsigned)(bits - 1);
	uint64_t r = n ? ((s >> n) | (s << (bits - n))) & size_mask(sz) : s;
	greg_write(c, in, sz, r);
}

/* VEX 0F38 F7: 66 SHLX, F2 SHRX, F3 SARX; count from vvvv; no flags */
void op_shiftx(struct cpu *c, const struct insn *in)
{
	int sz = vsize(in);
	uint64_t s = rm_read(c, in, sz);
	unsigned n = vreg(c, in, sz) & (sz == 8 ? 63 : 31);
	uint64_t r;
	if (in->pfx66)
		r = s << n;
	else if (in->rep == 0xF2)
		r = s >> n;
	else
		r = (uint64_t)((int64_t)sext(s, sz) >> n);
	greg_write(c, in, sz, r & size_mask(sz));
}
