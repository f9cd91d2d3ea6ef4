/* SPDX-License-Identifier: MIT */
/* 8254 PIT (Intel 8254 data sheet, "Modes of operation"). The counters are
 * not stepped: the state of a channel is "it held n at tick load", and its
 * value and OUT at any tick follow from the mode's rules in closed form. A
 * count written loads on the next CLK. Channel 0's OUT drives IRQ 0; a timer
 * fires at each OUT transition only. */
#include <string.h>
#include "pit.h"
#include "ioport_util.h"

#define NS_PER_S 1000000000ull
#define NEVER UINT64_MAX

uint64_t pit_ticks(uint64_t ns)
{
	return ns / NS_PER_S * PIT_HZ + ns % NS_PER_S * PIT_HZ / NS_PER_S;
}

uint64_t pit_tick_time(uint64_t tick)
{
	uint64_t q = tick / PIT_HZ, r = tick % PIT_HZ;
	return q * NS_PER_S + (r * NS_PER_S + PIT_HZ - 1) / PIT_HZ;
}

static uint32_t modulus(const struct pit_channel *c)
{
	return c->bcd ? 10000 : 65536;
}

static uint64_t now_tick(struct pit *p)
{
	return pit_ticks(pac_time_ns(p->m));
}

/* Elapsed ticks since the phase in effect at tick t loaded; false while no
 * count has loaded yet (null count). */
static bool elapsed(const struct pit_channel *c, uint64_t t, uint64_t *e, uint32_t *n)
{
	if (!c->counting)
		return false;
	if (c->frozen) {
		*e = c->frozen_e;
		*n = c->cur.n;
		return true;
	}
	const struct pit_phase *ph = &c->cur;
	if (t < c->cur.load) {
		if (!c->has_prev || t < c->prev.load)
			return false;
		ph = &c->prev;
	}
	*e = t - ph->load;
	*n = ph->n;
	return true;
}

static bool out_at(const struct pit_channel *c, uint64_t t)
{
	uint64_t e;
	uint32_t n;
	if (!elapsed(c, t, &e, &n))
		return c->mode != 0; /* OUT after the control word */
	switch (c->mode) {
	case 0:
	case 1: return e >= n;
	case 2: return e % n != n - 1;
	case 3: return c->frozen || e % n < (n + 1) / 2;
	default: return e != n; /* 4, 5: one-tick strobe */
	}
}

/* Mode 3 counts down by two (odd counts: N, N-1, N-3 ... then N, N-3 ...). */
static uint32_t square_value(uint32_t n, uint64_t e)
{
	uint32_t p = (uint32_t)(e % n), h = (n + 1) / 2;
	if (p < h)
		return p == 0 ? n : (n & 1 ? n + 1 - 2 * p : n - 2 * p);
	p -= h;
	return p == 0 ? n : (n & 1 ? n - 1 - 2 * p : n - 2 * p);
}

static uint32_t value_at(const struct pit_channel *c, uint64_t t)
{
	uint32_t mod = modulus(c), n;
	uint64_t e;
	if (!elapsed(c, t, &e, &n))
		return c->cur.n % mod;
	switch (c->mode) {
	case 2: return (uint32_t)(n - e % n) % mod;
	case 3: return square_value(n, e) % mod;
	default: return (uint32_t)((n + mod - e % mod) % mod);
	}
}

/* First tick > after (and >= load) at which OUT of a phase changes. */
static uint64_t phase_next(unsigned mode, const struct pit_phase *ph, uint64_t after)
{
	uint64_t e0 = after < ph->load ? 0 : after + 1 - ph->load, n = ph->n, r, e;
	switch (mode) {
	case 0:
		if (e0 > n) return NEVER;
		e = n;
		break;
	case 1:
		if (e0 > n) return NEVER;
		e = e0 == 0 ? 0 : n;
		break;
	case 2:
		if (n < 2) return NEVER;
		r = e0 % n;
		e = (e0 > 0 && r == 0) ? e0 : e0 - r + n - 1;
		break;
	case 3:
		if (n < 2) return NEVER;
		r = e0 % n;
		if (e0 > 0 && r == 0) e = e0;
		else if (r <= (n + 1) / 2) e = e0 - r + (n + 1) / 2;
		else e = e0 - r + n;
		break;
	default:
		if (e0 > n + 1) return NEVER;
		e = e0 <= n ? n : n + 1;
		break;
	}
	return ph->load + e;
}

