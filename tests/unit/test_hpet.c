/* SPDX-License-Identifier: MIT */
/* HPET (IA-PC HPET 1.0a): capabilities read by 32-bit guest code, main
 * counter at 100 MHz of virtual time, one-shot and periodic comparators
 * firing at exact times, 32-bit mode wrap, level-triggered status with
 * write-1-to-clear, legacy replacement routing, hostile accesses. */
#include "test.h"
#include "platform_helpers.h"
#include "../../iodev/pc.h"

#define B HPET_BASE
#define T(n, r) (0x100 + 0x20 * (n) + (r))

static void t_guest_caps(void)
{
	pac_machine *m = tm_new();
	struct hpet h;
	struct pac_regs r;
	hpet_init(&h, m, NULL, B);
	/* mov eax,[B]; mov [0x600],eax; mov eax,[B+4]; mov [0x604],eax;
	 * mov dword [B+0x10],1; (spin 100) mov eax,[B+0xf0]; mov [0x608],eax;
	 * mov eax,[B+0x100]; mov [0x60c],eax; mov eax,[B+0x104]; mov [0x610],eax; hlt */
	static const uint8_t code[] = {
		0xa1, 0x00, 0x00, 0xd0, 0xfe, 0xa3, 0x00, 0x06, 0x00, 0x00,
		0xa1, 0x04, 0x00, 0xd0, 0xfe, 0xa3, 0x04, 0x06, 0x00, 0x00,
		0xc7, 0x05, 0x10, 0x00, 0xd0, 0xfe, 0x01, 0x00, 0x00, 0x00,
		0xb9, 0x64, 0x00, 0x00, 0x00, 0x49, 0x75, 0xfd,
		0xa1, 0xf0, 0x00, 0xd0, 0xfe, 0xa3, 0x08, 0x06, 0x00, 0x00,
		0xa1, 0x00, 0x01, 0xd0, 0xfe, 0xa3, 0x0c, 0x06, 0x00, 0x00,
		0xa1, 0x04, 0x01, 0xd0, 0xfe, 0xa3, 0x10, 0x06, 0x00, 0x00, 0xf4 };
	tm_prot32(m, &r, 0x7000);
	CHECK_EQ(tm_run(m, &r, code, sizeof code, 0x7000), PAC_EXIT_HLT, "guest ran");
	CHECK_EQ(rd32(m, 0x600), 0x8086a201, "GCAP_ID low: vendor 8086, LEG_RT_CAP, 64-bit, 3 timers, rev 1");
	CHECK_EQ(rd32(m, 0x604), 10000000, "COUNTER_CLK_PERIOD 10^7 fs");
	uint32_t cnt = rd32(m, 0x608);
	CHECK(cnt >= 20 && cnt < 200, "counter advanced while enabled (%u)", cnt);
	CHECK_EQ(rd32(m, 0x60c), 0x30, "T0 config: periodic and 64-bit capable, all else 0");
	CHECK_EQ(rd32(m, 0x610), HPET_ROUTE_CAP, "T0 route capability");
	pac_destroy(m);
}

struct hs {
	struct hpet h;
	struct irq_bus bus;
	struct edge_log l0, l8, l17;
	uint64_t got[16];
	int legacy;
};
static void legacy_cb(void *ctx, bool on) { struct hs *s = ctx; s->legacy = s->legacy * 10 + (on ? 1 : 2); }
static void hs_sink(void *ctx, unsigned line, bool level)
{
	struct hs *s = ctx;
	edge_sink(&s->l0, line, level);
	edge_sink(&s->l8, line, level);
	edge_sink(&s->l17, line, level);
}
static void hs_setup(struct hs *s, pac_machine *m)
{
	memset(s, 0, sizeof *s);
	irq_bus_init(&s->bus);
	hpet_init(&s->h, m, &s->bus, B);
	s->h.legacy = legacy_cb;
	s->h.legacy_ctx = s;
	s->l0 = (struct edge_log){ .m = m, .line = 0 };
	s->l8 = (struct edge_log){ .m = m, .line = 8 };
	s->l17 = (struct edge_log){ .m = m, .line = 17 };
	irq_bus_add_sink(&s->bus, hs_sink, s);
}

