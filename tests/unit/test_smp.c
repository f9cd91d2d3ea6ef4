/* SPDX-License-Identifier: MIT */
/* SMP: INIT/SIPI bring-up of APs into a real-mode trampoline at
 * vector << 12, a second SIPI ignored, re-INIT; logical/physical/lowest
 * priority destinations; fixed and NMI IPIs waking a halted CPU; a TLB
 * shootdown (SDM vol. 3 8.4, 10.6; APM vol. 2 16.5). */
#include "test_lapic_helpers.h"

#define D LH_DATA
#define COUNTER 0x7000

static bool irr_has(pac_machine *m, int cpu, unsigned v)
{
	return (lh_cpu(m, cpu)->apic->irr[v >> 5] >> (v & 31)) & 1;
}

/* mov eax, [a]; cmp eax, imm8; jne back */
static void xc_wait_eq(struct xc *c, uint32_t a, uint8_t v)
{
	xc_load(c, a);
	XC(c, 0x83, 0xf8, v);
	XC(c, 0x75, 0xf6);
}
static void xc_spin(struct xc *c, uint32_t n)
{
	xc_mov_ecx(c, n);
	XC(c, 0xe2, 0xfe); /* loop $ */
}

static void t_bringup(void)
{
	pac_machine *m = lh_new(4, NULL);
	lh_tables(m, false);
	lh_regs(m, 0, LH_CODE);
	/* trampolines (real mode): lock inc dword [7000h] / lock add dword [7000h], 10 */
	const uint8_t t8[] = { 0xf0, 0x66, 0xff, 0x06, 0x00, 0x70, 0xfa, 0xf4 };
	const uint8_t t9[] = { 0xf0, 0x66, 0x83, 0x06, 0x00, 0x70, 0x0a, 0xfa, 0xf4 };
	pac_phys_write(m, 0x8000, t8, sizeof t8);
	pac_phys_write(m, 0x9000, t9, sizeof t9);
	CHECK(lh_cpu(m, 1)->apic->wait_sipi && !lh_cpu(m, 0)->apic->wait_sipi, "APs wait for SIPI");
	struct xc c = { .n = 0 };
	xc_apic_w(&c, LA_SVR, 0x1ff);
	xc_apic_w(&c, LA_ICR_HI, 0);
	xc_apic_w(&c, LA_ICR_LO, 0xc4500); /* INIT, all but self */
	xc_apic_w(&c, LA_ICR_LO, 0xc8500); /* INIT level de-assert */
	xc_apic_w(&c, LA_ICR_LO, 0xc4608); /* STARTUP, vector 08h */
	xc_wait_eq(&c, COUNTER, 3);
	xc_apic_w(&c, LA_ICR_LO, 0xc4608); /* second SIPI without INIT: ignored */
	xc_spin(&c, 3000);
	xc_load(&c, COUNTER);
	xc_store(&c, D);
	xc_apic_w(&c, LA_ICR_LO, 0xc4500); /* INIT again */
	xc_apic_w(&c, LA_ICR_LO, 0xc4609); /* STARTUP, vector 09h */
	xc_wait_eq(&c, COUNTER, 33);
	xc_cli_hlt(&c);
	CHECK_EQ(lh_run(m, &c, 0, 200000), PAC_EXIT_HLT, "bring-up run ends with all CPUs halted");
	CHECK_EQ(lh_rd32(m, D), 3, "three APs ran the trampoline once");
	CHECK_EQ(lh_rd32(m, COUNTER), 33, "re-INIT + SIPI 09h ran the second trampoline");
	for (int i = 1; i < 4; i++) {
		struct pac_regs r;
		pac_get_regs(m, i, &r);
		CHECK(r.seg[PAC_CS].sel == 0x0900 && r.seg[PAC_CS].base == 0x9000, "AP %d CS = 0900h", i);
		CHECK_EQ(r.rip, sizeof t9, "AP IP after the trampoline's HLT");
		CHECK_EQ(r.cr0 & 1, 0, "AP in real mode");
	}
	pac_destroy(m);
}

