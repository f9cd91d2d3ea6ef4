/* SPDX-License-Identifier: MIT */
/* Intercepts with exact exit fields (APM vol. 2, 15.7-15.13, Appendix C):
 * each case runs a 64-bit guest whose instruction at `at` exits. */
#include "test_svm_harness.h"

struct icase {
	const char *name;
	uint32_t off, bits;   /* intercept word (VMCB offset) and bits to set */
	uint8_t code[16];
	unsigned len, at;     /* guest bytes; offset of the exiting instruction */
	uint64_t exitcode, info1, info2;
	int nrip;             /* offset of NRIP, -1 = 0 */
};

#define V3(b) V_ICPT3, 1u << (b)
#define V4(b) V_ICPT4, 1u << (b)
static const struct icase cases[] = {
	{ "CPUID", V3(18), { 0x0f, 0xa2 }, 2, 0, 0x72, 0, 0, 2 },
	{ "RDTSC", V3(14), { 0x90, 0x0f, 0x31 }, 3, 1, 0x6e, 0, 0, 3 },
	{ "RDPMC", V3(15), { 0x31, 0xc9, 0x0f, 0x33 }, 4, 2, 0x6f, 0, 0, 4 },
	{ "PUSHF", V3(16), { 0x9c }, 1, 0, 0x70, 0, 0, 1 },
	{ "POPF", V3(17), { 0x9d }, 1, 0, 0x71, 0, 0, 1 },
	{ "IRET", V3(20), { 0x48, 0xcf }, 2, 0, 0x74, 0, 0, 2 },
	{ "INT n (decode assist: vector)", V3(21), { 0xcd, 0x42 }, 2, 0, 0x75, 0x42, 0, 2 },
	{ "INVD", V3(22), { 0x0f, 0x08 }, 2, 0, 0x76, 0, 0, 2 },
	{ "PAUSE", V3(23), { 0xf3, 0x90 }, 2, 0, 0x77, 0, 0, 2 },
	/* invlpg [rax+0x10] with rax = 0x123000 */
	{ "INVLPG (linear address)", V3(25), { 0xb8, 0x00, 0x30, 0x12, 0x00, 0x0f, 0x01, 0x78, 0x10 }, 9, 5,
	  0x79, 0x123010, 0, 9 },
	{ "INVLPGA", V3(26), { 0x0f, 0x01, 0xdf }, 3, 0, 0x7a, 0, 0, 3 },
	{ "SIDT", V3(6), { 0x0f, 0x01, 0x0c, 0x25, 0, 0x10, 0, 0 }, 8, 0, 0x66, 0, 0, 8 },
	{ "SGDT", V3(7), { 0x0f, 0x01, 0x04, 0x25, 0, 0x10, 0, 0 }, 8, 0, 0x67, 0, 0, 8 },
	{ "SLDT", V3(8), { 0x0f, 0x00, 0xc0 }, 3, 0, 0x68, 0, 0, 3 },
	{ "STR", V3(9), { 0x0f, 0x00, 0xc8 }, 3, 0, 0x69, 0, 0, 3 },
	{ "LIDT", V3(10), { 0x0f, 0x01, 0x1c, 0x25, 0, 0x10, 0, 0 }, 8, 0, 0x6a, 0, 0, 8 },
	{ "LGDT", V3(11), { 0x0f, 0x01, 0x14, 0x25, 0, 0x10, 0, 0 }, 8, 0, 0x6b, 0, 0, 8 },
	{ "LLDT", V3(12), { 0x0f, 0x00, 0xd0 }, 3, 0, 0x6c, 0, 0, 3 },
	{ "LTR", V3(13), { 0x0f, 0x00, 0xd8 }, 3, 0, 0x6d, 0, 0, 3 },
	{ "VMLOAD", V4(2), { 0xb8, 0, 0x20, 0x20, 0, 0x0f, 0x01, 0xda }, 8, 5, 0x82, 0, 0, 8 },
	{ "VMSAVE", V4(3), { 0xb8, 0, 0x20, 0x20, 0, 0x0f, 0x01, 0xdb }, 8, 5, 0x83, 0, 0, 8 },
	{ "STGI", V4(4), { 0x0f, 0x01, 0xdc }, 3, 0, 0x84, 0, 0, 3 },
	{ "CLGI", V4(5), { 0x0f, 0x01, 0xdd }, 3, 0, 0x85, 0, 0, 3 },
	{ "RDTSCP", V4(7), { 0x0f, 0x01, 0xf9 }, 3, 0, 0x87, 0, 0, 3 },
	{ "ICEBP", V4(8), { 0xf1 }, 1, 0, 0x88, 0, 0, 1 },
	{ "WBINVD", V4(9), { 0x0f, 0x09 }, 2, 0, 0x89, 0, 0, 2 },
	{ "MONITOR", V4(10), { 0x0f, 0x01, 0xc8 }, 3, 0, 0x8a, 0, 0, 3 },
	{ "MWAIT", V4(11), { 0x0f, 0x01, 0xc9 }, 3, 0, 0x8b, 0, 0, 3 },
	{ "XSETBV", V4(13), { 0x0f, 0x01, 0xd1 }, 3, 0, 0x8d, 0, 0, 3 },
	/* CR/DR with the decode-assist GPR and bit 63 for MOV CRn */
	{ "MOV rbx, CR4", V_ICPT_CR, 1u << 4, { 0x0f, 0x20, 0xe3 }, 3, 0, 0x04, 3 | (1ull << 63), 0, 3 },
	{ "MOV CR0, rcx", V_ICPT_CR, 1u << 16, { 0x0f, 0x22, 0xc1 }, 3, 0, 0x10, 1 | (1ull << 63), 0, 3 },
	{ "MOV CR3, r9", V_ICPT_CR, 1u << 19, { 0x41, 0x0f, 0x22, 0xd9 }, 4, 0, 0x13, 9 | (1ull << 63), 0, 4 },
	{ "SMSW (CR0 read, no GPR)", V_ICPT_CR, 1u << 0, { 0x0f, 0x01, 0xe0 }, 3, 0, 0x00, 0, 0, 3 },
	{ "CLTS (CR0 write)", V_ICPT_CR, 1u << 16, { 0x0f, 0x06 }, 2, 0, 0x10, 0, 0, 2 },
	{ "LMSW (CR0 write)", V_ICPT_CR, 1u << 16, { 0x0f, 0x01, 0xf0 }, 3, 0, 0x10, 0, 0, 3 },
	/* CR0 selective write: changes outside TS/MP only */
	{ "CR0 selective (MOV CR0 sets CD)", V3(5), { 0x0f, 0x20, 0xc0, 0x0f, 0xba, 0xe8, 0x1e, 0x0f, 0x22, 0xc0 },
	  10, 7, 0x65, 1ull << 63, 0, 10 },
	{ "CR0 selective: TS only is not intercepted", V3(5), { 0x0f, 0x20, 0xc0, 0x0c, 0x08, 0x0f, 0x22, 0xc0 },
	  8, 8, 0x81, 0, 0, 11 },
	{ "CR0 selective (LMSW sets EM)", V3(5), { 0x0f, 0x20, 0xc0, 0x0c, 0x04, 0x0f, 0x01, 0xf0 }, 8, 5,
	  0x65, 0, 0, 8 },
	{ "CR0 write intercept before selective", V_ICPT_CR, 1u << 16,
	  { 0x0f, 0x20, 0xc0, 0x0f, 0xba, 0xe8, 0x1e, 0x0f, 0x22, 0xc0 }, 10, 7, 0x10, 1ull << 63, 0, 10 },
	{ "MOV rdx, DR7", V_ICPT_DR, 1u << 7, { 0x0f, 0x21, 0xfa }, 3, 0, 0x27, 2, 0, 3 },
	{ "MOV DR0, rsi", V_ICPT_DR, 1u << 16, { 0x0f, 0x23, 0xc6 }, 3, 0, 0x30, 6, 0, 3 },
	/* exceptions: fault RIP saved, error code / address in EXITINFO */
	{ "#UD (UD2)", V_ICPT_EXC, 1u << 6, { 0x90, 0x0f, 0x0b }, 3, 1, 0x46, 0, 0, -1 },
	{ "#UD (VMMCALL not intercepted)", V_ICPT_EXC, 1u << 6, { 0x90, 0x90, 0x0f, 0x01, 0xd9 }, 5, 2,
	  0x46, 0, 0, -1 },
	/* mov [0x2000000], eax: not mapped -> #PF(W), EXITINFO2 = address */
	{ "#PF (error code, address)", V_ICPT_EXC, 1u << 14, { 0x89, 0x04, 0x25, 0, 0, 0, 2 }, 7, 0, 0x4e,
	  2, 0x2000000, -1 },
	/* mov eax, [non-canonical] -> #GP(0) */
	{ "#GP(0)", V_ICPT_EXC, 1u << 13, { 0x48, 0xb8, 0, 0, 0, 0, 0, 0x80, 0, 0, 0x8b, 0x00 }, 12, 10, 0x4d,
	  0, 0, -1 },
	{ "#BP (INT3: NRIP)", V_ICPT_EXC, 1u << 3, { 0x90, 0xcc }, 2, 1, 0x43, 0, 0, 2 },
	{ "#DE", V_ICPT_EXC, 1u << 0, { 0x31, 0xc9, 0xf7, 0xf1 }, 4, 2, 0x40, 0, 0, -1 },
	/* MSR: rdmsr EFER with its MSRPM read bit, wrmsr TSC with its write bit */
	{ "RDMSR EFER (MSRPM)", V3(28), { 0xb9, 0x80, 0, 0, 0xc0, 0x0f, 0x32 }, 7, 5, 0x7c, 0, 0, 7 },
	{ "WRMSR TSC (MSRPM)", V3(28), { 0xb9, 0x10, 0, 0, 0, 0x0f, 0x30 }, 7, 5, 0x7c, 1, 0, 7 },
	{ "RDMSR outside the MSRPM ranges", V3(28), { 0xb9, 0, 0, 0, 0x40, 0x0f, 0x32 }, 7, 5, 0x7c, 0, 0, 7 },
	/* IOIO: EXITINFO1 = port << 16 | SZ | A | STR | REP | SEG | IN, EXITINFO2 = NRIP */
	{ "OUT 80h, AL", V3(27), { 0xe6, 0x80 }, 2, 0, 0x7b, (0x80u << 16) | (1u << 4) | (1u << 9), 2, 2 },
	{ "IN AX, DX (3F8h)", V3(27), { 0x66, 0xba, 0xf8, 0x03, 0x66, 0xed }, 6, 4, 0x7b,
	  (0x3f8u << 16) | 1 | (1u << 5) | (1u << 9), 6, 6 },
	{ "REP OUTSB a32 (DS)", V3(27), { 0x66, 0xba, 0xf8, 0x03, 0x67, 0xf3, 0x6e }, 7, 4, 0x7b,
	  (0x3f8u << 16) | (1u << 2) | (1u << 3) | (1u << 4) | (1u << 8) | (3u << 10), 7, 7 },
	{ "INSD (ES)", V3(27), { 0x66, 0xba, 0xf8, 0x03, 0x6d }, 5, 4, 0x7b,
	  (0x3f8u << 16) | 1 | (1u << 2) | (1u << 6) | (1u << 9), 5, 5 },
};

