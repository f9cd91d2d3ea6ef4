/* SPDX-License-Identifier: MIT */
/* The PC platform of QEMU's `pc` machine, as one call for the front end:
 * irq bus, 8259 pair + ELCR, I/O APIC, 8254 PIT + port 0x61, CMOS RTC, HPET, ACPI PM
 * timer/PM1 blocks, port 0x92, 8042, PCI host/ISA bridges, fw_cfg.
 * Firmware tables (ACPI, MP) are written by bios/ (fwtables.h). */
#ifndef PAC_IODEV_PC_H
#define PAC_IODEV_PC_H
#include <stdbool.h>
#include <stdint.h>
#include "pacifica/pacifica.h"
#include "irq.h"
#include "pic.h"
#include "ioapic.h"
#include "pit.h"
#include "cmos.h"
#include "hpet.h"
#include "pmtimer.h"
#include "port92.h"
#include "pci.h"
#include "fwcfg.h"
#include "pc_stop.h"

#define PC_LOW_RAM_LIMIT 0xe0000000ull /* RAM above this moves to 4 GiB */

struct pc_options {
	uint64_t ram_bytes;   /* -m */
	unsigned ncpus;       /* -smp (0 = 1) */
	bool no_acpi;         /* -no-acpi (tables only; devices stay) */
	bool rtc_base_set;    /* -rtc base=DATE */
	int64_t rtc_base;     /* seconds since 1970 (cmos_parse_date) */
};

struct pc_platform {
	pac_machine *m;
	uint64_t low_bytes, high_bytes; /* RAM below 4 GiB / at 4 GiB */
	struct irq_bus irq;
	struct pic pic;
	struct ioapic ioapic; /* 0xFEC00000, ISA IRQ 0 on pin 2 */
	struct pit pit;
	struct cmos cmos;
	struct hpet hpet;
	struct acpi_pm pm;
	struct port92 port92;
	struct i8042 kbc;
	struct pci_host pci;
	struct fwcfg fwcfg;
};

/* Creates every device on m (RAM must be mapped by the caller), makes the
 * PIC the interrupt controller, fills CMOS and fw_cfg from the options,
 * and leaves the PIC/PIT programmed as a PC BIOS leaves them. p must stay
 * alive (and at the same address) as long as m runs. */
int pc_platform_init(struct pc_platform *p, pac_machine *m, const struct pc_options *o);
void pc_platform_free(struct pc_platform *p);
/* RAM split used by the platform (same rule as bios/memmap.c). */
void pc_ram_split(uint64_t ram_bytes, uint64_t *low, uint64_t *high);
#endif
