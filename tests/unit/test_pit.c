/* SPDX-License-Identifier: MIT */
/* 8254 PIT: every mode's counter values and OUT at exact ticks (Intel 8254
 * data sheet, "Modes of operation": a count written loads on the next CLK),
 * latch and read-back, BCD, LSB/MSB-only access, channel 2 gate and OUT on
 * port 0x61, IRQ 0 edges at exactly the expected virtual times, and guest
 * code counting IRQ 0s and calibrating the TSC as Linux does. */
#include "test.h"
#include "platform_helpers.h"
#include "../../iodev/pit.h"
#include "../../iodev/pic.h"

static void t_conversions(void)
{
	CHECK_EQ(pit_ticks(0), 0, "ticks(0)");
	CHECK_EQ(pit_ticks(1000000000ull), PIT_HZ, "ticks(1 s)");
	CHECK_EQ(pit_ticks(838), 0, "838 ns < one tick");
	CHECK_EQ(pit_ticks(839), 1, "839 ns >= one tick (838.095 ns)");
	CHECK_EQ(pit_tick_time(1), 839, "tick 1 at 839 ns");
	CHECK_EQ(pit_tick_time(PIT_HZ), 1000000000ull, "tick PIT_HZ at 1 s");
	uint64_t big = 3600ull * 24 * 365 * 1000000000ull; /* a year: no overflow */
	CHECK_EQ(pit_ticks(big), 3600ull * 24 * 365 * PIT_HZ, "ticks(1 year)");
	int ok = 1;
	for (uint64_t k = 1; k < 5000; k++)
		ok &= pit_ticks(pit_tick_time(k)) == k && pit_ticks(pit_tick_time(k) - 1) == k - 1;
	CHECK(ok, "tick_time is the first ns of each tick");
}

/* A scripted session: at each time, port writes then reads (recorded). */
struct step {
	uint64_t tick;                /* when (PIT ticks after the start) */
	uint8_t nw, w[4][2];          /* (port-0x40 or 0x21 for 0x61, value) */
	uint8_t nr, r[4];             /* ports to read */
};
struct session {
	struct pit pit;
	const struct step *steps;
	uint8_t got[32][4];
};
static uint16_t sport(uint8_t p) { return p == 0x21 ? 0x61 : (uint16_t)(0x40 + p); }
static void session_fn(void *ctx, unsigned i, uint64_t now)
{
	struct session *s = ctx;
	const struct step *st = &s->steps[i];
	for (unsigned k = 0; k < st->nw; k++)
		pit_port_write(&s->pit, sport(st->w[k][0]), st->w[k][1]);
	for (unsigned k = 0; k < st->nr; k++)
		s->got[i][k] = pit_port_read(&s->pit, sport(st->r[k]));
}
static void run_session(struct session *s, const struct step *steps, unsigned n)
{
	pac_machine *m = tm_new();
	uint64_t times[32];
	pit_init(&s->pit, m, NULL);
	s->steps = steps;
	for (unsigned i = 0; i < n; i++)
		times[i] = pit_tick_time(steps[i].tick + 10); /* start at tick 10 */
	sched_run(m, times, n, session_fn, s);
	pac_destroy(m);
}

/* Mode 0 on channel 2 (gate from port 0x61): count N written at tick 10
 * loads at tick 11; value N-e at tick 11+e; OUT2 rises at 11+N. */