/* At 1 ms: enable. T2 one-shot, route 17, edge, cmp = 1000 -> 1.01 ms.
 * T1 level, route 8, cmp = 5000 -> 1.05 ms; T0 periodic 2000 in legacy
 * mode from 2 ms. */
static void seq_fn(void *ctx, unsigned i, uint64_t now)
{
	struct hs *s = ctx;
	struct hpet *h = &s->h;
	switch (i) {
	case 0:
		hpet_write(h, T(2, 0), 8, (17 << 9) | (1 << 2));
		hpet_write(h, T(2, 8), 8, 1000);
		hpet_write(h, T(1, 0), 4, (8 << 9) | (1 << 2) | (1 << 1));
		hpet_write(h, T(1, 8), 4, 5000);
		hpet_write(h, T(1, 0xc), 4, 0);
		hpet_write(h, 0x10, 4, 1);
		break;
	case 1: /* 1.06 ms: T1's status is set, line 8 high */
		s->got[0] = hpet_read(h, 0x20, 4);
		s->got[1] = irq_bus_level(&s->bus, 8);
		s->got[2] = hpet_read(h, 0xf0, 8);
		hpet_write(h, 0x20, 4, 2); /* clear */
		s->got[3] = irq_bus_level(&s->bus, 8);
		break;
	case 2: /* 2 ms: T0 periodic via SETVAL in 32-bit mode (as Linux), legacy */
		hpet_write(h, T(0, 0), 4, (1 << 2) | (1 << 3) | (1 << 6) | (1 << 8));
		hpet_write(h, T(0, 8), 4, (uint32_t)hpet_counter(h) + 2000);
		hpet_write(h, T(0, 8), 4, 2000);
		hpet_write(h, 0x10, 4, 3);
		break;
	case 3: /* 2.1 ms: stop everything, read T0's comparator */
		s->got[4] = hpet_read(h, T(0, 8), 8);
		hpet_write(h, 0x10, 4, 0);
		s->got[5] = hpet_read(h, 0xf0, 4);
		break;
	case 4: /* 3 ms: halted counter unchanged; 32-bit one-shot near the wrap */
		s->got[6] = hpet_read(h, 0xf0, 4);
		hpet_write(h, T(0, 0), 4, 0);
		hpet_write(h, 0xf0, 8, 0xfffffff0ull);
		hpet_write(h, T(2, 0), 4, (17 << 9) | (1 << 2) | (1 << 8));
		hpet_write(h, T(2, 8), 4, 0x10);
		hpet_write(h, 0x10, 4, 1);
		break;
	}
}

static void t_timers(void)
{
	pac_machine *m = tm_new();
	struct hs s;
	hs_setup(&s, m);
	static const uint64_t times[5] = { 1000000, 1060000, 2000000, 2100000, 3000000 };
	sched_run(m, times, 5, seq_fn, &s);
	/* keep idling to see the 32-bit wrap: 0x20 ticks, then 2^32 ticks later */
	struct rcode c = { .n = 0 };
	RC(&c, 0xfb, 0xf4, 0xeb, 0xfd);
	rc_run(m, &c, 10);
	CHECK_EQ(s.l17.n >= 1 ? s.l17.t[0] : 0, 1010000, "T2 one-shot at enable + 1000 x 10 ns");
	CHECK_EQ(s.l8.n >= 1 ? s.l8.t[0] : 0, 1050000, "T1 level at enable + 5000 x 10 ns");
	CHECK_EQ(s.got[0], 2, "T1 status bit");
	CHECK_EQ(s.got[1], 1, "level line high while status set");
	CHECK_EQ(s.got[2], 6000, "counter at 1.06 ms = 6000");
	CHECK_EQ(s.got[3], 0, "write 1 clears status and the line");
	CHECK_EQ(s.legacy, 12, "legacy replacement on, then off, reported");
	CHECK(s.l0.n == 5, "T0 periodic on IRQ 0 in legacy mode: %u edges in 100 us", s.l0.n);
	int ok = 1;
	for (unsigned k = 0; k < s.l0.n && k < 5; k++)
		ok &= s.l0.t[k] == 2000000 + (k + 1) * 20000;
	CHECK(ok, "T0 every 2000 ticks (20 us) from 2 ms");
	CHECK_EQ(s.got[4], 112000, "comparator advanced past the counter by the period");
	CHECK_EQ(s.got[5], 110000, "counter at 2.1 ms = 110000 (halted there)");
	CHECK_EQ(s.got[6], 110000, "halted counter does not move");
	CHECK(s.l17.n >= 3, "32-bit comparator fired and wrapped (%u)", s.l17.n);
	if (s.l17.n >= 3) {
		CHECK_EQ(s.l17.t[1], 3000000 + 0x20 * 10, "32-bit match after 0x20 ticks");
		CHECK_EQ(s.l17.t[2], 3000000 + 0x20 * 10 + (1ull << 32) * 10, "again after 2^32 ticks");
	}
	pac_destroy(m);
}

