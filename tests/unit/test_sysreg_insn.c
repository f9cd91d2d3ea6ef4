/* SPDX-License-Identifier: MIT */
/* System instructions other than MOV CRn/DRn: descriptor-table registers,
 * cache/TLB maintenance, fences, MONITOR/MWAIT, TSC/PMC/PID, XCR0, CPUID,
 * RDMSR/WRMSR, CLAC/STAC, INVPCID, and their CPL/CR4-gated #GP/#UD cases
 * (APM vol. 3 for each instruction). */
#include "test_sysreg_util.h"

/* snippets assembled with nasm (source in the comment above each) */
/* lgdt [0x600]; hlt */
static const uint8_t i_lgdt16[] = { 0x0f, 0x01, 0x16, 0x00, 0x06, 0xf4 };
/* o32 lgdt [0x600]; sgdt [0x610]; hlt */
static const uint8_t i_lgdt32[] = { 0x66, 0x0f, 0x01, 0x16, 0x00, 0x06, 0x0f, 0x01, 0x06, 0x10, 0x06, 0xf4 };
/* o32 lidt [0x600]; sidt [0x620]; hlt */
static const uint8_t i_lidt32[] = { 0x66, 0x0f, 0x01, 0x1e, 0x00, 0x06, 0x0f, 0x01, 0x0e, 0x20, 0x06, 0xf4 };
/* sidt [0x620]; hlt */
static const uint8_t i_sidt[] = { 0x0f, 0x01, 0x0e, 0x20, 0x06, 0xf4 };
/* db 0x0f, 0x01, 0xc0; hlt */
static const uint8_t i_sgdt_reg[] = { 0x0f, 0x01, 0xc0, 0xf4 };
/* db 0x0f, 0x01, 0xd2; hlt */
static const uint8_t i_grp7_d2[] = { 0x0f, 0x01, 0xd2, 0xf4 };
/* db 0x0f, 0x01, 0xd8; hlt */
static const uint8_t i_vmrun[] = { 0x0f, 0x01, 0xd8, 0xf4 };
/* db 0x0f, 0x01, 0xdd; hlt */
static const uint8_t i_clgi[] = { 0x0f, 0x01, 0xdd, 0xf4 };
/* invlpg [0x600]; wbinvd; invd; clflush [0x600]; clflushopt [0x600]; clwb [0x600]; lfence; mfence; sfence; db 0x0f, 0xae, 0xe9; hlt */
static const uint8_t i_cache[] = { 0x0f, 0x01, 0x3e, 0x00, 0x06, 0x0f, 0x09, 0x0f, 0x08, 0x0f, 0xae, 0x3e, 0x00, 0x06, 0x66, 0x0f, 0xae, 0x3e, 0x00, 0x06, 0x66, 0x0f, 0xae, 0x36, 0x00, 0x06, 0x0f, 0xae, 0xe8, 0x0f, 0xae, 0xf0, 0x0f, 0xae, 0xf8, 0x0f, 0xae, 0xe9, 0xf4 };
/* db 0xf3, 0x0f, 0xae, 0xe8; hlt */
static const uint8_t i_f3fence[] = { 0xf3, 0x0f, 0xae, 0xe8, 0xf4 };
/* mov ax, 0x647; clzero; hlt */
static const uint8_t i_clzero[] = { 0xb8, 0x47, 0x06, 0x0f, 0x01, 0xfc, 0xf4 };
/* xor ecx, ecx; mov ax, 0x600; monitor; hlt */
static const uint8_t i_monitor[] = { 0x66, 0x31, 0xc9, 0xb8, 0x00, 0x06, 0x0f, 0x01, 0xc8, 0xf4 };
/* mov ecx, 1; monitor; hlt */
static const uint8_t i_monitor_ecx[] = { 0x66, 0xb9, 0x01, 0x00, 0x00, 0x00, 0x0f, 0x01, 0xc8, 0xf4 };
/* xor ecx, ecx; xor eax, eax; mwait; mov bl, 1; hlt */
static const uint8_t i_mwait_if0[] = { 0x66, 0x31, 0xc9, 0x66, 0x31, 0xc0, 0x0f, 0x01, 0xc9, 0xb3, 0x01, 0xf4 };
/* sti; xor ecx, ecx; xor eax, eax; mwait; mov bl, 1; hlt */
static const uint8_t i_mwait_if1[] = { 0xfb, 0x66, 0x31, 0xc9, 0x66, 0x31, 0xc0, 0x0f, 0x01, 0xc9, 0xb3, 0x01, 0xf4 };
/* mov ecx, 2; mwait; hlt */
static const uint8_t i_mwait_ecx[] = { 0x66, 0xb9, 0x02, 0x00, 0x00, 0x00, 0x0f, 0x01, 0xc9, 0xf4 };
/* mov ecx, 0xc0010015; rdmsr; or eax, 0x200; wrmsr; xor ecx, ecx; monitor; hlt */
static const uint8_t i_mwait_dis[] = { 0x66, 0xb9, 0x15, 0x00, 0x01, 0xc0, 0x0f, 0x32, 0x66, 0x0d, 0x00, 0x02, 0x00, 0x00, 0x0f, 0x30, 0x66, 0x31, 0xc9, 0x0f, 0x01, 0xc8, 0xf4 };
/* rdtsc; mov esi, eax; mov edi, edx; rdtsc; hlt */
static const uint8_t i_rdtsc[] = { 0x0f, 0x31, 0x66, 0x89, 0xc6, 0x66, 0x89, 0xd7, 0x0f, 0x31, 0xf4 };
/* mov ecx, 0x10; mov eax, 0x89abcdef; mov edx, 0x01234567; wrmsr; rdtsc; hlt */
static const uint8_t i_wrtsc[] = { 0x66, 0xb9, 0x10, 0x00, 0x00, 0x00, 0x66, 0xb8, 0xef, 0xcd, 0xab, 0x89, 0x66, 0xba, 0x67, 0x45, 0x23, 0x01, 0x0f, 0x30, 0x0f, 0x31, 0xf4 };
/* mov ecx, 0xc0000103; mov eax, 0x1234; xor edx, edx; wrmsr; xor ecx, ecx; rdtscp; mov esi, ecx; db 0xf3, 0x0f, 0xc7, 0xfb; hlt */
static const uint8_t i_rdtscp[] = { 0x66, 0xb9, 0x03, 0x01, 0x00, 0xc0, 0x66, 0xb8, 0x34, 0x12, 0x00, 0x00, 0x66, 0x31, 0xd2, 0x0f, 0x30, 0x66, 0x31, 0xc9, 0x0f, 0x01, 0xf9, 0x66, 0x89, 0xce, 0xf3, 0x0f, 0xc7, 0xfb, 0xf4 };
/* mov ecx, 0xc0010005; mov eax, 0x55; mov edx, 1; wrmsr; mov ecx, 1; rdpmc; hlt */
static const uint8_t i_rdpmc[] = { 0x66, 0xb9, 0x05, 0x00, 0x01, 0xc0, 0x66, 0xb8, 0x55, 0x00, 0x00, 0x00, 0x66, 0xba, 0x01, 0x00, 0x00, 0x00, 0x0f, 0x30, 0x66, 0xb9, 0x01, 0x00, 0x00, 0x00, 0x0f, 0x33, 0xf4 };
/* mov ecx, 6; rdpmc; hlt */
static const uint8_t i_rdpmc_bad[] = { 0x66, 0xb9, 0x06, 0x00, 0x00, 0x00, 0x0f, 0x33, 0xf4 };
/* xor ecx, ecx; xgetbv; mov esi, eax; mov eax, 3; xor edx, edx; xsetbv; xgetbv; hlt */
static const uint8_t i_xgetbv[] = { 0x66, 0x31, 0xc9, 0x0f, 0x01, 0xd0, 0x66, 0x89, 0xc6, 0x66, 0xb8, 0x03, 0x00, 0x00, 0x00, 0x66, 0x31, 0xd2, 0x0f, 0x01, 0xd1, 0x0f, 0x01, 0xd0, 0xf4 };
/* mov ecx, 1; xgetbv; hlt */
static const uint8_t i_xgetbv_ecx[] = { 0x66, 0xb9, 0x01, 0x00, 0x00, 0x00, 0x0f, 0x01, 0xd0, 0xf4 };
/* xor ecx, ecx; xor edx, edx; mov eax, 2; xsetbv; hlt */
static const uint8_t i_xsetbv_nox87[] = { 0x66, 0x31, 0xc9, 0x66, 0x31, 0xd2, 0x66, 0xb8, 0x02, 0x00, 0x00, 0x00, 0x0f, 0x01, 0xd1, 0xf4 };
/* xor ecx, ecx; xor edx, edx; mov eax, 7; xsetbv; hlt */
static const uint8_t i_xsetbv_avx[] = { 0x66, 0x31, 0xc9, 0x66, 0x31, 0xd2, 0x66, 0xb8, 0x07, 0x00, 0x00, 0x00, 0x0f, 0x01, 0xd1, 0xf4 };
/* mov ecx, 1; xor edx, edx; mov eax, 1; xsetbv; hlt */
static const uint8_t i_xsetbv_ecx[] = { 0x66, 0xb9, 0x01, 0x00, 0x00, 0x00, 0x66, 0x31, 0xd2, 0x66, 0xb8, 0x01, 0x00, 0x00, 0x00, 0x0f, 0x01, 0xd1, 0xf4 };
/* xor eax, eax; cpuid; hlt */
static const uint8_t i_cpuid0[] = { 0x66, 0x31, 0xc0, 0x0f, 0xa2, 0xf4 };
/* mov eax, 5; cpuid; hlt */
static const uint8_t i_cpuid5[] = { 0x66, 0xb8, 0x05, 0x00, 0x00, 0x00, 0x0f, 0xa2, 0xf4 };
/* mov ecx, 0xc0000081; mov eax, 0x11223344; mov edx, 0x55667788; wrmsr; xor eax, eax; xor edx, edx; rdmsr; hlt */
static const uint8_t i_msr[] = { 0x66, 0xb9, 0x81, 0x00, 0x00, 0xc0, 0x66, 0xb8, 0x44, 0x33, 0x22, 0x11, 0x66, 0xba, 0x88, 0x77, 0x66, 0x55, 0x0f, 0x30, 0x66, 0x31, 0xc0, 0x66, 0x31, 0xd2, 0x0f, 0x32, 0xf4 };
/* mov ecx, 0x3a; rdmsr; hlt */
static const uint8_t i_msr_unknown[] = { 0x66, 0xb9, 0x3a, 0x00, 0x00, 0x00, 0x0f, 0x32, 0xf4 };
/* mov ecx, 0xc0000080; xor edx, edx; mov eax, 0x1000; wrmsr; hlt */
static const uint8_t i_efer_svme[] = { 0x66, 0xb9, 0x80, 0x00, 0x00, 0xc0, 0x66, 0x31, 0xd2, 0x66, 0xb8, 0x00, 0x10, 0x00, 0x00, 0x0f, 0x30, 0xf4 };
/* clac; hlt */
static const uint8_t i_clac[] = { 0x0f, 0x01, 0xca, 0xf4 };
/* db 0xf3, 0x0f, 0xae, 0xc0; hlt */
static const uint8_t i_rdfsbase[] = { 0xf3, 0x0f, 0xae, 0xc0, 0xf4 };
/* mov eax, 2; invpcid eax, [0x600]; mov eax, 3; invpcid eax, [0x600]; mov eax, 1; invpcid eax, [0x600]; hlt */
static const uint8_t i_invpcid[] = { 0x66, 0xb8, 0x02, 0x00, 0x00, 0x00, 0x66, 0x0f, 0x38, 0x82, 0x06, 0x00, 0x06, 0x66, 0xb8, 0x03, 0x00, 0x00, 0x00, 0x66, 0x0f, 0x38, 0x82, 0x06, 0x00, 0x06, 0x66, 0xb8, 0x01, 0x00, 0x00, 0x00, 0x66, 0x0f, 0x38, 0x82, 0x06, 0x00, 0x06, 0xf4 };
/* mov eax, 4; invpcid eax, [0x600]; hlt */
static const uint8_t i_invpcid_t4[] = { 0x66, 0xb8, 0x04, 0x00, 0x00, 0x00, 0x66, 0x0f, 0x38, 0x82, 0x06, 0x00, 0x06, 0xf4 };
/* xor eax, eax; invpcid eax, [0x600]; hlt */
static const uint8_t i_invpcid_t0[] = { 0x66, 0x31, 0xc0, 0x66, 0x0f, 0x38, 0x82, 0x06, 0x00, 0x06, 0xf4 };
/* stac; pushfd; pop eax; clac; pushfd; pop ebx; hlt */
static const uint8_t p_stac[] = { 0x0f, 0x01, 0xcb, 0x9c, 0x58, 0x0f, 0x01, 0xca, 0x9c, 0x5b, 0xf4 };
/* rdtsc; hlt */
static const uint8_t u_rdtsc[] = { 0x0f, 0x31, 0xf4 };
/* rdtscp; hlt */
static const uint8_t u_rdtscp[] = { 0x0f, 0x01, 0xf9, 0xf4 };
/* rdpmc; hlt */
static const uint8_t u_rdpmc[] = { 0x0f, 0x33, 0xf4 };
/* rdmsr; hlt */
static const uint8_t u_rdmsr[] = { 0x0f, 0x32, 0xf4 };
/* wrmsr; hlt */
static const uint8_t u_wrmsr[] = { 0x0f, 0x30, 0xf4 };
/* wbinvd; hlt */
static const uint8_t u_wbinvd[] = { 0x0f, 0x09, 0xf4 };
/* invd; hlt */
static const uint8_t u_invd[] = { 0x0f, 0x08, 0xf4 };
/* invlpg [0x600]; hlt */
static const uint8_t u_invlpg[] = { 0x0f, 0x01, 0x3d, 0x00, 0x06, 0x00, 0x00, 0xf4 };
/* lgdt [0x600]; hlt */
static const uint8_t u_lgdt[] = { 0x0f, 0x01, 0x15, 0x00, 0x06, 0x00, 0x00, 0xf4 };
/* lidt [0x600]; hlt */
static const uint8_t u_lidt[] = { 0x0f, 0x01, 0x1d, 0x00, 0x06, 0x00, 0x00, 0xf4 };
/* sgdt [0x600]; hlt */
static const uint8_t u_sgdt[] = { 0x0f, 0x01, 0x05, 0x00, 0x06, 0x00, 0x00, 0xf4 };
/* sidt [0x600]; hlt */
static const uint8_t u_sidt[] = { 0x0f, 0x01, 0x0d, 0x00, 0x06, 0x00, 0x00, 0xf4 };
/* monitor; hlt */
static const uint8_t u_monitor[] = { 0x0f, 0x01, 0xc8, 0xf4 };
/* mwait; hlt */
static const uint8_t u_mwait[] = { 0x0f, 0x01, 0xc9, 0xf4 };
/* clac; hlt */
static const uint8_t u_clac[] = { 0x0f, 0x01, 0xca, 0xf4 };
/* stac; hlt */
static const uint8_t u_stac[] = { 0x0f, 0x01, 0xcb, 0xf4 };
/* xsetbv; hlt */
static const uint8_t u_xsetbv[] = { 0x0f, 0x01, 0xd1, 0xf4 };
/* invpcid eax, [0x600]; hlt */
static const uint8_t u_invpcid[] = { 0x66, 0x0f, 0x38, 0x82, 0x05, 0x00, 0x06, 0x00, 0x00, 0xf4 };
/* cpuid; hlt */
static const uint8_t u_cpuid[] = { 0x0f, 0xa2, 0xf4 };
/* rdpid eax; hlt */
static const uint8_t u_rdpid[] = { 0xf3, 0x0f, 0xc7, 0xf8, 0xf4 };