static void t_mode0(void)
{
	static const struct step st[] = {
		{ 0, 4, { { 0x21, 1 }, { 3, 0xb0 }, { 2, 0xe8 }, { 2, 0x03 } }, 1, { 0x21 } }, /* N = 1000 */
		{ 1, 0, {{0}}, 3, { 0x21, 2, 2 } },     /* loaded: 1000 */
		{ 500, 0, {{0}}, 2, { 2, 2 } },         /* 501 */
		{ 999, 0, {{0}}, 3, { 0x21, 2, 2 } },   /* 2, OUT low */
		{ 1001, 0, {{0}}, 3, { 0x21, 2, 2 } },  /* 0, OUT high */
		{ 1002, 0, {{0}}, 2, { 2, 2 } },        /* wraps to 0xffff */
		{ 1010, 1, { { 0x21, 0 } }, 0, { 0 } }, /* gate low: counting stops */
		{ 2000, 0, {{0}}, 3, { 0x21, 2, 2 } },  /* still 0xfff7 (count at tick 1010) */
		{ 2001, 1, { { 0x21, 1 } }, 0, { 0 } }, /* resumes on the next CLK */
		{ 2005, 0, {{0}}, 2, { 2, 2 } },        /* 0xfff3 */
		{ 2006, 1, { { 2, 0x10 } }, 0, { 0 } }, /* first byte of a new count: stop */
		{ 2050, 0, {{0}}, 3, { 0x21, 2, 2 } },  /* held at 0xfff2, OUT low */
		{ 2051, 1, { { 2, 0x00 } }, 0, { 0 } }, /* second byte: N = 0x0010 loads at 2052 */
		{ 2060, 0, {{0}}, 3, { 0x21, 2, 2 } },  /* 0x10 - 8 = 8 */
	};
	struct session s;
	run_session(&s, st, sizeof st / sizeof st[0]);
	CHECK_EQ(s.got[0][0] & 0x20, 0, "mode 0: OUT low after the control word");
	CHECK_EQ(s.got[1][0] & 0x21, 0x01, "OUT low, gate bit reads back");
	CHECK_EQ(s.got[1][1] | s.got[1][2] << 8, 1000, "count loaded on the next CLK");
	CHECK_EQ(s.got[2][0] | s.got[2][1] << 8, 501, "value N - e");
	CHECK_EQ(s.got[3][1] | s.got[3][2] << 8, 2, "value 2 before terminal count");
	CHECK_EQ(s.got[3][0] & 0x20, 0, "OUT still low one tick before N+1");
	CHECK_EQ(s.got[4][1] | s.got[4][2] << 8, 0, "terminal count");
	CHECK_EQ(s.got[4][0] & 0x20, 0x20, "OUT high N+1 CLKs after the write");
	CHECK_EQ(s.got[5][0] | s.got[5][1] << 8, 0xffff, "counter wraps after terminal count");
	CHECK_EQ(s.got[7][1] | s.got[7][2] << 8, 0xfff7, "gate low holds the count");
	CHECK_EQ(s.got[7][0] & 0x21, 0x20, "OUT stays high, gate bit low");
	CHECK_EQ(s.got[9][0] | s.got[9][1] << 8, 0xfff3, "counting resumes after the gate rises");
	CHECK_EQ(s.got[11][1] | s.got[11][2] << 8, 0xfff2, "mode 0: first byte of a new count stops the counter");
	CHECK_EQ(s.got[11][0] & 0x20, 0, "mode 0: and sets OUT low at once");
	CHECK_EQ(s.got[13][1] | s.got[13][2] << 8, 8, "second byte loads the new count on the next CLK");
}

/* Latch command, read-back (status and count), BCD, LSB-only and
 * MSB-only access, on channel 1 (gate always high). */
static void t_latch_readback(void)
{
	static const struct step st[] = {
		{ 0, 3, { { 3, 0x74 }, { 1, 0x10 }, { 1, 0x27 } }, 0, { 0 } }, /* mode 2, N = 10000 */
		{ 0, 1, { { 3, 0xe4 } }, 1, { 1 } },  /* read-back status ch1: null count */
		{ 100, 1, { { 3, 0x40 } }, 0, { 0 } }, /* latch: 10000 - 99 = 9901 */
		{ 200, 1, { { 3, 0x40 } }, 2, { 1, 1 } }, /* second latch ignored: still 9901 */
		{ 300, 1, { { 3, 0xc4 } }, 3, { 1, 1, 1 } }, /* read-back both: status, count lo, hi */
		{ 301, 3, { { 3, 0x53 }, { 1, 0x00 }, { 3, 0x40 } }, 1, { 1 } }, /* BCD LSB-only mode 1 */
		{ 400, 4, { { 3, 0x75 }, { 1, 0x00 }, { 1, 0x10 }, { 3, 0x40 } }, 2, { 1, 1 } },
		{ 402, 1, { { 3, 0x40 } }, 2, { 1, 1 } }, /* BCD 1000 loaded at 401, now 999 -> 0x0999 */
		{ 403, 2, { { 3, 0x64 }, { 1, 0x02 } }, 0, { 0 } }, /* MSB only: N = 0x200 */
		{ 405, 1, { { 3, 0x40 } }, 1, { 1 } },
	};
	struct session s;
	run_session(&s, st, sizeof st / sizeof st[0]);
	CHECK_EQ(s.got[1][0], 0x40 | 0x80 | 0x34, "status: OUT high, null count, RW=3 mode 2");
	CHECK_EQ(s.got[3][0] | s.got[3][1] << 8, 9901, "latched count held until read");
	CHECK_EQ(s.got[4][0], 0x80 | 0x34, "read-back status: count loaded");
	CHECK_EQ(s.got[4][1] | s.got[4][2] << 8, 10000 - 299, "read-back count after status");
	CHECK_EQ(s.got[7][0] | s.got[7][1] << 8, 0x0999, "BCD count 1000 after one CLK reads 0999");
	CHECK_EQ(s.got[9][0], 0x01, "MSB-only: 0x200 - 1 tick = 0x1ff, MSB 0x01");
}

