/* The local APIC from a 64-bit guest (APM vol. 2, 16): APIC_BASE, ID and
 * version, self-IPIs through the ICR, TPR holding lower-priority vectors,
 * priority order of pending vectors, EOI and ISR, the APIC timer waking
 * HLT, x2APIC MSRs, and INIT/SIPI start-up of a second CPU (-smp 2). */
#include "rt.h"

#define APIC 0xfee00000ull
#define MSR_APIC_BASE 0x1b
#define R(off) (*(volatile uint32_t *)(APIC + (off)))

static volatile unsigned order[8], norder;
static volatile uint32_t isr_seen;

static bool apic_handler(struct frame *f)
{
	if (norder < 8)
		order[norder++] = (unsigned)f->vector;
	isr_seen = R(0x100 + 0x10 * (f->vector / 32));
	R(0xb0) = 0;	/* EOI */
	return true;
}

static void self_ipi(unsigned vec)
{
	R(0x300) = (1u << 18) | vec;	/* shorthand self, fixed */
	for (int i = 0; i < 1000 && (R(0x300) & (1u << 12)); i++)
		;
}

static void delay(unsigned n)
{
	for (volatile unsigned i = 0; i < n; i++)
		;
}

static void basic_tests(void)
{
	uint64_t base = rdmsr(MSR_APIC_BASE);
	report("APIC_BASE: enabled, BSP, at 0xFEE00000",
	       (base & (1u << 11)) && (base & (1u << 8)) && (base & ~0xfffull & 0xffffffffffull) == APIC);
	uint32_t r[4];
	cpuid(1, 0, r);
	note("APIC_BASE %#lx, ID %#x, version %#x, CPUID 1 EBX %#x", base, R(0x20), R(0x30), r[1]);
	report("APIC ID register matches CPUID 1 EBX[31:24]", (R(0x20) >> 24) == (r[1] >> 24));
	report("APIC version 0x1x with at least 4 LVT entries",
	       (R(0x30) & 0xf0) == 0x10 && ((R(0x30) >> 16) & 0xff) >= 3);
	R(0xf0) = 0x1ff;	/* enable, spurious vector 0xff */
	report("SVR enable bit sticks", (R(0xf0) & 0x1ff) == 0x1ff);
}

static void ipi_tests(void)
{
	for (int v = 0x40; v <= 0x60; v += 0x10)
		set_exc_handler(v, apic_handler);
	set_exc_handler(0x41, apic_handler);
	R(0x80) = 0;
	norder = 0;
	self_ipi(0x40);
	__asm__ volatile("sti; nop; cli");
	report("self-IPI delivered with IF=1", norder == 1 && order[0] == 0x40);
	report("in the handler the vector's ISR bit is set", isr_seen & 1);
	report("EOI clears the ISR bit", !(R(0x100 + 0x20) & 1));

	norder = 0;
	R(0x80) = 0x50;		/* TPR class 5 holds vector 0x40 (class 4) */
	self_ipi(0x40);
	__asm__ volatile("sti; nop; nop; cli");
	bool held = norder == 0 && (R(0x200 + 0x20) & 1);
	R(0x80) = 0;
	__asm__ volatile("sti; nop; cli");
	report("TPR above the vector's class holds it in IRR; lowering TPR delivers it",
	       held && norder == 1 && order[0] == 0x40);

	norder = 0;
	self_ipi(0x50);
	self_ipi(0x60);
	__asm__ volatile("sti; nop; nop; nop; cli");
	report("two pending vectors: the higher one (0x60) first",
	       norder == 2 && order[0] == 0x60 && order[1] == 0x50);
}

static void timer_tests(void)
{
	norder = 0;
	R(0x3e0) = 0xb;		/* divide by 1 */
	R(0x320) = 0x41;	/* one-shot, vector 0x41 */
	R(0x380) = 100000;
	report("timer current count runs down", R(0x390) <= 100000);
	__asm__ volatile("sti; hlt; cli");
	report("one-shot APIC timer wakes HLT (vector 0x41)", norder >= 1 && order[0] == 0x41);
	report("one-shot timer stops at 0", R(0x390) == 0);
	R(0x320) = 1u << 16;	/* masked */
}

static volatile unsigned nmi_count, nmi_depth, nmi_max_depth;

static void send_nmi_to_self(void)
{
	R(0x310) = R(0x20) & 0xff000000u;	/* physical destination: own ID */
	R(0x300) = 0x4400;			/* NMI, assert */
}

static bool nmi_handler(struct frame *f)
{
	nmi_count++;
	if (++nmi_depth > nmi_max_depth)
		nmi_max_depth = nmi_depth;
	if (nmi_count == 1) {
		send_nmi_to_self();	/* blocked until this handler's IRET */
		for (volatile int i = 0; i < 20000; i++)
			;
	}
	nmi_depth--;
	return true;
}

static void nmi_tests(void)
{
	set_exc_handler(2, nmi_handler);
	nmi_count = 0;
	send_nmi_to_self();
	for (volatile int i = 0; i < 20000 && nmi_count < 2; i++)
		;
	report("NMI by IPI is delivered with IF=0 (vector 2)", nmi_count >= 1);
	report("a second NMI waits for the handler's IRET (no nesting)",
	       nmi_count == 2 && nmi_max_depth == 1);
	set_exc_handler(2, 0);
}

extern char ap_blob[], ap_blob_end[];

static void smp_tests(void)
{
	uint32_t r[4];
	cpuid(1, 0, r);
	if (((r[1] >> 16) & 0xff) < 2) {
		skip("INIT/SIPI starts the second CPU", "one logical CPU");
		return;
	}
	memcpy((void *)0x8000, ap_blob, ap_blob_end - ap_blob);
	*(volatile uint32_t *)0x7f00 = 0xffffffff;
	*(volatile uint16_t *)0x7f04 = 0;
	R(0x310) = 1u << 24;		/* destination APIC ID 1 */
	R(0x300) = 0x4500;		/* INIT, assert */
	delay(100000);
	for (int i = 0; i < 2 && !*(volatile uint16_t *)0x7f04; i++) {
		R(0x310) = 1u << 24;
		R(0x300) = 0x4608;	/* STARTUP at 0x8000 */
		for (int j = 0; j < 2000 && !*(volatile uint16_t *)0x7f04; j++)
			delay(1000);
	}
	report("INIT/SIPI starts the second CPU in real mode at 0x8000",
	       *(volatile uint16_t *)0x7f04 == 1);
	report("the second CPU reports initial APIC ID 1", *(volatile uint32_t *)0x7f00 == 1);
}

static void x2apic_tests(void)
{
	if (!cpu_has(1, ECX, 21)) {
		skip("x2APIC MSRs", "no x2APIC");
		return;
	}
	uint64_t base = rdmsr(MSR_APIC_BASE);
	uint32_t id = R(0x20) >> 24, ver = R(0x30);
	wrmsr(MSR_APIC_BASE, base | (1u << 10));
	report("x2APIC: ID MSR 0x802 is the full APIC ID", rdmsr(0x802) == id);
	report("x2APIC: version MSR 0x803 matches the xAPIC register", (uint32_t)rdmsr(0x803) == ver);
	int v = TRY(wrmsr(MSR_APIC_BASE, base & ~(1ull << 10)));
	report("x2APIC -> xAPIC without disabling is #GP(0)", v == 13);
}

int main(void)
{
	basic_tests();
	ipi_tests();
	timer_tests();
	nmi_tests();
	smp_tests();
	x2apic_tests();
	return 0;
}
