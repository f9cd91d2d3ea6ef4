/* SPDX-License-Identifier: MIT */
/* Intel MultiProcessor Specification 1.4 tables (chapter 4): the MP
 * floating pointer and the configuration table with processors, buses
 * (PCI 0, ISA 1), the I/O APIC, I/O interrupt assignments matching the
 * MADT (ISA IRQ 0 on pin 2, ExtINT on pin 0, IRQs 5/9/10/11 level/high)
 * and local interrupts (ExtINT on LINT0, NMI on LINT1). */
#include <string.h>
#include "fwtables.h"

#define BUS_PCI 0
#define BUS_ISA 1

static uint8_t *intsrc(uint8_t *e, uint8_t type, uint8_t kind, uint16_t flags, uint8_t bus,
		       uint8_t irq, uint8_t dst, uint8_t pin)
{
	e[0] = type; /* 3: I/O interrupt, 4: local interrupt */
	e[1] = kind; /* 0 INT, 1 NMI, 2 SMI, 3 ExtINT */
	fwt_put16(e + 2, flags);
	e[4] = bus;
	e[5] = irq;
	e[6] = dst;
	e[7] = pin;
	return e + 8;
}

static uint16_t isa_flags(unsigned irq)
{
	return (irq == 5 || irq == 9 || irq == 10 || irq == 11) ? 0x000d : 0x0000;
}

static size_t build_config(struct fwt_buf *w, unsigned ncpus, uint16_t *count)
{
	unsigned nint = 15 + 1, nlocal = 2;
	size_t len = 44 + 20 * ncpus + 8 * 2 + 8 + 8 * (nint + nlocal);
	size_t off = fwt_alloc(w, len, 16);
	uint8_t *t = w->b + off, *e = t + 44;
	uint8_t ioapic = (uint8_t)ncpus;
	for (unsigned i = 0; i < ncpus; i++, e += 20) {
		e[0] = 0;
		e[1] = (uint8_t)i;      /* local APIC id */
		e[2] = 0x10;            /* local APIC version: as its version register reports */
		e[3] = (uint8_t)(1 | (i == 0 ? 2 : 0)); /* enabled, BSP */
		fwt_put32(e + 4, 0);    /* CPU signature: not reported */
		fwt_put32(e + 8, 0x201); /* features: FPU, APIC */
	}
	e[0] = 1; e[1] = BUS_PCI; memcpy(e + 2, "PCI   ", 6); e += 8;
	e[0] = 1; e[1] = BUS_ISA; memcpy(e + 2, "ISA   ", 6); e += 8;
	e[0] = 2; e[1] = ioapic; e[2] = 0x11; e[3] = 1; /* version 0x11 (iodev/ioapic.c), enabled */
	fwt_put32(e + 4, (uint32_t)IOAPIC_BASE);
	e += 8;
	e = intsrc(e, 3, 3, 0, BUS_ISA, 0, ioapic, 0); /* ExtINT on pin 0 */
	for (unsigned irq = 0; irq < 16; irq++)
		if (irq != 2)
			e = intsrc(e, 3, 0, isa_flags(irq), BUS_ISA, (uint8_t)irq, ioapic,
				   (uint8_t)(irq == 0 ? 2 : irq));
	e = intsrc(e, 4, 3, 0, BUS_ISA, 0, 0xff, 0); /* ExtINT -> LINT0 */
	intsrc(e, 4, 1, 0, BUS_ISA, 0, 0xff, 1);     /* NMI -> LINT1 */
	memcpy(t, "PCMP", 4);
	fwt_put16(t + 4, (uint16_t)len);
	t[6] = 4; /* spec revision 1.4 */
	memcpy(t + 8, "PACIFICA", 8);
	memcpy(t + 16, "PC          ", 12);
	*count = (uint16_t)(ncpus + 2 + 1 + nint + nlocal);
	fwt_put16(t + 34, *count);
	fwt_put32(t + 36, (uint32_t)LAPIC_BASE);
	t[7] = fwt_checksum(t, len);
	return off;
}

uint64_t mptable_build(struct fwt_buf *w, unsigned ncpus)
{
	uint16_t count;
	size_t fp = fwt_alloc(w, 16, 16);
	size_t cfg = build_config(w, ncpus, &count);
	uint8_t *f = w->b + fp;
	memcpy(f, "_MP_", 4);
	fwt_put32(f + 4, (uint32_t)(w->base + cfg));
	f[8] = 1; /* length in 16-byte units */
	f[9] = 4; /* spec revision 1.4 */
	f[10] = fwt_checksum(f, 16);
	return w->base + fp;
}
