/* SPDX-License-Identifier: MIT */
/* The I/O APIC of a PC (Intel 82093AA data sheet; version 0x11 with 24
 * redirection entries as on QEMU's `pc`): IOREGSEL at +0x00, IOWIN at
 * +0x10, at 0xFEC00000. A sink of the irq bus: ISA IRQ 0 drives pin 2
 * (the MADT's interrupt source override), every other line its own pin.
 * Interrupts go to the local APICs through pac_apic_send; the EOI of a
 * level-triggered vector (pac_apic_set_eoi_listener) clears remote IRR. */
#ifndef PAC_IODEV_IOAPIC_H
#define PAC_IODEV_IOAPIC_H
#include <stdbool.h>
#include <stdint.h>
#include "pacifica/pacifica.h"
#include "irq.h"

#define IOAPIC_BASE 0xfec00000ull
#define IOAPIC_PINS 24
#define IOAPIC_VERSION 0x11

/* redirection entry bits */
#define IOAPIC_RTE_DELIVS (1ull << 12)
#define IOAPIC_RTE_REMOTE_IRR (1ull << 14)
#define IOAPIC_RTE_LEVEL (1ull << 15)
#define IOAPIC_RTE_MASKED (1ull << 16)

struct ioapic {
	pac_machine *m;
	uint8_t id;           /* ID[31:24] */
	uint8_t regsel;
	uint64_t rte[IOAPIC_PINS];
	uint32_t line_level;  /* irq bus line levels (bit per line) */
	uint32_t pin_level;   /* input pin levels after the IRQ0 -> pin 2 mapping */
};

/* Maps the registers at base, becomes a sink of bus (bus may be NULL) and
 * the EOI listener of m. */
int ioapic_init(struct ioapic *io, pac_machine *m, struct irq_bus *bus, uint64_t base);
void ioapic_reset(struct ioapic *io);
/* Input pin level (0-23), already mapped from the ISA IRQ. */
void ioapic_set_pin(struct ioapic *io, unsigned pin, bool level);
/* Register access through IOREGSEL/IOWIN (offset 0x00 or 0x10). */
uint32_t ioapic_read(struct ioapic *io, unsigned off);
void ioapic_write(struct ioapic *io, unsigned off, uint32_t v);
/* The EOI broadcast of a local APIC. */
void ioapic_eoi(struct ioapic *io, uint8_t vector);
#endif
