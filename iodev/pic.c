/* SPDX-License-Identifier: MIT */
/* 8259A PIC pair (Intel 8259A data sheet, "Programming the 8259A"):
 * ICW1-ICW4, OCW1-OCW3, fully nested priority with rotation, specific and
 * non-specific EOI, automatic EOI, special mask mode, special fully nested
 * mode, poll command, cascade on IR2, spurious IR7, edge/level inputs with
 * LTIM and the PIIX3 ELCR. */
#include <string.h>
#include "pic.h"
#include "ioport_util.h"

#define ELCR_MASK_MASTER 0xf8 /* IRQ 0, 1, 2 are always edge (PIIX3) */
#define ELCR_MASK_SLAVE 0xde  /* IRQ 8 and 13 are always edge */

static uint8_t level_mask(const struct pic8259 *c)
{
	return c->ltim ? 0xff : c->elcr;
}

/* Priority rank of IR n: 0 is the highest (the one after `lowest`). */
static unsigned rank(const struct pic8259 *c, unsigned n)
{
	return (n - c->lowest - 1) & 7;
}

/* The IR with the best rank among the bits of mask, or -1. */
static int best_of(const struct pic8259 *c, uint8_t mask)
{
	for (unsigned r = 0; r < 8; r++) {
		unsigned n = (c->lowest + 1 + r) & 7;
		if (mask & (1u << n))
			return (int)n;
	}
	return -1;
}

/* The IR the chip would present on INTA, or -1 if its INT is low. */
static int chip_pending(const struct pic8259 *c, bool is_master)
{
	int req = best_of(c, c->irr & ~c->imr);
	if (req < 0)
		return -1;
	uint8_t in_service = c->isr;
	if (c->special_mask)
		in_service &= ~c->imr; /* masked levels do not block others */
	if (c->sfnm && is_master)
		in_service &= ~(1u << 2); /* slave may nest above its own IR2 */
	int cur = best_of(c, in_service);
	if (cur >= 0 && rank(c, (unsigned)cur) <= rank(c, (unsigned)req))
		return -1;
	return req;
}

static void chip_input(struct pic8259 *c, unsigned n, bool level)
{
	uint8_t bit = (uint8_t)(1u << n);
	if (level_mask(c) & bit) {
		if (level)
			c->irr |= bit;
		else
			c->irr &= (uint8_t)~bit;
	} else if (level && !(c->lines & bit)) {
		c->irr |= bit; /* rising edge latches the request */
	}
	if (level)
		c->lines |= bit;
	else
		c->lines &= (uint8_t)~bit;
}

/* Propagates the slave's INT to master IR2, then the master's INT. */
static void update(struct pic *p)
{
	chip_input(&p->chip[0], 2, chip_pending(&p->chip[1], false) >= 0);
	p->intr = chip_pending(&p->chip[0], true) >= 0;
}

void pic_set_irq(struct pic *p, unsigned irq, bool level)
{
	if (irq >= 16 || irq == 2)
		return;
	chip_input(&p->chip[irq >> 3], irq & 7, level);
	update(p);
}

static void bus_sink(void *ctx, unsigned line, bool level)
{
	pic_set_irq(ctx, line, level);
}

bool pic_intr(const struct pic *p)
{
	return p->intr;
}

/* Second INTA pulse: the request moves to in-service (or is ended at once
 * in automatic-EOI mode). */
static void chip_ack(struct pic8259 *c, unsigned n)
{
	uint8_t bit = (uint8_t)(1u << n);
	if (!(level_mask(c) & bit))
		c->irr &= (uint8_t)~bit;
	if (c->auto_eoi) {
		if (c->rotate_on_aeoi)
			c->lowest = (uint8_t)n;
	} else {
		c->isr |= bit;
	}
}

int pic_acknowledge(struct pic *p)
{
	struct pic8259 *m = &p->chip[0], *s = &p->chip[1];
	int irq = chip_pending(m, true), vec;
	if (irq < 0) {
		vec = m->base + 7; /* spurious IRQ7: ISR untouched */
	} else if (irq == 2) {
		int irq2 = chip_pending(s, false);
		if (irq2 < 0) {
			vec = s->base + 7; /* spurious IRQ15: master IR2 still in service */
		} else {
			chip_ack(s, (unsigned)irq2);
			vec = s->base + irq2;
		}
		chip_ack(m, 2);
	} else {
		chip_ack(m, (unsigned)irq);
		vec = m->base + irq;
	}
	update(p);
	return vec;
}

static bool intc_pending(void *ctx, int cpu)
{
	return cpu == 0 && ((struct pic *)ctx)->intr;
}

static int intc_ack(void *ctx, int cpu)
{
	return cpu == 0 ? pic_acknowledge(ctx) : -1;
}

const struct pac_intc_ops pic_intc_ops = { intc_pending, intc_ack };

static void chip_reset(struct pic8259 *c, uint8_t elcr_mask)
{
	memset(c, 0, sizeof *c);
	c->elcr_mask = elcr_mask;
	c->lowest = 7;
}

void pic_reset(struct pic *p)
{
	chip_reset(&p->chip[0], ELCR_MASK_MASTER);
	chip_reset(&p->chip[1], ELCR_MASK_SLAVE);
	p->intr = false;
}

