/* SPDX-License-Identifier: MIT */
/* Far transfers in protected mode (APM vol. 2, 4.11; vol. 3 JMP/CALL/RET
 * far, IRET): direct, conforming, call gates with a stack switch and
 * parameter copy, returns to an outer level, IRET, real mode. */
#include "segtest.h"

#define KCODE 0x12000u /* ring-0 code reached through gates */

/* JMP far to another code segment and to a data segment (#GP(sel)). */
static void t_jmp_far_direct(void)
{
	struct pac_regs r;
	pac_machine *m = st_prot32(&r);
	static const uint8_t code[] = /* jmp 0x40:0x0020; times 0x20 - ($ - $$) nop; hlt */
		{ 0xea, 0x20, 0x00, 0x00, 0x00, 0x40, 0x00, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0xf4 };
	pac_phys_write(m, 0x20, "\xf4", 1);
	st_run(m, &r, code, sizeof code);
	CHECK_EQ(r.seg[PAC_CS].sel, SEL_C16, "cs = 16-bit code");
	CHECK_EQ(r.rip, 0x21, "rip");
	CHECK_EQ(r.seg[PAC_CS].attr & 0xff, 0x9b, "accessed bit in the cache");
	pac_destroy(m);

	m = st_prot32(&r);
	static const uint8_t bad[] = /* jmp 0x10:0 */
		{ 0xea, 0x00, 0x00, 0x00, 0x00, 0x10, 0x00 };
	st_run(m, &r, bad, sizeof bad);
	CHECK_VEC(r, 13);
	CHECK_EQ(st_r32(m, ST_STACK0 - 16), SEL_D32, "#GP(data selector)");
	pac_destroy(m);

	/* conforming DPL 0 code from CPL 3: CPL stays 3, CS.RPL = 3 */
	m = st_prot32(&r);
	st_user(&r);
	static const uint8_t conf[] = /* jmp 0x58:0x10008; nop; nop; int3 */
		{ 0xea, 0x08, 0x00, 0x01, 0x00, 0x58, 0x00, 0x90, 0x90, 0xcc };
	st_idt_set(m, 3, st_gate(SEL_C32, st_handler(3), 0xee, 0));
	st_run(m, &r, conf, sizeof conf);
	CHECK_VEC(r, 3);
	CHECK_EQ(st_r32(m, ST_STACK0 - 16), SEL_CCONF | 3, "pushed cs: conforming, RPL 3");
	pac_destroy(m);
}

/* CALL through a 32-bit call gate from CPL 3 to CPL 0 with 2 parameters,
 * then RETF 8 back: DS with DPL 0 becomes null. */
static void t_call_gate_inner(void)
{
	struct pac_regs r;
	pac_machine *m = st_prot32(&r);
	st_gdt_set(m, SEL_FREE, st_gate(SEL_C32, KCODE, 0xec, 2));
	pac_phys_write(m, KCODE, "\xf4", 1);
	st_user(&r);
	static const uint8_t code[] = /* push 0x11111111; push 0x22222222; call 0x63:0; int3 */
		{ 0x68, 0x11, 0x11, 0x11, 0x11, 0x68, 0x22, 0x22, 0x22, 0x22, 0x9a, 0x00, 0x00, 0x00, 0x00, 0x63, 0x00, 0xcc };
	st_run(m, &r, code, sizeof code);
	CHECK_EQ(r.rip, KCODE + 1, "gate target ran");
	CHECK_EQ(r.cpl, 0, "cpl 0");
	CHECK_EQ(r.seg[PAC_SS].sel, SEL_D32, "ss0");
	CHECK_EQ(r.gpr[PAC_RSP], ST_STACK0 - 24, "esp0 - 6 slots");
	uint32_t want[6] = { ST_CODE + 17, SEL_C32U, 0x22222222, 0x11111111, ST_STACK3 - 8, SEL_D32U };
	for (int i = 0; i < 6; i++)
		CHECK_EQ(st_r32(m, ST_STACK0 - 24 + 4 * (unsigned)i), want[i], "call-gate frame slot");
	pac_destroy(m);

	m = st_prot32(&r);
	st_gdt_set(m, SEL_FREE, st_gate(SEL_C32, KCODE, 0xec, 2));
	static const uint8_t ret8[] = /* retf 8 */
		{ 0xca, 0x08, 0x00 };
	pac_phys_write(m, KCODE, ret8, sizeof ret8);
	st_idt_set(m, 3, st_gate(SEL_C32, st_handler(3), 0xee, 0));
	st_user(&r);
	tm_seg(&r.seg[PAC_DS], SEL_D32, 0xc93); /* DPL 0 data left in DS */
	st_run(m, &r, code, sizeof code);
	CHECK_VEC(r, 3);
	CHECK_EQ(st_r32(m, ST_STACK0 - 20), ST_CODE + 17 + 1, "int3 after the return ran at CPL 3");
	CHECK_EQ(st_r32(m, ST_STACK0 - 16), SEL_C32U, "from CPL 3 code");
	CHECK_EQ(st_r32(m, ST_STACK0 - 8), ST_STACK3, "retf 8 released the parameters");
	CHECK_EQ(r.seg[PAC_DS].sel, 0, "DS (DPL 0) nulled on return to CPL 3");
	CHECK_EQ(r.seg[PAC_ES].sel, SEL_D32U, "ES (DPL 3) kept");
	pac_destroy(m);
}