static void t_destinations(void)
{
	pac_machine *m = lh_new(4, NULL);
	for (int i = 0; i < 4; i++) {
		lh_cpu(m, i)->apic->svr |= SVR_ENABLE;
		lh_cpu(m, i)->apic->ldr = 1u << (24 + i);
	}
	struct pac_apic_msg msg = { .dest = 0x6, .logical = true, .delivery = PAC_APIC_FIXED, .vector = 0x40 };
	pac_apic_send(m, &msg);
	CHECK(!irr_has(m, 0, 0x40) && irr_has(m, 1, 0x40) && irr_has(m, 2, 0x40) && !irr_has(m, 3, 0x40),
	      "flat logical 06h -> CPUs 1, 2");
	static const uint8_t cl[4] = { 0x11, 0x12, 0x21, 0x22 };
	for (int i = 0; i < 4; i++) {
		lh_cpu(m, i)->apic->dfr = 0x0fffffff;
		lh_cpu(m, i)->apic->ldr = (uint32_t)cl[i] << 24;
	}
	msg = (struct pac_apic_msg){ .dest = 0x13, .logical = true, .vector = 0x41 };
	pac_apic_send(m, &msg);
	CHECK(irr_has(m, 0, 0x41) && irr_has(m, 1, 0x41) && !irr_has(m, 2, 0x41), "cluster 1, members 1|2");
	lapic_write_tpr(lh_cpu(m, 2), 0x20);
	msg = (struct pac_apic_msg){ .dest = 0x23, .logical = true, .delivery = PAC_APIC_LOWEST, .vector = 0x42 };
	pac_apic_send(m, &msg);
	CHECK(!irr_has(m, 2, 0x42) && irr_has(m, 3, 0x42), "lowest priority picks the lower TPR");
	msg = (struct pac_apic_msg){ .dest = 2, .vector = 0x43 };
	pac_apic_send(m, &msg);
	CHECK(irr_has(m, 2, 0x43) && !irr_has(m, 0, 0x43), "physical ID 2");
	msg = (struct pac_apic_msg){ .dest = 0xff, .vector = 0x44 };
	pac_apic_send(m, &msg);
	CHECK(irr_has(m, 0, 0x44) && irr_has(m, 3, 0x44), "physical broadcast");
	lh_cpu(m, 3)->apic->svr &= ~SVR_ENABLE;
	msg = (struct pac_apic_msg){ .dest = 3, .vector = 0x45 };
	pac_apic_send(m, &msg);
	CHECK(!irr_has(m, 3, 0x45), "software-disabled APIC refuses fixed interrupts");
	msg = (struct pac_apic_msg){ .dest = 3, .delivery = PAC_APIC_NMI };
	pac_apic_send(m, &msg);
	CHECK(lh_cpu(m, 3)->nmi_pending, "but takes NMI");
	pac_destroy(m);
}

/* CPU 0 wakes halted CPU 1 with a fixed IPI, then an NMI IPI. */
static void t_ipi_wakes(void)
{
	pac_machine *m = lh_new(2, NULL);
	lh_tables(m, false);
	lh_regs(m, 0, LH_CODE);
	lh_regs(m, 1, LH_CODE + 0x1000);
	lh_cpu(m, 1)->apic->wait_sipi = false; /* started as if by SIPI */
	struct xc a = { .n = 0 };
	xc_apic_w(&a, LA_SVR, 0x1ff);
	xc_sti_hlt_loop(&a);
	pac_phys_write(m, LH_CODE + 0x1000, a.b, a.n);
	struct xc c = { .n = 0 };
	xc_apic_w(&c, LA_SVR, 0x1ff);
	xc_spin(&c, 2000);                  /* CPU 1 is halted by now */
	xc_apic_w(&c, LA_ICR_HI, 1u << 24);
	xc_apic_w(&c, LA_ICR_LO, 0x4048);
	xc_wait_eq(&c, LH_COUNT + 0x48 * 4, 1);
	xc_apic_w(&c, LA_ICR_LO, 0x4400);  /* NMI */
	xc_wait_eq(&c, LH_COUNT + 2 * 4, 1);
	xc_cli_hlt(&c);
	CHECK_EQ(lh_run(m, &c, 0, 100000), PAC_EXIT_HLT, "IPI run");
	CHECK_EQ(lh_count(m, 0x48), 1, "fixed IPI woke CPU 1");
	CHECK_EQ(lh_count(m, 2), 1, "NMI IPI");
	struct pac_stats s;
	pac_get_stats(m, 1, &s);
	CHECK_EQ(s.interrupts, 1, "CPU 1 took one maskable interrupt");
	pac_destroy(m);
}

