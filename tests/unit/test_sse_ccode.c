/* SPDX-License-Identifier: MIT */
/* Compiler output end to end: small C functions compiled into this test
 * (scalar double/float math, auto-vectorised loops up to SSE4.2) are called
 * natively and inside libpaccpu in 64-bit mode. The guest maps the host's
 * text and read-only data pages at their host addresses (4 KiB pages), so
 * the very same machine code with its RIP-relative constants runs; the
 * arguments point into identity-mapped guest RAM holding copies of the
 * host arrays. Results and output arrays must be bit-identical. */
#include <math.h>
#include <nmmintrin.h>
#include "test.h"
#include "machine_helpers.h"

#if defined(__clang__)
#define GFN __attribute__((noinline, no_sanitize("address", "undefined"), target("sse4.2")))
#else
#define GFN __attribute__((noinline, no_sanitize("address", "undefined"), target("sse4.2"), \
			   optimize("O3", "no-math-errno", "no-stack-protector")))
#endif

GFN double g_dot(const double *a, const double *b, long n)
{
	double s = 0;
	for (long i = 0; i < n; i++)
		s += a[i] * b[i];
	return s;
}

GFN void g_saxpy(float *y, const float *x, float a, long n)
{
	for (long i = 0; i < n; i++)
		y[i] = a * x[i] + y[i] / (x[i] + 3.0f);
}

GFN long g_sum_max(const int *v, long n)
{
	int mx = v[0];
	long s = 0;
	for (long i = 0; i < n; i++) {
		s += v[i];
		mx = v[i] > mx ? v[i] : mx;
	}
	return s * 1000 + mx;
}

GFN void g_mul_i32(int *d, const int *a, const int *b, long n)
{
	for (long i = 0; i < n; i++)
		d[i] = a[i] * b[i] + (a[i] >> 3) - (b[i] & 0x55);
}

GFN long g_count_byte(const unsigned char *s, long n, unsigned char c)
{
	long k = 0;
	for (long i = 0; i < n; i++)
		k += s[i] == c;
	return k;
}

GFN void g_u8_to_f32(float *d, const unsigned char *s, long n)
{
	for (long i = 0; i < n; i++)
		d[i] = (float)s[i] * 0.5f - 7.25f;
}

GFN long g_cvt(const double *v, long n)
{
	long s = 0;
	for (long i = 0; i < n; i++)
		s += (long)(v[i] * 3.7) + (long)floor(v[i]) + (long)rint(v[i] * 0.1);
	return s;
}

GFN double g_scalar(double x, float f)
{
	__m128d ax = _mm_set_sd(fabs(x));
	double r = _mm_cvtsd_f64(_mm_sqrt_sd(ax, ax)) + (double)f * x - (x < 2.5 ? x : 2.5) + (f > -1.0f ? (double)f : -1.0);
	r += (x > f ? 1.0 : -1.0) + ceil(x / 3.0) + (float)(x * 1e-3);
	return r / (1.0 + fabs(x));
}

GFN void g_minmax_f(float *d, const float *a, const float *b, long n)
{
	for (long i = 0; i < n; i++)
		d[i] = (a[i] < b[i] ? a[i] : b[i]) + (a[i] > b[i] ? a[i] : b[i]) * 0.25f;
}

/* the SSE2 strlen idiom of C libraries: aligned PCMPEQB/PMOVMSKB/BSF */
GFN long g_strlen(const char *s)
{
	const char *p = (const char *)((uintptr_t)s & ~(uintptr_t)15);
	__m128i z = _mm_setzero_si128();
	unsigned mask = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_load_si128((const __m128i *)p), z));
	mask >>= (unsigned)(s - p);
	if (mask)
		return __builtin_ctz(mask);
	for (;;) {
		p += 16;
		mask = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_load_si128((const __m128i *)p), z));
		if (mask)
			return p + __builtin_ctz(mask) - s;
	}
}

/* SSE4.2 variant: PCMPISTRI with unaligned loads */
GFN long g_strlen42(const char *s)
{
	long n = 0;
	for (;;) {
		__m128i v = _mm_loadu_si128((const __m128i *)(s + n));
		int i = _mm_cmpistri(v, v, _SIDD_UBYTE_OPS | _SIDD_CMP_EQUAL_EACH | _SIDD_NEGATIVE_POLARITY);
		if (_mm_cmpistrz(v, v, _SIDD_UBYTE_OPS | _SIDD_CMP_EQUAL_EACH | _SIDD_NEGATIVE_POLARITY))
			return n + i;
		n += 16;
	}
}

