/* SPDX-License-Identifier: MIT */
/* MC146818 RTC (Motorola MC146818A data sheet): time/date registers in BCD
 * or binary and 12/24-hour format, registers A-D, update-in-progress, the
 * periodic, alarm and update-ended interrupts on IRQ 8 (register C clears
 * on read), and 128 bytes of NVRAM. The clock is not stepped: while it
 * ticks, time = base + (now + divider phase) / 1 s; interrupt flags are
 * accounted lazily up to "now", and a timer is armed only when an enabled
 * flag can raise IRQ 8. */
#include <string.h>
#include "cmos.h"
#include "ioport_util.h"

#define NS 1000000000ull
#define REG_A 0x0a
#define REG_B 0x0b
#define REG_C 0x0c
#define REG_D 0x0d
#define REG_CENTURY 0x32
#define A_UIP 0x80
#define B_SET 0x80
#define B_PIE 0x40
#define B_AIE 0x20
#define B_UIE 0x10
#define B_BIN 0x04
#define B_24H 0x02
#define C_IRQF 0x80
#define C_PF 0x40
#define C_AF 0x20
#define C_UF 0x10

static bool divider_reset(const struct cmos *c) { return (c->ram[REG_A] & 0x60) == 0x60; }
static bool ticking(const struct cmos *c) { return !divider_reset(c) && !(c->ram[REG_B] & B_SET); }

static uint8_t enc(const struct cmos *c, unsigned v)
{
	return (c->ram[REG_B] & B_BIN) ? (uint8_t)v : (uint8_t)((v / 10 % 10) << 4 | v % 10);
}

static unsigned dec(const struct cmos *c, uint8_t v)
{
	return (c->ram[REG_B] & B_BIN) ? v : (v >> 4) * 10u + (v & 15);
}

static uint8_t enc_hour(const struct cmos *c, unsigned h)
{
	if (c->ram[REG_B] & B_24H)
		return enc(c, h);
	unsigned h12 = h % 12 ? h % 12 : 12;
	return (uint8_t)(enc(c, h12) | (h >= 12 ? 0x80 : 0));
}

static unsigned dec_hour(const struct cmos *c, uint8_t v)
{
	if (c->ram[REG_B] & B_24H)
		return dec(c, v) % 24;
	unsigned h = dec(c, v & 0x7f) % 12;
	return (v & 0x80) ? h + 12 : h;
}

/* Seconds elapsed on the divider chain at time now. */
static uint64_t div_seconds(const struct cmos *c, uint64_t now)
{
	return (now + c->shift) / NS;
}

static uint64_t now_ns(const struct cmos *c) { return pac_time_ns(c->m); }

/* Writes time t (seconds since 1970) into registers 0-9 and the century. */
static void store_time(struct cmos *c, int64_t t)
{
	int64_t days = t / 86400, sod = t % 86400, y;
	unsigned mon, day;
	if (sod < 0) {
		sod += 86400;
		days--;
	}
	civil_from_days(days, &y, &mon, &day);
	c->ram[0] = enc(c, (unsigned)(sod % 60));
	c->ram[2] = enc(c, (unsigned)(sod / 60 % 60));
	c->ram[4] = enc_hour(c, (unsigned)(sod / 3600));
	c->ram[6] = (uint8_t)(((days % 7 + 7 + 4) % 7) + 1); /* 1970-01-01: Thursday; Sunday = 1 */
	c->ram[7] = enc(c, day);
	c->ram[8] = enc(c, mon);
	c->ram[9] = enc(c, (unsigned)(((y % 100) + 100) % 100));
	c->ram[REG_CENTURY] = enc(c, (unsigned)(((y / 100) % 100 + 100) % 100));
}

/* Reads the registers back as seconds since 1970 (out-of-range fields are
 * reduced into range rather than trusted). */
static int64_t load_time(const struct cmos *c)
{
	unsigned sec = dec(c, c->ram[0]) % 60, min = dec(c, c->ram[2]) % 60;
	unsigned hour = dec_hour(c, c->ram[4]);
	unsigned day = dec(c, c->ram[7]), mon = dec(c, c->ram[8]);
	int64_t year = dec(c, c->ram[REG_CENTURY]) % 100 * 100 + dec(c, c->ram[9]) % 100;
	day = day < 1 ? 1 : day > 31 ? 31 : day;
	mon = mon < 1 ? 1 : mon > 12 ? 12 : mon;
	return days_from_civil(year, mon, day) * 86400 + hour * 3600 + min * 60 + sec;
}

int64_t cmos_time(struct cmos *c)
{
	if (ticking(c))
		return c->base_s + (int64_t)div_seconds(c, now_ns(c));
	return load_time(c);
}

/* Restart the time base from the registers, keeping the divider phase. */
static void rebase(struct cmos *c)
{
	c->base_s = load_time(c) - (int64_t)div_seconds(c, now_ns(c));
}