/* Call-gate checks: gate DPL < CPL -> #GP(gate); absent gate -> #NP(gate);
 * JMP through a gate to a more privileged non-conforming segment -> #GP(cs). */
static void t_call_gate_checks(void)
{
	struct pac_regs r;
	pac_machine *m = st_prot32(&r);
	st_gdt_set(m, SEL_FREE, st_gate(SEL_C32, KCODE, 0x8c, 0)); /* DPL 0 */
	st_user(&r);
	static const uint8_t code[] = /* call 0x63:0 */
		{ 0x9a, 0x00, 0x00, 0x00, 0x00, 0x63, 0x00 };
	st_run(m, &r, code, sizeof code);
	CHECK_VEC(r, 13);
	CHECK_EQ(st_r32(m, ST_STACK0 - 24), SEL_FREE, "#GP(gate selector)");
	pac_destroy(m);

	m = st_prot32(&r);
	st_gdt_set(m, SEL_FREE, st_gate(SEL_C32, KCODE, 0x6c, 0)); /* DPL 3, not present */
	st_user(&r);
	st_run(m, &r, code, sizeof code);
	CHECK_VEC(r, 11);
	CHECK_EQ(st_r32(m, ST_STACK0 - 24), SEL_FREE, "#NP(gate selector)");
	pac_destroy(m);

	m = st_prot32(&r);
	st_gdt_set(m, SEL_FREE, st_gate(SEL_C32, KCODE, 0xec, 0));
	st_user(&r);
	static const uint8_t jmp[] = /* jmp 0x63:0 */
		{ 0xea, 0x00, 0x00, 0x00, 0x00, 0x63, 0x00 };
	st_run(m, &r, jmp, sizeof jmp);
	CHECK_VEC(r, 13);
	CHECK_EQ(st_r32(m, ST_STACK0 - 24), SEL_C32, "#GP(target cs) for JMP to inner level");
	pac_destroy(m);
}

/* Same-level far CALL / RETF. */
static void t_call_ret_same_level(void)
{
	struct pac_regs r;
	pac_machine *m = st_prot32(&r);
	static const uint8_t code[] = /* call 0x08:0x10010; hlt; times 0x10 - ($ - $$) nop; retf */
		{ 0x9a, 0x10, 0x00, 0x01, 0x00, 0x08, 0x00, 0xf4, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0xcb };
	st_run(m, &r, code, sizeof code);
	CHECK_EQ(r.rip, ST_CODE + 8, "hlt after the return");
	CHECK_EQ(r.gpr[PAC_RSP], ST_STACK0, "retf popped both slots");
	CHECK_EQ(st_r32(m, ST_STACK0 - 8), ST_CODE + 7, "pushed eip");
	CHECK_EQ(st_r32(m, ST_STACK0 - 4), SEL_C32, "pushed cs");
	pac_destroy(m);
}