/* SSE4.2 string search: PCMPESTRI equal-ordered */
GFN long g_find(const char *hay, long n, const char *needle, long k)
{
	__m128i nv = _mm_loadu_si128((const __m128i *)needle);
	for (long i = 0; i < n; i += 15) {
		__m128i h = _mm_loadu_si128((const __m128i *)(hay + i));
		int len = n - i < 16 ? (int)(n - i) : 16;
		int j = _mm_cmpestri(nv, (int)k, h, len, _SIDD_UBYTE_OPS | _SIDD_CMP_EQUAL_ORDERED);
		if (j < 16 && j + k <= len)
			return i + j;
	}
	return -1;
}

GFN void g_i16_ops(short *d, const short *a, const short *b, long n)
{
	for (long i = 0; i < n; i++) {
		int v = a[i] + b[i];
		d[i] = (short)(v > 32767 ? 32767 : v < -32768 ? -32768 : v);
		d[i] = (short)(d[i] ^ (a[i] < b[i] ? a[i] : b[i]));
	}
}

/* ---- guest set-up ---- */
#define G_RAM (64u << 20)
#define G_TABLES 0x100000u   /* page-table pool */
#define G_DATA 0x200000u     /* argument arrays */
#define G_COPY 0x1000000u    /* copies of the host pages */
#define G_STACK 0x90000u
#define G_HLT 0x8000u

static pac_machine *m;
static uint64_t next_table = G_TABLES + 0x1000, next_copy = G_COPY;

static uint64_t rd(uint64_t a)
{
	uint64_t v = 0;
	pac_phys_read(m, a, &v, 8);
	return v;
}
static void wr(uint64_t a, uint64_t v) { pac_phys_write(m, a, &v, 8); }

/* entry of `table` at index; allocates the next level on demand */
static uint64_t next_level(uint64_t table, unsigned index)
{
	uint64_t e = rd(table + 8 * index);
	if (!(e & 1)) {
		e = next_table | 7;
		next_table += 0x1000;
		wr(table + 8 * index, e);
	}
	return e & ~0xfffull;
}

static void map_page(uint64_t va, uint64_t pa)
{
	uint64_t t = G_TABLES;
	for (int level = 3; level > 0; level--)
		t = next_level(t, (unsigned)(va >> (12 + 9 * level)) & 511);
	wr(t + 8 * ((va >> 12) & 511), pa | 3);
}

/* page copy that AddressSanitizer must not check (read-only data carries
 * redzones between globals) */
__attribute__((no_sanitize("address"))) static void copy_page(uint8_t *dst, uintptr_t va)
{
	const volatile uint8_t *src = (const volatile uint8_t *)va;
	for (unsigned i = 0; i < 0x1000; i++)
		dst[i] = src[i];
}

/* the executable's read-only and executable mappings, copied and mapped */
static bool map_host_image(void)
{
	FILE *f = fopen("/proc/self/maps", "r");
	if (!f)
		return false;
	char line[512];
	uintptr_t fn = (uintptr_t)&g_dot;
	char path[256] = "";
	while (fgets(line, sizeof line, f)) {
		unsigned long lo, hi;
		char perm[8], p[256] = "";
		if (sscanf(line, "%lx-%lx %7s %*s %*s %*s %255s", &lo, &hi, perm, p) < 3)
			continue;
		if (fn >= lo && fn < hi)
			snprintf(path, sizeof path, "%s", p);
	}
	rewind(f);
	bool ok = path[0] != 0;
	while (ok && fgets(line, sizeof line, f)) {
		unsigned long lo, hi;
		char perm[8], p[256] = "";
		if (sscanf(line, "%lx-%lx %7s %*s %*s %*s %255s", &lo, &hi, perm, p) < 4)
			continue;
		if (strcmp(p, path) || perm[0] != 'r' || perm[1] == 'w')
			continue;
		for (unsigned long va = lo; va < hi && next_copy + 0x1000 <= G_RAM; va += 0x1000) {
			static uint8_t page[0x1000];
			copy_page(page, va);
			pac_phys_write(m, next_copy, page, 0x1000);
			map_page(va, next_copy);
			next_copy += 0x1000;
		}
	}
	fclose(f);
	return ok;
}

static bool guest_init(void)
{
	struct pac_config cfg = { .ncpus = 1, .seed = 1 };
	int err;
	m = pac_create(&cfg, &err);
	if (!m || pac_map_ram(m, 0, G_RAM, NULL) != PAC_OK)
		return false;
	for (uint64_t pa = 0; pa < G_COPY; pa += 0x1000)
		map_page(pa, pa); /* identity map of low memory */
	uint8_t hlt = 0xf4;
	pac_phys_write(m, G_HLT, &hlt, 1);
	return map_host_image();
}

/* calls fn in the guest with integer args a0..a2 and the raw low 64 bits
 * of XMM0/XMM1 (FP arguments) */
