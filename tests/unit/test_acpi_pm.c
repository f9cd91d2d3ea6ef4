/* SPDX-License-Identifier: MIT */
/* ACPI PM timer (3.579545 MHz, 24 bits) and PM1 registers at 0x600
 * (ACPI 6.4, 4.8.3): values at exact virtual times, TMR_STS on bit-23
 * toggles raising SCI (IRQ 9) when enabled, write-1-to-clear, SCI_EN
 * reading 1, S5 via SLP_EN powering off. */
#include "test.h"
#include "platform_helpers.h"
#include "../../iodev/pc.h"

struct pms {
	struct acpi_pm pm;
	uint32_t got[8];
};
static void pm_fn(void *ctx, unsigned i, uint64_t now)
{
	struct pms *s = ctx;
	switch (i) {
	case 0: s->got[0] = acpi_pm_read(&s->pm, 8, 4); break;
	case 1: s->got[1] = acpi_pm_read(&s->pm, 8, 4); s->got[2] = acpi_pm_read(&s->pm, 0, 2);
		acpi_pm_write(&s->pm, 0, 2, 1); /* clear TMR_STS, then TMR_EN */
		acpi_pm_write(&s->pm, 2, 2, 1); break;
	case 2: s->got[3] = acpi_pm_read(&s->pm, 0, 2); s->got[4] = irq_bus_level(s->pm.sci.bus, 9);
		acpi_pm_write(&s->pm, 0, 2, 1); s->got[5] = irq_bus_level(s->pm.sci.bus, 9);
		s->got[6] = acpi_pm_read(&s->pm, 4, 2); break;
	}
}

int main(void)
{
	pac_machine *m = tm_new();
	struct irq_bus bus;
	struct pms s;
	struct edge_log log = { .m = m, .line = 9 };
	irq_bus_init(&bus);
	acpi_pm_init(&s.pm, m, &bus, ACPI_PM_BASE);
	irq_bus_add_sink(&bus, edge_sink, &log);
	CHECK_EQ(acpi_pm_ticks(1000000000ull), 3579545, "one second of ticks");
	/* 1 ms: 3579.545 -> 3579; 2^23 ticks = 2.343 s; 2^24 ticks wrap at 4.687 s */
	uint64_t wrap = (uint64_t)((1ull << 24) * 1000000000ull + 3579544) / 3579545;
	uint64_t t23 = 2 * ((1ull << 23) * 1000000000ull + 3579544) / 3579545 / 2;
	static uint64_t times[3];
	times[0] = 1000000;
	times[1] = wrap + 1000000;
	times[2] = t23 + wrap + 10;
	sched_run(m, times, 3, pm_fn, &s);
	CHECK_EQ(s.got[0], 3579, "PM timer at 1 ms");
	CHECK_EQ(s.got[1], acpi_pm_ticks(wrap + 1000000) & 0xffffff, "24-bit wrap");
	CHECK_EQ(s.got[1] < 5000, 1, "wrapped to a small value");
	CHECK_EQ(s.got[2] & 1, 1, "TMR_STS after bit 23 toggled");
	CHECK_EQ(s.got[3] & 1, 1, "TMR_STS set again");
	CHECK_EQ(s.got[4], 1, "SCI raised with TMR_EN");
	CHECK(log.n >= 2, "SCI edges at each toggle while enabled (%u)", log.n);
	CHECK(log.n >= 2 && log.t[1] == ((1ull << 25) * 1000000000ull + 3579544) / 3579545,
	      "next SCI at the following toggle (2^25 ticks)");
	CHECK(log.n && log.t[0] == ((((1ull << 24) + (1ull << 23)) * 1000000000ull + 3579544) / 3579545),
	      "SCI at the exact bit-23 toggle (%llu)", (unsigned long long)(log.n ? log.t[0] : 0));
	CHECK_EQ(s.got[5], 0, "write 1 clears TMR_STS and SCI");
	CHECK_EQ(s.got[6] & 1, 1, "SCI_EN reads 1");
	pac_destroy(m);
	/* guest powers off: PM1a_CNT = SLP_TYP 0 | SLP_EN */
	struct pc_platform p;
	m = tm_new();
	struct pc_options o = { .ram_bytes = TM_RAM };
	pc_platform_init(&p, m, &o);
	struct rcode c = { .n = 0 };
	rc_in32(&c, 0x608, 0x600);
	rc_out16(&c, 0x604, 0x2000);
	rc_halt(&c);
	struct pac_regs r;
	struct pac_exit ex;
	tm_real(m, &r, 0x7c00);
	pac_phys_write(m, 0x7c00, c.b, c.n);
	pac_set_regs(m, 0, &r);
	pac_run(m, 1000, &ex);
	CHECK(ex.reason == PAC_EXIT_STOP && ex.stop_code == PC_STOP_POWEROFF, "S5 powers off");
	CHECK_EQ(rd32(m, 0x600) >> 24, 0, "PM timer register is 24 bits");
	pc_platform_free(&p);
	pac_destroy(m);
	return test_done("acpi_pm");
}
