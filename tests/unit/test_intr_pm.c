/* SPDX-License-Identifier: MIT */
/* Protected-mode event delivery (APM vol. 2, 8.7): gates, privilege
 * checks, TSS stack switch, error codes with IDT/EXT bits, #DF, triple
 * fault, virtual-8086 delivery and VME redirection. Paging off. */
#include "segtest.h"

/* INT n through a 32-bit interrupt gate at CPL 0: EIP, CS, EFLAGS pushed. */
static void t_int_same_level(void)
{
	struct pac_regs r;
	pac_machine *m = st_prot32(&r);
	static const uint8_t code[] = /* int 0x40; hlt */
		{ 0xcd, 0x40, 0xf4 };
	r.rflags = 0x202;
	CHECK_EQ(st_run(m, &r, code, sizeof code), PAC_EXIT_HLT, "exit");
	CHECK_VEC(r, 0x40);
	CHECK_EQ(r.gpr[PAC_RSP], ST_STACK0 - 12, "esp");
	CHECK_EQ(st_r32(m, ST_STACK0 - 12), ST_CODE + 2, "pushed eip = next insn");
	CHECK_EQ(st_r32(m, ST_STACK0 - 8), SEL_C32, "pushed cs");
	CHECK_EQ(st_r32(m, ST_STACK0 - 4), 0x202, "pushed eflags");
	CHECK_EQ(r.rflags & 0x200, 0, "interrupt gate clears IF");
	pac_destroy(m);
}

/* Trap gate leaves IF set; 16-bit interrupt gate pushes 16-bit slots. */
static void t_trap_and_16bit_gates(void)
{
	struct pac_regs r;
	pac_machine *m = st_prot32(&r);
	st_idt_set(m, 0x41, st_gate(SEL_C32, st_handler(0x41), 0x8f, 0));
	static const uint8_t code[] = /* int 0x41 */
		{ 0xcd, 0x41 };
	r.rflags = 0x202;
	st_run(m, &r, code, sizeof code);
	CHECK_VEC(r, 0x41);
	CHECK_EQ(r.rflags & 0x200, 0x200, "trap gate keeps IF");
	pac_destroy(m);

	m = st_prot32(&r);
	st_idt_set(m, 0x44, st_gate(SEL_C32, st_handler(0x44), 0x86, 0));
	static const uint8_t code16[] = /* int 0x44 */
		{ 0xcd, 0x44 };
	st_run(m, &r, code16, sizeof code16);
	CHECK_VEC(r, 0x44);
	CHECK_EQ(r.gpr[PAC_RSP], ST_STACK0 - 6, "16-bit gate: three 2-byte slots");
	CHECK_EQ(st_r16(m, ST_STACK0 - 6), (ST_CODE + 2) & 0xffff, "pushed ip (low 16 bits)");
	CHECK_EQ(st_r16(m, ST_STACK0 - 4), SEL_C32, "pushed cs");
	pac_destroy(m);
}

/* #GP at CPL 3: stack switch to SS0:ESP0, frame with error code and SS:ESP,
 * RF set in the pushed EFLAGS of a fault. */
static void t_user_fault_stack_switch(void)
{
	struct pac_regs r;
	pac_machine *m = st_prot32(&r);
	st_user(&r);
	r.rflags = 0x202;
	static const uint8_t code[] = /* hlt */
		{ 0xf4 };
	CHECK_EQ(st_run(m, &r, code, sizeof code), PAC_EXIT_HLT, "exit");
	CHECK_VEC(r, 13);
	CHECK_EQ(r.cpl, 0, "cpl");
	CHECK_EQ(r.seg[PAC_CS].sel, SEL_C32, "cs");
	CHECK_EQ(r.seg[PAC_SS].sel, SEL_D32, "ss from the TSS");
	CHECK_EQ(r.gpr[PAC_RSP], ST_STACK0 - 24, "esp");
	CHECK_EQ(st_r32(m, ST_STACK0 - 24), 0, "error code");
	CHECK_EQ(st_r32(m, ST_STACK0 - 20), ST_CODE, "faulting eip");
	CHECK_EQ(st_r32(m, ST_STACK0 - 16), SEL_C32U, "user cs");
	CHECK_EQ(st_r32(m, ST_STACK0 - 12), 0x10202, "eflags with RF");
	CHECK_EQ(st_r32(m, ST_STACK0 - 8), ST_STACK3, "user esp");
	CHECK_EQ(st_r32(m, ST_STACK0 - 4), SEL_D32U, "user ss");
	pac_destroy(m);
}