/* TLB shootdown: CPU 0 changes a PTE; CPU 1 keeps its stale translation
 * until the IPI handler runs INVLPG. */
#define PD 0x20000
static void paging_tables(pac_machine *m)
{
	uint32_t pde[1024] = { 0 };
	pde[0] = 0x21000 | 3;
	pde[1] = 0x22000 | 3;
	pde[0xfee00000u >> 22] = 0x23000 | 3;
	pac_phys_write(m, PD, pde, sizeof pde);
	uint32_t pt[1024];
	for (unsigned i = 0; i < 1024; i++)
		pt[i] = (i << 12) | 3;
	pac_phys_write(m, 0x21000, pt, sizeof pt);
	uint32_t pte = 0x500000 | 3, apic = 0xfee00000u | 0x13;
	pac_phys_write(m, 0x22000, &pte, 4);
	pac_phys_write(m, 0x23000 + ((0xfee00000u >> 12) & 0x3ff) * 4, &apic, 4);
	uint32_t a = 0xaaaa, b = 0xbbbb;
	pac_phys_write(m, 0x500000, &a, 4);
	pac_phys_write(m, 0x600000, &b, 4);
}

static void paged(pac_machine *m, int i)
{
	struct pac_regs r;
	pac_get_regs(m, i, &r);
	r.cr0 = 0x80000011;
	r.cr3 = PD;
	pac_set_regs(m, i, &r);
}

static void t_tlb_shootdown(void)
{
	pac_machine *m = lh_new(2, NULL);
	lh_tables(m, false);
	paging_tables(m);
	lh_regs(m, 0, LH_CODE);
	lh_regs(m, 1, LH_CODE + 0x1000);
	paged(m, 0);
	paged(m, 1);
	lh_cpu(m, 1)->apic->wait_sipi = false;
	struct xc h = { .n = 0 };           /* CPU 1's handler for vector 50h */
	XC(&h, 0x60);
	XC(&h, 0x0f, 0x01, 0x3d, LE32(0x400000)); /* invlpg [400000h] */
	XC(&h, 0xff, 0x05, LE32(LH_COUNT + 0x50 * 4));
	xc_apic_w(&h, LA_EOI, 0);
	XC(&h, 0x61);
	XC(&h, 0xcf);
	pac_phys_write(m, LH_HANDLERS + 0x50 * 32, h.b, h.n);
	struct xc a = { .n = 0 };           /* CPU 1: observe [400000h] forever */
	xc_apic_w(&a, LA_SVR, 0x1ff);
	XC(&a, 0xfb);
	xc_load(&a, 0x400000);
	xc_store(&a, 0x2a00);
	XC(&a, 0xeb, 0xf4);
	pac_phys_write(m, LH_CODE + 0x1000, a.b, a.n);
	struct xc c = { .n = 0 };
	xc_apic_w(&c, LA_SVR, 0x1ff);
	xc_spin(&c, 3000);
	xc_st_imm(&c, 0x22000, 0x600003);   /* remap 400000h -> 600000h */
	XC(&c, 0x0f, 0x01, 0x3d, LE32(0x400000));
	xc_spin(&c, 3000);
	xc_load(&c, 0x2a00);
	xc_store(&c, D);
	xc_load(&c, 0x400000);
	xc_store(&c, D + 4);
	xc_apic_w(&c, LA_ICR_HI, 1u << 24);
	xc_apic_w(&c, LA_ICR_LO, 0x50);
	xc_wait_eq(&c, LH_COUNT + 0x50 * 4, 1);
	xc_spin(&c, 3000);
	xc_load(&c, 0x2a00);
	xc_store(&c, D + 8);
	xc_cli_hlt(&c);
	lh_run(m, &c, 0, 60000);
	CHECK_EQ(lh_rd32(m, D), 0xaaaa, "CPU 1 still uses its cached translation");
	CHECK_EQ(lh_rd32(m, D + 4), 0xbbbb, "CPU 0 sees the new mapping");
	CHECK_EQ(lh_count(m, 0x50), 1, "shootdown IPI handled");
	CHECK_EQ(lh_rd32(m, D + 8), 0xbbbb, "CPU 1 sees the new mapping after INVLPG");
	pac_destroy(m);
}

