/* SPDX-License-Identifier: MIT */
/* Packed-integer handlers: the generic two-operand form (MMX without a
 * prefix, XMM with 66) and the SSSE3/SSE4.1 forms with special operands:
 * PSHUFx, PALIGNR, PBLENDVB/PBLENDW, PTEST, PMOVSX/PMOVZX, MPSADBW. */
#include "simd.h"
#include "../core/fault.h"

static simd_kernel kernel_of(const struct insn *in)
{
	simd_kernel k = simd_arith_kernel(in->map, in->opc);
	if (!k)
		k = simd_pack_kernel(in->map, in->opc);
	if (!k)
		k = simd_shift_kernel(in->map, in->opc);
	return k;
}

/* MMX PUNPCKLxx reads only 32 bits of memory (SDM PUNPCKLBW) */
static unsigned mmx_src_bytes(const struct insn *in)
{
	return (in->map == MAP_0F && in->opc >= 0x60 && in->opc <= 0x62) ? 4 : 8;
}

void op_simd_binop(struct cpu *c, const struct insn *in)
{
	simd_kernel k = kernel_of(in);
	if (!k)
		raise_internal(c, "simd kernel missing");
	union xmm d = { .q = { 0, 0 } }, s = { .q = { 0, 0 } };
	if (sse_pfx(in) == P_66) {
		sse_src(c, in, &s, 16, true);
		d = *xreg(c, in->reg);
		k(&d, &s, 16);
		*xreg(c, in->reg) = d;
		return;
	}
	s.q[0] = mmx_src(c, in, mmx_src_bytes(in));
	mmx_enter(c);
	d.q[0] = mmx_get(c, in->reg);
	k(&d, &s, 8);
	mmx_set(c, in->reg, d.q[0]);
}

/* 0F 70 ib: PSHUFW (mm), PSHUFD (66), PSHUFHW (F3), PSHUFLW (F2) */
void op_simd_pshuf(struct cpu *c, const struct insn *in)
{
	unsigned imm = (unsigned)in->imm;
	int pfx = sse_pfx(in);
	union xmm s, r;
	if (pfx == P_NONE) {
		s.q[0] = mmx_src(c, in, 8);
		mmx_enter(c);
		for (int i = 0; i < 4; i++)
			r.w[i] = s.w[(imm >> (2 * i)) & 3];
		mmx_set(c, in->reg, r.q[0]);
		return;
	}
	sse_src(c, in, &s, 16, true);
	r = s;
	for (int i = 0; i < 4; i++) {
		unsigned sel = (imm >> (2 * i)) & 3;
		if (pfx == P_66)
			r.d[i] = s.d[sel];
		else if (pfx == P_F3)
			r.w[4 + i] = s.w[4 + sel];
		else
			r.w[i] = s.w[sel];
	}
	*xreg(c, in->reg) = r;
}

/* 0F 3A 0F ib: PALIGNR: (d:s) >> (imm * 8), low n bytes */
void op_simd_palignr(struct cpu *c, const struct insn *in)
{
	uint8_t cat[32] = { 0 };
	uint8_t out[16];
	int n = sse_pfx(in) == P_66 ? 16 : 8;
	union xmm s, d;
	if (n == 16) {
		sse_src(c, in, &s, 16, true);
		d = *xreg(c, in->reg);
	} else {
		s.q[0] = mmx_src(c, in, 8);
		mmx_enter(c);
		d.q[0] = mmx_get(c, in->reg);
	}
	memcpy(cat, s.b, (size_t)n);
	memcpy(cat + n, d.b, (size_t)n);
	unsigned sh = (unsigned)in->imm;
	for (int i = 0; i < n; i++)
		out[i] = sh + (unsigned)i < 2u * (unsigned)n ? cat[sh + (unsigned)i] : 0;
	if (n == 16)
		memcpy(xreg(c, in->reg)->b, out, 16);
	else {
		uint64_t v;
		memcpy(&v, out, 8);
		mmx_set(c, in->reg, v);
	}
}

/* 66 0F 38 10: PBLENDVB (XMM0 byte sign bits); 66 0F 3A 0E ib: PBLENDW */
void op_simd_pblend(struct cpu *c, const struct insn *in)
{
	union xmm s, *d = xreg(c, in->reg);
	sse_src(c, in, &s, 16, true);
	if (in->map == MAP_0F38) {
		const union xmm *m = xreg(c, 0);
		for (int i = 0; i < 16; i++)
			if (m->b[i] & 0x80)
				d->b[i] = s.b[i];
	} else {
		for (int i = 0; i < 8; i++)
			if ((in->imm >> i) & 1)
				d->w[i] = s.w[i];
	}
}

/* 66 0F 38 17: PTEST: ZF = (d AND s) == 0, CF = (NOT d AND s) == 0 */
void op_simd_ptest(struct cpu *c, const struct insn *in)
{
	union xmm s;
	sse_src(c, in, &s, 16, true);
	const union xmm *d = xreg(c, in->reg);
	uint64_t z = (d->q[0] & s.q[0]) | (d->q[1] & s.q[1]);
	uint64_t cf = (~d->q[0] & s.q[0]) | (~d->q[1] & s.q[1]);
	c->rflags &= ~(uint64_t)FL_ARITH;
	if (!z)
		c->rflags |= FL_ZF;
	if (!cf)
		c->rflags |= FL_CF;
}

/* 66 0F 38 20-25 (sign) / 30-35 (zero): PMOVSX/PMOVZX BW BD BQ WD WQ DQ */
void op_simd_pmovx(struct cpu *c, const struct insn *in)
{
	static const uint8_t from[6] = { 1, 1, 1, 2, 2, 4 }, to[6] = { 2, 4, 8, 4, 8, 8 };
	int k = in->opc & 0x0f;
	if (k > 5)
		raise_ud(c);
	bool sx = in->opc < 0x30;
	int cnt = 16 / to[k];
	union xmm s, r;
	sse_src(c, in, &s, (unsigned)(cnt * from[k]), false);
	for (int i = 0; i < cnt; i++) {
		uint64_t v = 0;
		memcpy(&v, s.b + i * from[k], from[k]);
		if (sx)
			v = sext(v, from[k]);
		memcpy(r.b + i * to[k], &v, to[k]);
	}
	*xreg(c, in->reg) = r;
}

/* 66 0F 3A 42 ib: MPSADBW: eight sums of absolute differences of a
 * 4-byte block of s (imm[1:0]) against sliding blocks of d (imm[2]) */
void op_simd_mpsadbw(struct cpu *c, const struct insn *in)
{
	union xmm s, r;
	sse_src(c, in, &s, 16, true);
	const union xmm *d = xreg(c, in->reg);
	int so = (int)(in->imm & 3) * 4, dof = (int)((in->imm >> 2) & 1) * 4;
	for (int i = 0; i < 8; i++) {
		int sum = 0;
		for (int j = 0; j < 4; j++) {
			int a = d->b[dof + i + j], b = s.b[so + j];
			sum += a > b ? a - b : b - a;
		}
		r.w[i] = (uint16_t)sum;
	}
	*xreg(c, in->reg) = r;
}
