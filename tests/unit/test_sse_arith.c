/* SPDX-License-Identifier: MIT */
/* SSE floating-point arithmetic against the host CPU: every PS/PD/SS/SD
 * form of ADD/SUB/MUL/DIV/MIN/MAX/SQRT, HADD/HSUB/ADDSUB, DPPS/DPPD and
 * ROUNDxx, register and memory operands, over special values (NaN, Inf,
 * denormals, zeros) and all rounding modes, FTZ and DAZ. */
#include "test_sse_harness.h"

#define F4(n, o) \
	{ n "ps", 3, { 0x0f, o, 0xc1 }, SX_F32 }, \
	{ n "pd", 4, { 0x66, 0x0f, o, 0xc1 }, SX_F64 }, \
	{ n "ss", 4, { 0xf3, 0x0f, o, 0xc1 }, SX_F32 }, \
	{ n "sd", 4, { 0xf2, 0x0f, o, 0xc1 }, SX_F64 }, \
	{ n "ps mem", 3, { 0x0f, o, 0x03 }, SX_F32 }, \
	{ n "sd mem", 4, { 0xf2, 0x0f, o, 0x03 }, SX_F64 }, \
	{ n "ss mem", 4, { 0xf3, 0x0f, o, 0x13 }, SX_F32 }

static const struct sx_case cases[] = {
	F4("add", 0x58), F4("mul", 0x59), F4("sub", 0x5c), F4("min", 0x5d),
	F4("div", 0x5e), F4("max", 0x5f), F4("sqrt", 0x51),
	{ "haddps", 4, { 0xf2, 0x0f, 0x7c, 0xc1 }, SX_F32 },
	{ "haddpd", 4, { 0x66, 0x0f, 0x7c, 0xc1 }, SX_F64 },
	{ "hsubps", 4, { 0xf2, 0x0f, 0x7d, 0xc1 }, SX_F32 },
	{ "hsubpd mem", 4, { 0x66, 0x0f, 0x7d, 0x03 }, SX_F64 },
	{ "addsubps", 4, { 0xf2, 0x0f, 0xd0, 0xc1 }, SX_F32 },
	{ "addsubpd", 4, { 0x66, 0x0f, 0xd0, 0xc1 }, SX_F64 },
	{ "dpps ff", 6, { 0x66, 0x0f, 0x3a, 0x40, 0xc1, 0xff }, SX_F32 },
	{ "dpps 31", 6, { 0x66, 0x0f, 0x3a, 0x40, 0xc1, 0x31 }, SX_F32 },
	{ "dpps a5", 6, { 0x66, 0x0f, 0x3a, 0x40, 0x03, 0xa5 }, SX_F32 },
	{ "dppd 33", 6, { 0x66, 0x0f, 0x3a, 0x41, 0xc1, 0x33 }, SX_F64 },
	{ "dppd 12", 6, { 0x66, 0x0f, 0x3a, 0x41, 0xc1, 0x12 }, SX_F64 },
	{ "roundps 0", 6, { 0x66, 0x0f, 0x3a, 0x08, 0xc1, 0x00 }, SX_F32 },
	{ "roundps 1", 6, { 0x66, 0x0f, 0x3a, 0x08, 0xc1, 0x01 }, SX_F32 },
	{ "roundps 2", 6, { 0x66, 0x0f, 0x3a, 0x08, 0xc1, 0x02 }, SX_F32 },
	{ "roundps b", 6, { 0x66, 0x0f, 0x3a, 0x08, 0xc1, 0x0b }, SX_F32 },
	{ "roundps 4", 6, { 0x66, 0x0f, 0x3a, 0x08, 0xc1, 0x04 }, SX_F32 },
	{ "roundpd 3", 6, { 0x66, 0x0f, 0x3a, 0x09, 0xc1, 0x03 }, SX_F64 },
	{ "roundpd c", 6, { 0x66, 0x0f, 0x3a, 0x09, 0x03, 0x0c }, SX_F64 },
	{ "roundss 1", 6, { 0x66, 0x0f, 0x3a, 0x0a, 0xc1, 0x01 }, SX_F32 },
	{ "roundsd 2", 6, { 0x66, 0x0f, 0x3a, 0x0b, 0xc1, 0x02 }, SX_F64 },
	{ "roundsd mem", 6, { 0x66, 0x0f, 0x3a, 0x0b, 0x13, 0x04 }, SX_F64 },
};

/* results next to the smallest normal: tininess is detected after
 * rounding (unbounded exponent), which decides UE and the FTZ flush */
static void t_tiny(void)
{
	static const struct {
		const char *name;
		uint8_t code[4];
		uint64_t a, b;
	} t[] = {
		{ "mulsd (1-2^-53)*min", { 0xf2, 0x0f, 0x59, 0xc1 }, 0x3fefffffffffffffull, 0x0010000000000000ull },
		{ "mulsd (1-2^-52)*min", { 0xf2, 0x0f, 0x59, 0xc1 }, 0x3feffffffffffffeull, 0x0010000000000000ull },
		{ "divsd min/(1+2^-52)", { 0xf2, 0x0f, 0x5e, 0xc1 }, 0x0010000000000000ull, 0x3ff0000000000001ull },
		{ "addsd den+den", { 0xf2, 0x0f, 0x58, 0xc1 }, 0x0008000000000000ull, 0x0007ffffffffffffull },
		{ "cvtsd2ss just below min", { 0xf2, 0x0f, 0x5a, 0xc1 }, 0, 0x380fffffffffffffull },
		{ "cvtsd2ss half below min", { 0xf2, 0x0f, 0x5a, 0xc1 }, 0, 0x380ffffff0000000ull },
		{ "cvtsd2ss far below min", { 0xf2, 0x0f, 0x5a, 0xc1 }, 0, 0x380fffffe0000000ull },
		{ "mulss (1-2^-24)*min", { 0xf3, 0x0f, 0x59, 0xc1 }, 0x3f7fffff, 0x00800000 },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		for (size_t mi = 0; mi < sizeof sx_mxcsrs / 4; mi++) {
			struct sx_state in, h, e;
			sx_random_state(&in, SX_INT, sx_mxcsrs[mi]);
			memcpy(in.xmm[0], &t[i].a, 8);
			memcpy(in.xmm[1], &t[i].b, 8);
			h = in;
			e = in;
			sx_host_run(t[i].code, 4, &h);
			enum pac_exit_reason why = sx_emu_run(t[i].code, 4, &e);
			struct sx_case k = { t[i].name, 4, { 0 }, SX_INT };
			CHECK(sx_compare(&k, &in, &h, &e, why), "%s, mxcsr %#x", t[i].name, sx_mxcsrs[mi]);
		}
	}
}

int main(void)
{
	t_tiny();
	sx_run_cases(cases, sizeof cases / sizeof cases[0], 80);
	return test_done("sse_arith");
}
