/* SPDX-License-Identifier: MIT */
/* Deterministic fuzz smoke test for make check: a fixed-seed generator of
 * random inputs for the exec harness's machine builder (fuzz_machine.h) —
 * random GDT/IDT/page tables and random code bytes — run in each mode with
 * a short budget, plus random decode/disassembly. Passing means: no crash,
 * pac_run always returns with a known exit reason, the disassembler always
 * returns a sane length. The sanitizer pass of make check runs it too. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fuzz_machine.h"
#include "decode/insn.h"

#define RUNS_PER_MODE 5000
#define BUDGET 200

static uint64_t rng = 0x9e3779b97f4a7c15ull;
static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* Code bytes: mostly uniform, sometimes biased towards prefixes, 0F escapes
 * and ModRM bytes with memory operands so longer instructions appear. */
static void gen(uint8_t *buf, size_t n, enum fm_mode mode)
{
	static const uint8_t favourites[] = { 0x0f, 0x66, 0xf3, 0xf2, 0x48, 0x41, 0xc4, 0xc5,
					      0x8e, 0xcf, 0xcd, 0xea, 0x9a, 0xff, 0xf4, 0x17 };
	for (size_t i = 0; i < n; i++) {
		uint64_t r = next();
		buf[i] = (r >> 8) % 4 == 0 ? favourites[(r >> 16) % sizeof favourites] : (uint8_t)r;
	}
	buf[0] = (uint8_t)((buf[0] & ~3u) | (unsigned)mode);
}

static int smoke_mode(enum fm_mode want, const char *name)
{
	static uint8_t buf[2048];
	unsigned counts[PAC_EXIT_STOP + 1] = { 0 };
	unsigned bad = 0;
	for (int run = 0; run < RUNS_PER_MODE; run++) {
		size_t n = 600 + next() % 1400;
		gen(buf, n, want);
		enum fm_mode mode;
		pac_machine *m = fm_build(buf, n, &mode);
		if (!m) {
			printf("not ok - %s: machine creation failed\n", name);
			return 1;
		}
		struct pac_exit ex;
		memset(&ex, 0xff, sizeof ex);
		pac_run(m, BUDGET, &ex);
		if ((unsigned)ex.reason > PAC_EXIT_STOP || mode != want)
			bad++;
		else
			counts[ex.reason]++;
		pac_destroy(m);
	}
	printf("%s - fuzz smoke %s: %d random programs ran to an exit (limit %u, hlt %u, "
	       "shutdown %u, unimplemented %u, internal %u)\n",
	       bad ? "not ok" : "ok", name, RUNS_PER_MODE, counts[PAC_EXIT_LIMIT],
	       counts[PAC_EXIT_HLT], counts[PAC_EXIT_SHUTDOWN], counts[PAC_EXIT_UNIMPLEMENTED],
	       counts[PAC_EXIT_INTERNAL_ERROR]);
	return bad != 0;
}

static int smoke_decode(void)
{
	static const int modes[3] = { 16, 32, 64 };
	unsigned bad = 0, decoded = 0;
	for (int i = 0; i < 20000; i++) {
		uint8_t b[16];
		char out[24 + i % 64];
		size_t n = 1 + next() % 16;
		for (size_t k = 0; k < n; k++)
			b[k] = (uint8_t)next();
		for (int mi = 0; mi < 3; mi++) {
			struct insn in;
			int l1 = decode_bytes(b, n, modes[mi], &in);
			int l2 = pac_disasm_at(b, n, modes[mi], next(), out, sizeof out);
			if (l1 < 0 || (size_t)l1 > n || l2 < 0 || (size_t)l2 > n || !memchr(out, 0, sizeof out))
				bad++;
			decoded += l2 > 0;
		}
	}
	printf("%s - fuzz smoke decode: 60000 random byte strings, %u decoded, lengths in range\n",
	       bad ? "not ok" : "ok", decoded);
	return bad != 0;
}

int main(void)
{
	static const char *const names[FM_NMODES] = { "real mode", "32-bit protected mode",
						      "32-bit paged mode", "64-bit long mode" };
	int fails = smoke_decode();
	for (int mode = 0; mode < FM_NMODES; mode++)
		fails += smoke_mode((enum fm_mode)mode, names[mode]);
	return fails ? 1 : 0;
}
