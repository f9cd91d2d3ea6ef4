/* SPDX-License-Identifier: MIT */
/* Interrupt lines: wired OR of sources, level changes fanned out to sinks. */
#include <string.h>
#include "irq.h"

void irq_bus_init(struct irq_bus *b)
{
	memset(b, 0, sizeof *b);
}

int irq_bus_add_sink(struct irq_bus *b, irq_sink_fn fn, void *ctx)
{
	if (!fn || b->nsinks >= IRQ_MAX_SINKS)
		return -1;
	b->sinks[b->nsinks].fn = fn;
	b->sinks[b->nsinks].ctx = ctx;
	b->nsinks++;
	return 0;
}

bool irq_bus_level(const struct irq_bus *b, unsigned line)
{
	return line < IRQ_LINES && b->asserted[line] != 0;
}

/* Sets or clears one source bit and tells the sinks if the line changed. */
static void drive(struct irq_bus *b, unsigned line, unsigned id, bool on)
{
	if (line >= IRQ_LINES || id >= IRQ_MAX_SOURCES)
		return;
	bool before = b->asserted[line] != 0;
	if (on)
		b->asserted[line] |= 1u << id;
	else
		b->asserted[line] &= ~(1u << id);
	bool after = b->asserted[line] != 0;
	if (before == after)
		return;
	for (unsigned i = 0; i < b->nsinks; i++)
		b->sinks[i].fn(b->sinks[i].ctx, line, after);
}

int irq_line_init(struct irq_line *l, struct irq_bus *b, unsigned line)
{
	memset(l, 0, sizeof *l);
	if (!b || line >= IRQ_LINES || b->nsources >= IRQ_MAX_SOURCES)
		return -1;
	l->bus = b;
	l->line = line;
	l->id = b->nsources++;
	l->enabled = true;
	return 0;
}

void irq_set(struct irq_line *l, bool level)
{
	l->level = level;
	if (l->bus)
		drive(l->bus, l->line, l->id, level && l->enabled);
}

void irq_pulse(struct irq_line *l)
{
	irq_set(l, false);
	irq_set(l, true);
	irq_set(l, false);
}

void irq_line_route(struct irq_line *l, unsigned line)
{
	if (!l->bus || line >= IRQ_LINES || line == l->line)
		return;
	drive(l->bus, l->line, l->id, false);
	l->line = line;
	drive(l->bus, l->line, l->id, l->level && l->enabled);
}

void irq_line_enable(struct irq_line *l, bool on)
{
	l->enabled = on;
	if (l->bus)
		drive(l->bus, l->line, l->id, l->level && on);
}