#define CR4_TSD 0x4u
#define CR4_PCE 0x100u
#define CR4_UMIP 0x800u
#define CR4_OSXSAVE 0x40000u

static const uint8_t pseudo_desc[6] = { 0x34, 0x12, 0xdd, 0xcc, 0xbb, 0xaa };

static void t_dtables(void)
{
	struct pac_regs r;
	pac_machine *m = real_setup(NULL, &r);
	pac_phys_write(m, 0x600, pseudo_desc, 6);
	RUN_OK(m, &r, i_lgdt16);
	CHECK_EQ(r.gdtr.limit, 0x1234, "LGDT limit");
	CHECK_EQ(r.gdtr.base, 0xbbccdd, "LGDT o16 loads 24 bits of base");
	pac_destroy(m);

	m = real_setup(NULL, &r);
	uint8_t out[8];
	memset(out, 0x5a, 8);
	pac_phys_write(m, 0x600, pseudo_desc, 6);
	pac_phys_write(m, 0x610, out, 8);
	RUN_OK(m, &r, i_lgdt32);
	CHECK_EQ(r.gdtr.base, 0xaabbccdd, "LGDT o32 loads 32 bits");
	pac_phys_read(m, 0x610, out, 8);
	CHECK(!memcmp(out, pseudo_desc, 6) && out[6] == 0x5a,
	      "SGDT o16 stores limit and the full 32-bit base, 6 bytes");
	pac_destroy(m);

	m = real_setup(NULL, &r);
	pac_phys_write(m, 0x600, pseudo_desc, 6);
	RUN_OK(m, &r, i_lidt32);
	CHECK(r.idtr.base == 0xaabbccdd && r.idtr.limit == 0x1234, "LIDT");
	pac_phys_read(m, 0x620, out, 6);
	CHECK(!memcmp(out, pseudo_desc, 6), "SIDT");
	pac_destroy(m);

	m = real_setup(NULL, &r);
	RUN_OK(m, &r, i_sidt);
	pac_phys_read(m, 0x620, out, 6);
	CHECK(out[0] == 0xff && out[1] == 0xff && out[2] == 0 && out[5] == 0, "reset IDTR 0/FFFF");
	pac_destroy(m);

	REAL_FAULT(i_sgdt_reg, 6, 0); /* 0F 01 C0: no register form of SGDT */
	REAL_FAULT(i_grp7_d2, 6, 0);
	REAL_FAULT(i_vmrun, 6, 0);    /* SVM instructions #UD until the SVM unit */
	REAL_FAULT(i_clgi, 6, 0);
}