/* Mode 2 (rate generator), mode 3 (square wave, even and odd), mode 4
 * (software strobe) and modes 1/5 (gate-triggered) on channel 2: value and
 * OUT2 at consecutive ticks. The count is written at tick 10 (loads at 11);
 * for modes 1/5 the gate is low until tick 12 (trigger, loads at 13). */
struct sample {
	struct pit p;
	uint8_t ctrl;
	uint16_t n;
	bool trigger;
	uint16_t val[40];
	bool out[40];
};
static void sample_fn(void *ctx, unsigned i, uint64_t now)
{
	struct sample *s = ctx;
	if (i == 0) {
		pit_port_write(&s->p, 0x61, s->trigger ? 0 : 1);
		pit_port_write(&s->p, 0x43, s->ctrl);
		pit_port_write(&s->p, 0x42, (uint8_t)s->n);
		pit_port_write(&s->p, 0x42, (uint8_t)(s->n >> 8));
	}
	if (i == 2 && s->trigger)
		pit_port_write(&s->p, 0x61, 1);
	pit_port_write(&s->p, 0x43, 0x80); /* latch channel 2 */
	s->val[i] = pit_port_read(&s->p, 0x42);
	s->val[i] |= (uint16_t)(pit_port_read(&s->p, 0x42) << 8);
	s->out[i] = pit_port_read(&s->p, 0x61) & 0x20;
}
static void sample(struct sample *s, uint8_t ctrl, uint16_t n, bool trigger)
{
	pac_machine *m = tm_new();
	uint64_t times[40];
	memset(s, 0, sizeof *s);
	pit_init(&s->p, m, NULL);
	s->ctrl = ctrl;
	s->n = n;
	s->trigger = trigger;
	for (unsigned i = 0; i < 40; i++)
		times[i] = pit_tick_time(10 + i);
	sched_run(m, times, 40, sample_fn, s);
	pac_destroy(m);
}

