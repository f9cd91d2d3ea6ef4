/* SPDX-License-Identifier: MIT */
/* SYSENTER/SYSEXIT and legacy-mode SYSCALL/SYSRET (APM vol. 2, 6.1), an
 * external interrupt's EXT bit, and long-mode LTR/LLDT with 16-byte
 * system descriptors. */
#include "segtest.h"
#include "../../cpu/core/cpu.h"

#define KCODE 0x12000u

static void t_sysenter_sysexit(void)
{
	struct pac_regs r;
	pac_machine *m = st_prot32(&r);
	struct cpu *c = m->cpus[0];
	c->msr.sysenter_cs = SEL_C32;
	c->msr.sysenter_esp = 0x50000;
	c->msr.sysenter_eip = KCODE;
	static const uint8_t k[] = /* mov ebx, esp; mov esi, cs; mov edi, ss; pushfd; pop ebp; sysexit */
		{ 0x89, 0xe3, 0x8c, 0xce, 0x8c, 0xd7, 0x9c, 0x5d, 0x0f, 0x35 };
	pac_phys_write(m, KCODE, k, sizeof k);
	st_idt_set(m, 3, st_gate(SEL_C32, st_handler(3), 0xee, 0));
	st_user(&r);
	r.rflags = 0x202;
	static const uint8_t code[] = /* mov ecx, 0x6f000; mov edx, 0x10100; sysenter */
		{ 0xb9, 0x00, 0xf0, 0x06, 0x00, 0xba, 0x00, 0x01, 0x01, 0x00, 0x0f, 0x34 };
	pac_phys_write(m, 0x10100, "\xcc", 1);
	st_run(m, &r, code, sizeof code);
	CHECK_VEC(r, 3);
	CHECK_EQ(r.gpr[PAC_RBX], 0x50000, "esp = SYSENTER_ESP");
	CHECK_EQ(r.gpr[PAC_RSI], SEL_C32, "cs = SYSENTER_CS");
	CHECK_EQ(r.gpr[PAC_RDI], SEL_C32 + 8, "ss = SYSENTER_CS + 8");
	CHECK_EQ(r.gpr[PAC_RBP] & 0x200, 0, "IF cleared");
	uint32_t want[5] = { 0x10101, SEL_C32 + 16 + 3, 0x202 & ~0x200u, 0x6f000, SEL_C32 + 24 + 3 };
	for (int i = 0; i < 5; i++)
		CHECK_EQ(st_r32(m, ST_STACK0 - 20 + 4 * (unsigned)i), want[i], "frame after sysexit");
	pac_destroy(m);

	/* SYSENTER_CS = 0: #GP(0) */
	m = st_prot32(&r);
	static const uint8_t se[] = /* sysenter */
		{ 0x0f, 0x34 };
	st_run(m, &r, se, sizeof se);
	CHECK_VEC(r, 13);
	pac_destroy(m);

	/* AMD: SYSENTER in long mode is #UD */
	m = st_long64(&r);
	m->cpus[0]->msr.sysenter_cs = SEL_C32;
	st_run(m, &r, se, sizeof se);
	CHECK_VEC(r, 6);
	pac_destroy(m);
}

static void t_syscall_legacy(void)
{
	struct pac_regs r;
	pac_machine *m = st_prot32(&r);
	struct cpu *c = m->cpus[0];
	c->msr.star = (0x18ull << 48) | ((uint64_t)SEL_C32 << 32) | KCODE;
	r.efer = 1; /* SCE */
	static const uint8_t k[] = /* mov ebx, ecx; pushfd; pop ebp; sysret */
		{ 0x89, 0xcb, 0x9c, 0x5d, 0x0f, 0x07 };
	pac_phys_write(m, KCODE, k, sizeof k);
	st_idt_set(m, 3, st_gate(SEL_C32, st_handler(3), 0xee, 0));
	st_user(&r);
	r.rflags = 0x202;
	static const uint8_t code[] = /* syscall; int3 */
		{ 0x0f, 0x05, 0xcc };
	st_run(m, &r, code, sizeof code);
	CHECK_VEC(r, 3);
	CHECK_EQ(r.gpr[PAC_RBX], ST_CODE + 2, "ecx = return eip");
	CHECK_EQ(r.gpr[PAC_RBP] & 0x200, 0, "IF cleared by legacy SYSCALL");
	CHECK_EQ(st_r32(m, ST_STACK0 - 20), ST_CODE + 3, "back at CPL 3 after sysret");
	CHECK_EQ(st_r32(m, ST_STACK0 - 16), 0x1b, "cs = STAR[63:48] | 3");
	CHECK_EQ(st_r32(m, ST_STACK0 - 12) & 0x200, 0x200, "sysret sets IF");
	CHECK_EQ(st_r32(m, ST_STACK0 - 4), 0x23, "ss = STAR[63:48] + 8 | 3");
	pac_destroy(m);

	/* SYSRET at CPL 3: #GP(0) */
	m = st_prot32(&r);
	r.efer = 1;
	st_user(&r);
	static const uint8_t sr[] = /* sysret */
		{ 0x0f, 0x07 };
	st_run(m, &r, sr, sizeof sr);
	CHECK_VEC(r, 13);
	CHECK_EQ(st_r32(m, ST_STACK0 - 24), 0, "#GP(0)");
	pac_destroy(m);
}

