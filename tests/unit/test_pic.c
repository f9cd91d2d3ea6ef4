/* SPDX-License-Identifier: MIT */
/* 8259A pair: initialisation, priorities, EOI forms, rotation, AEOI,
 * special mask mode, poll, cascade, spurious IRQ7/IRQ15, edge/level with
 * ELCR (Intel 8259A data sheet; PIIX3 ELCR), and vectors delivered to a
 * real-mode guest through pac_intc_ops. */
#include "test.h"
#include "platform_helpers.h"
#include "../../iodev/pic.h"

static pac_machine *M;

/* CHECK_EQ evaluates its argument again on failure: acknowledge once */
#define ACK_EQ(p, want, name) do { int v_ = pic_acknowledge(p); CHECK_EQ(v_, want, name); } while (0)

static void init_pair(struct pic *p, uint8_t icw4)
{
	pic_init(p, M, NULL);
	pic_port_write(p, 0x20, 0x11);
	pic_port_write(p, 0x21, 0x20);
	pic_port_write(p, 0x21, 0x04);
	pic_port_write(p, 0x21, icw4);
	pic_port_write(p, 0xa0, 0x11);
	pic_port_write(p, 0xa1, 0x28);
	pic_port_write(p, 0xa1, 0x02);
	pic_port_write(p, 0xa1, icw4);
}

static uint8_t isr(struct pic *p, unsigned chip)
{
	uint16_t base = chip ? 0xa0 : 0x20;
	pic_port_write(p, base, 0x0b); /* OCW3: read ISR */
	uint8_t v = pic_port_read(p, base);
	pic_port_write(p, base, 0x0a); /* back to IRR */
	return v;
}

static void t_basic(void)
{
	struct pic p;
	init_pair(&p, 0x01);
	CHECK_EQ(pic_port_read(&p, 0x21), 0, "ICW1 clears IMR");
	pic_port_write(&p, 0x21, 0xa5);
	CHECK_EQ(pic_port_read(&p, 0x21), 0xa5, "OCW1 reads back");
	pic_port_write(&p, 0x21, 0x00);
	CHECK(!pic_intr(&p), "no request, INT low");
	pic_set_irq(&p, 3, true);
	pic_set_irq(&p, 5, true);
	CHECK_EQ(pic_port_read(&p, 0x20), 0x28, "IRR has IR3 and IR5");
	CHECK(pic_intr(&p), "INT high");
	ACK_EQ(&p, 0x23, "IR3 first (fully nested)");
	CHECK_EQ(isr(&p, 0), 0x08, "IR3 in service");
	CHECK_EQ(pic_port_read(&p, 0x20), 0x20, "edge IRR3 cleared by INTA");
	CHECK(!pic_intr(&p), "IR5 blocked by IR3 in service");
	pic_set_irq(&p, 1, true);
	CHECK(pic_intr(&p), "IR1 nests above IR3");
	ACK_EQ(&p, 0x21, "vector of IR1");
	pic_port_write(&p, 0x20, 0x20); /* non-specific EOI: highest = IR1 */
	CHECK_EQ(isr(&p, 0), 0x08, "non-specific EOI ended IR1");
	pic_port_write(&p, 0x20, 0x63); /* specific EOI IR3 */
	CHECK_EQ(isr(&p, 0), 0, "specific EOI ended IR3");
	ACK_EQ(&p, 0x25, "then IR5");
	pic_port_write(&p, 0x20, 0x20);
	pic_port_write(&p, 0x21, 0x02);
	pic_set_irq(&p, 1, false);
	pic_set_irq(&p, 1, true);
	CHECK(!pic_intr(&p), "masked IR1 does not raise INT");
	CHECK_EQ(pic_port_read(&p, 0x20), 0x02, "but is in IRR");
	pic_port_write(&p, 0x21, 0x00);
	CHECK(pic_intr(&p), "unmasking delivers it");
	pic_set_irq(&p, 6, true);
	pic_set_irq(&p, 6, true);
	ACK_EQ(&p, 0x21, "IR1");
	pic_port_write(&p, 0x20, 0x20);
	ACK_EQ(&p, 0x26, "IR6 once");
	pic_port_write(&p, 0x20, 0x20);
	CHECK(!pic_intr(&p), "a held-high edge input requests once");
}

