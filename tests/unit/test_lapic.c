/* SPDX-License-Identifier: MIT */
/* Local APIC in xAPIC mode: register file through the MMIO page, TPR/CR8,
 * priorities, self IPIs, ESR, the timer at exact virtual times in one-shot,
 * periodic and TSC-deadline modes, LINT0 ExtINT and APIC_BASE. Expected
 * values from the SDM vol. 3 ch. 10 and APM vol. 2 ch. 16. */
#include "test_lapic_helpers.h"

#define D LH_DATA

static pac_machine *fresh(void)
{
	pac_machine *m = lh_new(1, NULL);
	lh_tables(m, false);
	lh_regs(m, 0, LH_CODE);
	return m;
}

static void t_reset_and_tpr(void)
{
	pac_machine *m = fresh();
	struct xc c = { .n = 0 };
	xc_apic_r(&c, LA_ID, D);
	xc_apic_r(&c, LA_VER, D + 4);
	xc_apic_r(&c, LA_SVR, D + 8);
	xc_apic_r(&c, LA_DFR, D + 12);
	xc_apic_r(&c, LA_LVT_LINT0, D + 16);
	xc_apic_r(&c, LA_LVT_TIMER, D + 20);
	xc_apic_w(&c, LA_TPR, 0x5a);
	xc_apic_r(&c, LA_PPR, D + 24);
	XC(&c, 0xf0, 0x0f, 0x20, 0xc0); /* lock mov eax, cr0 = mov eax, cr8 (AltMovCr8) */
	xc_store(&c, D + 28);
	xc_mov_eax(&c, 3);
	XC(&c, 0xf0, 0x0f, 0x22, 0xc0); /* mov cr8, eax */
	xc_apic_r(&c, LA_TPR, D + 32);
	xc_apic_r(&c, 0x40, D + 36);    /* reserved offset: reads 0, ESR illegal register */
	xc_apic_w(&c, LA_ESR, 0);
	xc_apic_r(&c, LA_ESR, D + 40);
	xc_cli_hlt(&c);
	CHECK_EQ(lh_run(m, &c, 0, 1000), PAC_EXIT_HLT, "register run");
	CHECK_EQ(lh_rd32(m, D), 0, "APIC ID of CPU 0");
	CHECK_EQ(lh_rd32(m, D + 4), 0x50010, "version: 10h, max LVT 5");
	CHECK_EQ(lh_rd32(m, D + 8), 0xff, "SVR reset: software-disabled, vector FFh");
	CHECK_EQ(lh_rd32(m, D + 12), 0xffffffff, "DFR reset: flat");
	CHECK_EQ(lh_rd32(m, D + 16), 0x700, "BSP LINT0: unmasked ExtINT (virtual wire)");
	CHECK_EQ(lh_rd32(m, D + 20), 0x10000, "LVT timer reset: masked");
	CHECK_EQ(lh_rd32(m, D + 24), 0x5a, "PPR = TPR with nothing in service");
	CHECK_EQ(lh_rd32(m, D + 28), 5, "CR8 = TPR[7:4]");
	CHECK_EQ(lh_rd32(m, D + 32), 0x30, "MOV CR8 sets TPR[7:4], clears TPR[3:0]");
	CHECK_EQ(lh_rd32(m, D + 36), 0, "reserved register reads 0");
	CHECK_EQ(lh_rd32(m, D + 40), ESR_ILLEGAL_REG, "ESR: illegal register address");
	pac_destroy(m);
}

