/* System instructions from a 64-bit guest: CPUID (AuthenticAMD), SYSCALL/
 * SYSRET, SYSENTER (#UD in long mode on AMD), call gates, IRETQ to ring 3,
 * SWAPGS, LAR/LSL/VERR/VERW, SGDT/SIDT/STR/SLDT/SMSW, CR8, CLTS, LMSW, TSC
 * MSRs. APM vol. 2, 6 (system instructions); vol. 3 for each instruction. */
#include "rt.h"

extern char sys_lstar[], gate_target[], u_syscall[], u_syscall_after[], u_gatecall[],
	u_gatecall_after[];
extern volatile uint64_t sys_seen[10];
extern struct { uint32_t off; uint16_t sel; } __attribute__((packed)) gate_ptr;

#define MSR_STAR 0xC0000081
#define MSR_LSTAR 0xC0000082
#define MSR_FMASK 0xC0000084
#define MSR_FS_BASE 0xC0000100
#define MSR_GS_BASE 0xC0000101
#define MSR_KGS_BASE 0xC0000102
#define MSR_TSC_AUX 0xC0000103
#define SEL_GATE 0x58

static void cpuid_tests(void)
{
	uint32_t r[4];
	char v[13];

	cpuid(0, 0, r);
	memcpy(v, &r[1], 4);
	memcpy(v + 4, &r[3], 4);
	memcpy(v + 8, &r[2], 4);
	v[12] = 0;
	report("cpuid: vendor AuthenticAMD", !strcmp(v, "AuthenticAMD"));
	cpuid(0x80000000, 0, r);
	report("cpuid: extended leaves up to 0x80000008 at least", r[0] >= 0x80000008);
	cpuid(1, 0, r);
	uint32_t need = 1 | 1 << 4 | 1 << 5 | 1 << 6 | 1 << 8 | 1 << 13 | 1 << 15 | 1 << 16 |
			1 << 24 | 1 << 25 | 1 << 26;	/* FPU TSC MSR PAE CX8 PGE CMOV PAT FXSR SSE SSE2 */
	report("cpuid: leaf 1 EDX has the x86-64 baseline", (r[3] & need) == need);
	report("cpuid: leaf 1 EBX reports the APIC ID and CLFLUSH size 8", ((r[1] >> 8) & 0xff) == 8);
	cpuid(0x80000001, 0, r);
	need = 1u << 29 | 1u << 20 | 1u << 11;	/* LM NX SYSCALL */
	report("cpuid: 0x80000001 EDX has LM, NX, SYSCALL", (r[3] & need) == need);
	cpuid(0x80000002, 0, r);
	report("cpuid: brand string present", r[0] != 0);
}

static void setup_syscall(void)
{
	wrmsr(MSR_STAR, (uint64_t)(SEL_UCODE32 & ~3) << 48 | (uint64_t)SEL_CODE64 << 32);
	wrmsr(MSR_LSTAR, (uint64_t)sys_lstar);
	wrmsr(MSR_FMASK, 0x40700);	/* AC, DF, IF, TF */
}

static void u_syscall_fn(void) { ((void (*)(void))u_syscall)(); }

static void syscall_tests(void)
{
	setup_syscall();
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) & ~(uint64_t)EFER_SCE);
	int v = user_call(u_syscall_fn, 0x202 & ~0x200ull);
	report("syscall with EFER.SCE=0 is #UD", v == 6 && last_exc.rip == (uint64_t)u_syscall + 5);

	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
	memset((void *)sys_seen, 0, sizeof sys_seen);
	v = user_call(u_syscall_fn, 0x2 | 0x400 | 0x800 | 0x40000);	/* DF, OF, AC */
	report("syscall/sysret round trip from ring 3", v == 0x80 && sys_seen[5] == 0x5c);
	report("syscall: RCX = next RIP", sys_seen[0] == (uint64_t)u_syscall_after);
	report("syscall: R11 = user RFLAGS", (sys_seen[1] & 0x40cd5) == (0x400 | 0x800 | 0x40000));
	report("syscall: CS/SS from STAR[47:32]", sys_seen[2] == SEL_CODE64 && sys_seen[3] == SEL_DATA);
	report_q("syscall: RFLAGS masked by SFMASK, OF kept",
		 (sys_seen[4] & 0x40700) == 0 && (sys_seen[4] & 0x800),
		 "QEMU 7.2 loses the arithmetic flags (OF) on SYSCALL though R11 has them; "
		 "APM vol. 3 SYSCALL: RFLAGS = RFLAGS AND NOT SFMASK");
	report("sysret: CS = STAR[63:48]+16 | 3, SS = STAR[63:48]+8 | 3",
	       sys_seen[6] == SEL_UCODE64 && sys_seen[7] == SEL_UDATA);
	report("sysret: RFLAGS from R11", (sys_seen[8] & 0x40c00) == 0x40c00);
}