static void t_cache(void)
{
	struct pac_regs r;
	pac_machine *m = real_setup(NULL, &r);
	RUN_OK(m, &r, i_cache);
	CHECK_EQ(r.rip, 0x7c00 + sizeof i_cache, "all cache ops and fences ran");
	pac_destroy(m);
	REAL_FAULT(i_f3fence, 6, 0); /* F3 0F AE E8 is not LFENCE */

	m = real_setup(NULL, &r);
	uint8_t buf[0x100];
	memset(buf, 0xaa, sizeof buf);
	pac_phys_write(m, 0x600, buf, sizeof buf);
	RUN_OK(m, &r, i_clzero);
	pac_phys_read(m, 0x600, buf, sizeof buf);
	bool zero = true;
	for (int i = 0x40; i < 0x80; i++)
		zero = zero && buf[i] == 0;
	CHECK(zero && buf[0x3f] == 0xaa && buf[0x80] == 0xaa, "CLZERO clears the aligned 64-byte line");
	pac_destroy(m);

	/* CLFLUSH faults like a byte read: beyond a 4 KiB DS limit -> #GP(0) */
	static const uint8_t clflush_far[] = { 0x0f, 0xae, 0x3d, 0x00, 0x20, 0x00, 0x00, 0xf4 };
	struct tm_events ev;
	m = tm_new();
	tm_prot32(m, &r, 0x1000);
	r.seg[PAC_DS].limit = 0xfff;
	tm_watch_events(m, &ev);
	tm_run(m, &r, clflush_far, sizeof clflush_far, 0x1000);
	CHECK(ev.n >= 1 && ev.vector[0] == 13 && ev.rip[0] == 0x1000, "CLFLUSH beyond limit: #GP");
	pac_destroy(m);
}

