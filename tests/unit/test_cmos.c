/* SPDX-License-Identifier: MIT */
/* CMOS RTC (MC146818A data sheet): default date, time advanced by virtual
 * time, BCD/binary and 12/24-hour formats, setting the time with SET,
 * UIP timing, divider reset, periodic/alarm/update interrupts on IRQ 8 at
 * exact times, register C clearing, NMI mask bit, memory-size bytes. */
#include "test.h"
#include "platform_helpers.h"
#include "../../iodev/cmos.h"
#include "../../iodev/pic.h"

#define S 1000000000ull

static uint8_t rd(struct cmos *c, uint8_t idx)
{
	cmos_port_write(c, 0x70, idx);
	return cmos_port_read(c, 0x71);
}
static void wr(struct cmos *c, uint8_t idx, uint8_t v)
{
	cmos_port_write(c, 0x70, idx);
	cmos_port_write(c, 0x71, v);
}

static void t_dates(void)
{
	int64_t t;
	CHECK(cmos_parse_date("2006-06-17T16:01:21", &t) == 0 && t == 1150560081, "parse date-time");
	CHECK(cmos_parse_date("2026-01-01", &t) == 0 && t == CMOS_DEFAULT_BASE, "parse date");
	CHECK(cmos_parse_date("1900-03-01", &t) == 0 && t == -2203891200ll, "before 1970");
	CHECK(cmos_parse_date("2026-13-01", &t) == -1, "bad month rejected");
	CHECK(cmos_parse_date("2026-01-01T25:00:00", &t) == -1, "bad hour rejected");
	CHECK(cmos_parse_date("yesterday", &t) == -1, "garbage rejected");
	int ok = 1;
	for (int64_t d = -800000; d < 800000; d += 997) {
		int64_t y;
		unsigned mo, dd;
		civil_from_days(d, &y, &mo, &dd);
		ok &= days_from_civil(y, mo, dd) == d;
	}
	CHECK(ok, "civil_from_days inverts days_from_civil");
}

/* Guest code reads the clock through ports 0x70/0x71. */
static void t_guest_read(void)
{
	pac_machine *m = tm_new();
	struct cmos c;
	cmos_init(&c, m, NULL, CMOS_DEFAULT_BASE);
	struct rcode rc = { .n = 0 };
	static const uint8_t regs[] = { 0, 2, 4, 6, 7, 8, 9, 0x32, 0x0a, 0x0b, 0x0d };
	for (unsigned i = 0; i < sizeof regs; i++) {
		rc_out8(&rc, 0x70, regs[i]);
		rc_in8(&rc, 0x71, (uint16_t)(0x600 + i));
	}
	rc_in8(&rc, 0x70, 0x620);
	rc_halt(&rc);
	CHECK_EQ(rc_run(m, &rc, 1000), PAC_EXIT_HLT, "guest ran");
	static const uint8_t want[] = { 0, 0, 0, 5, 1, 1, 0x26, 0x20, 0x26, 0x02, 0x80 };
	for (unsigned i = 0; i < sizeof want; i++)
		CHECK_EQ(rd8(m, 0x600 + i), want[i], "2026-01-01 00:00:00 Thursday, A/B/D defaults");
	CHECK_EQ(rd8(m, 0x620), 0xff, "index port reads 0xFF");
	pac_destroy(m);
}

