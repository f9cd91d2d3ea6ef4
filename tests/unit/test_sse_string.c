/* SPDX-License-Identifier: MIT */
/* SSE4.2 PCMPESTRI/PCMPESTRM/PCMPISTRI/PCMPISTRM against the host CPU for
 * every aggregation, polarity, element format and output selection, with
 * short strings, embedded NULs and explicit lengths in and out of range. */
#include "test_sse_harness.h"

static struct sx_case gen[4 * 128];
static char names[4 * 128][32];

int main(void)
{
	size_t n = 0;
	static const char *const op[4] = { "pcmpestrm", "pcmpestri", "pcmpistrm", "pcmpistri" };
	for (unsigned o = 0; o < 4; o++) {
		for (unsigned imm = 0; imm < 128; imm++) {
			struct sx_case *k = &gen[n];
			snprintf(names[n], sizeof names[0], "%s %02x", op[o], imm);
			k->name = names[n];
			k->len = 6;
			const uint8_t b[6] = { 0x66, 0x0f, 0x3a, (uint8_t)(0x60 + o), imm & 8 ? 0x03 : 0xc1,
					       (uint8_t)imm };
			memcpy(k->bytes, b, 6);
			k->kind = SX_STR;
			n++;
		}
	}
	sx_run_cases(gen, n, 8);
	return test_done("sse_string");
}