/* ICW1: starts the initialisation sequence (8259A data sheet: IMR cleared,
 * IR7 lowest priority, special mask mode off, IRR selected for reading, and
 * the edge-sense latches reset so a high input needs a new rising edge). */
static void write_icw1(struct pic8259 *c, uint8_t v)
{
	c->icw4_needed = v & 1;
	c->single = v & 2;
	c->ltim = v & 8;
	c->init_step = 2;
	c->imr = 0;
	c->isr = 0;
	c->irr &= level_mask(c) & c->lines;
	c->lowest = 7;
	c->special_mask = false;
	c->read_isr = false;
	c->poll = false;
	c->rotate_on_aeoi = false;
	c->auto_eoi = false;
	c->sfnm = false;
}

/* OCW2: R, SL, EOI in bits 7-5, the level in bits 2-0. */
static void write_ocw2(struct pic8259 *c, uint8_t v)
{
	unsigned level = v & 7;
	int n;
	switch (v >> 5) {
	case 0: c->rotate_on_aeoi = false; break;
	case 4: c->rotate_on_aeoi = true; break;
	case 1: /* non-specific EOI */
	case 5: /* rotate on non-specific EOI */
		n = best_of(c, c->isr);
		if (n >= 0) {
			c->isr &= (uint8_t)~(1u << n);
			if (v >> 5 == 5)
				c->lowest = (uint8_t)n;
		}
		break;
	case 3: c->isr &= (uint8_t)~(1u << level); break; /* specific EOI */
	case 7: /* rotate on specific EOI */
		c->isr &= (uint8_t)~(1u << level);
		c->lowest = (uint8_t)level;
		break;
	case 6: c->lowest = (uint8_t)level; break; /* set priority */
	default: break; /* 2: no operation */
	}
}

static void write_ocw3(struct pic8259 *c, uint8_t v)
{
	if (v & 0x04)
		c->poll = true;
	if (v & 0x02)
		c->read_isr = v & 1;
	if (v & 0x40)
		c->special_mask = v & 0x20;
}

static void write_data(struct pic8259 *c, uint8_t v)
{
	switch (c->init_step) {
	case 2:
		c->base = v & 0xf8;
		c->init_step = c->single ? (c->icw4_needed ? 4 : 0) : 3;
		break;
	case 3:
		c->icw3 = v;
		c->init_step = c->icw4_needed ? 4 : 0;
		break;
	case 4: /* ICW4: bit 0 uPM (8086 mode assumed), AEOI, BUF/MS, SFNM */
		c->auto_eoi = v & 2;
		c->sfnm = v & 0x10;
		c->init_step = 0;
		break;
	default:
		c->imr = v; /* OCW1 */
		break;
	}
}

/* Poll command: the next read of the command port is an INTA. */
static uint8_t poll_read(struct pic *p, unsigned idx)
{
	struct pic8259 *c = &p->chip[idx];
	c->poll = false;
	int n = chip_pending(c, idx == 0);
	if (n < 0)
		return 0;
	chip_ack(c, (unsigned)n);
	update(p);
	return (uint8_t)(0x80 | n);
}

uint8_t pic_port_read(struct pic *p, uint16_t port)
{
	if (port == 0x4d0 || port == 0x4d1)
		return p->chip[port & 1].elcr;
	unsigned idx = (port & 0x80) ? 1 : 0;
	struct pic8259 *c = &p->chip[idx];
	if (port & 1)
		return c->imr;
	if (c->poll)
		return poll_read(p, idx);
	return c->read_isr ? c->isr : c->irr;
}

void pic_port_write(struct pic *p, uint16_t port, uint8_t v)
{
	if (port == 0x4d0 || port == 0x4d1) {
		struct pic8259 *c = &p->chip[port & 1];
		c->elcr = v & c->elcr_mask;
		uint8_t lv = level_mask(c);
		c->irr = (uint8_t)((c->irr & ~lv) | (c->lines & lv));
	} else {
		struct pic8259 *c = &p->chip[(port & 0x80) ? 1 : 0];
		if (port & 1)
			write_data(c, v);
		else if (v & 0x10)
			write_icw1(c, v);
		else if (v & 0x08)
			write_ocw3(c, v);
		else
			write_ocw2(c, v);
	}
	update(p);
}

static uint8_t byte_in(void *ctx, uint16_t port) { return pic_port_read(ctx, port); }
static void byte_out(void *ctx, uint16_t port, uint8_t v) { pic_port_write(ctx, port, v); }

static uint32_t io_in(void *ctx, uint16_t port, unsigned size)
{
	uint16_t base = port & ~1u;
	return port_split_in(ctx, port, size, base, 2, byte_in);
}

static void io_out(void *ctx, uint16_t port, unsigned size, uint32_t v)
{
	uint16_t base = port & ~1u;
	port_split_out(ctx, port, size, v, base, 2, byte_out);
}

static const struct pac_port_ops pic_ops = { io_in, io_out };

int pic_init(struct pic *p, pac_machine *m, struct irq_bus *bus)
{
	pic_reset(p);
	int err = pac_register_ports(m, 0x20, 2, &pic_ops, p);
	if (!err)
		err = pac_register_ports(m, 0xa0, 2, &pic_ops, p);
	if (!err)
		err = pac_register_ports(m, 0x4d0, 2, &pic_ops, p);
	if (!err && bus && irq_bus_add_sink(bus, bus_sink, p) != 0)
		err = PAC_ERR_RANGE;
	return err;
}