extern char sys_cstar[], u32_syscall[], u32_syscall_after[], u32_nullds[], u32_nullds_at[];
void enter_user32(uint32_t eip, uint64_t stack_top);
#define MSR_CSTAR 0xC0000083
static uint8_t ustack32[4096] __attribute__((aligned(16)));

static void compat_syscall_tests(void)
{
	extern char __text_start[], _end[];
	setup_syscall();
	wrmsr(MSR_CSTAR, (uint64_t)sys_cstar);
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
	memset((void *)sys_seen, 0, sizeof sys_seen);
	set_user_range((uint64_t)__text_start, (uint64_t)_end, true);
	int v = TRY(enter_user32((uint32_t)(uint64_t)u32_syscall, (uint64_t)(ustack32 + sizeof ustack32)));
	set_user_range((uint64_t)__text_start, (uint64_t)_end, false);
	reload_segments();
	if (v != 0x80)
		note("compat ring 3: vector %d err %#lx at %#lx:%#lx; seen push %lu cstar-rcx %#lx",
		     v, last_exc.error, last_exc.cs, last_exc.rip, sys_seen[9], sys_seen[0]);
	report("iretq to ring 3 compatibility mode (push size 4)", sys_seen[9] == 4);
	report("syscall from compatibility mode enters at CSTAR in 64-bit CS",
	       sys_seen[5] == 0x77 && sys_seen[2] == SEL_CODE64 &&
	       sys_seen[0] == (uint64_t)u32_syscall_after);
	report("sysret (32-bit) returns to CS STAR[63:48]|3, SS +8",
	       v == 0x80 && sys_seen[6] == SEL_UCODE32 && sys_seen[7] == SEL_UDATA &&
	       (last_exc.cs & 0xffff) == SEL_UCODE32);

	set_user_range((uint64_t)__text_start, (uint64_t)_end, true);
	v = TRY(enter_user32((uint32_t)(uint64_t)u32_nullds, (uint64_t)(ustack32 + sizeof ustack32)));
	set_user_range((uint64_t)__text_start, (uint64_t)_end, false);
	reload_segments();
	report_q("iretq to CPL 3 nulls DS; a DS access in compatibility mode is #GP(0)",
		 v == 13 && last_exc.error == 0 && last_exc.rip == (uint64_t)u32_nullds_at,
		 "QEMU 7.2 does not check null data selectors on accesses in compatibility mode "
		 "(APM vol. 2, 4.5.1: only 64-bit mode ignores DS/ES)");
}

int far_jmp_test(void);

static void far_tests(void)
{
	volatile int r = 0;
	int v = TRY(r = far_jmp_test());
	if (v >= 0)
		note("rex.W far jmp: vector %d at %#lx cr2 %#lx", v, last_exc.rip, last_exc.cr2);
	report_q("far jmp with REX.W reads m16:32 on AMD", v == -1 && r == 1,
		 "QEMU 7.2 reads an m16:64 pointer (Intel behaviour) even with vendor AuthenticAMD");
}

static void sysenter_test(void)
{
	int v = TRY(__asm__ volatile("sysenter"));
	report("sysenter in 64-bit mode is #UD (AMD)", v == 6);
}

static void u_gate_fn(void) { ((void (*)(void))u_gatecall)(); }