/* INIT to a running AP (APM 14.1.3, SDM 8.4): it stops in wait-for-SIPI
 * with the INIT register state; MSRs, MXCSR and the APIC ID survive. */
static void t_init_running(void)
{
	pac_machine *m = lh_new(2, NULL);
	lh_tables(m, false);
	lh_regs(m, 0, LH_CODE);
	lh_regs(m, 1, LH_CODE + 0x1000);
	struct cpu *ap = lh_cpu(m, 1);
	ap->apic->wait_sipi = false;
	ap->mxcsr = 0x1fc0;
	ap->msr.mtrr_def_type = 0xc06;
	struct xc a = { .n = 0 };
	XC(&a, 0xff, 0x05, LE32(0x2b00));   /* inc dword [2B00h] */
	XC(&a, 0xeb, 0xf8);
	pac_phys_write(m, LH_CODE + 0x1000, a.b, a.n);
	struct xc c = { .n = 0 };
	xc_apic_w(&c, LA_SVR, 0x1ff);
	xc_spin(&c, 2000);
	xc_apic_w(&c, LA_ICR_HI, 1u << 24);
	xc_apic_w(&c, LA_ICR_LO, 0x4500);  /* INIT to APIC ID 1 */
	xc_spin(&c, 2000);
	xc_load(&c, 0x2b00);
	xc_store(&c, D);
	xc_spin(&c, 2000);
	xc_load(&c, 0x2b00);
	xc_store(&c, D + 4);
	xc_cli_hlt(&c);
	CHECK_EQ(lh_run(m, &c, 0, 100000), PAC_EXIT_HLT, "INIT run");
	CHECK(lh_rd32(m, D) > 0 && lh_rd32(m, D) == lh_rd32(m, D + 4), "AP stopped by INIT (%u)", lh_rd32(m, D));
	struct pac_regs r;
	pac_get_regs(m, 1, &r);
	CHECK(r.rip == 0xfff0 && r.seg[PAC_CS].sel == 0xf000 && r.seg[PAC_CS].base == 0xffff0000ull,
	      "INIT state CS:IP");
	CHECK_EQ(r.cr0, 0x60000010, "CR0 after INIT");
	CHECK(ap->apic->wait_sipi, "AP waits for SIPI");
	CHECK_EQ(ap->mxcsr, 0x1fc0, "MXCSR unchanged by INIT");
	CHECK_EQ(ap->msr.mtrr_def_type, 0xc06, "MTRRs unchanged by INIT");
	bool ok;
	CHECK_EQ(lapic_reg_read(ap, LA_ID, &ok), 1u << 24, "APIC ID kept");
	pac_destroy(m);
}

int main(void)
{
	t_init_running();
	t_bringup();
	t_destinations();
	t_ipi_wakes();
	t_tlb_shootdown();
	return test_done("smp");
}