/* Actions at exact times on one RTC. */
struct rtc_s {
	struct cmos c;
	uint8_t got[16][8];
};
static void clock_fn(void *ctx, unsigned i, uint64_t now)
{
	struct rtc_s *s = ctx;
	struct cmos *c = &s->c;
	switch (i) {
	case 0: /* 1 h 2.5 s */
		s->got[0][0] = rd(c, 0); s->got[0][1] = rd(c, 2); s->got[0][2] = rd(c, 4);
		break;
	case 1: /* 13:00:00.5: binary, 12-hour */
		wr(c, 0x0b, 0x04);
		s->got[1][0] = rd(c, 4); s->got[1][1] = rd(c, 9); s->got[1][2] = rd(c, 0);
		wr(c, 0x0b, 0x02);
		s->got[1][3] = rd(c, 4);
		break;
	case 2: /* set 2026-12-31 23:59:58 */
		wr(c, 0x0b, 0x82);
		wr(c, 0, 0x58); wr(c, 2, 0x59); wr(c, 4, 0x23); wr(c, 7, 0x31); wr(c, 8, 0x12);
		break;
	case 3: /* 1 s later, still SET: frozen */
		s->got[3][0] = rd(c, 0);
		wr(c, 0x0b, 0x02);
		break;
	case 4: /* 3.2 s after SET cleared */
		for (unsigned k = 0; k < 8; k++)
			s->got[4][k] = rd(c, (uint8_t[]){ 0, 2, 4, 6, 7, 8, 9, 0x32 }[k]);
		break;
	case 5: case 6: case 7: /* UIP around a second boundary */
		s->got[i][0] = rd(c, 0x0a);
		break;
	case 8: /* divider reset */
		wr(c, 0x0a, 0x70);
		s->got[8][0] = rd(c, 0);
		break;
	case 9: /* 5 s later: frozen; restart */
		s->got[9][0] = rd(c, 0);
		wr(c, 0x0a, 0x26);
		break;
	case 10: case 11: /* 499 ms / 501 ms after the restart */
		s->got[i][0] = rd(c, 0);
		break;
	}
}

static void t_clock(void)
{
	pac_machine *m = tm_new();
	struct rtc_s s;
	memset(&s, 0, sizeof s);
	cmos_init(&s.c, m, NULL, CMOS_DEFAULT_BASE);
	uint64_t t4 = 13 * 3600 * S + S / 2 + 1 * S + 3 * S + S / 5;
	uint64_t b = 50000 * S; /* a second boundary */
	uint64_t times[12] = { 3602 * S + S / 2, 13 * 3600 * S + S / 2, 13 * 3600 * S + S / 2 + 1,
			       13 * 3600 * S + S / 2 + S, t4, b - 300000, b - 100000, b + 1000,
			       b + 2000, b + 5 * S, b + 5 * S + 499000000, b + 5 * S + 501000000 };
	sched_run(m, times, 12, clock_fn, &s);
	CHECK(s.got[0][0] == 0x02 && s.got[0][1] == 0x00 && s.got[0][2] == 0x01, "01:00:02 after 3602.5 s");
	CHECK_EQ(s.got[1][0], 0x81, "binary 12-hour: 1 PM");
	CHECK_EQ(s.got[1][1], 26, "binary year");
	CHECK_EQ(s.got[1][3], 0x13, "BCD 24-hour again: 13");
	CHECK_EQ(s.got[3][0], 0x58, "SET stops updates");
	static const uint8_t want[8] = { 0x01, 0x00, 0x00, 6, 0x01, 0x01, 0x27, 0x20 };
	CHECK(memcmp(s.got[4], want, 8) == 0, "rolls over to Friday 2027-01-01 00:00:01 (%02x %02x %02x %x %02x %02x %02x %02x)",
	      s.got[4][0], s.got[4][1], s.got[4][2], s.got[4][3], s.got[4][4], s.got[4][5], s.got[4][6], s.got[4][7]);
	CHECK_EQ(s.got[6][0], 0xa6, "UIP set 100 us before the update");
	CHECK_EQ(s.got[5][0], 0x26, "UIP clear 300 us before the update");
	CHECK_EQ(s.got[7][0], 0x26, "UIP clear after the update");
	CHECK_EQ(s.got[9][0], s.got[8][0], "divider reset holds the time");
	CHECK_EQ(s.got[10][0], s.got[9][0], "no update 499 ms after the restart");
	CHECK_EQ(s.got[11][0], (s.got[9][0] + 1) & 0xff, "first update 500 ms after the restart");
	pac_destroy(m);
}

