/* SPDX-License-Identifier: MIT */
/* System registers in 64-bit mode (long mode with paging, a 64-bit IDT):
 * 64-bit operands of MOV CRn/DRn and their MBZ bits, leaving long mode,
 * CR4.PCIDE/LA57/PAE rules, CR8, FSGSBASE, 10-byte LGDT/SGDT, and INVLPG /
 * INVPCID / MOV CR3 observed through the TLB (APM vol. 2 3.1, 5.5, 14.6;
 * APM vol. 3). Faults must arrive at the IDT handler of their vector. */
#include "test_sysreg_util.h"

/* snippets assembled with nasm; NAME_AT is the offset of the faulting one */
/* mov rax, cr0; bts rax, 32; mov cr0, rax; hlt */
static const uint8_t l_cr0_hi[] = { 0x0f, 0x20, 0xc0, 0x48, 0x0f, 0xba, 0xe8, 0x20, 0x0f, 0x22, 0xc0, 0xf4 };
#define l_cr0_hi_AT 8
/* mov rax, cr0; btr rax, 31; mov cr0, rax; hlt */
static const uint8_t l_cr0_nopg[] = { 0x0f, 0x20, 0xc0, 0x48, 0x0f, 0xba, 0xf0, 0x1f, 0x0f, 0x22, 0xc0, 0xf4 };
#define l_cr0_nopg_AT 8
/* mov rax, cr4; btr rax, 5; mov cr4, rax; hlt */
static const uint8_t l_cr4_nopae[] = { 0x0f, 0x20, 0xe0, 0x48, 0x0f, 0xba, 0xf0, 0x05, 0x0f, 0x22, 0xe0, 0xf4 };
#define l_cr4_nopae_AT 8
/* mov rax, cr4; bts rax, 12; mov cr4, rax; hlt */
static const uint8_t l_cr4_la57[] = { 0x0f, 0x20, 0xe0, 0x48, 0x0f, 0xba, 0xe8, 0x0c, 0x0f, 0x22, 0xe0, 0xf4 };
#define l_cr4_la57_AT 8
/* mov rax, cr4; bts rax, 40; mov cr4, rax; hlt */
static const uint8_t l_cr4_hi[] = { 0x0f, 0x20, 0xe0, 0x48, 0x0f, 0xba, 0xe8, 0x28, 0x0f, 0x22, 0xe0, 0xf4 };
#define l_cr4_hi_AT 8
/* mov rax, cr3; or rax, 5; mov cr3, rax; mov rax, cr4; bts rax, 17; mov cr4, rax; hlt */
static const uint8_t l_pcide_bad[] = { 0x0f, 0x20, 0xd8, 0x48, 0x83, 0xc8, 0x05, 0x0f, 0x22, 0xd8, 0x0f, 0x20, 0xe0, 0x48, 0x0f, 0xba, 0xe8, 0x11, 0x0f, 0x22, 0xe0, 0xf4 };
#define l_pcide_bad_AT 18
/* mov rax, cr4; bts rax, 17; mov cr4, rax; mov rax, cr3; or rax, 7; bts rax, 63; mov cr3, rax; mov rbx, cr3; hlt */
static const uint8_t l_pcide[] = { 0x0f, 0x20, 0xe0, 0x48, 0x0f, 0xba, 0xe8, 0x11, 0x0f, 0x22, 0xe0, 0x0f, 0x20, 0xd8, 0x48, 0x83, 0xc8, 0x07, 0x48, 0x0f, 0xba, 0xe8, 0x3f, 0x0f, 0x22, 0xd8, 0x0f, 0x20, 0xdb, 0xf4 };
/* mov rax, cr3; bts rax, 62; mov cr3, rax; hlt */
static const uint8_t l_cr3_mbz[] = { 0x0f, 0x20, 0xd8, 0x48, 0x0f, 0xba, 0xe8, 0x3e, 0x0f, 0x22, 0xd8, 0xf4 };
#define l_cr3_mbz_AT 8
/* mov rax, cr3; bts rax, 63; mov cr3, rax; hlt */
static const uint8_t l_cr3_b63[] = { 0x0f, 0x20, 0xd8, 0x48, 0x0f, 0xba, 0xe8, 0x3f, 0x0f, 0x22, 0xd8, 0xf4 };
#define l_cr3_b63_AT 8
/* mov eax, 9; mov cr8, rax; mov rbx, cr8; xor ecx, ecx; lock mov rcx, cr0; hlt */
static const uint8_t l_cr8[] = { 0xb8, 0x09, 0x00, 0x00, 0x00, 0x44, 0x0f, 0x22, 0xc0, 0x44, 0x0f, 0x20, 0xc3, 0x31, 0xc9, 0xf0, 0x0f, 0x20, 0xc1, 0xf4 };
/* mov eax, 16; mov cr8, rax; hlt */
static const uint8_t l_cr8_bad[] = { 0xb8, 0x10, 0x00, 0x00, 0x00, 0x44, 0x0f, 0x22, 0xc0, 0xf4 };
#define l_cr8_bad_AT 5
/* db 0x44, 0x0f, 0x22, 0xc8; hlt */
static const uint8_t l_cr9[] = { 0x44, 0x0f, 0x22, 0xc8, 0xf4 };
#define l_cr9_AT 0
/* db 0x44, 0x0f, 0x23, 0xc0; hlt */
static const uint8_t l_dr8[] = { 0x44, 0x0f, 0x23, 0xc0, 0xf4 };
#define l_dr8_AT 0
/* mov rax, 0x100000400; mov dr7, rax; hlt */
static const uint8_t l_dr7_hi[] = { 0x48, 0xb8, 0x00, 0x04, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x0f, 0x23, 0xf8, 0xf4 };
#define l_dr7_hi_AT 10
/* mov rax, 0x123456789abc; mov dr0, rax; mov rbx, dr0; hlt */
static const uint8_t l_dr0_64[] = { 0x48, 0xb8, 0xbc, 0x9a, 0x78, 0x56, 0x34, 0x12, 0x00, 0x00, 0x0f, 0x23, 0xc0, 0x0f, 0x21, 0xc3, 0xf4 };
/* mov rax, 0x123456789a; wrfsbase rax; mov eax, 0xfedcba98; wrgsbase eax; rdfsbase rbx; rdgsbase rcx; rdfsbase edx; hlt */
static const uint8_t l_fsgs[] = { 0x48, 0xb8, 0x9a, 0x78, 0x56, 0x34, 0x12, 0x00, 0x00, 0x00, 0xf3, 0x48, 0x0f, 0xae, 0xd0, 0xb8, 0x98, 0xba, 0xdc, 0xfe, 0xf3, 0x0f, 0xae, 0xd8, 0xf3, 0x48, 0x0f, 0xae, 0xc3, 0xf3, 0x48, 0x0f, 0xae, 0xc9, 0xf3, 0x0f, 0xae, 0xc2, 0xf4 };
/* mov rax, 0x0000800000000000; wrfsbase rax; hlt */
static const uint8_t l_fsgs_nc[] = { 0x48, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80, 0x00, 0x00, 0xf3, 0x48, 0x0f, 0xae, 0xd0, 0xf4 };
#define l_fsgs_nc_AT 10
/* rdfsbase rax; hlt */
static const uint8_t l_fsgs_off[] = { 0xf3, 0x48, 0x0f, 0xae, 0xc0, 0xf4 };
#define l_fsgs_off_AT 0
/* lgdt [0x600]; sgdt [0x620]; lgdt [0x640]; hlt */
static const uint8_t l_lgdt64[] = { 0x0f, 0x01, 0x14, 0x25, 0x00, 0x06, 0x00, 0x00, 0x0f, 0x01, 0x04, 0x25, 0x20, 0x06, 0x00, 0x00, 0x0f, 0x01, 0x14, 0x25, 0x40, 0x06, 0x00, 0x00, 0xf4 };
/* lgdt [0x600]; hlt */
static const uint8_t l_lgdt_nc[] = { 0x0f, 0x01, 0x14, 0x25, 0x00, 0x06, 0x00, 0x00, 0xf4 };
#define l_lgdt_nc_AT 0
/* mov rax, -1; rdpid rax; hlt */
static const uint8_t l_rdpid[] = { 0x48, 0xc7, 0xc0, 0xff, 0xff, 0xff, 0xff, 0xf3, 0x0f, 0xc7, 0xf8, 0xf4 };
/* mov rax, -1; smsw rax; hlt */
static const uint8_t l_smsw[] = { 0x48, 0xc7, 0xc0, 0xff, 0xff, 0xff, 0xff, 0x48, 0x0f, 0x01, 0xe0, 0xf4 };
/* mov rax, [0x40000000]; mov [0x23000], rdi; mov rbx, [0x40000000]; invlpg [0x40000000]; mov rcx, [0x40000000]; hlt */
static const uint8_t l_invlpg[] = { 0x48, 0x8b, 0x04, 0x25, 0x00, 0x00, 0x00, 0x40, 0x48, 0x89, 0x3c, 0x25, 0x00, 0x30, 0x02, 0x00, 0x48, 0x8b, 0x1c, 0x25, 0x00, 0x00, 0x00, 0x40, 0x0f, 0x01, 0x3c, 0x25, 0x00, 0x00, 0x00, 0x40, 0x48, 0x8b, 0x0c, 0x25, 0x00, 0x00, 0x00, 0x40, 0xf4 };
/* mov rax, [0x40000000]; mov [0x23000], rdi; mov rbx, [0x40000000]; xor edx, edx; invpcid rdx, [0x600]; mov rcx, [0x40000000]; hlt */
static const uint8_t l_invpcid0[] = { 0x48, 0x8b, 0x04, 0x25, 0x00, 0x00, 0x00, 0x40, 0x48, 0x89, 0x3c, 0x25, 0x00, 0x30, 0x02, 0x00, 0x48, 0x8b, 0x1c, 0x25, 0x00, 0x00, 0x00, 0x40, 0x31, 0xd2, 0x66, 0x48, 0x0f, 0x38, 0x82, 0x14, 0x25, 0x00, 0x06, 0x00, 0x00, 0x48, 0x8b, 0x0c, 0x25, 0x00, 0x00, 0x00, 0x40, 0xf4 };
/* mov rax, [0x40000000]; mov [0x23000], rdi; mov rbx, [0x40000000]; mov edx, 2; invpcid rdx, [0x600]; mov rcx, [0x40000000]; hlt */
static const uint8_t l_invpcid2[] = { 0x48, 0x8b, 0x04, 0x25, 0x00, 0x00, 0x00, 0x40, 0x48, 0x89, 0x3c, 0x25, 0x00, 0x30, 0x02, 0x00, 0x48, 0x8b, 0x1c, 0x25, 0x00, 0x00, 0x00, 0x40, 0xba, 0x02, 0x00, 0x00, 0x00, 0x66, 0x48, 0x0f, 0x38, 0x82, 0x14, 0x25, 0x00, 0x06, 0x00, 0x00, 0x48, 0x8b, 0x0c, 0x25, 0x00, 0x00, 0x00, 0x40, 0xf4 };
/* xor edx, edx; invpcid rdx, [0x600]; hlt */
static const uint8_t l_invpcid_nc[] = { 0x31, 0xd2, 0x66, 0x48, 0x0f, 0x38, 0x82, 0x14, 0x25, 0x00, 0x06, 0x00, 0x00, 0xf4 };
#define l_invpcid_nc_AT 2
/* mov rax, [0x40000000]; mov [0x23000], rdi; mov rbx, [0x40000000]; mov rdx, cr3; mov cr3, rdx; mov rcx, [0x40000000]; hlt */
static const uint8_t l_movcr3[] = { 0x48, 0x8b, 0x04, 0x25, 0x00, 0x00, 0x00, 0x40, 0x48, 0x89, 0x3c, 0x25, 0x00, 0x30, 0x02, 0x00, 0x48, 0x8b, 0x1c, 0x25, 0x00, 0x00, 0x00, 0x40, 0x0f, 0x20, 0xda, 0x0f, 0x22, 0xda, 0x48, 0x8b, 0x0c, 0x25, 0x00, 0x00, 0x00, 0x40, 0xf4 };
/* mov rax, 0x0000800000000000; xor ecx, ecx; monitor; hlt */
static const uint8_t l_monitor_nc[] = { 0x48, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80, 0x00, 0x00, 0x31, 0xc9, 0x0f, 0x01, 0xc8, 0xf4 };
#define l_monitor_nc_AT 12