static void gate_tests(void)
{
	uint64_t g[2];
	gate_desc(g, SEL_CODE64, (uint64_t)gate_target, 0xc, 3, 0);
	gdt[SEL_GATE / 8] = g[0];
	gdt[SEL_GATE / 8 + 1] = g[1];
	gate_ptr.sel = SEL_GATE | 3;
	memset((void *)sys_seen, 0, sizeof sys_seen);
	int v = user_call(u_gate_fn, 0x2);
	report("call gate: ring 3 -> ring 0 and far return", v == 0x80 && sys_seen[6] == SEL_UCODE64);
	report("call gate: runs at CPL 0 with a null SS", sys_seen[2] == SEL_CODE64 && sys_seen[3] == 0);
	report("call gate: caller CS/SS pushed on the RSP0 stack",
	       sys_seen[0] == SEL_UCODE64 && sys_seen[1] == SEL_UDATA &&
	       sys_seen[4] >= tss.rsp[0] - 64 && sys_seen[4] < tss.rsp[0]);

	gate_desc(g, SEL_CODE64, (uint64_t)gate_target, 0xc, 0, 0);
	gdt[SEL_GATE / 8] = g[0];
	v = user_call(u_gate_fn, 0x2);
	report("call gate with DPL 0 from ring 3 is #GP(sel)", v == 13 && last_exc.error == SEL_GATE);

	gate_ptr.sel = SEL_GATE;
	memset((void *)sys_seen, 0, sizeof sys_seen);
	v = TRY(((void (*)(void))u_gatecall)());
	report("call gate: same privilege, no stack switch", v == -1 && sys_seen[0] == SEL_CODE64 &&
	       sys_seen[2] == SEL_CODE64);
}

static void u_selectors(void)
{
	uint16_t cs, ss;
	__asm__ volatile("mov %%cs, %0; mov %%ss, %1" : "=r"(cs), "=r"(ss));
	sys_seen[0] = cs;
	sys_seen[1] = ss;
	sys_seen[2] = read_flags();
}

static void iret_tests(void)
{
	int v = user_call(u_selectors, 0x2 | 0x800 | 0x80);
	report("iretq to ring 3 loads CS 0x43, SS 0x3b, RFLAGS",
	       v == 0x80 && sys_seen[0] == SEL_UCODE64 && sys_seen[1] == SEL_UDATA &&
	       (sys_seen[2] & 0x8c0) == 0x880);
}

static void u_swapgs(void) { __asm__ volatile("swapgs"); }

static void swapgs_tests(void)
{
	static volatile uint64_t a = 0xaaaa, b = 0xbbbb;
	wrmsr(MSR_GS_BASE, (uint64_t)&a);
	wrmsr(MSR_KGS_BASE, (uint64_t)&b);
	__asm__ volatile("swapgs");
	uint64_t x;
	__asm__ volatile("mov %%gs:0, %0" : "=r"(x));
	report("swapgs exchanges GS base and KernelGSbase",
	       rdmsr(MSR_GS_BASE) == (uint64_t)&b && rdmsr(MSR_KGS_BASE) == (uint64_t)&a && x == 0xbbbb);
	__asm__ volatile("swapgs");
	wrmsr(MSR_FS_BASE, (uint64_t)&a);
	__asm__ volatile("mov %%fs:0, %0" : "=r"(x));
	report("FS base MSR applies to fs: accesses", x == 0xaaaa);
	wrmsr(MSR_FS_BASE, 0);
	wrmsr(MSR_GS_BASE, 0);
	int v = user_call(u_swapgs, 0x2);
	report("swapgs at ring 3 is #GP(0)", v == 13 && last_exc.error == 0);
}

static uint64_t lar(uint16_t sel, bool *zf)
{
	uint64_t v = 0x1234;
	uint8_t z;
	__asm__ volatile("lar %2, %0; setz %1" : "+r"(v), "=q"(z) : "r"((uint64_t)sel));
	*zf = z;
	return v;
}

static uint64_t lsl(uint16_t sel, bool *zf)
{
	uint64_t v = 0x1234;
	uint8_t z;
	__asm__ volatile("lsl %2, %0; setz %1" : "+r"(v), "=q"(z) : "r"((uint64_t)sel));
	*zf = z;
	return v;
}

static bool verr(uint16_t sel)
{
	uint8_t z;
	__asm__ volatile("verr %w1; setz %0" : "=q"(z) : "r"(sel));
	return z;
}

static bool verw(uint16_t sel)
{
	uint8_t z;
	__asm__ volatile("verw %w1; setz %0" : "=q"(z) : "r"(sel));
	return z;
}

static void u_lar(void)
{
	bool z1, z2;
	lar(SEL_DATA, &z1);
	lar(SEL_UDATA, &z2);
	sys_seen[0] = z1;
	sys_seen[1] = z2;
}

