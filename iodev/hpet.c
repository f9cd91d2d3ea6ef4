/* SPDX-License-Identifier: MIT */
/* HPET: the main counter is not stepped; it is counter + (now - enable_ns)
 * / 10 while enabled. Each comparator arms a virtual-time timer at its next
 * match (main counter == comparator, in 32 or 64 bits: a one-shot
 * comparator matches again after the counter wraps, IA-PC HPET 2.3.9.2). */
#include <string.h>
#include "hpet.h"

#define R_CAP 0x000
#define R_CONF 0x010
#define R_ISR 0x020
#define R_COUNTER 0x0f0
#define R_TIMER0 0x100
#define CONF_ENABLE 1ull
#define CONF_LEGACY 2ull
#define TN_LEVEL (1ull << 1)
#define TN_ENABLE (1ull << 2)
#define TN_PERIODIC (1ull << 3)
#define TN_PER_CAP (1ull << 4)
#define TN_SIZE_CAP (1ull << 5)
#define TN_SETVAL (1ull << 6)
#define TN_32BIT (1ull << 8)
#define TN_ROUTE_SHIFT 9
#define TN_WRITABLE 0x3f4eull
#define NEVER UINT64_MAX

uint32_t hpet_block_id(void)
{
	/* vendor 8086, legacy capable, 64-bit counter, 3 timers, revision 1 */
	return 0x8086a201u;
}

static uint64_t now_ns(const struct hpet *h) { return pac_time_ns(h->m); }
static bool enabled(const struct hpet *h) { return h->config & CONF_ENABLE; }

uint64_t hpet_counter(struct hpet *h)
{
	if (!enabled(h))
		return h->counter;
	return h->counter + (now_ns(h) - h->enable_ns) / HPET_NS_PER_TICK;
}

static unsigned route_of(const struct hpet *h, unsigned n)
{
	if ((h->config & CONF_LEGACY) && n < 2)
		return n == 0 ? 0 : 8;
	unsigned r = (unsigned)(h->t[n].config >> TN_ROUTE_SHIFT) & 31;
	return r < IRQ_LINES ? r : IRQ_LINES - 1;
}

/* Line level of a level-triggered timer; edge-triggered lines idle low. */
static void update_line(struct hpet *h, unsigned n)
{
	struct hpet_timer *t = &h->t[n];
	irq_line_route(&t->irq, route_of(h, n));
	bool on = (t->config & TN_LEVEL) && (t->config & TN_ENABLE) && enabled(h) && (h->isr >> n & 1);
	irq_set(&t->irq, on);
}

/* Counter ticks until the comparator next equals the counter (1 .. 2^bits). */
static uint64_t ticks_to_match(const struct hpet_timer *t, uint64_t cur)
{
	if (t->config & TN_32BIT) {
		uint32_t d = (uint32_t)t->cmp - (uint32_t)cur;
		return d ? d : 1ull << 32;
	}
	uint64_t d = t->cmp - cur;
	return d ? d : NEVER;
}

static void arm(struct hpet *h, unsigned n)
{
	struct hpet_timer *t = &h->t[n];
	if (!enabled(h) || !(t->config & TN_ENABLE)) {
		pac_timer_cancel(h->m, t->timer);
		return;
	}
	uint64_t now = now_ns(h), since = (now - h->enable_ns) / HPET_NS_PER_TICK;
	uint64_t d = ticks_to_match(t, h->counter + since);
	if (d == NEVER || d > (NEVER - h->enable_ns) / HPET_NS_PER_TICK - since) {
		pac_timer_cancel(h->m, t->timer);
		return;
	}
	pac_timer_arm(h->m, t->timer, h->enable_ns + (since + d) * HPET_NS_PER_TICK);
}

static void fire(struct hpet *h, unsigned n)
{
	struct hpet_timer *t = &h->t[n];
	uint64_t cur = hpet_counter(h);
	if ((t->config & TN_PERIODIC) && t->period) {
		/* the comparator advances by the period past the counter */
		if (t->config & TN_32BIT) {
			uint32_t p = (uint32_t)t->period, c = (uint32_t)t->cmp;
			c += ((uint32_t)cur - c) / p * p + p;
			t->cmp = c;
		} else {
			t->cmp += (cur - t->cmp) / t->period * t->period + t->period;
		}
	}
	if (t->config & TN_LEVEL) {
		h->isr |= 1ull << n;
		update_line(h, n);
	} else {
		irq_line_route(&t->irq, route_of(h, n));
		irq_pulse(&t->irq);
	}
	arm(h, n);
}

static void timer_cb0(void *ctx, uint64_t now) { fire(ctx, 0); }
static void timer_cb1(void *ctx, uint64_t now) { fire(ctx, 1); }
static void timer_cb2(void *ctx, uint64_t now) { fire(ctx, 2); }

static void refresh_all(struct hpet *h)
{
	for (unsigned n = 0; n < HPET_NTIMERS; n++) {
		update_line(h, n);
		arm(h, n);
	}
}