static void t_cr_checks(void)
{
	LM_FAULT(l_cr0_hi, 13);    /* CR0[63:32] MBZ */
	LM_FAULT(l_cr0_nopg, 13);  /* paging cannot be turned off in 64-bit mode */
	LM_FAULT(l_cr4_nopae, 13); /* PAE cannot be cleared in long mode */
	LM_FAULT(l_cr4_la57, 13);  /* zen4: LA57 reserved */
	expect_lm_fault("LA57 change in long mode", "zen4-la57", 0, l_cr4_la57, sizeof l_cr4_la57, 13,
			l_cr4_la57_AT);
	LM_FAULT(l_cr4_hi, 13);
	LM_FAULT(l_pcide_bad, 13); /* PCIDE needs CR3[11:0] = 0 */
	LM_FAULT(l_cr3_mbz, 13);   /* CR3 bits above MAXPHYADDR */
	LM_FAULT(l_cr3_b63, 13);   /* bit 63 without PCIDE is MBZ */
	LM_FAULT(l_cr8_bad, 13);
	LM_FAULT(l_cr9, 6);
	LM_FAULT(l_dr8, 6);
	LM_FAULT(l_dr7_hi, 13);    /* DR7[63:32] MBZ */
	expect_lm_fault("PCIDE without the feature", "zen2", 0, l_pcide_bad, sizeof l_pcide_bad, 13,
			l_pcide_bad_AT);

	struct pac_regs r;
	pac_machine *m = lm_setup(NULL, &r, 0, false);
	CHECK_EQ(lm_run(m, &r, l_pcide, sizeof l_pcide, NULL), -1, "PCIDE with CR3[11:0] = 0");
	CHECK_EQ(r.gpr[PAC_RBX], LM_PML4 | 7, "CR3 keeps the PCID, drops the no-flush bit 63");
	CHECK_EQ(r.cr4 & (1u << 17), 1u << 17, "CR4.PCIDE");
	pac_destroy(m);

	m = lm_setup(NULL, &r, 0, false);
	CHECK_EQ(lm_run(m, &r, l_cr8, sizeof l_cr8, NULL), -1, "MOV CR8");
	CHECK_EQ(r.cr8, 9, "TPR");
	CHECK_EQ(r.gpr[PAC_RBX], 9, "MOV RBX,CR8");
	CHECK_EQ(r.gpr[PAC_RCX], 9, "LOCK MOV RCX,CR0 reads CR8 in 64-bit mode");
	pac_destroy(m);

	m = lm_setup(NULL, &r, 0, false);
	CHECK_EQ(lm_run(m, &r, l_dr0_64, sizeof l_dr0_64, NULL), -1, "MOV DR0 64-bit");
	CHECK_EQ(r.gpr[PAC_RBX], 0x123456789abcull, "DR0 keeps 64 bits");
	pac_destroy(m);

	m = lm_setup(NULL, &r, 0, false);
	CHECK_EQ(lm_run(m, &r, l_smsw, sizeof l_smsw, NULL), -1, "SMSW RAX");
	CHECK_EQ(r.gpr[PAC_RAX], 0x80000031u, "SMSW r64 stores all of CR0 (AMD)");
	pac_destroy(m);
}

