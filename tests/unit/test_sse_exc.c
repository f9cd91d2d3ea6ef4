/* SPDX-License-Identifier: MIT */
/* SSE/MMX exceptions: #XM vs #UD by CR4.OSXMMEXCPT for unmasked MXCSR
 * exceptions (destination unchanged, flags set; pre-computation exceptions
 * suppress post-computation flags), #GP(0) for misaligned legacy-SSE m128
 * operands (not for the unaligned forms or scalar operands), #UD without
 * CR4.OSFXSR or with CR0.EM, #NM with CR0.TS, LDMXCSR reserved bits, CPUID
 * feature gating, VEX forms, and the MMX view of the x87 registers. */
#include "segtest.h"

#define MEM 0x20000u
#define EXC_XM_VEC 19

static void put_fpu(pac_machine *m, uint32_t mxcsr, const uint32_t x0[4], const uint32_t x1[4])
{
	struct pac_fpu_state f;
	memset(&f, 0, sizeof f);
	f.fxsave[0] = 0x7f;
	f.fxsave[1] = 0x03;
	memcpy(f.fxsave + 24, &mxcsr, 4);
	memcpy(f.fxsave + 160, x0, 16);
	memcpy(f.fxsave + 176, x1, 16);
	CHECK_EQ(pac_set_fpu(m, 0, &f), PAC_OK, "pac_set_fpu");
}

static void get_fpu(pac_machine *m, struct pac_fpu_state *f) { pac_get_fpu(m, 0, f); }
static uint32_t fpu32(const struct pac_fpu_state *f, unsigned off)
{
	uint32_t v;
	memcpy(&v, f->fxsave + off, 4);
	return v;
}

/* runs code at CPL 0 in 32-bit protected mode with the given CR0/CR4;
 * returns the vector whose handler ran, or -1 if the code reached its HLT */
static int run(pac_machine *m, struct pac_regs *r, uint64_t cr0, uint64_t cr4, const uint8_t *code,
	       size_t len)
{
	r->cr0 = cr0;
	r->cr4 = cr4;
	r->rip = ST_CODE;
	r->gpr[PAC_RSP] = ST_STACK0;
	r->rflags = 2 | (r->rflags & 0x8d5);
	r->gpr[PAC_RBX] = MEM;
	st_run(m, r, code, len);
	if (r->rip == ST_CODE + len)
		return -1;
	for (int v = 0; v < 32; v++)
		if (r->rip == st_handler(v) + 1)
			return v;
	return -2;
}

static const uint32_t ones[4] = { 0x3f800000, 0x3f800000, 0x3f800000, 0x3f800000 };
static const uint32_t zeros[4] = { 0, 0, 0, 0 };