static uint64_t read_reg(struct hpet *h, uint64_t reg)
{
	if (reg == R_CAP)
		return HPET_PERIOD_FS << 32 | hpet_block_id();
	if (reg == R_CONF)
		return h->config;
	if (reg == R_ISR)
		return h->isr;
	if (reg == R_COUNTER)
		return hpet_counter(h);
	if (reg >= R_TIMER0 && reg < R_TIMER0 + 0x20 * HPET_NTIMERS) {
		const struct hpet_timer *t = &h->t[(reg - R_TIMER0) / 0x20];
		switch (reg & 0x18) {
		case 0x00: return t->config | TN_PER_CAP | TN_SIZE_CAP | (uint64_t)HPET_ROUTE_CAP << 32;
		case 0x08: return t->cmp;
		default: return 0; /* FSB route: FSB delivery not supported */
		}
	}
	return 0;
}

static void write_conf(struct hpet *h, uint64_t v)
{
	uint64_t old = h->config;
	if ((old ^ v) & CONF_ENABLE) {
		h->counter = hpet_counter(h);
		h->enable_ns = now_ns(h);
	}
	h->config = v & (CONF_ENABLE | CONF_LEGACY);
	if (((old ^ h->config) & CONF_LEGACY) && h->legacy)
		h->legacy(h->legacy_ctx, h->config & CONF_LEGACY);
	refresh_all(h);
}

static void write_timer(struct hpet *h, unsigned n, unsigned field, uint64_t v, uint64_t mask)
{
	struct hpet_timer *t = &h->t[n];
	if (field == 0x00) {
		t->config = (t->config & ~(mask & TN_WRITABLE)) | (v & mask & TN_WRITABLE);
		if (t->config & TN_32BIT) {
			t->cmp &= 0xffffffffu;
			t->period &= 0xffffffffu;
		}
	} else if (field == 0x08) {
		if (t->config & TN_32BIT)
			mask &= 0xffffffffu;
		if (!(t->config & TN_PERIODIC) || (t->config & TN_SETVAL))
			t->cmp = (t->cmp & ~mask) | (v & mask);
		if (t->config & TN_PERIODIC)
			t->period = (t->period & ~mask) | (v & mask);
		t->config &= ~TN_SETVAL;
	}
	update_line(h, n);
	arm(h, n);
}

/* v and mask are already aligned to the 64-bit register at reg. */
static void write_reg(struct hpet *h, uint64_t reg, uint64_t v, uint64_t mask)
{
	if (reg == R_CONF) {
		write_conf(h, (h->config & ~mask) | (v & mask));
	} else if (reg == R_ISR) {
		h->isr &= ~(v & mask); /* write 1 to clear */
		refresh_all(h);
	} else if (reg == R_COUNTER) {
		h->counter = (hpet_counter(h) & ~mask) | (v & mask);
		h->enable_ns = now_ns(h);
		refresh_all(h);
	} else if (reg >= R_TIMER0 && reg < R_TIMER0 + 0x20 * HPET_NTIMERS) {
		write_timer(h, (unsigned)(reg - R_TIMER0) / 0x20, (unsigned)reg & 0x18, v, mask);
	}
}

uint64_t hpet_read(struct hpet *h, uint64_t off, unsigned size)
{
	uint64_t v = 0;
	for (unsigned i = 0; i < size && i < 8; i++) {
		uint64_t a = off + i;
		if (a >= HPET_SIZE)
			break;
		v |= (read_reg(h, a & ~7ull) >> (a & 7) * 8 & 0xff) << 8 * i;
	}
	return v;
}

void hpet_write(struct hpet *h, uint64_t off, unsigned size, uint64_t val)
{
	unsigned i = 0;
	while (i < size && i < 8 && off + i < HPET_SIZE) {
		uint64_t reg = (off + i) & ~7ull, v = 0, mask = 0;
		for (; i < size && i < 8 && ((off + i) & ~7ull) == reg; i++) {
			unsigned sh = (unsigned)((off + i) & 7) * 8;
			v |= (val >> 8 * i & 0xff) << sh;
			mask |= 0xffull << sh;
		}
		write_reg(h, reg, v, mask);
	}
}

static uint64_t mmio_read(void *ctx, uint64_t off, unsigned size, unsigned mt)
{
	return hpet_read(ctx, off, size);
}

static void mmio_write(void *ctx, uint64_t off, unsigned size, uint64_t v, unsigned mt)
{
	hpet_write(ctx, off, size, v);
}

static const struct pac_mmio_ops hpet_ops = { mmio_read, mmio_write };

int hpet_init(struct hpet *h, pac_machine *m, struct irq_bus *bus, uint64_t base)
{
	static const pac_timer_fn cbs[HPET_NTIMERS] = { timer_cb0, timer_cb1, timer_cb2 };
	memset(h, 0, sizeof *h);
	h->m = m;
	for (unsigned n = 0; n < HPET_NTIMERS; n++) {
		struct hpet_timer *t = &h->t[n];
		t->cmp = NEVER; /* comparators reset to all ones */
		if (bus && irq_line_init(&t->irq, bus, 0) != 0)
			return PAC_ERR_RANGE;
		t->timer = pac_timer_create(m, cbs[n], h);
		if (t->timer < 0)
			return t->timer;
	}
	return pac_map_mmio(m, base, HPET_SIZE, &hpet_ops, h);
}
