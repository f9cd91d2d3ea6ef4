/* SPDX-License-Identifier: MIT */
/* Differential harness for the SSE/MMX unit tests: the same instruction
 * bytes run natively on the host (x86-64, in an executable buffer) and in
 * libpaccpu (flat 32-bit protected mode, or 64-bit mode for REX forms),
 * from the same XMM0-2, MM0-1, EAX/ECX/EDX, RFLAGS, MXCSR and a 64-byte
 * memory operand addressed by [rbx]/[ebx]. Host exceptions stay masked. */
#ifndef PAC_TEST_SSE_HARNESS_H
#define PAC_TEST_SSE_HARNESS_H
#include <stdlib.h>
#include <sys/mman.h>
#include "test.h"
#include "machine_helpers.h"

struct sx_state {
	uint8_t xmm[3][16];  /* offset 0 */
	uint32_t mxcsr;      /* 48 */
	uint32_t pad0;
	uint64_t rax, rcx, rdx; /* 56, 64, 72 */
	uint64_t mm[2];      /* 80 */
	uint64_t rflags;     /* 96 */
	uint8_t mem[64] __attribute__((aligned(64))); /* 128 */
} __attribute__((aligned(64)));

#define SX_GUEST_CODE 0x1000u
#define SX_GUEST_MEM 0x20000u
#define SX_FLAGS_IN 0x202u

/* host prologue/epilogue around the instruction (rdi = state, rsi = mem) */
static const uint8_t sx_pro[] = {
	0x53, 0x48, 0x89, 0xf3,                         /* push rbx; mov rbx, rsi */
	0xf3, 0x0f, 0x6f, 0x07, 0xf3, 0x0f, 0x6f, 0x4f, 0x10, 0xf3, 0x0f, 0x6f, 0x57, 0x20,
	0x0f, 0xae, 0x57, 0x30,                         /* ldmxcsr [rdi+48] */
	0x48, 0x8b, 0x47, 0x38, 0x48, 0x8b, 0x4f, 0x40, 0x48, 0x8b, 0x57, 0x48,
	0x0f, 0x6f, 0x47, 0x50, 0x0f, 0x6f, 0x4f, 0x58, /* movq mm0/mm1 */
	0xff, 0x77, 0x60, 0x9d,                         /* push [rdi+96]; popfq */
};
static const uint8_t sx_epi[] = {
	0x9c, 0x8f, 0x47, 0x60,                         /* pushfq; pop [rdi+96] */
	0xf3, 0x0f, 0x7f, 0x07, 0xf3, 0x0f, 0x7f, 0x4f, 0x10, 0xf3, 0x0f, 0x7f, 0x57, 0x20,
	0x0f, 0xae, 0x5f, 0x30,                         /* stmxcsr [rdi+48] */
	0x48, 0x89, 0x47, 0x38, 0x48, 0x89, 0x4f, 0x40, 0x48, 0x89, 0x57, 0x48,
	0x0f, 0x7f, 0x47, 0x50, 0x0f, 0x7f, 0x4f, 0x58, 0x0f, 0x77, /* movq; emms */
	0x5b, 0xc3,                                     /* pop rbx; ret */
};

static uint8_t *sx_exec_buf;
static pac_machine *sx_m;

static inline void sx_host_run(const uint8_t *insn, unsigned len, struct sx_state *s)
{
	if (!sx_exec_buf) {
		sx_exec_buf = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
				   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (sx_exec_buf == MAP_FAILED) {
			printf("not ok - cannot map executable memory\n");
			exit(1);
		}
	}
	unsigned n = 0;
	memcpy(sx_exec_buf, sx_pro, sizeof sx_pro);
	n += sizeof sx_pro;
	memcpy(sx_exec_buf + n, insn, len);
	n += len;
	memcpy(sx_exec_buf + n, sx_epi, sizeof sx_epi);
	__builtin___clear_cache((char *)sx_exec_buf, (char *)sx_exec_buf + 4096);
	void (*fn)(struct sx_state *, uint8_t *) = (void (*)(struct sx_state *, uint8_t *))(uintptr_t)sx_exec_buf;
	fn(s, s->mem);
}