static void t_xm(void)
{
	static const uint8_t divps[] = { 0x0f, 0x5e, 0xc1, 0xf4 };
	struct pac_regs r;
	pac_machine *m = st_prot32(&r);
	struct pac_fpu_state f;
	/* ZE unmasked, OSXMMEXCPT set: #XM, xmm0 unchanged, ZE flagged */
	put_fpu(m, 0x1f80 & ~0x200u, ones, zeros);
	CHECK_EQ(run(m, &r, 0x11, 0x600, divps, sizeof divps), EXC_XM_VEC, "divps/0 -> #XM");
	get_fpu(m, &f);
	CHECK_EQ(fpu32(&f, 160), 0x3f800000, "xmm0 unchanged after #XM");
	CHECK_EQ(fpu32(&f, 24), 0x1d84, "MXCSR.ZE set");
	/* without OSXMMEXCPT: #UD */
	pac_destroy(m);
	m = st_prot32(&r);
	put_fpu(m, 0x1f80 & ~0x200u, ones, zeros);
	CHECK_EQ(run(m, &r, 0x11, 0x200, divps, sizeof divps), 6, "divps/0 without OSXMMEXCPT -> #UD");
	/* masked: result inf, flag, no exception */
	pac_destroy(m);
	m = st_prot32(&r);
	put_fpu(m, 0x1f80, ones, zeros);
	CHECK_EQ(run(m, &r, 0x11, 0x600, divps, sizeof divps), -1, "masked divps/0 completes");
	get_fpu(m, &f);
	CHECK_EQ(fpu32(&f, 160), 0x7f800000, "1/0 = +inf");
	CHECK_EQ(fpu32(&f, 24), 0x1f84, "ZE flag");
	/* IE unmasked and PE in another lane: only the pre-computation flag */
	static const uint32_t a[4] = { 0x7f800001, 0x3f800000, 0, 0 }; /* SNaN, 1 */
	static const uint32_t b[4] = { 0x3f800000, 0x0c000000, 0, 0 }; /* 1, tiny */
	static const uint8_t addps[] = { 0x0f, 0x58, 0xc1, 0xf4 };
	pac_destroy(m);
	m = st_prot32(&r);
	put_fpu(m, 0x1f80 & ~0x80u, a, b);
	CHECK_EQ(run(m, &r, 0x11, 0x600, addps, sizeof addps), EXC_XM_VEC, "SNaN with IM=0 -> #XM");
	get_fpu(m, &f);
	CHECK_EQ(fpu32(&f, 24), 0x1f01, "only IE reported (PE suppressed)");
	/* PE unmasked alone: post-computation exception, flag set, no result */
	pac_destroy(m);
	m = st_prot32(&r);
	put_fpu(m, 0x1f80 & ~0x1000u, ones, b);
	CHECK_EQ(run(m, &r, 0x11, 0x600, addps, sizeof addps), EXC_XM_VEC, "inexact with PM=0 -> #XM");
	get_fpu(m, &f);
	CHECK_EQ(fpu32(&f, 24), 0x0fa0, "PE set");
	CHECK_EQ(fpu32(&f, 164), 0x3f800000, "xmm0 lane 1 unchanged");
	/* COMISS with QNaN and IM=0: #XM, EFLAGS not written */
	static const uint32_t qn[4] = { 0x7fc00000, 0, 0, 0 };
	static const uint8_t comiss[] = { 0x0f, 0x2f, 0xc1, 0xf4 };
	pac_destroy(m);
	m = st_prot32(&r);
	put_fpu(m, 0x1f80 & ~0x80u, qn, ones);
	r.rflags = 0x2 | 0x800;
	CHECK_EQ(run(m, &r, 0x11, 0x600, comiss, sizeof comiss), EXC_XM_VEC, "comiss QNaN -> #XM");
	pac_destroy(m);
	m = st_prot32(&r);
	put_fpu(m, 0x1f80 & ~0x80u, qn, ones);
	static const uint8_t ucomiss[] = { 0x0f, 0x2e, 0xc1, 0xf4 };
	CHECK_EQ(run(m, &r, 0x11, 0x600, ucomiss, sizeof ucomiss), -1, "ucomiss QNaN: no exception");
	CHECK_EQ(r.rflags & 0x8d5, 0x45, "unordered: ZF PF CF");
	pac_destroy(m);
}

static void t_align(void)
{
	static const struct {
		const char *name;
		uint8_t code[8];
		uint8_t len;
		int vec;
	} t[] = {
		{ "movaps [ebx+8]", { 0x0f, 0x28, 0x43, 0x08, 0xf4 }, 5, 13 },
		{ "movups [ebx+8]", { 0x0f, 0x10, 0x43, 0x08, 0xf4 }, 5, -1 },
		{ "addps [ebx+8]", { 0x0f, 0x58, 0x43, 0x08, 0xf4 }, 5, 13 },
		{ "addss [ebx+1]", { 0xf3, 0x0f, 0x58, 0x43, 0x01, 0xf4 }, 6, -1 },
		{ "movdqa store [ebx+3]", { 0x66, 0x0f, 0x7f, 0x4b, 0x03, 0xf4 }, 6, 13 },
		{ "movdqu store [ebx+3]", { 0xf3, 0x0f, 0x7f, 0x4b, 0x03, 0xf4 }, 6, -1 },
		{ "pcmpistri [ebx+1]", { 0x66, 0x0f, 0x3a, 0x63, 0x43, 0x01, 0x00, 0xf4 }, 8, -1 },
		{ "lddqu [ebx+1]", { 0xf2, 0x0f, 0xf0, 0x43, 0x01, 0xf4 }, 6, -1 },
		{ "paddb xmm [ebx+4]", { 0x66, 0x0f, 0xfc, 0x43, 0x04, 0xf4 }, 6, 13 },
		{ "paddb mm [ebx+4]", { 0x0f, 0xfc, 0x43, 0x04, 0xf4 }, 5, -1 },
		{ "pmovzxbw [ebx+1]", { 0x66, 0x0f, 0x38, 0x30, 0x43, 0x01, 0xf4 }, 7, -1 },
		{ "fxsave [ebx+8]", { 0x0f, 0xae, 0x43, 0x08, 0xf4 }, 5, 13 },
		{ "fxrstor [ebx+4]", { 0x0f, 0xae, 0x4b, 0x04, 0xf4 }, 5, 13 },
		{ "ldmxcsr [ebx+1]", { 0x0f, 0xae, 0x53, 0x01, 0xf4 }, 5, -1 },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct pac_regs r;
		pac_machine *m = st_prot32(&r);
		uint32_t mx = 0x1f80;
		pac_phys_write(m, MEM + 1, &mx, 4);
		put_fpu(m, 0x1f80, ones, ones);
		st_log_events(m);
		int v = run(m, &r, 0x11, 0x600, t[i].code, t[i].len);
		CHECK(v == t[i].vec, "%s: vector %d, want %d", t[i].name, v, t[i].vec);
		if (t[i].vec == 13)
			CHECK(st_nev >= 1 && st_evs[0].has_err && st_evs[0].err == 0, "%s: #GP(0)", t[i].name);
		pac_destroy(m);
	}
}