static void t_modes(void)
{
	struct sample s;
	int ok = 1;
	sample(&s, 0xb4, 4, false); /* mode 2, N = 4: 4 3 2 1 4 3 2 1, OUT low at 1 */
	for (unsigned e = 0; e < 30; e++)
		ok &= s.val[1 + e] == 4 - e % 4 && s.out[1 + e] == (e % 4 != 3);
	CHECK(ok, "mode 2: values N..1 and one-CLK low pulse at 1");
	sample(&s, 0xb6, 10, false); /* mode 3 even: 10 8 6 4 2 high, 10 8 6 4 2 low */
	ok = 1;
	for (unsigned e = 0; e < 30; e++)
		ok &= s.val[1 + e] == 10 - 2 * (e % 5) && s.out[1 + e] == (e % 10 < 5);
	CHECK(ok, "mode 3, N = 10: decrements by two, OUT high 5 CLKs, low 5");
	sample(&s, 0xb6, 5, false); /* odd: high 5 4 2, low 5 2 */
	static const uint16_t odd_v[5] = { 5, 4, 2, 5, 2 };
	ok = 1;
	for (unsigned e = 0; e < 30; e++)
		ok &= s.val[1 + e] == odd_v[e % 5] && s.out[1 + e] == (e % 5 < 3);
	CHECK(ok, "mode 3, N = 5: high (N+1)/2 CLKs, low (N-1)/2 CLKs");
	sample(&s, 0xb8, 3, false); /* mode 4: OUT low for one CLK at count 0 */
	ok = s.out[0] && s.val[1] == 3 && s.val[4] == 0 && !s.out[4] && s.out[3] && s.out[5] &&
	     s.val[5] == 0xffff;
	CHECK(ok, "mode 4: strobe at terminal count, then wraps");
	sample(&s, 0xb2, 3, true); /* mode 1: OUT low from the CLK after the trigger */
	ok = s.out[2] && !s.out[3] && s.val[3] == 3 && !s.out[5] && s.val[5] == 1 && s.out[6] &&
	     s.val[6] == 0;
	CHECK(ok, "mode 1: one-shot of N CLKs after the gate trigger");
	sample(&s, 0xba, 3, true); /* mode 5: strobe N CLKs after the trigger */
	ok = s.out[3] && s.out[5] && !s.out[6] && s.out[7] && s.val[6] == 0;
	CHECK(ok, "mode 5: strobe N CLKs after the gate trigger");
	sample(&s, 0xb4, 4, true); /* mode 2 with gate low: held, OUT high */
	ok = s.out[1] && s.val[1] == 4 && s.val[2] == 4 && s.val[3] == 4 && s.val[4] == 3;
	CHECK(ok, "mode 2: gate low holds, rising gate reloads on the next CLK");
}

/* IRQ 0 from channel 0 in mode 2, divisor N: the line rises at ticks
 * L + kN (L = the tick after the count write). Guest code programs the PIT
 * and the PIC and counts interrupts in its IVT handler (EOI each time). */
static void t_irq0_guest(void)
{
	pac_machine *m = tm_new();
	struct irq_bus bus;
	struct pic pic;
	struct pit pit;
	struct edge_log log = { .m = m, .line = 0 };
	const uint16_t n = 1193; /* ~1 ms */
	irq_bus_init(&bus);
	pic_init(&pic, m, &bus);
	pit_init(&pit, m, &bus);
	irq_bus_add_sink(&bus, edge_sink, &log); /* after the reset level */
	pac_set_intc(m, &pic_intc_ops, &pic);
	/* handler at 0:0x8000: inc word [0x600]; cmp word [0x600], 50; jb +2;
	 * cli; hlt; mov al, 20h; out 20h, al; iret */
	static const uint8_t handler[] = { 0xff, 0x06, 0x00, 0x06, 0x83, 0x3e, 0x00, 0x06, 50,
					   0x72, 0x02, 0xfa, 0xf4, 0xb0, 0x20, 0xe6, 0x20, 0xcf };
	pac_phys_write(m, 0x8000, handler, sizeof handler);
	uint32_t vec = 0x8000;
	pac_phys_write(m, 0x20 * 4, &vec, 4);
	struct rcode c = { .n = 0 };
	rc_out8(&c, 0x20, 0x11); rc_out8(&c, 0x21, 0x20); rc_out8(&c, 0x21, 0x04); rc_out8(&c, 0x21, 0x01);
	rc_out8(&c, 0xa0, 0x11); rc_out8(&c, 0xa1, 0x28); rc_out8(&c, 0xa1, 0x02); rc_out8(&c, 0xa1, 0x01);
	rc_out8(&c, 0x21, 0xfe); rc_out8(&c, 0xa1, 0xff);
	rc_out8(&c, 0x43, 0x34); rc_out8(&c, 0x40, n & 0xff); rc_out8(&c, 0x40, n >> 8);
	RC(&c, 0xfb, 0xf4, 0xeb, 0xfd); /* sti; hlt; jmp back to hlt */
	enum pac_exit_reason why = rc_run(m, &c, 1000000);
	uint16_t count = 0;
	pac_phys_read(m, 0x600, &count, 2);
	CHECK_EQ(why, PAC_EXIT_HLT, "handler stopped after 50 interrupts");
	CHECK_EQ(count, 50, "50 IRQ 0 interrupts counted by the guest");
	CHECK(log.n >= 50, "edges logged (%u)", log.n);
	uint64_t first = pit_ticks(log.t[0]);
	int exact = pit_tick_time(first) == log.t[0];
	for (unsigned k = 1; k < 50 && k < log.n; k++)
		exact &= log.t[k] == pit_tick_time(first + k * n);
	CHECK(exact, "IRQ 0 rises exactly every %u ticks at the first ns of the tick", n);
	CHECK(first > n && first < n + 200, "first edge N ticks after the load (tick %llu)",
	      (unsigned long long)first);
	uint64_t now = pac_time_ns(m);
	CHECK(now >= log.t[49] && now - log.t[49] < 2000, "run ended right after the 50th");
	pac_destroy(m);
}

