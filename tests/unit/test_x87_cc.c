/* SPDX-License-Identifier: MIT */
/* A C compiler's ordinary long double output: kernel() below is compiled
 * by the compiler building this test (x87 code for long double: loads,
 * arithmetic, FUCOMIP/FCOMIP with jumps or FCMOV, FNSTCW/FLDCW around
 * FISTP for truncating conversions, FILD, FCHS, FABS, stores to float and
 * double). Its machine code is copied into the emulator and run in 64-bit
 * mode on a copy of the inputs; the outputs must equal those of the same
 * function run natively. Constants the code reads RIP-relative are copied
 * to the same distance from the code in guest memory. The copy is refused
 * (test skipped with a message) if the compiler produced calls. */
#include "test.h"
#include "machine_helpers.h"
#include "decode/insn.h"

struct kio {
	long double ld[4];
	double d[2];
	float f[2];
	int i[2];
	long long ll[2];
	long double out[10];
	long long lo[2];
	int io[4];
	double dout[2];
	float fout[2];
};

__attribute__((noinline, no_sanitize("address", "undefined"))) static void kernel(struct kio *p)
{
	long double a = p->ld[0], b = p->ld[1], c = p->ld[2];
	p->out[0] = a * b + c;
	p->out[1] = (a - b) / c;
	p->out[2] = a < b ? a : b;
	p->out[3] = (long double)p->d[0] * a + (long double)p->f[0];
	p->out[4] = (long double)p->i[0] / b;
	p->out[5] = (long double)p->ll[0] - a;
	p->out[6] = -a;
	p->out[7] = a > 0 ? a : -a;
	p->lo[0] = (long long)(a * c);
	p->io[0] = (int)(b / a);
	p->io[1] = a == b;
	p->io[2] = a != a;
	p->dout[0] = (double)(a / c);
	p->fout[0] = (float)(b * c);
	long double s = 0;
	for (int k = 0; k < p->i[1]; k++)
		s = s * a + (long double)k;
	p->out[8] = s;
}

#define KCODE 0x800000u
#define KDATA 0x20000u
#define KSTART 0x9000u

/* Forward target of a relative jump at p (length n), or 0. */
static size_t jump_target(const uint8_t *p, size_t off, int n)
{
	int64_t rel = 0;
	if ((p[0] >= 0x70 && p[0] <= 0x7f) || p[0] == 0xeb)
		rel = (int8_t)p[1];
	else if (p[0] == 0xe9)
		rel = (int32_t)((uint32_t)p[1] | (uint32_t)p[2] << 8 | (uint32_t)p[3] << 16 | (uint32_t)p[4] << 24);
	else if (p[0] == 0x0f && p[1] >= 0x80 && p[1] <= 0x8f)
		rel = (int32_t)((uint32_t)p[2] | (uint32_t)p[3] << 8 | (uint32_t)p[4] << 16 | (uint32_t)p[5] << 24);
	int64_t t = (int64_t)off + n + rel;
	return rel > 0 ? (size_t)t : 0;
}

/* RIP-relative data the kernel reads: host address of each operand */
static const uint8_t *rip_refs[32];
static int nrefs;

/* Length of kernel()'s code: up to the first RET not jumped over by any
 * earlier forward branch. 0 if it cannot be copied (call, undecodable
 * byte, too many or too distant RIP-relative operands, over 1 KiB). */
static size_t kernel_size(const uint8_t *p)
{
	size_t off = 0, reach = 0;
	while (off < 1024) {
		struct insn in;
		int n = decode_bytes(p + off, 15, 64, &in);
		if (n <= 0)
			return 0;
		if (in.has_mem && in.base == BASE_RIP) {
			const uint8_t *t = p + off + n + in.disp;
			int64_t dist = t - p;
			if (nrefs == 32 || dist < -0x700000 || dist > 0x700000)
				return 0;
			rip_refs[nrefs++] = t;
		}
		if (p[off] == 0xe8 || (p[off] == 0xff && ((p[off + 1] >> 3) & 7) == 2))
			return 0;
		size_t t = jump_target(p + off, off, n);
		if (t > reach)
			reach = t;
		off += (size_t)n;
		if (n == 1 && p[off - 1] == 0xc3 && off > reach)
			return off;
	}
	return 0;
}

