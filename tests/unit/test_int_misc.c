/* SPDX-License-Identifier: MIT */
/* Integer instructions checked against values worked out independently:
 * #DE cases of DIV/IDIV/AAM, BCD adjust against decimal arithmetic,
 * ENTER/LEAVE with nesting, PUSHA/POPA, BOUND, CMPXCHG8B/16B, RDRAND,
 * MOVBE, CRC32 check value, BT with memory offsets, BSF/LZCNT corner cases,
 * SHLD 16-bit counts above 16, XLAT, SALC, mode and feature #UD. */
#include "int_harness.h"

#define HLT 0xf4
#define MEM 0x6000u

static uint64_t rd(uint64_t at, unsigned n)
{
	uint64_t v = 0;
	pac_phys_read(emu_machine(), at, &v, n);
	return v;
}
static void wr(uint64_t at, uint64_t v, unsigned n) { pac_phys_write(emu_machine(), at, &v, n); }

static void t_divide_errors(void)
{
	static const uint8_t div8[] = { 0xf6, 0xf3, HLT };        /* div bl */
	static const uint8_t div32[] = { 0xf7, 0xf3, HLT };       /* div ebx */
	static const uint8_t idiv8[] = { 0xf6, 0xfb, HLT };       /* idiv bl */
	static const uint8_t idiv16[] = { 0x66, 0xf7, 0xfb, HLT };/* idiv bx */
	static const uint8_t idiv32[] = { 0xf7, 0xfb, HLT };      /* idiv ebx */
	static const uint8_t div64[] = { 0x48, 0xf7, 0xf3, HLT }; /* div rbx */
	static const uint8_t idiv64[] = { 0x48, 0xf7, 0xfb, HLT };/* idiv rbx */
	struct xr x = { .g = { [0] = 1234, [3] = 0 } };
	CHECK_EQ(emu_run(32, div8, sizeof div8, &x), EXC_DE, "div bl by 0");
	CHECK_EQ(emu_ev.rip, CODE_AT, "#DE reports the faulting instruction");
	CHECK_EQ(x.g[0], 1234, "#DE leaves AX unchanged");
	x = (struct xr){ .g = { [0] = 0x1000, [3] = 0x10 } };
	CHECK_EQ(emu_run(32, div8, sizeof div8, &x), EXC_DE, "div bl: quotient 0x100 overflows");
	x = (struct xr){ .g = { [0] = 0x0fff, [3] = 0x10 } };
	CHECK_EQ(emu_run(32, div8, sizeof div8, &x), -1, "div bl: quotient 0xff fits");
	CHECK_EQ(x.g[0] & 0xffff, 0x0fff, "div bl: AH=0x0f AL=0xff");
	x = (struct xr){ .g = { [0] = 0, [2] = 1, [3] = 1 } };
	CHECK_EQ(emu_run(32, div32, sizeof div32, &x), EXC_DE, "div ebx: EDX:EAX=2^32 / 1");
	x = (struct xr){ .g = { [0] = 0x8000, [3] = 0xff } };
	CHECK_EQ(emu_run(32, idiv8, sizeof idiv8, &x), EXC_DE, "idiv bl: -32768 / -1");
	x = (struct xr){ .g = { [0] = 0xff80, [3] = 0x01 } };
	CHECK_EQ(emu_run(32, idiv8, sizeof idiv8, &x), -1, "idiv bl: -128 / 1 fits");
	CHECK_EQ(x.g[0] & 0xffff, 0x0080, "idiv bl: AL=-128, AH=0");
	x = (struct xr){ .g = { [0] = 0x0080, [3] = 0x01 } };
	CHECK_EQ(emu_run(32, idiv8, sizeof idiv8, &x), EXC_DE, "idiv bl: +128 / 1 overflows");
	x = (struct xr){ .g = { [0] = 0xfff9, [3] = 0x02 } }; /* -7 / 2 = -3 rem -1 */
	emu_run(32, idiv8, sizeof idiv8, &x);
	CHECK_EQ(x.g[0] & 0xffff, 0xfffd, "idiv bl: -7/2 -> AL=-3, AH=-1");
	x = (struct xr){ .g = { [0] = 0x8000, [2] = 0xffff, [3] = 0xffff } };
	CHECK_EQ(emu_run(32, idiv16, sizeof idiv16, &x), EXC_DE, "idiv bx: -32768 / -1");
	x = (struct xr){ .g = { [0] = 0x80000000, [2] = 0xffffffff, [3] = 0xffffffff } };
	CHECK_EQ(emu_run(32, idiv32, sizeof idiv32, &x), EXC_DE, "idiv ebx: INT_MIN / -1");
	x = (struct xr){ .g = { [0] = 0x80000000, [2] = 0xffffffff, [3] = 1 } };
	CHECK_EQ(emu_run(32, idiv32, sizeof idiv32, &x), -1, "idiv ebx: INT_MIN / 1");
	CHECK_EQ(x.g[0], 0x80000000, "idiv ebx: quotient INT_MIN");
	x = (struct xr){ .g = { [0] = 5, [2] = 0, [3] = 0 } };
	CHECK_EQ(emu_run(64, div64, sizeof div64, &x), EXC_DE, "div rbx by 0");
	x = (struct xr){ .g = { [0] = 0, [2] = 7, [3] = 7 } };
	CHECK_EQ(emu_run(64, div64, sizeof div64, &x), EXC_DE, "div rbx: quotient 2^64");
	x = (struct xr){ .g = { [0] = 0, [2] = 7, [3] = 8 } }; /* 7*2^64 / 8 */
	CHECK_EQ(emu_run(64, div64, sizeof div64, &x), -1, "div rbx: 7*2^64/8 fits");
	CHECK_EQ(x.g[0], 0xe000000000000000ull, "div rbx: quotient");
	x = (struct xr){ .g = { [0] = 1ull << 63, [2] = ~0ull, [3] = ~0ull } };
	CHECK_EQ(emu_run(64, idiv64, sizeof idiv64, &x), EXC_DE, "idiv rbx: INT64_MIN / -1");
	x = (struct xr){ .g = { [0] = 0, [2] = 1ull << 63, [3] = ~0ull } };
	CHECK_EQ(emu_run(64, idiv64, sizeof idiv64, &x), EXC_DE, "idiv rbx: -2^127 / -1 (no host UB)");
	x = (struct xr){ .g = { [0] = 1ull << 63, [2] = 0, [3] = 1 } };
	CHECK_EQ(emu_run(64, idiv64, sizeof idiv64, &x), EXC_DE, "idiv rbx: +2^63 / 1 overflows");
	x = (struct xr){ .g = { [0] = 1ull << 63, [2] = 0, [3] = ~0ull } };
	CHECK_EQ(emu_run(64, idiv64, sizeof idiv64, &x), -1, "idiv rbx: +2^63 / -1 = INT64_MIN fits");
	CHECK_EQ(x.g[0], 1ull << 63, "idiv rbx: quotient INT64_MIN");
	CHECK_EQ(x.g[2], 0, "idiv rbx: remainder 0");
	x = (struct xr){ .g = { [0] = (uint64_t)-100, [2] = ~0ull, [3] = 7 } };
	emu_run(64, idiv64, sizeof idiv64, &x);
	CHECK(x.g[0] == (uint64_t)-14 && x.g[2] == (uint64_t)-2, "idiv rbx: -100/7 = -14 rem -2");
}