/* IRETD to CPL 3 pops SS:ESP; DPL 0 data selectors are nulled; the
 * privileged flags follow CPL/IOPL. */
static void t_iret_outer(void)
{
	struct pac_regs r;
	pac_machine *m = st_prot32(&r);
	st_idt_set(m, 3, st_gate(SEL_C32, st_handler(3), 0xee, 0));
	static const uint8_t code[] = /* push 0x23; push 0x6fff0; push 0x3202; push 0x1b; push 0x10100; iretd */
		{ 0x6a, 0x23, 0x68, 0xf0, 0xff, 0x06, 0x00, 0x68, 0x02, 0x32, 0x00, 0x00, 0x6a, 0x1b, 0x68, 0x00, 0x01, 0x01, 0x00, 0xcf };
	pac_phys_write(m, 0x10100, "\xcc", 1);
	st_run(m, &r, code, sizeof code);
	CHECK_VEC(r, 3);
	uint32_t want[5] = { 0x10101, SEL_C32U, 0x3202, 0x6fff0, SEL_D32U };
	for (int i = 0; i < 5; i++)
		CHECK_EQ(st_r32(m, ST_STACK0 - 20 + 4 * (unsigned)i), want[i], "frame after iret to CPL 3");
	CHECK_EQ(r.seg[PAC_DS].sel, 0, "DS nulled");
	pac_destroy(m);

	/* INT + IRET round trip at CPL 0 */
	m = st_prot32(&r);
	pac_phys_write(m, st_handler(0x43), "\xcf", 1);
	r.rflags = 0x202;
	static const uint8_t rt[] = /* int 0x43; hlt */
		{ 0xcd, 0x43, 0xf4 };
	r.rflags = 0x2;
	st_run(m, &r, rt, sizeof rt);
	CHECK_EQ(r.rip, ST_CODE + 3, "returned after int");
	CHECK_EQ(r.gpr[PAC_RSP], ST_STACK0, "esp restored");
	pac_destroy(m);

	/* IRET to a lower-privileged CS with RPL < CPL -> #GP(cs) */
	m = st_prot32(&r);
	st_user(&r);
	static const uint8_t bad[] = /* push 0x202; push 0x08; push 0; iretd */
		{ 0x68, 0x02, 0x02, 0x00, 0x00, 0x6a, 0x08, 0x6a, 0x00, 0xcf };
	st_run(m, &r, bad, sizeof bad);
	CHECK_VEC(r, 13);
	CHECK_EQ(st_r32(m, ST_STACK0 - 24), SEL_C32, "#GP(cs selector)");
	pac_destroy(m);
}

/* Real mode: far JMP/CALL/RETF and INT/IRET through the IVT. */
static void t_real_mode(void)
{
	pac_machine *m = tm_new();
	struct pac_regs r;
	tm_real(m, &r, 0x7c00);
	r.rflags = 0x202;
	static const uint8_t code[] = /* call 0x0800:0x0010; mov bx, cs; int 0x30; hlt */
		{ 0x9a, 0x10, 0x00, 0x00, 0x08, 0x8c, 0xcb, 0xcd, 0x30, 0xf4 };
	static const uint8_t far[] = /* mov ax, cs; retf */
		{ 0x8c, 0xc8, 0xcb };
	static const uint8_t isr[] = /* mov cx, 0x5a5a; iret */
		{ 0xb9, 0x5a, 0x5a, 0xcf };
	pac_phys_write(m, 0x8010, far, sizeof far);
	pac_phys_write(m, 0x9000, isr, sizeof isr);
	st_w32(&*m, 0x30 * 4, 0x09000000);
	CHECK_EQ(tm_run(m, &r, code, sizeof code, 0x7c00), PAC_EXIT_HLT, "exit");
	pac_get_regs(m, 0, &r);
	CHECK_EQ(r.gpr[PAC_RAX] & 0xffff, 0x0800, "far call target ran with CS = 0x800");
	CHECK_EQ(r.gpr[PAC_RBX] & 0xffff, 0, "CS restored by retf");
	CHECK_EQ(r.gpr[PAC_RCX] & 0xffff, 0x5a5a, "int handler ran");
	CHECK_EQ(r.gpr[PAC_RSP] & 0xffff, 0x7000, "stack balanced");
	CHECK_EQ(r.rflags & 0x200, 0x200, "iret restored IF");
	CHECK_EQ(r.rip, 0x7c0a, "hlt");
	pac_destroy(m);
}

