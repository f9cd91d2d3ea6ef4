/* x87 and SSE from a 64-bit guest: compiler-generated double (SSE2) and
 * long double (x87) code at -O2 with bit-exact expected results (computed
 * by the same source on the host), vector string loops, SSE3..SSE4.2
 * samples, FXSAVE/FXRSTOR and XSAVE layouts, #NM, #MF, #XM, #UD rules.
 * APM vol. 2, 11 (SSE/x87 state and exceptions). */
#include "rt.h"
#include "math.h"

static volatile int vn = 1000, v100 = 100;
static volatile double vx = 0.75, vd = 1.234567, two = 2.0;

static uint64_t bits(double d)
{
	uint64_t u;
	memcpy(&u, &d, 8);
	return u;
}

static void compiler_tests(void)
{
	report("sse2: -O2 series sum of 1/n^2 is bit-exact", bits(fp_series(vn)) == 0x3ffa4d8e550a946eull);
	report("sse2: -O2 polynomial is bit-exact", bits(fp_poly(vx)) == 0x3fe769fecea0ea0eull);
	report("sse2: sqrtsd", bits(__builtin_sqrt(two)) == 0x3ff6a09e667f3bcdull);
	report("sse2: float/double/int conversions", fp_convert(vd) == 3694);
	long double x = fp_x87(v100);
	uint8_t b[10];
	memcpy(b, &x, 10);
	static const uint8_t want[10] = { 0x71, 0x64, 0xa4, 0xde, 0x42, 0x2f, 0x3d, 0xd3, 0x09, 0x40 };
	report("x87: -O2 long double loop is bit-exact (80-bit)", !memcmp(b, want, 10));
}

static size_t vec_strlen(const char *s)
{
	/* 16 bytes at a time: pcmpeqb + pmovmskb (s is 16-byte aligned) */
	size_t i = 0;
	for (;; i += 16) {
		unsigned m;
		__asm__ volatile("pxor %%xmm1, %%xmm1; movdqa (%1), %%xmm0; pcmpeqb %%xmm1, %%xmm0; "
				 "pmovmskb %%xmm0, %0" : "=r"(m) : "r"(s + i) : "xmm0", "xmm1", "memory");
		if (m)
			return i + __builtin_ctz(m);
	}
}

static void vec_memcpy(void *d, const void *s, size_t n)
{
	for (size_t i = 0; i + 16 <= n; i += 16)
		__asm__ volatile("movdqu (%1), %%xmm0; movdqu %%xmm0, (%0)"
				 :: "r"((char *)d + i), "r"((const char *)s + i) : "xmm0", "memory");
}