/* guest state in and out through pac_set_fpu/pac_get_fpu (FXSAVE image) */
static inline void sx_put_fpu(const struct sx_state *s)
{
	struct pac_fpu_state f;
	memset(&f, 0, sizeof f);
	f.fxsave[0] = 0x7f; f.fxsave[1] = 0x03; /* FCW */
	memcpy(f.fxsave + 24, &s->mxcsr, 4);
	for (int i = 0; i < 2; i++) {
		memcpy(f.fxsave + 32 + 16 * i, &s->mm[i], 8);
		f.fxsave[32 + 16 * i + 8] = 0xff;
		f.fxsave[32 + 16 * i + 9] = 0xff;
	}
	f.fxsave[4] = 0x03;
	for (int i = 0; i < 3; i++)
		memcpy(f.fxsave + 160 + 16 * i, s->xmm[i], 16);
	pac_set_fpu(sx_m, 0, &f);
}

static inline void sx_get_fpu(struct sx_state *s)
{
	struct pac_fpu_state f;
	pac_get_fpu(sx_m, 0, &f);
	memcpy(&s->mxcsr, f.fxsave + 24, 4);
	for (int i = 0; i < 2; i++)
		memcpy(&s->mm[i], f.fxsave + 32 + 16 * i, 8);
	for (int i = 0; i < 3; i++)
		memcpy(s->xmm[i], f.fxsave + 160 + 16 * i, 16);
}

/* 64-bit mode for REX forms: identity map of 16 MiB with 2 MiB pages */
static bool sx_mode64;
#define SX_PML4 0x90000u
static inline void sx_long_mode(struct pac_regs *r)
{
	uint64_t e[3] = { (SX_PML4 + 0x1000) | 3, (SX_PML4 + 0x2000) | 3, 0 };
	pac_phys_write(sx_m, SX_PML4, &e[0], 8);
	pac_phys_write(sx_m, SX_PML4 + 0x1000, &e[1], 8);
	for (uint64_t i = 0; i < 8; i++) {
		e[2] = (i << 21) | 0x83;
		pac_phys_write(sx_m, SX_PML4 + 0x2000 + 8 * i, &e[2], 8);
	}
	r->cr0 = 0x80000011;
	r->cr3 = SX_PML4;
	r->cr4 = 0x620; /* PAE | OSFXSR | OSXMMEXCPT */
	r->efer = 0x500; /* LME | LMA */
	tm_seg(&r->seg[PAC_CS], 0x08, 0xa9b);
}

/* runs insn in the emulator (32-bit, or 64-bit with sx_mode64) */
static inline enum pac_exit_reason sx_emu_run(const uint8_t *insn, unsigned len, struct sx_state *s)
{
	if (!sx_m)
		sx_m = tm_new();
	struct pac_regs r;
	uint8_t code[1024];
	memcpy(code, insn, len);
	code[len] = 0xf4;
	tm_prot32(sx_m, &r, SX_GUEST_CODE);
	r.cr4 = 0x600; /* OSFXSR | OSXMMEXCPT */
	if (sx_mode64)
		sx_long_mode(&r);
	r.gpr[PAC_RAX] = s->rax;
	r.gpr[PAC_RCX] = s->rcx;
	r.gpr[PAC_RDX] = s->rdx;
	r.gpr[PAC_RBX] = SX_GUEST_MEM;
	r.gpr[PAC_RDI] = SX_GUEST_MEM + 32;
	r.rflags = s->rflags;
	pac_phys_write(sx_m, SX_GUEST_MEM, s->mem, sizeof s->mem);
	sx_put_fpu(s);
	enum pac_exit_reason why = tm_run(sx_m, &r, code, len + 1, SX_GUEST_CODE);
	pac_get_regs(sx_m, 0, &r);
	s->rax = r.gpr[PAC_RAX];
	s->rcx = r.gpr[PAC_RCX];
	s->rdx = r.gpr[PAC_RDX];
	s->rflags = r.rflags;
	pac_phys_read(sx_m, SX_GUEST_MEM, s->mem, sizeof s->mem);
	sx_get_fpu(s);
	return why;
}

/* deterministic generator (xorshift64*) */
static uint64_t sx_rng = 0x9e3779b97f4a7c15ull;
static inline uint64_t sx_rand(void)
{
	sx_rng ^= sx_rng >> 12;
	sx_rng ^= sx_rng << 25;
	sx_rng ^= sx_rng >> 27;
	return sx_rng * 0x2545f4914f6cdd1dull;
}

