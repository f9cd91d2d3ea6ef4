/* SPDX-License-Identifier: MIT */
/* Segment-register loads and selector instructions (APM vol. 3 MOV Sreg,
 * POP Sreg, LDS/LSS, LAR, LSL, VERR, VERW, LLDT, LTR, SLDT, STR, ARPL). */
#include "segtest.h"

/* Runs code at CPL 0 (or 3) and returns the #GP/#NP/#SS vector seen, or -1. */
static int fault_of(const uint8_t *code, size_t n, bool user, uint32_t *err)
{
	struct pac_regs r;
	pac_machine *m = st_prot32(&r);
	if (user)
		st_user(&r);
	st_run(m, &r, code, n);
	int v = -1;
	for (int i = 0; i < 32; i++)
		if (r.rip == st_handler(i) + 1)
			v = i;
	*err = st_r32(m, ST_STACK0 - (user ? 24 : 16));
	pac_destroy(m);
	return v;
}

static void t_mov_sreg_checks(void)
{
	uint32_t err;
	static const uint8_t dpl0_from3[] = /* mov ax, 0x10; mov ds, ax */
		{ 0x66, 0xb8, 0x10, 0x00, 0x8e, 0xd8 };
	CHECK_EQ(fault_of(dpl0_from3, sizeof dpl0_from3, true, &err), 13, "DPL 0 data at CPL 3");
	CHECK_EQ(err, 0x10, "#GP(sel)");
	static const uint8_t rpl3[] = /* mov ax, 0x13; mov ds, ax; hlt */
		{ 0x66, 0xb8, 0x13, 0x00, 0x8e, 0xd8, 0xf4 };
	CHECK_EQ(fault_of(rpl3, sizeof rpl3, false, &err), 13, "RPL 3 > DPL 0");
	CHECK_EQ(err, 0x10, "#GP(sel) without RPL");
	static const uint8_t np[] = /* mov ax, 0x48; mov es, ax */
		{ 0x66, 0xb8, 0x48, 0x00, 0x8e, 0xc0 };
	CHECK_EQ(fault_of(np, sizeof np, false, &err), 11, "not present -> #NP");
	CHECK_EQ(err, 0x48, "#NP(sel)");
	static const uint8_t ss_np[] = /* mov ax, 0x48; mov ss, ax */
		{ 0x66, 0xb8, 0x48, 0x00, 0x8e, 0xd0 };
	CHECK_EQ(fault_of(ss_np, sizeof ss_np, false, &err), 12, "SS not present -> #SS");
	CHECK_EQ(err, 0x48, "#SS(sel)");
	static const uint8_t ss_ro[] = /* mov ax, 0x50; mov ss, ax */
		{ 0x66, 0xb8, 0x50, 0x00, 0x8e, 0xd0 };
	CHECK_EQ(fault_of(ss_ro, sizeof ss_ro, false, &err), 13, "read-only SS");
	CHECK_EQ(err, 0x50, "#GP(sel)");
	static const uint8_t ss_null[] = /* xor eax, eax; mov ss, ax */
		{ 0x31, 0xc0, 0x8e, 0xd0 };
	CHECK_EQ(fault_of(ss_null, sizeof ss_null, false, &err), 13, "null SS");
	CHECK_EQ(err, 0, "#GP(0)");
	static const uint8_t cs[] = /* db 0x8e, 0xc8 */
		{ 0x8e, 0xc8 };
	CHECK_EQ(fault_of(cs, sizeof cs, false, &err), 6, "MOV CS -> #UD");
	static const uint8_t code_ds[] = /* mov ax, 0x08; mov ds, ax; mov ax, 0x58; mov fs, ax; hlt */
		{ 0x66, 0xb8, 0x08, 0x00, 0x8e, 0xd8, 0x66, 0xb8, 0x58, 0x00, 0x8e, 0xe0, 0xf4 };
	CHECK_EQ(fault_of(code_ds, sizeof code_ds, false, &err), -1, "readable code into DS/FS");
	static const uint8_t lim[] = /* mov ax, 0x100; mov ds, ax */
		{ 0x66, 0xb8, 0x00, 0x01, 0x8e, 0xd8 };
	CHECK_EQ(fault_of(lim, sizeof lim, false, &err), 13, "beyond the GDT limit");
	CHECK_EQ(err, 0x100, "#GP(sel)");
}