/* INT n at CPL 3 through a DPL 0 gate: #GP(vector * 8 + 2), EXT = 0;
 * through a DPL 3 gate: delivered. */
static void t_int_gate_dpl(void)
{
	struct pac_regs r;
	pac_machine *m = st_prot32(&r);
	st_user(&r);
	static const uint8_t code[] = /* int 0x40 */
		{ 0xcd, 0x40 };
	st_run(m, &r, code, sizeof code);
	CHECK_VEC(r, 13);
	CHECK_EQ(st_r32(m, ST_STACK0 - 24), 0x40 * 8 + 2, "#GP(IDT | vector)");
	CHECK_EQ(st_r32(m, ST_STACK0 - 20), ST_CODE, "eip of the INT itself");
	pac_destroy(m);

	m = st_prot32(&r);
	st_user(&r);
	st_idt_set(m, 0x42, st_gate(SEL_C32, st_handler(0x42), 0xee, 0));
	static const uint8_t ok[] = /* int 0x42 */
		{ 0xcd, 0x42 };
	st_run(m, &r, ok, sizeof ok);
	CHECK_VEC(r, 0x42);
	CHECK_EQ(st_r32(m, ST_STACK0 - 20), ST_CODE + 2, "pushed eip");
	CHECK_EQ(st_r32(m, ST_STACK0 - 4), SEL_D32U, "pushed ss");
	pac_destroy(m);
}

/* IDT limit: #GP(vector*8+2); not-present gate for a hardware exception:
 * #NP(vector*8+2+EXT). */
static void t_idt_errors(void)
{
	struct pac_regs r;
	pac_machine *m = st_prot32(&r);
	r.idtr.limit = 0x20 * 8 + 7;
	static const uint8_t code[] = /* int 0x50 */
		{ 0xcd, 0x50 };
	st_run(m, &r, code, sizeof code);
	CHECK_VEC(r, 13);
	CHECK_EQ(st_r32(m, ST_STACK0 - 16), 0x50 * 8 + 2, "#GP(0x282)");
	pac_destroy(m);

	m = st_prot32(&r);
	st_idt_set(m, 6, st_gate(SEL_C32, st_handler(6), 0x0e, 0));
	static const uint8_t ud[] = /* ud2 */
		{ 0x0f, 0x0b };
	st_run(m, &r, ud, sizeof ud);
	CHECK_VEC(r, 11);
	CHECK_EQ(st_r32(m, ST_STACK0 - 16), 6 * 8 + 2 + 1, "#NP(IDT | EXT | vector 6)");
	CHECK_EQ(st_r32(m, ST_STACK0 - 12), ST_CODE, "eip of ud2");
	pac_destroy(m);

	m = st_prot32(&r);
	st_idt_set(m, 0x45, st_gate(SEL_FREE, st_handler(0x45), 0x8e, 0));
	st_gdt_set(m, SEL_FREE, st_desc(0, 0xfffff, 0xc93)); /* data, not code */
	static const uint8_t bad_cs[] = /* int 0x45 */
		{ 0xcd, 0x45 };
	st_run(m, &r, bad_cs, sizeof bad_cs);
	CHECK_VEC(r, 13);
	CHECK_EQ(st_r32(m, ST_STACK0 - 16), SEL_FREE, "#GP(target selector), EXT=0 for INT n");
	pac_destroy(m);
}

/* #GP whose gate is absent: #NP during delivery -> #DF(0); if #DF's gate is
 * absent too: triple fault -> shutdown. */
static void t_double_and_triple_fault(void)
{
	struct pac_regs r;
	pac_machine *m = st_prot32(&r);
	st_idt_set(m, 13, st_gate(SEL_C32, st_handler(13), 0x0e, 0));
	static const uint8_t code[] = /* mov eax, [0xffffffff] */
		{ 0xa1, 0xff, 0xff, 0xff, 0xff };
	st_log_events(m);
	CHECK_EQ(st_run(m, &r, code, sizeof code), PAC_EXIT_HLT, "exit");
	CHECK_VEC(r, 8);
	CHECK_EQ(st_r32(m, ST_STACK0 - 16), 0, "#DF error code 0");
	CHECK_EQ(st_r32(m, ST_STACK0 - 12), ST_CODE, "eip of the faulting mov");
	/* the #NP found while delivering #GP is never delivered: it becomes #DF */
	CHECK(st_nev == 2 && st_evs[0].vec == 13 && st_evs[1].vec == 8,
	      "events #GP, #DF (got %d)", st_nev);
	pac_destroy(m);

	m = st_prot32(&r);
	st_idt_set(m, 13, st_gate(SEL_C32, st_handler(13), 0x0e, 0));
	st_idt_set(m, 8, st_gate(SEL_C32, st_handler(8), 0x0e, 0));
	CHECK_EQ(st_run(m, &r, code, sizeof code), PAC_EXIT_SHUTDOWN, "triple fault");
	pac_destroy(m);
}