static uint64_t next_change(const struct pit_channel *c, uint64_t after)
{
	if (!c->counting || c->frozen)
		return NEVER;
	if (c->has_prev && after + 1 < c->cur.load && after >= c->prev.load) {
		uint64_t t = phase_next(c->mode, &c->prev, after);
		if (t <= c->cur.load)
			return t;
	}
	return phase_next(c->mode, &c->cur, after < c->cur.load ? c->cur.load : after);
}

/* Catches channel 0's IRQ line up with OUT, re-arms at the next change. A
 * rising edge missed in between (late timer) is replayed as a pulse. */
static void ch0_update(struct pit *p)
{
	struct pit_channel *c = &p->ch[0];
	uint64_t t = now_tick(p), x = p->last_tick;
	bool rise = false;
	for (int i = 0; i < 2 && !rise; i++) {
		uint64_t nc = next_change(c, x);
		if (nc > t)
			break;
		rise = out_at(c, nc);
		x = nc;
	}
	bool level = out_at(c, t);
	if (rise) {
		if (p->irq0.level)
			irq_set(&p->irq0, false);
		irq_set(&p->irq0, true);
	}
	irq_set(&p->irq0, level);
	p->last_tick = t;
	uint64_t nc = next_change(c, t);
	if (nc == NEVER)
		pac_timer_cancel(p->m, p->timer);
	else
		pac_timer_arm(p->m, p->timer, pit_tick_time(nc));
}

static void ch0_timer(void *ctx, uint64_t now)
{
	ch0_update(ctx);
}

bool pit_out(struct pit *p, unsigned ch)
{
	return ch < 3 && out_at(&p->ch[ch], now_tick(p));
}

uint32_t pit_count(struct pit *p, unsigned ch)
{
	return ch < 3 ? value_at(&p->ch[ch], now_tick(p)) : 0;
}

static bool null_count(const struct pit_channel *c, uint64_t t)
{
	return !c->count_written || !c->counting || t < c->cur.load ||
	       ((c->mode == 1 || c->mode == 5) && c->next_n != c->cur.n);
}

static void write_control(struct pit_channel *c, uint8_t v)
{
	c->ctrl = v & 0x3f;
	c->rw = (v >> 4) & 3;
	c->mode = (v >> 1) & 7;
	if (c->mode >= 6)
		c->mode -= 4; /* x10 = mode 2, x11 = mode 3 */
	c->bcd = v & 1;
	c->counting = c->count_written = c->has_prev = false;
	c->write_hi = c->read_hi = false;
	c->latch_bytes = 0;
	c->status_latched = false;
	c->frozen = !c->gate && c->mode != 1 && c->mode != 5;
	c->frozen_e = 0;
}

static uint32_t decode_count(const struct pit_channel *c, uint16_t v)
{
	uint32_t n = v;
	if (c->bcd)
		n = (((v >> 12) & 15) * 1000u + ((v >> 8) & 15) * 100u + ((v >> 4) & 15) * 10u +
		     (v & 15)) % 10000u;
	return n ? n : modulus(c);
}

/* A complete initial count: when it takes effect depends on the mode. */
static void load_count(struct pit_channel *c, uint16_t v, uint64_t t)
{
	uint32_t n = decode_count(c, v);
	c->count_written = true;
	if (c->mode == 1 || c->mode == 5) {
		c->next_n = n; /* used at the next gate trigger */
		return;
	}
	if ((c->mode == 2 || c->mode == 3) && c->counting && !c->frozen && t >= c->cur.load) {
		/* the new count starts at the end of the current period */
		uint64_t k = (t - c->cur.load) / c->cur.n + 1;
		c->prev = c->cur;
		c->has_prev = true;
		c->cur.load = c->prev.load + k * c->prev.n;
		c->cur.n = n;
		return;
	}
	c->cur.load = t + 1;
	c->cur.n = n;
	c->has_prev = false;
	c->counting = true;
	c->frozen_e = 0;
}

