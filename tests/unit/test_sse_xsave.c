/* SPDX-License-Identifier: MIT */
/* FXSAVE/FXRSTOR and XSAVE/XSAVEOPT/XRSTOR: image layout in 32-bit and
 * 64-bit (REX.W) formats, the abridged tag word and its reconstruction,
 * XMM8-15 only in 64-bit mode, EFER.FFXSR fast form, MXCSR checks, the
 * XSAVE header (XSTATE_BV update, init on restore, #GP on bad headers),
 * alignment, and the CR4.OSXSAVE / CR0.TS gating. */
#include "segtest.h"

#define MEM 0x20000u
#define EFER_FFXSR_BIT (1ull << 14)

static uint16_t rd16(const uint8_t *p) { uint16_t v; memcpy(&v, p, 2); return v; }
static uint32_t rd32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static uint64_t rd64(const uint8_t *p) { uint64_t v; memcpy(&v, p, 8); return v; }

/* a recognisable state: TOS 5, tags 0xa5, pointers, ST values, XMM i = i*0x11 bytes */
static void set_state(pac_machine *m)
{
	struct pac_fpu_state f;
	memset(&f, 0, sizeof f);
	uint16_t fcw = 0x027f, fsw = 0x2800 | 0x41, fop = 0x1d5;
	memcpy(f.fxsave, &fcw, 2);
	memcpy(f.fxsave + 2, &fsw, 2);
	f.fxsave[4] = 0xa5;
	memcpy(f.fxsave + 6, &fop, 2);
	uint64_t fip = 0x123456789abcull, fdp = 0xfedcba987654ull;
	memcpy(f.fxsave + 8, &fip, 8);
	memcpy(f.fxsave + 16, &fdp, 8);
	uint32_t mx = 0x9fa0;
	memcpy(f.fxsave + 24, &mx, 4);
	for (int i = 0; i < 8; i++) {
		uint64_t mant = 0x8000000000000000ull | (uint64_t)i << 40;
		uint16_t se = (uint16_t)(0x3fff + i);
		memcpy(f.fxsave + 32 + 16 * i, &mant, 8);
		memcpy(f.fxsave + 40 + 16 * i, &se, 2);
	}
	for (int i = 0; i < 16; i++)
		memset(f.fxsave + 160 + 16 * i, 0x11 * (i + 1), 16);
	pac_set_fpu(m, 0, &f);
}

static int run_code(pac_machine *m, struct pac_regs *r, const uint8_t *code, size_t len)
{
	r->rip = ST_CODE;
	r->gpr[PAC_RSP] = ST_STACK0;
	r->gpr[PAC_RBX] = MEM;
	st_run(m, r, code, len);
	if (r->rip == ST_CODE + len)
		return -1;
	for (int v = 0; v < 32; v++)
		if (r->rip == st_handler(v) + 1)
			return v;
	return -2;
}

static void fill(pac_machine *m, uint8_t v, size_t n)
{
	uint8_t buf[1024];
	memset(buf, v, sizeof buf);
	pac_phys_write(m, MEM, buf, n);
}

static void t_fxsave32(void)
{
	static const uint8_t code[] = { 0x0f, 0xae, 0x03, 0xf4 };
	struct pac_regs r;
	pac_machine *m = st_prot32(&r);
	r.cr4 = 0x600;
	set_state(m);
	fill(m, 0xcc, 1024);
	CHECK_EQ(run_code(m, &r, code, sizeof code), -1, "fxsave");
	uint8_t img[512];
	pac_phys_read(m, MEM, img, 512);
	CHECK_EQ(rd16(img), 0x027f, "FCW");
	CHECK_EQ(rd16(img + 2), 0x2841, "FSW");
	CHECK_EQ(img[4], 0xa5, "abridged FTW");
	CHECK_EQ(img[5], 0, "reserved byte 5");
	CHECK_EQ(rd16(img + 6), 0x1d5, "FOP");
	CHECK_EQ(rd32(img + 8), 0x56789abc, "FIP (32-bit format)");
	CHECK_EQ(rd16(img + 12), 0, "FCS");
	CHECK_EQ(rd32(img + 16), 0xba987654, "FDP");
	CHECK_EQ(rd32(img + 24), 0x9fa0, "MXCSR");
	CHECK_EQ(rd32(img + 28), 0xffff, "MXCSR_MASK");
	CHECK_EQ(rd64(img + 32 + 16 * 3), 0x8000030000000000ull, "ST3 mantissa");
	CHECK_EQ(rd16(img + 40 + 16 * 3), 0x4002, "ST3 exponent");
	CHECK_EQ(rd16(img + 42 + 16 * 3), 0, "ST3 reserved bytes zero");
	CHECK_EQ(img[160 + 16 * 7], 0x88, "XMM7");
	CHECK_EQ(img[160 + 16 * 8], 0xcc, "XMM8 not written outside 64-bit mode");
	CHECK_EQ(img[500], 0xcc, "bytes 464-511 untouched");
	pac_destroy(m);
}

