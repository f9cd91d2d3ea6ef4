/* SPDX-License-Identifier: MIT */
/* CMPPS/CMPPD/CMPSS/CMPSD (0F C2 ib) and COMISS/COMISD/UCOMISS/UCOMISD. */
#include "sse.h"

/* predicate imm[2:0] over a comparison result (0 eq, 1 lt, 2 gt, 3 unordered) */
static bool pred_true(unsigned p, int r)
{
	switch (p & 7) {
	case 0: return r == 0;
	case 1: return r == 1;
	case 2: return r <= 1;
	case 3: return r == 3;
	case 4: return r != 0;
	case 5: return r != 1;
	case 6: return r >= 2;
	default: return r != 3;
	}
}

/* EQ, UNORD, NEQ, ORD are quiet: only SNaN signals invalid (SDM CMPPS) */
static bool pred_quiet(unsigned p) { return (p & 3) == 0 || (p & 3) == 3; }

void op_sse_cmp(struct cpu *c, const struct insn *in)
{
	int pfx = sse_pfx(in);
	bool dbl = pfx == P_66 || pfx == P_F2;
	int lanes = pfx == P_NONE ? 4 : pfx == P_66 ? 2 : 1;
	unsigned bytes = lanes > 1 ? 16 : dbl ? 8 : 4;
	unsigned p = (unsigned)in->imm & 7;
	union xmm s, d = *xreg(c, in->reg);
	sse_src(c, in, &s, bytes, lanes > 1);
	struct fpctx x;
	fpctx_init(&x, c);
	for (int i = 0; i < lanes; i++) {
		if (dbl)
			d.q[i] = pred_true(p, f64_cmp(&x, d.q[i], s.q[i], pred_quiet(p))) ? ~0ull : 0;
		else
			d.d[i] = pred_true(p, f32_cmp(&x, d.d[i], s.d[i], pred_quiet(p))) ? ~0u : 0;
	}
	sse_fp_finish(c, &x);
	*xreg(c, in->reg) = d;
}

/* 0F 2E/2F: UCOMISx signal invalid on SNaN only, COMISx on any NaN.
 * ZF,PF,CF = 111 unordered, 000 greater, 001 less, 100 equal; OF, SF, AF
 * cleared (APM vol. 4 COMISS). */
void op_sse_comi(struct cpu *c, const struct insn *in)
{
	bool dbl = sse_pfx(in) == P_66;
	union xmm s;
	sse_src(c, in, &s, dbl ? 8 : 4, false);
	const union xmm *d = xreg(c, in->reg);
	struct fpctx x;
	fpctx_init(&x, c);
	bool quiet = in->opc == 0x2e;
	int r = dbl ? f64_cmp(&x, d->q[0], s.q[0], quiet) : f32_cmp(&x, d->d[0], s.d[0], quiet);
	sse_fp_finish(c, &x);
	static const uint32_t fl[4] = { FL_ZF, FL_CF, 0, FL_ZF | FL_PF | FL_CF };
	c->rflags = (c->rflags & ~(uint64_t)FL_ARITH) | fl[r];
}