/* A self IPI waits in IRR while TPR blocks its class. */
static void t_self_ipi_priority(void)
{
	pac_machine *m = fresh();
	struct xc c = { .n = 0 };
	xc_apic_w(&c, LA_SVR, 0x1ff);
	xc_apic_w(&c, LA_TPR, 0x50);
	xc_apic_w(&c, LA_ICR_LO, 0x40045); /* self, fixed, vector 45h */
	XC(&c, 0xfb);
	XC(&c, 0x90);
	xc_load(&c, LH_COUNT + 0x45 * 4);
	xc_store(&c, D);
	xc_apic_r(&c, LA_IRR + 0x20, D + 4); /* IRR[95:64] */
	xc_apic_r(&c, LA_ICR_LO, D + 8);
	xc_apic_w(&c, LA_TPR, 0x40);
	XC(&c, 0x90);
	xc_load(&c, LH_COUNT + 0x45 * 4);
	xc_store(&c, D + 12);
	xc_apic_w(&c, LA_TPR, 0x00);
	XC(&c, 0x90);
	xc_apic_r(&c, LA_ISR + 0x20, D + 16);
	xc_cli_hlt(&c);
	CHECK_EQ(lh_run(m, &c, 0, 1000), PAC_EXIT_HLT, "self IPI run");
	CHECK_EQ(lh_rd32(m, D), 0, "TPR 50h blocks vector 45h");
	CHECK_EQ(lh_rd32(m, D + 4), 1u << 5, "vector 45h pending in IRR");
	CHECK_EQ(lh_rd32(m, D + 8), 0x40045, "ICR reads back, delivery status idle");
	CHECK_EQ(lh_rd32(m, D + 12), 0, "TPR 40h: same class still blocks");
	CHECK_EQ(lh_count(m, 0x45), 1, "delivered once TPR drops");
	CHECK_EQ(lh_rd32(m, D + 16), 0, "ISR empty after the handler's EOI");
	pac_destroy(m);
}

/* ISR nesting and PPR (SDM 10.8.3.1) through the internal interface. */
static void t_isr_ppr(void)
{
	pac_machine *m = fresh();
	struct cpu *cp = lh_cpu(m, 0);
	bool ok;
	cp->apic->svr |= SVR_ENABLE;
	lapic_set_irr(cp, 0x60, false);
	lapic_set_irr(cp, 0x30, false);
	CHECK(lapic_intr_pending(cp), "60h deliverable");
	CHECK_EQ(lapic_intr_ack(cp), 0x60, "highest IRR first");
	CHECK_EQ(lapic_reg_read(cp, LA_ISR + 0x30, &ok), 1, "ISR bit 60h");
	CHECK_EQ(lapic_ppr(cp), 0x60, "PPR = ISR class");
	CHECK(!lapic_intr_pending(cp), "30h below PPR");
	lapic_set_irr(cp, 0x61, false);
	CHECK(!lapic_intr_pending(cp), "61h: same class as in service");
	lapic_set_irr(cp, 0x70, false);
	CHECK(lapic_intr_pending(cp), "70h nests");
	CHECK_EQ(lapic_intr_ack(cp), 0x70, "ack 70h");
	lapic_write_tpr(cp, 0x85);
	CHECK_EQ(lapic_ppr(cp), 0x85, "PPR = TPR above ISR class");
	CHECK_EQ(lapic_apr(cp), 0x85, "APR = TPR");
	lapic_write_tpr(cp, 0);
	lapic_eoi(cp);
	CHECK_EQ(lapic_ppr(cp), 0x60, "EOI retires 70h first");
	lapic_eoi(cp);
	CHECK_EQ(lapic_intr_ack(cp), 0x61, "then 61h");
	lapic_eoi(cp);
	CHECK_EQ(lapic_intr_ack(cp), 0x30, "then 30h");
	lapic_set_irr(cp, 7, false);
	CHECK_EQ(cp->apic->esr_pending & ESR_RECV_ILLEGAL, ESR_RECV_ILLEGAL, "vector 7: receive illegal");
	pac_destroy(m);
}

/* ESR write-then-read and the error LVT. */
static void t_esr(void)
{
	pac_machine *m = fresh();
	struct xc c = { .n = 0 };
	xc_apic_w(&c, LA_SVR, 0x1ff);
	xc_apic_w(&c, LA_LVT_ERROR, 0xfe);
	XC(&c, 0xfb);
	xc_apic_w(&c, LA_ICR_LO, 0x40005); /* self IPI with illegal vector 5 */
	xc_apic_r(&c, LA_ESR, D);        /* not latched yet */
	xc_apic_w(&c, LA_ESR, 0);
	xc_apic_r(&c, LA_ESR, D + 4);
	xc_apic_w(&c, LA_ESR, 0);
	xc_apic_r(&c, LA_ESR, D + 8);
	xc_cli_hlt(&c);
	CHECK_EQ(lh_run(m, &c, 0, 1000), PAC_EXIT_HLT, "ESR run");
	CHECK_EQ(lh_rd32(m, D), 0, "ESR before the latching write");
	CHECK_EQ(lh_rd32(m, D + 4), ESR_SEND_ILLEGAL, "send illegal vector");
	CHECK_EQ(lh_rd32(m, D + 8), 0, "next write clears it");
	CHECK_EQ(lh_count(m, 0xfe), 1, "error LVT interrupt");
	CHECK_EQ(lh_count(m, 5), 0, "illegal vector not delivered");
	pac_destroy(m);
}

