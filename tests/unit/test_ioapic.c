/* SPDX-License-Identifier: MIT */
/* I/O APIC (82093AA data sheet; QEMU `pc` wiring): registers through
 * IOREGSEL/IOWIN, PIT IRQ 0 arriving on pin 2 as an APIC vector while the
 * 8259 is masked, level-triggered inputs with remote IRR cleared by the
 * local APIC's EOI broadcast, masking, logical destinations. */
#include "test_lapic_helpers.h"
#include "../../iodev/pc.h"

#define D LH_DATA
#define IOSEL 0xfec00000u
#define IOWIN 0xfec00010u

static struct pc_platform plat;

static pac_machine *pc_new(void)
{
	pac_machine *m = lh_new(1, NULL);
	struct pc_options o = { .ram_bytes = TM_RAM, .ncpus = 1 };
	if (pc_platform_init(&plat, m, &o) != PAC_OK) {
		fprintf(stderr, "pc_platform_init failed\n");
		exit(2);
	}
	lh_tables(m, false);
	lh_regs(m, 0, LH_CODE);
	return m;
}

static uint32_t io_rd(unsigned idx)
{
	ioapic_write(&plat.ioapic, 0, idx);
	return ioapic_read(&plat.ioapic, 0x10);
}
static void io_wr(unsigned idx, uint32_t v)
{
	ioapic_write(&plat.ioapic, 0, idx);
	ioapic_write(&plat.ioapic, 0x10, v);
}

static void t_registers(void)
{
	pac_machine *m = pc_new();
	struct xc c = { .n = 0 };
	xc_st_imm(&c, IOSEL, 1);
	xc_load(&c, IOWIN);
	xc_store(&c, D);
	xc_st_imm(&c, IOSEL, 0);
	xc_st_imm(&c, IOWIN, 0x0f000000);   /* ID 15 */
	xc_load(&c, IOWIN);
	xc_store(&c, D + 4);
	xc_st_imm(&c, IOSEL, 0x10 + 2 * 23);
	xc_load(&c, IOWIN);
	xc_store(&c, D + 8);
	xc_st_imm(&c, IOSEL, 0x10 + 2 * 5);
	xc_st_imm(&c, IOWIN, 0xffffffff);
	xc_load(&c, IOWIN);
	xc_store(&c, D + 12);
	xc_load(&c, IOSEL);
	xc_store(&c, D + 16);
	xc_cli_hlt(&c);
	CHECK_EQ(lh_run(m, &c, 0, 200), PAC_EXIT_HLT, "register run");
	CHECK_EQ(lh_rd32(m, D), 0x170011, "version 11h, max redirection entry 23");
	CHECK_EQ(lh_rd32(m, D + 4), 0x0f000000, "ID read back");
	CHECK_EQ(io_rd(2), 0x0f000000, "arbitration ID follows");
	CHECK_EQ(lh_rd32(m, D + 8), 0x10000, "RTE 23 reset: masked");
	CHECK_EQ(lh_rd32(m, D + 12), 0x1afff, "RTE: delivery status and remote IRR read-only");
	CHECK_EQ(lh_rd32(m, D + 16), 0x1a, "IOREGSEL reads back");
	pc_platform_free(&plat);
	pac_destroy(m);
}

/* The PIT (ISA IRQ 0, programmed by the BIOS state at 18.2 Hz) arrives on
 * pin 2 as vector 30h; the masked 8259 stays silent. */
static void t_pit_gsi2(void)
{
	pac_machine *m = pc_new();
	struct lh_events ev;
	lh_watch(m, &ev);
	struct xc c = { .n = 0 };
	xc_apic_w(&c, LA_SVR, 0x1ff);
	XC(&c, 0xb0, 0xff);                 /* mov al, 0FFh */
	XC(&c, 0xe6, 0x21);                 /* out 21h, al: mask the 8259 */
	xc_st_imm(&c, IOSEL, 0x10 + 2 * 2);
	xc_st_imm(&c, IOWIN, 0x30);         /* fixed, physical, edge, unmasked */
	xc_st_imm(&c, IOSEL, 0x10 + 2 * 2 + 1);
	xc_st_imm(&c, IOWIN, 0);            /* destination APIC ID 0 */
	xc_sti_hlt_loop(&c);
	lh_run(m, &c, 0, 80);
	CHECK(ev.n >= 3, "PIT interrupts: %d", ev.n);
	bool all30 = true;
	for (int i = 0; i < ev.n && i < 16; i++)
		all30 &= ev.vector[i] == 0x30;
	CHECK(all30, "every interrupt is vector 30h (none from the 8259)");
	uint64_t d = ev.time[2] - ev.time[1];
	CHECK(d >= 54925000 && d <= 54926000, "interval %" PRIu64 " ns = 65536 PIT ticks", d);
	CHECK_EQ(lh_count(m, 0x30), (uint32_t)ev.n, "handler ran for each");
	pc_platform_free(&plat);
	pac_destroy(m);
}

