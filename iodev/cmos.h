/* SPDX-License-Identifier: MIT */
/* MC146818-compatible CMOS RTC and NVRAM at ports 0x70 (index, bit 7 =
 * NMI disable) / 0x71 (data), IRQ 8. Time starts at a base (default
 * 2026-01-01 00:00:00, or -rtc base=) and advances with virtual time.
 * Memory-size bytes follow the IBM PC/AT and QEMU conventions. */
#ifndef PAC_IODEV_CMOS_H
#define PAC_IODEV_CMOS_H
#include <stdbool.h>
#include <stdint.h>
#include "pacifica/pacifica.h"
#include "irq.h"

#define CMOS_DEFAULT_BASE 1767225600ll /* 2026-01-01 00:00:00 UTC */
#define CMOS_UIP_NS 244141ull          /* UIP is set 244 us before an update */

struct cmos {
	pac_machine *m;
	uint8_t ram[128];
	uint8_t index;
	bool nmi_masked;
	int64_t base_s;    /* time = base_s + (now + shift) / 1 s while ticking */
	uint64_t shift;    /* divider phase, < 1 s */
	uint64_t acc_ns;   /* interrupt flags accounted up to this time */
	struct irq_line irq8;
	int timer;
};

int cmos_init(struct cmos *c, pac_machine *m, struct irq_bus *bus, int64_t base_epoch_s);
/* Fills the memory-size bytes: low_bytes = RAM below 4 GiB (from 0),
 * high_bytes = RAM mapped at 4 GiB. */
void cmos_set_memory(struct cmos *c, uint64_t low_bytes, uint64_t high_bytes);
uint8_t cmos_port_read(struct cmos *c, uint16_t port);
void cmos_port_write(struct cmos *c, uint16_t port, uint8_t val);
/* Port 0x70 bit 7 as last written: NMIs masked (for the core later). */
bool cmos_nmi_masked(const struct cmos *c);
/* Current RTC time in seconds since 1970 (for tests and the monitor). */
int64_t cmos_time(struct cmos *c);
/* "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SS" (UTC) to seconds since 1970;
 * 0 on success, -1 on a malformed or out-of-range date. */
int cmos_parse_date(const char *s, int64_t *out);
/* Civil date <-> days since 1970-01-01 (proleptic Gregorian). */
int64_t days_from_civil(int64_t y, unsigned mon, unsigned day);
void civil_from_days(int64_t days, int64_t *y, unsigned *mon, unsigned *day);
#endif