/* One-shot with divide 2: expires 2 * count ns after the write. */
static void t_timer_oneshot(void)
{
	pac_machine *m = fresh();
	struct lh_events ev;
	lh_watch(m, &ev);
	struct xc c = { .n = 0 };
	xc_apic_w(&c, LA_SVR, 0x1ff);
	xc_apic_w(&c, LA_TIMER_DCR, 0x0); /* divide by 2 */
	xc_apic_w(&c, LA_LVT_TIMER, 0x41);
	uint64_t k = c.insns;
	xc_apic_w(&c, LA_TIMER_ICR, 1000);
	xc_apic_r(&c, LA_TIMER_CCR, D);      /* at k+1: 1 ns elapsed = 0 ticks */
	xc_apic_r(&c, LA_TIMER_CCR, D + 4);  /* at k+3: 1 tick */
	xc_sti_hlt_loop(&c);
	lh_run(m, &c, 0, 40);
	CHECK_EQ(lh_rd32(m, D), 1000, "CCR right after the write");
	CHECK_EQ(lh_rd32(m, D + 4), 999, "CCR one tick later");
	CHECK_EQ(ev.n, 1, "one-shot fires once");
	CHECK_EQ(ev.vector[0], 0x41, "timer vector");
	CHECK_EQ(ev.time[0], k + 2000, "expiry at write + count * 2 ns");
	bool ok;
	CHECK_EQ(lapic_reg_read(lh_cpu(m, 0), LA_TIMER_CCR, &ok), 0, "CCR 0 after expiry");
	pac_destroy(m);
}

static void t_timer_periodic(void)
{
	pac_machine *m = fresh();
	struct lh_events ev;
	lh_watch(m, &ev);
	struct xc c = { .n = 0 };
	xc_apic_w(&c, LA_SVR, 0x1ff);
	xc_apic_w(&c, LA_TIMER_DCR, 0xb); /* divide by 1 */
	xc_apic_w(&c, LA_LVT_TIMER, 0x20042);
	uint64_t k = c.insns;
	xc_apic_w(&c, LA_TIMER_ICR, 500);
	xc_sti_hlt_loop(&c);
	lh_run(m, &c, 0, 60);
	CHECK(ev.n >= 3, "periodic: %d interrupts", ev.n);
	for (int i = 0; i < 3; i++)
		CHECK_EQ(ev.time[i], k + 500 * (uint64_t)(i + 1), "periodic expiry without drift");
	/* masking stops the interrupts, not the count */
	struct cpu *cp = lh_cpu(m, 0);
	lapic_reg_write(cp, LA_LVT_TIMER, 0x30042);
	int n = ev.n;
	struct pac_exit ex;
	pac_run(m, 20, &ex);
	CHECK_EQ(ev.n, n, "masked periodic timer is silent");
	bool ok;
	CHECK(lapic_reg_read(cp, LA_TIMER_CCR, &ok) != 0, "but keeps counting");
	pac_destroy(m);
}

static void t_timer_deadline(void)
{
	pac_machine *m = fresh();
	struct lh_events ev;
	lh_watch(m, &ev);
	struct xc c = { .n = 0 };
	xc_apic_w(&c, LA_SVR, 0x1ff);
	xc_apic_w(&c, LA_LVT_TIMER, 0x40043);
	xc_apic_w(&c, LA_TIMER_ICR, 5);    /* ignored in TSC-deadline mode */
	uint64_t k = c.insns;
	XC(&c, 0x0f, 0x31);                /* rdtsc */
	XC(&c, 0x05, LE32(3000));          /* add eax, 3000 */
	XC(&c, 0x83, 0xd2, 0x00);          /* adc edx, 0 */
	xc_mov_ecx(&c, 0x6e0);
	XC(&c, 0x0f, 0x30);
	xc_rdmsr(&c, 0x6e0, D);
	xc_sti_hlt_loop(&c);
	lh_run(m, &c, 0, 40);
	CHECK_EQ(lh_rd32(m, D), k + 3000, "TSC_DEADLINE reads back");
	CHECK_EQ(ev.n, 1, "deadline fires once");
	CHECK_EQ(ev.time[0], k + 3000, "fires when the TSC reaches the deadline");
	uint64_t v = 1;
	CHECK(pac_get_msr(m, 0, 0x6e0, &v) == PAC_OK && v == 0, "TSC_DEADLINE cleared on expiry");
	bool ok;
	CHECK_EQ(lapic_reg_read(lh_cpu(m, 0), LA_TIMER_ICR, &ok), 0, "initial count write ignored");
	pac_destroy(m);
}