/* Linux's PIT TSC calibration: gate high, channel 2 mode 0 with a 10 ms
 * count (1 ms here), spin on port 0x61 bit 5 (OUT2), RDTSC before and after. */
static void t_tsc_calibration(void)
{
	pac_machine *m = tm_new();
	struct pit pit;
	pit_init(&pit, m, NULL);
	const uint16_t latch = 1193; /* ~1 ms */
	struct rcode c = { .n = 0 };
	RC(&c, 0xe4, 0x61, 0x24, 0xfd, 0x0c, 0x01, 0xe6, 0x61); /* gate on, speaker off */
	RC(&c, 0xb0, 0xb0, 0xe6, 0x43);
	RC(&c, 0xb0, latch & 0xff, 0xe6, 0x42, 0xb0, latch >> 8, 0xe6, 0x42);
	RC(&c, 0x0f, 0x31, 0x66, 0xa3, 0x00, 0x06);    /* rdtsc; mov [0x600], eax */
	RC(&c, 0xe4, 0x61, 0xa8, 0x20, 0x74, 0xfa);    /* spin until OUT2 */
	RC(&c, 0x0f, 0x31, 0x66, 0xa3, 0x04, 0x06);    /* rdtsc; mov [0x604], eax */
	rc_halt(&c);
	CHECK_EQ(rc_run(m, &c, 10000000), PAC_EXIT_HLT, "calibration loop ends");
	uint32_t t0 = rd32(m, 0x600), t1 = rd32(m, 0x604);
	uint64_t want = (uint64_t)latch * 1000000000ull / PIT_HZ; 
	CHECK(t1 - t0 >= want - 1000 && t1 - t0 <= want + 1000, "TSC delta %u ns for %llu ns",
	      t1 - t0, (unsigned long long)want);
	pac_destroy(m);
}

/* Hostile accesses: wide accesses, reads of the control port, data before
 * any control word; nothing may crash and the control port reads 0xFF. */
static void t_hostile(void)
{
	pac_machine *m = tm_new();
	struct pit pit;
	pit_init(&pit, m, NULL);
	struct rcode c = { .n = 0 };
	rc_in8(&c, 0x43, 0x600);
	rc_out8(&c, 0x40, 0x12);                  /* no control word yet */
	rc_out32(&c, 0x40, 0xffffffff);
	rc_out16(&c, 0x42, 0);
	rc_in32(&c, 0x41, 0x604);
	rc_out8(&c, 0x43, 0xff);                  /* read-back with nothing */
	rc_out8(&c, 0x43, 0x30);                  /* mode 0 count 0 = 65536 */
	rc_out8(&c, 0x40, 0); rc_out8(&c, 0x40, 0);
	rc_in8(&c, 0x40, 0x608);
	rc_in8(&c, 0x40, 0x609);
	rc_halt(&c);
	CHECK_EQ(rc_run(m, &c, 1000), PAC_EXIT_HLT, "hostile snippet runs");
	CHECK_EQ(rd8(m, 0x600), 0xff, "port 0x43 reads 0xFF");
	CHECK_EQ(rd32(m, 0x604) >> 24, 0xff, "byte beyond 0x43 reads 0xFF");
	pac_destroy(m);
}

int main(void)
{
	t_conversions();
	t_mode0();
	t_latch_readback();
	t_modes();
	t_irq0_guest();
	t_tsc_calibration();
	t_hostile();
	return test_done("pit");
}