/* #TS from a bad SS0 in the TSS (RPL 0 but DPL 3): #TS(SS0 selector). */
static void t_tss_bad_ss0(void)
{
	struct pac_regs r;
	pac_machine *m = st_prot32(&r);
	st_user(&r);
	st_w32(m, ST_TSS + 8, 0x20);
	st_idt_set(m, 0x42, st_gate(SEL_C32, st_handler(0x42), 0xee, 0));
	static const uint8_t code[] = /* int 0x42 */
		{ 0xcd, 0x42 };
	st_log_events(m);
	st_run(m, &r, code, sizeof code);
	CHECK(st_nev >= 2 && st_evs[1].vec == 10, "second event is #TS");
	CHECK_EQ(st_evs[1].err, 0x20, "#TS(ss selector), EXT=0 after INT n");
	pac_destroy(m);
}

/* Entering v86 mode through IRETD, then faults from v86 push GS/FS/DS/ES
 * and zero them (APM 8.7.3). */
static const uint8_t enter_v86[] = /* push 0x44; push 0x33; push 0x22; push 0x11; push 0x2000; push 0x100; push dword [0x500]; push 0x1100; push 0; iretd */
		{ 0x6a, 0x44, 0x6a, 0x33, 0x6a, 0x22, 0x6a, 0x11, 0x68, 0x00, 0x20, 0x00, 0x00, 0x68, 0x00, 0x01, 0x00, 0x00, 0xff, 0x35, 0x00, 0x05, 0x00, 0x00, 0x68, 0x00, 0x11, 0x00, 0x00, 0x6a, 0x00, 0xcf };

static pac_machine *v86_machine(struct pac_regs *r, uint32_t eflags, const void *v86code, size_t n)
{
	pac_machine *m = st_prot32(r);
	st_w32(m, 0x500, eflags);
	pac_phys_write(m, 0x11000, v86code, n);
	return m;
}

static void t_v86_int_iopl(void)
{
	static const uint8_t v86[] = /* int 0x21 */
		{ 0xcd, 0x21 };
	struct pac_regs r;
	pac_machine *m = v86_machine(&r, 0x20002, v86, sizeof v86);
	st_run(m, &r, enter_v86, sizeof enter_v86);
	CHECK_VEC(r, 13);
	CHECK_EQ(r.gpr[PAC_RSP], ST_STACK0 - 40, "v86 frame: 9 slots + error code");
	uint32_t want[10] = { 0, 0, 0x1100, 0x30002, 0x100, 0x2000, 0x11, 0x22, 0x33, 0x44 };
	for (int i = 0; i < 10; i++)
		CHECK_EQ(st_r32(m, ST_STACK0 - 40 + 4 * (unsigned)i), want[i], "v86 frame slot");
	CHECK_EQ(r.seg[PAC_DS].sel | r.seg[PAC_ES].sel | r.seg[PAC_FS].sel | r.seg[PAC_GS].sel, 0,
		 "data selectors zeroed");
	CHECK_EQ(r.rflags & 0x20000, 0, "VM cleared");
	CHECK_EQ(r.cpl, 0, "cpl 0");
	pac_destroy(m);

	/* IOPL 3: INT n goes through the IDT (DPL 3 gate) */
	m = v86_machine(&r, 0x23002, v86, sizeof v86);
	st_idt_set(m, 0x21, st_gate(SEL_C32, st_handler(0x21), 0xee, 0));
	st_run(m, &r, enter_v86, sizeof enter_v86);
	CHECK_VEC(r, 0x21);
	CHECK_EQ(st_r32(m, ST_STACK0 - 36), 2, "pushed ip after int");
	CHECK_EQ(st_r32(m, ST_STACK0 - 32), 0x1100, "pushed v86 cs");
	pac_destroy(m);
}