static void t_monitor(void)
{
	struct pac_regs r;
	pac_machine *m = real_setup(NULL, &r);
	RUN_OK(m, &r, i_monitor);
	pac_destroy(m);
	REAL_FAULT(i_monitor_ecx, 13, 6);
	REAL_FAULT(i_mwait_ecx, 13, 6);
	REAL_FAULT(i_mwait_dis, 6, 19); /* HWCR.MonMwaitDis */

	/* IF = 0: MWAIT returns at once */
	m = real_setup(NULL, &r);
	RUN_OK(m, &r, i_mwait_if0);
	CHECK_EQ(r.gpr[PAC_RBX] & 0xff, 1, "MWAIT with IF=0 falls through");
	pac_destroy(m);

	/* IF = 1: MWAIT waits like HLT (no interrupt source: the run stops there) */
	m = real_setup(NULL, &r);
	CHECK_EQ(tm_run(m, &r, i_mwait_if1, sizeof i_mwait_if1, 0x7c00), PAC_EXIT_HLT, "MWAIT waits");
	pac_get_regs(m, 0, &r);
	CHECK_EQ(r.rip, 0x7c00 + 10, "stopped after MWAIT");
	CHECK_EQ(r.gpr[PAC_RBX] & 0xff, 0, "the next instruction did not run");
	pac_destroy(m);
}

