/* SPDX-License-Identifier: MIT */
/* System control port A (0x92, PS/2 "fast A20 and reset") and a minimal
 * 8042 keyboard controller (0x60/0x64) with no keyboard or mouse attached:
 * self-test, command byte, output port (A20, reset), pulse reset 0xFE. */
#ifndef PAC_IODEV_PORT92_H
#define PAC_IODEV_PORT92_H
#include <stdbool.h>
#include <stdint.h>
#include "pacifica/pacifica.h"
#include "irq.h"

struct port92 {
	pac_machine *m;
	uint8_t val;
};
int port92_init(struct port92 *p, pac_machine *m);

#define I8042_QUEUE 4
struct i8042 {
	pac_machine *m;
	uint8_t ctr;       /* controller command byte */
	bool sys;          /* status bit 2: self-test passed */
	uint8_t outport;   /* bit 0 reset line (1 = running), bit 1 A20 */
	uint8_t status_cmd;/* status bit 3: last write went to 0x64 */
	uint8_t pending;   /* command waiting for its data byte, 0 none */
	uint8_t q[I8042_QUEUE], q_aux[I8042_QUEUE];
	unsigned qn;
	uint8_t last;
	struct irq_line irq1, irq12;
};
int i8042_init(struct i8042 *k, pac_machine *m, struct irq_bus *bus);
uint8_t i8042_read(struct i8042 *k, uint16_t port);
void i8042_write(struct i8042 *k, uint16_t port, uint8_t val);
#endif