/* FXRSTOR rebuilds the full tag word from the abridged one and the
 * register contents; FNSTENV shows it */
static void t_fxrstor_tags(void)
{
	static const uint8_t code[] = {
		0x0f, 0xae, 0x0b,                         /* fxrstor [ebx] */
		0xd9, 0xb3, 0x00, 0x02, 0x00, 0x00,       /* fnstenv [ebx+0x200] */
		0xf4,
	};
	struct pac_regs r;
	pac_machine *m = st_prot32(&r);
	r.cr4 = 0x600;
	uint8_t img[512];
	memset(img, 0, sizeof img);
	uint16_t fcw = 0x037f, fsw = 2 << 11;
	memcpy(img, &fcw, 2);
	memcpy(img + 2, &fsw, 2);
	img[4] = 0x7d; /* R0, R2-R6 non-empty */
	uint16_t fcs = 0x1234, fds = 0x5678;
	memcpy(img + 12, &fcs, 2);
	memcpy(img + 20, &fds, 2);
	/* ST(i) = R((2 + i) & 7): R2 1.0, R3 0, R4 inf, R5 denormal, R6 unnormal, R0 2.0 */
	static const struct { uint64_t mant; uint16_t se; } st[8] = {
		{ 0x8000000000000000ull, 0x3fff }, { 0, 0 }, { 0x8000000000000000ull, 0x7fff },
		{ 1, 0 }, { 0x4000000000000000ull, 0x3fff }, { 0, 0 },
		{ 0x8000000000000000ull, 0x4000 }, { 0, 0 },
	};
	for (int i = 0; i < 8; i++) {
		memcpy(img + 32 + 16 * i, &st[i].mant, 8);
		memcpy(img + 40 + 16 * i, &st[i].se, 2);
	}
	uint32_t mx = 0x1f80;
	memcpy(img + 24, &mx, 4);
	pac_phys_write(m, MEM, img, 512);
	CHECK_EQ(run_code(m, &r, code, sizeof code), -1, "fxrstor + fnstenv");
	uint8_t env[28];
	pac_phys_read(m, MEM + 0x200, env, 28);
	CHECK_EQ(rd16(env + 8), 0xea4c, "full tag word rebuilt");
	CHECK_EQ(rd16(env + 16), 0x1234, "FCS restored");
	CHECK_EQ(rd16(env + 24), 0x5678, "FDS restored");
	/* reserved MXCSR bit in the image: #GP, state unchanged */
	mx = 0x10000;
	pac_phys_write(m, MEM + 24, &mx, 4);
	CHECK_EQ(run_code(m, &r, code, sizeof code), 13, "fxrstor with bad MXCSR -> #GP");
	pac_destroy(m);
}

