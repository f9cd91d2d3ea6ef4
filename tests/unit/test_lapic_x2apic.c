/* SPDX-License-Identifier: MIT */
/* x2APIC mode (SDM vol. 3 10.12): MSR access rules and #GP cases, the
 * derived logical ID, SELF IPI, ICR, TPR/CR8, and the IA32_APIC_BASE
 * transitions. */
#include "test_lapic_helpers.h"
#include "msr/msr.h"

#define D LH_DATA
#define X2_ON (0xfee00000ull | APIC_BASE_EN | APIC_BASE_EXTD)

static void t_msr_rules(void)
{
	pac_machine *m = lh_new(2, NULL);
	struct cpu *c0 = lh_cpu(m, 0), *c1 = lh_cpu(m, 1);
	uint64_t v;
	CHECK(!msr_read(c0, 0x802, &v, false), "x2APIC MSRs #GP in xAPIC mode");
	CHECK(msr_write(c0, 0x1b, X2_ON, false), "xAPIC -> x2APIC");
	CHECK(msr_read(c0, 0x1b, &v, false) && v == (X2_ON | APIC_BASE_BSP), "APIC_BASE: EXTD, BSP");
	CHECK(msr_write(c1, 0x1b, X2_ON, false), "AP xAPIC -> x2APIC");
	CHECK(msr_read(c1, 0x802, &v, false) && v == 1, "x2APIC ID of CPU 1");
	CHECK(msr_read(c0, 0x803, &v, false) && v == 0x50010, "version");
	CHECK(msr_read(c0, 0x80d, &v, false) && v == 1, "LDR of ID 0: cluster 0, bit 0");
	CHECK(msr_read(c1, 0x80d, &v, false) && v == 2, "LDR of ID 1: cluster 0, bit 1");
	CHECK(msr_read(c0, 0x80f, &v, false) && v == 0xff, "SVR");
	static const uint32_t no_read[] = { 0x800, 0x809, 0x80b, 0x80c, 0x80e, 0x831, 0x83f, 0x8ff };
	for (unsigned i = 0; i < sizeof no_read / sizeof no_read[0]; i++)
		CHECK(!msr_read(c0, no_read[i], &v, false), "RDMSR %#x #GP", no_read[i]);
	CHECK(!msr_write(c0, 0x802, 5, false), "ID read-only");
	CHECK(!msr_write(c0, 0x80d, 5, false), "LDR read-only");
	CHECK(!msr_write(c0, 0x80b, 1, false), "EOI must write 0");
	CHECK(msr_write(c0, 0x80b, 0, false), "EOI write 0");
	CHECK(!msr_write(c0, 0x808, 0x100, false), "TPR reserved bit 8");
	CHECK(!msr_write(c0, 0x808, 1ull << 32, false), "upper half reserved");
	CHECK(!msr_write(c0, 0x830, 1u << 13, false), "ICR reserved bit 13");
	CHECK(!msr_write(c0, 0x83e, 0x10, false), "DCR reserved bit 4");
	CHECK(!msr_write(c0, 0x828, 1, false), "ESR must write 0");
	CHECK(!msr_write(c0, 0x839, 1, false), "current count read-only");
	CHECK(msr_write(c0, 0x808, 0x70, false) && c0->tpr == 7, "TPR write is CR8");
	c0->tpr = 3;
	CHECK(msr_read(c0, 0x808, &v, false) && v == 0x30, "CR8 write is TPR");
	/* transitions */
	CHECK(!msr_write(c0, 0x1b, 0xfee00000ull | APIC_BASE_EN, false), "x2APIC -> xAPIC #GP");
	CHECK(msr_write(c0, 0x1b, 0xfee00000ull, false), "x2APIC -> disabled");
	CHECK(!msr_write(c0, 0x1b, X2_ON, false), "disabled -> x2APIC #GP");
	CHECK(!msr_write(c0, 0x1b, 0xfee00000ull | APIC_BASE_EXTD, false), "EXTD without EN #GP");
	CHECK(msr_write(c0, 0x1b, 0xfee00000ull | APIC_BASE_EN, false), "disabled -> xAPIC");
	bool ok;
	CHECK_EQ(lapic_reg_read(c0, LA_ID, &ok), 0, "xAPIC ID again after the reset");
	CHECK_EQ(lapic_reg_read(c0, LA_TPR, &ok), 0, "disable reset TPR");
	pac_destroy(m);
}

/* Guest code in x2APIC mode: SELF IPI, ICR self by physical ID, the xAPIC
 * page no longer decodes, #GP from RDMSR of a write-only register. */