/* ---- the 8259 path: LINT0 ExtINT, masked LINT0, APIC disabled ---- */
static int fake_pending;
static bool fk_pending(void *ctx, int cpu) { (void)ctx; return cpu == 0 && fake_pending > 0; }
static int fk_ack(void *ctx, int cpu) { (void)ctx; (void)cpu; fake_pending--; return 0x33; }
static const struct pac_intc_ops fake_intc = { fk_pending, fk_ack };

static void t_extint(void)
{
	pac_machine *m = fresh();
	pac_set_intc(m, &fake_intc, NULL);
	struct xc c = { .n = 0 };
	xc_apic_w(&c, LA_LVT_LINT0, 0x10700); /* masked (software-disabled APIC anyway) */
	XC(&c, 0xfb);
	XC(&c, 0x90);
	xc_load(&c, LH_COUNT + 0x33 * 4);
	xc_store(&c, D);
	xc_wrmsr(&c, 0x1b, 0xfee00000);   /* APIC globally disabled: INTR goes straight in */
	XC(&c, 0x90);
	xc_load(&c, 0xfee00030);          /* page no longer decodes */
	xc_store(&c, D + 4);
	xc_cli_hlt(&c);
	fake_pending = 1;
	lh_run(m, &c, 0, 1000);
	CHECK_EQ(lh_rd32(m, D), 0, "masked LINT0 blocks the 8259");
	CHECK_EQ(lh_count(m, 0x33), 1, "disabled APIC passes INTR through");
	CHECK_EQ(lh_rd32(m, D + 4), 0xffffffff, "xAPIC page gone when disabled");
	pac_destroy(m);
	/* reset state: the 8259 reaches CPU 0 through LINT0 */
	m = fresh();
	pac_set_intc(m, &fake_intc, NULL);
	struct xc d = { .n = 0 };
	XC(&d, 0xfb);
	XC(&d, 0x90);
	xc_cli_hlt(&d);
	fake_pending = 1;
	lh_run(m, &d, 0, 100);
	CHECK_EQ(lh_count(m, 0x33), 1, "LINT0 ExtINT delivers the 8259's vector");
	pac_destroy(m);
}

/* The APIC page moved onto RAM wins over the RAM for this CPU. */
static void t_relocate(void)
{
	pac_machine *m = fresh();
	struct xc c = { .n = 0 };
	xc_load(&c, 0xf00030);            /* RAM before the move: TLB filled */
	xc_store(&c, D);
	xc_wrmsr(&c, 0x1b, 0xf00800);
	xc_load(&c, 0xf00030);
	xc_store(&c, D + 4);
	xc_st_imm(&c, 0xf00080, 0x20);    /* TPR, not RAM */
	xc_cli_hlt(&c);
	lh_run(m, &c, 0, 100);
	CHECK_EQ(lh_rd32(m, D), 0, "RAM before relocation");
	CHECK_EQ(lh_rd32(m, D + 4), 0x50010, "version at the new base");
	CHECK_EQ(lh_rd32(m, 0xf00080), 0, "RAM under the APIC page untouched");
	CHECK_EQ(lh_cpu(m, 0)->tpr, 2, "write reached TPR");
	uint64_t v;
	CHECK(pac_get_msr(m, 0, 0x1b, &v) == PAC_OK && v == 0xf00900, "APIC_BASE keeps BSP");
	pac_destroy(m);
}

int main(void)
{
	t_reset_and_tpr();
	t_self_ipi_priority();
	t_isr_ppr();
	t_esr();
	t_timer_oneshot();
	t_timer_periodic();
	t_timer_deadline();
	t_extint();
	t_relocate();
	return test_done("lapic");
}