static void t_fsgs_dt(void)
{
	struct pac_regs r;
	pac_machine *m = lm_setup(NULL, &r, 1u << 16, false);
	CHECK_EQ(lm_run(m, &r, l_fsgs, sizeof l_fsgs, NULL), -1, "FSGSBASE");
	CHECK_EQ(r.seg[PAC_FS].base, 0x123456789aull, "WRFSBASE");
	CHECK_EQ(r.seg[PAC_GS].base, 0xfedcba98ull, "WRGSBASE r32 zero-extends");
	CHECK_EQ(r.gpr[PAC_RBX], 0x123456789aull, "RDFSBASE");
	CHECK_EQ(r.gpr[PAC_RCX], 0xfedcba98ull, "RDGSBASE");
	CHECK_EQ(r.gpr[PAC_RDX], 0x3456789aull, "RDFSBASE r32");
	uint64_t v = 0;
	CHECK(pac_get_msr(m, 0, 0xc0000100, &v) == PAC_OK && v == 0x123456789aull, "FS_BASE MSR");
	pac_destroy(m);
	expect_lm_fault("WRFSBASE non-canonical", NULL, 1u << 16, l_fsgs_nc, sizeof l_fsgs_nc, 13,
			l_fsgs_nc_AT);
	LM_FAULT(l_fsgs_off, 6); /* CR4.FSGSBASE = 0 */

	static const uint8_t pd[10] = { 0x34, 0x12, 0x78, 0x56, 0x34, 0x12, 0x00, 0x80, 0xff, 0xff };
	static const uint8_t gdt[10] = { 0x2f, 0x00, 0x00, 0x10, 0, 0, 0, 0, 0, 0 };
	m = lm_setup(NULL, &r, 0, false);
	pac_phys_write(m, 0x600, pd, 10);
	pac_phys_write(m, 0x640, gdt, 10);
	uint8_t out[12];
	memset(out, 0x5a, sizeof out);
	pac_phys_write(m, 0x620, out, sizeof out);
	CHECK_EQ(lm_run(m, &r, l_lgdt64, sizeof l_lgdt64, NULL), -1, "LGDT/SGDT 64-bit");
	pac_phys_read(m, 0x620, out, sizeof out);
	CHECK(!memcmp(out, pd, 10) && out[10] == 0x5a, "SGDT stores 10 bytes in 64-bit mode");
	CHECK(r.gdtr.base == LM_GDT && r.gdtr.limit == 0x2f, "LGDT 8-byte base");
	pac_destroy(m);

	static const uint8_t pd_nc[10] = { 0xff, 0, 0, 0, 0, 0, 0, 0x80, 0, 0 }; /* base 2^47 */
	m = lm_setup(NULL, &r, 0, false);
	pac_phys_write(m, 0x600, pd_nc, 10);
	uint64_t at = 0;
	CHECK_EQ(lm_run(m, &r, l_lgdt_nc, sizeof l_lgdt_nc, &at), 13, "LGDT non-canonical base");
	CHECK_EQ(r.gdtr.base, LM_GDT, "GDTR unchanged");
	pac_destroy(m);

	m = lm_setup(NULL, &r, 0, false);
	pac_set_msr(m, 0, 0xc0000103, 0x77);
	CHECK_EQ(lm_run(m, &r, l_rdpid, sizeof l_rdpid, NULL), -1, "RDPID");
	CHECK_EQ(r.gpr[PAC_RAX], 0x77, "RDPID r64 zero-extends TSC_AUX");
	pac_destroy(m);
	LM_FAULT(l_monitor_nc, 13);
}

