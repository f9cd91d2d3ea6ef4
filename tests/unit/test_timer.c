/* SPDX-License-Identifier: MIT */
/* Virtual-time timers: a halted CPU idles forward to the next deadline, the
 * timer raises an interrupt through a test interrupt controller, and the
 * guest observes it. Determinism: two runs give the same times. */
#include "test.h"
#include "machine_helpers.h"

struct tintc {
	pac_machine *m;
	int timer;
	bool line;
	uint64_t fired_at;
};

static bool t_pending(void *ctx, int cpu) { (void)cpu; return ((struct tintc *)ctx)->line; }
static int t_ack(void *ctx, int cpu)
{
	(void)cpu;
	((struct tintc *)ctx)->line = false;
	return 0x20;
}
static void t_fire(void *ctx, uint64_t now)
{
	struct tintc *t = ctx;
	t->line = true;
	t->fired_at = now;
}

static uint64_t run_once(uint64_t *fired, uint16_t *marker)
{
	static const struct pac_intc_ops ops = { t_pending, t_ack };
	pac_machine *m = tm_new();
	struct tintc t = { .m = m };
	struct pac_regs r;
	pac_set_intc(m, &ops, &t);
	t.timer = pac_timer_create(m, t_fire, &t);
	pac_timer_arm(m, t.timer, 50000);
	/* IVT[0x20] = 0000:0x8000; handler: mov word [0x600], 0x1234; cli; hlt */
	uint32_t ivt = 0x8000;
	pac_phys_write(m, 0x20 * 4, &ivt, 4);
	static const uint8_t handler[] = { 0xc7, 0x06, 0x00, 0x06, 0x34, 0x12, 0xfa, 0xf4 };
	pac_phys_write(m, 0x8000, handler, sizeof handler);
	static const uint8_t code[] = { 0xfb, 0xf4, 0xeb, 0xfd }; /* sti; hlt; jmp $-1 */
	tm_real(m, &r, 0x7c00);
	r.rflags = 2;
	CHECK_EQ(tm_run(m, &r, code, sizeof code, 0x7c00), PAC_EXIT_HLT, "exit");
	pac_phys_read(m, 0x600, marker, 2);
	*fired = t.fired_at;
	uint64_t now = pac_time_ns(m);
	pac_destroy(m);
	return now;
}

int main(void)
{
	uint64_t f1, f2;
	uint16_t m1 = 0, m2 = 0;
	uint64_t t1 = run_once(&f1, &m1), t2 = run_once(&f2, &m2);
	CHECK_EQ(m1, 0x1234, "interrupt handler ran");
	CHECK(f1 >= 50000 && f1 < 51000, "fired at the deadline (%llu)", (unsigned long long)f1);
	CHECK(t1 >= f1, "time moved on");
	CHECK(t1 == t2 && f1 == f2 && m2 == m1, "deterministic");
	return test_done("timer");
}
