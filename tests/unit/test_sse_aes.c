/* SPDX-License-Identifier: MIT */
/* AES-NI and PCLMULQDQ against the host CPU (random states and keys,
 * register and memory operands, every PCLMULQDQ selector and several
 * AESKEYGENASSIST round constants), plus the FIPS-197 C.1 AES-128 example
 * run as a full key expansion + encryption in the guest. */
#include "test_sse_harness.h"

static const struct sx_case cases[] = {
	SXK("aesenc", SX_INT, 0x66, 0x0f, 0x38, 0xdc, 0xc1),
	SXK("aesenc mem", SX_INT, 0x66, 0x0f, 0x38, 0xdc, 0x03),
	SXK("aesenclast", SX_INT, 0x66, 0x0f, 0x38, 0xdd, 0xc1),
	SXK("aesdec", SX_INT, 0x66, 0x0f, 0x38, 0xde, 0xc1),
	SXK("aesdeclast", SX_INT, 0x66, 0x0f, 0x38, 0xdf, 0xc1),
	SXK("aesimc", SX_INT, 0x66, 0x0f, 0x38, 0xdb, 0xc1),
	SXK("aeskeygenassist 01", SX_INT, 0x66, 0x0f, 0x3a, 0xdf, 0xc1, 0x01),
	SXK("aeskeygenassist 36", SX_INT, 0x66, 0x0f, 0x3a, 0xdf, 0xc1, 0x36),
	SXK("aeskeygenassist ff", SX_INT, 0x66, 0x0f, 0x3a, 0xdf, 0x03, 0xff),
	SXK("pclmulqdq 00", SX_INT, 0x66, 0x0f, 0x3a, 0x44, 0xc1, 0x00),
	SXK("pclmulqdq 01", SX_INT, 0x66, 0x0f, 0x3a, 0x44, 0xc1, 0x01),
	SXK("pclmulqdq 10", SX_INT, 0x66, 0x0f, 0x3a, 0x44, 0xc1, 0x10),
	SXK("pclmulqdq 11", SX_INT, 0x66, 0x0f, 0x3a, 0x44, 0xc1, 0x11),
	SXK("pclmulqdq mem", SX_INT, 0x66, 0x0f, 0x3a, 0x44, 0x03, 0x11),
};

/* FIPS-197 appendix C.1: key 000102..0f, plaintext 00112233..ff ->
 * 69c4e0d86a7b0430d8cdb78070b4c55a, computed by guest code that expands
 * the key with AESKEYGENASSIST and runs ten AESENC/AESENCLAST rounds */
static void t_fips197(void)
{
	static const uint8_t key[16] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 };
	static const uint8_t pt[16] = { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
					0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff };
	static const uint8_t ct[16] = { 0x69, 0xc4, 0xe0, 0xd8, 0x6a, 0x7b, 0x04, 0x30,
					0xd8, 0xcd, 0xb7, 0x80, 0x70, 0xb4, 0xc5, 0x5a };
	uint8_t code[1024];
	unsigned n = 0;
#define E(...) do { const uint8_t b_[] = { __VA_ARGS__ }; memcpy(code + n, b_, sizeof b_); n += sizeof b_; } while (0)
	E(0xf3, 0x0f, 0x6f, 0x0b);             /* movdqu xmm1, [ebx] (key) */
	E(0xf3, 0x0f, 0x6f, 0x43, 0x10);       /* movdqu xmm0, [ebx+16] (plaintext) */
	E(0x66, 0x0f, 0xef, 0xc1);             /* pxor xmm0, xmm1 */
	static const uint8_t rcon[10] = { 1, 2, 4, 8, 0x10, 0x20, 0x40, 0x80, 0x1b, 0x36 };
	for (int r = 0; r < 10; r++) {
		E(0x66, 0x0f, 0x3a, 0xdf, 0xd1, rcon[r]); /* aeskeygenassist xmm2, xmm1, rcon */
		E(0x66, 0x0f, 0x70, 0xd2, 0xff);         /* pshufd xmm2, xmm2, 0xff */
		for (int i = 0; i < 3; i++) {
			E(0x66, 0x0f, 0x6f, 0xd9);       /* movdqa xmm3, xmm1 */
			E(0x66, 0x0f, 0x73, 0xfb, 0x04); /* pslldq xmm3, 4 */
			E(0x66, 0x0f, 0xef, 0xcb);       /* pxor xmm1, xmm3 */
		}
		E(0x66, 0x0f, 0xef, 0xca);               /* pxor xmm1, xmm2 */
		if (r < 9)
			E(0x66, 0x0f, 0x38, 0xdc, 0xc1); /* aesenc xmm0, xmm1 */
		else
			E(0x66, 0x0f, 0x38, 0xdd, 0xc1); /* aesenclast xmm0, xmm1 */
	}
	E(0xf3, 0x0f, 0x7f, 0x43, 0x20);         /* movdqu [ebx+32], xmm0 */
#undef E
	struct sx_state s;
	memset(&s, 0, sizeof s);
	s.mxcsr = 0x1f80;
	s.rflags = 2;
	memcpy(s.mem, key, 16);
	memcpy(s.mem + 16, pt, 16);
	struct sx_state h = s;
	CHECK_EQ(sx_emu_run(code, n, &s), PAC_EXIT_HLT, "AES-128 program");
	CHECK(!memcmp(s.mem + 32, ct, 16), "FIPS-197 C.1 ciphertext");
	sx_host_run(code, n, &h);
	CHECK(!memcmp(h.mem + 32, ct, 16), "host agrees with FIPS-197");
}

int main(void)
{
	sx_run_cases(cases, sizeof cases / sizeof cases[0], 20);
	t_fips197();
	return test_done("sse_aes");
}
