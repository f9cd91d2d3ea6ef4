/* SPDX-License-Identifier: MIT */
/* I/O APIC (82093AA): redirection table, edge and level inputs, remote IRR
 * and the local APICs' EOI broadcast. */
#include <string.h>
#include "ioapic.h"

void ioapic_reset(struct ioapic *io)
{
	io->id = 0;
	io->regsel = 0;
	for (unsigned i = 0; i < IOAPIC_PINS; i++)
		io->rte[i] = IOAPIC_RTE_MASKED;
}

/* Sends the interrupt of pin i. APPROX: the polarity bit is ignored: the
 * irq bus carries asserted/de-asserted levels (as QEMU's I/O APIC does). */
static void deliver(struct ioapic *io, unsigned i)
{
	uint64_t e = io->rte[i];
	struct pac_apic_msg msg = {
		.dest = (uint32_t)(e >> 56), .logical = (e >> 11) & 1, .delivery = (uint8_t)((e >> 8) & 7),
		.vector = (uint8_t)e, .level = (e & IOAPIC_RTE_LEVEL) != 0,
	};
	if (msg.level)
		io->rte[i] |= IOAPIC_RTE_REMOTE_IRR;
	pac_apic_send(io->m, &msg);
}

/* A level input that is asserted, unmasked and not waiting for an EOI. */
static void service_level(struct ioapic *io, unsigned i)
{
	uint64_t e = io->rte[i];
	if ((e & IOAPIC_RTE_LEVEL) && !(e & (IOAPIC_RTE_MASKED | IOAPIC_RTE_REMOTE_IRR)) &&
	    ((io->pin_level >> i) & 1))
		deliver(io, i);
}

void ioapic_set_pin(struct ioapic *io, unsigned pin, bool level)
{
	if (pin >= IOAPIC_PINS)
		return;
	bool old = (io->pin_level >> pin) & 1;
	if (level)
		io->pin_level |= 1u << pin;
	else
		io->pin_level &= ~(1u << pin);
	uint64_t e = io->rte[pin];
	if (e & IOAPIC_RTE_LEVEL)
		service_level(io, pin);
	else if (level && !old && !(e & IOAPIC_RTE_MASKED))
		deliver(io, pin); /* rising edge */
}

/* QEMU's PC wiring: ISA IRQ 0 (the PIT) on pin 2; pin 0 is not connected. */
static unsigned line_to_pin(unsigned line) { return line == 0 ? 2 : line; }

static void bus_sink(void *ctx, unsigned line, bool level)
{
	struct ioapic *io = ctx;
	if (line >= IOAPIC_PINS)
		return;
	if (level)
		io->line_level |= 1u << line;
	else
		io->line_level &= ~(1u << line);
	unsigned pin = line_to_pin(line);
	bool pl = false;
	for (unsigned l = 0; l < IOAPIC_PINS; l++)
		if (line_to_pin(l) == pin && ((io->line_level >> l) & 1))
			pl = true;
	ioapic_set_pin(io, pin, pl);
}

void ioapic_eoi(struct ioapic *io, uint8_t vector)
{
	for (unsigned i = 0; i < IOAPIC_PINS; i++) {
		if ((io->rte[i] & IOAPIC_RTE_REMOTE_IRR) && (uint8_t)io->rte[i] == vector) {
			io->rte[i] &= ~IOAPIC_RTE_REMOTE_IRR;
			service_level(io, i); /* still asserted: interrupts again */
		}
	}
}

static void eoi_listener(void *ctx, uint8_t vector) { ioapic_eoi(ctx, vector); }

/* registers behind IOWIN: 0 ID, 1 version, 2 arbitration, 0x10+2n RTE n */
static uint32_t read_reg(struct ioapic *io, unsigned idx)
{
	switch (idx) {
	case 0: return (uint32_t)io->id << 24;
	case 1: return ((IOAPIC_PINS - 1u) << 16) | IOAPIC_VERSION;
	case 2: return (uint32_t)io->id << 24; /* arbitration ID follows the ID */
	default: break;
	}
	if (idx >= 0x10 && idx < 0x10 + 2 * IOAPIC_PINS) {
		uint64_t e = io->rte[(idx - 0x10) / 2];
		return (idx & 1) ? (uint32_t)(e >> 32) : (uint32_t)e;
	}
	return 0xffffffffu; /* APPROX: unimplemented indexes read all ones */
}

/* writable: vector, delivery mode, dest mode, polarity, trigger, mask, dest */
#define RTE_WRITABLE 0xff0000000001afffull

static void write_reg(struct ioapic *io, unsigned idx, uint32_t v)
{
	if (idx == 0) {
		io->id = (uint8_t)(v >> 24); /* 8 bits as on xAPIC systems (82093AA: 4) */
		return;
	}
	if (idx < 0x10 || idx >= 0x10 + 2 * IOAPIC_PINS)
		return;
	unsigned i = (idx - 0x10) / 2;
	uint64_t e = io->rte[i];
	uint64_t nv = (idx & 1) ? (e & 0xffffffffull) | ((uint64_t)v << 32)
				: (e & ~0xffffffffull) | v;
	io->rte[i] = (nv & RTE_WRITABLE) | (e & IOAPIC_RTE_REMOTE_IRR);
	if (!(io->rte[i] & IOAPIC_RTE_LEVEL))
		io->rte[i] &= ~IOAPIC_RTE_REMOTE_IRR;
	service_level(io, i); /* unmasking an asserted level input */
}

uint32_t ioapic_read(struct ioapic *io, unsigned off)
{
	if (off == 0x00)
		return io->regsel;
	if (off == 0x10)
		return read_reg(io, io->regsel);
	return 0xffffffffu;
}

void ioapic_write(struct ioapic *io, unsigned off, uint32_t v)
{
	if (off == 0x00)
		io->regsel = (uint8_t)v;
	else if (off == 0x10)
		write_reg(io, io->regsel, v);
}

/* MMIO: 32-bit registers; narrower reads return the addressed bytes. */
static uint64_t mmio_read(void *ctx, uint64_t off, unsigned size, unsigned mt)
{
	(void)mt;
	uint32_t v = ioapic_read(ctx, (unsigned)(off & ~3ull));
	return v >> ((off & 3) * 8) & (size >= 4 ? 0xffffffffu : (1u << (size * 8)) - 1);
}

static void mmio_write(void *ctx, uint64_t off, unsigned size, uint64_t v, unsigned mt)
{
	(void)mt;
	if ((off & 3) == 0 && (size >= 4 || off == 0))
		ioapic_write(ctx, (unsigned)off, (uint32_t)v);
}

static const struct pac_mmio_ops ioapic_ops = { mmio_read, mmio_write };

int ioapic_init(struct ioapic *io, pac_machine *m, struct irq_bus *bus, uint64_t base)
{
	memset(io, 0, sizeof *io);
	io->m = m;
	ioapic_reset(io);
	if (bus && irq_bus_add_sink(bus, bus_sink, io))
		return PAC_ERR_RANGE;
	pac_apic_set_eoi_listener(m, eoi_listener, io);
	return pac_map_mmio(m, base, 0x1000, &ioapic_ops, io);
}
