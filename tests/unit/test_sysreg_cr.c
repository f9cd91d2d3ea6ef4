/* SPDX-License-Identifier: MIT */
/* MOV CRn / DRn, CLTS, LMSW, SMSW: values read back and the #GP/#UD/#DB
 * cases of APM vol. 3 "MOV CRn", "MOV DRn", "LMSW", "SMSW", "CLTS".
 * Real-mode snippets run at 0:7C00 with IVT stubs that record the vector;
 * CPL-3 cases run in flat 32-bit protected mode and are observed through
 * the event hook (first exception, its error code and RIP). */
#include "test.h"
#include "test_sysreg_util.h"

/* snippets assembled with nasm (source in the comment above each) */
/* mov eax, cr0; hlt */
static const uint8_t c_cr0_read[] = { 0x0f, 0x20, 0xc0, 0xf4 };
/* mov eax, 0x20000010; mov cr0, eax; hlt */
static const uint8_t c_cr0_nw[] = { 0x66, 0xb8, 0x10, 0x00, 0x00, 0x20, 0x0f, 0x22, 0xc0, 0xf4 };
/* mov eax, 0x80000010; mov cr0, eax; hlt */
static const uint8_t c_cr0_pg[] = { 0x66, 0xb8, 0x10, 0x00, 0x00, 0x80, 0x0f, 0x22, 0xc0, 0xf4 };
/* mov eax, 0x00000040; mov cr0, eax; mov ebx, cr0; hlt */
static const uint8_t c_cr0_rsvd[] = { 0x66, 0xb8, 0x40, 0x00, 0x00, 0x00, 0x0f, 0x22, 0xc0, 0x0f, 0x20, 0xc3, 0xf4 };
/* mov ecx, 0xc0000080; rdmsr; or eax, 0x100; wrmsr; mov eax, 0x80000011; mov cr0, eax; hlt */
static const uint8_t c_cr0_lme[] = { 0x66, 0xb9, 0x80, 0x00, 0x00, 0xc0, 0x0f, 0x32, 0x66, 0x0d, 0x00, 0x01, 0x00, 0x00, 0x0f, 0x30, 0x66, 0xb8, 0x11, 0x00, 0x00, 0x80, 0x0f, 0x22, 0xc0, 0xf4 };
/* mov ecx, 0xc0000080; rdmsr; or eax, 0x100; wrmsr; mov eax, cr4; or eax, 0x20; mov cr4, eax; mov eax, 0x80000011; mov cr0, eax; hlt */
static const uint8_t c_cr0_lma[] = { 0x66, 0xb9, 0x80, 0x00, 0x00, 0xc0, 0x0f, 0x32, 0x66, 0x0d, 0x00, 0x01, 0x00, 0x00, 0x0f, 0x30, 0x0f, 0x20, 0xe0, 0x66, 0x83, 0xc8, 0x20, 0x0f, 0x22, 0xe0, 0x66, 0xb8, 0x11, 0x00, 0x00, 0x80, 0x0f, 0x22, 0xc0, 0xf4 };
/* mov eax, 0x12345678; mov cr3, eax; mov ebx, cr3; mov eax, 0xdeadbeef; mov cr2, eax; mov ecx, cr2; hlt */
static const uint8_t c_cr23[] = { 0x66, 0xb8, 0x78, 0x56, 0x34, 0x12, 0x0f, 0x22, 0xd8, 0x0f, 0x20, 0xdb, 0x66, 0xb8, 0xef, 0xbe, 0xad, 0xde, 0x0f, 0x22, 0xd0, 0x0f, 0x20, 0xd1, 0xf4 };
/* mov eax, 0x4023c; mov cr4, eax; mov ebx, cr4; hlt */
static const uint8_t c_cr4_ok[] = { 0x66, 0xb8, 0x3c, 0x02, 0x04, 0x00, 0x0f, 0x22, 0xe0, 0x0f, 0x20, 0xe3, 0xf4 };
/* mov eax, 0x2000; mov cr4, eax; hlt */
static const uint8_t c_cr4_vmxe[] = { 0x66, 0xb8, 0x00, 0x20, 0x00, 0x00, 0x0f, 0x22, 0xe0, 0xf4 };
/* mov eax, 0x400000; mov cr4, eax; hlt */
static const uint8_t c_cr4_pke[] = { 0x66, 0xb8, 0x00, 0x00, 0x40, 0x00, 0x0f, 0x22, 0xe0, 0xf4 };
/* mov eax, 0x1000; mov cr4, eax; mov ebx, cr4; hlt */
static const uint8_t c_cr4_la57[] = { 0x66, 0xb8, 0x00, 0x10, 0x00, 0x00, 0x0f, 0x22, 0xe0, 0x0f, 0x20, 0xe3, 0xf4 };
/* mov eax, 0x20000; mov cr4, eax; hlt */
static const uint8_t c_cr4_pcide[] = { 0x66, 0xb8, 0x00, 0x00, 0x02, 0x00, 0x0f, 0x22, 0xe0, 0xf4 };
/* mov eax, 5; lock mov cr0, eax; xor ebx, ebx; lock mov ebx, cr0; hlt */
static const uint8_t c_cr8[] = { 0x66, 0xb8, 0x05, 0x00, 0x00, 0x00, 0xf0, 0x0f, 0x22, 0xc0, 0x66, 0x31, 0xdb, 0xf0, 0x0f, 0x20, 0xc3, 0xf4 };
/* mov eax, 0x10; lock mov cr0, eax; hlt */
static const uint8_t c_cr8_bad[] = { 0x66, 0xb8, 0x10, 0x00, 0x00, 0x00, 0xf0, 0x0f, 0x22, 0xc0, 0xf4 };
/* lock mov cr2, eax; hlt */
static const uint8_t c_cr2_lock[] = { 0xf0, 0x0f, 0x22, 0xd0, 0xf4 };
/* db 0x0f, 0x22, 0xc8; hlt */
static const uint8_t c_cr1[] = { 0x0f, 0x22, 0xc8, 0xf4 };
/* db 0x0f, 0x20, 0xe8; hlt */
static const uint8_t c_cr5[] = { 0x0f, 0x20, 0xe8, 0xf4 };
/* db 0x0f, 0x20, 0x05; hlt */
static const uint8_t c_cr_mod0[] = { 0x0f, 0x20, 0x05, 0xf4 };
/* mov eax, cr0; or eax, 8; mov cr0, eax; clts; mov ebx, cr0; hlt */
static const uint8_t c_clts[] = { 0x0f, 0x20, 0xc0, 0x66, 0x83, 0xc8, 0x08, 0x0f, 0x22, 0xc0, 0x0f, 0x06, 0x0f, 0x20, 0xc3, 0xf4 };
/* mov ax, 0x000e; lmsw ax; mov ebx, cr0; hlt */
static const uint8_t c_lmsw[] = { 0xb8, 0x0e, 0x00, 0x0f, 0x01, 0xf0, 0x0f, 0x20, 0xc3, 0xf4 };
/* mov ax, 1; lmsw ax; xor ax, ax; lmsw ax; smsw bx; smsw ecx; smsw [0x600]; hlt */
static const uint8_t c_lmsw_pe[] = { 0xb8, 0x01, 0x00, 0x0f, 0x01, 0xf0, 0x31, 0xc0, 0x0f, 0x01, 0xf0, 0x0f, 0x01, 0xe3, 0x66, 0x0f, 0x01, 0xe1, 0x0f, 0x01, 0x26, 0x00, 0x06, 0xf4 };
/* mov eax, 0x12345678; mov dr0, eax; mov ebx, dr0; hlt */
static const uint8_t c_dr0[] = { 0x66, 0xb8, 0x78, 0x56, 0x34, 0x12, 0x0f, 0x23, 0xc0, 0x0f, 0x21, 0xc3, 0xf4 };
/* xor eax, eax; mov dr6, eax; mov ebx, dr6; mov dr7, eax; mov ecx, dr7; mov eax, 0xffffdfff; mov dr7, eax; mov edx, dr7; hlt */
static const uint8_t c_dr67[] = { 0x66, 0x31, 0xc0, 0x0f, 0x23, 0xf0, 0x0f, 0x21, 0xf3, 0x0f, 0x23, 0xf8, 0x0f, 0x21, 0xf9, 0x66, 0xb8, 0xff, 0xdf, 0xff, 0xff, 0x0f, 0x23, 0xf8, 0x0f, 0x21, 0xfa, 0xf4 };
/* mov eax, 1; db 0x0f, 0x23, 0xe0; mov ebx, dr6; db 0x0f, 0x21, 0xe9; hlt */
static const uint8_t c_dr4[] = { 0x66, 0xb8, 0x01, 0x00, 0x00, 0x00, 0x0f, 0x23, 0xe0, 0x0f, 0x21, 0xf3, 0x0f, 0x21, 0xe9, 0xf4 };
/* db 0x0f, 0x21, 0xe0; hlt */
static const uint8_t c_dr4_de[] = { 0x0f, 0x21, 0xe0, 0xf4 };
/* mov eax, 0x2000; mov dr7, eax; mov ebx, dr0; hlt */
static const uint8_t c_dr_gd[] = { 0x66, 0xb8, 0x00, 0x20, 0x00, 0x00, 0x0f, 0x23, 0xf8, 0x0f, 0x21, 0xc3, 0xf4 };
/* mov eax, cr0; hlt */
static const uint8_t u_mov_cr[] = { 0x0f, 0x20, 0xc0, 0xf4 };
/* mov dr0, eax; hlt */
static const uint8_t u_mov_dr[] = { 0x0f, 0x23, 0xc0, 0xf4 };
/* clts; hlt */
static const uint8_t u_clts[] = { 0x0f, 0x06, 0xf4 };
/* smsw eax; hlt */
static const uint8_t u_smsw[] = { 0x0f, 0x01, 0xe0, 0xf4 };
/* lmsw ax; hlt */
static const uint8_t u_lmsw[] = { 0x0f, 0x01, 0xf0, 0xf4 };