static void t_cascade_spurious(void)
{
	struct pic p;
	init_pair(&p, 0x01);
	pic_set_irq(&p, 10, true);
	CHECK(pic_intr(&p), "slave request reaches the master");
	ACK_EQ(&p, 0x2a, "IRQ10 -> slave base + 2");
	CHECK_EQ(isr(&p, 0), 0x04, "master IR2 in service");
	CHECK_EQ(isr(&p, 1), 0x04, "slave IR2 in service");
	pic_port_write(&p, 0xa0, 0x20);
	pic_port_write(&p, 0x20, 0x20);
	CHECK_EQ(isr(&p, 0) | isr(&p, 1), 0, "EOI to both");
	pic_set_irq(&p, 10, false);
	/* level-triggered IRQ5 that goes away before INTA: spurious IRQ7 */
	pic_port_write(&p, 0x4d0, 0xff);
	CHECK_EQ(pic_port_read(&p, 0x4d0), 0xf8, "ELCR1: IRQ0-2 are edge only");
	pic_port_write(&p, 0x4d1, 0xff);
	CHECK_EQ(pic_port_read(&p, 0x4d1), 0xde, "ELCR2: IRQ8 and 13 are edge only");
	pic_port_write(&p, 0x4d1, 0x00);
	pic_set_irq(&p, 5, true);
	CHECK(pic_intr(&p), "level IRQ5 requests");
	pic_set_irq(&p, 5, false);
	CHECK(!pic_intr(&p), "level request withdrawn");
	ACK_EQ(&p, 0x27, "INTA with nothing pending: spurious IR7");
	CHECK_EQ(isr(&p, 0), 0, "spurious IR7 sets no ISR bit");
	pic_set_irq(&p, 5, true);
	ACK_EQ(&p, 0x25, "level IRQ5");
	CHECK_EQ(pic_port_read(&p, 0x20) & 0x20, 0x20, "level IRR stays while the line is high");
	pic_port_write(&p, 0x20, 0x20);
	CHECK(pic_intr(&p), "still high after EOI: requests again");
	pic_set_irq(&p, 5, false);
	CHECK(!pic_intr(&p), "line low: no request");
	/* slave level IRQ11 withdrawn after the master latched IR2: IRQ15 */
	pic_port_write(&p, 0x4d1, 0x08);
	pic_set_irq(&p, 11, true);
	pic_set_irq(&p, 11, false);
	ACK_EQ(&p, 0x2f, "spurious IRQ15 from the slave");
	CHECK_EQ(isr(&p, 0), 0x04, "master IR2 in service (needs a master EOI)");
	CHECK_EQ(isr(&p, 1), 0x00, "slave ISR untouched");
}

static void t_modes(void)
{
	struct pic p;
	init_pair(&p, 0x03); /* AEOI */
	pic_set_irq(&p, 4, true);
	ACK_EQ(&p, 0x24, "AEOI vector");
	CHECK_EQ(isr(&p, 0), 0, "AEOI: nothing left in service");
	init_pair(&p, 0x01);
	pic_port_write(&p, 0x20, 0xc4); /* set priority: IR4 lowest, IR5 highest */
	pic_set_irq(&p, 3, true);
	pic_set_irq(&p, 6, true);
	ACK_EQ(&p, 0x26, "after rotation IR6 beats IR3");
	pic_port_write(&p, 0x20, 0xa0); /* rotate on non-specific EOI: IR6 lowest */
	ACK_EQ(&p, 0x23, "then IR3");
	pic_set_irq(&p, 6, false);
	pic_set_irq(&p, 6, true);
	CHECK(!pic_intr(&p), "IR6 (now lowest) waits for IR3 in service");
	pic_port_write(&p, 0x20, 0xe3); /* rotate on specific EOI 3: IR4 highest */
	pic_set_irq(&p, 2 + 0, true);   /* IR2 input is the cascade: ignored */
	ACK_EQ(&p, 0x26, "IR6 after rotation");
	pic_port_write(&p, 0x20, 0x20);
	/* special mask mode: masking the in-service level lets lower ones in */
	init_pair(&p, 0x01);
	pic_set_irq(&p, 1, true);
	ACK_EQ(&p, 0x21, "IR1 in service");
	pic_set_irq(&p, 4, true);
	CHECK(!pic_intr(&p), "IR4 blocked by IR1");
	pic_port_write(&p, 0x21, 0x02);
	pic_port_write(&p, 0x20, 0x68); /* OCW3: set special mask */
	CHECK(pic_intr(&p), "special mask mode: IR4 allowed");
	pic_port_write(&p, 0x20, 0x48); /* reset special mask */
	CHECK(!pic_intr(&p), "normal mode again");
	/* poll command */
	pic_port_write(&p, 0x20, 0x68);
	pic_port_write(&p, 0x20, 0x0c);
	uint8_t poll = pic_port_read(&p, 0x20);
	CHECK_EQ(poll, 0x84, "poll word: interrupt, level 4");
	CHECK_EQ(isr(&p, 0), 0x12, "poll acknowledged IR4");
	pic_port_write(&p, 0x20, 0x0c);
	poll = pic_port_read(&p, 0x20);
	CHECK_EQ(poll, 0x00, "poll word with nothing pending");
	/* ICW1 resets the edge latch: a line held high needs a new edge */
	init_pair(&p, 0x01);
	pic_set_irq(&p, 3, true);
	init_pair(&p, 0x01);
	CHECK(pic_intr(&p) == false, "pending edge dropped by re-initialisation");
}