static bool run_emulated(pac_machine *m, const uint8_t *kc, size_t n, struct kio *io)
{
	/* fninit; mov edi, KDATA; call KCODE; hlt */
	uint8_t start[16] = { 0xdb, 0xe3, 0xbf, 0, 0, 0, 0, 0xe8, 0, 0, 0, 0, 0xf4 };
	uint32_t data = KDATA, rel = KCODE - (KSTART + 12);
	memcpy(start + 3, &data, 4);
	memcpy(start + 8, &rel, 4);
	struct pac_regs r;
	tm_prot32(m, &r, KSTART);
	r.efer = 0x500; /* LME | LMA with paging off, as the integer tests do */
	r.seg[PAC_CS].attr = 0xa9b;
	r.cr0 = 0x33;
	r.cr4 = 0x600; /* OSFXSR | OSXMMEXCPT: the compiler may mix in SSE */
	pac_phys_write(m, KCODE, kc, n);
	for (int i = 0; i < nrefs; i++)
		pac_phys_write(m, (uint64_t)((int64_t)KCODE + (rip_refs[i] - kc)), rip_refs[i], 16);
	pac_phys_write(m, KDATA, io, sizeof *io);
	enum pac_exit_reason e = tm_run(m, &r, start, 13, KSTART);
	pac_phys_read(m, KDATA, io, sizeof *io);
	return e == PAC_EXIT_HLT;
}

static void set_ld(long double *d, uint64_t mant, uint16_t se)
{
	memset(d, 0, sizeof *d);
	memcpy(d, &mant, 8);
	memcpy((uint8_t *)d + 8, &se, 2);
}

int main(void)
{
	const uint8_t *kc = (const uint8_t *)(uintptr_t)&kernel;
	if (kc[0] == 0xf3 && kc[1] == 0x0f && kc[2] == 0x1e && kc[3] == 0xfa)
		kc += 4; /* endbr64 */
	size_t n = kernel_size(kc);
	if (!n) {
		printf("# kernel() makes calls with this compiler: skipped\n");
		return test_done("x87 compiled code");
	}
	static const struct { uint64_t m; uint16_t se; } v[] = {
		{ 0xc90fdaa22168c235ull, 0x4000 }, { 0xa000000000000000ull, 0xc002 },
		{ 0x8000000000000000ull, 0x3fff }, { 0, 0 }, { 0x8000000000000000ull, 0x7fff },
		{ 0xc000000000000000ull, 0x7fff }, { 0x0000000000001234ull, 0 },
		{ 0xffffffffffffffffull, 0x403d }, { 0x8000000000000000ull, 0x3001 },
		{ 0xb504f333f9de6484ull, 0x3fff },
	};
	const int nv = (int)(sizeof v / sizeof v[0]);
	pac_machine *m = tm_new();
	int bad = 0, cases = 0;
	for (int a = 0; a < nv; a++) {
		for (int b = 0; b < nv; b++) {
			struct kio in, nat, emu;
			memset(&in, 0, sizeof in);
			set_ld(&in.ld[0], v[a].m, v[a].se);
			set_ld(&in.ld[1], v[b].m, v[b].se);
			set_ld(&in.ld[2], v[(a + b) % nv].m, v[(a + b) % nv].se);
			in.d[0] = 1.0 / (a + 1) - b;
			in.f[0] = (float)(a * 3 - b);
			in.i[0] = a * 1000 - b;
			in.i[1] = (a + b) % 7;
			in.ll[0] = (long long)a << (b * 6);
			nat = emu = in;
			kernel(&nat);
			cases++;
			if (!run_emulated(m, kc, n, &emu) || memcmp(&nat, &emu, sizeof nat)) {
				if (bad++ < 5)
					printf("# mismatch for inputs %d, %d\n", a, b);
			}
		}
	}
	CHECK(bad == 0, "%d of %d compiled-code runs differ from native", bad, cases);
	CHECK(n > 100, "kernel is %zu bytes", n);
	printf("# kernel() %zu bytes, %d RIP-relative constants, %d input sets\n", n, nrefs, cases);
	pac_destroy(m);
	return test_done("x87 compiled code");
}