/* IRQ 8 through the PIC to a guest handler that reads register C. */
/* IRQ k (from 0) is expected at ceil((k + 1) * num / den) ns. */
static void t_interrupts(uint8_t b, uint8_t a, uint8_t alarm_s, unsigned want_irqs, uint64_t num,
			 uint64_t den, const char *what)
{
	pac_machine *m = tm_new();
	struct irq_bus bus;
	struct pic pic;
	struct cmos c;
	struct edge_log log = { .m = m, .line = 8 };
	irq_bus_init(&bus);
	pic_init(&pic, m, &bus);
	cmos_init(&c, m, &bus, CMOS_DEFAULT_BASE);
	irq_bus_add_sink(&bus, edge_sink, &log);
	pac_set_intc(m, &pic_intc_ops, &pic);
	/* handler: mov al,0Ch; out 70h,al; in al,71h; mov [0x610],al; inc word [0x600];
	 * mov al,20h; out 0A0h,al; out 20h,al; iret */
	static const uint8_t h[] = { 0xb0, 0x0c, 0xe6, 0x70, 0xe4, 0x71, 0xa2, 0x10, 0x06, 0xff, 0x06,
				     0x00, 0x06, 0xb0, 0x20, 0xe6, 0xa0, 0xe6, 0x20, 0xcf };
	pac_phys_write(m, 0x8000, h, sizeof h);
	uint32_t ent = 0x8000;
	pac_phys_write(m, 0x28 * 4, &ent, 4);
	struct rcode rc = { .n = 0 };
	static const uint8_t pic_init_seq[][2] = { { 0x20, 0x11 }, { 0x21, 0x20 }, { 0x21, 0x04 }, { 0x21, 0x01 },
						   { 0xa0, 0x11 }, { 0xa1, 0x28 }, { 0xa1, 0x02 }, { 0xa1, 0x01 },
						   { 0x21, 0xfb }, { 0xa1, 0xfe } };
	for (unsigned i = 0; i < 10; i++)
		rc_out8(&rc, pic_init_seq[i][0], pic_init_seq[i][1]);
	rc_out8(&rc, 0x70, 0x01); rc_out8(&rc, 0x71, alarm_s);
	rc_out8(&rc, 0x70, 0x03); rc_out8(&rc, 0x71, alarm_s == 0xff ? 0xff : 0);
	rc_out8(&rc, 0x70, 0x05); rc_out8(&rc, 0x71, alarm_s == 0xff ? 0xff : 0);
	rc_out8(&rc, 0x70, 0x0a); rc_out8(&rc, 0x71, a);
	rc_out8(&rc, 0x70, 0x0b); rc_out8(&rc, 0x71, b);
	RC(&rc, 0xfb);
	/* loop: hlt; cmp word [0x600], n; jb loop; cli; hlt */
	RC(&rc, 0xf4, 0x83, 0x3e, 0x00, 0x06, (uint8_t)want_irqs, 0x72, 0xf8, 0xfa, 0xf4);
	CHECK_EQ(rc_run(m, &rc, 2000000), PAC_EXIT_HLT, what);
	uint16_t n = 0;
	pac_phys_read(m, 0x600, &n, 2);
	CHECK_EQ(n, want_irqs, what);
	int exact = log.n >= want_irqs;
	for (unsigned k = 0; k < want_irqs && k < log.n; k++)
		exact &= log.t[k] == ((k + 1) * num + den - 1) / den;
	CHECK(exact, "%s: IRQ 8 at the expected times (first %llu, second %llu)", what,
	      (unsigned long long)log.t[0], (unsigned long long)log.t[1]);
	CHECK_EQ(rd8(m, 0x610) & 0x80, 0x80, "register C had IRQF set in the handler");
	pac_destroy(m);
}