static void t_fxsave64(void)
{
	static const uint8_t code[] = {
		0x48, 0x0f, 0xae, 0x03,                   /* fxsave64 [rbx] */
		0x0f, 0xae, 0x83, 0x00, 0x02, 0x00, 0x00, /* fxsave [rbx+0x200] */
		0xf4,
	};
	struct pac_regs r;
	pac_machine *m = st_long64(&r);
	r.cr4 |= 0x600;
	set_state(m);
	fill(m, 0xcc, 1024);
	CHECK_EQ(run_code(m, &r, code, sizeof code), -1, "fxsave64");
	uint8_t a[512], b[512];
	pac_phys_read(m, MEM, a, 512);
	pac_phys_read(m, MEM + 0x200, b, 512);
	CHECK_EQ(rd64(a + 8), 0x123456789abcull, "FIP 64-bit");
	CHECK_EQ(rd64(a + 16), 0xfedcba987654ull, "FDP 64-bit");
	CHECK_EQ(rd32(b + 8), 0x56789abc, "FIP 32-bit form");
	CHECK_EQ(a[160 + 16 * 15], 0x10, "XMM15 saved in 64-bit mode");
	/* fast FXSAVE/FXRSTOR: EFER.FFXSR, CPL 0, 64-bit mode */
	static const uint8_t fast[] = {
		0x0f, 0xae, 0x03,                         /* fxsave [rbx] */
		0x66, 0x0f, 0xef, 0xc0,                   /* pxor xmm0, xmm0 */
		0x0f, 0xae, 0x0b,                         /* fxrstor [rbx] */
		0xf4,
	};
	fill(m, 0xcc, 1024);
	r.efer |= EFER_FFXSR_BIT;
	CHECK_EQ(run_code(m, &r, fast, sizeof fast), -1, "fast fxsave");
	pac_phys_read(m, MEM, a, 512);
	CHECK_EQ(a[160], 0xcc, "fast FXSAVE skips XMM");
	CHECK_EQ(rd32(a + 24), 0x9fa0, "fast FXSAVE still stores MXCSR");
	struct pac_fpu_state f;
	pac_get_fpu(m, 0, &f);
	CHECK_EQ(f.fxsave[160], 0, "fast FXRSTOR leaves XMM0 (zeroed by PXOR)");
	pac_destroy(m);
}

static pac_machine *xs_machine(struct pac_regs *r)
{
	pac_machine *m = st_prot32(r);
	r->cr4 = 0x600 | (1u << 18); /* OSFXSR | OSXMMEXCPT | OSXSAVE */
	r->xcr0 = 3;
	return m;
}

static void t_xsave(void)
{
	static const uint8_t xsave[] = { 0x0f, 0xae, 0x23, 0xf4 };     /* xsave [ebx] */
	static const uint8_t xsaveopt[] = { 0x0f, 0xae, 0x33, 0xf4 };  /* xsaveopt [ebx] */
	static const uint8_t fxsave[] = { 0x0f, 0xae, 0x83, 0x00, 0x04, 0x00, 0x00, 0xf4 };
	struct pac_regs r;
	pac_machine *m = xs_machine(&r);
	set_state(m);
	fill(m, 0xcc, 1024);
	uint64_t bv = 4; /* a bit outside RFBM survives */
	pac_phys_write(m, MEM + 512, &bv, 8);
	r.gpr[PAC_RAX] = 1;
	r.gpr[PAC_RDX] = 0;
	CHECK_EQ(run_code(m, &r, xsave, sizeof xsave), -1, "xsave x87 only");
	uint8_t a[576], b[512];
	pac_phys_read(m, MEM, a, 576);
	CHECK_EQ(rd64(a + 512), 5, "XSTATE_BV = old | x87");
	CHECK_EQ(rd16(a), 0x027f, "x87 saved");
	CHECK_EQ(rd32(a + 24), 0xcccccccc, "MXCSR not saved without RFBM[1]");
	CHECK_EQ(a[160], 0xcc, "XMM not saved without RFBM[1]");
	CHECK_EQ(a[520], 0xcc, "XCOMP_BV not written");
	r.gpr[PAC_RAX] = 3;
	CHECK_EQ(run_code(m, &r, xsaveopt, sizeof xsaveopt), -1, "xsaveopt x87+sse");
	CHECK_EQ(run_code(m, &r, fxsave, sizeof fxsave), -1, "fxsave for comparison");
	pac_phys_read(m, MEM, a, 576);
	pac_phys_read(m, MEM + 0x400, b, 512);
	CHECK(!memcmp(a, b, 288), "legacy region equals the FXSAVE image");
	CHECK_EQ(rd64(a + 512), 7, "XSTATE_BV = 7");
	pac_destroy(m);
}

