/* SPDX-License-Identifier: MIT */
/* HPET (IA-PC HPET specification 1.0a) at 0xFED00000: 64-bit main counter
 * at 100 MHz of virtual time (period 10 ns = 10^7 fs), three comparators
 * (one-shot and periodic, 32/64-bit, edge/level), legacy replacement
 * routing (timer 0 -> IRQ 0, timer 1 -> IRQ 8), interrupt status. */
#ifndef PAC_IODEV_HPET_H
#define PAC_IODEV_HPET_H
#include <stdbool.h>
#include <stdint.h>
#include "pacifica/pacifica.h"
#include "irq.h"

#define HPET_BASE 0xfed00000ull
#define HPET_SIZE 0x400ull
#define HPET_NTIMERS 3
#define HPET_PERIOD_FS 10000000ull /* 10 ns */
#define HPET_NS_PER_TICK 10ull
#define HPET_ROUTE_CAP 0x00ff0104u /* IRQ 2, 8, 16-23 (as QEMU's PC) */

struct hpet_timer {
	uint64_t config, cmp, period;
	struct irq_line irq;
	int timer;
};

struct hpet {
	pac_machine *m;
	uint64_t config, isr;
	uint64_t counter;     /* value at enable_ns (or while halted) */
	uint64_t enable_ns;
	struct hpet_timer t[HPET_NTIMERS];
	/* called when legacy replacement mode changes (disconnect PIT/RTC) */
	void (*legacy)(void *ctx, bool on);
	void *legacy_ctx;
};

int hpet_init(struct hpet *h, pac_machine *m, struct irq_bus *bus, uint64_t base);
uint64_t hpet_read(struct hpet *h, uint64_t off, unsigned size);
void hpet_write(struct hpet *h, uint64_t off, unsigned size, uint64_t val);
uint64_t hpet_counter(struct hpet *h);
/* The 32-bit Event Timer Block ID of the ACPI HPET table (GCAP bits 31:0). */
uint32_t hpet_block_id(void);
#endif
