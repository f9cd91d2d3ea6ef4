/* SPDX-License-Identifier: MIT */
/* RCPPS/RCPSS/RSQRTPS/RSQRTSS: the results are approximations whose tables
 * differ between vendors, so the check is the architectural bound
 * |rel. error| <= 1.5 * 2^-12 for normal inputs, and exact equality with
 * the host for the special inputs (zero, denormal, infinity, NaN,
 * negative, tiny results). */
#include <math.h>
#include "test_sse_harness.h"

static float f32(uint32_t u)
{
	float f;
	memcpy(&f, &u, 4);
	return f;
}

static bool special(uint32_t a, bool rsqrt)
{
	uint32_t e = (a >> 23) & 0xff;
	if (e == 0 || e == 0xff)
		return true;
	if (rsqrt && (a >> 31))
		return true;
	return !rsqrt && e >= 253; /* result below the normal range: flushed */
}

static void check_insn(const char *name, const uint8_t *code, unsigned len, bool rsqrt, bool scalar)
{
	int bad = 0, total = 0;
	for (int it = 0; it < 400; it++) {
		struct sx_state in, h, e;
		sx_random_state(&in, (it & 1) ? SX_F32 : SX_INT, 0x1f80);
		h = in;
		e = in;
		sx_host_run(code, len, &h);
		sx_emu_run(code, len, &e);
		for (int i = 0; i < (scalar ? 1 : 4); i++) {
			uint32_t a, rh, re;
			memcpy(&a, in.xmm[1] + 4 * i, 4);
			memcpy(&rh, h.xmm[0] + 4 * i, 4);
			memcpy(&re, e.xmm[0] + 4 * i, 4);
			total++;
			bool ok;
			if (special(a, rsqrt)) {
				ok = rh == re;
			} else {
				double x = f32(a), want = rsqrt ? 1.0 / sqrt(x) : 1.0 / x;
				ok = fabs((f32(re) - want) / want) <= 1.5 * 0x1p-12;
			}
			if (!ok && bad++ < 3)
				printf("# %s: in %08x host %08x emu %08x\n", name, a, rh, re);
		}
		CHECK(memcmp(h.xmm[0] + (scalar ? 4 : 16), e.xmm[0] + (scalar ? 4 : 16), scalar ? 12 : 0) == 0,
		      "%s: upper lanes", name);
		CHECK_EQ(e.mxcsr, in.mxcsr, "no MXCSR flags");
	}
	CHECK(bad == 0, "%s: %d of %d lanes out of bound", name, bad, total);
}

int main(void)
{
	check_insn("rcpps", (const uint8_t[]){ 0x0f, 0x53, 0xc1 }, 3, false, false);
	check_insn("rcpss", (const uint8_t[]){ 0xf3, 0x0f, 0x53, 0xc1 }, 4, false, true);
	check_insn("rsqrtps", (const uint8_t[]){ 0x0f, 0x52, 0xc1 }, 3, true, false);
	check_insn("rsqrtss", (const uint8_t[]){ 0xf3, 0x0f, 0x52, 0xc1 }, 4, true, true);
	return test_done("sse_rcp");
}
