/* SPDX-License-Identifier: MIT */
/* Shared by the x87 unit tests: build a snippet of x87 code that only
 * addresses memory as [ebx+disp8] (the same bytes mean [rbx+disp8] in
 * 64-bit mode), run it in the emulator (flat 32-bit protected mode,
 * CR0 = PE|MP|ET|NE) and natively on the host, and compare the two data
 * areas. The snippet ends with FNSAVE, which is non-waiting and
 * reinitialises the FPU, so the native side never takes #MF. */
#ifndef PAC_X87_HARNESS_H
#define PAC_X87_HARNESS_H
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include "test.h"
#include "machine_helpers.h"

#define XH_CODE 0x1000u
#define XH_DATA 0x2000u   /* data area, 256 bytes; EBX = XH_DATA + 0x80 */
#define XH_SIZE 256
/* offsets relative to EBX */
enum { XA = -0x80, XB = -0x70, XC = -0x60, XCW = -0x50, XFLIN = -0x40, XFLOUT = -0x38,
       XM = -0x30, XSAVE = 0x00 };

struct snip {
	uint8_t b[96];
	int n;
};
static inline void sn_bytes(struct snip *s, int n, const uint8_t *p)
{
	memcpy(s->b + s->n, p, (size_t)n);
	s->n += n;
}
static inline void sn2(struct snip *s, uint8_t a, uint8_t b)
{
	uint8_t t[2] = { a, b };
	sn_bytes(s, 2, t);
}
/* escape byte + /reg with [ebx+disp8] */
static inline void sn_mem(struct snip *s, uint8_t esc, int reg, int disp)
{
	uint8_t t[3] = { esc, (uint8_t)(0x43 | reg << 3), (uint8_t)disp };
	sn_bytes(s, 3, t);
}
/* fninit; fldcw [XCW]; push [XFLIN]; popf  (RFLAGS in: 8 bytes natively) */
static inline void sn_prologue(struct snip *s)
{
	static const uint8_t p[] = { 0xdb, 0xe3, 0xd9, 0x6b, (uint8_t)XCW, 0xff, 0x73, (uint8_t)XFLIN,
				     0x9d };
	s->n = 0;
	sn_bytes(s, sizeof p, p);
}
/* pushf; pop [XFLOUT]; fnsave [XSAVE] */
static inline void sn_epilogue(struct snip *s)
{
	static const uint8_t p[] = { 0x9c, 0x8f, 0x43, (uint8_t)XFLOUT, 0xdd, 0x73, XSAVE };
	sn_bytes(s, sizeof p, p);
}

struct xh {
	pac_machine *m;
	uint8_t *exec; /* host page for the native run */
	bool wx;       /* no RWX mappings allowed: flip RW/RX around each write */
};

static inline void xh_init(struct xh *h)
{
	h->m = tm_new();
	h->wx = false;
	h->exec = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (h->exec == MAP_FAILED) {
		h->wx = true;
		h->exec = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	}
	if (h->exec == MAP_FAILED) {
		perror("mmap");
		exit(2);
	}
}

static inline void xh_fini(struct xh *h)
{
	munmap(h->exec, 4096);
	pac_destroy(h->m);
}

/* native: push rbx; mov rbx, rdi; <snippet>; pop rbx; ret */
static inline void xh_native(struct xh *h, const struct snip *s, uint8_t *data)
{
	static const uint8_t pre[] = { 0x53, 0x48, 0x89, 0xfb };
	if (h->wx)
		mprotect(h->exec, 4096, PROT_READ | PROT_WRITE);
	memcpy(h->exec, pre, sizeof pre);
	memcpy(h->exec + sizeof pre, s->b, (size_t)s->n);
	h->exec[sizeof pre + s->n] = 0x5b;
	h->exec[sizeof pre + s->n + 1] = 0xc3;
	__builtin___clear_cache((char *)h->exec, (char *)h->exec + 128);
	if (h->wx)
		mprotect(h->exec, 4096, PROT_READ | PROT_EXEC);
	void (*fn)(uint8_t *) = (void (*)(uint8_t *))(void *)h->exec;
	fn(data + 0x80);
}

/* emulated: same bytes then HLT; returns the exit reason */
static inline enum pac_exit_reason xh_emul(struct xh *h, const struct snip *s, uint8_t *data,
					   uint64_t cr0)
{
	struct pac_regs r;
	uint8_t code[128];
	memcpy(code, s->b, (size_t)s->n);
	code[s->n] = 0xf4;
	pac_phys_write(h->m, XH_DATA, data, XH_SIZE);
	tm_prot32(h->m, &r, XH_CODE);
	r.cr0 = cr0;
	r.gpr[PAC_RBX] = XH_DATA + 0x80;
	enum pac_exit_reason e = tm_run(h->m, &r, code, (size_t)s->n + 1, XH_CODE);
	pac_phys_read(h->m, XH_DATA, data, XH_SIZE);
	return e;
}

/* FNSAVE image bytes 12..27 (FIP/FCS/FOP/FDP/FDS) hold host addresses on
 * the native side: compared separately by the pointer tests. */
static inline bool xh_same(const uint8_t *a, const uint8_t *b)
{
	for (int i = 0; i < XH_SIZE; i++) {
		int rel = i - 0x80;
		if (rel >= XSAVE + 12 && rel < XSAVE + 28)
			continue;
		/* RFLAGS out: arithmetic flags and OF only (IF, upper half differ) */
		if (rel >= XFLOUT + 2 && rel < XFLOUT + 8)
			continue;
		if (rel == XFLOUT + 1 && ((a[i] ^ b[i]) & 0x08) == 0)
			continue;
		if (a[i] != b[i])
			return false;
	}
	return true;
}

static inline void xh_dump(const char *what, const uint8_t *d)
{
	printf("# %s: sw %02x%02x tw %02x%02x fl %02x st0 ", what, d[0x85], d[0x84], d[0x89], d[0x88],
	       d[0x80 + XFLOUT]);
	for (int i = 9; i >= 0; i--)
		printf("%02x", d[0x80 + 28 + i]);
	printf(" m ");
	for (int i = 0; i < 10; i++)
		printf("%02x", d[0x80 + XM + i]);
	printf("\n");
}
#endif
