/* SPDX-License-Identifier: MIT */
/* Conversions: 0F 2A/2C/2D (with MMX and GPR operands), 0F 5A, 0F 5B,
 * 0F E6. Integer results that overflow or come from NaN are the integer
 * indefinite value 80000000h / 8000000000000000h. */
#include "sse.h"

static unsigned gpr_bytes(const struct insn *in) { return sse_rexw(in) ? 8 : 4; }

/* 0F 2A: CVTPI2PS, CVTPI2PD (from mm/m64), CVTSI2SS, CVTSI2SD (from r/m) */
void op_sse_cvt_from_int(struct cpu *c, const struct insn *in)
{
	int pfx = sse_pfx(in);
	union xmm d = *xreg(c, in->reg);
	int64_t v[2];
	if (pfx == P_F3 || pfx == P_F2) {
		unsigned n = gpr_bytes(in);
		v[0] = (int64_t)sext(rm_read(c, in, (int)n), (int)n);
	} else {
		uint64_t m = mmx_src(c, in, 8);
		if (!in->has_mem)
			mmx_enter(c); /* only the register form switches to MMX state */
		v[0] = (int32_t)(uint32_t)m;
		v[1] = (int32_t)(uint32_t)(m >> 32);
	}
	struct fpctx x;
	fpctx_init(&x, c);
	switch (pfx) {
	case P_F3: d.d[0] = f32_from_int(&x, v[0]); break;
	case P_F2: d.q[0] = f64_from_int(&x, v[0]); break;
	case P_NONE:
		d.d[0] = f32_from_int(&x, v[0]);
		d.d[1] = f32_from_int(&x, v[1]);
		break;
	default:
		d.q[0] = f64_from_int(&x, v[0]);
		d.q[1] = f64_from_int(&x, v[1]);
		break;
	}
	sse_fp_finish(c, &x);
	*xreg(c, in->reg) = d;
}

/* 0F 2C (truncating) / 2D: CVT(T)PS2PI, CVT(T)PD2PI to mm; CVT(T)SS2SI,
 * CVT(T)SD2SI to a GPR */
void op_sse_cvt_to_int(struct cpu *c, const struct insn *in)
{
	int pfx = sse_pfx(in);
	bool chop = in->opc == 0x2c;
	bool gpr = pfx == P_F3 || pfx == P_F2, dbl = pfx == P_66 || pfx == P_F2;
	static const unsigned bytes[4] = { 8, 16, 4, 8 };
	union xmm s;
	sse_src(c, in, &s, bytes[pfx], pfx == P_66);
	if (!gpr)
		mmx_enter(c);
	int bits = gpr ? (int)gpr_bytes(in) * 8 : 32;
	int64_t r[2] = { 0, 0 };
	struct fpctx x;
	fpctx_init(&x, c);
	for (int i = 0; i < (gpr ? 1 : 2); i++)
		r[i] = dbl ? f64_to_int(&x, s.q[i], bits, chop) : f32_to_int(&x, s.d[i], bits, chop);
	sse_fp_finish(c, &x);
	if (gpr)
		greg_write(c, in, bits / 8, (uint64_t)r[0]);
	else
		mmx_set(c, in->reg & 7, (uint32_t)r[0] | (uint64_t)(uint32_t)r[1] << 32);
}

/* 0F 5A: CVTPS2PD, CVTPD2PS, CVTSS2SD, CVTSD2SS */
void op_sse_cvt_fp(struct cpu *c, const struct insn *in)
{
	int pfx = sse_pfx(in);
	static const unsigned bytes[4] = { 8, 16, 4, 8 };
	union xmm s, d = *xreg(c, in->reg);
	sse_src(c, in, &s, bytes[pfx], pfx == P_66);
	struct fpctx x;
	fpctx_init(&x, c);
	switch (pfx) {
	case P_NONE:
		d.q[1] = f64_from_f32(&x, s.d[1]);
		d.q[0] = f64_from_f32(&x, s.d[0]);
		break;
	case P_66:
		d.d[0] = f32_from_f64(&x, s.q[0]);
		d.d[1] = f32_from_f64(&x, s.q[1]);
		d.q[1] = 0;
		break;
	case P_F3: d.q[0] = f64_from_f32(&x, s.d[0]); break;
	default: d.d[0] = f32_from_f64(&x, s.q[0]); break;
	}
	sse_fp_finish(c, &x);
	*xreg(c, in->reg) = d;
}

/* 0F 5B: CVTDQ2PS (none), CVTPS2DQ (66), CVTTPS2DQ (F3) */
void op_sse_cvt_dq_ps(struct cpu *c, const struct insn *in)
{
	int pfx = sse_pfx(in);
	union xmm s, d;
	sse_src(c, in, &s, 16, true);
	struct fpctx x;
	fpctx_init(&x, c);
	for (int i = 0; i < 4; i++) {
		if (pfx == P_NONE)
			d.d[i] = f32_from_int(&x, (int32_t)s.d[i]);
		else
			d.d[i] = (uint32_t)f32_to_int(&x, s.d[i], 32, pfx == P_F3);
	}
	sse_fp_finish(c, &x);
	*xreg(c, in->reg) = d;
}

/* 0F E6: CVTTPD2DQ (66), CVTDQ2PD (F3, m64), CVTPD2DQ (F2) */
void op_sse_cvt_dq_pd(struct cpu *c, const struct insn *in)
{
	int pfx = sse_pfx(in);
	union xmm s, d;
	sse_src(c, in, &s, pfx == P_F3 ? 8 : 16, pfx != P_F3);
	struct fpctx x;
	fpctx_init(&x, c);
	if (pfx == P_F3) {
		d.q[1] = f64_from_int(&x, (int32_t)s.d[1]);
		d.q[0] = f64_from_int(&x, (int32_t)s.d[0]);
	} else {
		for (int i = 0; i < 2; i++)
			d.d[i] = (uint32_t)f64_to_int(&x, s.q[i], 32, pfx == P_66);
		d.q[1] = 0;
	}
	sse_fp_finish(c, &x);
	*xreg(c, in->reg) = d;
}
