/* SPDX-License-Identifier: MIT */
/* Long-mode event delivery and control transfers (APM vol. 2, 8.9; 4.8;
 * 6.1.1): 64-bit gates, RSP alignment, SS:RSP always pushed, RSP0 and IST
 * stacks, IRETQ to CPL 3, SYSCALL/SYSRET, 64-bit call gates, far jumps
 * from compatibility mode into 64-bit code, SWAPGS. */
#include "segtest.h"
#include "../../cpu/core/cpu.h"

#define KCODE 0x12000u

static struct cpu *cpu0(pac_machine *m) { return m->cpus[0]; }

/* INT n at CPL 0: RSP aligned down to 16, five 8-byte slots. */
static void t_int64_same_level(void)
{
	struct pac_regs r;
	pac_machine *m = st_long64(&r);
	r.gpr[PAC_RSP] = ST_STACK0 + 8;
	r.rflags = 0x202;
	static const uint8_t code[] = /* int 0x40 */
		{ 0xcd, 0x40 };
	CHECK_EQ(st_run(m, &r, code, sizeof code), PAC_EXIT_HLT, "exit");
	CHECK_VEC(r, 0x40);
	uint64_t sp = ST_STACK0 - 40;
	CHECK_EQ(r.gpr[PAC_RSP], sp, "aligned, then 5 slots");
	CHECK_EQ(st_r64(m, sp), ST_CODE + 2, "rip");
	CHECK_EQ(st_r64(m, sp + 8), SEL_C64, "cs");
	CHECK_EQ(st_r64(m, sp + 16), 0x202, "rflags");
	CHECK_EQ(st_r64(m, sp + 24), ST_STACK0 + 8, "old rsp");
	CHECK_EQ(st_r64(m, sp + 32), SEL_D32, "old ss");
	CHECK_EQ(r.rflags & 0x200, 0, "IF cleared");
	pac_destroy(m);
}

/* #GP at CPL 3: RSP0 from the TSS, SS becomes a null selector. */
static void t_user_fault64(void)
{
	struct pac_regs r;
	pac_machine *m = st_long64(&r);
	st_user64(&r);
	static const uint8_t code[] = /* hlt */
		{ 0xf4 };
	st_run(m, &r, code, sizeof code);
	CHECK_VEC(r, 13);
	CHECK_EQ(r.cpl, 0, "cpl");
	CHECK_EQ(r.seg[PAC_SS].sel, 0, "null SS");
	uint64_t sp = ST_STACK0 - 48;
	CHECK_EQ(r.gpr[PAC_RSP], sp, "rsp0 - 6 slots");
	CHECK_EQ(st_r64(m, sp), 0, "error code");
	CHECK_EQ(st_r64(m, sp + 8), ST_CODE, "rip");
	CHECK_EQ(st_r64(m, sp + 16), SEL_C64U, "cs");
	CHECK_EQ(st_r64(m, sp + 32), ST_STACK3, "rsp");
	CHECK_EQ(st_r64(m, sp + 40), SEL_D32U, "ss");
	pac_destroy(m);
}

/* IST: a gate with IST = 2 always switches to IST2, even at CPL 0. */
static void t_ist(void)
{
	struct pac_regs r;
	pac_machine *m = st_long64(&r);
	st_w64(m, ST_TSS + 0x24 + 8, 0x60008); /* IST2, misaligned */
	st_idt64_set(m, 0x41, SEL_C64, st_handler(0x41), 0x8e, 2);
	static const uint8_t code[] = /* int 0x41 */
		{ 0xcd, 0x41 };
	st_run(m, &r, code, sizeof code);
	CHECK_VEC(r, 0x41);
	CHECK_EQ(r.gpr[PAC_RSP], 0x60000 - 40, "IST2 aligned down, 5 slots");
	CHECK_EQ(st_r64(m, 0x60000 - 16), ST_STACK0, "old rsp pushed");
	pac_destroy(m);

	/* non-canonical IST pointer: #SS during delivery -> #DF via IST? no: via RSP */
	m = st_long64(&r);
	st_w64(m, ST_TSS + 0x24 + 8, 0x8000000000000000ull);
	st_idt64_set(m, 0x41, SEL_C64, st_handler(0x41), 0x8e, 2);
	st_run(m, &r, code, sizeof code);
	CHECK_VEC(r, 12);
	pac_destroy(m);
}