static void t_hostile(void)
{
	pac_machine *m = tm_new();
	struct hpet h;
	hpet_init(&h, m, NULL, B);
	uint64_t sum = 0;
	for (uint64_t off = 0; off < HPET_SIZE + 16; off += 3)
		for (unsigned sz = 1; sz <= 8; sz *= 2) {
			hpet_write(&h, off, sz, 0xffffffffffffffffull);
			sum += hpet_read(&h, off, sz);
		}
	CHECK(sum != 0, "every offset and size handled");
	CHECK_EQ(hpet_read(&h, 0, 8) >> 32, 10000000, "capabilities read-only");
	CHECK_EQ(hpet_read(&h, 0x10, 8), 3, "only ENABLE and LEG_RT writable");
	CHECK_EQ(hpet_read(&h, T(0, 0), 8) & 0xffff, 0x3f3e, "writable config bits (SETVAL cleared by the comparator write)");
	CHECK_EQ(hpet_read(&h, 0x3fc, 8), 0, "read past the end of the block stops at 0x400");
	pac_destroy(m);
}

/* On the whole platform: legacy replacement takes IRQ 0 from the PIT. The
 * BIOS post state has the PIT in mode 3 at 18.2 Hz and IRQ 0 unmasked. */
static void t_platform_legacy(void)
{
	pac_machine *m = tm_new();
	struct pc_platform p;
	struct pc_options o = { .ram_bytes = TM_RAM, .ncpus = 1 };
	CHECK_EQ(pc_platform_init(&p, m, &o), PAC_OK, "platform");
	CHECK_EQ(pic_port_read(&p.pic, 0x21), 0xb8, "post state: IRQ 0, 1, 2, 6 unmasked (as SeaBIOS)");
	struct edge_log log = { .m = m, .line = 0 };
	irq_bus_add_sink(&p.irq, edge_sink, &log);
	hpet_write(&p.hpet, 0x10, 4, 3); /* enable + legacy replacement */
	struct rcode idle = { .n = 0 };
	RC(&idle, 0xfb, 0xf4, 0xeb, 0xfd);
	pac_set_intc(m, &sched_intc, NULL); /* the CPU idles; interrupts go nowhere */
	rc_run(m, &idle, 20);
	CHECK_EQ(log.n, 0, "no PIT edges reach IRQ 0 in legacy mode");
	CHECK(pac_time_ns(m) > 200000000, "idled through several PIT periods");
	hpet_write(&p.hpet, 0x10, 4, 1);
	rc_run(m, &idle, 20);
	CHECK(log.n > 0, "PIT reconnected when legacy mode ends (%u edges)", log.n);
	pc_platform_free(&p);
	pac_destroy(m);
}

int main(void)
{
	t_platform_legacy();
	t_guest_caps();
	t_timers();
	t_hostile();
	return test_done("hpet");
}
