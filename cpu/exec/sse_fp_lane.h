/* SPDX-License-Identifier: MIT */
/* Template of the scalar lane operations, included twice by sse_fp.c with
 * FN/UT/FT/SIGN/EXPM/QBIT/DEFNAN/SQRT defined for binary32 and binary64. */

static inline bool FN(isnan)(UT a) { return (a & ~SIGN) > EXPM; }
static inline bool FN(issnan)(UT a) { return FN(isnan)(a) && !(a & QBIT); }
static inline bool FN(isden)(UT a) { return !(a & EXPM) && (a & ~SIGN); }
static inline bool FN(iszero)(UT a) { return !(a & ~SIGN); }
static inline FT FN(f)(UT a)
{
	FT f;
	memcpy(&f, &a, sizeof f);
	return f;
}
static inline UT FN(u)(FT f)
{
	UT a;
	memcpy(&a, &f, sizeof a);
	return a;
}

/* A denormal source: zero under DAZ, else the denormal exception. */
static UT FN(src)(struct fpctx *x, UT a)
{
	if (FN(isden)(a)) {
		if (x->mxcsr & MX_DAZ)
			return a & SIGN;
		x->pre |= MX_DE;
	}
	return a;
}

/* NaN sources of a two-operand op: the first NaN operand wins, quieted
 * (SDM Table 4-7, SSE column); SNaN signals invalid. */
static bool FN(nan2)(struct fpctx *x, UT a, UT b, UT *r)
{
	if (!FN(isnan)(a) && !FN(isnan)(b))
		return false;
	if (FN(issnan)(a) || FN(issnan)(b))
		x->pre |= MX_IE;
	*r = (FN(isnan)(a) ? a : b) | QBIT;
	return true;
}

/* Result post-processing: host NaN -> default NaN (real indefinite);
 * denormal results: UE when unmasked, else flush under FTZ. */
static UT FN(post)(struct fpctx *x, UT r, int e)
{
	host_flags(x, e);
	if (FN(isnan)(r)) {
		x->pre |= MX_IE;
		return DEFNAN;
	}
	if (FN(isden)(r)) {
		if (!(x->mxcsr & MX_UM))
			x->post |= MX_UE;
		else if (x->mxcsr & MX_FTZ) {
			r &= SIGN;
			x->post |= MX_UE | MX_PE;
		}
	}
	return r;
}

/* MIN/MAX: any NaN or two zeros return the second operand unchanged;
 * QNaN signals invalid too (APM MINPS/MAXPS). */
static UT FN(minmax)(struct fpctx *x, int op, UT a, UT b)
{
	if (FN(isnan)(a) || FN(isnan)(b)) {
		x->pre |= MX_IE;
		return (FN(isden)(b) && (x->mxcsr & MX_DAZ)) ? b & SIGN : b;
	}
	a = FN(src)(x, a);
	b = FN(src)(x, b);
	FT fa = FN(f)(a), fb = FN(f)(b);
	if (op == FOP_MIN)
		return fa < fb ? a : b;
	return fa > fb ? a : b;
}

UT FN(op)(struct fpctx *x, int op, UT a, UT b)
{
	UT r;
	if (op == FOP_MIN || op == FOP_MAX)
		return FN(minmax)(x, op, a, b);
	if (op == FOP_SQRT) {
		if (FN(isnan)(b)) {
			if (FN(issnan)(b))
				x->pre |= MX_IE;
			return b | QBIT;
		}
		/* negative operand: invalid only (no DE for a negative denormal) */
		if ((b & SIGN) && !FN(iszero)(b) && !(FN(isden)(b) && (x->mxcsr & MX_DAZ))) {
			x->pre |= MX_IE;
			return DEFNAN;
		}
	} else if (FN(nan2)(x, a, b, &r)) {
		return r;
	}
	b = FN(src)(x, b);
	/* x / 0 reports only divide-by-zero, not a denormal dividend */
	if (op == FOP_DIV && FN(iszero)(b) && FN(isden)(a))
		a = (x->mxcsr & MX_DAZ) ? a & SIGN : a;
	else if (op != FOP_SQRT)
		a = FN(src)(x, a);
	fenv_t env;
	host_begin(&env, x->mxcsr);
	volatile FT va = FN(f)(a), vb = FN(f)(b), vr;
	switch (op) {
	case FOP_ADD: vr = va + vb; break;
	case FOP_SUB: vr = va - vb; break;
	case FOP_MUL: vr = va * vb; break;
	case FOP_DIV: vr = va / vb; break;
	default: vr = SQRT(vb); break;
	}
	FT res = vr;
	return FN(post)(x, FN(u)(res), host_end(&env));
}

int FN(cmp)(struct fpctx *x, UT a, UT b, bool quiet)
{
	if (FN(isnan)(a) || FN(isnan)(b)) {
		if (!quiet || FN(issnan)(a) || FN(issnan)(b))
			x->pre |= MX_IE;
		return 3;
	}
	a = FN(src)(x, a);
	b = FN(src)(x, b);
	FT fa = FN(f)(a), fb = FN(f)(b);
	return fa == fb ? 0 : fa < fb ? 1 : 2;
}

/* ROUNDxx: imm[1:0] mode unless imm[2] (MXCSR.RC); imm[3] suppresses
 * the precision exception. Denormal is not signalled (SDM ROUNDPS). */
UT FN(round)(struct fpctx *x, UT a, unsigned imm)
{
	if (FN(isnan)(a)) {
		if (FN(issnan)(a))
			x->pre |= MX_IE;
		return a | QBIT;
	}
	if (FN(isden)(a) && (x->mxcsr & MX_DAZ))
		a &= SIGN;
	unsigned rc = (imm & 4) ? (x->mxcsr >> MX_RC_SHIFT) & 3 : imm & 3;
	bool inexact;
	FT r = (FT)round_integral((double)FN(f)(a), rc, &inexact);
	if (!(imm & 8) && inexact)
		x->post |= MX_PE;
	return FN(u)(r);
}

/* Conversion to a signed integer; out of range or NaN: IE and the
 * integer indefinite value (APM vol. 4 "CVTSD2SI"). No DE is signalled. */
int64_t FN(to_int)(struct fpctx *x, UT a, int bits, bool chop)
{
	int64_t indef = bits == 64 ? INT64_MIN : INT32_MIN;
	if (FN(isnan)(a)) {
		x->pre |= MX_IE;
		return indef;
	}
	if (FN(isden)(a) && (x->mxcsr & MX_DAZ))
		a &= SIGN;
	bool inexact;
	double r = round_integral((double)FN(f)(a), chop ? 3 : (x->mxcsr >> MX_RC_SHIFT) & 3, &inexact);
	double lim = bits == 64 ? 9223372036854775808.0 : 2147483648.0;
	if (!(r >= -lim && r < lim)) {
		x->pre |= MX_IE;
		return indef;
	}
	if (inexact)
		x->post |= MX_PE;
	return (int64_t)r;
}

UT FN(from_int)(struct fpctx *x, int64_t v)
{
	fenv_t env;
	host_begin(&env, x->mxcsr);
	volatile int64_t vv = v;
	volatile FT vr = (FT)vv;
	FT res = vr;
	host_flags(x, host_end(&env));
	return FN(u)(res);
}