static void t_guest(void)
{
	pac_machine *m = lh_new(1, NULL);
	lh_tables(m, true);
	struct xc gp = { .n = 0 };          /* #GP: count and stop (no return) */
	XC(&gp, 0xff, 0x05, LE32(LH_COUNT + 13 * 4));
	xc_cli_hlt(&gp);
	pac_phys_write(m, LH_HANDLERS + 13 * 32, gp.b, gp.n);
	lh_regs(m, 0, LH_CODE);
	struct lh_events ev;
	lh_watch(m, &ev);
	struct xc c = { .n = 0 };
	xc_wrmsr(&c, 0x1b, X2_ON);
	xc_wrmsr(&c, 0x80f, 0x1ff);
	XC(&c, 0xfb);
	xc_wrmsr(&c, 0x83f, 0x50);         /* SELF IPI */
	XC(&c, 0x90);
	xc_wrmsr(&c, 0x830, 0x51);         /* fixed, physical, destination 0 */
	XC(&c, 0x90);
	xc_load(&c, 0xfee00030);
	xc_store(&c, D);
	xc_rdmsr(&c, 0x810 + 2, D + 8);    /* ISR[95:64] */
	xc_rdmsr(&c, 0x80b, D + 16);       /* #GP: vector 13 handler counts it */
	xc_st_imm(&c, D + 4, 0x1234);      /* not reached */
	xc_cli_hlt(&c);
	CHECK_EQ(lh_run(m, &c, 0, 1000), PAC_EXIT_HLT, "x2APIC run");
	CHECK_EQ(lh_count(m, 0x50), 1, "SELF IPI delivered");
	CHECK_EQ(lh_count(m, 0x51), 1, "ICR IPI to own x2APIC ID");
	CHECK_EQ(lh_rd32(m, D), 0xffffffff, "xAPIC page does not decode in x2APIC mode");
	CHECK_EQ(lh_rd32(m, D + 8), 0, "ISR empty after x2APIC EOIs");
	CHECK_EQ(ev.n, 3, "three events");
	CHECK_EQ(ev.vector[2], 13, "RDMSR of EOI raises #GP");
	CHECK_EQ(lh_count(m, 13), 1, "#GP handler ran");
	CHECK_EQ(lh_rd32(m, D + 4), 0, "RDMSR did not complete");
	pac_destroy(m);
}

/* CPUID: x2APIC and TSC-deadline only where the model has them. */
static void t_cpuid(void)
{
	pac_machine *m = lh_new(1, NULL);
	lh_regs(m, 0, LH_CODE);
	struct xc c = { .n = 0 };
	xc_mov_eax(&c, 1);
	XC(&c, 0x0f, 0xa2);
	XC(&c, 0x89, 0x0d, LE32(D));      /* mov [D], ecx */
	XC(&c, 0x89, 0x1d, LE32(D + 4));  /* mov [D+4], ebx */
	xc_cli_hlt(&c);
	lh_run(m, &c, 0, 100);
	CHECK_EQ(lh_rd32(m, D) & ((1u << 21) | (1u << 24)), (1u << 21) | (1u << 24), "zen4: x2APIC, TSC-deadline");
	CHECK_EQ(lh_rd32(m, D + 4) >> 24, 0, "initial APIC ID");
	pac_destroy(m);
	m = lh_new(1, "qemu64");
	lh_regs(m, 0, LH_CODE);
	lh_run(m, &c, 0, 100);
	CHECK_EQ(lh_rd32(m, D) & ((1u << 21) | (1u << 24)), 0, "qemu64: neither");
	pac_destroy(m);
	/* per-machine feature modifiers (-cpu MODEL,+feat,-feat) */
	struct pac_config cfg = { .ncpus = 1, .cpu_model = "qemu64", .cpu_features = "+x2apic,tsc-deadline=on" };
	int err;
	m = pac_create(&cfg, &err);
	CHECK(m != NULL, "qemu64,+x2apic,tsc-deadline=on");
	pac_map_ram(m, 0, TM_RAM, NULL);
	lh_regs(m, 0, LH_CODE);
	lh_run(m, &c, 0, 100);
	CHECK_EQ(lh_rd32(m, D) & ((1u << 21) | (1u << 24)), (1u << 21) | (1u << 24), "features added");
	pac_destroy(m);
	cfg = (struct pac_config){ .ncpus = 1, .cpu_features = "-x2apic,-tsc-deadline" };
	m = pac_create(&cfg, &err);
	uint64_t v;
	CHECK(m && !msr_read(lh_cpu(m, 0), 0x6e0, &v, false), "zen4,-tsc-deadline: no TSC_DEADLINE MSR");
	CHECK(m && !msr_write(lh_cpu(m, 0), 0x1b, X2_ON, false), "zen4,-x2apic: EXTD reserved");
	pac_destroy(m);
	cfg.cpu_features = "+nosuchflag";
	CHECK(pac_create(&cfg, &err) == NULL && err == PAC_ERR_INVAL, "unknown feature refused");
	cfg.cpu_features = "sse4a=yes";
	CHECK(pac_create(&cfg, &err) == NULL && err == PAC_ERR_INVAL, "bad on/off value refused");
}

int main(void)
{
	t_msr_rules();
	t_guest();
	t_cpuid();
	return test_done("lapic_x2apic");
}