static bool irr_has(pac_machine *m, unsigned v)
{
	return (lh_cpu(m, 0)->apic->irr[v >> 5] >> (v & 31)) & 1;
}

/* Level input on line 10: remote IRR until the EOI, redelivery while still
 * asserted, masking and unmasking. */
static void t_level_eoi(void)
{
	pac_machine *m = pc_new();
	struct cpu *cp = lh_cpu(m, 0);
	cp->apic->svr |= SVR_ENABLE;
	struct irq_line l;
	CHECK_EQ(irq_line_init(&l, &plat.irq, 10), 0, "test source on line 10");
	io_wr(0x10 + 20, 0x803a);           /* level, vector 3Ah */
	io_wr(0x10 + 21, 0);
	irq_set(&l, true);
	CHECK(irr_has(m, 0x3a), "level interrupt in IRR");
	CHECK_EQ((cp->apic->tmr[1] >> 26) & 1, 1, "TMR set for a level interrupt");
	CHECK_EQ(io_rd(0x10 + 20) & IOAPIC_RTE_REMOTE_IRR, IOAPIC_RTE_REMOTE_IRR, "remote IRR set");
	CHECK_EQ(lapic_intr_ack(cp), 0x3a, "CPU takes 3Ah");
	lapic_eoi(cp);
	CHECK(irr_has(m, 0x3a), "EOI with the line still high: delivered again");
	CHECK_EQ(lapic_intr_ack(cp), 0x3a, "taken again");
	irq_set(&l, false);
	lapic_eoi(cp);
	CHECK_EQ(io_rd(0x10 + 20) & IOAPIC_RTE_REMOTE_IRR, 0, "EOI broadcast cleared remote IRR");
	CHECK(!irr_has(m, 0x3a), "line low: nothing new");
	io_wr(0x10 + 20, 0x1803a);          /* masked */
	irq_set(&l, true);
	CHECK(!irr_has(m, 0x3a), "masked level input held");
	io_wr(0x10 + 20, 0x803a);
	CHECK(irr_has(m, 0x3a), "unmasking an asserted level input delivers");
	lapic_intr_ack(cp);
	irq_set(&l, false);
	lapic_eoi(cp);
	/* edge while masked is lost */
	io_wr(0x10 + 20, 0x1003b);
	irq_pulse(&l);
	io_wr(0x10 + 20, 0x003b);
	CHECK(!irr_has(m, 0x3b), "edge while masked is lost");
	irq_pulse(&l);
	CHECK(irr_has(m, 0x3b), "edge when unmasked");
	CHECK_EQ((cp->apic->tmr[1] >> 27) & 1, 0, "edge: TMR clear");
	pc_platform_free(&plat);
	pac_destroy(m);
}

/* Logical destination and NMI delivery mode from a redirection entry. */
static void t_logical_nmi(void)
{
	pac_machine *m = pc_new();
	struct cpu *cp = lh_cpu(m, 0);
	cp->apic->svr |= SVR_ENABLE;
	cp->apic->ldr = 1u << 24;
	struct irq_line l;
	irq_line_init(&l, &plat.irq, 11);
	io_wr(0x10 + 22, 0x0840);           /* logical, vector 40h */
	io_wr(0x10 + 23, 0x02000000);       /* MDA 02h: not CPU 0 */
	irq_pulse(&l);
	CHECK(!irr_has(m, 0x40), "logical 02h misses LDR 01h");
	io_wr(0x10 + 23, 0x01000000);
	irq_pulse(&l);
	CHECK(irr_has(m, 0x40), "logical 01h hits");
	io_wr(0x10 + 22, 0x0c00);           /* NMI, logical */
	irq_pulse(&l);
	CHECK(cp->nmi_pending, "NMI delivery mode");
	pc_platform_free(&plat);
	pac_destroy(m);
}

int main(void)
{
	t_registers();
	t_pit_gsi2();
	t_level_eoi();
	t_logical_nmi();
	return test_done("ioapic");
}