static uint8_t bcd(unsigned v) { return (uint8_t)(((v / 10) << 4) | (v % 10)); }

static void t_bcd(void)
{
	static const uint8_t daa[] = { 0x00, 0xd8, 0x27, HLT };   /* add al, bl; daa */
	static const uint8_t das[] = { 0x28, 0xd8, 0x2f, HLT };   /* sub al, bl; das */
	static const uint8_t aaa[] = { 0x00, 0xd8, 0x37, HLT };   /* add al, bl; aaa */
	static const uint8_t aas[] = { 0x28, 0xd8, 0x3f, HLT };   /* sub al, bl; aas */
	unsigned bad = 0;
	for (unsigned a = 0; a < 100; a += 3) {
		for (unsigned b = 0; b < 100; b += 7) {
			struct xr x = { .g = { [0] = bcd(a), [3] = bcd(b) } };
			emu_run(32, daa, sizeof daa, &x);
			if ((x.g[0] & 0xff) != bcd((a + b) % 100) || !!(x.fl & 1) != (a + b >= 100))
				bad++;
			x = (struct xr){ .g = { [0] = bcd(a), [3] = bcd(b) } };
			emu_run(32, das, sizeof das, &x);
			if ((x.g[0] & 0xff) != bcd((a + 100 - b) % 100) || !!(x.fl & 1) != (a < b))
				bad++;
		}
	}
	CHECK_EQ(bad, 0, "DAA/DAS agree with decimal addition/subtraction");
	bad = 0;
	for (unsigned a = 0; a < 10; a++) {
		for (unsigned b = 0; b < 10; b++) {
			struct xr x = { .g = { [0] = 0x500 | a, [3] = b } };
			emu_run(32, aaa, sizeof aaa, &x);
			unsigned s = a + b;
			if ((x.g[0] & 0xffff) != ((5u + s / 10) << 8 | s % 10) || !!(x.fl & 1) != (s >= 10))
				bad++;
			x = (struct xr){ .g = { [0] = 0x500 | a, [3] = b } };
			emu_run(32, aas, sizeof aas, &x);
			unsigned hi = a < b ? 4 : 5, lo = (a + 10 - b) % 10;
			if ((x.g[0] & 0xffff) != (hi << 8 | lo) || !!(x.fl & 1) != (a < b))
				bad++;
		}
	}
	CHECK_EQ(bad, 0, "AAA/AAS agree with unpacked decimal arithmetic");
	static const uint8_t aam[] = { 0xd4, 0x0a, HLT }, aad[] = { 0xd5, 0x0a, HLT };
	static const uint8_t aam0[] = { 0xd4, 0x00, HLT }, aam16[] = { 0xd4, 0x10, HLT };
	struct xr x = { .g = { [0] = 79 } };
	emu_run(32, aam, sizeof aam, &x);
	CHECK_EQ(x.g[0] & 0xffff, 0x0709, "aam: 79 -> AH=7 AL=9");
	emu_run(32, aad, sizeof aad, &x);
	CHECK_EQ(x.g[0] & 0xffff, 79, "aad: AH=7 AL=9 -> 79");
	CHECK(!(x.fl & 0x40) && !(x.fl & 0x80), "aad: ZF=0, SF=0");
	x = (struct xr){ .g = { [0] = 0xab } };
	emu_run(32, aam16, sizeof aam16, &x);
	CHECK_EQ(x.g[0] & 0xffff, 0x0a0b, "aam 16 splits nibbles");
	x = (struct xr){ .g = { [0] = 0x55 } };
	CHECK_EQ(emu_run(32, aam0, sizeof aam0, &x), EXC_DE, "aam 0 -> #DE");
	CHECK_EQ(emu_run(64, daa + 2, 2, &x), EXC_UD, "daa in 64-bit mode -> #UD");
	CHECK_EQ(emu_run(64, aam, sizeof aam, &x), EXC_UD, "aam in 64-bit mode -> #UD");
	static const uint8_t salc[] = { 0xf9, 0xd6, 0x88, 0xc3, 0xf8, 0xd6, HLT }; /* stc salc mov bl,al clc salc */
	x = (struct xr){ .g = { [0] = 0x42 } };
	emu_run(32, salc, sizeof salc, &x);
	CHECK(((x.g[3] & 0xff) == 0xff) && ((x.g[0] & 0xff) == 0), "salc: FF with CF, 00 without");
	CHECK_EQ(emu_run(64, salc + 1, 1, &x), EXC_UD, "salc in 64-bit mode -> #UD");
}