/* mov eax, cr4; or eax, 0x20; mov cr4, eax; mov eax, 0x30000; mov cr3, eax; mov eax, 0x80000011; mov cr0, eax; hlt */
static const uint8_t c_pae_bad[] = { 0x0f, 0x20, 0xe0, 0x66, 0x83, 0xc8, 0x20, 0x0f, 0x22, 0xe0, 0x66, 0xb8, 0x00, 0x00, 0x03, 0x00, 0x0f, 0x22, 0xd8, 0x66, 0xb8, 0x11, 0x00, 0x00, 0x80, 0x0f, 0x22, 0xc0, 0xf4 };
#define c_pae_bad_AT 25

#define CR0_RESET 0x60000010u /* CD | NW | ET (APM Table 14-1) */


static void t_cr0(void)
{
	struct pac_regs r;
	pac_machine *m = real_setup(NULL, &r);
	RUN_OK(m, &r, c_cr0_read);
	CHECK_EQ(r.gpr[PAC_RAX], CR0_RESET, "MOV EAX,CR0 is 32-bit in 16-bit code");
	pac_destroy(m);

	REAL_FAULT(c_cr0_nw, 13, 6);  /* NW without CD */
	REAL_FAULT(c_cr0_pg, 13, 6);  /* PG without PE */

	m = real_setup(NULL, &r);
	RUN_OK(m, &r, c_cr0_rsvd);
	CHECK_EQ(r.gpr[PAC_RBX], 0x10, "reserved CR0 bit dropped, ET reads 1");
	pac_destroy(m);

	/* paging with EFER.LME but no CR4.PAE: #GP, EFER.LMA stays 0 */
	m = real_setup(NULL, &r);
	CHECK_EQ(real_run(m, &r, c_cr0_lme, sizeof c_cr0_lme), 13, "LME without PAE");
	CHECK_EQ(real_fault_ip(m), 0x7c00 + 22, "fault at MOV CR0");
	CHECK_EQ(r.efer & 0x500, 0x100, "LME set, LMA clear");
	CHECK_EQ(r.cr0 & 0x80000001u, 0, "CR0 unchanged");
	pac_destroy(m);

	/* with PAE, setting PG activates long mode: LMA = LME & PG */
	struct pac_exit ex;
	m = real_setup(NULL, &r);
	pac_phys_write(m, 0x7c00, c_cr0_lma, sizeof c_cr0_lma);
	pac_set_regs(m, 0, &r);
	pac_run(m, 11, &ex); /* up to and including MOV CR0 */
	pac_get_regs(m, 0, &r);
	CHECK_EQ(r.efer & 0x500, 0x500, "EFER.LMA set by MOV CR0.PG");
	CHECK_EQ(r.cr0 & 0x80000001u, 0x80000001u, "PE and PG set");
	pac_destroy(m);
}