static void descriptor_tests(void)
{
	bool z;
	uint64_t v = lar(SEL_DATA, &z);
	report("lar: flat data segment", z && v == 0x00c09300);
	v = lar(SEL_TSS, &z);
	report("lar: busy 64-bit TSS", z && v == 0x00008b00);
	v = lar(0, &z);
	report("lar: null selector clears ZF, keeps the destination", !z && v == 0x1234);
	v = lsl(SEL_DATA, &z);
	report("lsl: page-granular limit is scaled", z && v == 0xffffffff);
	v = lsl(SEL_TSS, &z);
	report("lsl: TSS limit (with the I/O bitmap)", z && v == sizeof tss_block - 1);
	report("verr: code64 is readable", verr(SEL_CODE64));
	report("verw: code is not writable, data is", !verw(SEL_CODE64) && verw(SEL_DATA));
	gdt[0x60 / 8] = seg_desc(0, 0xfffff, 0x19, 0, 0xc);	/* execute-only */
	report("verr: execute-only code is not readable", !verr(0x60));
	int e = user_call(u_lar, 0x2);
	report("lar at ring 3: DPL 0 data fails, DPL 3 data succeeds",
	       e == 0x80 && sys_seen[0] == 0 && sys_seen[1] == 1);

	struct { uint16_t limit; uint64_t base; } __attribute__((packed)) d;
	__asm__ volatile("sgdt %0" : "=m"(d));
	report("sgdt", d.limit == GDT_ENTRIES * 8 - 1 && d.base == (uint64_t)gdt);
	__asm__ volatile("sidt %0" : "=m"(d));
	report("sidt", d.limit == 4095);
	uint64_t sel = 0xffff;
	__asm__ volatile("str %0" : "=r"(sel));
	report("str returns the TSS selector", sel == SEL_TSS);
	__asm__ volatile("lldt %w0; sldt %1" : : "r"(0), "m"(d.limit));
	report("sldt after lldt 0", d.limit == 0);
	uint64_t msw = 0;
	__asm__ volatile("smsw %0" : "=r"(msw));
	report("smsw (register form) returns CR0", msw == read_cr0());
}

static void control_tests(void)
{
	uint64_t v;
	__asm__ volatile("mov %0, %%cr8; mov %%cr8, %1" : : "r"(5ull), "r"(0ull));
	__asm__ volatile("mov %%cr8, %0" : "=r"(v));
	report("cr8 (TPR) reads back", v == 5);
	__asm__ volatile("mov %0, %%cr8" :: "r"(0ull));

	write_cr0(read_cr0() | CR0_TS);
	__asm__ volatile("clts");
	report("clts clears CR0.TS", !(read_cr0() & CR0_TS));

	uint64_t cr0 = read_cr0();
	__asm__ volatile("lmsw %w0" :: "r"(0));
	report("lmsw cannot clear PE", (read_cr0() & CR0_PE) && !(read_cr0() & CR0_MP));
	write_cr0(cr0);

	wrmsr(0x10, 0x100000000ull);
	uint64_t t = rdtsc();
	report_q("wrmsr TSC then rdtsc", t >= 0x100000000ull && t < 0x100000000ull + 0x40000000ull,
		 "QEMU 7.2 (TCG) ignores writes to the TSC MSR (0x10)");
	wrmsr(MSR_TSC_AUX, 7);
	uint32_t lo, hi, aux;
	__asm__ volatile("rdtscp" : "=a"(lo), "=d"(hi), "=c"(aux));
	report("rdtscp returns TSC_AUX in ECX", aux == 7);

	static volatile uint64_t line[8];
	int e = TRY(__asm__ volatile("wbinvd; clflush %0; mfence; lfence; sfence; pause; prefetcht0 %0"
				    :: "m"(line[0])));
	report("wbinvd, clflush, fences, pause, prefetch execute", e == -1);
	e = TRY(__asm__ volatile("invd"));
	report("invd at CPL 0 executes", e == -1);
	uint64_t efer = rdmsr(MSR_EFER);
	report("EFER reads LME|LMA|NXE", (efer & (EFER_LME | EFER_LMA | EFER_NXE)) ==
	       (EFER_LME | EFER_LMA | EFER_NXE));
	e = TRY(wrmsr(MSR_EFER, efer & ~(uint64_t)EFER_LME));
	wrmsr(MSR_EFER, efer);
	report_q("clearing EFER.LME while paging is on is #GP(0)", e == 13 && last_exc.error == 0,
		 "QEMU 7.2 accepts the write (LME=0 with LMA=1); the APM (3.1.7, EFER) and "
		 "Intel SDM forbid changing LME while CR0.PG=1");
}

int main(void)
{
	cpuid_tests();
	syscall_tests();
	compat_syscall_tests();
	sysenter_test();
	far_tests();
	gate_tests();
	iret_tests();
	swapgs_tests();
	descriptor_tests();
	control_tests();
	return 0;
}
