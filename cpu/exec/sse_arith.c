/* SPDX-License-Identifier: MIT */
/* SSE/SSE2/SSE3/SSE4.1 floating-point arithmetic: ADD/SUB/MUL/DIV/MIN/MAX/
 * SQRT in PS/PD/SS/SD forms, RCP/RSQRT, HADD/HSUB/ADDSUB, DPPS/DPPD,
 * ROUNDxx. Results are computed into a copy and written only after
 * sse_fp_finish() (an unmasked exception leaves the destination intact). */
#include "sse.h"

/* operand shape selected by the mandatory prefix */
struct fshape {
	int lanes;
	bool dbl;
	unsigned bytes;
	bool aligned;
};

static struct fshape fshape_of(int pfx)
{
	switch (pfx) {
	case P_66: return (struct fshape){ 2, true, 16, true };
	case P_F3: return (struct fshape){ 1, false, 4, false };
	case P_F2: return (struct fshape){ 1, true, 8, false };
	default: return (struct fshape){ 4, false, 16, true };
	}
}

static int fop_of(uint8_t opc)
{
	switch (opc) {
	case 0x51: return FOP_SQRT;
	case 0x58: return FOP_ADD;
	case 0x59: return FOP_MUL;
	case 0x5c: return FOP_SUB;
	case 0x5d: return FOP_MIN;
	case 0x5e: return FOP_DIV;
	default: return FOP_MAX;
	}
}

static void lanes_op(struct fpctx *x, int op, union xmm *d, const union xmm *s, struct fshape sh)
{
	for (int i = 0; i < sh.lanes; i++) {
		if (sh.dbl)
			d->q[i] = f64_op(x, op, d->q[i], s->q[i]);
		else
			d->d[i] = f32_op(x, op, d->d[i], s->d[i]);
	}
}

/* 0F 51/58/59/5C-5F: xmm1 = xmm1 op xmm2/mem */
void op_sse_arith(struct cpu *c, const struct insn *in)
{
	struct fshape sh = fshape_of(sse_pfx(in));
	union xmm s, d = *xreg(c, in->reg);
	sse_src(c, in, &s, sh.bytes, sh.aligned);
	struct fpctx x;
	fpctx_init(&x, c);
	lanes_op(&x, fop_of(in->opc), &d, &s, sh);
	sse_fp_finish(c, &x);
	*xreg(c, in->reg) = d;
}

/* 0F 52/53: RSQRTPS/RSQRTSS, RCPPS/RCPSS (no exceptions) */
void op_sse_rcp(struct cpu *c, const struct insn *in)
{
	bool scalar = sse_pfx(in) == P_F3;
	union xmm s, d = *xreg(c, in->reg);
	sse_src(c, in, &s, scalar ? 4 : 16, !scalar);
	for (int i = 0; i < (scalar ? 1 : 4); i++)
		d.d[i] = in->opc == 0x52 ? f32_rsqrt(s.d[i]) : f32_rcp(s.d[i]);
	*xreg(c, in->reg) = d;
}

/* 0F 7C/7D: HADDPx/HSUBPx (SSE3): pairs of dest, then pairs of source */
void op_sse_hadd(struct cpu *c, const struct insn *in)
{
	int op = in->opc == 0x7c ? FOP_ADD : FOP_SUB;
	union xmm s, d = *xreg(c, in->reg), r;
	sse_src(c, in, &s, 16, true);
	struct fpctx x;
	fpctx_init(&x, c);
	if (sse_pfx(in) == P_66) {
		r.q[0] = f64_op(&x, op, d.q[0], d.q[1]);
		r.q[1] = f64_op(&x, op, s.q[0], s.q[1]);
	} else {
		r.d[0] = f32_op(&x, op, d.d[0], d.d[1]);
		r.d[1] = f32_op(&x, op, d.d[2], d.d[3]);
		r.d[2] = f32_op(&x, op, s.d[0], s.d[1]);
		r.d[3] = f32_op(&x, op, s.d[2], s.d[3]);
	}
	sse_fp_finish(c, &x);
	*xreg(c, in->reg) = r;
}