static const uint32_t sx_f32_pool[] = {
	0x00000000, 0x80000000, 0x3f800000, 0xbf800000, 0x3fc00000, 0x40490fdb, 0x00000001,
	0x807fffff, 0x00400000, 0x00800000, 0x80800000, 0x7f7fffff, 0xff7fffff, 0x7f800000,
	0xff800000, 0x7fc00000, 0xffc00001, 0x7f800001, 0xffa00000, 0x3eaaaaab, 0x4b000001,
	0x4f000000, 0xcf000000, 0x5f000000, 0xdf000001, 0x3f000000, 0xbfc00000, 0x40400000,
	0x34000000, 0x0c000000, 0x4effffff, 0x3effffff,
};
static const uint64_t sx_f64_pool[] = {
	0x0000000000000000ull, 0x8000000000000000ull, 0x3ff0000000000000ull, 0xbff0000000000000ull,
	0x3ff8000000000000ull, 0x400921fb54442d18ull, 0x0000000000000001ull, 0x800fffffffffffffull,
	0x0010000000000000ull, 0x7fefffffffffffffull, 0xffefffffffffffffull, 0x7ff0000000000000ull,
	0xfff0000000000000ull, 0x7ff8000000000000ull, 0xfff8000000000001ull, 0x7ff0000000000001ull,
	0xfff4000000000000ull, 0x3fd5555555555555ull, 0x41dfffffffc00000ull, 0xc1e0000000000000ull,
	0x41e0000000000000ull, 0x43e0000000000000ull, 0xc3e0000000000000ull, 0x3fe0000000000000ull,
	0xbff8000000000000ull, 0x36a0000000000000ull, 0x380fffffffffffffull, 0x47efffffe0000000ull,
	0x3810000000000000ull, 0x4330000000000001ull, 0x3fefffffffffffffull, 0x0008000000000000ull,
};

enum { SX_F32, SX_F64, SX_INT, SX_STR };
/* fills 16 bytes with pool values (kind F32/F64) or random bits */
static inline void sx_fill(uint8_t *v, int kind)
{
	if (kind == SX_STR) { /* small alphabet with NULs: string compares */
		static const uint8_t abc[] = { 'a', 'b', 'c', 'd', 'a', 'b', 0, 0x80, 0xff, 'z', 1, 'a' };
		int nul = (int)(sx_rand() % 40);
		for (int i = 0; i < 16; i++)
			v[i] = i == nul ? 0 : abc[sx_rand() % sizeof abc];
		return;
	}
	for (int i = 0; i < 4; i++) {
		uint64_t r = sx_rand();
		if (kind == SX_F32 && (r & 3)) {
			uint32_t f = sx_f32_pool[(r >> 8) % (sizeof sx_f32_pool / 4)];
			memcpy(v + 4 * i, &f, 4);
		} else if (kind == SX_F64 && (r & 3) && !(i & 1)) {
			uint64_t f = sx_f64_pool[(r >> 8) % (sizeof sx_f64_pool / 8)];
			memcpy(v + 4 * i, &f, 8);
			i++;
		} else {
			uint32_t x = (uint32_t)(r >> 16);
			if (kind == SX_INT && (r & 0x30) == 0)
				x = (uint32_t)((r >> 40) & 0x00ff00ff) * ((r & 0x40) ? 0x101u : 1u);
			memcpy(v + 4 * i, &x, 4);
		}
	}
}

static inline void sx_random_state(struct sx_state *s, int kind, uint32_t mxcsr)
{
	memset(s, 0, sizeof *s);
	for (int i = 0; i < 3; i++)
		sx_fill(s->xmm[i], kind);
	for (int i = 0; i < 4; i++)
		sx_fill(s->mem + 16 * i, kind);
	for (int i = 0; i < 2; i++)
		memcpy(&s->mm[i], s->xmm[2] + 8 * i, 8);
	s->mxcsr = mxcsr;
	uint64_t r = sx_rand();
	s->rax = sx_rand();
	s->rcx = sx_rand();
	s->rdx = sx_rand();
	if ((r & 7) == 0) { /* small lengths for PCMPESTRx */
		s->rax = (uint64_t)(int64_t)((int)((r >> 8) % 20) - 2);
		s->rdx = (uint64_t)(int64_t)((int)((r >> 16) % 20) - 2);
		if (r & 8) {
			s->rax &= 0xffffffff;
			s->rdx &= 0xffffffff;
		}
	}
	s->rflags = SX_FLAGS_IN | (r & 0x8d5);
}