static void run_case(const struct icase *k)
{
	struct pac_regs r;
	pac_machine *m = sv_machine(&r);
	uint32_t w = st_r32(m, SV_VMCB + k->off);
	st_w32(m, SV_VMCB + k->off, w | k->bits);
	if (k->exitcode == 0x46)
		st_w32(m, SV_VMCB + V_ICPT4, 1); /* VMRUN only: VMMCALL raises #UD */
	/* MSRPM: EFER read (bit 0x4100), TSC write (bit 0x21); IOPM: 80h, 3F8h */
	uint8_t b;
	b = 1; pac_phys_write(m, SV_MSRPM + 0x820, &b, 1);
	b = 2; pac_phys_write(m, SV_MSRPM + 0x4, &b, 1);
	b = 1; pac_phys_write(m, SV_IOPM + 0x10, &b, 1);
	b = 1; pac_phys_write(m, SV_IOPM + 0x3f8 / 8, &b, 1);
	sv_w(m, V_CR2, 0x77);
	uint8_t g[32];
	memcpy(g, k->code, k->len);
	g[k->len] = 0x0f, g[k->len + 1] = 0x01, g[k->len + 2] = 0xd9; /* vmmcall if not intercepted */
	sv_run(m, &r, g, k->len + 3);
	CHECK(sv_r(m, V_EXITCODE) == k->exitcode, "%s: exit %#llx, want %#llx", k->name,
	      (unsigned long long)sv_r(m, V_EXITCODE), (unsigned long long)k->exitcode);
	CHECK(sv_r(m, V_INFO1) == k->info1, "%s: EXITINFO1 %#llx, want %#llx", k->name,
	      (unsigned long long)sv_r(m, V_INFO1), (unsigned long long)k->info1);
	uint64_t i2 = k->info2 && k->exitcode == 0x7b ? SV_GCODE + k->info2 : k->info2;
	CHECK(sv_r(m, V_INFO2) == i2, "%s: EXITINFO2 %#llx", k->name, (unsigned long long)sv_r(m, V_INFO2));
	CHECK(sv_r(m, V_RIP) == SV_GCODE + k->at, "%s: guest RIP %#llx", k->name,
	      (unsigned long long)sv_r(m, V_RIP));
	uint64_t nrip = k->nrip < 0 ? 0 : SV_GCODE + (unsigned)k->nrip;
	CHECK(sv_r(m, V_NRIP) == nrip, "%s: NRIP %#llx, want %#llx", k->name,
	      (unsigned long long)sv_r(m, V_NRIP), (unsigned long long)nrip);
	if (k->exitcode == 0x4e)
		CHECK_EQ(sv_r(m, V_CR2), 0x77, "#PF intercept: guest CR2 not written");
	CHECK_EQ(r.rip, SV_AFTER_VMRUN + 1, "host resumed");
	pac_destroy(m);
}