/* CR0/CR4 gating: OSFXSR, EM, TS for SSE, MMX and FXSAVE rows */
static void t_gating(void)
{
	static const uint8_t addps[] = { 0x0f, 0x58, 0xc1, 0xf4 };
	static const uint8_t movd[] = { 0x0f, 0x6e, 0xc0, 0xf4 };
	static const uint8_t fxsave[] = { 0x0f, 0xae, 0x03, 0xf4 };
	static const uint8_t emms[] = { 0x0f, 0x77, 0xf4 };
	static const struct {
		const char *name;
		const uint8_t *code;
		size_t len;
		uint64_t cr0, cr4;
		int vec;
	} t[] = {
		{ "addps !OSFXSR", addps, 4, 0x11, 0, 6 },
		{ "movd mm !OSFXSR", movd, 4, 0x11, 0, -1 },
		{ "fxsave !OSFXSR", fxsave, 4, 0x11, 0, -1 },
		{ "addps EM", addps, 4, 0x15, 0x600, 6 },
		{ "movd mm EM", movd, 4, 0x15, 0x600, 6 },
		{ "fxsave EM", fxsave, 4, 0x15, 0x600, 7 },
		{ "addps TS", addps, 4, 0x19, 0x600, 7 },
		{ "movd mm TS", movd, 4, 0x19, 0x600, 7 },
		{ "fxsave TS", fxsave, 4, 0x19, 0x600, 7 },
		{ "emms TS", emms, 3, 0x19, 0x600, 7 },
		{ "emms EM", emms, 3, 0x15, 0x600, 6 },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct pac_regs r;
		pac_machine *m = st_prot32(&r);
		int v = run(m, &r, t[i].cr0, t[i].cr4, t[i].code, t[i].len);
		CHECK(v == t[i].vec, "%s: vector %d, want %d", t[i].name, v, t[i].vec);
		pac_destroy(m);
	}
}

static void t_ldmxcsr(void)
{
	static const uint8_t code[] = { 0x0f, 0xae, 0x13, 0xf4 }; /* ldmxcsr [ebx] */
	struct pac_regs r;
	pac_machine *m = st_prot32(&r);
	struct pac_fpu_state f;
	uint32_t v = 0x10000 | 0x1f80;
	pac_phys_write(m, MEM, &v, 4);
	CHECK_EQ(run(m, &r, 0x11, 0x600, code, sizeof code), 13, "LDMXCSR reserved bit -> #GP");
	v = 0xffff;
	pac_phys_write(m, MEM, &v, 4);
	CHECK_EQ(run(m, &r, 0x11, 0x600, code, sizeof code), -1, "LDMXCSR 0xffff");
	get_fpu(m, &f);
	CHECK_EQ(fpu32(&f, 24), 0xffff, "MXCSR loaded");
	CHECK_EQ(fpu32(&f, 28), 0xffff, "MXCSR_MASK");
	memset(f.fxsave + 24, 0xff, 4);
	CHECK_EQ(pac_set_fpu(m, 0, &f), PAC_ERR_INVAL, "pac_set_fpu rejects reserved MXCSR bits");
	pac_destroy(m);
}