/* An external interrupt whose gate is absent: #NP(vector*8 + 2 + EXT). */
static int ext_pending = 1;
static bool ext_is_pending(void *ctx, int cpu) { (void)ctx; (void)cpu; return ext_pending != 0; }
static int ext_ack(void *ctx, int cpu)
{
	(void)ctx; (void)cpu;
	ext_pending = 0;
	return 0x50;
}
static const struct pac_intc_ops ext_intc = { ext_is_pending, ext_ack };

static void t_external_ext_bit(void)
{
	struct pac_regs r;
	pac_machine *m = st_prot32(&r);
	pac_set_intc(m, &ext_intc, NULL);
	st_idt_set(m, 0x50, st_gate(SEL_C32, st_handler(0x50), 0x0e, 0));
	r.rflags = 0x202;
	static const uint8_t code[] = /* nop; nop */
		{ 0x90, 0x90 };
	st_run(m, &r, code, sizeof code);
	CHECK_VEC(r, 11);
	CHECK_EQ(st_r32(m, ST_STACK0 - 16), 0x50 * 8 + 3, "#NP(IDT | EXT | 0x50)");
	pac_destroy(m);
}

/* Long mode: LTR/LLDT read 16-byte descriptors; the upper type must be 0. */
static void t_ltr_lldt_long(void)
{
	struct pac_regs r;
	pac_machine *m = st_long64(&r);
	st_gdt_set(m, 0x70, st_desc(0x9000, 0x67, 0x089));
	st_gdt_set(m, 0x78, 0x00000000ffff8000ull); /* base 63:32 */
	st_gdt_set(m, 0x80, st_desc(0x9800, 0x0f, 0x082));
	st_gdt_set(m, 0x88, 0);
	static const uint8_t code[] = /* mov ax, 0x70; ltr ax; mov ax, 0x80; lldt ax; mov ax, 0x70; lar ecx, ax; hlt */
		{ 0x66, 0xb8, 0x70, 0x00, 0x0f, 0x00, 0xd8, 0x66, 0xb8, 0x80, 0x00, 0x0f, 0x00, 0xd0, 0x66, 0xb8, 0x70, 0x00, 0x0f, 0x02, 0xc8, 0xf4 };
	st_run(m, &r, code, sizeof code);
	CHECK_EQ(r.tr.base, 0xffff800000009000ull, "64-bit TSS base");
	CHECK_EQ(r.tr.attr & 0xf, 0xb, "busy");
	CHECK_EQ(r.ldtr.base, 0x9800, "ldt base");
	CHECK_EQ(r.gpr[PAC_RCX], 0x8b00, "lar of the busy 64-bit TSS");
	pac_destroy(m);

	m = st_long64(&r);
	st_gdt_set(m, 0x70, st_desc(0x9000, 0x67, 0x089));
	st_gdt_set(m, 0x78, 0x0000010000000000ull); /* upper type field != 0 */
	static const uint8_t bad[] = /* mov ax, 0x70; ltr ax */
		{ 0x66, 0xb8, 0x70, 0x00, 0x0f, 0x00, 0xd8 };
	st_run(m, &r, bad, sizeof bad);
	CHECK_VEC(r, 13);
	CHECK_EQ(st_r64(m, ST_STACK0 - 48), 0x70, "#GP(sel)");
	pac_destroy(m);
}

/* MOV SS holds off an interrupt for one instruction; LSS does not. The
 * controller asserts INTR from its second poll on. */
static int polls;
static bool late_pending(void *ctx, int cpu) { (void)ctx; (void)cpu; return ++polls >= 2; }
static int late_ack(void *ctx, int cpu) { (void)ctx; (void)cpu; polls = -1000; return 0x51; }
static const struct pac_intc_ops late_intc = { late_pending, late_ack };

static void t_ss_shadow(void)
{
	struct pac_regs r;
	pac_machine *m = st_prot32(&r);
	pac_set_intc(m, &late_intc, NULL);
	polls = 0;
	r.rflags = 0x202;
	r.gpr[PAC_RAX] = SEL_D32;
	static const uint8_t code[] = /* mov ss, ax; inc ebx; inc ebx; hlt */
		{ 0x8e, 0xd0, 0x43, 0x43, 0xf4 };
	st_run(m, &r, code, sizeof code);
	CHECK_VEC(r, 0x51);
	CHECK_EQ(st_r32(m, ST_STACK0 - 12), ST_CODE + 3, "interrupt after the instruction following MOV SS");
	pac_destroy(m);

	m = st_prot32(&r);
	pac_set_intc(m, &late_intc, NULL);
	polls = 0;
	r.rflags = 0x202;
	st_w32(m, 0x700, ST_STACK0);
	st_w16(m, 0x704, SEL_D32);
	static const uint8_t lss[] = /* lss esp, [0x700]; inc ebx; inc ebx; hlt */
		{ 0x0f, 0xb2, 0x25, 0x00, 0x07, 0x00, 0x00, 0x43, 0x43, 0xf4 };
	st_run(m, &r, lss, sizeof lss);
	CHECK_VEC(r, 0x51);
	CHECK_EQ(st_r32(m, ST_STACK0 - 12), ST_CODE + 7, "LSS: no shadow");
	pac_destroy(m);
}

int main(void)
{
	t_ss_shadow();
	t_sysenter_sysexit();
	t_syscall_legacy();
	t_external_ext_bit();
	t_ltr_lldt_long();
	return test_done("seg_sys");
}