static uint64_t arg3; /* fourth integer argument (RCX) */
static bool guest_call(void *fn, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t x0, uint64_t x1,
		       uint64_t *rax, uint64_t *xmm0)
{
	struct pac_regs r;
	tm_prot32(m, &r, (uint64_t)(uintptr_t)fn);
	r.cr0 = 0x80000011;
	r.cr3 = G_TABLES;
	r.cr4 = 0x620;
	r.efer = 0x500;
	tm_seg(&r.seg[PAC_CS], 0x08, 0xa9b);
	r.gpr[PAC_RDI] = a0;
	r.gpr[PAC_RSI] = a1;
	r.gpr[PAC_RDX] = a2;
	r.gpr[PAC_RCX] = arg3;
	r.gpr[PAC_RSP] = G_STACK - 8;
	wr(G_STACK - 8, G_HLT);
	pac_set_regs(m, 0, &r);
	struct pac_fpu_state f;
	memset(&f, 0, sizeof f);
	f.fxsave[0] = 0x7f;
	f.fxsave[1] = 0x03;
	uint32_t mx = 0x1f80;
	memcpy(f.fxsave + 24, &mx, 4);
	memcpy(f.fxsave + 160, &x0, 8);
	memcpy(f.fxsave + 176, &x1, 8);
	pac_set_fpu(m, 0, &f);
	struct pac_exit ex;
	pac_run(m, 10000000, &ex);
	pac_get_regs(m, 0, &r);
	pac_get_fpu(m, 0, &f);
	*rax = r.gpr[PAC_RAX];
	memcpy(xmm0, f.fxsave + 160, 8);
	if (ex.reason != PAC_EXIT_HLT || r.rip != G_HLT + 1) {
		printf("# guest call stopped: reason %d rip %#" PRIx64 " %s\n", (int)ex.reason, r.rip, ex.detail);
		return false;
	}
	return true;
}

static uint64_t dbits(double d)
{
	uint64_t v;
	memcpy(&v, &d, 8);
	return v;
}

/* ---- data ---- */
#define N 203
static double da[N], db[N];
static float fa[N], fb[N], fy[N], fo[N];
static int ia[N], ib[N], io[N];
static short sa[N], sb[N], so[N];
static unsigned char ub[N + 1];
static uint64_t seed = 88172645463325252ull;
static uint64_t rnd(void)
{
	seed ^= seed << 13;
	seed ^= seed >> 7;
	seed ^= seed << 17;
	return seed;
}

static void fill(void)
{
	for (int i = 0; i < N; i++) {
		da[i] = (double)(int64_t)(rnd() % 2000001) / 977.0 - 1000.0;
		db[i] = (double)(int64_t)(rnd() % 20001) / 31.0 - 300.0;
		fa[i] = (float)da[i];
		fb[i] = (float)db[i];
		fy[i] = (float)(int)(rnd() % 1000) / 7.0f;
		ia[i] = (int)rnd();
		ib[i] = (int)(rnd() % 100000) - 50000;
		sa[i] = (short)rnd();
		sb[i] = (short)rnd();
		ub[i] = (unsigned char)("abcab\x80\xff" [rnd() % 7]);
	}
	ub[N] = 0;
}

#define GA(off) ((uint64_t)(G_DATA + (off)))
static void put(unsigned off, const void *p, size_t n) { pac_phys_write(m, G_DATA + off, p, n); }
static bool same(unsigned off, const void *p, size_t n)
{
	unsigned char buf[4096];
	pac_phys_read(m, G_DATA + off, buf, n);
	for (size_t i = 0; i < n; i += 4) {
		uint32_t a = 0, b = 0;
		memcpy(&a, buf + i, n - i < 4 ? n - i : 4);
		memcpy(&b, (const unsigned char *)p + i, n - i < 4 ? n - i : 4);
		if (a != b) {
			printf("# first difference at byte %zu: guest %08x host %08x\n", i, a, b);
			return false;
		}
	}
	return true;
}