/* IRETQ to CPL 3 and back in through a DPL 3 gate. */
static void t_iretq_user(void)
{
	struct pac_regs r;
	pac_machine *m = st_long64(&r);
	st_idt64_set(m, 3, SEL_C64, st_handler(3), 0xee, 0);
	static const uint8_t code[] = /* push 0x23; push 0x6fff0; push 0x202; push 0x3b; push 0x10100; iretq */
		{ 0x6a, 0x23, 0x68, 0xf0, 0xff, 0x06, 0x00, 0x68, 0x02, 0x02, 0x00, 0x00, 0x6a, 0x3b, 0x68, 0x00, 0x01, 0x01, 0x00, 0x48, 0xcf };
	pac_phys_write(m, 0x10100, "\xcc", 1);
	st_run(m, &r, code, sizeof code);
	CHECK_VEC(r, 3);
	uint64_t sp = ST_STACK0 - 40;
	CHECK_EQ(st_r64(m, sp), 0x10101, "rip after int3");
	CHECK_EQ(st_r64(m, sp + 8), SEL_C64U, "user cs");
	CHECK_EQ(st_r64(m, sp + 24), 0x6fff0, "user rsp");
	CHECK_EQ(st_r64(m, sp + 32), SEL_D32U, "user ss");
	pac_destroy(m);

	/* IRETQ at CPL 0 to CPL 0 pops SS:RSP too (a null SS is fine) */
	m = st_long64(&r);
	static const uint8_t same[] = /* mov rax, rsp; push 0; push 0x50000; push 0x2; push 0x30; lea rcx, [rel done]; push rcx; iretq; done: hlt */
		{ 0x48, 0x89, 0xe0, 0x6a, 0x00, 0x68, 0x00, 0x00, 0x05, 0x00, 0x6a, 0x02, 0x6a, 0x30, 0x48, 0x8d, 0x0d, 0x03, 0x00, 0x00, 0x00, 0x51, 0x48, 0xcf, 0xf4 };
	st_run(m, &r, same, sizeof same);
	CHECK_EQ(r.rip, ST_CODE + sizeof same, "iretq landed");
	CHECK_EQ(r.gpr[PAC_RSP], 0x50000, "rsp popped");
	CHECK_EQ(r.seg[PAC_SS].sel, 0, "null ss popped");
	pac_destroy(m);
}

/* SYSCALL / SYSRET round trip: RCX/R11, SFMASK, STAR selectors, CPL. */
static void t_syscall_sysret(void)
{
	struct pac_regs r;
	pac_machine *m = st_long64(&r);
	struct cpu *c = cpu0(m);
	c->msr.star = (0x18ull << 48) | (0x30ull << 32);
	c->msr.lstar = KCODE;
	c->msr.sfmask = 0x200;
	static const uint8_t k[] = /* mov rbx, rcx; mov r12, r11; pushfq; pop r13; mov r14, cs; mov r15, ss; o64 sysret */
		{ 0x48, 0x89, 0xcb, 0x4d, 0x89, 0xdc, 0x9c, 0x41, 0x5d, 0x41, 0x8c, 0xce, 0x41, 0x8c, 0xd7, 0x48, 0x0f, 0x07 };
	pac_phys_write(m, KCODE, k, sizeof k);
	st_idt64_set(m, 3, SEL_C64, st_handler(3), 0xee, 0);
	st_user64(&r);
	r.rflags = 0x202;
	static const uint8_t code[] = /* syscall; int3 */
		{ 0x0f, 0x05, 0xcc };
	st_run(m, &r, code, sizeof code);
	CHECK_VEC(r, 3);
	CHECK_EQ(r.gpr[PAC_RBX], ST_CODE + 2, "rcx = return rip");
	CHECK_EQ(r.gpr[PAC_R12], 0x202, "r11 = rflags");
	CHECK_EQ(r.gpr[PAC_R13] & 0x200, 0, "SFMASK cleared IF");
	CHECK_EQ(r.gpr[PAC_R14], 0x30, "kernel cs = STAR[47:32]");
	CHECK_EQ(r.gpr[PAC_R15], 0x38, "kernel ss = STAR[47:32] + 8");
	uint64_t sp = ST_STACK0 - 40;
	CHECK_EQ(st_r64(m, sp), ST_CODE + 3, "int3 ran after sysret");
	CHECK_EQ(st_r64(m, sp + 8), 0x2b, "user cs = STAR[63:48] + 16 | 3");
	CHECK_EQ(st_r64(m, sp + 16) & 0x200, 0x200, "IF restored from r11");
	CHECK_EQ(st_r64(m, sp + 32), 0x23, "user ss = STAR[63:48] + 8 | 3");
	pac_destroy(m);

	/* non-canonical RCX: AMD completes SYSRET and the #GP(0) comes from the
	 * fetch at CPL 3 (Intel would fault in ring 0) */
	m = st_long64(&r);
	m->cpus[0]->msr.star = 0x18ull << 48;
	static const uint8_t bad[] = /* mov rcx, 0x0000800000000000; o64 sysret */
		{ 0x48, 0xb9, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80, 0x00, 0x00, 0x48, 0x0f, 0x07 };
	st_run(m, &r, bad, sizeof bad);
	CHECK_VEC(r, 13);
	CHECK_EQ(r.gpr[PAC_RSP], ST_STACK0 - 48, "fault delivered through RSP0");
	CHECK_EQ(st_r64(m, ST_STACK0 - 40), 0x0000800000000000ull, "faulting rip = rcx");
	CHECK_EQ(st_r64(m, ST_STACK0 - 32), 0x2b, "faulting cs: CPL 3");
	pac_destroy(m);

	/* EFER.SCE = 0: #UD */
	m = st_long64(&r);
	r.efer &= ~1ull;
	static const uint8_t sc[] = /* syscall */
		{ 0x0f, 0x05 };
	st_run(m, &r, sc, sizeof sc);
	CHECK_VEC(r, 6);
	pac_destroy(m);
}