static uint64_t edx_eax(const struct pac_regs *r)
{
	return (r->gpr[PAC_RDX] << 32) | (uint32_t)r->gpr[PAC_RAX];
}

static void t_tsc(void)
{
	struct pac_regs r;
	pac_machine *m = real_setup(NULL, &r);
	RUN_OK(m, &r, i_rdtsc);
	uint64_t t0 = ((uint64_t)r.gpr[PAC_RDI] << 32) | (uint32_t)r.gpr[PAC_RSI], t1 = edx_eax(&r);
	CHECK(t1 > t0 && t1 - t0 < 100, "TSC advances with virtual time (%llu)",
	      (unsigned long long)(t1 - t0));
	pac_destroy(m);
	/* deterministic: a second machine reads the same values */
	m = real_setup(NULL, &r);
	RUN_OK(m, &r, i_rdtsc);
	CHECK_EQ(edx_eax(&r), t1, "same TSC on a second run");
	CHECK_EQ(r.gpr[PAC_RSI], (uint32_t)t0, "same first TSC");
	pac_destroy(m);

	m = real_setup(NULL, &r);
	RUN_OK(m, &r, i_wrtsc);
	uint64_t d = edx_eax(&r) - 0x0123456789abcdefull;
	CHECK(d < 100, "WRMSR TSC: RDTSC reads the written value plus elapsed cycles (%llu)",
	      (unsigned long long)d);
	pac_destroy(m);

	m = real_setup(NULL, &r);
	RUN_OK(m, &r, i_rdtscp);
	CHECK_EQ(r.gpr[PAC_RSI], 0x1234, "RDTSCP ECX = TSC_AUX");
	CHECK_EQ(r.gpr[PAC_RBX], 0x1234, "RDPID EBX = TSC_AUX");
	pac_destroy(m);

	m = real_setup(NULL, &r);
	RUN_OK(m, &r, i_rdpmc);
	CHECK_EQ(edx_eax(&r), 0x100000055ull, "RDPMC 1 reads PERF_CTR1");
	pac_destroy(m);
	REAL_FAULT(i_rdpmc_bad, 13, 6);
}