/* Enabling legacy PAE paging loads the PDPTEs: a present one with a
 * reserved bit (here bit 5) makes MOV CR0 #GP before CR0 changes. */
static void t_pdptes(void)
{
	struct pac_regs r;
	pac_machine *m = real_setup(NULL, &r);
	uint64_t pdpte = 0x31000 | 1 | (1u << 5);
	pac_phys_write(m, 0x30000, &pdpte, 8);
	CHECK_EQ(real_run(m, &r, c_pae_bad, sizeof c_pae_bad), 13, "reserved PDPTE bit: #GP");
	CHECK_EQ(real_fault_ip(m), 0x7c00 + c_pae_bad_AT, "at MOV CR0");
	CHECK_EQ(r.cr0 & 0x80000001u, 0, "paging still off");
	pac_destroy(m);

	struct pac_exit ex;
	m = real_setup(NULL, &r);
	pdpte = 0x31000 | 1;
	pac_phys_write(m, 0x30000, &pdpte, 8);
	pac_phys_write(m, 0x7c00, c_pae_bad, sizeof c_pae_bad);
	pac_set_regs(m, 0, &r);
	pac_run(m, 7, &ex); /* up to and including MOV CR0 */
	pac_get_regs(m, 0, &r);
	CHECK_EQ(r.cr0 & 0x80000001u, 0x80000001u, "valid PDPTEs: PAE paging on");
	pac_destroy(m);
}