/* Guest code programs the pair (bases 0x08/0x70 as a BIOS does, then
 * remaps to 0x20/0x28); IRQs raised at scheduled times reach its
 * handlers, which record the vector and send EOIs. */
struct irqs { struct pic *p; };
static void raise_fn(void *ctx, unsigned i, uint64_t now)
{
	struct pic *p = ctx;
	static const unsigned irq[3] = { 3, 12, 7 };
	pic_set_irq(p, irq[i], true);
	pic_set_irq(p, irq[i], false);
}
static void t_guest(void)
{
	pac_machine *m = tm_new();
	struct pic p;
	pic_init(&p, m, NULL);
	pac_set_intc(m, &pic_intc_ops, &p);
	/* handlers: mov byte [0x700 + n], 1; (slave: out a0) out 20; iret */
	for (unsigned v = 0x20; v < 0x30; v++) {
		uint8_t h[] = { 0xc6, 0x06, (uint8_t)(0x700 + v - 0x20), 0x07, 1, 0xb0, 0x20,
				0xe6, v >= 0x28 ? 0xa0 : 0x20, 0xe6, 0x20, 0xcf };
		uint32_t ent = 0x9000 + v * 16;
		pac_phys_write(m, ent, h, sizeof h);
		pac_phys_write(m, v * 4, &ent, 4);
	}
	struct rcode c = { .n = 0 };
	static const uint8_t seq[][2] = { { 0x20, 0x11 }, { 0x21, 0x20 }, { 0x21, 0x04 }, { 0x21, 0x01 },
					  { 0xa0, 0x11 }, { 0xa1, 0x28 }, { 0xa1, 0x02 }, { 0xa1, 0x01 },
					  { 0x21, 0xf3 }, { 0xa1, 0xef } };
	for (unsigned i = 0; i < sizeof seq / sizeof seq[0]; i++)
		rc_out8(&c, seq[i][0], seq[i][1]);
	rc_in8(&c, 0x21, 0x600);
	rc_in8(&c, 0xa1, 0x601);
	RC(&c, 0xfb);                       /* sti */
	RC(&c, 0xf4, 0xf4, 0xf4, 0xfa, 0xf4); /* three interrupts, then stop */
	struct sched s = { m, pac_timer_create(m, sched_fire, &s), NULL, 3, 0, raise_fn, &p };
	static const uint64_t times[3] = { 100000, 200000, 300000 };
	s.times = times;
	pac_timer_arm(m, s.timer, times[0]);
	CHECK_EQ(rc_run(m, &c, 100000), PAC_EXIT_HLT, "guest ran");
	CHECK_EQ(rd8(m, 0x600), 0xf3, "IMR master read by IN");
	CHECK_EQ(rd8(m, 0x601), 0xef, "IMR slave read by IN");
	CHECK_EQ(rd8(m, 0x703), 1, "IRQ3 -> vector 0x23 handled");
	CHECK_EQ(rd8(m, 0x70c), 1, "IRQ12 -> vector 0x2c handled");
	CHECK_EQ(rd8(m, 0x707), 0, "IRQ7 masked: not delivered");
	CHECK_EQ(p.chip[0].isr | p.chip[1].isr, 0, "guest EOIs cleared ISR");
	pac_destroy(m);
}

int main(void)
{
	M = tm_new();
	t_basic();
	t_cascade_spurious();
	t_modes();
	t_guest();
	pac_destroy(M);
	return test_done("pic");
}
