/* SPDX-License-Identifier: MIT */
/* Interrupt lines of the PC platform. Devices own an irq_line (a source on
 * one global system interrupt line, GSI 0-23) and call irq_set(). A line's
 * level is the wired OR of its sources. Every level change is passed to the
 * sinks registered on the bus: the 8259 pair (GSI 0-15, pic.c) now, an
 * I/O APIC later (which, as on QEMU's PC, takes ISA IRQ 0 on its pin 2).
 * ISA devices use their ISA IRQ number as the line. */
#ifndef PAC_IODEV_IRQ_H
#define PAC_IODEV_IRQ_H
#include <stdbool.h>
#include <stdint.h>

#define IRQ_LINES 24
#define IRQ_MAX_SINKS 4
#define IRQ_MAX_SOURCES 32 /* per bus */

typedef void (*irq_sink_fn)(void *ctx, unsigned line, bool level);

struct irq_bus {
	uint32_t asserted[IRQ_LINES]; /* bit per source id */
	struct { irq_sink_fn fn; void *ctx; } sinks[IRQ_MAX_SINKS];
	unsigned nsinks, nsources;
};

struct irq_line {
	struct irq_bus *bus; /* NULL: not connected (irq_set does nothing) */
	unsigned line;       /* GSI */
	unsigned id;         /* source bit */
	bool level;          /* what this source drives */
	bool enabled;        /* false: disconnected (e.g. HPET legacy mode) */
};

void irq_bus_init(struct irq_bus *b);
/* Returns 0, or -1 when the bus has no room for another sink. */
int irq_bus_add_sink(struct irq_bus *b, irq_sink_fn fn, void *ctx);
bool irq_bus_level(const struct irq_bus *b, unsigned line);

/* Creates a source driving `line` (low). Returns 0 or -1 (line out of
 * range or too many sources). */
int irq_line_init(struct irq_line *l, struct irq_bus *b, unsigned line);
void irq_set(struct irq_line *l, bool level);
/* low-high-low: one edge for edge-triggered inputs */
void irq_pulse(struct irq_line *l);
/* Moves the source to another line (HPET routing), keeping its level. */
void irq_line_route(struct irq_line *l, unsigned line);
/* Connects or disconnects the source without forgetting its level. */
void irq_line_enable(struct irq_line *l, bool on);
#endif