static void t_cr234(void)
{
	struct pac_regs r;
	pac_machine *m = real_setup(NULL, &r);
	RUN_OK(m, &r, c_cr23);
	CHECK_EQ(r.gpr[PAC_RBX], 0x12345678, "CR3 read back");
	CHECK_EQ(r.cr3, 0x12345678, "CR3 state");
	CHECK_EQ(r.gpr[PAC_RCX], 0xdeadbeef, "CR2 read back");
	pac_destroy(m);

	m = real_setup(NULL, &r);
	RUN_OK(m, &r, c_cr4_ok);
	CHECK_EQ(r.gpr[PAC_RBX], 0x4023c, "CR4 TSD|DE|PSE|PAE|OSFXSR|OSXSAVE");
	pac_destroy(m);

	REAL_FAULT(c_cr4_vmxe, 13, 6);  /* bit 13 (VMXE) reserved on AMD */
	REAL_FAULT(c_cr4_pke, 13, 6);   /* zen4 model has no PKU */
	REAL_FAULT(c_cr4_la57, 13, 6);  /* zen4 model has no LA57 */
	REAL_FAULT(c_cr4_pcide, 13, 6); /* PCIDE outside long mode */

	m = real_setup("zen4-la57", &r);
	RUN_OK(m, &r, c_cr4_la57);
	CHECK_EQ(r.gpr[PAC_RBX], 0x1000, "LA57 settable outside long mode on zen4-la57");
	pac_destroy(m);
	/* zen2 has no PCID: still #GP, now as a reserved bit */
	expect_real_fault("pcide zen2", "zen2", 0, c_cr4_pcide, sizeof c_cr4_pcide, 13, 6);
}

static void t_cr8(void)
{
	struct pac_regs r;
	pac_machine *m = real_setup(NULL, &r);
	RUN_OK(m, &r, c_cr8);
	CHECK_EQ(r.gpr[PAC_RBX], 5, "LOCK MOV EBX,CR0 reads CR8 (AltMovCr8)");
	CHECK_EQ(r.cr8, 5, "TPR");
	CHECK_EQ(r.cr0, CR0_RESET, "CR0 untouched");
	pac_destroy(m);
	REAL_FAULT(c_cr8_bad, 13, 6);  /* CR8[63:4] MBZ */
	REAL_FAULT(c_cr2_lock, 6, 0);  /* LOCK only turns CR0 into CR8 */
	REAL_FAULT(c_cr1, 6, 0);
	REAL_FAULT(c_cr5, 6, 0);

	/* ModRM.mod = 0 still names a register and has no displacement */
	m = real_setup(NULL, &r);
	RUN_OK(m, &r, c_cr_mod0);
	CHECK_EQ(r.gpr[PAC_RBP], CR0_RESET, "mod=0 rm=5 is EBP");
	CHECK_EQ(r.rip, 0x7c04, "3-byte instruction");
	pac_destroy(m);
}