/* Periodic rate from RS3-0 in 32.768 kHz cycles (data sheet Table 5). */
static uint32_t periodic_cycles(const struct cmos *c)
{
	unsigned rs = c->ram[REG_A] & 15;
	if (rs == 0)
		return 0;
	return rs <= 2 ? 1u << (rs + 6) : 1u << (rs - 1);
}

/* 32.768 kHz cycles of the divider chain at time now (1 s = 1953125 * 512 ns). */
static uint64_t cycles32(const struct cmos *c, uint64_t now)
{
	uint64_t x = now + c->shift;
	return x / 1953125 * 64 + x % 1953125 * 64 / 1953125;
}

static uint64_t cycle32_time(const struct cmos *c, uint64_t k)
{
	return k / 64 * 1953125 + (k % 64 * 1953125 + 63) / 64 - c->shift;
}

static bool alarm_field(uint8_t alarm, uint8_t now)
{
	return (alarm & 0xc0) == 0xc0 || alarm == now;
}

static bool alarm_matches(struct cmos *c, int64_t t)
{
	int64_t sod = ((t % 86400) + 86400) % 86400;
	return alarm_field(c->ram[1], enc(c, (unsigned)(sod % 60))) &&
	       alarm_field(c->ram[3], enc(c, (unsigned)(sod / 60 % 60))) &&
	       alarm_field(c->ram[5], enc_hour(c, (unsigned)(sod / 3600)));
}

/* Sets PF/UF/AF for every event in (acc_ns, now] and updates IRQF. */
static void account(struct cmos *c, uint64_t now)
{
	uint64_t from = c->acc_ns;
	uint32_t per = periodic_cycles(c);
	if (now <= from)
		goto irqf;
	if (per && !divider_reset(c) && cycles32(c, now) / per > cycles32(c, from) / per)
		c->ram[REG_C] |= C_PF;
	if (ticking(c)) {
		uint64_t s0 = div_seconds(c, from), s1 = div_seconds(c, now);
		if (s1 > s0) {
			c->ram[REG_C] |= C_UF;
			uint64_t first = s1 - s0 > 86400 ? s1 - 86400 : s0 + 1;
			for (uint64_t s = first; s <= s1 && !(c->ram[REG_C] & C_AF); s++)
				if (alarm_matches(c, c->base_s + (int64_t)s))
					c->ram[REG_C] |= C_AF;
		}
	}
	c->acc_ns = now;
irqf:;
	uint8_t en = c->ram[REG_B] & (B_PIE | B_AIE | B_UIE);
	if (c->ram[REG_C] & en & (C_PF | C_AF | C_UF))
		c->ram[REG_C] |= C_IRQF;
	irq_set(&c->irq8, c->ram[REG_C] & C_IRQF);
}

/* Arms the timer at the next event that could raise IRQF. */
static void rearm(struct cmos *c)
{
	uint64_t now = now_ns(c), next = UINT64_MAX;
	uint32_t per = periodic_cycles(c);
	uint8_t b = c->ram[REG_B];
	if (!(c->ram[REG_C] & C_IRQF)) {
		if ((b & B_PIE) && per && !divider_reset(c))
			next = cycle32_time(c, (cycles32(c, now) / per + 1) * per);
		if ((b & (B_UIE | B_AIE)) && ticking(c)) {
			uint64_t sec = (div_seconds(c, now) + 1) * NS - c->shift;
			next = sec < next ? sec : next;
		}
	}
	if (next == UINT64_MAX)
		pac_timer_cancel(c->m, c->timer);
	else
		pac_timer_arm(c->m, c->timer, next);
}

static void rtc_timer(void *ctx, uint64_t now)
{
	struct cmos *c = ctx;
	account(c, now);
	rearm(c);
}

static uint8_t read_reg(struct cmos *c, unsigned idx)
{
	uint64_t now = now_ns(c);
	uint8_t v;
	switch (idx) {
	case 0: case 2: case 4: case 6: case 7: case 8: case 9: case REG_CENTURY:
		if (ticking(c))
			store_time(c, cmos_time(c));
		return c->ram[idx];
	case REG_A:
		v = c->ram[REG_A] & 0x7f;
		if (ticking(c) && (now + c->shift) % NS >= NS - CMOS_UIP_NS)
			v |= A_UIP;
		return v;
	case REG_C:
		account(c, now);
		v = c->ram[REG_C];
		c->ram[REG_C] = 0;
		irq_set(&c->irq8, false);
		rearm(c);
		return v;
	case REG_D:
		return 0x80; /* valid RAM and time */
	default:
		return c->ram[idx & 0x7f];
	}
}

/* Keeps the running time across a change of register A or B: a format
 * change does not reinterpret the time; leaving SET or the divider reset
 * takes the time from the registers. */
static void change_ctl(struct cmos *c, unsigned idx, uint8_t v)
{
	bool was = ticking(c);
	int64_t t = cmos_time(c);
	c->ram[idx] = v;
	if (ticking(c)) {
		if (was)
			c->base_s = t - (int64_t)div_seconds(c, now_ns(c));
		else
			rebase(c);
	} else if (was) {
		store_time(c, t);
	}
}