static void t_xrstor(void)
{
	static const uint8_t xrstor[] = { 0x0f, 0xae, 0x2b, 0xf4 }; /* xrstor [ebx] */
	struct pac_regs r;
	pac_machine *m = xs_machine(&r);
	set_state(m);
	uint8_t img[576];
	memset(img, 0, sizeof img);
	uint16_t fcw = 0x0263;
	memcpy(img, &fcw, 2);
	uint32_t mx = 0x1f80 | 0x6000;
	memcpy(img + 24, &mx, 4);
	memset(img + 160, 0x5a, 256);
	uint64_t bv = 1; /* SSE component in init state */
	memcpy(img + 512, &bv, 8);
	pac_phys_write(m, MEM, img, sizeof img);
	r.gpr[PAC_RAX] = 3;
	r.gpr[PAC_RDX] = 0;
	CHECK_EQ(run_code(m, &r, xrstor, sizeof xrstor), -1, "xrstor");
	struct pac_fpu_state f;
	pac_get_fpu(m, 0, &f);
	CHECK_EQ(rd16(f.fxsave), 0x0263, "x87 loaded");
	CHECK_EQ(rd32(f.fxsave + 24), 0x7f80, "MXCSR loaded although XSTATE_BV[1] = 0");
	CHECK_EQ(rd64(f.fxsave + 160), 0, "XMM0 initialised");
	CHECK_EQ(rd64(f.fxsave + 160 + 16 * 7), 0, "XMM7 initialised");
	CHECK_EQ(f.fxsave[160 + 16 * 8], 0x99, "XMM8 untouched outside 64-bit mode");
	/* XSTATE_BV = 0, RFBM = 1: x87 initialised, MXCSR untouched */
	bv = 0;
	pac_phys_write(m, MEM + 512, &bv, 8);
	mx = 0xffffffff; /* ignored: RFBM[1] = RFBM[2] = 0 */
	pac_phys_write(m, MEM + 24, &mx, 4);
	r.gpr[PAC_RAX] = 1;
	CHECK_EQ(run_code(m, &r, xrstor, sizeof xrstor), -1, "xrstor x87 init");
	pac_get_fpu(m, 0, &f);
	CHECK_EQ(rd16(f.fxsave), 0x037f, "FCW init");
	CHECK_EQ(rd16(f.fxsave + 2), 0, "FSW init");
	CHECK_EQ(f.fxsave[4], 0, "all tags empty");
	CHECK_EQ(rd32(f.fxsave + 24), 0x7f80, "MXCSR unchanged");
	pac_destroy(m);
}

static void t_xrstor_faults(void)
{
	static const uint8_t xrstor[] = { 0x0f, 0xae, 0x2b, 0xf4 };
	static const uint8_t xrstor16[] = { 0x0f, 0xae, 0x6b, 0x10, 0xf4 }; /* [ebx+16] */
	static const struct {
		const char *name;
		unsigned off;
		uint64_t v;
		uint64_t rax;
		int vec;
	} t[] = {
		{ "XSTATE_BV bit outside XCR0", 512, 4, 3, 13 },
		{ "XCOMP_BV non-zero", 520, 1, 3, 13 },
		{ "XCOMP_BV compacted", 520, 1ull << 63, 3, 13 },
		{ "header bytes 16-23", 528, 1, 3, 13 },
		{ "MXCSR reserved with RFBM[1]", 24, 0x10000, 2, 13 },
		{ "MXCSR reserved ignored with RFBM = 1", 24, 0x10000, 1, -1 },
		{ "reserved header bytes 24-63 ignored", 560, 1, 3, -1 },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct pac_regs r;
		pac_machine *m = xs_machine(&r);
		uint8_t img[576];
		memset(img, 0, sizeof img);
		uint32_t mx = 0x1f80;
		memcpy(img + 24, &mx, 4);
		memcpy(img + t[i].off, &t[i].v, 8);
		pac_phys_write(m, MEM, img, sizeof img);
		r.gpr[PAC_RAX] = t[i].rax;
		r.gpr[PAC_RDX] = 0;
		int v = run_code(m, &r, xrstor, sizeof xrstor);
		CHECK(v == t[i].vec, "%s: vector %d, want %d", t[i].name, v, t[i].vec);
		pac_destroy(m);
	}
	struct pac_regs r;
	pac_machine *m = xs_machine(&r);
	CHECK_EQ(run_code(m, &r, xrstor16, sizeof xrstor16), 13, "xrstor misaligned -> #GP");
	r.cr4 &= ~(1ull << 18);
	CHECK_EQ(run_code(m, &r, xrstor, sizeof xrstor), 6, "xrstor without OSXSAVE -> #UD");
	r.cr4 |= 1ull << 18;
	r.cr0 |= 8;
	CHECK_EQ(run_code(m, &r, xrstor, sizeof xrstor), 7, "xrstor with TS -> #NM");
	pac_destroy(m);
}

int main(void)
{
	t_fxsave32();
	t_fxrstor_tags();
	t_fxsave64();
	t_xsave();
	t_xrstor();
	t_xrstor_faults();
	return test_done("sse_xsave");
}