/* IRET inside v86 mode: IOPL 3 pops FLAGS/CS/IP; IOPL 0 with CR4.VME
 * moves the popped IF into VIF; IOPL 0 without VME is #GP(0). */
static const uint8_t enter_v86[] = /* push 0; push 0; push 0; push 0; push 0x2000; push 0x100; push dword [0x500]; push 0x1100; push 0; iretd */
		{ 0x6a, 0x00, 0x6a, 0x00, 0x6a, 0x00, 0x6a, 0x00, 0x68, 0x00, 0x20, 0x00, 0x00, 0x68, 0x00, 0x01, 0x00, 0x00, 0xff, 0x35, 0x00, 0x05, 0x00, 0x00, 0x68, 0x00, 0x11, 0x00, 0x00, 0x6a, 0x00, 0xcf };
static const uint8_t v86_iret[] = /* pushf; push cs; push 0x20; iret; times 0x20 - ($ - $$) nop; int3 */
		{ 0x9c, 0x0e, 0x6a, 0x20, 0xcf, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0xcc };

static pac_machine *v86_iret_machine(struct pac_regs *r, uint32_t eflags)
{
	pac_machine *m = st_prot32(r);
	st_w32(m, 0x500, eflags);
	pac_phys_write(m, 0x11000, v86_iret, sizeof v86_iret);
	st_idt_set(m, 3, st_gate(SEL_C32, st_handler(3), 0xee, 0));
	return m;
}

static void t_v86_iret(void)
{
	struct pac_regs r;
	pac_machine *m = v86_iret_machine(&r, 0x23002);
	st_run(m, &r, enter_v86, sizeof enter_v86);
	CHECK_VEC(r, 3);
	CHECK_EQ(st_r32(m, ST_STACK0 - 36), 0x21, "int3 at the iret target (IOPL 3)");
	CHECK_EQ(st_r32(m, ST_STACK0 - 28) & 0x23000, 0x23000, "still v86, IOPL 3");
	pac_destroy(m);

	m = v86_iret_machine(&r, 0x20002);
	st_run(m, &r, enter_v86, sizeof enter_v86);
	CHECK_VEC(r, 13);
	CHECK_EQ(st_r32(m, ST_STACK0 - 36), 0, "IOPL 0, no VME: PUSHF faults first");
	pac_destroy(m);

	m = v86_iret_machine(&r, 0x20002);
	r.cr4 = 1; /* VME: PUSHF/IRET use VIF */
	st_run(m, &r, enter_v86, sizeof enter_v86);
	CHECK_VEC(r, 3);
	CHECK_EQ(st_r32(m, ST_STACK0 - 36), 0x21, "VME: iret reached its target");
	pac_destroy(m);
}

/* A task gate in the IDT naming the busy current TSS: #GP(TSS selector)
 * (task switches themselves: test_task.c). */
static void t_task_gate_busy(void)
{
	struct pac_regs r;
	pac_machine *m = st_prot32(&r);
	st_gdt_set(m, SEL_TSS, st_desc(ST_TSS, 0x2088, 0x08b));
	st_idt_set(m, 0x46, st_gate(SEL_TSS, 0, 0x85, 0));
	static const uint8_t code[] = /* int 0x46 */
		{ 0xcd, 0x46 };
	CHECK_EQ(st_run(m, &r, code, sizeof code), PAC_EXIT_HLT, "exit");
	CHECK_VEC(r, 13);
	CHECK_EQ(st_r32(m, ST_STACK0 - 16), SEL_TSS, "#GP(busy TSS selector)");
	pac_destroy(m);
}

