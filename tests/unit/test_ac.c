/* SPDX-License-Identifier: MIT */
/* Alignment check #AC (APM vol. 2, 8.2.18): CR0.AM, EFLAGS.AC and CPL 3
 * together, a misaligned data access by its size, error code 0, a fault. */
#include "segtest.h"

#define DATA 0x5000u
#define FL_AC 0x40000u

/* Runs code at CPL 3 with the given CR0.AM / EFLAGS.AC; returns the regs. */
static pac_machine *run_user(struct pac_regs *r, const uint8_t *code, size_t len, bool am, bool ac,
			     int cpl)
{
	pac_machine *m = st_prot32(r);
	if (cpl == 3)
		st_user(r);
	if (am)
		r->cr0 |= 1u << 18;
	r->rflags = 2 | (ac ? FL_AC : 0);
	st_run(m, r, code, len);
	return m;
}

/* CPL 3 code ends with HLT, which is #GP(0) there: the instruction before
 * it completed if the #GP handler ran with EIP at the HLT. */
#define CHECK_USER_HLT(m, r, eip, what)                                              \
	do {                                                                         \
		CHECK_VEC(r, 13);                                                    \
		CHECK_EQ(st_r32(m, ST_STACK0 - 20), (eip), what);                    \
	} while (0)

static void t_misaligned_load(void)
{
	struct pac_regs r;
	static const uint8_t code[] = /* mov eax, [DATA+1]; hlt */
		{ 0xa1, 0x01, 0x50, 0, 0, 0xf4 };
	pac_machine *m = run_user(&r, code, sizeof code, true, true, 3);
	CHECK_VEC(r, 17);
	CHECK_EQ(st_r32(m, ST_STACK0 - 24), 0, "error code 0");
	CHECK_EQ(st_r32(m, ST_STACK0 - 20), ST_CODE, "fault: EIP of the load");
	CHECK_EQ(st_r32(m, ST_STACK0 - 12) & FL_AC, FL_AC, "pushed EFLAGS.AC");
	pac_destroy(m);

	m = run_user(&r, code, sizeof code, false, true, 3);
	CHECK_USER_HLT(m, r, ST_CODE + 5, "CR0.AM = 0: no check");
	pac_destroy(m);
	m = run_user(&r, code, sizeof code, true, false, 3);
	CHECK_USER_HLT(m, r, ST_CODE + 5, "EFLAGS.AC = 0: no check");
	pac_destroy(m);
	m = run_user(&r, code, sizeof code, true, true, 0);
	CHECK_EQ(r.rip, ST_CODE + 6, "CPL 0: no check");
	pac_destroy(m);
}

/* Sizes: words on odd addresses, dwords on non-multiples of 4; bytes never. */
static void t_sizes(void)
{
	struct pac_regs r;
	static const uint8_t w_even[] = /* mov ax, [DATA+2]; hlt */
		{ 0x66, 0xa1, 0x02, 0x50, 0, 0, 0xf4 };
	pac_machine *m = run_user(&r, w_even, sizeof w_even, true, true, 3);
	CHECK_USER_HLT(m, r, ST_CODE + 6, "word at +2 is aligned");
	pac_destroy(m);

	static const uint8_t w_odd[] = /* mov [DATA+3], ax; hlt */
		{ 0x66, 0xa3, 0x03, 0x50, 0, 0, 0xf4 };
	m = run_user(&r, w_odd, sizeof w_odd, true, true, 3);
	CHECK_VEC(r, 17);
	CHECK_EQ(st_r16(m, DATA + 3), 0, "the store did not happen");
	pac_destroy(m);

	static const uint8_t b[] = /* mov al, [DATA+3]; hlt */
		{ 0xa0, 0x03, 0x50, 0, 0, 0xf4 };
	m = run_user(&r, b, sizeof b, true, true, 3);
	CHECK_USER_HLT(m, r, ST_CODE + 5, "bytes are never misaligned");
	pac_destroy(m);

	static const uint8_t d2[] = /* mov eax, [DATA+2]; hlt */
		{ 0xa1, 0x02, 0x50, 0, 0, 0xf4 };
	m = run_user(&r, d2, sizeof d2, true, true, 3);
	CHECK_VEC(r, 17);
	pac_destroy(m);
}

/* A push to a misaligned user stack faults; the same at CPL 0 does not. */
static void t_stack(void)
{
	struct pac_regs r;
	static const uint8_t code[] = /* push eax; hlt */
		{ 0x50, 0xf4 };
	pac_machine *m = st_prot32(&r);
	st_user(&r);
	r.gpr[PAC_RSP] = ST_STACK3 - 2;
	r.cr0 |= 1u << 18;
	r.rflags = 2 | FL_AC;
	st_run(m, &r, code, sizeof code);
	CHECK_VEC(r, 17);
	CHECK_EQ(st_r32(m, ST_STACK0 - 8), ST_STACK3 - 2, "user ESP not moved");
	pac_destroy(m);
}

/* Descriptor-table reads are supervisor-implicit: a GDT at an odd address
 * is read without #AC when CPL 3 loads DS. */
static void t_implicit(void)
{
	struct pac_regs r;
	pac_machine *m = st_prot32(&r);
	for (unsigned i = 0; i < 0x60; i += 8)
		st_w64(m, ST_GDT + 0x801 + i, st_r64(m, ST_GDT + i));
	r.gdtr.base = ST_GDT + 0x801;
	st_user(&r);
	r.cr0 |= 1u << 18;
	r.rflags = 2 | FL_AC;
	static const uint8_t code[] = /* mov ds, ax; hlt */
		{ 0x8e, 0xd8, 0xf4 };
	r.gpr[PAC_RAX] = SEL_D32U;
	st_run(m, &r, code, sizeof code);
	CHECK_USER_HLT(m, r, ST_CODE + 2, "descriptor read is exempt");
	pac_destroy(m);
}

/* INT n at CPL 3 through a gate to conforming code pushes its frame on the
 * misaligned user stack at CPL 3: those pushes are alignment-checked as on
 * hardware (CVE-2015-5307), so the delivery of INT 0x47 raises #AC, which
 * the standard IDT delivers to its ring-0 handler (ring-0 pushes: no check). */
static void t_delivery_checked(void)
{
	struct pac_regs r;
	pac_machine *m = st_prot32(&r);
	st_idt_set(m, 0x47, st_gate(SEL_CCONF, st_handler(0x47), 0xee, 0));
	st_user(&r);
	r.gpr[PAC_RSP] = ST_STACK3 - 2;
	r.cr0 |= 1u << 18;
	r.rflags = 2 | FL_AC;
	static const uint8_t code[] = /* int 0x47 */
		{ 0xcd, 0x47 };
	st_log_events(m);
	CHECK_EQ(st_run(m, &r, code, sizeof code), PAC_EXIT_HLT, "exit");
	CHECK(st_nev == 2 && st_evs[0].vec == 0x47 && st_evs[1].vec == 17,
	      "INT 0x47 delivery raises #AC on its CPL 3 frame (%d events)", st_nev);
	CHECK_EQ(r.rip, st_handler(17) + 1, "the #AC handler ran");
	CHECK_EQ(st_r32(m, ST_STACK3 - 14), 0, "nothing of the INT frame was written");
	pac_destroy(m);
}

int main(void)
{
	t_misaligned_load();
	t_sizes();
	t_stack();
	t_implicit();
	t_delivery_checked();
	return test_done("ac");
}