void pit_set_gate(struct pit *p, unsigned ch, bool level)
{
	if (ch >= 3 || p->ch[ch].gate == level)
		return;
	struct pit_channel *c = &p->ch[ch];
	uint64_t t = now_tick(p), e = 0;
	uint32_t n;
	bool strobe_mode = c->mode == 1 || c->mode == 5;
	if (ch == 0)
		ch0_update(p);
	c->gate = level;
	if (level && strobe_mode) {
		if (c->count_written) { /* trigger: load on the next CLK */
			c->cur.load = t + 1;
			c->cur.n = c->next_n;
			c->has_prev = false;
			c->counting = true;
		}
	} else if (level && c->frozen) {
		c->frozen = false;
		c->has_prev = false;
		/* modes 2/3 reload on the next CLK; modes 0/4 resume counting */
		c->cur.load = (c->mode == 2 || c->mode == 3) ? t + 1 : t - c->frozen_e;
	} else if (!level && !strobe_mode) {
		if (!elapsed(c, t, &e, &n))
			e = 0;
		c->frozen_e = e;
		c->frozen = true;
	}
	if (ch == 0)
		ch0_update(p);
}

static uint16_t encode(const struct pit_channel *c, uint32_t v)
{
	if (!c->bcd)
		return (uint16_t)v;
	v %= 10000;
	return (uint16_t)((v / 1000) << 12 | (v / 100 % 10) << 8 | (v / 10 % 10) << 4 | (v % 10));
}

static void latch_count(struct pit_channel *c, uint64_t t)
{
	if (c->latch_bytes)
		return; /* a latched count is held until read */
	c->latched = encode(c, value_at(c, t));
	c->latch_bytes = c->rw == 3 ? 2 : 1;
}

static void latch_status(struct pit_channel *c, uint64_t t)
{
	if (c->status_latched)
		return;
	c->status = (uint8_t)((out_at(c, t) ? 0x80 : 0) | (null_count(c, t) ? 0x40 : 0) | c->ctrl);
	c->status_latched = true;
}

static void write_mode_port(struct pit *p, uint8_t v)
{
	uint64_t t = now_tick(p);
	unsigned sc = v >> 6;
	if (sc == 3) { /* read-back: bit 5 = !COUNT, bit 4 = !STATUS */
		for (unsigned i = 0; i < 3; i++) {
			if (!(v & (2u << i)))
				continue;
			if (!(v & 0x10))
				latch_status(&p->ch[i], t);
			if (!(v & 0x20))
				latch_count(&p->ch[i], t);
		}
		return;
	}
	if (((v >> 4) & 3) == 0) {
		latch_count(&p->ch[sc], t);
		return;
	}
	if (sc == 0)
		ch0_update(p);
	write_control(&p->ch[sc], v);
	if (sc == 0)
		ch0_update(p);
}

static uint8_t read_counter(struct pit *p, struct pit_channel *c)
{
	if (c->status_latched) {
		c->status_latched = false;
		return c->status;
	}
	if (c->latch_bytes) {
		bool msb = c->rw == 2 || (c->rw == 3 && c->latch_bytes == 1);
		c->latch_bytes--;
		return (uint8_t)(msb ? c->latched >> 8 : c->latched);
	}
	uint16_t v = encode(c, value_at(c, now_tick(p)));
	bool msb = c->rw == 2 || (c->rw == 3 && c->read_hi);
	if (c->rw == 3)
		c->read_hi = !c->read_hi;
	return (uint8_t)(msb ? v >> 8 : v);
}

/* Mode 0: writing the first byte of a new count stops the counter (it
 * holds its value) and sets OUT low at once (8254 data sheet, mode 0). */