/* Without the intercept bit the same instructions run in the guest. */
static void t_not_intercepted(void)
{
	struct pac_regs r;
	pac_machine *m = sv_machine(&r);
	st_w32(m, SV_VMCB + V_ICPT3, (1u << 24) | (1u << 27) | (1u << 28)); /* HLT, IOIO, MSR */
	/* cpuid; rdmsr 0xc0000081 (STAR: bit clear); out 0x81, al (bit clear); vmmcall */
	static const uint8_t g[] = { 0x31, 0xc0, 0x0f, 0xa2, 0xb9, 0x81, 0, 0, 0xc0, 0x0f, 0x32,
				     0xe6, 0x81, 0x0f, 0x01, 0xd9 };
	sv_run(m, &r, g, sizeof g);
	CHECK_EQ(sv_r(m, V_EXITCODE), 0x81, "only VMMCALL exits");
	CHECK_EQ(sv_r(m, V_RIP), SV_GCODE + 13, "after the others ran");
	pac_destroy(m);
}

/* #BR from BOUND in a 32-bit guest: NRIP = the next instruction */
static void t_bound(void)
{
	struct pac_regs r;
	pac_machine *m = sv_machine(&r);
	st_w32(m, SV_VMCB + V_ICPT_EXC, 1u << 5);
	sv_seg(m, V_CS, SEL_C32, 0xc9b, 0xffffffff, 0);
	sv_w(m, V_CR0, 0x11);
	sv_w(m, V_CR4, 0);
	sv_w(m, V_EFER, 0x1000);
	st_w32(m, 0x500, 0x10);
	st_w32(m, 0x504, 0x20);
	/* mov eax, 0x30; bound eax, [0x500]; vmmcall */
	static const uint8_t g[] = { 0xb8, 0x30, 0, 0, 0, 0x62, 0x05, 0x00, 0x05, 0, 0, 0x0f, 0x01, 0xd9 };
	sv_run(m, &r, g, sizeof g);
	CHECK_EQ(sv_r(m, V_EXITCODE), 0x45, "#VMEXIT(#BR)");
	CHECK_EQ(sv_r(m, V_RIP), SV_GCODE + 5, "guest RIP = BOUND");
	CHECK_EQ(sv_r(m, V_NRIP), SV_GCODE + 11, "NRIP after BOUND");
	pac_destroy(m);
}

int main(void)
{
	t_bound();
	for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++)
		run_case(&cases[i]);
	t_not_intercepted();
	return test_done("test_svm_icpt");
}