static void t_enter_leave(void)
{
	/* enter 0x10, 3 with EBP = 0x7ff00 and two outer frame pointers */
	static const uint8_t code[] = { 0xc8, 0x10, 0x00, 0x03, HLT };
	wr(0x7fefc, 0x1111, 4);
	wr(0x7fef8, 0x2222, 4);
	struct xr x = { .g = { [4] = 0x80000, [5] = 0x7ff00 } };
	emu_run(32, code, sizeof code, &x);
	CHECK_EQ(rd(0x7fffc, 4), 0x7ff00, "enter: old EBP pushed");
	CHECK_EQ(rd(0x7fff8, 4), 0x1111, "enter: outer frame 1 copied");
	CHECK_EQ(rd(0x7fff4, 4), 0x2222, "enter: outer frame 2 copied");
	CHECK_EQ(rd(0x7fff0, 4), 0x7fffc, "enter: frame pointer pushed");
	CHECK_EQ(x.g[5], 0x7fffc, "enter: EBP = frame");
	CHECK_EQ(x.g[4], 0x7ffe0, "enter: ESP = frame - 12 - 16");
	static const uint8_t lv[] = { 0xc9, HLT };
	emu_run(32, lv, sizeof lv, &x);
	CHECK(x.g[4] == 0x80000 && x.g[5] == 0x7ff00, "leave undoes enter");
	/* level 0 and level 1 in 64-bit mode */
	static const uint8_t e0[] = { 0xc8, 0x08, 0x00, 0x00, HLT }, e1[] = { 0xc8, 0x00, 0x00, 0x01, HLT };
	x = (struct xr){ .g = { [4] = 0x80000, [5] = 0x123456789ull } };
	emu_run(64, e0, sizeof e0, &x);
	CHECK(rd(0x7fff8, 8) == 0x123456789ull && x.g[5] == 0x7fff8 && x.g[4] == 0x7fff0,
	      "enter 8,0 (64-bit)");
	x = (struct xr){ .g = { [4] = 0x80000, [5] = 0x5000 } };
	emu_run(64, e1, sizeof e1, &x);
	CHECK(rd(0x7fff0, 8) == 0x7fff8 && x.g[5] == 0x7fff8 && x.g[4] == 0x7fff0, "enter 0,1 (64-bit)");
	/* 16-bit operand size in 32-bit code: enter pushes words */
	static const uint8_t e16[] = { 0x66, 0xc8, 0x04, 0x00, 0x00, HLT };
	x = (struct xr){ .g = { [4] = 0x80000, [5] = 0xabcd1234 } };
	emu_run(32, e16, sizeof e16, &x);
	CHECK(rd(0x7fffe, 2) == 0x1234 && x.g[4] == 0x7fffa && x.g[5] == 0x7fffe, "enter (o16)");
}