/* Compatibility mode -> JMP far into 64-bit code. */
static void t_jmp_into_64(void)
{
	struct pac_regs r;
	pac_machine *m = st_long64(&r);
	tm_seg(&r.seg[PAC_CS], SEL_C32, 0xc9b);
	static const uint8_t code[] = /* jmp 0x30:0x10010; times 16 - ($ - $$) nop */
		{ 0xea, 0x10, 0x00, 0x01, 0x00, 0x30, 0x00, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90 };
	static const uint8_t c64[] = /* mov rax, 0x1122334455667788; hlt */
		{ 0x48, 0xb8, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11, 0xf4 };
	pac_phys_write(m, 0x10010, c64, sizeof c64);
	st_run(m, &r, code, sizeof code);
	CHECK_EQ(r.gpr[PAC_RAX], 0x1122334455667788ull, "64-bit code ran");
	CHECK_EQ(r.seg[PAC_CS].sel, SEL_C64, "cs");
	pac_destroy(m);

	/* L = 1 and D = 1 is reserved: #GP(sel) */
	m = st_long64(&r);
	tm_seg(&r.seg[PAC_CS], SEL_C32, 0xc9b);
	st_gdt_set(m, SEL_FREE, st_desc(0, 0xfffff, 0xe9b));
	static const uint8_t bad[] = /* jmp 0x60:0 */
		{ 0xea, 0x00, 0x00, 0x00, 0x00, 0x60, 0x00 };
	st_run(m, &r, bad, sizeof bad);
	CHECK_VEC(r, 13);
	CHECK_EQ(st_r64(m, ST_STACK0 - 48), SEL_FREE, "#GP(sel)");
	pac_destroy(m);
}

/* 64-bit call gate from CPL 3: RSP0, null SS, four 8-byte slots; INTO #UD. */
static void t_call_gate64(void)
{
	struct pac_regs r;
	pac_machine *m = st_long64(&r);
	st_gdt_set(m, SEL_FREE, st_gate(SEL_C64, KCODE, 0xec, 0));
	st_gdt_set(m, SEL_FREE + 8, 0);
	pac_phys_write(m, KCODE, "\xf4", 1);
	st_w32(m, 0x800, 0);
	st_w16(m, 0x804, SEL_FREE | 3);
	st_user64(&r);
	static const uint8_t code[] = /* call far dword [0x800] */
		{ 0xff, 0x1c, 0x25, 0x00, 0x08, 0x00, 0x00 };
	st_run(m, &r, code, sizeof code);
	CHECK_EQ(r.rip, KCODE + 1, "gate target ran");
	CHECK_EQ(r.cpl, 0, "cpl 0");
	CHECK_EQ(r.seg[PAC_SS].sel, 0, "null ss");
	uint64_t sp = ST_STACK0 - 32;
	CHECK_EQ(r.gpr[PAC_RSP], sp, "rsp0 - 4 slots");
	CHECK_EQ(st_r64(m, sp), ST_CODE + 7, "return rip");
	CHECK_EQ(st_r64(m, sp + 8), SEL_C64U, "cs");
	CHECK_EQ(st_r64(m, sp + 16), ST_STACK3, "rsp");
	CHECK_EQ(st_r64(m, sp + 24), SEL_D32U, "ss");
	pac_destroy(m);

	m = st_long64(&r);
	static const uint8_t into[] = /* db 0xce */
		{ 0xce };
	st_run(m, &r, into, sizeof into);
	CHECK_VEC(r, 6);
	pac_destroy(m);
}

static void t_swapgs(void)
{
	struct pac_regs r;
	pac_machine *m = st_long64(&r);
	cpu0(m)->msr.kernel_gs_base = 0xffff800000001000ull;
	r.seg[PAC_GS].base = 0x1234;
	static const uint8_t code[] = /* swapgs; hlt */
		{ 0x0f, 0x01, 0xf8, 0xf4 };
	st_run(m, &r, code, sizeof code);
	CHECK_EQ(r.seg[PAC_GS].base, 0xffff800000001000ull, "gs base swapped in");
	CHECK_EQ(cpu0(m)->msr.kernel_gs_base, 0x1234, "old base in KERNEL_GS_BASE");
	pac_destroy(m);

	m = st_long64(&r);
	st_user64(&r);
	st_run(m, &r, code, sizeof code);
	CHECK_VEC(r, 13);
	CHECK_EQ(st_r64(m, ST_STACK0 - 40), ST_CODE, "swapgs at CPL 3: #GP");
	pac_destroy(m);
}