static void t_mov_sreg_loads(void)
{
	struct pac_regs r;
	pac_machine *m = st_prot32(&r);
	st_gdt_set(m, SEL_FREE, st_desc(0x123000, 0x0fff, 0x492)); /* DB, not accessed */
	static const uint8_t code[] = /* mov ax, 0x60; mov gs, ax; mov [0x600], ss; push fs; xor eax, eax; mov ds, ax; mov ecx, -1; mov ecx, gs; hlt */
		{ 0x66, 0xb8, 0x60, 0x00, 0x8e, 0xe8, 0x8c, 0x15, 0x00, 0x06, 0x00, 0x00, 0x0f, 0xa0, 0x31, 0xc0, 0x8e, 0xd8, 0xb9, 0xff, 0xff, 0xff, 0xff, 0x8c, 0xe9, 0xf4 };
	st_run(m, &r, code, sizeof code);
	CHECK_EQ(r.seg[PAC_GS].base, 0x123000, "gs base");
	CHECK_EQ(r.seg[PAC_GS].limit, 0x0fff, "gs limit");
	CHECK_EQ(r.seg[PAC_GS].attr, 0x493, "gs attributes with accessed");
	CHECK_EQ((st_r64(m, ST_GDT + SEL_FREE) >> 40) & 0xff, 0x93, "accessed bit set in the GDT");
	CHECK_EQ(r.seg[PAC_DS].sel, 0, "null DS");
	CHECK_EQ(r.seg[PAC_DS].attr & 0x80, 0, "null DS unusable");
	CHECK_EQ(r.gpr[PAC_RCX], 0x60, "mov r32, sreg zero-extends");
	CHECK_EQ(st_r16(m, 0x600), SEL_D32, "mov m16, ss");
	CHECK_EQ(st_r32(m, ST_STACK0 - 4), SEL_D32, "push fs");
	pac_destroy(m);

	/* data access through the null DS: #GP(0) */
	m = st_prot32(&r);
	static const uint8_t use[] = /* xor eax, eax; mov ds, ax; mov eax, [0] */
		{ 0x31, 0xc0, 0x8e, 0xd8, 0xa1, 0x00, 0x00, 0x00, 0x00 };
	st_run(m, &r, use, sizeof use);
	CHECK_VEC(r, 13);
	pac_destroy(m);
}

static void t_pop_ss_lss(void)
{
	struct pac_regs r;
	pac_machine *m = st_prot32(&r);
	st_gdt_set(m, SEL_FREE, st_desc(0x20000, 0xffff, 0x093)); /* 16-bit stack */
	static const uint8_t code[] = /* mov dword [0x700], 0x1234; mov word [0x704], 0x60; lss esp, [0x700]; push dword 0x23; pop es; mov dword [0x708], 0x5678; mov word [0x70c], 0x23; lds ebx, [0x708]; hlt */
		{ 0xc7, 0x05, 0x00, 0x07, 0x00, 0x00, 0x34, 0x12, 0x00, 0x00, 0x66, 0xc7, 0x05, 0x04, 0x07, 0x00, 0x00, 0x60, 0x00, 0x0f, 0xb2, 0x25, 0x00, 0x07, 0x00, 0x00, 0x6a, 0x23, 0x07, 0xc7, 0x05, 0x08, 0x07, 0x00, 0x00, 0x78, 0x56, 0x00, 0x00, 0x66, 0xc7, 0x05, 0x0c, 0x07, 0x00, 0x00, 0x23, 0x00, 0xc5, 0x1d, 0x08, 0x07, 0x00, 0x00, 0xf4 };
	st_run(m, &r, code, sizeof code);
	CHECK_EQ(r.seg[PAC_SS].sel, SEL_FREE, "lss: ss");
	CHECK_EQ(r.seg[PAC_SS].base, 0x20000, "lss: ss base");
	CHECK_EQ(r.gpr[PAC_RSP], 0x1234, "lss: esp, balanced push/pop");
	CHECK_EQ(st_r32(m, 0x20000 + 0x1230), 0x23, "push through the 16-bit SS base");
	CHECK_EQ(r.seg[PAC_ES].sel, SEL_D32U, "pop es");
	CHECK_EQ(r.seg[PAC_DS].sel, SEL_D32U, "lds: ds");
	CHECK_EQ(r.gpr[PAC_RBX], 0x5678, "lds: ebx");
	pac_destroy(m);

	/* POP SS with a DPL 3 selector at CPL 0: #GP(sel), ESP unchanged */
	m = st_prot32(&r);
	static const uint8_t bad[] = /* push 0x23; pop ss */
		{ 0x6a, 0x23, 0x17 };
	st_run(m, &r, bad, sizeof bad);
	CHECK_VEC(r, 13);
	CHECK_EQ(st_r32(m, ST_STACK0 - 20), 0x20, "#GP(sel)");
	CHECK_EQ(st_r32(m, ST_STACK0 - 16), ST_CODE + 2, "eip of pop ss");
	CHECK_EQ(r.gpr[PAC_RSP], ST_STACK0 - 20, "pop rolled back before the frame");
	pac_destroy(m);
}