struct sx_case {
	const char *name;
	uint8_t len;
	uint8_t bytes[24];
	uint8_t kind;  /* SX_F32, SX_F64, SX_INT operand pool */
};

/* a case whose length is counted from its bytes */
#define SXK(name, kind, ...) { name, sizeof((uint8_t[]){ __VA_ARGS__ }), { __VA_ARGS__ }, kind }

static const uint32_t sx_mxcsrs[] = { 0x1f80, 0x3f80, 0x5f80, 0x7f80, 0x9fc0, 0x1fbf, 0x8040 | 0x1f80 };

/* compares host and emulator after one case; returns true if equal */
static inline bool sx_compare(const struct sx_case *k, const struct sx_state *in,
		       const struct sx_state *h, const struct sx_state *e, enum pac_exit_reason why)
{
	bool ok = why == PAC_EXIT_HLT && !memcmp(h->xmm, e->xmm, sizeof h->xmm) &&
		  h->mxcsr == e->mxcsr && h->rax == e->rax && h->rcx == e->rcx &&
		  h->rdx == e->rdx && h->mm[0] == e->mm[0] && h->mm[1] == e->mm[1] &&
		  (h->rflags & 0x8d5) == (e->rflags & 0x8d5) && !memcmp(h->mem, e->mem, sizeof h->mem);
	if (ok)
		return true;
	printf("# %s: exit %d mxcsr in %#x\n", k->name, (int)why, in->mxcsr);
	for (int i = 0; i < 3; i++) {
		uint64_t a[2], b[2], c[2];
		memcpy(a, in->xmm[i], 16);
		memcpy(b, h->xmm[i], 16);
		memcpy(c, e->xmm[i], 16);
		printf("#  xmm%d in %016" PRIx64 ":%016" PRIx64 " host %016" PRIx64 ":%016" PRIx64
		       " emu %016" PRIx64 ":%016" PRIx64 "\n", i, a[1], a[0], b[1], b[0], c[1], c[0]);
	}
	uint64_t m0[2];
	memcpy(m0, in->mem, 16);
	printf("#  mem %016" PRIx64 ":%016" PRIx64 "\n", m0[1], m0[0]);
	printf("#  mxcsr host %#x emu %#x; rax %#" PRIx64 "/%#" PRIx64 " rcx %#" PRIx64 "/%#" PRIx64
	       " rdx %#" PRIx64 "/%#" PRIx64 " flags %#" PRIx64 "/%#" PRIx64 "\n",
	       h->mxcsr, e->mxcsr, h->rax, e->rax, h->rcx, e->rcx, h->rdx, e->rdx,
	       h->rflags & 0x8d5, e->rflags & 0x8d5);
	printf("#  mm0 %#" PRIx64 "/%#" PRIx64 " mm1 %#" PRIx64 "/%#" PRIx64 "\n", h->mm[0], e->mm[0], h->mm[1], e->mm[1]);
	return false;
}

/* runs every case `iters` times per MXCSR value; one CHECK per case */
static inline void sx_run_cases(const struct sx_case *cases, size_t n, int iters)
{
	for (size_t i = 0; i < n; i++) {
		const struct sx_case *k = &cases[i];
		int bad = 0, total = 0;
		for (size_t mi = 0; mi < sizeof sx_mxcsrs / 4; mi++) {
			for (int it = 0; it < iters; it++) {
				struct sx_state in, h, e;
				sx_random_state(&in, k->kind, sx_mxcsrs[mi]);
				h = in;
				e = in;
				sx_host_run(k->bytes, k->len, &h);
				enum pac_exit_reason why = sx_emu_run(k->bytes, k->len, &e);
				total++;
				if (!sx_compare(k, &in, &h, &e, why) && ++bad >= 3)
					goto next;
			}
		}
	next:
		CHECK(bad == 0, "%s: %d of %d runs differ from the host", k->name, bad, total);
	}
}
#endif