/* CR4.VME with a clear redirection bit: INT n goes to the v86 IVT. */
static void t_v86_vme_redirect(void)
{
	static const uint8_t v86[] = /* int 0x21 */
		{ 0xcd, 0x21 };
	struct pac_regs r;
	pac_machine *m = v86_machine(&r, 0x20002, v86, sizeof v86);
	r.cr4 = 1; /* VME */
	st_w32(m, 0x21 * 4, 0x12000010); /* IVT: 1200:0010 */
	uint8_t hlt = 0xf4;
	pac_phys_write(m, 0x12010, &hlt, 1);
	st_run(m, &r, enter_v86, sizeof enter_v86);
	CHECK_VEC(r, 13); /* HLT in v86 mode */
	CHECK_EQ(st_r32(m, ST_STACK0 - 36), 0x10, "faulting ip in the v86 handler");
	CHECK_EQ(st_r32(m, ST_STACK0 - 32), 0x1200, "v86 handler cs");
	CHECK_EQ(st_r16(m, 0x200fa), 2, "v86 stack: ip");
	CHECK_EQ(st_r16(m, 0x200fc), 0x1100, "v86 stack: cs");
	CHECK_EQ(st_r16(m, 0x200fe), 0x3002, "v86 stack: flags with IOPL 3, IF = VIF = 0");
	pac_destroy(m);

	/* redirection bit set: IOPL < 3 -> #GP(0) */
	m = v86_machine(&r, 0x20002, v86, sizeof v86);
	r.cr4 = 1;
	uint8_t bit = 1u << (0x21 & 7);
	pac_phys_write(m, ST_TSS + 0x68 + 0x21 / 8, &bit, 1);
	st_run(m, &r, enter_v86, sizeof enter_v86);
	CHECK_VEC(r, 13);
	CHECK_EQ(st_r32(m, ST_STACK0 - 36), 0, "#GP at the INT");
	pac_destroy(m);
}

/* INT3 / INTO / INT1: vectors and return addresses. */
static void t_int3_into_int1(void)
{
	struct pac_regs r;
	pac_machine *m = st_prot32(&r);
	static const uint8_t c3[] = /* int3 */
		{ 0xcc };
	st_run(m, &r, c3, sizeof c3);
	CHECK_VEC(r, 3);
	CHECK_EQ(st_r32(m, ST_STACK0 - 12), ST_CODE + 1, "#BP pushes the next eip");
	pac_destroy(m);

	m = st_prot32(&r);
	static const uint8_t co[] = /* mov al, 0x7f; add al, 1; into */
		{ 0xb0, 0x7f, 0x04, 0x01, 0xce };
	st_run(m, &r, co, sizeof co);
	CHECK_VEC(r, 4);
	CHECK_EQ(st_r32(m, ST_STACK0 - 12), ST_CODE + 5, "#OF pushes the next eip");
	pac_destroy(m);

	m = st_prot32(&r);
	st_user(&r);
	static const uint8_t c1[] = /* int1 */
		{ 0xf1 };
	st_run(m, &r, c1, sizeof c1);
	CHECK_VEC(r, 1); /* no gate-DPL check for INT1 */
	CHECK_EQ(st_r32(m, ST_STACK0 - 20), ST_CODE + 1, "INT1 pushes the next eip");
	pac_destroy(m);
}

/* The inner stack from the TSS is too small: #SS(SS0 selector) from INT n
 * (EXT = 0); its own delivery fails the same way -> #DF -> shutdown. */
static void t_inner_stack_fault(void)
{
	struct pac_regs r;
	pac_machine *m = st_prot32(&r);
	st_gdt_set(m, SEL_FREE, st_desc(0x40000, 0xfff, 0x493));
	st_w32(m, ST_TSS + 4, 8);        /* ESP0: room for two slots only */
	st_w32(m, ST_TSS + 8, SEL_FREE); /* SS0 */
	st_idt_set(m, 0x42, st_gate(SEL_C32, st_handler(0x42), 0xee, 0));
	st_user(&r);
	static const uint8_t code[] = /* int 0x42 */
		{ 0xcd, 0x42 };
	st_log_events(m);
	CHECK_EQ(st_run(m, &r, code, sizeof code), PAC_EXIT_SHUTDOWN, "triple fault");
	CHECK(st_nev == 3 && st_evs[1].vec == 12 && st_evs[2].vec == 8, "INT, #SS, #DF (%d)", st_nev);
	CHECK_EQ(st_evs[1].err, SEL_FREE, "#SS(SS0 selector)");
	CHECK_EQ(r.cpl, 3, "still CPL 3");
	CHECK_EQ(r.seg[PAC_SS].sel, SEL_D32U, "SS untouched");
	pac_destroy(m);
}

int main(void)
{
	t_inner_stack_fault();
	t_int_same_level();
	t_trap_and_16bit_gates();
	t_user_fault_stack_switch();
	t_int_gate_dpl();
	t_idt_errors();
	t_double_and_triple_fault();
	t_tss_bad_ss0();
	t_v86_int_iopl();
	t_v86_vme_redirect();
	t_int3_into_int1();
	return test_done("intr_pm");
}
