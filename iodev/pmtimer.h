/* SPDX-License-Identifier: MIT */
/* ACPI fixed hardware of the PC platform at PMBASE (0x600, as QEMU's PIIX4
 * PM): PM1a_EVT_BLK at +0 (PM1_STS, PM1_EN), PM1a_CNT_BLK at +4, the
 * 24-bit PM timer at +8 (3.579545 MHz of virtual time). SCI is IRQ 9. */
#ifndef PAC_IODEV_PMTIMER_H
#define PAC_IODEV_PMTIMER_H
#include <stdbool.h>
#include <stdint.h>
#include "pacifica/pacifica.h"
#include "irq.h"

#define ACPI_PM_BASE 0x600
#define ACPI_PM_LEN 12
#define ACPI_PM_TMR_HZ 3579545ull
#define ACPI_SCI_IRQ 9

struct acpi_pm {
	pac_machine *m;
	uint16_t base;
	uint16_t sts, en, cnt;
	uint64_t acc_ns;  /* TMR_STS accounted up to here */
	struct irq_line sci;
	int timer;
};

int acpi_pm_init(struct acpi_pm *p, pac_machine *m, struct irq_bus *bus, uint16_t base);
uint32_t acpi_pm_timer(const struct acpi_pm *p); /* 24-bit value now */
uint64_t acpi_pm_ticks(uint64_t ns);
uint32_t acpi_pm_read(struct acpi_pm *p, unsigned off, unsigned size);
void acpi_pm_write(struct acpi_pm *p, unsigned off, unsigned size, uint32_t val);
#endif