static void t_msw(void)
{
	struct pac_regs r;
	pac_machine *m = real_setup(NULL, &r);
	RUN_OK(m, &r, c_clts);
	CHECK_EQ(r.gpr[PAC_RAX] & 8, 8, "TS was set");
	CHECK_EQ(r.gpr[PAC_RBX], CR0_RESET, "CLTS clears TS");
	pac_destroy(m);

	m = real_setup(NULL, &r);
	RUN_OK(m, &r, c_lmsw);
	CHECK_EQ(r.gpr[PAC_RBX], CR0_RESET | 0xe, "LMSW loads MP|EM|TS");
	pac_destroy(m);

	/* LMSW sets PE but cannot clear it; SMSW widths (AMD: reg32 gets CR0[31:0]) */
	m = real_setup(NULL, &r);
	uint8_t pat[4] = { 0x5a, 0x5a, 0x5a, 0x5a };
	pac_phys_write(m, 0x600, pat, 4);
	RUN_OK(m, &r, c_lmsw_pe);
	CHECK_EQ(r.cr0, CR0_RESET | 1, "PE stays set");
	CHECK_EQ(r.gpr[PAC_RBX] & 0xffff, 0x0011, "SMSW BX");
	CHECK_EQ(r.gpr[PAC_RCX], CR0_RESET | 1, "SMSW ECX");
	pac_phys_read(m, 0x600, pat, 4);
	CHECK(pat[0] == 0x11 && pat[1] == 0 && pat[2] == 0x5a, "SMSW m16 writes 2 bytes");
	pac_destroy(m);
}

static void t_dr(void)
{
	struct pac_regs r;
	pac_machine *m = real_setup(NULL, &r);
	RUN_OK(m, &r, c_dr0);
	CHECK_EQ(r.gpr[PAC_RBX], 0x12345678, "DR0");
	pac_destroy(m);

	m = real_setup(NULL, &r);
	RUN_OK(m, &r, c_dr67);
	CHECK_EQ(r.gpr[PAC_RBX], 0xffff0ff0, "DR6 fixed bits");
	CHECK_EQ(r.gpr[PAC_RCX], 0x400, "DR7 fixed bits");
	CHECK_EQ(r.gpr[PAC_RDX], 0xffff07ff, "DR7 writable bits");
	pac_destroy(m);

	m = real_setup(NULL, &r);
	RUN_OK(m, &r, c_dr4);
	CHECK_EQ(r.gpr[PAC_RBX], 0xffff0ff1, "DR4 aliases DR6");
	CHECK_EQ(r.gpr[PAC_RCX], 0x400, "DR5 aliases DR7");
	pac_destroy(m);

	expect_real_fault("DR4 with CR4.DE", NULL, 8, c_dr4_de, sizeof c_dr4_de, 6, 0);

	/* DR7.GD: #DB before the access, DR6.BD set, GD cleared */
	m = real_setup(NULL, &r);
	CHECK_EQ(real_run(m, &r, c_dr_gd, sizeof c_dr_gd), 1, "general detect #DB");
	CHECK_EQ(real_fault_ip(m), 0x7c09, "#DB is a fault");
	CHECK_EQ(r.dr[6] & 0x2000, 0x2000, "DR6.BD");
	CHECK_EQ(r.dr[7] & 0x2000, 0, "DR7.GD cleared");
	pac_destroy(m);
}

static void t_user(void)
{
	USER_FAULT(u_mov_cr, 0, 13);
	USER_FAULT(u_mov_dr, 0, 13);
	USER_FAULT(u_clts, 0, 13);
	USER_FAULT(u_lmsw, 0, 13);
	USER_FAULT(u_smsw, 1u << 11, 13); /* CR4.UMIP */

	/* without UMIP, SMSW works at CPL 3 */
	USER_OK(u_smsw, 0);
	struct pac_regs r;
	struct tm_events ev;
	pac_machine *m = user_run(0, u_smsw, sizeof u_smsw, &r, &ev);
	CHECK_EQ(r.gpr[PAC_RAX], 0x11, "SMSW EAX in protected mode");
	pac_destroy(m);
}

int main(void)
{
	t_cr0();
	t_pdptes();
	t_cr234();
	t_cr8();
	t_msw();
	t_dr();
	t_user();
	return test_done("sysreg_cr");
}
