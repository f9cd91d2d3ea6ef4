/* SPDX-License-Identifier: MIT */
/* Hardware task switching (APM vol. 2, 12.3): CALL/JMP far to a TSS, IRET
 * with NT back through the link, task gates in the IDT with the error code
 * on the new stack, 16-bit TSS, busy bits, CR0.TS, the T bit and the
 * #TS/#NP/#GP checks. 32-bit protected mode, paging off (segtest.h). */
#include "segtest.h"

#define TSS_B 0x4000u
#define SEL_B SEL_FREE
#define CODE_B (ST_CODE + 0x100)
#define STACK_B 0x60000u
#define NT 0x4000u

static void tss32_init(pac_machine *m, uint32_t base, uint32_t eip, uint32_t esp)
{
	for (unsigned i = 0; i < 0x68; i += 4)
		st_w32(m, base + i, 0);
	st_w32(m, base + 0x20, eip);
	st_w32(m, base + 0x24, 2);
	st_w32(m, base + 0x38, esp);
	static const unsigned sreg[6] = { 0x48, 0x4c, 0x50, 0x54, 0x58, 0x5c };
	for (int i = 0; i < 6; i++)
		st_w16(m, base + sreg[i], i == 1 ? SEL_C32 : SEL_D32);
	st_w16(m, base + 0x66, 0x68);
}

/* Task A (SEL_TSS, busy) plus an available 32-bit task B at TSS_B. */
static pac_machine *two_tasks(struct pac_regs *r)
{
	pac_machine *m = st_prot32(r);
	st_gdt_set(m, SEL_TSS, st_desc(ST_TSS, 0x2088, 0x08b));
	st_gdt_set(m, SEL_B, st_desc(TSS_B, 0x67, 0x089));
	tss32_init(m, TSS_B, CODE_B, STACK_B);
	st_log_events(m);
	return m;
}

static unsigned gdt_type(pac_machine *m, uint16_t sel) { return (st_r64(m, ST_GDT + sel) >> 40) & 0xf; }

/* CALL to B, which reads EFLAGS and returns with IRET (NT = 1). */
static void t_call_iret(void)
{
	struct pac_regs r;
	pac_machine *m = two_tasks(&r);
	static const uint8_t b[] = /* pushfd; pop ecx; mov ebx, 0x1234; iret */
		{ 0x9c, 0x59, 0xbb, 0x34, 0x12, 0, 0, 0xcf };
	pac_phys_write(m, CODE_B, b, sizeof b);
	static const uint8_t a[] = /* call SEL_B:0; hlt */
		{ 0x9a, 0, 0, 0, 0, SEL_B, 0, 0xf4 };
	r.gpr[PAC_RBX] = 0x77;
	CHECK_EQ(st_run(m, &r, a, sizeof a), PAC_EXIT_HLT, "exit");
	CHECK_EQ(r.rip, ST_CODE + 8, "back in task A after the CALL");
	CHECK_EQ(r.tr.sel, SEL_TSS, "TR = A");
	CHECK_EQ(r.gpr[PAC_RBX], 0x77, "A's EBX restored from its TSS");
	CHECK_EQ(st_r32(m, ST_TSS + 0x20), ST_CODE + 7, "A's TSS: EIP after the CALL");
	CHECK_EQ(st_r16(m, TSS_B), SEL_TSS, "B's link = A");
	CHECK_EQ(st_r32(m, TSS_B + 0x2c) & NT, NT, "B ran with NT = 1 (saved ECX)");
	CHECK_EQ(st_r32(m, TSS_B + 0x34), 0x1234, "B's EBX saved by the IRET");
	CHECK_EQ(st_r32(m, TSS_B + 0x20), CODE_B + 8, "B's EIP after its IRET");
	CHECK_EQ(st_r32(m, TSS_B + 0x24) & NT, 0, "IRET saves B's EFLAGS with NT = 0");
	CHECK_EQ(gdt_type(m, SEL_TSS), 0xb, "A busy");
	CHECK_EQ(gdt_type(m, SEL_B), 0x9, "B available again");
	CHECK_EQ(r.cr0 & 8, 8, "CR0.TS set");
	CHECK_EQ(r.rflags & NT, 0, "A's NT");
	pac_destroy(m);
}