static void t_xcr0_cpuid(void)
{
	struct pac_regs r;
	REAL_FAULT(i_xgetbv, 6, 3); /* CR4.OSXSAVE = 0 */
	pac_machine *m = real_setup(NULL, &r);
	r.cr4 = CR4_OSXSAVE;
	RUN_OK(m, &r, i_xgetbv);
	CHECK_EQ(r.gpr[PAC_RSI], 1, "XCR0 reset value");
	CHECK_EQ(edx_eax(&r), 3, "XSETBV x87|SSE");
	pac_destroy(m);
	expect_real_fault("XGETBV ECX=1", NULL, CR4_OSXSAVE, i_xgetbv_ecx, sizeof i_xgetbv_ecx, 13, 6);
	expect_real_fault("XSETBV no x87", NULL, CR4_OSXSAVE, i_xsetbv_nox87, sizeof i_xsetbv_nox87, 13, 12);
	expect_real_fault("XSETBV AVX", NULL, CR4_OSXSAVE, i_xsetbv_avx, sizeof i_xsetbv_avx, 13, 12);
	expect_real_fault("XSETBV ECX=1", NULL, CR4_OSXSAVE, i_xsetbv_ecx, sizeof i_xsetbv_ecx, 13, 15);

	m = real_setup(NULL, &r);
	RUN_OK(m, &r, i_cpuid0);
	CHECK(r.gpr[PAC_RBX] == 0x68747541 && r.gpr[PAC_RDX] == 0x69746e65 &&
	      r.gpr[PAC_RCX] == 0x444d4163, "CPUID 0: AuthenticAMD");
	CHECK_EQ(r.gpr[PAC_RAX], 0xd, "max leaf");
	pac_destroy(m);
	m = real_setup(NULL, &r);
	RUN_OK(m, &r, i_cpuid5);
	CHECK(r.gpr[PAC_RAX] == 64 && r.gpr[PAC_RBX] == 64 && r.gpr[PAC_RCX] == 3, "CPUID 5 monitor line");
	pac_destroy(m);
}