static void vector_tests(void)
{
	static char text[64] __attribute__((aligned(16))) = "a string of thirty-nine characters long";
	report("sse2: pcmpeqb/pmovmskb strlen", vec_strlen(text) == 39);
	static uint8_t a[64], c[64];
	for (int i = 0; i < 64; i++)
		a[i] = (uint8_t)(i * 7);
	vec_memcpy(c, a, 64);
	report("sse2: movdqu memcpy", !memcmp(a, c, 64));

	uint32_t out[4] __attribute__((aligned(16)));
	static const uint32_t in1[4] __attribute__((aligned(16))) = { 1, 2, 3, 0xffffffff };
	static const uint32_t in2[4] __attribute__((aligned(16))) = { 10, 20, 30, 1 };
	__asm__ volatile("movdqa %1, %%xmm0; paddd %2, %%xmm0; pshufd $0x1b, %%xmm0, %%xmm0; movdqa %%xmm0, %0"
			 : "=m"(out) : "m"(in1), "m"(in2) : "xmm0");
	report("sse2: paddd + pshufd", out[0] == 0 && out[1] == 33 && out[2] == 22 && out[3] == 11);

	if (cpu_has(1, ECX, 9)) {
		static const uint8_t idx[16] __attribute__((aligned(16))) =
			{ 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0x80 };
		uint8_t r[16] __attribute__((aligned(16)));
		__asm__ volatile("movdqa %1, %%xmm0; pshufb %2, %%xmm0; movdqa %%xmm0, %0"
				 : "=m"(r) : "m"(a), "m"(idx) : "xmm0");
		report("ssse3: pshufb reverses, bit 7 zeroes", r[0] == a[15] && r[14] == a[1] && r[15] == 0);
	} else {
		skip("ssse3: pshufb", "no SSSE3");
	}
	if (cpu_has(1, ECX, 19)) {
		static const int32_t s1[4] __attribute__((aligned(16))) = { -5, 7, -1, 100 };
		static const int32_t s2[4] __attribute__((aligned(16))) = { 3, -8, -2, 50 };
		int32_t r[4] __attribute__((aligned(16)));
		uint8_t z;
		__asm__ volatile("movdqa %2, %%xmm0; pminsd %3, %%xmm0; movdqa %%xmm0, %0; "
				 "pxor %%xmm1, %%xmm1; ptest %%xmm1, %%xmm1; setz %1"
				 : "=m"(r), "=q"(z) : "m"(s1), "m"(s2) : "xmm0", "xmm1");
		report("sse4.1: pminsd and ptest", r[0] == -5 && r[1] == -8 && r[2] == -2 && r[3] == 50 && z);
	} else {
		skip("sse4.1: pminsd and ptest", "no SSE4.1");
	}
	if (cpu_has(1, ECX, 20)) {
		static const char hay[16] __attribute__((aligned(16))) = "hello, world!!!";
		static const char set[16] __attribute__((aligned(16))) = ",!";
		uint32_t i;
		__asm__ volatile("movdqa %1, %%xmm0; pcmpistri $0x00, %2, %%xmm0"
				 : "=c"(i) : "m"(set), "m"(hay) : "xmm0", "cc");
		report("sse4.2: pcmpistri finds the first of a set", i == 5);
	} else {
		skip("sse4.2: pcmpistri", "no SSE4.2");
	}
	if (cpu_has(1, ECX, 0)) {
		static const double h[2] __attribute__((aligned(16))) = { 1.5, 2.25 };
		double r[2] __attribute__((aligned(16)));
		__asm__ volatile("movapd %1, %%xmm0; haddpd %%xmm0, %%xmm0; movapd %%xmm0, %0"
				 : "=m"(r) : "m"(h) : "xmm0");
		report("sse3: haddpd", r[0] == 3.75 && r[1] == 3.75);
	} else {
		skip("sse3: haddpd", "no SSE3");
	}
}

static void x87_tests(void)
{
	uint16_t sw, cw;
	int32_t i;
	__asm__ volatile("fninit; fnstcw %0" : "=m"(cw));
	report("x87: fninit sets FCW 0x037f", cw == 0x037f);
	__asm__ volatile("fldpi; fld1; fadd %%st(1), %%st; fistpl %0; fstp %%st(0)" : "=m"(i));
	report("x87: fldpi + fld1, fistp rounds to nearest (4)", i == 4);
	__asm__ volatile("fld1; fldz; fcomip %%st(1), %%st; fstp %%st(0); fnstsw %0" : "=m"(sw));
	report("x87: fnstsw TOP back to 0 after pops", ((sw >> 11) & 7) == 0);
	double r;
	__asm__ volatile("fldl %1; fsqrt; fstpl %0" : "=m"(r) : "m"(two));
	report("x87: fsqrt of 2 rounded to double", bits(r) == 0x3ff6a09e667f3bcdull);
}

static uint8_t area[4096] __attribute__((aligned(64)));

static void save_tests(void)
{
	static const uint64_t pat[2] __attribute__((aligned(16))) = { 0x0123456789abcdefull, 0xfedcba9876543210ull };
	uint64_t back[2] __attribute__((aligned(16)));
	__asm__ volatile("fninit; movdqa %0, %%xmm3" :: "m"(pat) : "xmm3");
	__asm__ volatile("fxsave %0" : "=m"(area));
	report("fxsave: FCW 0x037f, MXCSR masks 0x1f80, XMM3 at 160+48",
	       *(uint16_t *)area == 0x037f && (*(uint32_t *)(area + 24) & ~0x3fu) == 0x1f80 &&
	       !memcmp(area + 160 + 48, pat, 16));
	__asm__ volatile("pxor %%xmm3, %%xmm3; fxrstor %0; movdqa %%xmm3, %1" : : "m"(area), "m"(back) : "xmm3");
	report("fxrstor restores XMM3", back[0] == pat[0] && back[1] == pat[1]);

	if (!cpu_has(1, ECX, 26)) {
		skip("xsave: XCR0 and XSAVE/XRSTOR", "no XSAVE");
		return;
	}
	write_cr4(read_cr4() | (1u << 18));	/* OSXSAVE */
	__asm__ volatile("xsetbv" :: "c"(0), "a"(3), "d"(0));
	uint32_t lo, hi;
	__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	report("xsetbv/xgetbv XCR0 = x87|SSE", lo == 3 && hi == 0);
	int v = TRY(__asm__ volatile("xsetbv" :: "c"(0), "a"(2), "d"(0)));
	report("xsetbv without x87 bit is #GP(0)", v == 13);
	memset(area, 0, sizeof area);
	__asm__ volatile("movdqa %0, %%xmm3" :: "m"(pat) : "xmm3");
	__asm__ volatile("xsave %0" : "=m"(area) : "a"(3), "d"(0));
	uint64_t xstate_bv = *(uint64_t *)(area + 512);
	report("xsave: XMM3 in the legacy area, XSTATE_BV has SSE",
	       !memcmp(area + 160 + 48, pat, 16) && (xstate_bv & 2));
	__asm__ volatile("pxor %%xmm3, %%xmm3; xrstor %0; movdqa %%xmm3, %1"
			 : : "m"(area), "m"(back), "a"(3), "d"(0) : "xmm3");
	report("xrstor restores XMM3", back[0] == pat[0] && back[1] == pat[1]);
}