/* JMP: no link, A's busy bit cleared, B busy, TR = B. */
static void t_jmp(void)
{
	struct pac_regs r;
	pac_machine *m = two_tasks(&r);
	static const uint8_t b[] = /* hlt */
		{ 0xf4 };
	pac_phys_write(m, CODE_B, b, sizeof b);
	static const uint8_t a[] = /* jmp SEL_B:0 */
		{ 0xea, 0, 0, 0, 0, SEL_B, 0 };
	r.gpr[PAC_RSI] = 0xabcd;
	st_run(m, &r, a, sizeof a);
	CHECK_EQ(r.rip, CODE_B + 1, "B runs");
	CHECK_EQ(r.tr.sel, SEL_B, "TR = B");
	CHECK_EQ(r.tr.base, TSS_B, "TR base");
	CHECK_EQ(r.gpr[PAC_RSP], STACK_B, "ESP from B's TSS");
	CHECK_EQ(r.gpr[PAC_RSI], 0, "ESI from B's TSS");
	CHECK_EQ(st_r32(m, ST_TSS + 0x40), 0xabcd, "A's ESI saved");
	CHECK_EQ(st_r32(m, ST_TSS + 0x20), ST_CODE + 7, "A's EIP saved");
	CHECK_EQ(st_r16(m, TSS_B), 0, "no link for JMP");
	CHECK_EQ(gdt_type(m, SEL_TSS), 0x9, "A available");
	CHECK_EQ(gdt_type(m, SEL_B), 0xb, "B busy");
	CHECK_EQ(r.rflags & NT, 0, "NT not set by JMP");
	pac_destroy(m);
}

/* #NP through a task gate: the error code lands on B's stack. */
static void t_task_gate_exception(void)
{
	struct pac_regs r;
	pac_machine *m = two_tasks(&r);
	st_idt_set(m, 11, st_gate(SEL_B, 0, 0x85, 0));
	static const uint8_t b[] = /* pop eax; hlt */
		{ 0x58, 0xf4 };
	pac_phys_write(m, CODE_B, b, sizeof b);
	static const uint8_t a[] = /* mov ax, SEL_DNP; mov ds, ax */
		{ 0x66, 0xb8, SEL_DNP, 0, 0x8e, 0xd8 };
	st_run(m, &r, a, sizeof a);
	CHECK_EQ(r.rip, CODE_B + 2, "B handles #NP");
	CHECK_EQ(r.gpr[PAC_RAX], SEL_DNP, "error code popped by B");
	CHECK_EQ(r.gpr[PAC_RSP], STACK_B, "one slot pushed and popped");
	CHECK_EQ(st_r32(m, ST_TSS + 0x20), ST_CODE + 4, "A's EIP: the faulting MOV");
	CHECK_EQ(st_r16(m, TSS_B), SEL_TSS, "link = A");
	CHECK_EQ(r.rflags & NT, NT, "NT set");
	CHECK_EQ(gdt_type(m, SEL_TSS), 0xb, "A stays busy");
	CHECK_EQ(gdt_type(m, SEL_B), 0xb, "B busy");
	pac_destroy(m);
}

/* 16-bit TSS: CALL and a 16-bit IRET back. */
static void t_tss16(void)
{
	struct pac_regs r;
	pac_machine *m = two_tasks(&r);
	st_gdt_set(m, SEL_B, st_desc(TSS_B, 0x2b, 0x081));
	for (unsigned i = 0; i < 0x2c; i += 2)
		st_w16(m, TSS_B + i, 0);
	st_w16(m, TSS_B + 0x0e, 0x9000); /* IP */
	st_w16(m, TSS_B + 0x10, 2);      /* FLAGS */
	st_w16(m, TSS_B + 0x1a, 0x6000); /* SP */
	st_w16(m, TSS_B + 0x22, SEL_D32);
	st_w16(m, TSS_B + 0x24, SEL_C16);
	st_w16(m, TSS_B + 0x26, SEL_D32);
	st_w16(m, TSS_B + 0x28, SEL_D32);
	static const uint8_t b[] = /* mov dx, 0x55; iret (16-bit) */
		{ 0xba, 0x55, 0x00, 0xcf };
	pac_phys_write(m, 0x9000, b, sizeof b);
	static const uint8_t a[] = /* call SEL_B:0; hlt */
		{ 0x9a, 0, 0, 0, 0, SEL_B, 0, 0xf4 };
	st_run(m, &r, a, sizeof a);
	CHECK_EQ(r.rip, ST_CODE + 8, "back in A");
	CHECK_EQ(st_r16(m, TSS_B + 0x0e), 0x9004, "B's IP saved");
	CHECK_EQ(st_r16(m, TSS_B + 0x16), 0x55, "B's DX saved");
	CHECK_EQ(st_r16(m, TSS_B), SEL_TSS, "link");
	CHECK_EQ(gdt_type(m, SEL_B), 0x1, "16-bit TSS available again");
	pac_destroy(m);
}