/* A far CALL whose pushes fault (#SS) leaves CS/CPL untouched and reports
 * the CALL itself. */
static void t_call_push_fault(void)
{
	struct pac_regs r;
	pac_machine *m = st_prot32(&r);
	st_gdt_set(m, SEL_FREE, st_desc(0x40000, 0xfff, 0x4f3)); /* 4 KiB user stack */
	st_user(&r);
	r.seg[PAC_SS] = (struct pac_seg){ SEL_FREE | 3, 0x4f3, 0xfff, 0x40000 };
	r.gpr[PAC_RSP] = 4;
	static const uint8_t code[] = /* call 0x1b:0x10100 */
		{ 0x9a, 0x00, 0x01, 0x01, 0x00, 0x1b, 0x00 };
	st_run(m, &r, code, sizeof code);
	CHECK_VEC(r, 12);
	CHECK_EQ(st_r32(m, ST_STACK0 - 24), 0, "#SS(0)");
	CHECK_EQ(st_r32(m, ST_STACK0 - 20), ST_CODE, "eip of the call");
	CHECK_EQ(st_r32(m, ST_STACK0 - 16), SEL_C32U, "cs unchanged");
	CHECK_EQ(st_r32(m, ST_STACK0 - 8), 4, "esp unchanged");
	CHECK_EQ(st_r32(m, 0x40000), 0, "nothing written below the limit");
	pac_destroy(m);
}

/* 16-bit call gate: 2-byte slots, one 2-byte parameter copied. */
static void t_call_gate16(void)
{
	struct pac_regs r;
	pac_machine *m = st_prot32(&r);
	st_gdt_set(m, SEL_FREE, st_gate(SEL_C32, 0x9000, 0xe4, 1)); /* 16-bit offset */
	pac_phys_write(m, 0x9000, "\xf4", 1);
	st_user(&r);
	static const uint8_t code[] = /* push word 0x7777; call 0x63:0 */
		{ 0x66, 0x68, 0x77, 0x77, 0x9a, 0x00, 0x00, 0x00, 0x00, 0x63, 0x00 };
	st_run(m, &r, code, sizeof code);
	CHECK_EQ(r.rip, 0x9001, "gate target ran");
	CHECK_EQ(r.gpr[PAC_RSP], ST_STACK0 - 10, "five 2-byte slots");
	uint16_t want[5] = { (ST_CODE + 11) & 0xffff, SEL_C32U, 0x7777, (ST_STACK3 - 2) & 0xffff, SEL_D32U };
	for (int i = 0; i < 5; i++)
		CHECK_EQ(st_r16(m, ST_STACK0 - 10 + 2 * (unsigned)i), want[i], "16-bit gate frame slot");
	pac_destroy(m);
}

/* Expand-down 32-bit stack: the frame lands above the limit. */
static void t_expand_down_stack(void)
{
	struct pac_regs r;
	pac_machine *m = st_prot32(&r);
	r.seg[PAC_SS] = (struct pac_seg){ SEL_FREE, 0x497, 0xfff, 0x40000 };
	r.gpr[PAC_RSP] = 0x2000;
	static const uint8_t code[] = /* int 0x40 */
		{ 0xcd, 0x40 };
	st_run(m, &r, code, sizeof code);
	CHECK_VEC(r, 0x40);
	CHECK_EQ(r.gpr[PAC_RSP], 0x2000 - 12, "esp");
	CHECK_EQ(st_r32(m, 0x40000 + 0x2000 - 12), ST_CODE + 2, "pushed eip at SS.base + esp");
	pac_destroy(m);
}

int main(void)
{
	t_call_gate16();
	t_expand_down_stack();
	t_call_push_fault();
	t_jmp_far_direct();
	t_call_gate_inner();
	t_call_gate_checks();
	t_call_ret_same_level();
	t_iret_outer();
	t_real_mode();
	t_v86_iret();
	t_task_gate_busy();
	return test_done("seg_far");
}