static void t_pusha_bound(void)
{
	static const uint8_t code[] = { 0x60, 0x31, 0xc0, 0x31, 0xdb, 0x61, HLT }; /* pusha; xor; xor; popa */
	struct xr x = { .g = { 1, 2, 3, 4, 0x80000, 6, 7, 8 } };
	emu_run(32, code, sizeof code, &x);
	CHECK_EQ(rd(0x80000 - 4, 4), 1, "pusha: EAX first");
	CHECK_EQ(rd(0x80000 - 20, 4), 0x80000, "pusha: original ESP");
	CHECK_EQ(rd(0x80000 - 32, 4), 8, "pusha: EDI last");
	CHECK(x.g[0] == 1 && x.g[3] == 4 && x.g[4] == 0x80000 && x.g[7] == 8, "popa restores");
	CHECK_EQ(emu_run(64, code, 1, &x), EXC_UD, "pusha in 64-bit mode -> #UD");
	/* real mode: 16-bit PUSHA/POPA, upper register halves untouched */
	static const uint8_t code16[] = { 0x60, 0x31, 0xc0, 0x31, 0xf6, 0x61, HLT };
	x = (struct xr){ .g = { 0xaaaa0001, 2, 3, 4, 0x7000, 6, 0xbbbb0007, 8 } };
	emu_run(16, code16, sizeof code16, &x);
	CHECK_EQ(rd(0x7000 - 10, 2), 0x7000, "pusha (16-bit): original SP image");
	CHECK_EQ(rd(0x7000 - 14, 2), 7, "pusha (16-bit): SI");
	CHECK(x.g[0] == 0xaaaa0001 && x.g[6] == 0xbbbb0007 && x.g[4] == 0x7000,
	      "popa (16-bit) restores AX/SI (upper halves kept), SP back");
	/* bound eax, [MEM] with bounds -5 .. 100 */
	wr(MEM, (uint32_t)-5, 4);
	wr(MEM + 4, 100, 4);
	static const uint8_t bnd[] = { 0x62, 0x05, MEM & 0xff, MEM >> 8, 0, 0, HLT };
	x = (struct xr){ .g = { [0] = (uint32_t)-5 } };
	CHECK_EQ(emu_run(32, bnd, sizeof bnd, &x), -1, "bound: lower limit inside");
	x = (struct xr){ .g = { [0] = 100 } };
	CHECK_EQ(emu_run(32, bnd, sizeof bnd, &x), -1, "bound: upper limit inside");
	x = (struct xr){ .g = { [0] = 101 } };
	CHECK_EQ(emu_run(32, bnd, sizeof bnd, &x), EXC_BR, "bound: above -> #BR");
	x = (struct xr){ .g = { [0] = (uint32_t)-6 } };
	CHECK_EQ(emu_run(32, bnd, sizeof bnd, &x), EXC_BR, "bound: below (signed) -> #BR");
}

