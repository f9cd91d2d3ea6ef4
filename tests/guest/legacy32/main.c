/* Legacy 32-bit protected mode (no long mode, no paging): exceptions with
 * 32-bit gates, segment limits and expand-down segments, BCD, INTO/BOUND,
 * IRET to ring 3, SYSENTER/SYSEXIT, call gates with parameters and
 * virtual-8086 mode (task switches: tasks32). APM vol. 2, 4 (segmentation), 8 (exceptions), 12
 * (task management), 8.2/16 (virtual-8086), vol. 3 per instruction. */
#include "rt32.h"

#define X(n) extern char n[], n##_at[], n##_after[];
X(x_div0) X(x_ud2) X(x_loadds) X(x_loadss) X(x_reades) X(x_into) X(x_bound) X(x_pusha)
#undef X
extern char u_gatecall[], gate_fn[];
extern char u_int80[], u_sysenter[], u_sysenter_after[], k_sysenter[];
extern char v86_blob[], v86_blob_end[];
extern volatile uint32_t seen[16];
void enter_user(uint32_t eip, uint32_t esp);

typedef uint32_t fn2(uint32_t a, uint32_t b);
#define CALL(f, a, b) ((fn2 *)(void *)(f))((a), (b))

#define SEL_NP 0x48
#define SEL_LIM 0x50
#define SEL_EXPDN 0x58

#define QEMU_NOLIMIT "QEMU 7.2 (TCG) checks neither segment limits nor null selectors on data accesses"

static void expect_q(const char *name, int v, int vec, int64_t err, const char *at, const char *q)
{
	bool ok = v == vec && (err < 0 || last_exc.error == (uint32_t)err) &&
		  (!at || last_exc.eip == (uint32_t)at);
	if (!ok)
		note("%s: got vector %d err %#x eip %#x", name, v, last_exc.error, last_exc.eip);
	report_q(name, ok, q);
}

static void expect(const char *name, int v, int vec, int64_t err, const char *at)
{
	bool ok = v == vec && (err < 0 || last_exc.error == (uint32_t)err) &&
		  (!at || last_exc.eip == (uint32_t)at);
	if (!ok)
		note("%s: got vector %d err %#x eip %#x", name, v, last_exc.error, last_exc.eip);
	report(name, ok);
}

static void exception_tests(void)
{
	gdt[SEL_NP / 8] = seg_desc(0, 0xfffff, 0x13, 0, 0xc) & ~(1ull << 47);
	gdt[SEL_LIM / 8] = seg_desc(0, 0xfff, 0x13, 0, 0x4);		/* 4 KiB, byte granular */
	gdt[SEL_EXPDN / 8] = seg_desc(0, 0xfff, 0x17, 0, 0x4);	/* expand-down, B=1 */

	expect("pm32: #DE", TRY(CALL(x_div0, 0, 0)), 0, 0, x_div0_at);
	expect("pm32: #UD", TRY(CALL(x_ud2, 0, 0)), 6, 0, x_ud2_at);
	expect("pm32: #NP(sel) mov ds", TRY(CALL(x_loadds, SEL_NP, 0)), 11, SEL_NP, x_loadds_at);
	expect("pm32: #GP(0) mov ds, null is fine", TRY(CALL(x_loadds, 0, 0)), -1, -1, 0);
	expect("pm32: #GP(sel) mov ss, null", TRY(CALL(x_loadss, 0, 0)), 13, 0, x_loadss_at);
	expect("pm32: #SS(sel) mov ss, not present", TRY(CALL(x_loadss, SEL_NP, 0)), 12, SEL_NP, x_loadss_at);
	expect_q("pm32: #GP(0) access through a null ES", TRY(CALL(x_reades, 0, 0x1000)), 13, 0, x_reades_at,
		 QEMU_NOLIMIT);
	expect("pm32: read at the segment limit is fine", TRY(CALL(x_reades, SEL_LIM, 0xffc)), -1, -1, 0);
	expect_q("pm32: #GP(0) read past the segment limit", TRY(CALL(x_reades, SEL_LIM, 0xffd)), 13, 0,
		 x_reades_at, QEMU_NOLIMIT);
	expect_q("pm32: expand-down: offset below the limit is #GP(0)",
		 TRY(CALL(x_reades, SEL_EXPDN, 0x800)), 13, 0, x_reades_at, QEMU_NOLIMIT);
	expect("pm32: expand-down: offset above the limit is fine", TRY(CALL(x_reades, SEL_EXPDN, 0x2000)),
	       -1, -1, 0);
	expect("pm32: #OF into (trap)", TRY(CALL(x_into, 0, 0)), 4, -1, x_into_after);
	expect("pm32: #BR bound (fault)", TRY(CALL(x_bound, 0, 0)), 5, -1, x_bound_at);
	uint32_t p = CALL(x_pusha, 0, 0);
	if (p != 0x58)
		note("pusha/popa: got %#x", p);
	report("pm32: pusha/popa and a 4-byte push of DS", p == 0x58);
}

struct bcd { uint32_t eax, fl, out, flout; };
typedef void bcd_fn(struct bcd *s);
extern bcd_fn b_daa, b_das, b_aaa, b_aas, b_aam, b_aad, b_aam16;