static char log_seen[256];
static void log_cb(void *ctx, const char *cat, const char *msg)
{
	(void)ctx;
	if (!strcmp(cat, "GUEST_ERR"))
		snprintf(log_seen, sizeof log_seen, "%s", msg);
}

static void t_msr_insn(void)
{
	struct pac_regs r;
	pac_machine *m = real_setup(NULL, &r);
	RUN_OK(m, &r, i_msr);
	CHECK_EQ(edx_eax(&r), 0x5566778811223344ull, "WRMSR/RDMSR STAR");
	uint64_t v = 0;
	CHECK(pac_get_msr(m, 0, 0xc0000081, &v) == PAC_OK && v == 0x5566778811223344ull, "STAR via API");
	pac_destroy(m);
	REAL_FAULT(i_msr_unknown, 13, 6); /* IA32_FEATURE_CONTROL does not exist on AMD */

	/* a refused RDMSR is reported as GUEST_ERR (DESIGN rule 10) */
	struct pac_config cfg = { .ncpus = 1, .log = log_cb };
	int err;
	m = pac_create(&cfg, &err);
	pac_map_ram(m, 0, TM_RAM, NULL);
	tm_real(m, &r, 0x7c00);
	r.rflags = 2;
	tm_real_exc_stubs(m);
	CHECK_EQ(real_run(m, &r, i_msr_unknown, sizeof i_msr_unknown), 13, "RDMSR 3Ah");
	CHECK(strstr(log_seen, "RDMSR 0x3a") != NULL, "GUEST_ERR log: '%s'", log_seen);
	pac_destroy(m);
	/* i_efer_svme: zen4 has SVM now; SVME write rules are in test_msr.c and test_svm_*.c */
	(void)i_efer_svme;
}

static void t_smap_fsgs_invpcid(void)
{
	static const uint8_t lock_dr[] = { 0xf0, 0x0f, 0x21, 0xc0, 0xf4 }; /* lock mov eax, dr0 */
	REAL_FAULT(lock_dr, 6, 0);
	REAL_FAULT(i_clac, 6, 0);     /* CLAC/STAC #UD in real mode */
	REAL_FAULT(i_rdfsbase, 6, 0); /* 64-bit mode only */

	struct pac_regs r;
	pac_machine *m = tm_new();
	tm_prot32(m, &r, 0x1000);
	CHECK_EQ(tm_run(m, &r, p_stac, sizeof p_stac, 0x1000), PAC_EXIT_HLT, "STAC/CLAC at CPL 0");
	pac_get_regs(m, 0, &r);
	CHECK_EQ(r.gpr[PAC_RAX] & 0x40000, 0x40000, "STAC sets AC");
	CHECK_EQ(r.gpr[PAC_RBX] & 0x40000, 0, "CLAC clears AC");
	pac_destroy(m);

	m = real_setup(NULL, &r);
	RUN_OK(m, &r, i_invpcid);
	pac_destroy(m);
	REAL_FAULT(i_invpcid_t4, 13, 6);
	uint64_t desc[2] = { 1, 0 }; /* PCID 1 with CR4.PCIDE = 0 */
	m = real_setup(NULL, &r);
	pac_phys_write(m, 0x600, desc, 16);
	CHECK_EQ(real_run(m, &r, i_invpcid_t0, sizeof i_invpcid_t0), 13, "INVPCID PCID without PCIDE");
	pac_destroy(m);
	desc[0] = 0x1000; /* descriptor bits 63:12 reserved */
	m = real_setup(NULL, &r);
	pac_phys_write(m, 0x600, desc, 16);
	CHECK_EQ(real_run(m, &r, i_invpcid, sizeof i_invpcid), 13, "INVPCID reserved descriptor bits");
	pac_destroy(m);
	expect_real_fault("INVPCID on zen2", "zen2", 0, i_invpcid, sizeof i_invpcid, 6, 6);
}