/* The T bit: #DB (DR6.BT) before B's first instruction. */
static void t_trap_bit(void)
{
	struct pac_regs r;
	pac_machine *m = two_tasks(&r);
	st_w16(m, TSS_B + 0x64, 1);
	r.dr[6] = 0xffff0ff0;
	static const uint8_t b[] = { 0x90, 0xf4 };
	pac_phys_write(m, CODE_B, b, sizeof b);
	static const uint8_t a[] = /* jmp SEL_B:0 */
		{ 0xea, 0, 0, 0, 0, SEL_B, 0 };
	st_run(m, &r, a, sizeof a);
	CHECK_VEC(r, 1);
	CHECK_EQ(r.dr[6], 0xffff8ff0, "DR6.BT");
	CHECK_EQ(st_r32(m, STACK_B - 12), CODE_B, "pushed EIP: B's first instruction");
	pac_destroy(m);
}

/* Checks before the switch: limit, busy, present, DPL; and a bad SS of the
 * new task, which is #TS taken in the new task. */
static void t_errors(void)
{
	struct pac_regs r;
	static const uint8_t jmp[] = /* jmp SEL_B:0 */
		{ 0xea, 0, 0, 0, 0, SEL_B, 0 };
	const struct { uint64_t desc; int vec; const char *what; } cases[] = {
		{ st_desc(TSS_B, 0x50, 0x089), 10, "limit 0x50 < 0x67: #TS(sel)" },
		{ st_desc(TSS_B, 0x67, 0x08b), 13, "busy TSS: #GP(sel)" },
		{ st_desc(TSS_B, 0x67, 0x009), 11, "not present: #NP(sel)" },
	};
	for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		pac_machine *m = two_tasks(&r);
		st_gdt_set(m, SEL_B, cases[i].desc);
		st_run(m, &r, jmp, sizeof jmp);
		CHECK(st_nev >= 1 && st_evs[0].vec == cases[i].vec && st_evs[0].err == SEL_B,
		      "%s (vector %d err %#x)", cases[i].what, st_nev ? st_evs[0].vec : -1,
		      st_nev ? st_evs[0].err : 0);
		CHECK_EQ(r.tr.sel, SEL_TSS, "no switch");
		CHECK_EQ(st_r32(m, ST_STACK0 - 12), ST_CODE, "fault on the JMP");
		pac_destroy(m);
	}

	pac_machine *m = two_tasks(&r);
	st_user(&r);
	st_run(m, &r, jmp, sizeof jmp);
	CHECK(st_nev >= 1 && st_evs[0].vec == 13 && st_evs[0].err == SEL_B, "CPL 3 > DPL: #GP(sel)");
	pac_destroy(m);

	m = two_tasks(&r);
	st_w16(m, TSS_B + 0x50, SEL_DRO);
	st_run(m, &r, jmp, sizeof jmp);
	CHECK(st_nev >= 1 && st_evs[0].vec == 10 && st_evs[0].err == SEL_DRO, "read-only SS: #TS(ss)");
	CHECK_EQ(r.tr.sel, SEL_B, "taken after the switch");
	CHECK_EQ(st_r32(m, STACK_B - 12), CODE_B, "pushed EIP of the new task");

	/* IRET with NT = 1 whose link names an available TSS: #TS(link) */
	pac_destroy(m);
	m = two_tasks(&r);
	st_w16(m, ST_TSS, SEL_B);
	r.rflags = 2 | NT;
	static const uint8_t iret[] = { 0xcf };
	st_run(m, &r, iret, sizeof iret);
	CHECK(st_nev >= 1 && st_evs[0].vec == 10 && st_evs[0].err == SEL_B, "IRET: link not busy, #TS");
	pac_destroy(m);
}

int main(void)
{
	t_call_iret();
	t_jmp();
	t_task_gate_exception();
	t_tss16();
	t_trap_bit();
	t_errors();
	return test_done("task");
}