static void t_calls(void)
{
	uint64_t rax, x0;
	put(0, da, sizeof da);
	put(0x1000, db, sizeof db);
	CHECK(guest_call((void *)g_dot, GA(0), GA(0x1000), N, 0, 0, &rax, &x0) &&
		      x0 == dbits(g_dot(da, db, N)), "dot product");
	put(0x2000, fy, sizeof fy);
	put(0x3000, fa, sizeof fa);
	float fy2[N];
	memcpy(fy2, fy, sizeof fy);
	g_saxpy(fy2, fa, 1.75f, N);
	float a = 1.75f;
	uint64_t abits = 0;
	memcpy(&abits, &a, 4);
	CHECK(guest_call((void *)g_saxpy, GA(0x2000), GA(0x3000), N, abits, 0, &rax, &x0) &&
		      same(0x2000, fy2, sizeof fy2), "saxpy with division");
	/* the float argument goes in xmm0 as a float */
	put(0x4000, ia, sizeof ia);
	put(0x5000, ib, sizeof ib);
	CHECK(guest_call((void *)g_sum_max, GA(0x4000), N, 0, 0, 0, &rax, &x0) &&
		      rax == (uint64_t)g_sum_max(ia, N), "sum/max of int32");
	g_mul_i32(io, ia, ib, N);
	arg3 = N;
	CHECK(guest_call((void *)g_mul_i32, GA(0x6000), GA(0x4000), GA(0x5000), 0, 0, &rax, &x0) &&
		      same(0x6000, io, sizeof io), "int32 multiply/shift/and");
	put(0x7000, ub, sizeof ub);
	CHECK(guest_call((void *)g_count_byte, GA(0x7000), N, 'a', 0, 0, &rax, &x0) &&
		      rax == (uint64_t)g_count_byte(ub, N, 'a'), "count bytes");
	g_u8_to_f32(fo, ub, N);
	CHECK(guest_call((void *)g_u8_to_f32, GA(0x8000), GA(0x7000), N, 0, 0, &rax, &x0) &&
		      same(0x8000, fo, sizeof fo), "u8 -> float");
	CHECK(guest_call((void *)g_cvt, GA(0), N, 0, 0, 0, &rax, &x0) && rax == (uint64_t)g_cvt(da, N),
	      "double -> long conversions, floor, rint");
	put(0x9000, fb, sizeof fb);
	g_minmax_f(fo, fa, fb, N);
	arg3 = N;
	CHECK(guest_call((void *)g_minmax_f, GA(0xa000), GA(0x3000), GA(0x9000), 0, 0, &rax, &x0) &&
		      same(0xa000, fo, sizeof fo), "float min/max select");
	for (unsigned off = 0; off < 20; off += 3) {
		CHECK(guest_call((void *)g_strlen, GA(0x7000 + off), 0, 0, 0, 0, &rax, &x0) &&
			      rax == (uint64_t)g_strlen((const char *)ub + off), "SSE2 strlen +%u", off);
		CHECK(guest_call((void *)g_strlen42, GA(0x7000 + off), 0, 0, 0, 0, &rax, &x0) &&
			      rax == (uint64_t)g_strlen42((const char *)ub + off), "PCMPISTRI strlen +%u", off);
	}
	static const char hay[] = "the quick brown fox jumps over the lazy dog; pack my box with five dozen liquor jugs";
	static const char *const needles[] = { "lazy", "jugs", "fox j", "cat", "the", "dozen liquor" };
	put(0xe000, hay, sizeof hay);
	for (size_t i = 0; i < sizeof needles / sizeof needles[0]; i++) {
		char nb[32] = { 0 };
		memcpy(nb, needles[i], strlen(needles[i]));
		put(0xe100, nb, sizeof nb);
		arg3 = strlen(needles[i]);
		long want = g_find(hay, (long)sizeof hay - 1, nb, (long)arg3);
		CHECK(guest_call((void *)g_find, GA(0xe000), sizeof hay - 1, GA(0xe100), 0, 0, &rax, &x0) &&
			      rax == (uint64_t)want, "PCMPESTRI search '%s' (%ld)", needles[i], want);
	}
	put(0xb000, sa, sizeof sa);
	put(0xc000, sb, sizeof sb);
	g_i16_ops(so, sa, sb, N);
	arg3 = N;
	CHECK(guest_call((void *)g_i16_ops, GA(0xd000), GA(0xb000), GA(0xc000), 0, 0, &rax, &x0) &&
		      same(0xd000, so, sizeof so), "int16 saturating add, min, xor");
}

/* g_scalar takes (double, float): xmm0 = double, xmm1 = float bits */
static void t_scalar(void)
{
	static const double xs[] = { 0.0, -0.0, 1.5, -2.75, 1e300, -1e-310, 12345.678, 3.0, 7.0 };
	for (size_t i = 0; i < sizeof xs / sizeof xs[0]; i++) {
		float f = (float)(xs[i] * 0.3 - 1.0);
		uint64_t fbits = 0;
		memcpy(&fbits, &f, 4);
		uint64_t rax, x0;
		bool ok = guest_call((void *)g_scalar, 0, 0, 0, dbits(xs[i]), fbits, &rax, &x0);
		CHECK(ok && x0 == dbits(g_scalar(xs[i], f)), "scalar double/float math at %g", xs[i]);
	}
}

int main(void)
{
	if (!guest_init()) {
		printf("not ok - cannot map the host image into the guest\n");
		return 1;
	}
	fill();
	t_calls();
	t_scalar();
	return test_done("sse_ccode");
}