/* rows gated by CPUID (qemu64 has SSE3 but no SSSE3/SSE4), VEX, LOCK */
static void t_features(void)
{
	static const struct {
		const char *name;
		uint8_t code[8];
		uint8_t len;
		int vec;
	} t[] = {
		{ "haddps (SSE3)", { 0xf2, 0x0f, 0x7c, 0xc1, 0xf4 }, 5, -1 },
		{ "pshufb (SSSE3)", { 0x66, 0x0f, 0x38, 0x00, 0xc1, 0xf4 }, 6, 6 },
		{ "pshufb mm (SSSE3)", { 0x0f, 0x38, 0x00, 0xc1, 0xf4 }, 5, 6 },
		{ "pmulld (SSE4.1)", { 0x66, 0x0f, 0x38, 0x40, 0xc1, 0xf4 }, 6, 6 },
		{ "pcmpgtq (SSE4.2)", { 0x66, 0x0f, 0x38, 0x37, 0xc1, 0xf4 }, 6, 6 },
		{ "xsave (XSAVE)", { 0x0f, 0xae, 0x23, 0xf4 }, 4, 6 },
		{ "aesenc (AES)", { 0x66, 0x0f, 0x38, 0xdc, 0xc1, 0xf4 }, 6, 6 },
		{ "pclmulqdq (PCLMUL)", { 0x66, 0x0f, 0x3a, 0x44, 0xc1, 0x00, 0xf4 }, 7, 6 },
		{ "vaddps (VEX)", { 0xc5, 0xf8, 0x58, 0xc1, 0xf4 }, 5, 6 },
		{ "lock addps", { 0xf0, 0x0f, 0x58, 0xc1, 0xf4 }, 5, 6 },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct pac_regs r;
		pac_machine *m = tm_new_model("qemu64");
		st_tables(m);
		tm_prot32(m, &r, ST_CODE);
		r.gdtr = (struct pac_dtr){ ST_GDT, 0xff };
		r.idtr = (struct pac_dtr){ ST_IDT, 0x7ff };
		r.gpr[PAC_RSP] = ST_STACK0;
		int v = run(m, &r, 0x11, 0x600, t[i].code, t[i].len);
		CHECK(v == t[i].vec, "%s: vector %d, want %d", t[i].name, v, t[i].vec);
		pac_destroy(m);
	}
}

/* MMX registers are the x87 mantissas: exponent all ones, TOS 0, tags valid;
 * EMMS empties the tags (seen through FXSAVE) */
static void t_mmx_view(void)
{
	static const uint8_t code[] = {
		0xb8, 0x78, 0x56, 0x34, 0x12, /* mov eax, 0x12345678 */
		0x0f, 0x6e, 0xd8,             /* movd mm3, eax */
		0x0f, 0xae, 0x03,             /* fxsave [ebx] */
		0x0f, 0x77,                   /* emms */
		0x0f, 0xae, 0x83, 0x00, 0x02, 0x00, 0x00, /* fxsave [ebx+0x200] */
		0xf4,
	};
	struct pac_regs r;
	pac_machine *m = st_prot32(&r);
	struct pac_fpu_state f;
	memset(&f, 0, sizeof f);
	f.fxsave[0] = 0x7f;
	f.fxsave[1] = 0x03;
	f.fxsave[3] = 0x18; /* TOS = 3 */
	f.fxsave[24] = 0x80;
	f.fxsave[25] = 0x1f;
	pac_set_fpu(m, 0, &f);
	CHECK_EQ(run(m, &r, 0x11, 0x600, code, sizeof code), -1, "mmx sequence");
	uint8_t img[512], img2[512];
	pac_phys_read(m, MEM, img, 512);
	pac_phys_read(m, MEM + 0x200, img2, 512);
	uint64_t mant;
	uint16_t sexp, fsw;
	memcpy(&mant, img + 32 + 3 * 16, 8);
	memcpy(&sexp, img + 32 + 3 * 16 + 8, 2);
	memcpy(&fsw, img + 2, 2);
	CHECK_EQ(mant, 0x12345678, "mm3 in ST3 mantissa (TOS 0)");
	CHECK_EQ(sexp, 0xffff, "exponent all ones");
	CHECK_EQ((fsw >> 11) & 7, 0, "TOS = 0");
	CHECK_EQ(img[4], 0xff, "abridged tag: all valid");
	CHECK_EQ(img2[4], 0x00, "after EMMS: all empty");
	pac_destroy(m);
}

int main(void)
{
	t_xm();
	t_align();
	t_gating();
	t_ldmxcsr();
	t_features();
	t_mmx_view();
	return test_done("sse_exc");
}