static void bcd_tests(void)
{
	/* APM vol. 3 DAA/DAS/AAA/AAS/AAM/AAD; masks keep the defined flags */
	static const struct { const char *name; bcd_fn *fn; uint32_t eax, fl, out, flout, mask; } t[] = {
		{ "daa 0x19+0x28 (AF) -> 0x47", b_daa, 0x41, 0x12, 0x47, 0x16, 0xd5 },
		{ "daa 0x9a -> 0x00, CF", b_daa, 0x9a, 0x02, 0x00, 0x57, 0xd5 },
		{ "das 0x47-0x28 (AF) -> 0x19", b_das, 0x1f, 0x12, 0x19, 0x12, 0x11 },
		{ "aaa 0x0b -> AX 0x0101, AF CF", b_aaa, 0x000b, 0x02, 0x0101, 0x13, 0x11 },
		{ "aaa 0x05 no adjust", b_aaa, 0x0005, 0x02, 0x0005, 0x02, 0x11 },
		{ "aas 0x0f -> AX 0xff09, AF CF", b_aas, 0x000f, 0x02, 0xff09, 0x13, 0x11 },
		{ "aam 0x3f -> AX 0x0603", b_aam, 0x3f, 0x02, 0x0603, 0x06, 0xc4 },
		{ "aad AX 0x0603 -> 0x3f", b_aad, 0x0603, 0x02, 0x003f, 0x06, 0xc4 },
		{ "aam 16 (imm base) 0x3f -> AX 0x030f", b_aam16, 0x3f, 0x02, 0x030f, 0x06, 0xc4 },
	};
	for (unsigned i = 0; i < ARRAY_SIZE(t); i++) {
		struct bcd s = { t[i].eax, t[i].fl, 0, 0 };
		t[i].fn(&s);
		bool ok = (s.out & 0xffff) == t[i].out && !((s.flout ^ t[i].flout) & t[i].mask);
		if (!ok)
			note("%s: got %#x flags %#x", t[i].name, s.out, s.flout);
		reportf(ok, "pm32: %s", t[i].name);
	}
}

static uint8_t ustack[4096] __attribute__((aligned(16)));
static uint8_t kstack[4096] __attribute__((aligned(16)));

static void ring3_tests(void)
{
	uint32_t top = (uint32_t)(ustack + sizeof ustack);
	memset((void *)seen, 0xff, 64);
	int v = TRY(enter_user((uint32_t)u_int80, top));
	report("pm32: iret to ring 3, int 0x80 back (DPL 3 gate)",
	       v == 0x80 && last_exc.cs == SEL_UCODE && last_exc.ss == SEL_UDATA && last_exc.esp == top);
	report("pm32: iret to ring 3 nulls DS whose DPL is below CPL", (seen[1] & 0xffff) == 0);

	wrmsr(0x174, SEL_CODE);
	wrmsr(0x175, (uint32_t)(kstack + sizeof kstack));
	wrmsr(0x176, (uint32_t)k_sysenter);
	memset((void *)seen, 0, 64);
	v = TRY(enter_user((uint32_t)u_sysenter, top));
	report("pm32: sysenter enters CS=SYSENTER_CS, SS=+8, ESP from the MSR",
	       seen[4] == SEL_CODE && seen[5] == SEL_DATA && seen[6] == (uint32_t)(kstack + sizeof kstack));
	report("pm32: sysenter clears IF and VM", !(seen[7] & 0x20200));
	report("pm32: sysexit returns to CS=+16|3, SS=+24|3 at EDX",
	       v == 0x80 && seen[2] == SEL_UCODE && seen[3] == SEL_UDATA &&
	       last_exc.eip > (uint32_t)u_sysenter_after);
}

static void gate_test(void)
{
	uint32_t off = (uint32_t)gate_fn;
	/* 32-bit call gate: type 0xC, DPL 3, 2 parameters */
	gdt[0x68 / 8] = (off & 0xffff) | ((uint64_t)SEL_CODE << 16) | (2ull << 32) | (0xcull << 40) |
			(3ull << 45) | (1ull << 47) | ((uint64_t)(off >> 16) << 48);
	memset((void *)seen, 0, 64);
	int v = TRY(enter_user((uint32_t)u_gatecall, (uint32_t)(ustack + sizeof ustack)));
	report("pm32: call gate to ring 0 copies 2 parameters",
	       v == 0x80 && seen[10] == 0x2222 && seen[11] == 0x1111);
	report("pm32: call gate switches to CS 0x08 and pushes the caller SS",
	       seen[13] == SEL_CODE && seen[12] == SEL_UDATA);
	report("pm32: lret 8 back to ring 3 pops the parameters", v == 0x80 && seen[14] == 0);
}

static void v86_tests(void)
{
	memcpy((void *)0x8000, v86_blob, v86_blob_end - v86_blob);
	*(volatile uint16_t *)0x1010 = 0;
	int v = TRY(__asm__ volatile("pushl $0; pushl $0; pushl $0; pushl $0; pushl $0x0700; "
				    "pushl $0x0ff0; pushl $0x20002; pushl $0x0800; pushl $0; iret" ::: "memory"));
	report("v86: iret with VM=1 runs real-mode style code (DS 0x100 -> 0x1010)",
	       *(volatile uint16_t *)0x1010 == 0xbeef);
	report("v86: int n with IOPL 0 is #GP(0) to the monitor",
	       v == 13 && last_exc.error == 0 && (last_exc.eflags & 0x20000) &&
	       last_exc.cs == 0x0800 && last_exc.eip == 11);
}

int main(void)
{
	exception_tests();
	bcd_tests();
	ring3_tests();
	gate_test();
	v86_tests();
	return 0;
}
