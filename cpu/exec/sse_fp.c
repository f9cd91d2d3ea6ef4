/* SPDX-License-Identifier: MIT */
/* Floating-point lanes of the SSE family.
 *
 * Choice (documented in docs/deviations.md): the IEEE arithmetic itself
 * (+ - * /, sqrt, float<->double and int->float conversions) runs on the
 * host's binary32/binary64 arithmetic with the guest's rounding mode and
 * the exceptions read back once per instruction (the host MXCSR on x86
 * hosts, fesetround()/fetestexcept() elsewhere). Everything
 * x86-specific is done here in software: NaN selection and quieting, the
 * default NaN, DAZ, FTZ, the denormal-operand flag, unmasked-underflow
 * detection, MIN/MAX and comparison rules, integer indefinite. Results are
 * deterministic on a given host; an IEEE host with tininess detected after
 * rounding (x86-64) gives exactly the x86 results. The host environment is
 * saved and restored around each instruction. */
#include <fenv.h>
#include <math.h>
#include "sse.h"

#if defined(__x86_64__) || defined(__i386__)
#include <xmmintrin.h>
/* x86 host: the host MXCSR is the environment (all exceptions masked, the
 * guest's rounding mode, no DAZ/FTZ); saved and restored around each
 * instruction */
static void host_begin(struct fpctx *x)
{
	x->host = _mm_getcsr();
	_mm_setcsr(0x1f80u | (x->mxcsr & (3u << MX_RC_SHIFT)));
}

static void host_end(struct fpctx *x)
{
	uint32_t e = _mm_getcsr();
	_mm_setcsr(x->host);
	x->pre |= e & (MX_IE | MX_ZE);
	x->post |= e & (MX_OE | MX_UE | MX_PE);
}
#else
static const int host_rc[4] = { FE_TONEAREST, FE_DOWNWARD, FE_UPWARD, FE_TOWARDZERO };
static _Thread_local fenv_t host_env; /* per thread: one instruction at a time */

static void host_begin(struct fpctx *x)
{
	feholdexcept(&host_env);
	fesetround(host_rc[(x->mxcsr >> MX_RC_SHIFT) & 3]);
}

static void host_end(struct fpctx *x)
{
	int e = fetestexcept(FE_ALL_EXCEPT);
	fesetenv(&host_env);
	if (e & FE_INVALID)
		x->pre |= MX_IE;
	if (e & FE_DIVBYZERO)
		x->pre |= MX_ZE;
	if (e & FE_OVERFLOW)
		x->post |= MX_OE;
	if (e & FE_UNDERFLOW)
		x->post |= MX_UE;
	if (e & FE_INEXACT)
		x->post |= MX_PE;
}
#endif

/* Starts an instruction's lane operations: nothing between this and
 * fpctx_end() may fault (operands are read before). */
void fpctx_init(struct fpctx *x, const struct cpu *c)
{
	x->mxcsr = c->mxcsr;
	x->pre = x->post = 0;
	host_begin(x);
}

void fpctx_end(struct fpctx *x) { host_end(x); }

/* Round to an integral value in mode rc (0 nearest-even, 1 down, 2 up,
 * 3 toward zero) with exact operations only (no host flag is raised; the
 * compiler's inline rint() would assume round-to-nearest). */
static double round_integral(double d, unsigned rc, bool *inexact)
{
	*inexact = false;
	if (!(fabs(d) < 0x1p52) || d == 0)
		return d;
	uint64_t b;
	memcpy(&b, &d, 8);
	int e = (int)((b >> 52) & 0x7ff) - 1023;
	if (e < 0)
		b &= 1ull << 63;
	else
		b &= ~((1ull << (52 - e)) - 1);
	double t;                /* truncation toward zero */
	memcpy(&t, &b, 8);
	double frac = d - t;     /* exact */
	double one = d < 0 ? -1.0 : 1.0;
	*inexact = frac != 0;
	switch (rc & 3) {
	case 0:
		if (fabs(frac) > 0.5 || (fabs(frac) == 0.5 && ((int64_t)t & 1)))
			t += one;
		break;
	case 1:
		if (frac < 0)
			t -= 1.0;
		break;
	case 2:
		if (frac > 0)
			t += 1.0;
		break;
	default: break;
	}
	return t == 0 ? copysign(0.0, d) : t;
}