static void write_a(struct cmos *c, uint8_t v)
{
	bool was_reset = divider_reset(c);
	if (was_reset && (v & 0x60) != 0x60) {
		/* the first update comes 500 ms after the divider restarts */
		uint64_t now = now_ns(c);
		c->shift = (NS / 2 + NS - now % NS) % NS;
		c->acc_ns = now;
	}
	change_ctl(c, REG_A, v & 0x7f);
}

static void write_b(struct cmos *c, uint8_t v)
{
	if (v & B_SET)
		v &= (uint8_t)~B_UIE; /* SET clears UIE (as QEMU) */
	change_ctl(c, REG_B, v);
}

static void write_reg(struct cmos *c, unsigned idx, uint8_t v)
{
	account(c, now_ns(c));
	switch (idx) {
	case 0: case 2: case 4: case 6: case 7: case 8: case 9: case REG_CENTURY:
		if (ticking(c))
			store_time(c, cmos_time(c));
		c->ram[idx] = v;
		if (ticking(c))
			rebase(c);
		break;
	case REG_A: write_a(c, v); break;
	case REG_B: write_b(c, v); break;
	case REG_C: case REG_D: break; /* read-only */
	default: c->ram[idx & 0x7f] = v; break;
	}
	account(c, now_ns(c));
	rearm(c);
}

uint8_t cmos_port_read(struct cmos *c, uint16_t port)
{
	if ((port & 1) == 0)
		return 0xff; /* the index port is write-only */
	return read_reg(c, c->index);
}

void cmos_port_write(struct cmos *c, uint16_t port, uint8_t v)
{
	if ((port & 1) == 0) {
		c->index = v & 0x7f;
		c->nmi_masked = v & 0x80;
	} else {
		write_reg(c, c->index, v);
	}
}

bool cmos_nmi_masked(const struct cmos *c)
{
	return c->nmi_masked;
}

static uint16_t kib_clamp(uint64_t v)
{
	return v > 0xffff ? 0xffff : (uint16_t)v;
}

static void checksum(struct cmos *c)
{
	unsigned sum = 0;
	for (unsigned i = 0x10; i <= 0x2d; i++)
		sum += c->ram[i];
	c->ram[0x2e] = (uint8_t)(sum >> 8);
	c->ram[0x2f] = (uint8_t)sum;
}

void cmos_set_memory(struct cmos *c, uint64_t low, uint64_t high)
{
	uint16_t ext = kib_clamp(low > (1u << 20) ? (low >> 10) - 1024 : 0);
	uint16_t above16 = kib_clamp(low > (16u << 20) ? (low - (16u << 20)) >> 16 : 0);
	uint64_t above4g = high >> 16;
	c->ram[0x15] = 640 & 0xff;
	c->ram[0x16] = 640 >> 8;
	c->ram[0x17] = c->ram[0x30] = (uint8_t)ext;
	c->ram[0x18] = c->ram[0x31] = (uint8_t)(ext >> 8);
	c->ram[0x34] = (uint8_t)above16;
	c->ram[0x35] = (uint8_t)(above16 >> 8);
	c->ram[0x5b] = (uint8_t)above4g;
	c->ram[0x5c] = (uint8_t)(above4g >> 8);
	c->ram[0x5d] = (uint8_t)(above4g >> 16);
	checksum(c);
}

static uint8_t byte_in(void *ctx, uint16_t port) { return cmos_port_read(ctx, port); }
static void byte_out(void *ctx, uint16_t port, uint8_t v) { cmos_port_write(ctx, port, v); }
static uint32_t io_in(void *ctx, uint16_t port, unsigned size)
{
	return port_split_in(ctx, port, size, 0x70, 2, byte_in);
}
static void io_out(void *ctx, uint16_t port, unsigned size, uint32_t v)
{
	port_split_out(ctx, port, size, v, 0x70, 2, byte_out);
}
static const struct pac_port_ops cmos_ops = { io_in, io_out };

int cmos_init(struct cmos *c, pac_machine *m, struct irq_bus *bus, int64_t base)
{
	memset(c, 0, sizeof *c);
	c->m = m;
	if (bus && irq_line_init(&c->irq8, bus, 8) != 0)
		return PAC_ERR_RANGE;
	c->timer = pac_timer_create(m, rtc_timer, c);
	if (c->timer < 0)
		return c->timer;
	c->ram[REG_A] = 0x26; /* 32.768 kHz divider, 1024 Hz periodic rate */
	c->ram[REG_B] = B_24H; /* BCD, 24-hour */
	c->ram[0x10] = 0x00;  /* no floppy drives */
	c->ram[0x14] = 0x06;  /* equipment: coprocessor, PS/2 mouse port (as QEMU) */
	c->acc_ns = now_ns(c);
	c->base_s = base - (int64_t)div_seconds(c, c->acc_ns);
	store_time(c, cmos_time(c));
	checksum(c);
	return pac_register_ports(m, 0x70, 2, &cmos_ops, c);
}