/* Linear 1 GiB maps through PD2 to the 2 MiB page at 4 MiB (value 0x1111);
 * the snippet repoints it to 6 MiB (value 0x2222) and reads again before
 * and after an invalidation. RAX/RBX/RCX: before, stale, after. */
static void tlb_case(const char *name, const uint8_t *code, size_t n, uint64_t pcid_cr4)
{
	struct pac_regs r;
	pac_machine *m = lm_setup(NULL, &r, pcid_cr4, false);
	lm_w64(m, LM_PDPT + 8, (LM_PD + 0x1000) | 7);
	lm_w64(m, LM_PD + 0x1000, 0x400000 | 0x87);
	lm_w64(m, 0x400000, 0x1111);
	lm_w64(m, 0x600000, 0x2222);
	uint64_t desc[2] = { 0, 0x40000000 };
	pac_phys_write(m, 0x600, desc, 16);
	r.gpr[PAC_RDI] = 0x600000 | 0x87;
	CHECK_EQ(lm_run(m, &r, code, n, NULL), -1, name);
	CHECK(r.gpr[PAC_RAX] == 0x1111 && r.gpr[PAC_RBX] == 0x1111 && r.gpr[PAC_RCX] == 0x2222,
	      "%s: %#llx %#llx %#llx", name, (unsigned long long)r.gpr[PAC_RAX],
	      (unsigned long long)r.gpr[PAC_RBX], (unsigned long long)r.gpr[PAC_RCX]);
	pac_destroy(m);
}

static void t_tlb(void)
{
	tlb_case("INVLPG", l_invlpg, sizeof l_invlpg, 0);
	tlb_case("INVPCID type 0", l_invpcid0, sizeof l_invpcid0, 0);
	tlb_case("INVPCID type 2", l_invpcid2, sizeof l_invpcid2, 0);
	tlb_case("MOV CR3", l_movcr3, sizeof l_movcr3, 0);
	tlb_case("INVPCID type 0, PCIDE", l_invpcid0, sizeof l_invpcid0, 1u << 17);

	struct pac_regs r;
	pac_machine *m = lm_setup(NULL, &r, 0, false);
	uint64_t desc[2] = { 0, 0x0000800000000000ull };
	pac_phys_write(m, 0x600, desc, 16);
	uint64_t at = 0;
	CHECK_EQ(lm_run(m, &r, l_invpcid_nc, sizeof l_invpcid_nc, &at), 13, "INVPCID non-canonical");
	CHECK_EQ(at, LM_CODE + l_invpcid_nc_AT, "at INVPCID");
	pac_destroy(m);
}

int main(void)
{
	t_cr_checks();
	t_fsgs_dt();
	t_tlb();
	return test_done("sysreg64");
}