#define FN(n) f32_##n
#define UT uint32_t
#define FT float
#define SIGN 0x80000000u
#define EXPM 0x7f800000u
#define QBIT 0x00400000u
#define DEFNAN 0xffc00000u
#define MINNORM 0x00800000u
#define SQRT sqrtf
#include "sse_fp_lane.h"

#define FN(n) f64_##n
#define UT uint64_t
#define FT double
#define SIGN 0x8000000000000000ull
#define EXPM 0x7ff0000000000000ull
#define QBIT 0x0008000000000000ull
#define DEFNAN 0xfff8000000000000ull
#define MINNORM 0x0010000000000000ull
#define SQRT sqrt
#include "sse_fp_lane.h"

/* binary32 -> binary64 is exact; a NaN keeps its payload, quieted. */
uint64_t f64_from_f32(struct fpctx *x, uint32_t a)
{
	if (f32_isnan(a)) {
		if (f32_issnan(a))
			x->pre |= MX_IE;
		return ((uint64_t)(a >> 31) << 63) | 0x7ff8000000000000ull |
		       ((uint64_t)(a & 0x3fffff) << 29);
	}
	a = f32_src(x, a);
	return f64_u((double)f32_f(a));
}

uint32_t f32_from_f64(struct fpctx *x, uint64_t a)
{
	if (f64_isnan(a)) {
		if (f64_issnan(a))
			x->pre |= MX_IE;
		return (uint32_t)((a >> 63) << 31) | 0x7fc00000u | (uint32_t)((a >> 29) & 0x3fffff);
	}
	a = f64_src(x, a);
	volatile double va = f64_f(a);
	volatile float vr = (float)va;
	float res = vr;
	/* tininess after rounding with an unbounded exponent (see tiny_after) */
	bool tiny = f32_isden(f32_u(res));
	if ((f32_u(res) & 0x7fffffffu) == 0x00800000u) {
		volatile double scaled = f64_f(a) * 0x1p64;
		volatile float rs = (float)scaled;
		tiny = fabsf(rs) < 0x1p-62f;
	}
	return f32_post(x, f32_u(res), tiny);
}

/* APPROX: RCPSS/RSQRTSS. Hardware tables differ between vendors (and
 * AMD's from Intel's); we return the exact reciprocal rounded to 12
 * fraction bits (relative error <= 2^-13, within the architectural
 * 1.5 * 2^-12). Denormal inputs act as zero, tiny results flush to zero,
 * no MXCSR flag is touched. */
static uint32_t approx12(uint32_t sign, double r)
{
	uint64_t b = f64_u(fabs(r));
	b += 1ull << 39;
	b &= ~((1ull << 40) - 1);
	double q = f64_f(b);
	if (q < 0x1p-126)
		return sign;
	return sign | f32_u((float)q);
}

uint32_t f32_rcp(uint32_t a)
{
	uint32_t s = a & 0x80000000u;
	if (f32_isnan(a))
		return a | 0x00400000u;
	if (!(a & 0x7f800000u))
		return s | 0x7f800000u;
	if ((a & 0x7fffffffu) == 0x7f800000u)
		return s;
	return approx12(s, 1.0 / (double)f32_f(a));
}

uint32_t f32_rsqrt(uint32_t a)
{
	uint32_t s = a & 0x80000000u;
	if (f32_isnan(a))
		return a | 0x00400000u;
	if (!(a & 0x7f800000u))
		return s | 0x7f800000u;
	if (s)
		return 0xffc00000u;
	if (a == 0x7f800000u)
		return 0;
	return approx12(0, 1.0 / sqrt((double)f32_f(a)));
}