#define QEMU_XM "QEMU 7.2 sets MXCSR.ZE but never raises #XM/#UD for unmasked SSE exceptions"

static void exception_tests(void)
{
	uint64_t cr0 = read_cr0(), cr4 = read_cr4();
	int v;

	write_cr0(cr0 | CR0_TS);
	v = TRY(__asm__ volatile("addps %%xmm0, %%xmm0" ::: "xmm0"));
	report("#NM: SSE with CR0.TS=1", v == 7);
	v = TRY(__asm__ volatile("fld1; fstp %%st(0)" ::: "st"));
	report("#NM: x87 with CR0.TS=1", v == 7);
	write_cr0(cr0);

	write_cr0(cr0 | CR0_EM);
	v = TRY(__asm__ volatile("fld1; fstp %%st(0)" ::: "st"));
	report("#NM: x87 with CR0.EM=1", v == 7);
	v = TRY(__asm__ volatile("addps %%xmm0, %%xmm0" ::: "xmm0"));
	report("#UD: SSE with CR0.EM=1", v == 6);
	write_cr0(cr0);

	write_cr4(cr4 & ~(uint64_t)CR4_OSFXSR);
	v = TRY(__asm__ volatile("addps %%xmm0, %%xmm0" ::: "xmm0"));
	report("#UD: SSE with CR4.OSFXSR=0", v == 6);
	write_cr4(cr4);

	uint16_t cw = 0x037f & ~4;	/* unmask zero-divide */
	static volatile double zero = 0, one = 1;
	__asm__ volatile("fninit; fldcw %0" :: "m"(cw));
	v = TRY(__asm__ volatile("fld1; fdivl %0; fwait" :: "m"(zero) : "st"));
	report("#MF: unmasked x87 divide by zero at the next fwait", v == 16);
	__asm__ volatile("fninit");

	uint32_t mx = 0x1f80 & ~0x200, mxd = 0x1f80;	/* unmask zero-divide */
	__asm__ volatile("ldmxcsr %0" :: "m"(mx));
	v = TRY(__asm__ volatile("movsd %1, %%xmm1; divsd %0, %%xmm1" :: "m"(zero), "m"(one) : "xmm1"));
	uint32_t mxnow;
	__asm__ volatile("stmxcsr %0" : "=m"(mxnow));
	if (v != 19)
		note("divsd 1/0 with ZM=0: vector %d, MXCSR %#x", v, mxnow);
	report_q("#XM: unmasked SSE divide by zero", v == 19, QEMU_XM);
	write_cr4(cr4 & ~(uint64_t)CR4_OSXMMEXCPT);
	v = TRY(__asm__ volatile("movsd %1, %%xmm1; divsd %0, %%xmm1" :: "m"(zero), "m"(one) : "xmm1"));
	write_cr4(cr4);
	report_q("#UD instead of #XM when CR4.OSXMMEXCPT=0", v == 6, QEMU_XM);
	__asm__ volatile("ldmxcsr %0" :: "m"(mxd));
}

void workload_tests(void);

int main(void)
{
	__asm__ volatile("fninit");
	compiler_tests();
	workload_tests();
	vector_tests();
	x87_tests();
	save_tests();
	exception_tests();
	return 0;
}
