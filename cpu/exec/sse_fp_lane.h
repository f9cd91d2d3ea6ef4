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

static FT FN(host_op)(int op, FT a, FT b)
{
	volatile FT va = a, vb = b, vr;
	switch (op) {
	case FOP_ADD: vr = va + vb; break;
	case FOP_SUB: vr = va - vb; break;
	case FOP_MUL: vr = va * vb; break;
	case FOP_DIV: vr = va / vb; break;
	default: vr = SQRT(vb); break;
	}
	return vr;
}

/* x86 detects tininess after rounding with an unbounded exponent: a result
 * rounded to the smallest normal magnitude is still tiny when the exact
 * value, rounded at full precision, stays below it. Recomputed with the
 * first operand scaled by 2^64 (exact; both operands of an add that lands
 * there are tiny themselves). SQRT results are never that small. */
static bool FN(tiny_after)(int op, UT a, UT b)
{
	const FT k = (FT)0x1p64;
	FT fa = FN(f)(a) * k, fb = FN(f)(b);
	if (op == FOP_ADD || op == FOP_SUB)
		fb *= k;
	else if (op == FOP_SQRT)
		return false;
	FT r = FN(host_op)(op, fa, fb);
	return (r < 0 ? -r : r) < FN(f)(MINNORM) * k;
}

/* Result post-processing: host NaN -> default NaN (real indefinite);
 * tiny results: UE when unmasked, else flush under FTZ. The host's own
 * flags are collected once per instruction (fpctx_end). */
static UT FN(post)(struct fpctx *x, UT r, bool tiny)
{
	if (FN(isnan)(r)) {
		x->pre |= MX_IE;
		return DEFNAN;
	}
	if (tiny) {
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
	r = FN(u)(FN(host_op)(op, FN(f)(a), FN(f)(b)));
	bool tiny = FN(isden)(r) || ((r & ~SIGN) == MINNORM && (x->mxcsr & (MX_FTZ | MX_UM)) != MX_UM &&
				     FN(tiny_after)(op, a, b));
	return FN(post)(x, r, tiny);
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
	(void)x; /* rounding mode and flags: the instruction's host environment */
	volatile int64_t vv = v;
	volatile FT vr = (FT)vv;
	FT res = vr;
	return FN(u)(res);
}

/* the template's parameters end with each instantiation */
#undef FN
#undef UT
#undef FT
#undef SIGN
#undef EXPM
#undef QBIT
#undef DEFNAN
#undef MINNORM
#undef SQRT
