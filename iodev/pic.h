/* SPDX-License-Identifier: MIT */
/* The 8259A programmable interrupt controller pair of a PC (Intel 8259A
 * data sheet): master at 0x20/0x21, slave at 0xA0/0xA1 cascaded on the
 * master's IR2, and the PIIX3 edge/level control registers (ELCR) at
 * 0x4D0/0x4D1. The pair is a sink of the irq bus (GSI 0-15) and, until a
 * local APIC exists, the interrupt controller of CPU 0 (pac_set_intc). */
#ifndef PAC_IODEV_PIC_H
#define PAC_IODEV_PIC_H
#include <stdbool.h>
#include <stdint.h>
#include "pacifica/pacifica.h"
#include "irq.h"

struct pic8259 {
	uint8_t irr, isr, imr;
	uint8_t lines;      /* current input levels (edge detection) */
	uint8_t elcr, elcr_mask;
	uint8_t base;       /* ICW2: vector of IR0 */
	uint8_t lowest;     /* IR with the lowest priority (rotation) */
	uint8_t icw3;
	uint8_t init_step;  /* 0: ready; 2, 3, 4: next ICW expected */
	bool icw4_needed, single, ltim;
	bool auto_eoi, rotate_on_aeoi, special_mask, sfnm;
	bool poll, read_isr;
};

struct pic {
	struct pic8259 chip[2]; /* 0 master, 1 slave */
	bool intr;              /* master INT output */
};

/* Registers the ports (0x20, 0xA0, 0x4D0) and becomes a sink of bus. */
int pic_init(struct pic *p, pac_machine *m, struct irq_bus *bus);
void pic_reset(struct pic *p);
/* Input line `irq` (0-15; 2 is the internal cascade and is ignored). */
void pic_set_irq(struct pic *p, unsigned irq, bool level);
/* INT output, and the INTA cycle: returns the vector (spurious: base+7). */
bool pic_intr(const struct pic *p);
int pic_acknowledge(struct pic *p);
/* The pac_intc_ops that deliver the PIC's vectors to CPU 0. */
extern const struct pac_intc_ops pic_intc_ops;

/* Byte access to one port (0x20/0x21/0xA0/0xA1/0x4D0/0x4D1); for tests. */
uint8_t pic_port_read(struct pic *p, uint16_t port);
void pic_port_write(struct pic *p, uint16_t port, uint8_t val);
#endif
