/* SPDX-License-Identifier: MIT */
/* 8254 programmable interval timer (Intel 8254 data sheet) at 0x40-0x43,
 * clocked at 1.193182 MHz of virtual time, and port 0x61 (PC speaker /
 * NMI status port: gate of channel 2, OUT2, refresh toggle). Channel 0
 * drives ISA IRQ 0 through a virtual-time timer armed at its next output
 * transition. */
#ifndef PAC_IODEV_PIT_H
#define PAC_IODEV_PIT_H
#include <stdbool.h>
#include <stdint.h>
#include "pacifica/pacifica.h"
#include "irq.h"

#define PIT_HZ 1193182ull

/* Counting state: the counter holds `n` at tick `load` (modes 2/3 also keep
 * the previous period until `load` when a new count waits for its end). */
struct pit_phase {
	uint64_t load;
	uint32_t n; /* 1 .. 65536 (binary) or 1 .. 10000 (BCD) */
};

struct pit_channel {
	uint8_t ctrl;        /* control word bits 5-0 (RW, M, BCD) */
	uint8_t mode, rw;    /* mode 0-5, RW 1 = LSB, 2 = MSB, 3 = LSB then MSB */
	bool bcd;
	bool counting;       /* a count was written (and, modes 1/5, triggered) */
	bool count_written;
	bool gate;
	bool frozen;         /* gate low in modes 0/2/3/4: counting stopped */
	uint64_t frozen_e;   /* elapsed ticks at the freeze */
	struct pit_phase cur, prev;
	bool has_prev;
	uint32_t next_n;     /* modes 1/5: count used at the next trigger */
	/* host interface */
	bool write_hi, read_hi;
	uint8_t write_lsb;
	bool status_latched;
	uint8_t status;
	uint8_t latch_bytes; /* count latch: bytes left to read (0 none) */
	uint16_t latched;
	bool latch_msb_next;
};

struct pit {
	pac_machine *m;
	struct pit_channel ch[3];
	struct irq_line irq0;
	int timer;
	uint64_t last_tick;  /* channel 0 output evaluated up to this tick */
	uint8_t port61;      /* bits 0-3 as written */
};

/* Registers 0x40-0x43 and 0x61, IRQ 0 on bus (may be NULL). */
int pit_init(struct pit *p, pac_machine *m, struct irq_bus *bus);
void pit_reset(struct pit *p);
uint8_t pit_port_read(struct pit *p, uint16_t port);
void pit_port_write(struct pit *p, uint16_t port, uint8_t val);
/* OUT of a channel now; counter value now (as the counter holds it). */
bool pit_out(struct pit *p, unsigned ch);
uint32_t pit_count(struct pit *p, unsigned ch);
void pit_set_gate(struct pit *p, unsigned ch, bool level);

/* Exact conversions: ticks elapsed at time ns, and the first ns at which
 * tick k has happened. */
uint64_t pit_ticks(uint64_t ns);
uint64_t pit_tick_time(uint64_t tick);
#endif
