/* SPDX-License-Identifier: MIT */
/* ACPI PM timer and PM1 event/control registers (ACPI 6.4, 4.8.3): PM_TMR
 * counts at 3.579545 MHz, 24 bits (TMR_VAL_EXT = 0); TMR_STS is set each
 * time bit 23 toggles and raises SCI when TMR_EN; SCI_EN reads 1 (no SMI
 * command port: the platform is always in ACPI mode); SLP_EN with
 * SLP_TYP 0 (the DSDT's \_S5) powers off. */
#include <string.h>
#include "pmtimer.h"
#include "pc_stop.h"

#define NS 1000000000ull
#define TMR_STS 0x0001u
#define PWRBTN_STS 0x0100u
#define STS_MASK 0x8d31u /* WAK, PWRBTN/SLPBTN/RTC, GBL, BM, TMR */
#define EN_MASK 0x0521u  /* RTC_EN, PWRBTN_EN, GBL_EN, TMR_EN */
#define SCI_EN 0x0001u
#define SLP_EN 0x2000u
#define CNT_MASK 0x1c06u /* SLP_TYP, GBL_RLS, BM_RLD */

uint64_t acpi_pm_ticks(uint64_t ns)
{
	return ns / NS * ACPI_PM_TMR_HZ + ns % NS * ACPI_PM_TMR_HZ / NS;
}

static uint64_t tick_time(uint64_t k)
{
	uint64_t q = k / ACPI_PM_TMR_HZ, r = k % ACPI_PM_TMR_HZ;
	return q * NS + (r * NS + ACPI_PM_TMR_HZ - 1) / ACPI_PM_TMR_HZ;
}

uint32_t acpi_pm_timer(const struct acpi_pm *p)
{
	return (uint32_t)(acpi_pm_ticks(pac_time_ns(p->m)) & 0xffffff);
}

/* TMR_STS for every bit-23 toggle in (acc, now]; SCI level; timer. */
static void update(struct acpi_pm *p)
{
	uint64_t now = pac_time_ns(p->m);
	if (acpi_pm_ticks(now) >> 23 != acpi_pm_ticks(p->acc_ns) >> 23)
		p->sts |= TMR_STS;
	p->acc_ns = now;
	irq_set(&p->sci, p->sts & p->en);
	if ((p->en & TMR_STS) && !(p->sts & TMR_STS))
		pac_timer_arm(p->m, p->timer, tick_time(((acpi_pm_ticks(now) >> 23) + 1) << 23));
	else
		pac_timer_cancel(p->m, p->timer);
}

static void pm_timer_cb(void *ctx, uint64_t now)
{
	update(ctx);
}

static uint32_t reg_image(struct acpi_pm *p, unsigned reg)
{
	switch (reg) {
	case 0: return p->sts;
	case 2: return p->en;
	case 4: return p->cnt | SCI_EN;
	default: return acpi_pm_timer(p); /* 8: 32-bit, upper byte 0 */
	}
}

uint32_t acpi_pm_read(struct acpi_pm *p, unsigned off, unsigned size)
{
	uint32_t v = 0;
	update(p);
	for (unsigned i = 0; i < size && i < 4; i++) {
		unsigned a = off + i;
		uint32_t b = 0xff;
		if (a < ACPI_PM_LEN) {
			unsigned reg = a < 8 ? a & ~1u : 8;
			b = reg_image(p, reg) >> 8 * (a - reg) & 0xff;
		}
		v |= b << 8 * i;
	}
	return v;
}

static void write_reg(struct acpi_pm *p, unsigned reg, uint16_t v, uint16_t mask)
{
	if (reg == 0) {
		p->sts &= (uint16_t)~(v & mask & STS_MASK); /* write 1 to clear */
	} else if (reg == 2) {
		p->en = (uint16_t)((p->en & ~mask) | (v & mask & EN_MASK));
	} else if (reg == 4) {
		p->cnt = (uint16_t)((p->cnt & ~mask) | (v & mask & CNT_MASK));
		if ((v & mask & SLP_EN) && ((p->cnt >> 10) & 7) == 0)
			pac_request_stop(p->m, PC_STOP_POWEROFF);
	}
}

void acpi_pm_write(struct acpi_pm *p, unsigned off, unsigned size, uint32_t val)
{
	update(p);
	for (unsigned i = 0; i < size && i < 4 && off + i < 8;) {
		unsigned reg = (off + i) & ~1u;
		uint16_t v = 0, mask = 0;
		for (; i < size && i < 4 && ((off + i) & ~1u) == reg; i++) {
			unsigned sh = ((off + i) & 1) * 8;
			v |= (uint16_t)((val >> 8 * i & 0xff) << sh);
			mask |= (uint16_t)(0xff << sh);
		}
		write_reg(p, reg, v, mask);
	}
	update(p);
}

static uint32_t io_in(void *ctx, uint16_t port, unsigned size)
{
	struct acpi_pm *p = ctx;
	return acpi_pm_read(p, port - p->base, size);
}

static void io_out(void *ctx, uint16_t port, unsigned size, uint32_t v)
{
	struct acpi_pm *p = ctx;
	acpi_pm_write(p, port - p->base, size, v);
}

static const struct pac_port_ops pm_ops = { io_in, io_out };

int acpi_pm_init(struct acpi_pm *p, pac_machine *m, struct irq_bus *bus, uint16_t base)
{
	memset(p, 0, sizeof *p);
	p->m = m;
	p->base = base;
	if (bus && irq_line_init(&p->sci, bus, ACPI_SCI_IRQ) != 0)
		return PAC_ERR_RANGE;
	p->timer = pac_timer_create(m, pm_timer_cb, p);
	if (p->timer < 0)
		return p->timer;
	p->acc_ns = pac_time_ns(m);
	return pac_register_ports(m, base, ACPI_PM_LEN, &pm_ops, p);
}