/* RETFQ from 64-bit code to a 32-bit code segment (compatibility mode),
 * and SYSRET without REX.W to 32-bit user code. */
static void t_out_of_64(void)
{
	struct pac_regs r;
	pac_machine *m = st_long64(&r);
	static const uint8_t code[] = /* push 0x08; push 0x10100; retfq */
		{ 0x6a, 0x08, 0x68, 0x00, 0x01, 0x01, 0x00, 0x48, 0xcb };
	static const uint8_t c32[] = /* mov eax, 0x12345678; db 0x48; hlt */
		{ 0xb8, 0x78, 0x56, 0x34, 0x12, 0x48, 0xf4 };
	pac_phys_write(m, 0x10100, c32, sizeof c32);
	st_run(m, &r, code, sizeof code);
	CHECK_EQ(r.seg[PAC_CS].sel, SEL_C32, "cs");
	CHECK_EQ(r.gpr[PAC_RAX], 0x12345677, "0x48 is DEC EAX: compatibility mode");
	CHECK_EQ(r.rip, 0x10107, "hlt");
	pac_destroy(m);

	m = st_long64(&r);
	m->cpus[0]->msr.star = 0x18ull << 48;
	static const uint8_t sr[] = /* mov ecx, 0x10100; sysret */
		{ 0xb9, 0x00, 0x01, 0x01, 0x00, 0x0f, 0x07 };
	st_idt_set(m, 3, 0);
	st_idt64_set(m, 3, SEL_C64, st_handler(3), 0xee, 0);
	pac_phys_write(m, 0x10100, "\x48\xcc", 2);
	r.gpr[PAC_RAX] = 5;
	r.gpr[PAC_R11] = 0x202;
	st_run(m, &r, sr, sizeof sr);
	CHECK_VEC(r, 3);
	CHECK_EQ(r.gpr[PAC_RAX], 4, "32-bit user code ran (DEC EAX)");
	CHECK_EQ(st_r64(m, ST_STACK0 - 32), 0x1b, "cs = STAR[63:48] | 3");
	pac_destroy(m);
}

/* RSP0 points at an unmapped page: #GP from CPL 3 -> #PF while pushing
 * (CR2 = first slot) -> #PF again -> #DF, delivered on IST1. The #DF frame
 * still shows the CPL 3 context: nothing was committed by the failures. */
static void t_df_on_ist(void)
{
	struct pac_regs r;
	pac_machine *m = st_long64(&r);
	st_w64(m, ST_TSS + 4, 0x2000000);  /* RSP0 beyond the 16 MiB map */
	st_w64(m, ST_TSS + 0x24, 0x50000); /* IST1 */
	st_idt64_set(m, 8, SEL_C64, st_handler(8), 0x8e, 1);
	st_user64(&r);
	static const uint8_t code[] = /* hlt */
		{ 0xf4 };
	st_log_events(m);
	CHECK_EQ(st_run(m, &r, code, sizeof code), PAC_EXIT_HLT, "exit");
	CHECK_VEC(r, 8);
	CHECK(st_nev == 3 && st_evs[0].vec == 13 && st_evs[1].vec == 14 && st_evs[2].vec == 8,
	      "events #GP, #PF, #DF (%d)", st_nev);
	CHECK_EQ(st_evs[1].err, 0x2, "#PF: supervisor write, not present");
	CHECK_EQ(r.cr2, 0x2000000 - 8, "cr2 = first frame slot");
	uint64_t sp = 0x50000 - 48;
	CHECK_EQ(r.gpr[PAC_RSP], sp, "IST1 stack");
	CHECK_EQ(st_r64(m, sp), 0, "#DF error code");
	CHECK_EQ(st_r64(m, sp + 8), ST_CODE, "rip of the hlt");
	CHECK_EQ(st_r64(m, sp + 16), SEL_C64U, "cs of the CPL 3 code");
	CHECK_EQ(st_r64(m, sp + 32), ST_STACK3, "user rsp");
	pac_destroy(m);
}

int main(void)
{
	t_df_on_ist();
	t_int64_same_level();
	t_user_fault64();
	t_ist();
	t_iretq_user();
	t_syscall_sysret();
	t_jmp_into_64();
	t_call_gate64();
	t_swapgs();
	t_out_of_64();
	return test_done("intr_long");
}