static void t_cmpxchg8b16b(void)
{
	static const uint8_t c8[] = { 0x0f, 0xc7, 0x0d, MEM & 0xff, MEM >> 8, 0, 0, HLT };
	wr(MEM, 0x1111111122222222ull, 8);
	struct xr x = { .g = { [0] = 0x22222222, [2] = 0x11111111, [1] = 0xcccc, [3] = 0xbbbb } };
	emu_run(32, c8, sizeof c8, &x);
	CHECK(rd(MEM, 8) == 0x0000cccc0000bbbbull && (x.fl & 0x40), "cmpxchg8b equal: stores ECX:EBX, ZF=1");
	x = (struct xr){ .g = { [0] = 1, [2] = 2, [1] = 3, [3] = 4 } };
	emu_run(32, c8, sizeof c8, &x);
	CHECK(x.g[0] == 0xbbbb && x.g[2] == 0xcccc && !(x.fl & 0x40), "cmpxchg8b unequal: loads EDX:EAX, ZF=0");
	/* cmpxchg16b [MEM] in 64-bit mode (absolute via SIB, no RIP-relative) */
	static const uint8_t c16[] = { 0x48, 0x0f, 0xc7, 0x0c, 0x25, MEM & 0xff, MEM >> 8, 0, 0, HLT };
	wr(MEM, 0xa, 8);
	wr(MEM + 8, 0xb, 8);
	x = (struct xr){ .g = { [0] = 0xa, [2] = 0xb, [1] = 0xc1c1c1c1c1c1ull, [3] = 0xb1b1b1b1b1b1ull } };
	emu_run(64, c16, sizeof c16, &x);
	CHECK(rd(MEM, 8) == 0xb1b1b1b1b1b1ull && rd(MEM + 8, 8) == 0xc1c1c1c1c1c1ull && (x.fl & 0x40),
	      "cmpxchg16b equal");
	x = (struct xr){ .g = { 0 } };
	emu_run(64, c16, sizeof c16, &x);
	CHECK(x.g[0] == 0xb1b1b1b1b1b1ull && x.g[2] == 0xc1c1c1c1c1c1ull && !(x.fl & 0x40), "cmpxchg16b unequal");
	static const uint8_t c16u[] = { 0x48, 0x0f, 0xc7, 0x0c, 0x25, (MEM + 8) & 0xff, MEM >> 8, 0, 0, HLT };
	CHECK_EQ(emu_run(64, c16u, sizeof c16u, &x), EXC_GP, "cmpxchg16b misaligned -> #GP");
	static const uint8_t c8r[] = { 0x0f, 0xc7, 0xc8, HLT };
	CHECK_EQ(emu_run(32, c8r, sizeof c8r, &x), EXC_UD, "cmpxchg8b register form -> #UD");
}

/* xorshift64* as documented in docs/deviations.md, seeded like machine.c */
static uint64_t ref_rng(uint64_t *s)
{
	uint64_t v = *s;
	v ^= v >> 12;
	v ^= v << 25;
	v ^= v >> 27;
	*s = v;
	return v * 0x2545F4914F6CDD1Dull;
}

static void t_rdrand(void)
{
	pac_machine *m = tm_new(); /* fresh machine: seed 1, state untouched */
	struct pac_regs r;
	static const uint8_t code[] = { 0x48, 0x0f, 0xc7, 0xf0, 0x48, 0x0f, 0xc7, 0xfb, HLT }; /* rdrand rax; rdseed rbx */
	tm_prot32(m, &r, CODE_AT);
	r.efer = 0x500;
	r.seg[PAC_CS].attr = 0xa9b;
	r.rflags = 2 | 0x8d4;
	tm_run(m, &r, code, sizeof code, CODE_AT);
	pac_get_regs(m, 0, &r);
	uint64_t s = 1 * 0x9e3779b97f4a7c15ull + 0 + 1;
	uint64_t a = ref_rng(&s), b = ref_rng(&s);
	CHECK_EQ(r.gpr[PAC_RAX], a, "rdrand: first value of the seeded sequence");
	CHECK_EQ(r.gpr[PAC_RBX], b, "rdseed: next value");
	CHECK_EQ(r.rflags & ARITH, 1, "rdrand: CF=1, other flags 0");
	pac_destroy(m);
	static const uint8_t r16[] = { 0x66, 0x0f, 0xc7, 0xf0, HLT };
	struct xr x = { .g = { [0] = 0xffffffffffff0000ull } };
	emu_run(64, r16, sizeof r16, &x);
	CHECK_EQ(x.g[0] >> 16, 0xffffffffffffull, "rdrand ax keeps the upper bits");
}