/* 0F D0: ADDSUBPD (66) / ADDSUBPS (F2): even lanes subtract, odd add */
void op_sse_addsub(struct cpu *c, const struct insn *in)
{
	union xmm s, d = *xreg(c, in->reg);
	sse_src(c, in, &s, 16, true);
	struct fpctx x;
	fpctx_init(&x, c);
	bool dbl = sse_pfx(in) == P_66;
	for (int i = 0; i < (dbl ? 2 : 4); i++) {
		int op = (i & 1) ? FOP_ADD : FOP_SUB;
		if (dbl)
			d.q[i] = f64_op(&x, op, d.q[i], s.q[i]);
		else
			d.d[i] = f32_op(&x, op, d.d[i], s.d[i]);
	}
	sse_fp_finish(c, &x);
	*xreg(c, in->reg) = d;
}

/* 66 0F 3A 40: DPPS. Products selected by imm[7:4] (others +0), then two
 * butterfly additions; lane i gets (p[i^1] + p[i]) + (same for i^2), so the
 * lanes can differ in which NaN they return (as the silicon shows); lanes
 * not in imm[3:0] are zeroed. */
void op_sse_dpps(struct cpu *c, const struct insn *in)
{
	union xmm s, d = *xreg(c, in->reg), r;
	sse_src(c, in, &s, 16, true);
	struct fpctx x;
	fpctx_init(&x, c);
	uint32_t p[4], h[4];
	for (int i = 0; i < 4; i++)
		p[i] = (in->imm & (16u << i)) ? f32_op(&x, FOP_MUL, d.d[i], s.d[i]) : 0;
	for (int i = 0; i < 4; i++)
		h[i] = f32_op(&x, FOP_ADD, p[i ^ 1], p[i]);
	for (int i = 0; i < 4; i++) {
		uint32_t sum = f32_op(&x, FOP_ADD, h[i], h[i ^ 2]);
		r.d[i] = (in->imm & (1u << i)) ? sum : 0;
	}
	sse_fp_finish(c, &x);
	*xreg(c, in->reg) = r;
}

/* 66 0F 3A 41: DPPD; lane i gets p[i] + p[i^1] */
void op_sse_dppd(struct cpu *c, const struct insn *in)
{
	union xmm s, d = *xreg(c, in->reg), r;
	sse_src(c, in, &s, 16, true);
	struct fpctx x;
	fpctx_init(&x, c);
	uint64_t p[2];
	for (int i = 0; i < 2; i++)
		p[i] = (in->imm & (16u << i)) ? f64_op(&x, FOP_MUL, d.q[i], s.q[i]) : 0;
	for (int i = 0; i < 2; i++) {
		uint64_t sum = f64_op(&x, FOP_ADD, p[i], p[i ^ 1]);
		r.q[i] = (in->imm & (1u << i)) ? sum : 0;
	}
	sse_fp_finish(c, &x);
	*xreg(c, in->reg) = r;
}

/* 66 0F 3A 08-0B: ROUNDPS/ROUNDPD/ROUNDSS/ROUNDSD */
void op_sse_round(struct cpu *c, const struct insn *in)
{
	static const struct fshape shapes[4] = {
		{ 4, false, 16, true }, { 2, true, 16, true }, { 1, false, 4, false }, { 1, true, 8, false }
	};
	struct fshape sh = shapes[in->opc & 3];
	union xmm s, d = *xreg(c, in->reg);
	sse_src(c, in, &s, sh.bytes, sh.aligned);
	struct fpctx x;
	fpctx_init(&x, c);
	unsigned imm = (unsigned)in->imm;
	for (int i = 0; i < sh.lanes; i++) {
		if (sh.dbl)
			d.q[i] = f64_round(&x, s.q[i], imm);
		else
			d.d[i] = f32_round(&x, s.d[i], imm);
	}
	sse_fp_finish(c, &x);
	*xreg(c, in->reg) = d;
}