static void t_user(void)
{
	USER_FAULT(u_rdtsc, CR4_TSD, 13);
	USER_FAULT(u_rdtscp, CR4_TSD, 13);
	USER_OK(u_rdtsc, 0);
	USER_OK(u_rdtscp, 0);
	USER_FAULT(u_rdpmc, 0, 13);
	USER_OK(u_rdpmc, CR4_PCE);
	USER_FAULT(u_rdmsr, 0, 13);
	USER_FAULT(u_wrmsr, 0, 13);
	USER_FAULT(u_wbinvd, 0, 13);
	USER_FAULT(u_invd, 0, 13);
	USER_FAULT(u_invlpg, 0, 13);
	USER_FAULT(u_lgdt, 0, 13);
	USER_FAULT(u_lidt, 0, 13);
	USER_FAULT(u_sgdt, CR4_UMIP, 13);
	USER_FAULT(u_sidt, CR4_UMIP, 13);
	USER_OK(u_sgdt, 0);
	USER_OK(u_sidt, 0);
	USER_FAULT(u_monitor, 0, 6);
	USER_FAULT(u_mwait, 0, 6);
	USER_FAULT(u_clac, 0, 6);
	USER_FAULT(u_stac, 0, 6);
	USER_FAULT(u_xsetbv, 0, 6);
	USER_FAULT(u_xsetbv, CR4_OSXSAVE, 13);
	USER_FAULT(u_invpcid, 0, 13);
	USER_OK(u_cpuid, 0);
	USER_OK(u_rdpid, 0);
}

/* Group 7 register forms (0F 01 C0-FF) in 64-bit mode: exactly these
 * decode; everything else (VMX, SVM D8-DF until the SVM unit, PKU, RDPRU,
 * MONITORX/MWAITX, INVLPGB, TLBSYNC) is #UD on the modelled CPUs. */
static void t_group7_map(void)
{
	static const struct { uint8_t modrm; const char *name; } known[] = {
		{ 0xc8, "monitor" }, { 0xc9, "mwait" }, { 0xca, "clac" }, { 0xcb, "stac" },
		{ 0xd0, "xgetbv" }, { 0xd1, "xsetbv" }, { 0xf8, "swapgs" }, { 0xf9, "rdtscp" },
		{ 0xfc, "clzero" }, { 0xd8, "vmrun" }, { 0xd9, "vmmcall" }, { 0xda, "vmload" },
		{ 0xdb, "vmsave" }, { 0xdc, "stgi" }, { 0xdd, "clgi" }, { 0xde, "skinit" }, { 0xdf, "invlpga" },
	};
	int bad = 0;
	for (unsigned mrm = 0xc0; mrm <= 0xff; mrm++) {
		uint8_t b[3] = { 0x0f, 0x01, (uint8_t)mrm };
		char out[64] = "";
		int len = pac_disasm(b, 3, 64, out, sizeof out);
		const char *want = NULL;
		for (unsigned k = 0; k < sizeof known / sizeof known[0]; k++)
			if (known[k].modrm == mrm)
				want = known[k].name;
		if ((mrm & 0x38) == 0x20)
			want = "smsw";
		if ((mrm & 0x38) == 0x30)
			want = "lmsw";
		bool ok = want ? (len == 3 && !strncmp(out, want, strlen(want))) : len == 0;
		if (!ok && bad++ < 5)
			CHECK(0, "0F 01 %02X: decoded as '%s' (len %d), want %s", mrm, out, len,
			      want ? want : "#UD");
	}
	CHECK_EQ(bad, 0, "group 7 register forms");
}

int main(void)
{
	t_group7_map();
	t_dtables();
	t_cache();
	t_monitor();
	t_tsc();
	t_xcr0_cpuid();
	t_msr_insn();
	t_smap_fsgs_invpcid();
	t_user();
	return test_done("sysreg_insn");
}