/* LAR / LSL / VERR / VERW report through ZF and never fault. */
static void t_lar_lsl_verr(void)
{
	struct pac_regs r;
	pac_machine *m = st_prot32(&r);
	st_user(&r);
	static const uint8_t code[] = /* mov ecx, -1; mov ax, 0x23; lar ecx, ax; pushfd; lsl edx, ax; pushfd; mov ax, 0x10; lar esi, ax; pushfd; mov ax, 0x28; lsl edi, ax; pushfd; verr word [0x800]; pushfd; verw word [0x802]; pushfd; mov ax, 0x1b; verw ax; pushfd; verr ax; pushfd; int3 */
		{ 0xb9, 0xff, 0xff, 0xff, 0xff, 0x66, 0xb8, 0x23, 0x00, 0x0f, 0x02, 0xc8, 0x9c, 0x0f, 0x03, 0xd0, 0x9c, 0x66, 0xb8, 0x10, 0x00, 0x0f, 0x02, 0xf0, 0x9c, 0x66, 0xb8, 0x28, 0x00, 0x0f, 0x03, 0xf8, 0x9c, 0x0f, 0x00, 0x25, 0x00, 0x08, 0x00, 0x00, 0x9c, 0x0f, 0x00, 0x2d, 0x02, 0x08, 0x00, 0x00, 0x9c, 0x66, 0xb8, 0x1b, 0x00, 0x0f, 0x00, 0xe8, 0x9c, 0x0f, 0x00, 0xe0, 0x9c, 0xcc };
	st_w16(m, 0x800, 0x1b);
	st_w16(m, 0x802, 0x23);
	st_idt_set(m, 3, st_gate(SEL_C32, st_handler(3), 0xee, 0));
	r.gpr[PAC_RSI] = 0x5555;
	st_run(m, &r, code, sizeof code);
	CHECK_VEC(r, 3);
	CHECK_EQ(r.gpr[PAC_RCX], 0x00c0f300, "lar: attribute bytes, limit 19:16 masked");
	CHECK_EQ(r.gpr[PAC_RDX], 0xffffffff, "lsl: expanded limit");
	CHECK_EQ(r.gpr[PAC_RSI], 0x5555, "lar of a DPL 0 selector: unchanged");
	uint32_t zf[8];
	for (int i = 0; i < 8; i++)
		zf[i] = (st_r32(m, ST_STACK3 - 4 * (unsigned)(i + 1)) >> 6) & 1;
	CHECK_EQ(zf[0], 1, "lar ok");
	CHECK_EQ(zf[1], 1, "lsl ok");
	CHECK_EQ(zf[2], 0, "lar DPL 0 from CPL 3");
	CHECK_EQ(zf[3], 0, "lsl TSS DPL 0 from CPL 3");
	CHECK_EQ(zf[4], 1, "verr user code (readable)");
	CHECK_EQ(zf[5], 1, "verw user data");
	CHECK_EQ(zf[6], 0, "verw code");
	CHECK_EQ(zf[7], 1, "verr code");
	pac_destroy(m);
}