static void t_movbe_crc(void)
{
	wr(MEM, 0x0102030405060708ull, 8);
	static const uint8_t ld[] = { 0x0f, 0x38, 0xf0, 0x05, MEM & 0xff, MEM >> 8, 0, 0, HLT };
	struct xr x = { 0 };
	emu_run(32, ld, sizeof ld, &x);
	CHECK_EQ(x.g[0], 0x08070605, "movbe eax, [m]");
	static const uint8_t st16[] = { 0x66, 0x0f, 0x38, 0xf1, 0x1d, MEM & 0xff, MEM >> 8, 0, 0, HLT };
	x = (struct xr){ .g = { [3] = 0xaabb } };
	emu_run(32, st16, sizeof st16, &x);
	CHECK_EQ(rd(MEM, 2), 0xbbaa, "movbe [m], bx");
	static const uint8_t ld64[] = { 0x48, 0x0f, 0x38, 0xf0, 0x04, 0x25, MEM & 0xff, MEM >> 8, 0, 0, HLT };
	emu_run(64, ld64, sizeof ld64, &x);
	CHECK_EQ(x.g[0], 0xaabb060504030201ull, "movbe rax, [m] (64-bit)");
	static const uint8_t reg[] = { 0x0f, 0x38, 0xf0, 0xc3, HLT };
	CHECK_EQ(emu_run(32, reg, sizeof reg, &x), EXC_UD, "movbe register form -> #UD");
	/* CRC-32C check value: "123456789" -> 0xE3069283 (init and final ~0) */
	pac_phys_write(emu_machine(), MEM, "123456789", 9);
	static const uint8_t crc[] = {
		0xf2, 0x0f, 0x38, 0xf1, 0x06,       /* crc32 eax, dword [esi] */
		0xf2, 0x0f, 0x38, 0xf1, 0x46, 0x04, /* crc32 eax, dword [esi+4] */
		0xf2, 0x0f, 0x38, 0xf0, 0x46, 0x08, /* crc32 eax, byte [esi+8] */
		HLT };
	x = (struct xr){ .g = { [0] = 0xffffffff, [6] = MEM } };
	emu_run(32, crc, sizeof crc, &x);
	CHECK_EQ(x.g[0] ^ 0xffffffff, 0xe3069283, "crc32c check value");
}

static void t_bit_memory(void)
{
	static const uint8_t bts32[] = { 0x0f, 0xab, 0x05, MEM & 0xff, MEM >> 8, 0, 0, HLT }; /* bts [MEM], eax */
	static const uint8_t bts16[] = { 0x66, 0x0f, 0xab, 0x05, MEM & 0xff, MEM >> 8, 0, 0, HLT };
	static const uint8_t btc64[] = { 0x48, 0x0f, 0xbb, 0x04, 0x25, MEM & 0xff, MEM >> 8, 0, 0, HLT };
	static const uint8_t btimm[] = { 0x0f, 0xba, 0x2d, MEM & 0xff, MEM >> 8, 0, 0, 36, HLT }; /* bts [MEM], 36 */
	uint8_t z[64] = { 0 };
	pac_phys_write(emu_machine(), MEM - 32, z, 64);
	struct xr x = { .g = { [0] = (uint32_t)-1 } };
	emu_run(32, bts32, sizeof bts32, &x);
	CHECK_EQ(rd(MEM - 4, 4), 0x80000000u, "bts [m], -1 sets bit 31 of the dword below");
	CHECK(!(x.fl & 1), "bts: CF = old bit (0)");
	emu_run(32, bts32, sizeof bts32, &x);
	CHECK(x.fl & 1, "bts again: CF = 1");
	x = (struct xr){ .g = { [0] = 100 } };
	emu_run(32, bts32, sizeof bts32, &x);
	CHECK_EQ(rd(MEM + 12, 4), 0x10, "bts [m], 100 -> bit 4 of dword +12");
	x = (struct xr){ .g = { [0] = 0xffff } };
	emu_run(32, bts16, sizeof bts16, &x);
	CHECK_EQ(rd(MEM - 2, 2), 0x8000, "bts word [m], -1 (16-bit offset)");
	x = (struct xr){ .g = { [0] = 200 } };
	emu_run(64, btc64, sizeof btc64, &x);
	CHECK_EQ(rd(MEM + 24, 8), 0x100, "btc qword [m], 200 -> bit 8 of qword +24");
	x = (struct xr){ .g = { [0] = (uint64_t)-65 } };
	emu_run(64, btc64, sizeof btc64, &x);
	CHECK_EQ(rd(MEM - 16, 8), 1ull << 63, "btc qword [m], -65 -> bit 63 of qword -16");
	emu_run(32, btimm, sizeof btimm, &x);
	CHECK_EQ(rd(MEM, 4), 0x10, "bts [m], 36: immediate offset stays in the operand (36 mod 32)");
}