static void stop_mode0(struct pit *p, unsigned ch)
{
	struct pit_channel *c = &p->ch[ch];
	if (ch == 0)
		ch0_update(p);
	c->cur.n = value_at(c, now_tick(p));
	c->counting = false;
	if (ch == 0)
		ch0_update(p);
}

static void write_counter(struct pit *p, unsigned ch, uint8_t v)
{
	struct pit_channel *c = &p->ch[ch];
	uint16_t count;
	if (c->rw == 0)
		return; /* no control word yet */
	if (c->rw == 3 && !c->write_hi) {
		c->write_lsb = v;
		c->write_hi = true;
		if (c->mode == 0 && c->counting)
			stop_mode0(p, ch);
		return;
	}
	count = c->rw == 1 ? v : c->rw == 2 ? (uint16_t)(v << 8) : (uint16_t)(c->write_lsb | v << 8);
	c->write_hi = false;
	if (ch == 0)
		ch0_update(p);
	load_count(c, count, now_tick(p));
	if (ch == 0)
		ch0_update(p);
}

uint8_t pit_port_read(struct pit *p, uint16_t port)
{
	if (port == 0x61) {
		unsigned refresh = (unsigned)(now_tick(p) / 18) & 1; /* channel 1 at 18 */
		return (uint8_t)((p->port61 & 0x0f) | refresh << 4 | (pit_out(p, 2) ? 0x20 : 0));
	}
	if (port < 0x40 || port > 0x42)
		return 0xff; /* the control register cannot be read */
	return read_counter(p, &p->ch[port - 0x40]);
}

void pit_port_write(struct pit *p, uint16_t port, uint8_t v)
{
	if (port == 0x61) {
		p->port61 = v & 0x0f;
		pit_set_gate(p, 2, v & 1);
	} else if (port == 0x43) {
		write_mode_port(p, v);
	} else if (port >= 0x40 && port <= 0x42) {
		write_counter(p, port - 0x40u, v);
	}
}

static uint8_t byte_in(void *ctx, uint16_t port) { return pit_port_read(ctx, port); }
static void byte_out(void *ctx, uint16_t port, uint8_t v) { pit_port_write(ctx, port, v); }

static uint32_t io_in(void *ctx, uint16_t port, unsigned size)
{
	return port == 0x61 ? port_split_in(ctx, port, size, 0x61, 1, byte_in)
			    : port_split_in(ctx, port, size, 0x40, 4, byte_in);
}

static void io_out(void *ctx, uint16_t port, unsigned size, uint32_t v)
{
	if (port == 0x61)
		port_split_out(ctx, port, size, v, 0x61, 1, byte_out);
	else
		port_split_out(ctx, port, size, v, 0x40, 4, byte_out);
}

static const struct pac_port_ops pit_ops = { io_in, io_out };

void pit_reset(struct pit *p)
{
	for (unsigned i = 0; i < 3; i++) {
		struct pit_channel *c = &p->ch[i];
		memset(c, 0, sizeof *c);
		c->gate = i != 2; /* channel 2's gate is port 0x61 bit 0 */
		c->cur.n = 65536;
		c->mode = 3; /* not counting: OUT high until programmed */
		c->ctrl = 0x06; /* status reads mode 3, no access mode (as QEMU) */
	}
	p->port61 = 0;
	p->last_tick = now_tick(p);
	ch0_update(p); /* IRQ 0 follows OUT0 (high) */
}

int pit_init(struct pit *p, pac_machine *m, struct irq_bus *bus)
{
	memset(p, 0, sizeof *p);
	p->m = m;
	if (bus && irq_line_init(&p->irq0, bus, 0) != 0)
		return PAC_ERR_RANGE;
	p->timer = pac_timer_create(m, ch0_timer, p);
	if (p->timer < 0)
		return p->timer;
	pit_reset(p);
	int err = pac_register_ports(m, 0x40, 4, &pit_ops, p);
	if (!err)
		err = pac_register_ports(m, 0x61, 1, &pit_ops, p);
	return err;
}