/* LTR marks the TSS busy; LTR of a busy TSS is #GP(sel); LLDT + LDT use. */
static void t_ltr_lldt(void)
{
	struct pac_regs r;
	pac_machine *m = st_prot32(&r);
	st_gdt_set(m, 0x70, st_desc(0x9000, 0x67, 0x089));
	st_gdt_set(m, 0x78, st_desc(0x9800, 0x0f, 0x082));        /* LDT with 2 entries */
	st_w64(m, 0x9808, st_desc(0x40000, 0xffff, 0x093));      /* LDT[1]: data base 0x40000 */
	static const uint8_t code[] = /* mov ax, 0x70; ltr ax; str ecx; mov ax, 0x78; lldt ax; sldt edx; mov ax, 0x0c; mov fs, ax; mov dword [fs:0x10], 0xcafe; hlt */
		{ 0x66, 0xb8, 0x70, 0x00, 0x0f, 0x00, 0xd8, 0x0f, 0x00, 0xc9, 0x66, 0xb8, 0x78, 0x00, 0x0f, 0x00, 0xd0, 0x0f, 0x00, 0xc2, 0x66, 0xb8, 0x0c, 0x00, 0x8e, 0xe0, 0x64, 0xc7, 0x05, 0x10, 0x00, 0x00, 0x00, 0xfe, 0xca, 0x00, 0x00, 0xf4 };
	st_run(m, &r, code, sizeof code);
	CHECK_EQ(r.tr.sel, 0x70, "tr");
	CHECK_EQ(r.tr.attr & 0xf, 0xb, "tr cache busy");
	CHECK_EQ((st_r64(m, ST_GDT + 0x70) >> 40) & 0xf, 0xb, "busy bit in the GDT");
	CHECK_EQ(r.gpr[PAC_RCX], 0x70, "str");
	CHECK_EQ(r.gpr[PAC_RDX], 0x78, "sldt");
	CHECK_EQ(r.ldtr.base, 0x9800, "ldtr base");
	CHECK_EQ(st_r32(m, 0x40010), 0xcafe, "store through an LDT selector");
	pac_destroy(m);

	m = st_prot32(&r);
	st_gdt_set(m, 0x70, st_desc(0x9000, 0x67, 0x089));
	static const uint8_t busy[] = /* mov ax, 0x70; ltr ax; ltr ax */
		{ 0x66, 0xb8, 0x70, 0x00, 0x0f, 0x00, 0xd8, 0x0f, 0x00, 0xd8 };
	st_run(m, &r, busy, sizeof busy);
	CHECK_VEC(r, 13);
	CHECK_EQ(st_r32(m, ST_STACK0 - 16), 0x70, "second LTR: busy TSS -> #GP(sel)");
	CHECK_EQ(st_r32(m, ST_STACK0 - 12), ST_CODE + 7, "at the second ltr");
	pac_destroy(m);
}

static void t_arpl(void)
{
	struct pac_regs r;
	pac_machine *m = st_prot32(&r);
	static const uint8_t code[] = /* mov ax, 0x10; mov bx, 0x23; arpl ax, bx; pushfd; arpl ax, bx; pushfd; hlt */
		{ 0x66, 0xb8, 0x10, 0x00, 0x66, 0xbb, 0x23, 0x00, 0x63, 0xd8, 0x9c, 0x63, 0xd8, 0x9c, 0xf4 };
	st_run(m, &r, code, sizeof code);
	CHECK_EQ(r.gpr[PAC_RAX] & 0xffff, 0x13, "rpl raised");
	CHECK_EQ((st_r32(m, ST_STACK0 - 4) >> 6) & 1, 1, "ZF = 1 when adjusted");
	CHECK_EQ((st_r32(m, ST_STACK0 - 8) >> 6) & 1, 0, "ZF = 0 when not");
	pac_destroy(m);
}

/* The rows decode in the right modes: 63 is ARPL outside 64-bit mode and
 * MOVSXD in it; C4 with a memory operand is LES outside 64-bit mode. */
static void t_decode_rows(void)
{
	char buf[64];
	static const uint8_t arpl[] = { 0x63, 0xc3 };
	CHECK_EQ(pac_disasm(arpl, 2, 32, buf, sizeof buf), 2, "63 /r length");
	CHECK(strncmp(buf, "arpl", 4) == 0, "32-bit 63: %s", buf);
	pac_disasm(arpl, 2, 64, buf, sizeof buf);
	CHECK(strncmp(buf, "movsxd", 6) == 0, "64-bit 63: %s", buf);
	static const uint8_t les[] = { 0xc4, 0x00 };
	CHECK_EQ(pac_disasm(les, 2, 32, buf, sizeof buf), 2, "les length");
	CHECK(strncmp(buf, "les", 3) == 0, "32-bit c4 mod!=3: %s", buf);
	static const uint8_t ltr[] = { 0x0f, 0x00, 0xd8 };
	pac_disasm(ltr, 3, 32, buf, sizeof buf);
	CHECK(strcmp(buf, "ltr ax") == 0, "ltr: %s", buf);
	static const uint8_t pushes[] = { 0x1e };
	pac_disasm(pushes, 1, 32, buf, sizeof buf);
	CHECK(strcmp(buf, "push ds") == 0, "push ds: %s", buf);
	CHECK_EQ(pac_disasm(pushes, 1, 64, buf, sizeof buf), 1, "push ds decodes in 64-bit mode (then #UD)");
	static const uint8_t swapgs[] = { 0x0f, 0x01, 0xf8 };
	pac_disasm(swapgs, 3, 64, buf, sizeof buf);
	CHECK(strcmp(buf, "swapgs") == 0, "swapgs: %s", buf);
}

int main(void)
{
	t_decode_rows();
	t_mov_sreg_checks();
	t_mov_sreg_loads();
	t_pop_ss_lss();
	t_lar_lsl_verr();
	t_ltr_lldt();
	t_arpl();
	return test_done("seg_load");
}