static void t_bsf_lz_shld(void)
{
	/* BSF/BSR with a zero source leave the whole destination alone */
	static const uint8_t bsf64[] = { 0x0f, 0xbc, 0xc3, HLT }; /* bsf eax, ebx */
	struct xr x = { .g = { [0] = 0x1122334455667788ull, [3] = 0 } };
	emu_run(64, bsf64, sizeof bsf64, &x);
	CHECK(x.g[0] == 0x1122334455667788ull && (x.fl & 0x40), "bsf eax, 0: rax unchanged, ZF=1");
	/* SHLD/SHRD 16-bit count 20: pattern dest:src:dest (docs/deviations.md) */
	static const uint8_t shld[] = { 0x66, 0x0f, 0xa4, 0xd8, 20, HLT };
	static const uint8_t shrd[] = { 0x66, 0x0f, 0xac, 0xd8, 20, HLT };
	x = (struct xr){ .g = { [0] = 0x1234, [3] = 0x5678 } };
	emu_run(32, shld, sizeof shld, &x);
	CHECK_EQ(x.g[0] & 0xffff, 0x6781, "shld ax, bx, 20");
	x = (struct xr){ .g = { [0] = 0x1234, [3] = 0x5678 } };
	emu_run(32, shrd, sizeof shrd, &x);
	CHECK_EQ(x.g[0] & 0xffff, 0x4567, "shrd ax, bx, 20");
	/* shift with count 0 and a memory operand: flags untouched */
	static const uint8_t shl0[] = { 0xd3, 0x25, MEM & 0xff, MEM >> 8, 0, 0, HLT }; /* shl [MEM], cl */
	wr(MEM, 0x80000001u, 4);
	x = (struct xr){ .g = { [1] = 32 }, .fl = 0x8d5 };
	emu_run(32, shl0, sizeof shl0, &x);
	CHECK(rd(MEM, 4) == 0x80000001u && (x.fl & ARITH) == 0x8d5, "shl [m], 32: masked count 0");
	x.g[1] = 1;
	emu_run(32, shl0, sizeof shl0, &x);
	CHECK(rd(MEM, 4) == 2 && (x.fl & 0x801) == 0x801, "shl [m], 1: CF=1, OF=1");
	/* rcl with 8-bit operand: count mod 9 */
	static const uint8_t rcl9[] = { 0xc0, 0xd0, 9, HLT }; /* rcl al, 9 */
	x = (struct xr){ .g = { [0] = 0x81 }, .fl = 1 };
	emu_run(32, rcl9, sizeof rcl9, &x);
	CHECK(((x.g[0] & 0xff) == 0x81) && (x.fl & 1), "rcl al, 9 is a full rotation");
	static const uint8_t xlat[] = { 0xd7, HLT };
	wr(MEM + 0x10, 0x99, 1);
	x = (struct xr){ .g = { [0] = 0x10, [3] = MEM } };
	emu_run(32, xlat, sizeof xlat, &x);
	CHECK_EQ(x.g[0] & 0xff, 0x99, "xlat");
}