static void t_flags_and_misc(void)
{
	pac_machine *m = tm_new();
	struct cmos c;
	cmos_init(&c, m, NULL, CMOS_DEFAULT_BASE);
	struct rcode rc = { .n = 0 };
	/* spin ~2 ms+: 1024 Hz periodic flag without PIE, and the update flag */
	rc_out8(&rc, 0x70, 0x8c);
	rc_in8(&rc, 0x71, 0x600); /* C at start: 0 */
	RC(&rc, 0x66, 0xb9, 0x40, 0x42, 0x0f, 0x00, 0x66, 0x49, 0x75, 0xfc); /* mov ecx, 1000000; dec; jnz */
	rc_in8(&rc, 0x71, 0x601); /* C: PF, no IRQF */
	rc_in8(&rc, 0x71, 0x602); /* cleared by the read */
	rc_out8(&rc, 0x70, 0x40); rc_out8(&rc, 0x71, 0x5a);
	rc_out8(&rc, 0x70, 0xc0); rc_in8(&rc, 0x71, 0x603);
	rc_halt(&rc);
	rc_run(m, &rc, 3000000);
	CHECK_EQ(rd8(m, 0x600), 0, "C empty at start");
	CHECK_EQ(rd8(m, 0x601), 0x40, "PF set without PIE, no IRQF");
	CHECK_EQ(rd8(m, 0x602), 0, "C cleared on read");
	CHECK_EQ(rd8(m, 0x603), 0x5a, "NVRAM byte 0x40 (index 0xC0 & 0x7F)");
	CHECK(cmos_nmi_masked(&c), "port 0x70 bit 7 masks NMI");
	cmos_port_write(&c, 0x70, 0x0d);
	CHECK(!cmos_nmi_masked(&c), "bit 7 clear unmasks");
	cmos_set_memory(&c, 256u << 20, 0);
	CHECK(rd(&c, 0x15) == 0x80 && rd(&c, 0x16) == 0x02, "base memory 640 KiB");
	CHECK(rd(&c, 0x17) == 0xff && rd(&c, 0x18) == 0xff && rd(&c, 0x30) == 0xff && rd(&c, 0x31) == 0xff,
	      "extended memory capped at 65535 KiB");
	CHECK(rd(&c, 0x34) == 0x00 && rd(&c, 0x35) == 0x0f, "above 16 MiB: 3840 x 64 KiB");
	cmos_set_memory(&c, 0xe0000000ull, 0x120000000ull);
	CHECK(rd(&c, 0x5b) == 0x00 && rd(&c, 0x5c) == 0x20 && rd(&c, 0x5d) == 0x01, "above 4 GiB in 64 KiB units");
	cmos_set_memory(&c, 8u << 20, 0);
	CHECK(rd(&c, 0x17) == 0x00 && rd(&c, 0x18) == 0x1c, "8 MiB: 7168 KiB extended");
	unsigned sum = 0;
	for (unsigned i = 0x10; i <= 0x2d; i++)
		sum += rd(&c, (uint8_t)i);
	CHECK_EQ(rd(&c, 0x2e) << 8 | rd(&c, 0x2f), sum, "checksum over 0x10-0x2D");
	pac_destroy(m);
}

int main(void)
{
	t_dates();
	t_guest_read();
	t_clock();
	t_flags_and_misc();
	/* periodic 1024 Hz (RS = 6): 32 cycles of 30517.578125 ns: k*976562.5 rounded up */
	t_interrupts(0x42, 0x26, 0, 4, 1953125, 2, "periodic 1024 Hz");
	/* periodic 2 Hz (RS = 15): every 500 ms exactly */
	t_interrupts(0x42, 0x2f, 0, 5, S / 2, 1, "periodic 2 Hz");
	/* update-ended: every second boundary */
	t_interrupts(0x12, 0x26, 0, 3, S, 1, "update-ended");
	/* alarm at 00:00:05 (BCD) */
	t_interrupts(0x22, 0x26, 0x05, 1, 5 * S, 1, "alarm at 00:00:05");
	/* alarm with all don't-care bytes: every second */
	t_interrupts(0x22, 0x26, 0xff, 3, S, 1, "don't-care alarm");
	return test_done("cmos");
}