static void t_features(void)
{
	/* qemu64 model: no BMI1 (TZCNT executes as BSF), no MOVBE, no BMI */
	struct pac_config cfg = { .ncpus = 1, .seed = 1, .cpu_model = "qemu64" };
	int err;
	pac_machine *m = pac_create(&cfg, &err);
	pac_map_ram(m, 0, TM_RAM, NULL);
	struct pac_regs r;
	static const uint8_t tz[] = { 0xf3, 0x0f, 0xbc, 0xc3, HLT }; /* tzcnt eax, ebx */
	tm_prot32(m, &r, CODE_AT);
	r.gpr[PAC_RAX] = 77;
	r.gpr[PAC_RBX] = 0;
	tm_run(m, &r, tz, sizeof tz, CODE_AT);
	pac_get_regs(m, 0, &r);
	CHECK(r.gpr[PAC_RAX] == 77 && (r.rflags & 0x40), "qemu64: F3 0F BC is BSF (zero source)");
	static const uint8_t andn[] = { 0xc4, 0xe2, 0x70, 0xf2, 0xc3, HLT };
	tm_prot32(m, &r, CODE_AT);
	CHECK_EQ(tm_run(m, &r, andn, sizeof andn, CODE_AT) != PAC_EXIT_HLT, 1, "qemu64: andn -> #UD");
	pac_destroy(m);
	struct xr x = { .g = { [3] = 0 } };
	emu_run(32, tz, sizeof tz, &x);
	CHECK(x.g[0] == 32 && (x.fl & 1), "zen4: tzcnt 0 = 32, CF=1");
	static const uint8_t andn_l1[] = { 0xc4, 0xe2, 0x74, 0xf2, 0xc3, HLT }; /* VEX.L = 1 */
	CHECK_EQ(emu_run(64, andn_l1, sizeof andn_l1, &x), EXC_UD, "andn with VEX.L=1 -> #UD");
	static const uint8_t andn16[] = { 0xc4, 0xe2, 0x70, 0xf2, 0xc3, HLT };
	CHECK_EQ(emu_run(16, andn16, sizeof andn16, &x), EXC_UD, "VEX (andn) in real mode -> #UD");
	static const uint8_t rorx_v[] = { 0xc4, 0xe3, 0x73, 0xf0, 0xc3, 1, HLT }; /* vvvv = rcx */
	CHECK_EQ(emu_run(64, rorx_v, sizeof rorx_v, &x), EXC_UD, "rorx with vvvv != 1111b -> #UD");
	/* BMI in 32-bit mode: VEX.W ignored, 32-bit operation */
	static const uint8_t andn32[] = { 0xc4, 0xe2, 0xf0, 0xf2, 0xc3, HLT };
	x = (struct xr){ .g = { [1] = 0xf0f0f0f0, [3] = 0xffffffff } };
	emu_run(32, andn32, sizeof andn32, &x);
	CHECK_EQ(x.g[0], 0x0f0f0f0f, "andn in 32-bit mode (W ignored)");
}

/* LOCK: legal only on the memory forms of BTS/BTR/BTC and CMPXCHG8B here */
static void t_lock(void)
{
	static const uint8_t lbts[] = { 0xf0, 0x0f, 0xab, 0x05, MEM & 0xff, MEM >> 8, 0, 0, HLT };
	static const uint8_t lbtsr[] = { 0xf0, 0x0f, 0xab, 0xd8, HLT };          /* lock bts eax, ebx */
	static const uint8_t lbt[] = { 0xf0, 0x0f, 0xa3, 0x05, MEM & 0xff, MEM >> 8, 0, 0, HLT };
	static const uint8_t lshl[] = { 0xf0, 0xd1, 0x25, MEM & 0xff, MEM >> 8, 0, 0, HLT };
	static const uint8_t lc8[] = { 0xf0, 0x0f, 0xc7, 0x0d, MEM & 0xff, MEM >> 8, 0, 0, HLT };
	static const uint8_t lmovs[] = { 0xf0, 0xa4, HLT };
	struct xr x = { .g = { [6] = MEM, [7] = MEM + 16 } };
	CHECK_EQ(emu_run(32, lbts, sizeof lbts, &x), -1, "lock bts [m], eax is legal");
	CHECK_EQ(emu_run(32, lc8, sizeof lc8, &x), -1, "lock cmpxchg8b is legal");
	CHECK_EQ(emu_run(32, lbtsr, sizeof lbtsr, &x), EXC_UD, "lock bts reg -> #UD");
	CHECK_EQ(emu_run(32, lbt, sizeof lbt, &x), EXC_UD, "lock bt [m] -> #UD");
	CHECK_EQ(emu_run(32, lshl, sizeof lshl, &x), EXC_UD, "lock shl [m] -> #UD");
	CHECK_EQ(emu_run(32, lmovs, sizeof lmovs, &x), EXC_UD, "lock movsb -> #UD");
}

int main(void)
{
	t_lock();
	t_divide_errors();
	t_bcd();
	t_enter_leave();
	t_pusha_bound();
	t_cmpxchg8b16b();
	t_rdrand();
	t_movbe_crc();
	t_bit_memory();
	t_bsf_lz_shld();
	t_features();
	return test_done("int_misc");
}
